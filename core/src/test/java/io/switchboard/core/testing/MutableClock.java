package io.switchboard.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that tests move by hand. Thread-safe. */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    /** Creates a clock showing {@code start}. */
    public MutableClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    /** Creates a clock showing 2026-01-01T00:00:00Z. */
    public MutableClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Moves the clock forward by {@code d}. */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("MutableClock is UTC only");
    }
}
