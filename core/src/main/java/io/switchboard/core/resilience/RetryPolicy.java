package io.switchboard.core.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.retry.Backoff;

/**
 * Decides whether, and after how long, a failed upstream attempt is tried again.
 * Immutable; build with {@link #builder()}.
 *
 * <p>The delay is the platform's hint when it gave one (HTTP {@code Retry-After},
 * <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110, 10.2.3</a>, or gRPC
 * retry pushback), otherwise exponential backoff with jitter. A retry is refused when:
 * <ul>
 *   <li>{@link #maxRetries()} retries were made already;</li>
 *   <li>the hint is longer than {@link #maxRetryAfter()} (a daily limit, not a burst);</li>
 *   <li>waiting would go past the total {@link #budget()} since the first attempt;</li>
 *   <li>waiting would leave no time before the caller's deadline.</li>
 * </ul>
 * Which failures may be retried at all is {@link Idempotency}'s call, not this class's.
 */
public final class RetryPolicy {

    /** Retries after the first attempt: 3. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** The first backoff: 1 s. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    /** The longest backoff: 30 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** The backoff's growth: 2.0. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** The random spread of each backoff: 0.2 (±20 %). */
    public static final double DEFAULT_JITTER = 0.2;
    /** The longest Retry-After waited out: 180 s, as the official Genesys Cloud SDK. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(180);
    /** The time within which retries may start: 5 min. */
    public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(5);

    // After the constants above: static fields initialise in order.
    private static final RetryPolicy DEFAULT = builder().build();

    /** Returns the default policy: 3 retries, 1 s, 2 s, 4 s (±20 %), hints up to 180 s, 5 min budget. */
    public static RetryPolicy ofDefault() {
        return DEFAULT;
    }

    /** Returns a builder that starts from the defaults of {@link #ofDefault()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Why a retry was refused, or that it was granted. */
    public sealed interface Decision {
        /** Retry after {@code delay}. */
        record Retry(Duration delay) implements Decision {}

        /** Do not retry; {@code reason} says why, for the caller. */
        record GiveUp(Reason reason, String detail) implements Decision {}
    }

    /** Why a retry was refused. */
    public enum Reason {
        /** {@link #maxRetries()} retries were made. */
        RETRIES_EXHAUSTED,
        /** The hint exceeds {@link #maxRetryAfter()}. */
        RETRY_AFTER_TOO_LONG,
        /** Waiting would exceed {@link #budget()}. */
        BUDGET_EXHAUSTED,
        /** Waiting would pass the caller's deadline. */
        DEADLINE,
    }

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final Duration budget;
    private final Backoff backoff;

    private RetryPolicy(Builder b) {
        maxRetries = b.maxRetries;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        multiplier = b.multiplier;
        jitter = b.jitter;
        maxRetryAfter = b.maxRetryAfter;
        budget = b.budget;
        final Backoff exponential = Backoff.exponential(initialBackoff.toMillis(), maxBackoff.toMillis(), multiplier);
        backoff = jitter > 0 ? exponential.withJitter(-jitter, jitter, b.random) : exponential;
    }

    /**
     * Decides on a retry after {@code retriesSoFar} retries failed.
     *
     * @param retriesSoFar retries already made (0 after the first attempt failed)
     * @param retryAfter the platform's hint, if any
     * @param elapsed time since the first attempt started
     * @param remaining time left before the caller's deadline
     */
    public Decision decide(int retriesSoFar, @Nullable Duration retryAfter, Duration elapsed, Duration remaining) {
        requireNonNull(elapsed, "elapsed");
        requireNonNull(remaining, "remaining");
        if (retriesSoFar >= maxRetries) {
            return new Decision.GiveUp(Reason.RETRIES_EXHAUSTED, "gave up after " + maxRetries + " retries");
        }
        if (retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0) {
            return new Decision.GiveUp(Reason.RETRY_AFTER_TOO_LONG,
                                       "the platform asks to wait " + retryAfter.toSeconds()
                                       + " s, more than the " + maxRetryAfter.toSeconds() + " s this policy waits");
        }
        final Duration delay = retryAfter != null ? retryAfter
                                                  : Duration.ofMillis(backoff.nextDelayMillis(retriesSoFar + 1));
        if (elapsed.plus(delay).compareTo(budget) > 0) {
            return new Decision.GiveUp(Reason.BUDGET_EXHAUSTED,
                                       "a retry in " + delay.toMillis() + " ms would exceed the "
                                       + budget.toMillis() + " ms retry budget");
        }
        if (delay.compareTo(remaining) >= 0) {
            return new Decision.GiveUp(Reason.DEADLINE,
                                       "a retry in " + delay.toMillis() + " ms would pass the deadline ("
                                       + Math.max(0, remaining.toMillis()) + " ms left)");
        }
        return new Decision.Retry(delay);
    }

    /** Returns the most retries after the first attempt. Default 3. */
    public int maxRetries() {
        return maxRetries;
    }

    /** Returns the longest Retry-After hint that is waited out. Default 180 s. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** Returns the total time from the first attempt within which retries may start. Default 5 min. */
    public Duration budget() {
        return budget;
    }

    /** Returns a builder that starts from this policy's settings. */
    public Builder toBuilder() {
        return new Builder().maxRetries(maxRetries).backoff(initialBackoff, maxBackoff, multiplier)
                            .jitter(jitter).maxRetryAfter(maxRetryAfter).budget(budget);
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", backoff=" + initialBackoff.toMillis() + "ms*"
               + multiplier + "^n (max " + maxBackoff.toMillis() + "ms, jitter " + jitter + "), maxRetryAfter="
               + maxRetryAfter + ", budget=" + budget + '}';
    }

    /** Builds a {@link RetryPolicy}; every setter validates its argument. */
    public static final class Builder {
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double multiplier = DEFAULT_MULTIPLIER;
        private double jitter = DEFAULT_JITTER;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration budget = DEFAULT_BUDGET;
        private Supplier<Random> random = java.util.concurrent.ThreadLocalRandom::current;

        private Builder() {}

        /** Sets the most retries after the first attempt, 0..10. Default 3. */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > 10) {
                throw new IllegalArgumentException("maxRetries: " + maxRetries + " (expected: 0..10)");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /** Sets exponential backoff: {@code initial * multiplier^n}, capped at {@code max}. Default 1 s, 30 s, 2. */
        public Builder backoff(Duration initial, Duration max, double multiplier) {
            requireNonNull(initial, "initial");
            requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero()) {
                throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ')');
            }
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1.0)");
            }
            initialBackoff = initial;
            maxBackoff = max;
            this.multiplier = multiplier;
            return this;
        }

        /** Sets the jitter rate, 0.0..1.0: each delay varies by up to this fraction. Default 0.2. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0.0..1.0)");
            }
            this.jitter = jitter;
            return this;
        }

        /** Sets the source of jitter; tests pass a seeded one. Default: a thread-local random. */
        public Builder random(Supplier<Random> random) {
            this.random = requireNonNull(random, "random");
            return this;
        }

        /** Sets the longest Retry-After hint that is waited out. Default 180 s. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = requireNonNull(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /** Sets the total time from the first attempt within which retries may start. Default 5 min. */
        public Builder budget(Duration budget) {
            requireNonNull(budget, "budget");
            if (budget.isNegative()) {
                throw new IllegalArgumentException("budget: " + budget + " (expected: >= 0)");
            }
            this.budget = budget;
            return this;
        }

        /** Returns the policy. */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
