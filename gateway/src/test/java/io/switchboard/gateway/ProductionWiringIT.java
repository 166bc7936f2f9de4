package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.switchboard.api.v1.FlowsGrpc;
import io.switchboard.api.v1.StartFlowRequest;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.sandbox.Sandbox;

/**
 * A gateway with credentials for one platform and not the other serves no simulated platform:
 * the unconfigured platform's capabilities answer 422 naming what to set, the simulator's
 * routes do not exist, and the banner says which platform goes where. With a simulator, its
 * routes sit behind the API keys like every other route.
 */
class ProductionWiringIT {

    private static final String KEY = "ops-key-0123456789abcdef";

    private static GatewayConfig.Auth keys() {
        return new GatewayConfig.Auth(List.of(new GatewayConfig.ApiKey("ops", KEY, null, List.of("calls:write"))));
    }

    private static AggregatedHttpResponse post(BlockingWebClient client, String path, String json) {
        return client.execute(HttpRequest.builder().post(path).header("authorization", "Bearer " + KEY)
                                         .content(MediaType.JSON, json).build());
    }

    @Test
    void genesysWithoutCxoneServesNoSimulatorAndAnswersCxoneIsNotConfigured() {
        final Server genesys = Sandbox.builder().build().start("127.0.0.1", 0);
        // A gateway with real-looking Genesys credentials (here a separate simulator) and no CXone ones.
        final URI genesysUri = URI.create("http://127.0.0.1:" + genesys.activeLocalPort());
        try (Gateway gateway = Gateway.start(GatewayFixture.baseConfig().withAuth(keys())
                                                           .withGenesys(GenesysOptions.at(genesysUri,
                                                                                          Sandbox.DEFAULT_CLIENT)))) {
            final BlockingWebClient client = WebClient.of(gateway.uri()).blocking();
            assertThat(gateway.usesSandbox()).isFalse();

            // No simulated platform on the gateway's port, with or without a key.
            assertThat(client.post("/sandbox/v1/sessions", "").status()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(post(client, "/sandbox/v1/sessions", "").status()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(post(client, "/sandbox/v1/cxone/calls", "{}").status()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(client.execute(HttpRequest.builder().post("/oauth/token")
                                                 .header("authorization", "Bearer " + KEY)
                                                 .content(MediaType.FORM_DATA, "grant_type=client_credentials")
                                                 .build()).status()).isEqualTo(HttpStatus.NOT_FOUND);

            // Play, collect and flows answer 422 naming CXone and what to set.
            for (AggregatedHttpResponse r : List.of(
                    post(client, "/v1/calls/call-1/play", "{\"mediaUrl\":\"https://media.example.com/a.wav\"}"),
                    post(client, "/v1/calls/call-1/collect", "{\"maxDigits\":4}"),
                    post(client, "/v1/calls/call-1/flows", "{\"flow\":\"outbound-verification\"}"))) {
                assertThat(r.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
                assertThat(GatewayFixture.json(r).get("message").asText())
                        .contains("cxone is not configured: set CXONE_CLIENT_ID and CXONE_CLIENT_SECRET");
            }
            final FlowsGrpc.FlowsBlockingStub flows =
                    GrpcClients.builder(gateway.uri()).addHeader("authorization", "Bearer " + KEY)
                               .build(FlowsGrpc.FlowsBlockingStub.class);
            try {
                flows.startFlow(StartFlowRequest.newBuilder().setCallId("call-1").setName("outbound-verification")
                                                .build());
                throw new AssertionError("a flow started without CXone");
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains("cxone is not configured");
            }

            // Genesys still works, against its own (separate) host.
            final String session = GatewayFixture.json(WebClient.of(genesysUri).blocking()
                                                                 .post("/sandbox/v1/sessions", ""))
                                                  .get("sessionId").asText();
            assertThat(post(client, "/v1/sessions/" + session + "/dtmf", "{\"tones\":\"1\"}").status())
                    .isEqualTo(HttpStatus.OK);

            assertThat(gateway.banner())
                    .anySatisfy(line -> assertThat(line).contains("platform genesys: call control at "
                                                                  + "http://127.0.0.1:" + genesys.activeLocalPort()))
                    .anySatisfy(line -> assertThat(line).contains("platform cxone: not configured"))
                    .anySatisfy(line -> assertThat(line).contains("media -> cxone (unavailable: cxone is not "
                                                                  + "configured"));
        } finally {
            genesys.stop();
        }
    }

    @Test
    void theSimulatorsRoutesNeedAKeyWhenKeysAreConfigured() {
        try (Gateway gateway = Gateway.builder(GatewayFixture.baseConfig().withAuth(keys()))
                                      .simulator(GatewayFixture.simulator()).start()) {
            final BlockingWebClient client = WebClient.of(gateway.uri()).blocking();
            // The admin API needs a key; the emulated token endpoint takes the simulator's own client only.
            assertThat(client.post("/sandbox/v1/sessions", "").status()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(client.execute(HttpRequest.builder().post("/oauth/token")
                                                 .content(MediaType.FORM_DATA,
                                                          "grant_type=client_credentials&client_id=sandbox"
                                                          + "&client_secret=wrong").build()).status())
                    .isEqualTo(HttpStatus.UNAUTHORIZED);
            final AggregatedHttpResponse created = post(client, "/sandbox/v1/sessions", "");
            assertThat(created.status()).isEqualTo(HttpStatus.CREATED);
            // The gateway's own clients reach the simulator with its client, not through the keys.
            final String session = GatewayFixture.json(created).get("sessionId").asText();
            assertThat(post(client, "/v1/sessions/" + session + "/dtmf", "{\"tones\":\"1\"}").status())
                    .isEqualTo(HttpStatus.OK);
            assertThat(gateway.banner()).anySatisfy(line -> assertThat(line).contains("platform genesys: SIMULATED"));
        }
    }

    @Test
    void theSimulatorBeyondLoopbackWithoutKeysIsRefused() {
        assertThatThrownBy(() -> Gateway.builder(GatewayFixture.baseConfig().withServer(
                                                GatewayFixture.baseConfig().server().withAddress("0.0.0.0", 0)))
                                        .simulator(GatewayFixture.simulator()).start())
                .isInstanceOf(Gateway.GatewayStartException.class)
                .hasMessageContaining("refusing to listen on 0.0.0.0 without inbound credentials");
    }

    @Test
    void oneFeatureStartsAloneOnARealServer() {
        try (Gateway gateway = Gateway.builder(GatewayFixture.baseConfig())
                                      .features(java.util.EnumSet.of(Gateway.Feature.COMPLIANCE)).start()) {
            final BlockingWebClient client = WebClient.of(gateway.uri()).blocking();
            final AggregatedHttpResponse validated = client.execute(
                    HttpRequest.builder().post("/validate?at=2026-11-21T18:00:00Z")
                               .content(MediaType.JSON, "[{\"phoneNumber\":\"+12125550100\",\"campaignId\":\"c1\"}]")
                               .build());
            assertThat(validated.status()).isEqualTo(HttpStatus.OK);
            assertThat(validated.contentUtf8()).contains("\"reason\":\"allowed\"");
            assertThat(client.execute(HttpRequest.builder().post("/v1/sessions/s1/dtmf")
                                                 .content(MediaType.JSON, "{\"tones\":\"1\"}").build()).status())
                    .isEqualTo(HttpStatus.NOT_FOUND);
        }
    }

    @Test
    void readinessListsEachComponent() {
        try (Gateway gateway = Gateway.builder(GatewayFixture.baseConfig()).simulator(GatewayFixture.simulator())
                                      .start()) {
            final BlockingWebClient client = WebClient.of(gateway.uri()).blocking();
            final AggregatedHttpResponse ready = client.get("/health/ready");
            assertThat(ready.status()).isEqualTo(HttpStatus.OK);
            final JsonNode body = GatewayFixture.json(ready);
            assertThat(body.get("ready").asBoolean()).isTrue();
            assertThat(body.get("phase").asText()).isEqualTo("serving");
            assertThat(body.get("components").findValuesAsText("name"))
                    .contains("dnc-store", "breaker:genesys-callcontrol", "breaker:genesys-platform", "breaker:cxone");
            assertThat(client.get("/health").status()).isEqualTo(HttpStatus.OK);
            assertThat(client.get("/health/live").status()).isEqualTo(HttpStatus.OK);
        }
    }
}
