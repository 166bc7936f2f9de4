package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;

import io.switchboard.gateway.config.GatewayConfig;

/** DTMF and volume on the Genesys Cloud Platform API provider ({@code genesys.callControl: platform-api}). */
class PlatformApiCallControlIT {

    private static GatewayFixture fixture() {
        return new GatewayFixture(c -> c.withGenesys(c.genesys().withCallControl(io.switchboard.platforms.genesys.GenesysOptions.CallControlApi.PLATFORM_API)));
    }

    @Test
    void dtmfGoesToTheParticipantsDigitsEndpoint() {
        try (GatewayFixture f = fixture()) {
            final JsonNode call = GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/genesys/conversations", ""));
            final String conversation = call.get("conversationId").asText();
            final String participant = call.get("participants").get(1).get("id").asText();
            final AggregatedHttpResponse r = f.post("/v1/sessions/" + conversation + "%3A" + participant + "/dtmf",
                                                    "{\"tones\":\"12#\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(r).get("attempts").asInt()).as("one request for all tones").isEqualTo(1);
            final JsonNode after = GatewayFixture.json(
                    f.sandboxAdmin.get("/sandbox/v1/genesys/conversations/" + conversation));
            assertThat(after.get("participants").get(1).get("digits").get(0).asText()).isEqualTo("12#");

            final AggregatedHttpResponse timed = f.post("/v1/sessions/" + conversation + "%3A" + participant + "/dtmf",
                                                        "{\"tones\":\"1\",\"durationMs\":300}");
            assertThat(timed.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
            assertThat(GatewayFixture.json(timed).get("message").asText()).contains("cannot be set");
        }
    }

    @Test
    void volumeIsNotSupportedByGenesysCloud() {
        try (GatewayFixture f = fixture()) {
            final AggregatedHttpResponse r = f.post(
                    "/v1/sessions/00000000-0000-4000-8000-000000000001%3A00000000-0000-4000-8000-000000000002/volume",
                    "{\"volume\":0.5}");
            assertThat(r.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
            assertThat(GatewayFixture.json(r).get("message").asText()).contains("not supported by Genesys Cloud");
            assertThat(f.stats().get("platformRequests").asInt()).isZero();
        }
    }

    @Test
    void aSessionMustNameConversationAndParticipant() {
        try (GatewayFixture f = fixture()) {
            final AggregatedHttpResponse r = f.post("/v1/sessions/just-one-id/dtmf", "{\"tones\":\"1\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(r).get("message").asText())
                    .isEqualTo("session_id: \"just-one-id\" (expected: <conversationId>:<participantId>, both UUIDs, "
                               + "on the Genesys Cloud Platform API)");
        }
    }
}
