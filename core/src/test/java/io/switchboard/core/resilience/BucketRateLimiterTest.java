package io.switchboard.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.bucket4j.TimeMeter;

class BucketRateLimiterTest {

    /** Bucket4j's clock, moved by hand. */
    static final class ManualTime implements TimeMeter {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ManualTime time = new ManualTime();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void allowsABurstUpToTheLimitThenRefillsEvenly() {
        final BucketRateLimiter limiter =
                BucketRateLimiter.local(BucketRateLimiter.Limit.perMinute(3), scheduler, time);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(Duration.ZERO).join()).isTrue();
        }
        assertThat(limiter.acquire(Duration.ZERO).join()).as("limit reached").isFalse();
        time.advance(Duration.ofSeconds(19));
        assertThat(limiter.acquire(Duration.ZERO).join()).as("a third of a minute is one request").isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(limiter.acquire(Duration.ZERO).join()).isTrue();
        assertThat(limiter.acquire(Duration.ZERO).join()).isFalse();
    }

    @Test
    void refusesAtOnceWhenThePermitWouldComeTooLate() {
        final BucketRateLimiter limiter =
                BucketRateLimiter.local(BucketRateLimiter.Limit.perMinute(1), scheduler, time);
        assertThat(limiter.acquire(Duration.ZERO).join()).isTrue();
        assertThat(limiter.acquire(Duration.ofSeconds(59)).join()).isFalse();
    }

    @Test
    void limitsAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BucketRateLimiter.Limit.perMinute(0))
                                       .hasMessage("requests: 0 (expected: >= 1)");
    }
}
