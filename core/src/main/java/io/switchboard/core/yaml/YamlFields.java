package io.switchboard.core.yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

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

/**
 * One YAML mapping being read field by field, for files people write by hand (flows, rule
 * packs). Every problem is a {@link YamlProblem} naming the source, line and field path;
 * {@link #done()} refuses any field nobody read, so that a misspelt key is an error rather than
 * a setting silently ignored.
 */
public final class YamlFields {

    private final String source;
    private final String path;
    private final Node node;
    private final Set<String> read = new HashSet<>();

    /**
     * Reads {@code node} as a mapping at {@code path} ({@code ""} for the document) of {@code source}.
     *
     * @throws YamlProblem if the node is not a mapping
     */
    public YamlFields(String source, String path, Node node) {
        this.source = source;
        this.path = path;
        this.node = node;
        if (!(node instanceof MappingNode m)) {
            throw problem(node, "", "(expected: a mapping of fields)");
        }
        // The composer keeps a repeated key as two entries; the first would win silently.
        final Set<String> seen = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
            if (!seen.add(key(t))) {
                throw problem(t.getKeyNode(), key(t), "given twice (expected: each field once)");
            }
        }
    }

    /**
     * Parses {@code yaml} into its root node: duplicate keys refused, aliases bounded.
     *
     * @return the root, or null for an empty document
     * @throws YamlProblem if it is not valid YAML
     */
    public static @Nullable Node parse(String source, String yaml) {
        try (Reader reader = new StringReader(yaml)) {
            final LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            return new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            final int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new YamlProblem(source, line, "(yaml)", "not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new YamlProblem(source, 1, "(yaml)", "not valid YAML: " + e.getMessage());
        }
    }

    /** Returns the name of the document this mapping is in. */
    public String source() {
        return source;
    }

    /** Returns this mapping's path, e.g. {@code nodes.ask.collect}; empty for the document. */
    public String path() {
        return path;
    }

    /** Returns the mapping's node. */
    public Node node() {
        return node;
    }

    /** Returns the mapping's entries, in the file's order. */
    public List<NodeTuple> tuples() {
        return ((MappingNode) node).getValue();
    }

    /** Returns an entry's key. */
    public String key(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
    }

    /** Returns the 1-based line {@code n} starts on. */
    public static int lineOf(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    /** Returns field {@code name}'s value, or null; marks the field read either way. */
    public @Nullable Node optional(String name) {
        read.add(name);
        for (NodeTuple t : tuples()) {
            if (name.equals(key(t))) {
                return t.getValueNode();
            }
        }
        return null;
    }

    /** Returns field {@code name}'s value, or the mapping itself when absent (for a message's line). */
    public Node valueOf(String name) {
        final Node value = optional(name);
        return value != null ? value : node;
    }

    /** Returns field {@code name}'s value; a problem if absent. */
    public Node required(String name) {
        final Node value = optional(name);
        if (value == null) {
            throw problem(node, name, "<missing> (expected: a value)");
        }
        return value;
    }

    /** Returns {@code value} as text; a problem if it is a list or mapping. */
    public String scalar(Node value, String name) {
        if (!(value instanceof ScalarNode s)) {
            throw problem(value, name, "(expected: a single value)");
        }
        return s.getValue();
    }

    /** Returns field {@code name}, which must match {@code shape}, described to readers as {@code expected}. */
    public String string(String name, Pattern shape, String expected) {
        final Node value = required(name);
        final String text = scalar(value, name);
        if (!shape.matcher(text).matches()) {
            throw problem(value, name, '"' + text + "\" (expected: " + expected + ')');
        }
        return text;
    }

    /** Returns field {@code name} as {@link #string}, or {@code otherwise} when absent. */
    public @Nullable String optionalString(String name, Pattern shape, String expected, @Nullable String otherwise) {
        return optional(name) == null ? otherwise : string(name, shape, expected);
    }

    /** Returns field {@code name} as free text, or {@code otherwise} when absent. */
    public @Nullable String text(String name, @Nullable String otherwise) {
        final Node value = optional(name);
        return value == null ? otherwise : scalar(value, name);
    }

    /** Returns integer field {@code name} in {@code min..max}, or {@code otherwise} (null: required). */
    public int integer(String name, int min, int max, @Nullable Integer otherwise) {
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

    /** Returns boolean field {@code name}, or {@code otherwise} when absent. */
    public boolean bool(String name, boolean otherwise) {
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

    /** Returns list field {@code name} of single values, or {@code otherwise} when absent. */
    public List<String> strings(String name, List<String> otherwise) {
        final Node value = optional(name);
        if (value == null) {
            return otherwise;
        }
        final List<String> all = new ArrayList<>();
        for (Node item : sequence(value, name)) {
            all.add(scalar(item, name));
        }
        return all;
    }

    /** Returns {@code value}'s items; a problem if it is not a list. */
    public List<Node> sequence(Node value, String name) {
        if (!(value instanceof SequenceNode seq)) {
            throw problem(value, name, "(expected: a list)");
        }
        return seq.getValue();
    }

    /** Returns the items of list field {@code name} as mappings, each with its path {@code name[i]}. */
    public List<YamlFields> mappings(String name, boolean required) {
        final Node value = required ? required(name) : optional(name);
        if (value == null) {
            return List.of();
        }
        final List<Node> items = sequence(value, name);
        final List<YamlFields> all = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            all.add(new YamlFields(source, child(name) + '[' + i + ']', items.get(i)));
        }
        return all;
    }

    /** Returns mapping field {@code name}. */
    public YamlFields mapping(String name) {
        return new YamlFields(source, child(name), required(name));
    }

    /** Returns the line of the first value equal to {@code value} under this mapping, else the mapping's. */
    public int lineOf(String value) {
        final int found = find(node, value);
        return found > 0 ? found : lineOf(node);
    }

    private static int find(Node n, String value) {
        if (n instanceof ScalarNode s) {
            return value.equals(s.getValue()) ? lineOf(s) : 0;
        }
        final List<Node> children = new ArrayList<>();
        if (n instanceof MappingNode m) {
            m.getValue().forEach(t -> children.add(t.getValueNode()));
        } else if (n instanceof SequenceNode s) {
            children.addAll(s.getValue());
        }
        for (Node c : children) {
            final int line = find(c, value);
            if (line > 0) {
                return line;
            }
        }
        return 0;
    }

    /** Refuses any field of this mapping that was never read: a misspelt key. */
    public void done() {
        for (NodeTuple t : tuples()) {
            if (!read.contains(key(t))) {
                throw problem(t.getKeyNode(), key(t), "unknown field (expected one of: " + new TreeSet<>(read) + ')');
            }
        }
    }

    /** Returns a problem with {@code field} (relative to this mapping) at {@code at}'s line. */
    public YamlProblem problem(Node at, String field, String what) {
        final String full = field.isEmpty() ? path : child(field);
        return new YamlProblem(source, lineOf(at), full.isEmpty() ? "(document)" : full, what);
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + '.' + name;
    }
}
