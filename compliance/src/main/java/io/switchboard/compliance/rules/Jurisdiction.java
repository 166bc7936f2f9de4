package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A jurisdiction of the rule pack: its rules, its holidays, and, when it has no rule stricter
 * than its federal one, the sources that were checked to say so.
 *
 * @param id ISO 3166-2 ({@code US-FL}, {@code CA-ON}) or a country ({@code US}, {@code CA})
 * @param name e.g. {@code Florida}
 * @param checked when the sources were last read
 * @param holidays its holiday calendar
 * @param rules its rules; empty when none is stricter than the federal ones
 * @param caps its frequency caps
 * @param noStricterRule why there are none, with the sources checked; null when there are rules
 * @param source the file it was read from
 */
public record Jurisdiction(String id, String name, LocalDate checked, HolidayCalendar holidays,
                           List<CallingRule> rules, List<FrequencyCap> caps, @Nullable NoStricterRule noStricterRule,
                           String source) {

    /** Checks and copies the fields. */
    public Jurisdiction {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(checked, "checked");
        requireNonNull(holidays, "holidays");
        rules = List.copyOf(rules);
        caps = List.copyOf(caps);
        requireNonNull(source, "source");
    }

    /** Returns the federal jurisdiction above this one ({@code US} for {@code US-FL}), or null for a country. */
    public @Nullable String parent() {
        return parentOf(id);
    }

    /** Returns the country part of a subdivision id, or null for a country. */
    public static @Nullable String parentOf(String id) {
        final int dash = id.indexOf('-');
        return dash < 0 ? null : id.substring(0, dash);
    }

    /** Returns a copy with {@code rules} added (dated overrides declared at run time). */
    public Jurisdiction withRules(List<CallingRule> more) {
        final List<CallingRule> all = new java.util.ArrayList<>(rules);
        all.addAll(more);
        return new Jurisdiction(id, name, checked, holidays, all, caps, all.isEmpty() ? noStricterRule : null,
                                source);
    }

    /**
     * Why a jurisdiction has no rule of its own.
     *
     * @param summary what was found
     * @param sources what was checked, as citation and URL
     * @param confidence {@code H}, {@code M} or {@code L}
     */
    public record NoStricterRule(String summary, List<Source> sources, String confidence) {
        /** Copies the sources. */
        public NoStricterRule {
            sources = List.copyOf(sources);
        }
    }

    /**
     * A source that was read.
     *
     * @param citation e.g. {@code Ga. Code 46-5-27}
     * @param url where
     */
    public record Source(String citation, String url) {}
}
