package io.switchboard.compliance.rules;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import io.switchboard.core.yaml.YamlFields;
import io.switchboard.core.yaml.YamlProblem;

/**
 * Reads one jurisdiction's rule file, checking every field; a problem is a {@link YamlProblem}
 * naming the file, line and field. The format is described in docs/compliance.md:
 *
 * <pre>
 * jurisdiction: US-FL
 * name: Florida
 * checked: 2026-11-29
 * rules:
 *   - id: US-FL-window
 *     summary: Telephone solicitations only 08:00-20:00 at the called person's location
 *     purposes: [telephone_solicitation]
 *     hours: {daily: "08:00-20:00"}
 *     citation: "Fla. Stat. § 501.616(6)(a)"
 *     url: https://www.flsenate.gov/Laws/Statutes/2024/501.616
 *     confidence: H
 * </pre>
 */
public final class RuleFiles {

    /** What a jurisdiction id looks like: a country, or a country and a subdivision. */
    public static final Pattern JURISDICTION = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");
    private static final String JURISDICTION_EXPECTED = "an ISO 3166 code such as US, US-FL or CA-ON";
    private static final Pattern RULE_ID = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?-[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern CONFIDENCE = Pattern.compile("[HML]");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final Pattern ZIP = Pattern.compile("\\d{3}|\\d{5}");
    private static final Pattern TEXT = Pattern.compile("\\S.{0,1999}", Pattern.DOTALL);
    private static final Map<String, List<DayOfWeek>> DAY_KEYS = dayKeys();

    private RuleFiles() {}

    /**
     * Reads the jurisdiction in {@code yaml}; {@code source} names the file and must be
     * {@code <jurisdiction>.yaml}.
     *
     * @throws YamlProblem naming the line and field of the first problem
     */
    public static Jurisdiction read(String source, String yaml) {
        final Node root = YamlFields.parse(source, yaml);
        if (root == null) {
            throw new YamlProblem(source, 1, "(document)", "empty (expected: jurisdiction, name, checked and rules)");
        }
        final YamlFields top = new YamlFields(source, "", root);
        final String id = top.string("jurisdiction", JURISDICTION, JURISDICTION_EXPECTED);
        final String fileName = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        if (!fileName.equals(id + ".yaml")) {
            throw top.problem(top.valueOf("jurisdiction"), "jurisdiction",
                              '"' + id + "\" (expected: the file's name, " + fileName + ", to be " + id + ".yaml)");
        }
        final String name = top.string("name", TEXT, "the jurisdiction's name");
        final LocalDate checked = date(top, "checked");
        final List<Holiday> holidays = new ArrayList<>();
        for (YamlFields h : top.mappings("holidays", false)) {
            holidays.add(holiday(h));
        }
        final List<CallingRule> rules = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        for (YamlFields r : top.mappings("rules", true)) {
            final CallingRule rule = rule(r, id, source);
            if (!ids.add(rule.id())) {
                throw r.problem(r.valueOf("id"), "id", '"' + rule.id() + "\" (expected: each rule id once)");
            }
            rules.add(rule);
        }
        final List<FrequencyCap> caps = new ArrayList<>();
        for (YamlFields c : top.mappings("caps", false)) {
            final FrequencyCap cap = cap(c, id, source);
            if (!ids.add(cap.id())) {
                throw c.problem(c.valueOf("id"), "id", '"' + cap.id() + "\" (expected: each rule and cap id once)");
            }
            caps.add(cap);
        }
        final Node none = top.optional("noStricterRule");
        Jurisdiction.NoStricterRule noStricter = null;
        if (none != null) {
            noStricter = noStricterRule(top.mapping("noStricterRule"));
            if (!rules.isEmpty()) {
                throw top.problem(none, "noStricterRule", "given with rules (expected: rules, or noStricterRule "
                                                          + "saying why there are none, not both)");
            }
        } else if (rules.isEmpty()) {
            throw top.problem(top.valueOf("rules"), "rules", "empty (expected: the jurisdiction's rules, or "
                                                             + "rules: [] with noStricterRule naming the sources "
                                                             + "checked)");
        }
        top.done();
        return new Jurisdiction(id, name, checked, new HolidayCalendar(id, holidays), rules, caps, noStricter,
                                source);
    }

    /**
     * Reads one rule of jurisdiction {@code jurisdiction} from {@code r} (a rule file's entry, or
     * a rule declared through the admin API as JSON).
     */
    public static CallingRule rule(YamlFields r, String jurisdiction, String origin, String... alsoRead) {
        for (String field : alsoRead) {
            r.optional(field);
        }
        final String id = r.string("id", RULE_ID, "an id starting with the jurisdiction, e.g. " + jurisdiction
                                                   + "-window: lower case, digits and -");
        if (!id.startsWith(jurisdiction + '-')) {
            throw r.problem(r.valueOf("id"), "id", '"' + id + "\" (expected: to start with " + jurisdiction + "-)");
        }
        final String summary = r.string("summary", TEXT, "one line saying what the rule does");
        final Set<Purpose> purposes = EnumSet.noneOf(Purpose.class);
        for (String p : nonEmpty(r, "purposes", true)) {
            purposes.add(closed(r, "purposes", p, Purpose.of(p), Purpose.expected()));
        }
        final Set<DialMethod> methods = EnumSet.allOf(DialMethod.class);
        if (r.optional("dialMethods") != null) {
            methods.clear();
            for (String m : nonEmpty(r, "dialMethods", false)) {
                methods.add(closed(r, "dialMethods", m, DialMethod.of(m), DialMethod.expected()));
            }
        }
        final Set<Exemption> exempt = EnumSet.noneOf(Exemption.class);
        for (String e : r.strings("exemptWith", List.of())) {
            exempt.add(closed(r, "exemptWith", e, Exemption.of(e), Exemption.expected()));
        }
        ZoneId zone = null;
        final Node zoneNode = r.optional("zone");
        if (zoneNode != null) {
            final String text = r.scalar(zoneNode, "zone");
            try {
                zone = ZoneId.of(text);
            } catch (DateTimeException e) {
                throw r.problem(zoneNode, "zone", '"' + text + "\" (expected: a zone such as America/Chicago, "
                                                  + "or a fixed offset such as -06:00)");
            }
        }
        final YamlFields h = r.mapping("hours");
        final Map<DayOfWeek, DayHours> hours = new EnumMap<>(DayOfWeek.class);
        DayHours holidayHours = null;
        for (NodeTuple t : h.tuples()) {
            final String key = h.key(t);
            final DayHours value = hours(h, key);
            if (key.equals("holiday")) {
                holidayHours = value;
                continue;
            }
            final List<DayOfWeek> days = DAY_KEYS.get(key);
            if (days == null) {
                throw h.problem(t.getKeyNode(), key, "unknown day (expected: mon, tue, wed, thu, fri, sat, sun, "
                                                     + "a range such as mon-fri, daily, or holiday)");
            }
            for (DayOfWeek d : days) {
                if (hours.put(d, value) != null) {
                    throw h.problem(t.getKeyNode(), key, "sets " + d.name().toLowerCase(java.util.Locale.ROOT)
                                                         + " again (expected: each day once)");
                }
            }
        }
        if (hours.size() != 7) {
            final List<String> missing = new ArrayList<>();
            for (DayOfWeek d : DayOfWeek.values()) {
                if (!hours.containsKey(d)) {
                    missing.add(d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT));
                }
            }
            throw r.problem(r.valueOf("hours"), "hours", "no hours for " + String.join(", ", missing)
                                                         + " (expected: every day of the week, e.g. daily: "
                                                         + "\"08:00-20:00\" or sun: none)");
        }
        final List<String> calendars = r.strings("holidays", List.of(jurisdiction));
        for (String c : calendars) {
            if (!JURISDICTION.matcher(c).matches()) {
                throw r.problem(r.valueOf("holidays"), "holidays", '"' + c + "\" (expected: " + JURISDICTION_EXPECTED
                                                                   + ", whose holiday calendar counts)");
            }
        }
        if (r.optional("holidays") != null && holidayHours == null) {
            throw r.problem(r.valueOf("holidays"), "holidays", "given without hours.holiday (expected: "
                                                               + "hours.holiday, e.g. none, for the calendars to matter)");
        }
        final List<String> zips = r.strings("zips", List.of());
        for (String z : zips) {
            if (!ZIP.matcher(z).matches()) {
                throw r.problem(r.valueOf("zips"), "zips", '"' + z + "\" (expected: ZIP prefixes of 3 or 5 digits)");
            }
        }
        LocalDate from = null;
        LocalDate until = null;
        if (r.optional("effective") != null) {
            final YamlFields e = r.mapping("effective");
            from = e.optional("from") == null ? null : date(e, "from");
            until = e.optional("until") == null ? null : date(e, "until");
            if (from != null && until != null && !from.isBefore(until)) {
                throw e.problem(e.valueOf("until"), "until", until + " (expected: after from, " + from + ')');
            }
            e.done();
        }
        final String citation = r.string("citation", TEXT, "the statute or regulation, e.g. Fla. Stat. 501.616(6)(a)");
        final String url = r.string("url", URL, "an http or https URL of the source");
        final String confidence = r.string("confidence", CONFIDENCE,
                                           "H (primary text read), M (two secondaries agree) or L");
        final String notes = r.text("notes", null);
        r.done();
        return new CallingRule(id, jurisdiction, summary, purposes, methods, exempt, zone, hours, holidayHours,
                               calendars, zips, from, until, citation, url, confidence, notes,
                               origin + ":" + YamlFields.lineOf(r.node()));
    }

    /** Reads one frequency cap of jurisdiction {@code jurisdiction}. */
    private static FrequencyCap cap(YamlFields c, String jurisdiction, String origin) {
        final String id = c.string("id", RULE_ID, "an id starting with the jurisdiction, e.g. " + jurisdiction
                                                   + "-attempts: lower case, digits and -");
        if (!id.startsWith(jurisdiction + '-')) {
            throw c.problem(c.valueOf("id"), "id", '"' + id + "\" (expected: to start with " + jurisdiction + "-)");
        }
        final String summary = c.string("summary", TEXT, "one line saying what the cap does");
        final int limit = c.integer("limit", 1, 1000, null);
        final String windowText = c.string("window", TEXT, FrequencyCap.WINDOW_EXPECTED);
        final java.time.Duration window = FrequencyCap.parseWindow(windowText);
        if (window == null) {
            throw c.problem(c.valueOf("window"), "window", '"' + windowText + "\" (expected: "
                                                           + FrequencyCap.WINDOW_EXPECTED + ')');
        }
        final Set<Purpose> purposes = EnumSet.noneOf(Purpose.class);
        for (String p : nonEmpty(c, "purposes", true)) {
            purposes.add(closed(c, "purposes", p, Purpose.of(p), Purpose.expected()));
        }
        final Set<DialMethod> methods = EnumSet.allOf(DialMethod.class);
        if (c.optional("dialMethods") != null) {
            methods.clear();
            for (String m : nonEmpty(c, "dialMethods", false)) {
                methods.add(closed(c, "dialMethods", m, DialMethod.of(m), DialMethod.expected()));
            }
        }
        final String citation = c.string("citation", TEXT, "the statute or regulation, e.g. Fla. Stat. 501.616(6)(b)");
        final String url = c.string("url", URL, "an http or https URL of the source");
        final String confidence = c.string("confidence", CONFIDENCE,
                                           "H (primary text read), M (two secondaries agree) or L");
        final String notes = c.text("notes", null);
        c.done();
        return new FrequencyCap(id, jurisdiction, summary, limit, window, purposes, methods,
                                citation, url, confidence, notes, origin + ":" + YamlFields.lineOf(c.node()));
    }

    private static Jurisdiction.NoStricterRule noStricterRule(YamlFields n) {
        final String summary = n.string("summary", TEXT, "what was found");
        final List<Jurisdiction.Source> sources = new ArrayList<>();
        for (YamlFields s : n.mappings("sources", true)) {
            sources.add(new Jurisdiction.Source(s.string("citation", TEXT, "what was read"),
                                                s.string("url", URL, "an http or https URL of the source")));
            s.done();
        }
        if (sources.isEmpty()) {
            throw n.problem(n.valueOf("sources"), "sources", "empty (expected: at least one source checked)");
        }
        final String confidence = n.string("confidence", CONFIDENCE, "H, M or L");
        n.done();
        return new Jurisdiction.NoStricterRule(summary, sources, confidence);
    }

    private static Holiday holiday(YamlFields h) {
        final String name = h.string("name", TEXT, "the holiday's name");
        final Node date = h.optional("date");
        final Node rule = h.optional("rule");
        if ((date == null) == (rule == null)) {
            throw h.problem(h.node(), "date", "(expected: exactly one of date and rule)");
        }
        final String field = date != null ? "date" : "rule";
        final Node value = date != null ? date : rule;
        final String spec = h.scalar(value, field);
        final boolean observed = h.bool("observed", false);
        h.done();
        try {
            return new Holiday(name, spec, observed);
        } catch (IllegalArgumentException e) {
            throw h.problem(value, field, e.getMessage());
        }
    }

    private static DayHours hours(YamlFields h, String key) {
        final Node value = h.optional(key);
        final String text = h.scalar(value, key);
        try {
            return DayHours.parse(text);
        } catch (IllegalArgumentException e) {
            throw h.problem(value, key, e.getMessage());
        }
    }

    private static LocalDate date(YamlFields f, String name) {
        final Node value = f.required(name);
        final String text = f.scalar(value, name);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw f.problem(value, name, '"' + text + "\" (expected: a date YYYY-MM-DD)");
        }
    }

    private static List<String> nonEmpty(YamlFields f, String name, boolean required) {
        if (required) {
            f.required(name);
        }
        final List<String> values = f.strings(name, List.of());
        if (values.isEmpty()) {
            throw f.problem(f.valueOf(name), name, "empty (expected: at least one value)");
        }
        return values;
    }

    private static <T> T closed(YamlFields f, String field, String value, @Nullable T found, String expected) {
        if (found == null) {
            throw f.problem(f.valueOf(field), field, '"' + value + "\" (expected: one of " + expected + ')');
        }
        return found;
    }

    private static Map<String, List<DayOfWeek>> dayKeys() {
        final String[] names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        final Map<String, List<DayOfWeek>> keys = new java.util.HashMap<>();
        for (int i = 0; i < 7; i++) {
            keys.put(names[i], List.of(DayOfWeek.of(i + 1)));
            for (int j = i + 1; j < 7; j++) {
                final List<DayOfWeek> range = new ArrayList<>();
                for (int k = i; k <= j; k++) {
                    range.add(DayOfWeek.of(k + 1));
                }
                keys.put(names[i] + '-' + names[j], List.copyOf(range));
            }
        }
        keys.put("daily", List.of(DayOfWeek.values()));
        return Map.copyOf(keys);
    }
}
