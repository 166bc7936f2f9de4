package io.switchboard.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyTest {

    @Test
    void nonIdempotentCommandsAreRetriedOnlyWhenThePlatformSurelyDidNotAct() {
        for (Failure.Type type : Failure.Type.values()) {
            final boolean expected = type == Failure.Type.RATE_LIMITED || type == Failure.Type.NOT_SENT;
            assertThat(Idempotency.NOT_IDEMPOTENT.allowsRetryAfter(type)).as(type.name()).isEqualTo(expected);
        }
    }

    @Test
    void idempotentCommandsAreAlsoRetriedAfterTransientFailures() {
        assertThat(Idempotency.IDEMPOTENT.allowsRetryAfter(Failure.Type.TRANSIENT)).isTrue();
        assertThat(Idempotency.IDEMPOTENT.allowsRetryAfter(Failure.Type.RATE_LIMITED)).isTrue();
        assertThat(Idempotency.IDEMPOTENT.allowsRetryAfter(Failure.Type.NOT_FOUND)).isFalse();
        assertThat(Idempotency.IDEMPOTENT.allowsRetryAfter(Failure.Type.TIMED_OUT)).isFalse();
    }
}
