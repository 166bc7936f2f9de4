package io.switchboard.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.switchboard.core.resilience.RetryPolicy.Decision;
import io.switchboard.core.resilience.RetryPolicy.Reason;

class RetryPolicyTest {

    private static final Duration LONG = Duration.ofHours(1);
    private final RetryPolicy noJitter = RetryPolicy.builder().jitter(0).build();

    @Test
    void backsOffExponentiallyByDefault() {
        assertThat(noJitter.decide(0, null, Duration.ZERO, LONG)).isEqualTo(retry(1000));
        assertThat(noJitter.decide(1, null, Duration.ZERO, LONG)).isEqualTo(retry(2000));
        assertThat(noJitter.decide(2, null, Duration.ZERO, LONG)).isEqualTo(retry(4000));
    }

    @Test
    void givesUpAfterThreeRetriesByDefault() {
        final Decision d = noJitter.decide(3, null, Duration.ZERO, LONG);
        assertThat(d).isInstanceOf(Decision.GiveUp.class);
        assertThat(((Decision.GiveUp) d).reason()).isEqualTo(Reason.RETRIES_EXHAUSTED);
    }

    @Test
    void jitterStaysWithinItsRate() {
        final RetryPolicy jittery = RetryPolicy.builder().jitter(0.2).random(() -> new Random(42)).build();
        for (int i = 0; i < 100; i++) {
            final Decision d = jittery.decide(1, null, Duration.ZERO, LONG);
            assertThat(((Decision.Retry) d).delay().toMillis()).isBetween(1600L, 2400L);
        }
    }

    @Test
    void aRetryHintReplacesTheBackoff() {
        assertThat(noJitter.decide(0, Duration.ofMillis(1500), Duration.ZERO, LONG)).isEqualTo(retry(1500));
        assertThat(noJitter.decide(2, Duration.ofMillis(250), Duration.ZERO, LONG)).isEqualTo(retry(250));
    }

    @Test
    void givesUpWhenTheHintIsOver180Seconds() {
        assertThat(noJitter.decide(0, Duration.ofSeconds(180), Duration.ZERO, LONG)).isEqualTo(retry(180_000));
        final Decision d = noJitter.decide(0, Duration.ofSeconds(3600), Duration.ZERO, LONG);
        assertThat(((Decision.GiveUp) d).reason()).isEqualTo(Reason.RETRY_AFTER_TOO_LONG);
        assertThat(((Decision.GiveUp) d).detail()).contains("3600 s").contains("180 s");
    }

    @Test
    void neverWaitsPastTheCallersDeadline() {
        final Decision d = noJitter.decide(0, Duration.ofSeconds(2), Duration.ZERO, Duration.ofMillis(1500));
        assertThat(((Decision.GiveUp) d).reason()).isEqualTo(Reason.DEADLINE);
        assertThat(noJitter.decide(0, Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(1500)))
                .isEqualTo(retry(1000));
    }

    @Test
    void stopsAtTheTotalBudget() {
        final RetryPolicy policy = RetryPolicy.builder().jitter(0).budget(Duration.ofSeconds(5)).build();
        assertThat(policy.decide(1, null, Duration.ofSeconds(3), LONG)).isEqualTo(retry(2000));
        final Decision d = policy.decide(2, null, Duration.ofSeconds(3), LONG);
        assertThat(((Decision.GiveUp) d).reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
    }

    @Test
    void backoffIsCappedAtItsMaximum() {
        final RetryPolicy policy = RetryPolicy.builder().jitter(0).maxRetries(10)
                                              .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0).build();
        assertThat(policy.decide(5, null, Duration.ZERO, LONG)).isEqualTo(retry(5000));
    }

    @Test
    void builderRejectsNonsense() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxRetries(-1))
                .hasMessage("maxRetries: -1 (expected: 0..10)");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5)).hasMessage("jitter: 1.5 (expected: 0.0..1.0)");
        assertThatThrownBy(() -> RetryPolicy.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessageStartingWith("max: PT1S (expected: >= initial");
    }

    private static Decision retry(long millis) {
        return new Decision.Retry(Duration.ofMillis(millis));
    }
}
