package io.switchboard.compliance.rules;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hours of one day in which a rule permits calls: from {@code start} to {@code end} minutes
 * after local midnight (start inclusive, end exclusive, end up to 1440), or none at all.
 *
 * @param start minutes after midnight, 0..1439
 * @param end minutes after midnight, start+1..1440; 0 with start 0 for a day without calls
 */
public record DayHours(int start, int end) {

    /** No calls that day. */
    public static final DayHours NONE = new DayHours(0, 0);

    /** The whole day: the rule does not restrict it. */
    public static final DayHours ALL_DAY = new DayHours(0, 1440);

    /** What hours may be written as, for messages. */
    public static final String EXPECTED = "HH:MM-HH:MM (start before end, e.g. 08:00-20:00) or none";

    private static final Pattern RANGE = Pattern.compile("(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");

    /** Returns the hours both permit: the stricter reading of two rules for one day. */
    public DayHours intersect(DayHours other) {
        final int s = Math.max(start, other.start);
        final int e = Math.min(end, other.end);
        return none() || other.none() || s >= e ? NONE : new DayHours(s, e);
    }

    /** Returns whether no call may be made that day. */
    public boolean none() {
        return end == 0;
    }

    /**
     * Reads {@code 08:00-20:00} or {@code none}.
     *
     * @throws IllegalArgumentException if it is neither
     */
    public static DayHours parse(String text) {
        if ("none".equals(text)) {
            return NONE;
        }
        final Matcher m = RANGE.matcher(text);
        if (m.matches()) {
            final int start = minutes(m.group(1), m.group(2));
            final int end = minutes(m.group(3), m.group(4));
            if (start >= 0 && end > start && start < 1440) {
                return new DayHours(start, end);
            }
        }
        throw new IllegalArgumentException('"' + text + "\" (expected: " + EXPECTED + ')');
    }

    private static int minutes(String hours, String minutes) {
        final int h = Integer.parseInt(hours);
        final int m = Integer.parseInt(minutes);
        if (m > 59 || h > 24 || h == 24 && m > 0) {
            return -1;
        }
        return h * 60 + m;
    }

    /** Returns the epoch second at which the hours start on {@code date} in {@code zone}. */
    long startOn(LocalDate date, ZoneId zone) {
        return at(date, start, zone);
    }

    /** Returns the epoch second at which the hours end on {@code date} in {@code zone}. */
    long endOn(LocalDate date, ZoneId zone) {
        return at(date, end, zone);
    }

    private static long at(LocalDate date, int minutes, ZoneId zone) {
        // A local time in a spring-forward gap moves forward by the gap, as ZonedDateTime does.
        final LocalDateTime local = minutes == 1440 ? date.plusDays(1).atStartOfDay()
                                                    : date.atTime(LocalTime.of(minutes / 60, minutes % 60));
        return local.atZone(zone).toEpochSecond();
    }

    @Override
    public String toString() {
        return none() ? "none" : String.format("%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60);
    }
}
