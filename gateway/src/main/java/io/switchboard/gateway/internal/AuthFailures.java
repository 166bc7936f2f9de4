package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;
import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;

/**
 * Leaves a trace of every refused request: each is counted in
 * {@code switchboard_auth_failures_total{reason}}; a known key lacking a scope is audited every
 * time, with the key's name; requests without a known key are audited and logged at most once
 * per reason every {@link #LOG_EVERY}, with how many there were since, so that anonymous
 * traffic can flood neither the trail nor the log.
 *
 * <p>Thread-safe; called on event loops, never blocks (the audit trail appends asynchronously).
 */
public final class AuthFailures {

    /** The most often a warning is logged per reason. */
    public static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(AuthFailures.class);

    /** Why a request was refused. */
    public enum Reason {
        /** No {@code Authorization: Bearer} header (401). */
        MISSING_KEY,
        /** A key that is not configured (401). */
        UNKNOWN_KEY,
        /** A known key without the route's scope (403). */
        MISSING_SCOPE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record Throttle(AtomicLong suppressed, AtomicReference<Instant> lastLogged) {}

    private final MeterRegistry meters;
    private final AuditTrail audit;
    private final Clock clock;
    private final Map<Reason, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Reason, Throttle> throttles = new ConcurrentHashMap<>();

    /** Creates the record keeper. */
    public AuthFailures(MeterRegistry meters, AuditTrail audit, Clock clock) {
        this.meters = requireNonNull(meters, "meters");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
        for (Reason r : Reason.values()) {
            counter(r); // exported at 0 from the start, so that alerts see the series
        }
    }

    /** Records that {@code ctx} was refused for {@code reason}; {@code keyName} when the key was known. */
    public void refused(ServiceRequestContext ctx, Reason reason, @Nullable String keyName, String scope) {
        counter(reason).increment();
        final Instant now = clock.instant();
        final String path = ctx.path().length() > 200 ? ctx.path().substring(0, 200) + "…" : ctx.path();
        final String detail = ctx.method() + " " + path + " reason=" + reason.label()
                              + (reason == Reason.MISSING_SCOPE ? " scope=" + scope : "");
        final Throttle t = throttles.computeIfAbsent(reason, r -> new Throttle(new AtomicLong(),
                                                                              new AtomicReference<>(Instant.MIN)));
        final Instant last = t.lastLogged().get();
        final boolean report = Duration.between(last, now).compareTo(LOG_EVERY) >= 0
                               && t.lastLogged().compareAndSet(last, now);
        final long before = report ? t.suppressed().getAndSet(0) : t.suppressed().incrementAndGet();
        final String more = report && before > 0 ? "; " + before + " more refused for this reason since" : "";
        // A known key without the scope is always audited: its owner is accountable. Requests without a
        // known key are audited as the log is, one record per reason every 10 s with the count since,
        // so that anonymous traffic cannot grow the trail without bound.
        if (reason == Reason.MISSING_SCOPE || report) {
            audit.append(new AuditRecord(now, "auth", "denied",
                                         reason == Reason.MISSING_SCOPE ? "PERMISSION_DENIED" : "UNAUTHENTICATED",
                                         null, null, null, 0, RequestIds.of(ctx), null, keyName, detail + more));
        }
        if (report) {
            logger.warn("Refused {} ({}){}", detail, keyName == null ? "no known key" : "key '" + keyName + '\'',
                        more, kv("requestId", RequestIds.of(ctx)), kv("remote", ctx.clientAddress().getHostAddress()));
        }
    }

    private Counter counter(Reason reason) {
        return counters.computeIfAbsent(reason, r -> Counter.builder("switchboard.auth.failures")
                                                            .description("Requests refused by API-key authentication")
                                                            .tag("reason", r.label())
                                                            .register(meters));
    }
}
