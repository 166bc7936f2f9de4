package io.switchboard.compliance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * docs/compliance.md lists every jurisdiction of the shipped pack with its rules and sources,
 * between two markers. The section must equal what the pack says; run with
 * {@code -Dcompliance.docs.update=true} to rewrite it after changing a rule file.
 */
class ComplianceDocsTest {

    private static final Path DOC = Path.of("..", "docs", "compliance.md");
    private static final String BEGIN = "<!-- jurisdictions: generated from the rule pack; ComplianceDocsTest keeps it equal -->";
    private static final String END = "<!-- end of jurisdictions -->";

    @Test
    void theJurisdictionsSectionIsThePack() throws Exception {
        final String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        final int begin = doc.indexOf(BEGIN);
        final int end = doc.indexOf(END);
        assertThat(begin).as("docs/compliance.md has the marker " + BEGIN).isNotNegative();
        assertThat(end).as("docs/compliance.md has the marker " + END).isGreaterThan(begin);
        final String expected = render(RulePack.shipped());
        final String actual = doc.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("compliance.docs.update") && !actual.equals(expected)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + expected + doc.substring(end),
                              StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("docs/compliance.md's jurisdictions (rerun with -Dcompliance.docs.update=true)")
                          .isEqualTo(expected);
    }

    static String render(RulePack pack) {
        final StringBuilder out = new StringBuilder("\n\nRule pack version ").append(pack.version()).append(".\n");
        for (Jurisdiction j : pack.jurisdictions().values()) {
            out.append("\n### ").append(j.id()).append(": ").append(j.name()).append("\n\n");
            out.append("Sources checked ").append(j.checked()).append(".\n");
            if (j.noStricterRule() != null) {
                final Jurisdiction.NoStricterRule none = j.noStricterRule();
                out.append("\nNo rule stricter than the federal ones (confidence ").append(none.confidence())
                   .append("): ").append(oneLine(none.summary())).append("\n\nChecked: ")
                   .append(none.sources().stream().map(s -> "[" + oneLine(s.citation()) + "](" + s.url() + ")")
                               .collect(Collectors.joining("; ")))
                   .append(".\n");
            }
            for (CallingRule r : j.rules()) {
                out.append("\n- **").append(r.id()).append("**: ").append(oneLine(r.summary())).append("\n");
                out.append("  - Calls: ").append(r.purposes().stream().map(Purpose::wire).sorted()
                                                     .collect(Collectors.joining(", ")));
                if (r.dialMethods().size() < DialMethod.values().length) {
                    out.append("; dialled ").append(r.dialMethods().stream().map(DialMethod::wire).sorted()
                                                        .collect(Collectors.joining(", ")));
                }
                out.append(r.exemptWith().isEmpty() ? "; no exemption" : "; exempt with "
                        + r.exemptWith().stream().map(Exemption::wire).sorted().collect(Collectors.joining(", ")));
                out.append(".\n  - Hours: ").append(hours(r));
                if (r.zone() != null) {
                    out.append(", read in ").append(r.zone().getId());
                }
                if (r.holidayHours() != null) {
                    out.append("; holidays of ").append(String.join(" and ", r.holidayCalendars())).append(": ")
                       .append(r.holidayHours());
                }
                if (!r.zips().isEmpty()) {
                    out.append("; only ZIP codes starting ").append(String.join(", ", r.zips()));
                }
                if (r.from() != null || r.until() != null) {
                    out.append("; in force ").append(r.from() == null ? "" : "from " + r.from())
                       .append(r.until() == null ? "" : " until " + r.until());
                }
                out.append(".\n  - Source: [").append(oneLine(r.citation())).append("](").append(r.url())
                   .append("), confidence ").append(r.confidence()).append(".\n");
                if (r.notes() != null) {
                    out.append("  - Notes: ").append(oneLine(r.notes())).append("\n");
                }
            }
            for (FrequencyCap c : j.caps()) {
                out.append("\n- **").append(c.id()).append("** (frequency cap): ").append(oneLine(c.summary()))
                   .append("\n");
                out.append("  - At most ").append(c.limit()).append(c.limit() == 1 ? " attempt" : " attempts")
                   .append(" in any ").append(c.windowText()).append(", per campaign and person; calls: ")
                   .append(c.purposes().stream().map(Purpose::wire).sorted().collect(Collectors.joining(", ")));
                if (c.dialMethods().size() < DialMethod.values().length) {
                    out.append("; dialled ").append(c.dialMethods().stream().map(DialMethod::wire).sorted()
                                                        .collect(Collectors.joining(", ")));
                }
                out.append(".\n  - Source: [").append(oneLine(c.citation())).append("](").append(c.url())
                   .append("), confidence ").append(c.confidence()).append(".\n");
                if (c.notes() != null) {
                    out.append("  - Notes: ").append(oneLine(c.notes())).append("\n");
                }
            }
            if (!j.holidays().holidays().isEmpty()) {
                out.append("\nHolidays: ").append(j.holidays().holidays().stream()
                        .map(h -> h.name() + " (" + h.spec() + (h.observed() ? ", observed" : "") + ")")
                        .collect(Collectors.joining("; "))).append(".\n");
            }
        }
        return out.append('\n').toString();
    }

    private static String hours(CallingRule r) {
        // Runs of days with the same hours: "mon-fri 09:00-18:00, sat 10:00-17:00, sun none".
        final Map<String, String> runs = new LinkedHashMap<>();
        final List<DayOfWeek> days = List.of(DayOfWeek.values());
        int i = 0;
        while (i < days.size()) {
            int j = i;
            while (j + 1 < days.size() && r.hours().get(days.get(j + 1)).equals(r.hours().get(days.get(i)))) {
                j++;
            }
            final String name = i == 0 && j == 6 ? "daily" : i == j ? day(days.get(i)) : day(days.get(i)) + "-" + day(days.get(j));
            runs.put(name, r.hours().get(days.get(i)).toString());
            i = j + 1;
        }
        final List<String> parts = new ArrayList<>();
        runs.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private static String day(DayOfWeek d) {
        return d.name().substring(0, 3).toLowerCase(Locale.ROOT);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
