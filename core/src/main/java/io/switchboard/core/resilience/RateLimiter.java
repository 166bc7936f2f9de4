package io.switchboard.core.resilience;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Paces requests to an upstream so that they stay under its limit. Implementations are
 * thread-safe and never block the caller.
 */
public interface RateLimiter {

    /** Returns a limiter that never waits. */
    static RateLimiter unlimited() {
        return maxWait -> CompletableFuture.completedFuture(true);
    }

    /**
     * Takes one permit, waiting up to {@code maxWait} for it. The future completes with
     * {@code true} once the permit is taken, or at once with {@code false} if none would be
     * free within {@code maxWait} (nothing is taken then).
     */
    CompletableFuture<Boolean> acquire(Duration maxWait);
}
