package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;

import io.switchboard.core.webhook.WebhookSignature;
import io.switchboard.gateway.config.GatewayConfig;

/** The recording-sync webhook: signed, sent after the mute is confirmed, never in its way. */
class RecordingSyncIT {

    private static final String SECRET = "rec-sync-secret-0123456789";

    /** A receiver that answers {@code status} after {@code delay}. */
    private static Server receiver(List<AggregatedHttpRequest> received, HttpStatus status, Duration delay) {
        final Server server = Server.builder().http(0).service("/hooks/mute", (ctx, req) ->
                HttpResponse.delayed(HttpResponse.of(req.aggregate().thenApply(agg -> {
                    received.add(agg);
                    return HttpResponse.of(status);
                })), delay)).build();
        server.start().join();
        return server;
    }

    private static GatewayFixture fixture(Server receiver) {
        final URI url = URI.create("http://127.0.0.1:" + receiver.activeLocalPort() + "/hooks/mute");
        return new GatewayFixture(c -> c.withRecordingSync(new GatewayConfig.RecordingSync(url, SECRET, null)));
    }

    private static String[] call(GatewayFixture f) {
        final JsonNode c = GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/genesys/conversations", ""));
        return new String[] {c.get("conversationId").asText(), c.get("participants").get(0).get("id").asText()};
    }

    @Test
    void aConfirmedMuteIsSentSigned() throws Exception {
        final List<AggregatedHttpRequest> received = new CopyOnWriteArrayList<>();
        final Server receiver = receiver(received, HttpStatus.NO_CONTENT, Duration.ZERO);
        try (GatewayFixture f = fixture(receiver)) {
            final String[] call = call(f);
            assertThat(f.post("/v1/conversations/" + call[0] + "/participants/" + call[1] + "/mute",
                              "{\"muted\":true,\"maxDurationSeconds\":60}").status()).isEqualTo(HttpStatus.OK);
            await().until(() -> received.size() == 1);
            final AggregatedHttpRequest hook = received.get(0);
            assertThat(new WebhookSignature(SECRET).verify(hook.headers().get(WebhookSignature.HEADER),
                                                           hook.content().array(), Instant.now(),
                                                           Duration.ofMinutes(5))).isTrue();
            final JsonNode body = GatewayFixture.JSON.readTree(hook.contentUtf8());
            assertThat(body.get("event").asText()).isEqualTo("participant.mute_changed");
            assertThat(body.get("conversationId").asText()).isEqualTo(call[0]);
            assertThat(body.get("participantId").asText()).isEqualTo(call[1]);
            assertThat(body.get("muted").asBoolean()).isTrue();
            assertThat(body.get("cause").asText()).isEqualTo("mute");
            assertThat(body.get("id").asText()).isNotBlank();
        } finally {
            receiver.stop();
        }
    }

    @Test
    void aSlowFailingReceiverNeverHoldsUpTheMute() {
        final List<AggregatedHttpRequest> received = new CopyOnWriteArrayList<>();
        final Server receiver = receiver(received, HttpStatus.SERVICE_UNAVAILABLE, Duration.ofSeconds(3));
        try (GatewayFixture f = fixture(receiver)) {
            final String[] call = call(f);
            final long start = System.nanoTime();
            assertThat(f.post("/v1/conversations/" + call[0] + "/participants/" + call[1] + "/mute",
                              "{\"muted\":true}").status()).isEqualTo(HttpStatus.OK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        } finally {
            receiver.stop();
        }
    }
}
