package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/** With no platform credentials the gateway serves the sandbox on its own port. */
class ZeroSetupIT {

    @Test
    void theBuiltInSandboxServesOnTheGatewaysOwnPort() {
        final Gateway gateway = Gateway.builder(GatewayFixture.baseConfig()).simulator(GatewayFixture.simulator()).start();
        try {
            assertThat(gateway.usesSandbox()).isTrue();
            final BlockingWebClient client = WebClient.of(gateway.uri()).blocking();
            final String session = GatewayFixture.json(client.post("/sandbox/v1/sessions", ""))
                                                 .get("sessionId").asText();
            final var answer = client.execute(HttpRequest.builder().post("/v1/sessions/" + session + "/dtmf")
                                                         .content(MediaType.JSON, "{\"tones\":\"12#\"}").build());
            assertThat(answer.status()).isEqualTo(HttpStatus.OK);
            final JsonNode events = GatewayFixture.json(client.get("/sandbox/v1/sessions/" + session + "/events"));
            assertThat(events.get("events")).hasSize(3);
            assertThat(events.get("events").get(2).get("tone").asText()).isEqualTo("#");
            assertThat(events.get("events").get(2).get("durationMs").asInt()).isEqualTo(100);
        } finally {
            gateway.closeAsync();
        }
    }
}
