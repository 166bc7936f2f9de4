package io.switchboard.platforms.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.UnprocessedRequestException;

import io.grpc.Metadata;
import io.grpc.Status;
import io.switchboard.api.MetadataKeys;
import io.switchboard.core.resilience.Failure;
import io.switchboard.core.testing.MutableClock;

class GrpcFailuresTest {

    private final GrpcFailures failures = new GrpcFailures(new MutableClock());

    private static Metadata trailers(Metadata.Key<String> key, String value) {
        final Metadata m = new Metadata();
        m.put(key, value);
        return m;
    }

    @Test
    void resourceExhaustedIsARateLimitWithThePushbackHint() {
        final Failure f = failures.classify(Status.RESOURCE_EXHAUSTED.withDescription("slow down")
                .asRuntimeException(trailers(MetadataKeys.RETRY_PUSHBACK_MS, "1500")));
        assertThat(f.type()).isEqualTo(Failure.Type.RATE_LIMITED);
        assertThat(f.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(f.message()).isEqualTo("RESOURCE_EXHAUSTED: slow down");
    }

    @Test
    void aRetryAfterTrailerIsReadWhenThereIsNoPushback() {
        final Failure f = failures.classify(Status.RESOURCE_EXHAUSTED
                .asRuntimeException(trailers(MetadataKeys.RETRY_AFTER, "3")));
        assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aMalformedPushbackIsIgnored() {
        final Failure f = failures.classify(Status.RESOURCE_EXHAUSTED
                .asRuntimeException(trailers(MetadataKeys.RETRY_PUSHBACK_MS, "soon")));
        assertThat(f.type()).isEqualTo(Failure.Type.RATE_LIMITED);
        assertThat(f.retryAfter()).isNull();
    }

    @Test
    void unavailableBeforeTheRequestWasSentIsNotSent() {
        final Failure f = failures.classify(Status.UNAVAILABLE
                .withCause(UnprocessedRequestException.of(new ConnectException("Connection refused")))
                .asRuntimeException());
        assertThat(f.type()).isEqualTo(Failure.Type.NOT_SENT);
        assertThat(f.type().surelyNotActed()).isTrue();
        assertThat(f.message()).contains("connection refused");
    }

    @Test
    void unavailableAfterSendingIsTransient() {
        final Failure f = failures.classify(Status.UNAVAILABLE.withDescription("reset").asRuntimeException());
        assertThat(f.type()).isEqualTo(Failure.Type.TRANSIENT);
        assertThat(f.type().surelyNotActed()).isFalse();
    }

    @Test
    void mapsTheContractsOtherStatuses() {
        assertThat(failures.classify(Status.UNAUTHENTICATED.asRuntimeException()).type())
                .isEqualTo(Failure.Type.UNAUTHENTICATED);
        assertThat(failures.classify(Status.NOT_FOUND.asRuntimeException()).type())
                .isEqualTo(Failure.Type.NOT_FOUND);
        assertThat(failures.classify(Status.PERMISSION_DENIED.asRuntimeException()).type())
                .as("session not ours").isEqualTo(Failure.Type.NOT_FOUND);
        assertThat(failures.classify(Status.DEADLINE_EXCEEDED.asRuntimeException()).type())
                .isEqualTo(Failure.Type.TIMED_OUT);
        assertThat(failures.classify(Status.INVALID_ARGUMENT.asRuntimeException()).type())
                .isEqualTo(Failure.Type.REJECTED);
        assertThat(failures.classify(Status.INTERNAL.asRuntimeException()).type()).isEqualTo(Failure.Type.OTHER);
    }

    @Test
    void carriesTheCorrelationId() {
        final Failure f = failures.classify(Status.NOT_FOUND
                .asRuntimeException(trailers(MetadataKeys.ININ_CORRELATION_ID, "corr-42")));
        assertThat(f.correlationId()).isEqualTo("corr-42");
    }
}
