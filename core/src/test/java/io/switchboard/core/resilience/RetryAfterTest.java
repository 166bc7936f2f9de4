package io.switchboard.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.switchboard.core.testing.MutableClock;

class RetryAfterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

    @Test
    void readsDelaySeconds() {
        assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
    }

    @Test
    void readsAnHttpDateRelativeToTheClock() {
        assertThat(RetryAfter.parse("Sat, 21 Nov 2026 10:00:45 GMT", clock)).contains(Duration.ofSeconds(45));
    }

    @Test
    void treatsAPastHttpDateAsNoWait() {
        assertThat(RetryAfter.parse("Sat, 21 Nov 2026 09:00:00 GMT", clock)).contains(Duration.ZERO);
    }

    @Test
    void ignoresMalformedValues() {
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("", clock)).isEmpty();
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999", clock)).isEmpty();
    }

    @Test
    void formatsWholeSecondsRoundedUp() {
        assertThat(RetryAfter.format(Duration.ofMillis(1))).isEqualTo("1");
        assertThat(RetryAfter.format(Duration.ofMillis(1000))).isEqualTo("1");
        assertThat(RetryAfter.format(Duration.ofMillis(1001))).isEqualTo("2");
        assertThat(RetryAfter.format(Duration.ZERO)).isEqualTo("0");
    }
}
