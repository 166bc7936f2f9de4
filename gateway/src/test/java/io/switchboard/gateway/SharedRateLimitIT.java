package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.core.testing.TestRedis;
import io.switchboard.gateway.config.GatewayConfig;

/** Two gateways with one OAuth client share its Platform API rate limit through a real Redis. */
class SharedRateLimitIT {

    @Test
    void twoGatewaysOnOneRedisStayUnderTheClientsLimitTogether() {
        try (TestRedis redis = TestRedis.start();
             GatewayFixture first = new GatewayFixture(c -> limited(c, redis))) {
            final Gateway second = Gateway.start(limited(GatewayFixture.baseConfig(), redis).withGenesys(
                    first.gateway.config().genesys()));
            try {
                final JsonNode call = GatewayFixture.json(first.sandboxAdmin.post("/sandbox/v1/genesys/conversations", ""));
                final String session = call.get("conversationId").asText() + "%3A"
                                       + call.get("participants").get(0).get("id").asText();
                final BlockingWebClient a = first.rest;
                final BlockingWebClient b = WebClient.of(second.uri()).blocking();
                int ok = 0;
                int limited = 0;
                for (int i = 0; i < 3; i++) {
                    for (BlockingWebClient client : new BlockingWebClient[] {a, b}) {
                        final HttpStatus status = client.execute(
                                HttpRequest.builder().post("/v1/sessions/" + session + "/dtmf")
                                           .content(MediaType.JSON, "{\"tones\":\"1\"}").build()).status();
                        if (status == HttpStatus.OK) {
                            ok++;
                        } else if (status == HttpStatus.TOO_MANY_REQUESTS) {
                            limited++;
                        }
                    }
                }
                assertThat(ok).as("4 a minute for the client, across both gateways").isEqualTo(4);
                assertThat(limited).isEqualTo(2);
                assertThat(first.stats().get("platformRequests").asInt()).isEqualTo(4);
            } finally {
                second.closeAsync();
            }
        }
    }

    private static GatewayConfig limited(GatewayConfig c, TestRedis redis) {
        return c.withRedis(new GatewayConfig.Redis(URI.create(redis.uri())))
                .withGenesys(c.genesys().withCallControl(io.switchboard.platforms.genesys.GenesysOptions.CallControlApi.PLATFORM_API)
                              .withRequestsPerMinute(4));
    }
}
