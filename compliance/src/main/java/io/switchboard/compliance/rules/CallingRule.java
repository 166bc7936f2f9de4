package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One calling rule of one jurisdiction: the hours in which it permits calls on each weekday and
 * on holidays, the calls it governs (purposes, dial methods), what exempts a call, the dates it
 * is in force, an optional fixed zone, an optional ZIP scope, and where it comes from.
 *
 * @param id unique, starting with the jurisdiction, e.g. {@code US-FL-window}
 * @param jurisdiction e.g. {@code US-FL}
 * @param summary one line for readers
 * @param purposes the purposes it governs
 * @param dialMethods the dial methods it governs
 * @param exemptWith what takes a call out of it
 * @param zone the zone its hours are read in, or null for each of the number's own zones
 * @param hours permitted hours by weekday
 * @param holidayHours permitted hours on a holiday, or null when holidays are ordinary days
 * @param holidayCalendars the jurisdictions whose holidays count
 * @param zips ZIP prefixes it is limited to (empty: everywhere); a number whose ZIP is not known is in scope
 * @param from first day in force (local), or null
 * @param until first day no longer in force (local), or null
 * @param citation the primary text
 * @param url where to read it
 * @param confidence {@code H}, {@code M} or {@code L}
 * @param notes anything else a reader should know, or null
 * @param source the file (and line) it was read from, or {@code admin API}
 */
public record CallingRule(String id, String jurisdiction, String summary, Set<Purpose> purposes,
                          Set<DialMethod> dialMethods, Set<Exemption> exemptWith, @Nullable ZoneId zone,
                          Map<DayOfWeek, DayHours> hours, @Nullable DayHours holidayHours,
                          List<String> holidayCalendars, List<String> zips, @Nullable LocalDate from,
                          @Nullable LocalDate until, String citation, String url, String confidence,
                          @Nullable String notes, String source) implements Cited {

    /** Checks and copies the fields. */
    public CallingRule {
        requireNonNull(id, "id");
        requireNonNull(jurisdiction, "jurisdiction");
        requireNonNull(summary, "summary");
        purposes = Set.copyOf(purposes);
        dialMethods = Set.copyOf(dialMethods);
        exemptWith = Set.copyOf(exemptWith);
        hours = new EnumMap<>(hours);
        if (hours.size() != 7) {
            throw new IllegalArgumentException("hours: every day of the week is needed");
        }
        holidayCalendars = List.copyOf(holidayCalendars);
        zips = List.copyOf(zips);
        requireNonNull(citation, "citation");
        requireNonNull(url, "url");
        requireNonNull(confidence, "confidence");
        requireNonNull(source, "source");
    }

    /**
     * Returns whether this rule governs a call: its purpose, its dial method (a method not said
     * is governed by every rule), no exemption in force at {@code at}, and the ZIP in scope.
     */
    public boolean governs(CallContext call, Instant at, @Nullable String zip) {
        if (!purposes.contains(call.purpose())) {
            return false;
        }
        if (call.dialMethod() != null && !dialMethods.contains(call.dialMethod())) {
            return false;
        }
        if (!exemptWith.isEmpty()) {
            for (Exemption e : call.exemptionsAt(at)) {
                if (exemptWith.contains(e)) {
                    return false;
                }
            }
        }
        return inScope(zip);
    }

    /** Returns whether a contact with {@code zip} (null: not known) is in this rule's ZIP scope. */
    public boolean inScope(@Nullable String zip) {
        if (zips.isEmpty() || zip == null) {
            return true;
        }
        for (String prefix : zips) {
            if (zip.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the hours this rule permits on local {@code date}: the weekday's hours, on a holiday
     * narrowed to the holiday hours; {@link DayHours#ALL_DAY} when it is not in force that day.
     *
     * @param calendars the holiday calendar of a jurisdiction id
     */
    public DayHours hoursOn(LocalDate date, Function<String, HolidayCalendar> calendars) {
        if (from != null && date.isBefore(from) || until != null && !date.isBefore(until)) {
            return DayHours.ALL_DAY;
        }
        final DayHours day = hours.get(date.getDayOfWeek());
        if (holidayHours != null && holidayOn(date, calendars) != null) {
            // A holiday never widens the day's hours: a Sunday ban holds on a Sunday holiday.
            return day.intersect(holidayHours);
        }
        return day;
    }

    /** Returns the name of the holiday (of this rule's calendars) on {@code date}, or null. */
    public @Nullable String holidayOn(LocalDate date, Function<String, HolidayCalendar> calendars) {
        for (String id : holidayCalendars) {
            final String name = calendars.apply(id).holidayOn(date);
            if (name != null) {
                return name;
            }
        }
        return null;
    }
}
