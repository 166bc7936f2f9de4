package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.yaml.snakeyaml.nodes.Node;

import io.switchboard.core.yaml.YamlFields;
import io.switchboard.core.yaml.YamlProblem;

/**
 * Dated rules declared at run time (a state of emergency, a proclaimed holiday), kept in a
 * directory of the data directory, one file per rule, so that they outlive a restart. A rule is
 * written as a rule file's entry, as JSON or YAML, with its {@code jurisdiction} and an
 * {@code effective.from} date:
 *
 * <pre>
 * {"jurisdiction": "US-LA", "id": "US-LA-emergency-2026-08", "summary": "Declared state of emergency: no solicitation",
 *  "purposes": ["telephone_solicitation"], "hours": {"daily": "none"},
 *  "effective": {"from": "2026-08-29", "until": "2026-09-28"},
 *  "citation": "Governor's Proclamation 2026-115; La. R.S. 29:732", "url": "https://gov.louisiana.gov/", "confidence": "H"}
 * </pre>
 *
 * Thread-safe: changes are serialised, and each gives a new {@link RulePack}.
 */
public final class RuleOverrides {

    private final Path dir;
    private final RulePack base;
    private final Map<String, Declared> declared = new TreeMap<>();
    private RulePack pack;

    /**
     * A rule declared at run time, with its text as given.
     *
     * @param rule the rule
     * @param text the JSON or YAML it was declared with
     */
    public record Declared(CallingRule rule, String text) {}

    /**
     * Opens the overrides kept in {@code dir} on top of {@code base}.
     *
     * @throws YamlProblem naming the file, line and field of a stored rule that cannot be used
     */
    public RuleOverrides(Path dir, RulePack base) {
        this.dir = requireNonNull(dir, "dir");
        this.base = requireNonNull(base, "base");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    final String text = Files.readString(f, StandardCharsets.UTF_8);
                    final CallingRule rule = read(f.toString(), text);
                    declared.put(rule.id(), new Declared(rule, text));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the rule overrides in " + dir, e);
            }
        }
        this.pack = build(declared);
    }

    /** Returns the pack with every override. */
    public synchronized RulePack pack() {
        return pack;
    }

    /** Returns the overrides, by id. */
    public synchronized List<Declared> list() {
        return List.copyOf(declared.values());
    }

    /**
     * Declares the rule in {@code text}, keeps it, and hands the pack with it to {@code install}
     * before another change can begin: changes reach the judge in the order they were made.
     *
     * @return the rule as read
     * @throws YamlProblem naming the field of a rule that cannot be used
     * @throws IllegalArgumentException if its id is taken or its jurisdiction unknown
     */
    public synchronized CallingRule add(String text, java.util.function.Consumer<RulePack> install) {
        final CallingRule rule = read("body", text);
        if (declared.containsKey(rule.id()) || base.rule(rule.id()) != null) {
            throw new IllegalArgumentException("id: \"" + rule.id() + "\" (expected: an id no rule has; delete "
                                               + "the override first to change it)");
        }
        final Map<String, Declared> next = new TreeMap<>(declared);
        next.put(rule.id(), new Declared(rule, text));
        final RulePack built = build(next);
        write(rule.id(), text);
        declared.put(rule.id(), new Declared(rule, text));
        pack = built;
        install.accept(pack);
        return rule;
    }

    /**
     * Removes override {@code id} and hands the pack without it to {@code install}, as {@link #add} does.
     *
     * @return whether there was such an override
     */
    public synchronized boolean remove(String id, java.util.function.Consumer<RulePack> install) {
        if (!declared.containsKey(id)) {
            return false;
        }
        try {
            Files.deleteIfExists(dir.resolve(id + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the override " + id, e);
        }
        declared.remove(id);
        pack = build(declared);
        install.accept(pack);
        return true;
    }

    private RulePack build(Map<String, Declared> rules) {
        final List<CallingRule> all = new ArrayList<>();
        rules.values().forEach(d -> all.add(d.rule()));
        return base.withOverrides(all);
    }

    private static CallingRule read(String source, String text) {
        final Node root = YamlFields.parse(source, text);
        if (root == null) {
            throw new YamlProblem(source, 1, "(document)", "empty (expected: a rule with its jurisdiction)");
        }
        final YamlFields f = new YamlFields(source, "", root);
        final String jurisdiction = f.string("jurisdiction", RuleFiles.JURISDICTION, "a jurisdiction such as US-LA");
        final CallingRule rule = RuleFiles.rule(f, jurisdiction, "override " + source, "jurisdiction");
        if (rule.from() == null) {
            throw f.problem(f.valueOf("effective"), "effective.from", "<missing> (expected: the first day the rule is "
                                                                      + "in force: a rule declared at run time is dated)");
        }
        return rule;
    }

    private void write(String id, String text) {
        try {
            Files.createDirectories(dir);
            final Path tmp = dir.resolve(id + ".json.tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE,
                           StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(id + ".json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the override " + id, e);
        }
    }
}
