package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.switchboard.platforms.genesys.GenesysOptions;

/**
 * A token endpoint that echoes its request (some do, in their error descriptions) must not carry
 * the client secret, or the Basic header made of it, into API answers.
 */
class SecretEchoIT {

    private static final String CLIENT_ID = "echo-client";
    private static final String SECRET = "s3cr3t-value-0123456789";

    @Test
    void anEchoingTokenEndpointNeverPutsTheSecretIntoAnswers() throws Exception {
        final Server echo = Server.builder().http(0).service("/oauth/token", (ctx, req) -> HttpResponse.of(
                req.aggregate().thenApply(r -> {
                    final ObjectNode body = GatewayFixture.JSON.createObjectNode()
                            .put("error", "invalid_client")
                            .put("error_description", "rejected request: " + r.contentUtf8() + " with "
                                                      + r.headers().get(HttpHeaderNames.AUTHORIZATION));
                    return HttpResponse.of(HttpStatus.UNAUTHORIZED, MediaType.JSON_UTF_8, body.toString());
                }))).build();
        echo.start().join();
        final URI base = URI.create("http://127.0.0.1:" + echo.activeLocalPort());
        final GenesysOptions genesys = new GenesysOptions(base.toString(), null, base, base.resolve("/oauth/token"),
                                                          CLIENT_ID, SECRET, null, null, null);
        final String basic = Base64.getEncoder().encodeToString((CLIENT_ID + ':' + SECRET)
                                                                        .getBytes(StandardCharsets.UTF_8));
        try (Gateway gateway = Gateway.start(GatewayFixture.baseConfig().withGenesys(genesys))) {
            final var client = com.linecorp.armeria.client.WebClient.of(gateway.uri()).blocking();
            // The gRPC contract's form grant (client_secret in the body), and the Platform API's Basic grant.
            for (String path : new String[] {"/v1/sessions/s1/dtmf",
                                             "/v1/conversations/" + java.util.UUID.randomUUID() + "/participants/"
                                             + java.util.UUID.randomUUID() + "/mute"}) {
                final AggregatedHttpResponse answer = client.execute(
                        com.linecorp.armeria.common.HttpRequest.builder().post(path)
                                .content(MediaType.JSON, path.endsWith("dtmf") ? "{\"tones\":\"1\"}"
                                                                               : "{\"muted\":true}").build());
                assertThat(answer.status().isSuccess()).as(path).isFalse();
                assertThat(answer.contentUtf8()).as(path)
                        .contains("invalid_client").contains("<redacted>")
                        .doesNotContain(SECRET).doesNotContain(basic);
            }
        } finally {
            echo.stop();
        }
    }
}
