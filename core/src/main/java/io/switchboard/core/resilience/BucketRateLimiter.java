package io.switchboard.core.resilience;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.SchedulingBucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;

/**
 * A token-bucket {@link RateLimiter} on Bucket4j: {@code requests} per {@code period}, refilled
 * greedily (evenly, not all at once at the period's end), with a burst of at most
 * {@code requests}. Either local to this process, or shared through Redis by every process that
 * uses the same key, so that several gateways with one OAuth client stay under its limit together.
 *
 * <p>Threading: waits are scheduled on {@code scheduler}; no thread is held while waiting.
 */
public final class BucketRateLimiter implements RateLimiter {

    /** A limit of {@code requests} per {@code period}. */
    public record Limit(long requests, Duration period) {
        /** Checks the components. */
        public Limit {
            requireNonNull(period, "period");
            if (requests < 1) {
                throw new IllegalArgumentException("requests: " + requests + " (expected: >= 1)");
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
            }
        }

        /** Returns {@code requests} per minute. */
        public static Limit perMinute(long requests) {
            return new Limit(requests, Duration.ofMinutes(1));
        }

        BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                                      .addLimit(l -> l.capacity(requests).refillGreedy(requests, period))
                                      .build();
        }

        @Override
        public String toString() {
            return requests + " per " + period;
        }
    }

    private final SchedulingBucket waiting;
    /** Takes a permit only if one is free now: Bucket4j's scheduler refuses a zero wait. */
    private final Supplier<CompletableFuture<Boolean>> immediate;
    private final ScheduledExecutorService scheduler;

    private BucketRateLimiter(SchedulingBucket waiting, Supplier<CompletableFuture<Boolean>> immediate,
                              ScheduledExecutorService scheduler) {
        this.waiting = waiting;
        this.immediate = immediate;
        this.scheduler = scheduler;
    }

    /** Returns a limiter local to this process, measuring time with the system's nanosecond clock. */
    public static BucketRateLimiter local(Limit limit, ScheduledExecutorService scheduler) {
        return local(limit, scheduler, TimeMeter.SYSTEM_NANOTIME);
    }

    /** Returns a limiter local to this process that measures time with {@code time}; for tests. */
    public static BucketRateLimiter local(Limit limit, ScheduledExecutorService scheduler, TimeMeter time) {
        requireNonNull(limit, "limit");
        final Bucket bucket = Bucket.builder()
                                    .addLimit(l -> l.capacity(limit.requests()).refillGreedy(limit.requests(),
                                                                                             limit.period()))
                                    .withCustomTimePrecision(time)
                                    .build();
        return new BucketRateLimiter(bucket.asScheduler(),
                                     () -> CompletableFuture.completedFuture(bucket.tryConsume(1)),
                                     requireNonNull(scheduler, "scheduler"));
    }

    /**
     * Returns a limiter shared through Redis under {@code key}: every process that uses the same
     * Redis and key draws from one bucket. Unused buckets expire from Redis by themselves.
     */
    public static BucketRateLimiter redis(Limit limit, AbstractRedisClient redis, String key,
                                          ScheduledExecutorService scheduler) {
        requireNonNull(limit, "limit");
        requireNonNull(key, "key");
        final LettuceBasedProxyManager<byte[]> buckets =
                (requireNonNull(redis, "redis") instanceof RedisClusterClient cluster
                 ? LettuceBasedProxyManager.builderFor(cluster)
                 : LettuceBasedProxyManager.builderFor((RedisClient) redis))
                                        .withExpirationStrategy(
                                                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                                        limit.period()))
                                        .build();
        final var bucket = buckets.asAsync().builder()
                                  .build(key.getBytes(StandardCharsets.UTF_8),
                                         () -> CompletableFuture.completedFuture(limit.configuration()));
        return new BucketRateLimiter(bucket.asScheduler(), () -> bucket.tryConsume(1),
                                     requireNonNull(scheduler, "scheduler"));
    }

    @Override
    public CompletableFuture<Boolean> acquire(Duration maxWait) {
        requireNonNull(maxWait, "maxWait");
        if (maxWait.toNanos() <= 0) {
            return immediate.get();
        }
        return waiting.tryConsume(1, maxWait, scheduler);
    }
}
