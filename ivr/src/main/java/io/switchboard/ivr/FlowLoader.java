package io.switchboard.ivr;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import io.switchboard.core.Durations;

/**
 * Reads flows from YAML and checks them before anything runs. Every problem names the file,
 * line and field:
 * <ul>
 *   <li>each node has exactly one kind ({@code play}, {@code collect}, {@code branch},
 *       {@code retry}, {@code transfer}, {@code hangup}, {@code set}) and only known fields;</li>
 *   <li>values are in range, regular expressions compile, prompt URLs pass {@link MediaUrls};</li>
 *   <li>every node a node goes to exists, and every node is reached from {@code start};</li>
 *   <li>no cycle can go round for ever: each one must pass through a {@code retry}, whose
 *       {@code maxAttempts} bounds it.</li>
 * </ul>
 *
 * <pre>
 * name: outbound-verification
 * start: greeting
 * nodes:
 *   greeting:
 *     play: {url: "https://media.example.com/greeting.wav"}
 *     next: ask
 *   ask:
 *     collect: {prompt: "https://media.example.com/code.wav", maxDigits: 3, timeout: 5s, into: code}
 *     next: route
 *   ...
 * </pre>
 */
public final class FlowLoader {

    private static final Set<String> KINDS = Set.of("play", "collect", "branch", "retry", "transfer", "hangup", "set");
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern OUTCOME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern DIGITS = Pattern.compile("[0-9*#]+");

    private final MediaUrls mediaUrls;

    /** Creates a loader that checks prompt URLs with {@code mediaUrls}. */
    public FlowLoader(MediaUrls mediaUrls) {
        this.mediaUrls = requireNonNull(mediaUrls, "mediaUrls");
    }

    /** Loads and checks the flow in {@code file}. */
    public Flow load(Path file) throws IOException {
        return load(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Loads and checks the flow in {@code yaml}; {@code source} names it in messages.
     *
     * @throws FlowException naming the line and field of the first problem
     */
    public Flow load(String source, String yaml) {
        final Node root;
        try (Reader reader = new StringReader(yaml)) {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            final int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new FlowException(source, line, "(yaml)", "not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new FlowException(source, 1, "(yaml)", "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new FlowException(source, 1, "(flow)", "empty (expected: name, start and nodes)");
        }
        final Fields top = new Fields(source, "", root);
        final String name = top.string("name", ID);
        final String start = top.string("start", ID);
        top.optional("description"); // free text for readers of the file
        final Map<String, Flow.Node> nodes = new LinkedHashMap<>();
        final Map<String, Fields> nodeFields = new HashMap<>();
        final Fields all = top.mapping("nodes");
        for (NodeTuple t : all.tuples()) {
            final String id = all.key(t);
            if (!ID.matcher(id).matches()) {
                throw all.problem(t.getKeyNode(), id, "\"" + id + "\" (expected: a node id, letters, digits, - and _)");
            }
            final Fields f = new Fields(source, "nodes." + id, t.getValueNode());
            nodes.put(id, node(id, t.getKeyNode().getStartMark().getLine() + 1, f));
            nodeFields.put(id, f);
        }
        top.done();
        if (nodes.isEmpty()) {
            throw all.problem(all.node, "nodes", "none (expected: at least one node)");
        }
        if (!nodes.containsKey(start)) {
            throw top.problem(top.valueOf("start"), "start", "\"" + start + "\" (expected: one of the nodes "
                                                             + nodes.keySet() + ')');
        }
        final Flow flow = new Flow(name, source, start, nodes);
        checkReferences(flow, nodeFields);
        checkReachable(flow, nodeFields);
        checkBounded(flow, nodeFields);
        return flow;
    }

    private Flow.Node node(String id, int line, Fields f) {
        final List<String> kinds = new ArrayList<>();
        for (NodeTuple t : f.tuples()) {
            if (KINDS.contains(f.key(t))) {
                kinds.add(f.key(t));
            }
        }
        if (kinds.size() != 1) {
            throw new FlowException(f.source, line, f.path + ".(kind)",
                                    (kinds.isEmpty() ? "none" : String.join(" and ", kinds))
                                    + " (expected: exactly one of " + new java.util.TreeSet<>(KINDS) + ')');
        }
        final Flow.Node node = switch (kinds.get(0)) {
            case "play" -> {
                final Fields p = f.mapping("play");
                final String url = p.url("url");
                final boolean interruptible = p.bool("interruptible", true);
                p.done();
                yield new Flow.Play(id, line, url, interruptible, f.string("next", ID));
            }
            case "collect" -> collect(id, line, f);
            case "branch" -> branch(id, line, f.mapping("branch"));
            case "retry" -> {
                final Fields r = f.mapping("retry");
                final Flow.Retry retry = new Flow.Retry(id, line, r.integer("maxAttempts", 1, 10, null),
                                                        r.optionalUrl("noInputPrompt"), r.optionalUrl("noMatchPrompt"),
                                                        r.string("next", ID), r.string("exhausted", ID));
                r.done();
                yield retry;
            }
            case "transfer" -> {
                final Fields t = f.mapping("transfer");
                final Flow.Transfer transfer = new Flow.Transfer(id, line, t.string("to", Pattern.compile(".{1,128}")),
                                                                 t.optionalString("outcome", OUTCOME, "transfer"));
                t.done();
                yield transfer;
            }
            case "hangup" -> {
                final Fields h = f.mapping("hangup");
                final Flow.Hangup hangup = new Flow.Hangup(id, line, h.optionalString("outcome", OUTCOME, "hangup"));
                h.done();
                yield hangup;
            }
            default -> {
                final Fields s = f.mapping("set");
                final Map<String, String> values = new LinkedHashMap<>();
                for (NodeTuple t : s.tuples()) {
                    values.put(s.key(t), s.scalar(t.getValueNode(), s.key(t)));
                }
                yield new Flow.SetVariables(id, line, values, f.string("next", ID));
            }
        };
        f.done();
        return node;
    }

    private Flow.Collect collect(String id, int line, Fields f) {
        final Fields c = f.mapping("collect");
        final int maxDigits = c.integer("maxDigits", 1, 32, null);
        final int minDigits = c.integer("minDigits", 1, maxDigits, 1);
        final Duration timeout = c.duration("timeout", Duration.ofSeconds(5));
        final Duration interDigit = c.duration("interDigitTimeout", Duration.ofSeconds(3));
        final List<String> terminators = c.strings("terminators", List.of("#"));
        for (String t : terminators) {
            if (!t.equals("#") && !t.equals("*")) {
                throw c.problem(c.valueOf("terminators"), "terminators", "\"" + t + "\" (expected: # or *)");
            }
        }
        final Pattern regex = c.regex("regex");
        final String digitSet = c.optionalString("digits", DIGITS, null);
        final Flow.Collect collect = new Flow.Collect(id, line, c.optionalUrl("prompt"), maxDigits, minDigits, timeout,
                                                      interDigit, terminators, regex, digitSet,
                                                      c.bool("sensitive", false),
                                                      c.optionalString("into", ID, "digits"), f.string("next", ID));
        c.done();
        return collect;
    }

    private Flow.Branch branch(String id, int line, Fields b) {
        final String on = b.optionalString("on", ID, "digits");
        final List<Flow.Case> cases = new ArrayList<>();
        final Node casesNode = b.optional("cases");
        if (casesNode != null) {
            if (!(casesNode instanceof SequenceNode seq)) {
                throw b.problem(casesNode, "cases", "(expected: a list of {equals|regex, next})");
            }
            for (int i = 0; i < seq.getValue().size(); i++) {
                final Fields c = new Fields(b.source, b.path + ".cases[" + i + ']', seq.getValue().get(i));
                final String equals = c.optionalString("equals", DIGITS, null);
                final Pattern regex = c.regex("regex");
                if ((equals == null) == (regex == null)) {
                    throw c.problem(c.node, "(case)", "(expected: exactly one of equals, regex)");
                }
                cases.add(new Flow.Case(equals, regex, c.string("next", ID)));
                c.done();
            }
        }
        final Flow.Branch branch = new Flow.Branch(id, line, on, cases, b.optionalString("noInput", ID, null),
                                                   b.optionalString("noMatch", ID, null), b.string("default", ID));
        b.done();
        return branch;
    }

    private static void checkReferences(Flow flow, Map<String, Fields> fields) {
        for (Flow.Node node : flow.nodes().values()) {
            for (String next : node.successors()) {
                if (!flow.nodes().containsKey(next)) {
                    final Fields f = fields.get(node.id());
                    throw new FlowException(flow.source(), f.lineOf(next), f.path,
                                            "goes to \"" + next + "\" (expected: one of the nodes "
                                            + flow.nodes().keySet() + ')');
                }
            }
        }
    }

    private static void checkReachable(Flow flow, Map<String, Fields> fields) {
        final Set<String> reached = new HashSet<>();
        final List<String> todo = new ArrayList<>(List.of(flow.start()));
        while (!todo.isEmpty()) {
            final String id = todo.remove(todo.size() - 1);
            if (reached.add(id)) {
                todo.addAll(flow.nodes().get(id).successors());
            }
        }
        for (Flow.Node node : flow.nodes().values()) {
            if (!reached.contains(node.id())) {
                throw new FlowException(flow.source(), node.line(), "nodes." + node.id(),
                                        "never reached from start \"" + flow.start() + "\" (expected: every node "
                                        + "on some path; a misspelt next?)");
            }
        }
    }

    /** Rejects a cycle without a retry in it: a flow that could loop for ever. */
    private static void checkBounded(Flow flow, Map<String, Fields> fields) {
        // Depth-first over the graph without retry nodes: any cycle left has no retry in it.
        final Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        final List<String> order = new ArrayList<>(List.of(flow.start()));
        order.addAll(flow.nodes().keySet());
        for (String id : order) {
            visit(flow, fields, id, state);
        }
    }

    /** A node on the depth-first path, and the successors of it still to visit. */
    private record Frame(String id, Iterator<String> successors) {}

    /**
     * Walks the graph from {@code root} depth first with a stack of its own, not the thread's:
     * a flow of thousands of nodes in a line must be refused or accepted, never overflow.
     */
    private static void visit(Flow flow, Map<String, Fields> fields, String root, Map<String, Integer> state) {
        final Deque<Frame> stack = new ArrayDeque<>();
        final List<String> path = new ArrayList<>();
        enter(flow, root, state, stack, path);
        while (!stack.isEmpty()) {
            final Frame top = stack.peek();
            if (!top.successors().hasNext()) {
                stack.pop();
                path.remove(path.size() - 1);
                state.put(top.id(), 2);
                continue;
            }
            final String next = top.successors().next();
            if (state.getOrDefault(next, 0) == 1) {
                final List<String> loop = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                loop.add(next);
                final Fields f = fields.get(top.id());
                throw new FlowException(flow.source(), f.lineOf(next), f.path,
                                        "goes to \"" + next + "\", which loops for ever (" + describe(loop)
                                        + "; expected: every loop to pass through a retry node, whose maxAttempts "
                                        + "ends it)");
            }
            enter(flow, next, state, stack, path);
        }
    }

    /** Returns {@code a -> b -> a}, shortened in the middle past a dozen nodes. */
    private static String describe(List<String> loop) {
        if (loop.size() <= 12) {
            return String.join(" -> ", loop);
        }
        return String.join(" -> ", loop.subList(0, 5)) + " -> … (" + (loop.size() - 10) + " more) -> "
               + String.join(" -> ", loop.subList(loop.size() - 5, loop.size()));
    }

    /** Puts {@code id} on the path, unless it is a retry node (which bounds any loop) or done. */
    private static void enter(Flow flow, String id, Map<String, Integer> state, Deque<Frame> stack,
                              List<String> path) {
        final Flow.Node node = flow.nodes().get(id);
        if (node instanceof Flow.Retry || state.getOrDefault(id, 0) == 2) {
            return;
        }
        state.put(id, 1);
        path.add(id);
        stack.push(new Frame(id, new LinkedHashSet<>(node.successors()).iterator()));
    }

    /** A YAML mapping being read, with its path for messages; {@link #done()} refuses fields nobody read. */
    private final class Fields {
        final String source;
        final String path;
        final Node node;
        final Set<String> read = new HashSet<>();

        Fields(String source, String path, Node node) {
            this.source = source;
            this.path = path;
            this.node = node;
            if (!(node instanceof MappingNode)) {
                throw problem(node, "", "(expected: a mapping of fields)");
            }
        }

        List<NodeTuple> tuples() {
            return ((MappingNode) node).getValue();
        }

        String key(NodeTuple t) {
            return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
        }

        @Nullable Node optional(String name) {
            read.add(name);
            for (NodeTuple t : tuples()) {
                if (name.equals(key(t))) {
                    return t.getValueNode();
                }
            }
            return null;
        }

        Node valueOf(String name) {
            final Node value = optional(name);
            return value != null ? value : node;
        }

        Node required(String name) {
            final Node value = optional(name);
            if (value == null) {
                throw problem(node, name, "<missing> (expected: a value)");
            }
            return value;
        }

        String scalar(Node value, String name) {
            if (!(value instanceof ScalarNode s)) {
                throw problem(value, name, "(expected: a single value)");
            }
            return s.getValue();
        }

        String string(String name, Pattern shape) {
            final Node value = required(name);
            final String text = scalar(value, name);
            if (!shape.matcher(text).matches()) {
                throw problem(value, name, '"' + text + "\" (expected: " + describe(shape) + ')');
            }
            return text;
        }

        @Nullable String optionalString(String name, Pattern shape, @Nullable String otherwise) {
            return optional(name) == null ? otherwise : string(name, shape);
        }

        int integer(String name, int min, int max, @Nullable Integer otherwise) {
            final Node value = optional(name);
            if (value == null) {
                if (otherwise == null) {
                    throw problem(node, name, "<missing> (expected: " + min + ".." + max + ')');
                }
                return otherwise;
            }
            final String text = scalar(value, name);
            try {
                final int n = Integer.parseInt(text);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException notANumber) {
                // below
            }
            throw problem(value, name, text + " (expected: " + min + ".." + max + ')');
        }

        boolean bool(String name, boolean otherwise) {
            final Node value = optional(name);
            if (value == null) {
                return otherwise;
            }
            final String text = scalar(value, name);
            if (!text.equals("true") && !text.equals("false")) {
                throw problem(value, name, text + " (expected: true or false)");
            }
            return Boolean.parseBoolean(text);
        }

        Duration duration(String name, Duration otherwise) {
            final Node value = optional(name);
            if (value == null) {
                return otherwise;
            }
            final String text = scalar(value, name);
            try {
                final Duration d = Durations.parse(text);
                if (d.compareTo(Duration.ofMillis(500)) >= 0 && d.compareTo(Duration.ofMinutes(2)) <= 0) {
                    return d;
                }
            } catch (IllegalArgumentException notADuration) {
                // below
            }
            throw problem(value, name, text + " (expected: a duration from 500ms to 2m, e.g. 5s)");
        }

        List<String> strings(String name, List<String> otherwise) {
            final Node value = optional(name);
            if (value == null) {
                return otherwise;
            }
            if (!(value instanceof SequenceNode seq)) {
                throw problem(value, name, "(expected: a list)");
            }
            final List<String> all = new ArrayList<>();
            for (Node item : seq.getValue()) {
                all.add(scalar(item, name));
            }
            return all;
        }

        @Nullable Pattern regex(String name) {
            final Node value = optional(name);
            if (value == null) {
                return null;
            }
            final String text = scalar(value, name);
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw problem(value, name, '"' + text + "\" (expected: a regular expression; "
                                           + e.getDescription() + ')');
            }
        }

        String url(String name) {
            final Node value = required(name);
            final String text = scalar(value, name);
            final String problem = mediaUrls.problem(text);
            if (problem != null) {
                throw problem(value, name, '"' + text + "\" (expected: a media URL; " + problem + ')');
            }
            return text;
        }

        @Nullable String optionalUrl(String name) {
            return optional(name) == null ? null : url(name);
        }

        Fields mapping(String name) {
            final Node value = required(name);
            return new Fields(source, path.isEmpty() ? name : path + '.' + name, value);
        }

        int lineOf(String value) {
            for (NodeTuple t : tuples()) {
                final Node v = t.getValueNode();
                if (v instanceof ScalarNode s && value.equals(s.getValue())) {
                    return v.getStartMark().getLine() + 1;
                }
                if (v instanceof MappingNode || v instanceof SequenceNode) {
                    final int inner = find(v, value);
                    if (inner > 0) {
                        return inner;
                    }
                }
            }
            return node.getStartMark().getLine() + 1;
        }

        private int find(Node n, String value) {
            if (n instanceof ScalarNode s) {
                return value.equals(s.getValue()) ? s.getStartMark().getLine() + 1 : 0;
            }
            final List<Node> children = new ArrayList<>();
            if (n instanceof MappingNode m) {
                m.getValue().forEach(t -> children.add(t.getValueNode()));
            } else if (n instanceof SequenceNode s) {
                children.addAll(s.getValue());
            }
            for (Node child : children) {
                final int line = find(child, value);
                if (line > 0) {
                    return line;
                }
            }
            return 0;
        }

        void done() {
            for (NodeTuple t : tuples()) {
                if (!read.contains(key(t))) {
                    throw problem(t.getKeyNode(), key(t), "unknown field (expected one of: "
                                                          + new java.util.TreeSet<>(read) + ')');
                }
            }
        }

        FlowException problem(Node at, String field, String what) {
            final String full = field.isEmpty() ? path : path.isEmpty() ? field : path + '.' + field;
            return new FlowException(source, at.getStartMark().getLine() + 1, full.isEmpty() ? "(flow)" : full, what);
        }

        private String describe(Pattern shape) {
            if (shape == ID) {
                return "an id: a letter, then letters, digits, - and _";
            }
            if (shape == OUTCOME) {
                return "an outcome: lower case, digits and _";
            }
            if (shape == DIGITS) {
                return "digits 0-9 * #";
            }
            return "text matching " + shape.pattern();
        }
    }
}
