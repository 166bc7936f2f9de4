package io.switchboard.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.lettuce.core.RedisClient;
import io.switchboard.core.testing.TestRedis;

/** Several limiters on one Redis key share one bucket, as several gateways with one OAuth client must. */
class RedisRateLimiterIT {

    private static TestRedis redis;
    private static RedisClient client;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void start() {
        redis = TestRedis.start();
        client = RedisClient.create(redis.uri());
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        scheduler.shutdownNow();
        redis.close();
    }

    @Test
    void gatewaysSharingAKeyShareTheLimit() {
        final BucketRateLimiter.Limit limit = BucketRateLimiter.Limit.perMinute(5);
        final BucketRateLimiter first = BucketRateLimiter.redis(limit, client, "it:shared", scheduler);
        final BucketRateLimiter second = BucketRateLimiter.redis(limit, client, "it:shared", scheduler);
        int granted = 0;
        for (int i = 0; i < 4; i++) {
            granted += first.acquire(Duration.ZERO).join() ? 1 : 0;
            granted += second.acquire(Duration.ZERO).join() ? 1 : 0;
        }
        assertThat(granted).as("8 asked, 5 allowed per minute between them").isEqualTo(5);

        final BucketRateLimiter other = BucketRateLimiter.redis(limit, client, "it:other-client", scheduler);
        assertThat(other.acquire(Duration.ZERO).join()).as("another client has its own bucket").isTrue();
    }

    @Test
    void aWaitingAcquireGetsTheNextPermit() {
        final BucketRateLimiter limiter =
                BucketRateLimiter.redis(new BucketRateLimiter.Limit(2, Duration.ofSeconds(1)), client, "it:wait",
                                        scheduler);
        assertThat(limiter.acquire(Duration.ZERO).join()).isTrue();
        assertThat(limiter.acquire(Duration.ZERO).join()).isTrue();
        final long start = System.nanoTime();
        assertThat(limiter.acquire(Duration.ofSeconds(2)).join()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
}
