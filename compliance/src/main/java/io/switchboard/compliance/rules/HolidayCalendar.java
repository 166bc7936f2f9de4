package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/** One jurisdiction's holidays. Each year's days are worked out once. Thread-safe. */
public final class HolidayCalendar {

    private final String jurisdiction;
    private final List<Holiday> holidays;
    private final Map<Integer, Map<LocalDate, String>> byYear = new ConcurrentHashMap<>();

    /** Creates the calendar of {@code jurisdiction}, e.g. {@code US-LA}. */
    public HolidayCalendar(String jurisdiction, List<Holiday> holidays) {
        this.jurisdiction = requireNonNull(jurisdiction, "jurisdiction");
        this.holidays = List.copyOf(holidays);
    }

    /** Returns whose calendar this is. */
    public String jurisdiction() {
        return jurisdiction;
    }

    /** Returns the holidays, as declared. */
    public List<Holiday> holidays() {
        return holidays;
    }

    /** Returns the name of the holiday on {@code date}, or null when it is not one. */
    public @Nullable String holidayOn(LocalDate date) {
        if (holidays.isEmpty()) {
            return null;
        }
        return byYear.computeIfAbsent(date.getYear(), this::daysOf).get(date);
    }

    /** Returns the holidays of {@code year}, by date. */
    public Map<LocalDate, String> daysOf(int year) {
        final Map<LocalDate, String> days = new HashMap<>();
        for (Holiday h : holidays) {
            // A holiday observed across a year end (New Year's Day on a Saturday, observed 31 December) counts too.
            for (int y = year - 1; y <= year + 1; y++) {
                for (LocalDate d : h.daysIn(y)) {
                    if (d.getYear() == year) {
                        days.putIfAbsent(d, h.name());
                    }
                }
            }
        }
        return Map.copyOf(days);
    }
}
