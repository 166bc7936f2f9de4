package io.switchboard.gateway.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.compliance.scrub.ScrubEngine;

/**
 * Counts scrub decisions as {@code switchboard_scrub_decisions_total{reason}}; every
 * {@code geo_blocked_<risk>} counts as {@code geo_blocked}, so that risk levels written into a
 * store cannot multiply the series.
 */
public final class ScrubMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> byReason = new ConcurrentHashMap<>();

    /** Creates counters in {@code meters}. */
    public ScrubMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts {@code decisions}. */
    public void record(ScrubEngine.Decision[] decisions) {
        // Most decisions share a few constant instances: count runs of the same instance.
        ScrubEngine.Decision last = null;
        long run = 0;
        for (ScrubEngine.Decision d : decisions) {
            if (d != last) {
                flush(last, run);
                last = d;
                run = 0;
            }
            run++;
        }
        flush(last, run);
    }

    private void flush(ScrubEngine.@Nullable Decision decision, long count) {
        if (decision == null || count == 0) {
            return;
        }
        final String reason = decision.reason().startsWith("geo_blocked_") ? "geo_blocked" : decision.reason();
        byReason.computeIfAbsent(reason, r -> Counter.builder("switchboard.scrub.decisions")
                                                     .description("Contacts scrubbed, by decision")
                                                     .tag("reason", r)
                                                     .register(meters))
                .increment(count);
    }
}
