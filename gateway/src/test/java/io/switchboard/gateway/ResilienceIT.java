package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;
import com.linecorp.armeria.client.circuitbreaker.CircuitState;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.server.Server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SendDtmfResponse;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.core.testing.LoopbackPorts;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.sandbox.Sandbox;

/** The circuit breaker and graceful shutdown, against real sockets. */
class ResilienceIT {

    @Test
    void anUpstreamThatIsDownOpensTheBreakerWhichRecoversWhenItReturns() {
        final int upstreamPort = LoopbackPorts.free(); // nothing listens here yet: connections are refused
        final URI upstream = URI.create("http://127.0.0.1:" + upstreamPort);
        final GatewayConfig config = GatewayFixture.baseConfig()
                .withGenesys(io.switchboard.platforms.genesys.GenesysOptions.at(upstream, Sandbox.DEFAULT_CLIENT))
                .withBreaker(new GatewayConfig.Breaker(0.5, 3L, Duration.ofSeconds(1), Duration.ofMillis(200),
                                                       Duration.ofSeconds(5)));
        try (Gateway gateway = Gateway.start(config)) {
            final CallControlGrpc.CallControlBlockingStub client =
                    GrpcClients.newClient(gateway.uri(), CallControlGrpc.CallControlBlockingStub.class);
            final SetVolumeRequest request = SetVolumeRequest.newBuilder().setSessionId("s-1").setVolume(0.5f).build();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                final StatusRuntimeException e =
                        catchThrowableOfType(StatusRuntimeException.class, () -> client.setVolume(request));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("circuit breaker open");
            });
            assertThat(gateway.breaker("genesys-callcontrol").orElseThrow().circuitState()).isEqualTo(CircuitState.OPEN);
            final String open = com.linecorp.armeria.client.WebClient.of(gateway.uri()).blocking().get("/metrics")
                                                                      .contentUtf8();
            assertThat(open).contains("switchboard_circuit_breaker_state{name=\"genesys-callcontrol\"} 0.0")
                            .containsPattern("switchboard_circuit_breaker_requests_total\\{name=\"genesys-callcontrol\","
                                             + "result=\"failure\"\\} [1-9]")
                            .containsPattern("switchboard_circuit_breaker_rejected_requests_total\\{name=\"genesys-"
                                             + "callcontrol\"\\} [1-9]")
                            .contains("switchboard_circuit_breaker_transitions_total{name=\"genesys-callcontrol\","
                                      + "state=\"open\"}");

            final Server sandbox = Sandbox.builder().build().start("127.0.0.1", upstreamPort);
            try {
                final String session = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(com.linecorp.armeria.client.WebClient.of(upstream).blocking()
                                          .post("/sandbox/v1/sessions", "").contentUtf8())
                        .get("sessionId").asText();
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                        client.setVolume(request.toBuilder().setSessionId(session).build()).getSuccess()).isTrue());
                assertThat(gateway.breaker("genesys-callcontrol").orElseThrow().circuitState()).isEqualTo(CircuitState.CLOSED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                sandbox.stop();
            }
        }
    }

    @Test
    void gracefulShutdownLetsInFlightCommandsFinish() throws Exception {
        final GatewayFixture f = new GatewayFixture();
        try {
            final String session = f.createSession();
            f.faults("{\"latencyMs\":800}");
            final ListenableFuture<SendDtmfResponse> inFlight = f.grpcFutures().sendDtmf(
                    SendDtmfRequest.newBuilder().setSessionId(session).setTones("3").build());
            await().until(() -> f.stats().get("callControlRequests").asInt() == 1);
            final CompletableFuture<Void> closing = f.gateway.closeAsync();
            assertThat(inFlight.get(10, TimeUnit.SECONDS).getSuccess()).isTrue();
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            f.sandbox.stop();
        }
    }
}
