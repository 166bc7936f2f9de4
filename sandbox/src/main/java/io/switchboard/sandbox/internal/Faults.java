package io.switchboard.sandbox.internal;

import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.grpc.Status;

/**
 * The faults the sandbox injects into upstream requests. Each counted fault applies to the
 * next N requests and then clears itself. Thread-safe.
 */
public final class Faults {

    /** What to do with one upstream request. */
    public sealed interface Verdict {
        /** Serve it normally. */
        record Serve() implements Verdict {}

        /** Refuse it as rate-limited, with a retry hint. */
        record RateLimit(Duration retryAfter) implements Verdict {}

        /** Fail it with {@code status}; if {@code afterActing}, act on it first (a lost answer). */
        record Fail(Status.Code status, boolean afterActing) implements Verdict {}
    }

    private static final Verdict SERVE = new Verdict.Serve();

    private int rateLimitRemaining;
    private Duration retryAfter = Duration.ofSeconds(1);
    private int failRemaining;
    private int failAfter;
    private Status.Code failStatus = Status.Code.UNAVAILABLE;
    private boolean failAfterActing;
    private Duration latency = Duration.ZERO;
    private int tokenFailuresRemaining;
    /** A platform-side rate limit, as the real API enforces one: requests a minute, or 0 for none. */
    private long limitPerMinute;
    private io.github.bucket4j.@Nullable Bucket limit;

    /** Returns the verdict for the next upstream request, consuming one counted fault. */
    public synchronized Verdict next() {
        if (limit != null) {
            final var probe = limit.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                return new Verdict.RateLimit(Duration.ofNanos(probe.getNanosToWaitForRefill()));
            }
        }
        if (rateLimitRemaining > 0) {
            rateLimitRemaining--;
            return new Verdict.RateLimit(retryAfter);
        }
        if (failRemaining > 0) {
            if (failAfter > 0) {
                failAfter--;
                return SERVE;
            }
            failRemaining--;
            return new Verdict.Fail(failStatus, failAfterActing);
        }
        return SERVE;
    }

    /** Returns the latency added to every upstream request. */
    public synchronized Duration latency() {
        return latency;
    }

    /** Returns whether the next token request fails, consuming one. */
    public synchronized boolean nextTokenRequestFails() {
        if (tokenFailuresRemaining > 0) {
            tokenFailuresRemaining--;
            return true;
        }
        return false;
    }

    /** Rate-limits the next {@code count} requests, each answering with {@code retryAfter}. */
    public synchronized void rateLimit(int count, Duration retryAfter) {
        rateLimitRemaining = count;
        this.retryAfter = retryAfter;
    }

    /** Fails {@code count} requests with {@code status}, after letting {@code after} through. */
    public synchronized void fail(int count, Status.Code status, boolean afterActing, int after) {
        failRemaining = count;
        failAfter = after;
        failStatus = status;
        failAfterActing = afterActing;
    }

    /** Adds {@code latency} to every upstream request until changed. */
    public synchronized void latency(Duration latency) {
        this.latency = latency;
    }

    /** Enforces {@code perMinute} requests a minute (a token bucket, as the platform would); 0 removes it. */
    public synchronized void limitPerMinute(long perMinute) {
        limitPerMinute = perMinute;
        limit = perMinute <= 0 ? null
                               : io.github.bucket4j.Bucket.builder()
                                                          .addLimit(l -> l.capacity(perMinute)
                                                                          .refillGreedy(perMinute, Duration.ofMinutes(1)))
                                                          .build();
    }

    /** Fails the next {@code count} token requests with HTTP 503. */
    public synchronized void failTokenRequests(int count) {
        tokenFailuresRemaining = count;
    }

    /** Clears every fault. */
    public synchronized void clear() {
        rateLimitRemaining = 0;
        failRemaining = 0;
        failAfter = 0;
        latency = Duration.ZERO;
        tokenFailuresRemaining = 0;
        limitPerMinute(0);
    }

    /** Returns the pending faults, for the admin API. */
    public synchronized View view() {
        return new View(new View.RateLimit(rateLimitRemaining, retryAfter.toMillis()),
                        new View.Failure(failRemaining, failStatus.name(), failAfterActing, failAfter),
                        latency.toMillis(), tokenFailuresRemaining, limitPerMinute);
    }

    /** The pending faults as the admin API shows them. */
    public record View(RateLimit rateLimit, Failure failure, long latencyMs, int tokenFailures, long limitPerMinute) {
        /** Pending rate limits. */
        public record RateLimit(int count, long retryAfterMs) {}

        /** Pending failures. */
        public record Failure(int count, String status, boolean afterActing, int after) {}
    }

    /**
     * Parses a gRPC status name such as {@code UNAVAILABLE}, case-insensitively.
     *
     * @return {@code null} if {@code name} is not a status
     */
    public static Status.@Nullable Code statusNamed(String name) {
        try {
            return Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
