package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A holiday as a rule file declares it: a fixed day every year ({@code 12-25}), one date
 * ({@code 2024-12-31}, a proclaimed holiday), the nth weekday of a month ({@code third monday of
 * january}, {@code last monday of may}) or a day relative to Western Easter ({@code easter-47},
 * Mardi Gras). An observed holiday also falls on the weekday it is observed: the Friday before a
 * Saturday, the Monday after a Sunday.
 *
 * @param name e.g. {@code Christmas Day}
 * @param spec the day as written in the file
 * @param observed whether the observed weekday counts too
 */
public record Holiday(String name, String spec, boolean observed) {

    private static final Pattern FIXED = Pattern.compile("(\\d{2})-(\\d{2})");
    private static final Pattern ONCE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NTH = Pattern.compile(
            "(first|second|third|fourth|last) (monday|tuesday|wednesday|thursday|friday|saturday|sunday) of "
            + "(january|february|march|april|may|june|july|august|september|october|november|december)");
    private static final Pattern EASTER = Pattern.compile("easter([+-]\\d{1,3})?");

    /** What a holiday's day may be written as, for messages. */
    public static final String EXPECTED = "MM-DD, YYYY-MM-DD, \"<first|second|third|fourth|last> <weekday> of <month>\""
                                          + " or easter±N";

    /**
     * Checks the spec.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public Holiday {
        requireNonNull(name, "name");
        requireNonNull(spec, "spec");
        if (!valid(spec)) {
            throw new IllegalArgumentException("\"" + spec + "\" (expected: " + EXPECTED + ')');
        }
    }

    private static boolean valid(String spec) {
        try {
            final Matcher fixed = FIXED.matcher(spec);
            if (fixed.matches()) {
                MonthDay.of(Integer.parseInt(fixed.group(1)), Integer.parseInt(fixed.group(2)));
                return true;
            }
            if (ONCE.matcher(spec).matches()) {
                LocalDate.parse(spec);
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
        return NTH.matcher(spec).matches() || EASTER.matcher(spec).matches();
    }

    /** Returns the days this holiday falls on in {@code year}: the day, and its observed weekday if any. */
    public List<LocalDate> daysIn(int year) {
        final LocalDate day = dayIn(year);
        final List<LocalDate> days = new ArrayList<>(2);
        if (day == null) {
            return days;
        }
        days.add(day);
        if (observed) {
            if (day.getDayOfWeek() == DayOfWeek.SATURDAY) {
                days.add(day.minusDays(1));
            } else if (day.getDayOfWeek() == DayOfWeek.SUNDAY) {
                days.add(day.plusDays(1));
            }
        }
        return days;
    }

    private @Nullable LocalDate dayIn(int year) {
        final Matcher fixed = FIXED.matcher(spec);
        if (fixed.matches()) {
            final MonthDay md = MonthDay.of(Integer.parseInt(fixed.group(1)), Integer.parseInt(fixed.group(2)));
            return md.isValidYear(year) ? md.atYear(year) : null;
        }
        if (ONCE.matcher(spec).matches()) {
            final LocalDate once = LocalDate.parse(spec);
            return once.getYear() == year ? once : null;
        }
        final Matcher nth = NTH.matcher(spec);
        if (nth.matches()) {
            final DayOfWeek weekday = DayOfWeek.valueOf(nth.group(2).toUpperCase(Locale.ROOT));
            final LocalDate first = LocalDate.of(year, Month.valueOf(nth.group(3).toUpperCase(Locale.ROOT)), 1);
            return switch (nth.group(1)) {
                case "last" -> first.with(TemporalAdjusters.lastInMonth(weekday));
                case "first" -> first.with(TemporalAdjusters.dayOfWeekInMonth(1, weekday));
                case "second" -> first.with(TemporalAdjusters.dayOfWeekInMonth(2, weekday));
                case "third" -> first.with(TemporalAdjusters.dayOfWeekInMonth(3, weekday));
                default -> first.with(TemporalAdjusters.dayOfWeekInMonth(4, weekday));
            };
        }
        final Matcher easter = EASTER.matcher(spec);
        easter.matches();
        final int offset = easter.group(1) == null ? 0 : Integer.parseInt(easter.group(1));
        return easterSunday(year).plusDays(offset);
    }

    /** Returns Western Easter Sunday of {@code year} (the Gregorian computus, Meeus/Jones/Butcher). */
    static LocalDate easterSunday(int year) {
        final int a = year % 19;
        final int b = year / 100;
        final int c = year % 100;
        final int d = b / 4;
        final int e = b % 4;
        final int f = (b + 8) / 25;
        final int g = (b - f + 1) / 3;
        final int h = (19 * a + b - d - g + 15) % 30;
        final int i = c / 4;
        final int k = c % 4;
        final int l = (32 + 2 * e + 2 * i - h - k) % 7;
        final int m = (a + 11 * h + 22 * l) / 451;
        final int month = (h + l - 7 * m + 114) / 31;
        final int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }
}
