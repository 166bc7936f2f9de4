package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.core.testing.LoopbackPorts;

/**
 * Ready means ready: polled from the moment a gateway starts, readiness never says 200 before
 * commands can be served, and it says 503 as soon as shutdown begins.
 */
class ReadinessIT {

    private static final int STARTS = 15;

    @Test
    void theFirstReadyAnswerIsFollowedByAServedCommandEveryTime() throws Exception {
        for (int i = 0; i < STARTS; i++) {
            final int port = LoopbackPorts.free();
            final CompletableFuture<Gateway> starting = CompletableFuture.supplyAsync(
                    () -> Gateway.builder(GatewayFixture.baseConfig()
                                                        .withServer(GatewayFixture.baseConfig().server()
                                                                                  .withAddress("127.0.0.1", port)))
                                 .simulator(GatewayFixture.simulator()).start());
            final BlockingWebClient client = WebClient.builder("http://127.0.0.1:" + port)
                                                      .responseTimeout(Duration.ofSeconds(5)).build().blocking();
            awaitReady(client, starting);
            final String session = GatewayFixture.json(client.post("/sandbox/v1/sessions", ""))
                                                 .get("sessionId").asText();
            final AggregatedHttpResponse dtmf = client.execute(
                    HttpRequest.builder().post("/v1/sessions/" + session + "/dtmf")
                               .content(MediaType.JSON, "{\"tones\":\"5\"}").build());
            assertThat(dtmf.status()).as("DTMF right after the first ready answer, start %d", i)
                                     .isEqualTo(HttpStatus.OK);
            final Gateway gateway = starting.join();
            final CompletableFuture<Void> stopped = gateway.closeAsync();
            // Readiness turns first: in-flight requests still drain within the grace period.
            assertThat(gateway.config().server().shutdownGrace()).isPositive();
            if (!stopped.isDone()) {
                final AggregatedHttpResponse draining = client.get("/health/ready");
                assertThat(draining.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            }
            stopped.join();
        }
    }

    private static void awaitReady(BlockingWebClient client, CompletableFuture<Gateway> starting)
            throws InterruptedException {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < giveUp) {
            if (starting.isCompletedExceptionally()) {
                starting.join();
            }
            try {
                if (client.get("/health/ready").status() == HttpStatus.OK) {
                    return;
                }
            } catch (RuntimeException notListeningYet) {
                // Connection refused until the server binds: keep polling.
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the gateway did not become ready within 30 s");
    }
}
