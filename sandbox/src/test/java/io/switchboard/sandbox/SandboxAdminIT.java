package io.switchboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

/** The sandbox's token endpoint and admin API over HTTP. */
class SandboxAdminIT {

    private static Server server;
    private static BlockingWebClient client;

    @BeforeAll
    static void start() {
        server = Sandbox.builder().build().start("127.0.0.1", 0);
        client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort()).blocking();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static AggregatedHttpResponse put(String path, String json) {
        return client.execute(HttpRequest.builder().put(path).content(MediaType.JSON, json).build());
    }

    private static AggregatedHttpResponse token(String form, String basic) {
        final var request = HttpRequest.builder().post("/oauth/token").content(MediaType.FORM_DATA, form);
        if (basic != null) {
            request.header(HttpHeaderNames.AUTHORIZATION, "Basic " + basic);
        }
        return client.execute(request.build());
    }

    @Test
    void issuesTokensForTheSandboxClientByBasicOrForm() {
        final AggregatedHttpResponse basic = token("grant_type=client_credentials", "c2FuZGJveDpzYW5kYm94");
        assertThat(basic.status()).isEqualTo(HttpStatus.OK);
        assertThat(basic.contentUtf8()).contains("\"access_token\":\"sbx-").contains("\"expires_in\":86400")
                                       .contains("\"token_type\":\"bearer\"");
        final AggregatedHttpResponse form =
                token("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox", null);
        assertThat(form.status()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void refusesOtherClientsAndGrantsAsOAuthSays() {
        final AggregatedHttpResponse wrong =
                token("grant_type=client_credentials&client_id=sandbox&client_secret=nope", null);
        assertThat(wrong.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(wrong.contentUtf8()).contains("\"error\":\"invalid_client\"");
        final AggregatedHttpResponse grant = token("grant_type=password", "c2FuZGJveDpzYW5kYm94");
        assertThat(grant.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(grant.contentUtf8()).contains("unsupported_grant_type");
    }

    @Test
    void sessionsCanBeCreatedReadAndEnded() {
        final AggregatedHttpResponse created = client.post("/sandbox/v1/sessions", "{\"sessionId\":\"agent-7\"}");
        assertThat(created.status()).isEqualTo(HttpStatus.CREATED);
        assertThat(created.contentUtf8()).contains("\"sessionId\":\"agent-7\"").contains("\"state\":\"active\"");
        assertThat(client.post("/sandbox/v1/sessions", "{\"sessionId\":\"agent-7\"}").status())
                .isEqualTo(HttpStatus.CONFLICT);
        assertThat(client.delete("/sandbox/v1/sessions/agent-7").status()).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(client.get("/sandbox/v1/sessions/agent-7").contentUtf8()).contains("\"state\":\"ended\"");
        assertThat(client.get("/sandbox/v1/sessions/nobody/events").status()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void faultsAreValidatedAndShown() {
        final AggregatedHttpResponse set =
                put("/sandbox/v1/faults", "{\"rateLimit\":{\"count\":2,\"retryAfterMs\":1500},\"latencyMs\":20}");
        assertThat(set.status()).isEqualTo(HttpStatus.OK);
        assertThat(set.contentUtf8()).contains("\"count\":2").contains("\"retryAfterMs\":1500")
                                     .contains("\"latencyMs\":20");
        final AggregatedHttpResponse unknown = put("/sandbox/v1/faults", "{\"rateLimits\":{\"count\":1}}");
        assertThat(unknown.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unknown.contentUtf8()).contains("rateLimits: unknown field");
        final AggregatedHttpResponse status = put("/sandbox/v1/faults", "{\"failure\":{\"count\":1,\"status\":\"BROKEN\"}}");
        assertThat(status.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status.contentUtf8()).contains("failure: (expected: count >= 0 and status a gRPC status name");
        assertThat(client.delete("/sandbox/v1/faults").status()).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(client.get("/sandbox/v1/faults").contentUtf8()).contains("\"latencyMs\":0");
    }

    @Test
    void everyAdminEndpointAnswersABadBodyAlike() {
        final AggregatedHttpResponse syntax = client.post("/sandbox/v1/genesys/dnclists", "{not json");
        assertThat(syntax.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(syntax.contentUtf8()).contains("\"error\":\"invalid_json\"")
                                        .contains("body is not valid JSON");
        final AggregatedHttpResponse unknown = client.post("/sandbox/v1/genesys/campaigns", "{\"dncLists\":[]}");
        assertThat(unknown.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(unknown.contentUtf8()).contains("\"error\":\"invalid_argument\"")
                                         .contains("dncLists: unknown field");
        assertThat(client.post("/sandbox/v1/genesys/conversations", "").status()).isEqualTo(HttpStatus.CREATED);
    }
}
