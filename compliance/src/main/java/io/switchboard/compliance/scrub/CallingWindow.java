package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

/**
 * The hours in which a number may be called, in the number's local time: by default 08:00 to
 * 21:00, the TCPA's window. A number that may be in several zones (an area code that spans
 * two) may be called only when it is inside the window in every one of them: the strictest
 * zone wins. A number whose zone is not known is outside the window: the check fails closed.
 *
 * <p>Thread-safe; {@link #at(Instant)} gives a judge that works out each set of zones once.
 */
public final class CallingWindow {

    private final LocalTime start;
    private final LocalTime end;
    private final TimeZones zones;

    /** The federal window's start, 08:00 local (47 CFR 64.1200(c)(1)). */
    public static final LocalTime FEDERAL_START = LocalTime.of(8, 0);

    /** The federal window's end, 21:00 local, exclusive (47 CFR 64.1200(c)(1)). */
    public static final LocalTime FEDERAL_END = LocalTime.of(21, 0);

    /**
     * Creates a window from {@code start} (inclusive) to {@code end} (exclusive), local time.
     *
     * @throws IllegalArgumentException if {@code start} is not before {@code end}
     */
    public CallingWindow(LocalTime start, LocalTime end, TimeZones zones) {
        this.start = requireNonNull(start, "start");
        this.end = requireNonNull(end, "end");
        this.zones = requireNonNull(zones, "zones");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("callingWindow: " + start + "-" + end
                                               + " (expected: a start before the end, e.g. 08:00-21:00)");
        }
        wholeSeconds = start.getNano() == 0 && end.getNano() == 0;
    }

    /** Returns the TCPA window, 08:00 to 21:00, with libphonenumber's zones. */
    public static CallingWindow tcpa() {
        return new CallingWindow(LocalTime.of(8, 0), LocalTime.of(21, 0), TimeZones.libphonenumber());
    }

    /**
     * Returns a judge of numbers at {@code instant}. Judges are shared within a second: offsets
     * and the window's ends are whole seconds, so every instant of one second gets the same
     * verdicts, and requests made in the same second work out each zone once between them.
     */
    public Judge at(Instant instant) {
        requireNonNull(instant, "instant");
        if (!wholeSeconds) {
            return new Judge(instant);
        }
        final Judge last = recent;
        if (last != null && last.second == instant.getEpochSecond()) {
            return last;
        }
        final Judge judge = new Judge(Instant.ofEpochSecond(instant.getEpochSecond()));
        recent = judge;
        return judge;
    }

    private final boolean wholeSeconds;
    private volatile @Nullable Judge recent;

    /**
     * Judges numbers at one instant, remembering each set of zones' verdict. Thread-safe: a
     * verdict is a pure function of the set and the instant, so threads that work out the same
     * one at once write the same byte.
     */
    public final class Judge {
        private static final byte UNDECIDED = 0;
        private static final byte INSIDE = 1;
        private static final byte OUTSIDE = 2;

        private final Instant instant;
        private final long second;
        private final byte[] verdicts = new byte[zones.setCount()];

        private Judge(Instant instant) {
            this.instant = instant;
            this.second = instant.getEpochSecond();
        }

        /** Returns whether {@code e164} (its digits as a number) may be called now. */
        public boolean inside(long e164) {
            final int set = zones.setOf(e164);
            if (set == TimeZones.UNKNOWN) {
                return false;
            }
            if (verdicts[set] == UNDECIDED) {
                verdicts[set] = insideAll(zones.zones(set)) ? INSIDE : OUTSIDE;
            }
            return verdicts[set] == INSIDE;
        }

        private boolean insideAll(ZoneId[] ids) {
            for (ZoneId id : ids) {
                final LocalTime local = instant.atZone(id).toLocalTime();
                if (local.isBefore(start) || !local.isBefore(end)) {
                    return false;
                }
            }
            return true;
        }
    }
}
