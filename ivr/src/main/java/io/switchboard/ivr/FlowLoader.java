package io.switchboard.ivr;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
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
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import io.switchboard.core.Durations;
import io.switchboard.core.yaml.YamlFields;
import io.switchboard.core.yaml.YamlProblem;

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

    private static final Set<String> KINDS = Set.of("play", "collect", "branch", "retry", "transfer", "hangup", "set",
                                                    "optOut");
    /** A DNC scope, as the gateway's opt-out lists name them. */
    private static final Pattern SCOPE = Pattern.compile("global|(campaign|brand):[A-Za-z0-9._-]{1,128}");
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
        try {
            return load(source, YamlFields.parse(source, yaml));
        } catch (YamlProblem p) {
            throw new FlowException(p.source(), p.line(), p.field(), p.problem());
        }
    }

    private Flow load(String source, @Nullable Node root) {
        if (root == null) {
            throw new FlowException(source, 1, "(flow)", "empty (expected: name, start and nodes)");
        }
        final YamlFields top = new YamlFields(source, "", root);
        final String name = string(top, "name", ID);
        final String start = string(top, "start", ID);
        top.optional("description"); // free text for readers of the file
        final Map<String, Flow.Node> nodes = new LinkedHashMap<>();
        final Map<String, YamlFields> nodeFields = new HashMap<>();
        final YamlFields all = top.mapping("nodes");
        for (NodeTuple t : all.tuples()) {
            final String id = all.key(t);
            if (!ID.matcher(id).matches()) {
                throw all.problem(t.getKeyNode(), id, "\"" + id + "\" (expected: a node id, letters, digits, - and _)");
            }
            final YamlFields f = new YamlFields(source, "nodes." + id, t.getValueNode());
            nodes.put(id, node(id, t.getKeyNode().getStartMark().getLine() + 1, f));
            nodeFields.put(id, f);
        }
        top.done();
        if (nodes.isEmpty()) {
            throw all.problem(all.node(), "nodes", "none (expected: at least one node)");
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

    private Flow.Node node(String id, int line, YamlFields f) {
        final List<String> kinds = new ArrayList<>();
        for (NodeTuple t : f.tuples()) {
            if (KINDS.contains(f.key(t))) {
                kinds.add(f.key(t));
            }
        }
        if (kinds.size() != 1) {
            throw new FlowException(f.source(), line, f.path() + ".(kind)",
                                    (kinds.isEmpty() ? "none" : String.join(" and ", kinds))
                                    + " (expected: exactly one of " + new java.util.TreeSet<>(KINDS) + ')');
        }
        final Flow.Node node = switch (kinds.get(0)) {
            case "play" -> {
                final YamlFields p = f.mapping("play");
                final String url = url(p, "url");
                final boolean interruptible = p.bool("interruptible", true);
                p.done();
                yield new Flow.Play(id, line, url, interruptible, string(f, "next", ID));
            }
            case "collect" -> collect(id, line, f);
            case "branch" -> branch(id, line, f.mapping("branch"));
            case "retry" -> {
                final YamlFields r = f.mapping("retry");
                final Flow.Retry retry = new Flow.Retry(id, line, r.integer("maxAttempts", 1, 10, null),
                                                        optionalUrl(r, "noInputPrompt"), optionalUrl(r, "noMatchPrompt"),
                                                        string(r, "next", ID), string(r, "exhausted", ID));
                r.done();
                yield retry;
            }
            case "transfer" -> {
                final YamlFields t = f.mapping("transfer");
                final Flow.Transfer transfer = new Flow.Transfer(id, line, string(t, "to", Pattern.compile(".{1,128}")),
                                                                 optionalString(t, "outcome", OUTCOME, "transfer"));
                t.done();
                yield transfer;
            }
            case "optOut" -> {
                final YamlFields o = f.mapping("optOut");
                final Flow.OptOut optOut = new Flow.OptOut(id, line, optionalString(o, "scope", SCOPE, "global"),
                                                           string(o, "next", ID), optionalString(o, "failed", ID, null));
                o.done();
                yield optOut;
            }
            case "hangup" -> {
                final YamlFields h = f.mapping("hangup");
                final Flow.Hangup hangup = new Flow.Hangup(id, line, optionalString(h, "outcome", OUTCOME, "hangup"));
                h.done();
                yield hangup;
            }
            default -> {
                final YamlFields s = f.mapping("set");
                final Map<String, String> values = new LinkedHashMap<>();
                for (NodeTuple t : s.tuples()) {
                    values.put(s.key(t), s.scalar(t.getValueNode(), s.key(t)));
                }
                yield new Flow.SetVariables(id, line, values, string(f, "next", ID));
            }
        };
        f.done();
        return node;
    }

    private Flow.Collect collect(String id, int line, YamlFields f) {
        final YamlFields c = f.mapping("collect");
        final int maxDigits = c.integer("maxDigits", 1, 32, null);
        final int minDigits = c.integer("minDigits", 1, maxDigits, 1);
        final Duration timeout = duration(c, "timeout", Duration.ofSeconds(5));
        final Duration interDigit = duration(c, "interDigitTimeout", Duration.ofSeconds(3));
        final List<String> terminators = c.strings("terminators", List.of("#"));
        for (String t : terminators) {
            if (!t.equals("#") && !t.equals("*")) {
                throw c.problem(c.valueOf("terminators"), "terminators", "\"" + t + "\" (expected: # or *)");
            }
        }
        final Pattern regex = regex(c, "regex");
        final String digitSet = optionalString(c, "digits", DIGITS, null);
        final Flow.Collect collect = new Flow.Collect(id, line, optionalUrl(c, "prompt"), maxDigits, minDigits, timeout,
                                                      interDigit, terminators, regex, digitSet,
                                                      c.bool("sensitive", false),
                                                      optionalString(c, "into", ID, "digits"), string(f, "next", ID));
        c.done();
        return collect;
    }

    private Flow.Branch branch(String id, int line, YamlFields b) {
        final String on = optionalString(b, "on", ID, "digits");
        final List<Flow.Case> cases = new ArrayList<>();
        final Node casesNode = b.optional("cases");
        if (casesNode != null) {
            if (!(casesNode instanceof SequenceNode seq)) {
                throw b.problem(casesNode, "cases", "(expected: a list of {equals|regex, next})");
            }
            for (int i = 0; i < seq.getValue().size(); i++) {
                final YamlFields c = new YamlFields(b.source(), b.path() + ".cases[" + i + ']', seq.getValue().get(i));
                final String equals = optionalString(c, "equals", DIGITS, null);
                final Pattern regex = regex(c, "regex");
                if ((equals == null) == (regex == null)) {
                    throw c.problem(c.node(), "(case)", "(expected: exactly one of equals, regex)");
                }
                cases.add(new Flow.Case(equals, regex, string(c, "next", ID)));
                c.done();
            }
        }
        final Flow.Branch branch = new Flow.Branch(id, line, on, cases, optionalString(b, "noInput", ID, null),
                                                   optionalString(b, "noMatch", ID, null), string(b, "default", ID));
        b.done();
        return branch;
    }

    private static void checkReferences(Flow flow, Map<String, YamlFields> fields) {
        for (Flow.Node node : flow.nodes().values()) {
            for (String next : node.successors()) {
                if (!flow.nodes().containsKey(next)) {
                    final YamlFields f = fields.get(node.id());
                    throw new FlowException(flow.source(), f.lineOf(next), f.path(),
                                            "goes to \"" + next + "\" (expected: one of the nodes "
                                            + flow.nodes().keySet() + ')');
                }
            }
        }
    }

    private static void checkReachable(Flow flow, Map<String, YamlFields> fields) {
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
    private static void checkBounded(Flow flow, Map<String, YamlFields> fields) {
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
    private static void visit(Flow flow, Map<String, YamlFields> fields, String root, Map<String, Integer> state) {
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
                final YamlFields f = fields.get(top.id());
                throw new FlowException(flow.source(), f.lineOf(next), f.path(),
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

    /** Returns how a shape is described to readers of a message. */
    private static String describe(Pattern shape) {
        if (shape == ID) {
            return "an id: a letter, then letters, digits, - and _";
        }
        if (shape == OUTCOME) {
            return "an outcome: lower case, digits and _";
        }
        if (shape == DIGITS) {
            return "digits 0-9 * #";
        }
        if (shape == SCOPE) {
            return "global, campaign:<id> or brand:<name>";
        }
        return "text matching " + shape.pattern();
    }

    private static String string(YamlFields f, String name, Pattern shape) {
        return f.string(name, shape, describe(shape));
    }

    private static @Nullable String optionalString(YamlFields f, String name, Pattern shape, @Nullable String otherwise) {
        return f.optionalString(name, shape, describe(shape), otherwise);
    }

    private static Duration duration(YamlFields f, String name, Duration otherwise) {
        final Node value = f.optional(name);
        if (value == null) {
            return otherwise;
        }
        final String text = f.scalar(value, name);
        try {
            final Duration d = Durations.parse(text);
            if (d.compareTo(Duration.ofMillis(500)) >= 0 && d.compareTo(Duration.ofMinutes(2)) <= 0) {
                return d;
            }
        } catch (IllegalArgumentException notADuration) {
            // below
        }
        throw f.problem(value, name, text + " (expected: a duration from 500ms to 2m, e.g. 5s)");
    }

    private static @Nullable Pattern regex(YamlFields f, String name) {
        final Node value = f.optional(name);
        if (value == null) {
            return null;
        }
        final String text = f.scalar(value, name);
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw f.problem(value, name, '"' + text + "\" (expected: a regular expression; "
                                         + e.getDescription() + ')');
        }
    }

    private String url(YamlFields f, String name) {
        final Node value = f.required(name);
        final String text = f.scalar(value, name);
        final String problem = mediaUrls.problem(text);
        if (problem != null) {
            throw f.problem(value, name, '"' + text + "\" (expected: a media URL; " + problem + ')');
        }
        return text;
    }

    private @Nullable String optionalUrl(YamlFields f, String name) {
        return f.optional(name) == null ? null : url(f, name);
    }
}
