package io.switchboard.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final Instant now = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void readsEveryGrpcTimeoutUnit() {
        assertThat(Deadlines.grpcTimeout("2H")).contains(Duration.ofHours(2));
        assertThat(Deadlines.grpcTimeout("3M")).contains(Duration.ofMinutes(3));
        assertThat(Deadlines.grpcTimeout("4S")).contains(Duration.ofSeconds(4));
        assertThat(Deadlines.grpcTimeout("500m")).contains(Duration.ofMillis(500));
        assertThat(Deadlines.grpcTimeout("250u")).contains(Duration.ofNanos(250_000));
        assertThat(Deadlines.grpcTimeout("99n")).contains(Duration.ofNanos(99));
    }

    @Test
    void ignoresMalformedTimeouts() {
        assertThat(Deadlines.grpcTimeout(null)).isEmpty();
        assertThat(Deadlines.grpcTimeout("5")).isEmpty();
        assertThat(Deadlines.grpcTimeout("5x")).isEmpty();
        assertThat(Deadlines.grpcTimeout("123456789S")).as("over 8 digits").isEmpty();
    }

    @Test
    void theEarlierOfTheCallersDeadlineAndTheDefaultWins() {
        // The caller's deadline, less a margin for the answer: 200 ms at most, a tenth of shorter ones.
        assertThat(Deadlines.deadline(now, Duration.ofSeconds(10), "2S")).isEqualTo(now.plusMillis(1800));
        assertThat(Deadlines.deadline(now, Duration.ofSeconds(10), "5S")).isEqualTo(now.plusMillis(4800));
        assertThat(Deadlines.deadline(now, Duration.ofSeconds(10), "500m")).isEqualTo(now.plusMillis(450));
        assertThat(Deadlines.deadline(now, Duration.ofSeconds(10), "60S")).isEqualTo(now.plusSeconds(10));
        assertThat(Deadlines.deadline(now, Duration.ofSeconds(10), null)).isEqualTo(now.plusSeconds(10));
    }
}
