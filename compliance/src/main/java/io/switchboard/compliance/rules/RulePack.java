package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.yaml.YamlProblem;

/**
 * The calling rules of every jurisdiction: the pack shipped in the jar (one file per
 * jurisdiction, listed in {@code index.txt} with the pack's version), files from an operator's
 * directory that add jurisdictions or replace shipped ones whole, and dated rules declared at
 * run time. Immutable; {@link #withOverrides} makes a new pack.
 */
public final class RulePack {

    private static final String BASE = "/io/switchboard/compliance/rules/";

    private final String version;
    private final Map<String, Jurisdiction> jurisdictions;
    private final Map<String, CallingRule> rulesById;
    private final List<String> replaced;

    private RulePack(String version, Map<String, Jurisdiction> jurisdictions, List<String> replaced) {
        this.version = version;
        this.jurisdictions = Map.copyOf(jurisdictions);
        this.replaced = List.copyOf(replaced);
        final Map<String, CallingRule> byId = new HashMap<>();
        for (Jurisdiction j : jurisdictions.values()) {
            for (CallingRule r : j.rules()) {
                final CallingRule before = byId.put(r.id(), r);
                if (before != null) {
                    throw new IllegalArgumentException("rule " + r.id() + " is declared twice: " + before.source()
                                                       + " and " + r.source());
                }
            }
        }
        this.rulesById = Map.copyOf(byId);
        check();
    }

    /** Returns the shipped pack. */
    public static RulePack shipped() {
        return load(null);
    }

    /**
     * Returns the shipped pack with the jurisdictions of {@code rulesDir} (each {@code *.yaml}
     * there) added or replacing shipped ones.
     *
     * @param rulesDir the operator's directory, or null
     * @throws YamlProblem naming the file, line and field of a rule file with a problem
     * @throws IllegalArgumentException for a pack-level problem (a holiday calendar nobody declares)
     */
    public static RulePack load(@Nullable Path rulesDir) {
        final Map<String, Jurisdiction> all = new TreeMap<>();
        final String index = resource("index.txt");
        String version = null;
        for (String line : index.split("\n")) {
            final String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            if (entry.startsWith("version ")) {
                version = entry.substring("version ".length()).strip();
                continue;
            }
            final Jurisdiction j = RuleFiles.read("rules/" + entry, resource(entry));
            all.put(j.id(), j);
        }
        if (version == null) {
            throw new IllegalStateException("rules/index.txt has no version line");
        }
        final List<String> replaced = new ArrayList<>();
        if (rulesDir != null) {
            for (Path file : yamlFiles(rulesDir)) {
                final String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("compliance.rulesDir: cannot read " + file, e);
                }
                final Jurisdiction j = RuleFiles.read(file.toString(), text);
                if (all.put(j.id(), j) != null) {
                    replaced.add(j.id());
                }
            }
        }
        return new RulePack(version + (replaced.isEmpty() && rulesDir == null ? "" : "+local"), all, replaced);
    }

    private static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("compliance.rulesDir: " + dir + " (expected: a directory of "
                                               + "<jurisdiction>.yaml files)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("compliance.rulesDir: cannot list " + dir, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RulePack.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("rules/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules/" + name, e);
        }
    }

    /** Checks what one file cannot: that each holiday calendar a rule names exists and has holidays. */
    private void check() {
        for (Jurisdiction j : jurisdictions.values()) {
            for (CallingRule r : j.rules()) {
                if (r.holidayHours() == null) {
                    continue;
                }
                boolean any = false;
                for (String c : r.holidayCalendars()) {
                    final Jurisdiction owner = jurisdictions.get(c);
                    if (owner == null) {
                        throw new IllegalArgumentException(r.source() + ": rule " + r.id() + ": holidays: \"" + c
                                                           + "\" (expected: a jurisdiction of the pack whose "
                                                           + "holiday calendar counts)");
                    }
                    any |= !owner.holidays().holidays().isEmpty();
                }
                if (!any) {
                    throw new IllegalArgumentException(r.source() + ": rule " + r.id() + ": hours.holiday is set but "
                                                       + r.holidayCalendars() + " declare no holidays (expected: "
                                                       + "holidays in the jurisdiction's file, or holidays: [US])");
                }
            }
        }
    }

    /**
     * Returns a pack with {@code overrides} (rules declared at run time) added to their
     * jurisdictions.
     *
     * @throws IllegalArgumentException if a rule's jurisdiction is not in the pack or its id is taken
     */
    public RulePack withOverrides(Collection<CallingRule> overrides) {
        final Map<String, List<CallingRule>> byJurisdiction = new LinkedHashMap<>();
        for (CallingRule r : overrides) {
            if (!jurisdictions.containsKey(r.jurisdiction())) {
                throw new IllegalArgumentException("jurisdiction: \"" + r.jurisdiction()
                                                   + "\" (expected: a jurisdiction of the rule pack)");
            }
            byJurisdiction.computeIfAbsent(r.jurisdiction(), k -> new ArrayList<>()).add(r);
        }
        final Map<String, Jurisdiction> all = new TreeMap<>(jurisdictions);
        byJurisdiction.forEach((id, rules) -> all.put(id, all.get(id).withRules(rules)));
        return new RulePack(overrides.isEmpty() ? version : version + "+overrides", all, replaced);
    }

    /**
     * Returns the pack's version, e.g. {@code 2026.11.29}; {@code +local} when an operator's files
     * are in, {@code +overrides} when rules declared at run time are.
     */
    public String version() {
        return version;
    }

    /** Returns the jurisdiction {@code id}, or null. */
    public @Nullable Jurisdiction jurisdiction(String id) {
        return jurisdictions.get(requireNonNull(id, "id"));
    }

    /** Returns every jurisdiction, by id. */
    public Map<String, Jurisdiction> jurisdictions() {
        return new TreeMap<>(jurisdictions);
    }

    /** Returns the rule {@code id}, or null. */
    public @Nullable CallingRule rule(String id) {
        return rulesById.get(id);
    }

    /** Returns the frequency caps of the jurisdictions {@code ids} (a contact's, federal ones included). */
    public List<FrequencyCap> caps(String[] ids) {
        List<FrequencyCap> found = List.of();
        for (String id : ids) {
            final Jurisdiction j = jurisdictions.get(id);
            if (j != null && !j.caps().isEmpty()) {
                if (found.isEmpty()) {
                    found = new ArrayList<>();
                }
                found.addAll(j.caps());
            }
        }
        return found;
    }

    /** Returns the shipped jurisdictions that an operator's file replaced. */
    public List<String> replaced() {
        return replaced;
    }

    /** Returns the holiday calendar of {@code id}; an empty one when the pack has no such jurisdiction. */
    public HolidayCalendar calendar(String id) {
        final Jurisdiction j = jurisdictions.get(id);
        return j != null ? j.holidays() : new HolidayCalendar(id, List.of());
    }
}
