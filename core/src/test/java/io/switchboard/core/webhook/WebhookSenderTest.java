package io.switchboard.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.resilience.RetryPolicy;
import io.switchboard.core.resilience.RetryScheduler;

class WebhookSenderTest {

    private static final String SECRET = "whsec-0123456789abcdef";
    static final List<AggregatedHttpRequest> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger failFirst = new AtomicInteger();
    static volatile HttpStatus failWith = HttpStatus.SERVICE_UNAVAILABLE;

    @RegisterExtension
    static final ServerExtension receiver = new ServerExtension() {
        @Override
        protected void configure(ServerBuilder sb) {
            sb.service("/hooks/mute", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
                received.add(agg);
                return HttpResponse.of(failFirst.getAndDecrement() > 0 ? failWith : HttpStatus.NO_CONTENT);
            })));
        }
    };

    @BeforeEach
    void reset() {
        received.clear();
        failFirst.set(0);
        failWith = HttpStatus.SERVICE_UNAVAILABLE;
    }

    private WebhookSender sender() {
        return new WebhookSender("recording-sync", URI.create(receiver.httpUri() + "/hooks/mute"),
                                 new WebhookSignature(SECRET),
                                 RetryPolicy.builder().jitter(0).backoff(Duration.ofMillis(10), Duration.ofMillis(50), 2)
                                            .build(),
                                 Duration.ofSeconds(2), ClientFactory.ofDefault(),
                                 RetryScheduler.on(CommonPools.workerGroup()), Clock.systemUTC(),
                                 new SimpleMeterRegistry());
    }

    @Test
    void deliversABodyTheReceiverCanVerify() {
        final WebhookSender.Delivery d = sender().send("{\"muted\":true}").join();
        assertThat(d.delivered()).isTrue();
        assertThat(d.attempts()).isEqualTo(1);
        final AggregatedHttpRequest req = received.get(0);
        final byte[] body = req.content().array();
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"muted\":true}");
        final String header = req.headers().get(WebhookSignature.HEADER);
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        final WebhookSignature signature = new WebhookSignature(SECRET);
        assertThat(signature.verify(header, body, Instant.now(), Duration.ofMinutes(5))).isTrue();
        assertThat(new WebhookSignature("another-secret-0000000").verify(header, body, Instant.now(),
                                                                         Duration.ofMinutes(5))).isFalse();
        assertThat(signature.verify(header, "{\"muted\":false}".getBytes(StandardCharsets.UTF_8), Instant.now(),
                                    Duration.ofMinutes(5))).as("tampered body").isFalse();
        assertThat(signature.verify(header, body, Instant.now().plus(Duration.ofMinutes(10)), Duration.ofMinutes(5)))
                .as("replayed later").isFalse();
    }

    @Test
    void retriesServerErrorsUntilDelivered() {
        failFirst.set(2);
        final WebhookSender.Delivery d = sender().send("{}").join();
        assertThat(d.delivered()).isTrue();
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(received).hasSize(3);
    }

    @Test
    void givesUpOnAClientErrorAtOnce() {
        failFirst.set(10);
        failWith = HttpStatus.BAD_REQUEST;
        final WebhookSender.Delivery d = sender().send("{}").join();
        assertThat(d.delivered()).isFalse();
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastStatus()).isEqualTo(400);
    }

    @Test
    void givesUpWhenRetriesRunOut() {
        failFirst.set(10);
        final WebhookSender.Delivery d = sender().send("{}").join();
        assertThat(d.delivered()).isFalse();
        assertThat(d.attempts()).isEqualTo(4);
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookSignature("short"))
                                       .hasMessage("secret: <redacted> (expected: at least 16 characters)");
        assertThat(new WebhookSignature(SECRET).toString()).doesNotContain(SECRET);
    }
}
