package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.gateway.config.GatewayConfig;

/** Mute with state check, read-back, timed unmute and audit, against the sandbox's Genesys endpoints. */
class MuteIT {

    /** A sandbox call: its id and the customer's participant id. */
    record Call(String conversationId, String participantId) {}

    private static Call call(GatewayFixture f, String state) {
        final String body = state == null ? ""
                                          : "{\"participants\":[{\"purpose\":\"customer\",\"state\":\"" + state + "\"}]}";
        final JsonNode c = GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/genesys/conversations", body));
        return new Call(c.get("conversationId").asText(), c.get("participants").get(0).get("id").asText());
    }

    private static boolean mutedInSandbox(GatewayFixture f, Call call) {
        return GatewayFixture.json(f.sandboxAdmin.get("/sandbox/v1/genesys/conversations/" + call.conversationId()))
                             .get("participants").get(0).get("muted").asBoolean();
    }

    private static AggregatedHttpResponse mute(GatewayFixture f, Call call, String body) {
        return f.post("/v1/conversations/" + call.conversationId() + "/participants/" + call.participantId() + "/mute",
                      body);
    }

    private static Path dataDir() throws Exception {
        return Files.createTempDirectory("switchboard-mute");
    }

    @Test
    void mutesConfirmsByReadingBackAndAudits() throws Exception {
        final Path dataDir = dataDir();
        try (GatewayFixture f = new GatewayFixture(c -> c.withDataDir(dataDir))) {
            final Call call = call(f, null);
            final AggregatedHttpResponse r = mute(f, call, "{\"muted\":true,\"maxDurationSeconds\":1800,\"reason\":\"pci\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.OK);
            final JsonNode answer = GatewayFixture.json(r);
            assertThat(answer.get("muted").asBoolean()).isTrue();
            assertThat(answer.get("participantState").asText()).isEqualTo("connected");
            assertThat(Instant.parse(answer.get("unmuteAt").asText()))
                    .isBetween(Instant.now().plusSeconds(1790), Instant.now().plusSeconds(1800));
            assertThat(mutedInSandbox(f, call)).isTrue();

            final Path trail = dataDir.resolve(Gateway.AUDIT_FILE);
            await().until(() -> Files.exists(trail) && !Files.readAllLines(trail).isEmpty());
            final JsonNode line = GatewayFixture.JSON.readTree(Files.readAllLines(trail).get(0));
            assertThat(line.get("action").asText()).isEqualTo("mute");
            assertThat(line.get("conversation_id").asText()).isEqualTo(call.conversationId());
            assertThat(line.get("participant_id").asText()).isEqualTo(call.participantId());
            assertThat(line.get("status").asText()).isEqualTo("OK");
            assertThat(line.get("detail").asText()).contains("reason=pci");
            assertThat(Files.readString(dataDir.resolve(Gateway.PENDING_UNMUTES_FILE)))
                    .contains(call.participantId());
        }
    }

    @Test
    void aTimedMuteEndsByItself() throws Exception {
        final Path dataDir = dataDir();
        try (GatewayFixture f = new GatewayFixture(c -> c.withDataDir(dataDir))) {
            final Call call = call(f, null);
            assertThat(mute(f, call, "{\"muted\":true,\"maxDurationSeconds\":1}").status()).isEqualTo(HttpStatus.OK);
            assertThat(mutedInSandbox(f, call)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> !mutedInSandbox(f, call));
            final Path trail = dataDir.resolve(Gateway.AUDIT_FILE);
            await().until(() -> Files.readString(trail).contains("\"action\":\"auto_unmute\",\"status\":\"OK\""));
            await().until(() -> !Files.readString(dataDir.resolve(Gateway.PENDING_UNMUTES_FILE))
                                      .contains(call.participantId()));
        }
    }

    @Test
    void anUnmuteCancelsThePendingTimedUnmute() throws Exception {
        final Path dataDir = dataDir();
        try (GatewayFixture f = new GatewayFixture(c -> c.withDataDir(dataDir))) {
            final Call call = call(f, null);
            mute(f, call, "{\"muted\":true,\"maxDurationSeconds\":600}");
            final AggregatedHttpResponse r = mute(f, call, "{\"muted\":false}");
            assertThat(GatewayFixture.json(r).get("muted").asBoolean()).isFalse();
            assertThat(Files.readString(dataDir.resolve(Gateway.PENDING_UNMUTES_FILE))).doesNotContain(call.participantId());
        }
    }

    @Test
    void aParticipantThatIsNotConnectedAnswers409NamingItsState() {
        try (GatewayFixture f = new GatewayFixture()) {
            final Call call = call(f, "disconnected");
            final AggregatedHttpResponse r = mute(f, call, "{\"muted\":true}");
            assertThat(r.status()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(GatewayFixture.json(r).get("message").asText())
                    .isEqualTo("participant " + call.participantId() + " is disconnected (expected: connected)");
            assertThat(mutedInSandbox(f, call)).isFalse();
        }
    }

    @Test
    void badIdsAndBoundsAnswer400NamingTheField() {
        try (GatewayFixture f = new GatewayFixture()) {
            final AggregatedHttpResponse id = f.post("/v1/conversations/not-a-uuid/participants/"
                                                     + "00000000-0000-4000-8000-000000000000/mute", "{\"muted\":true}");
            assertThat(id.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(id).get("message").asText())
                    .isEqualTo("conversation_id: \"not-a-uuid\" (expected: a UUID)");
            final Call call = call(f, null);
            final AggregatedHttpResponse bound = mute(f, call, "{\"muted\":true,\"maxDurationSeconds\":7201}");
            assertThat(GatewayFixture.json(bound).get("message").asText())
                    .isEqualTo("max_duration_seconds: 7201 (expected: 1..7200)");
            final AggregatedHttpResponse unmuteFor = mute(f, call, "{\"muted\":false,\"maxDurationSeconds\":5}");
            assertThat(GatewayFixture.json(unmuteFor).get("message").asText())
                    .isEqualTo("max_duration_seconds: 5 (expected: only with muted: true)");
        }
    }

    @Test
    void aRateLimitIsWaitedOutButAnHourLongOneFailsAtOnce() {
        try (GatewayFixture f = new GatewayFixture()) {
            final Call call = call(f, null);
            f.faults("{\"rateLimit\":{\"count\":1,\"retryAfterMs\":1000}}");
            final long start = System.nanoTime();
            assertThat(mute(f, call, "{\"muted\":true}").status()).isEqualTo(HttpStatus.OK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));

            f.faults("{\"rateLimit\":{\"count\":1,\"retryAfterMs\":3600000}}");
            final long again = System.nanoTime();
            final AggregatedHttpResponse r = mute(f, call, "{\"muted\":false}");
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofSeconds(5));
            assertThat(r.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(r.headers().get("retry-after")).isEqualTo("3600");
            assertThat(GatewayFixture.json(r).get("message").asText()).contains("3600 s").contains("180 s");
        }
    }

    @Test
    void aGatewayStoppedDuringATimedMuteUnmutesAfterItRestarts() throws Exception {
        final Path dataDir = dataDir();
        final GatewayFixture first = new GatewayFixture(c -> c.withDataDir(dataDir));
        final Call call = call(first, null);
        assertThat(mute(first, call, "{\"muted\":true,\"maxDurationSeconds\":2}").status()).isEqualTo(HttpStatus.OK);
        first.gateway.close();
        assertThat(mutedInSandbox(first, call)).as("nobody unmuted it while the gateway was down").isTrue();

        final GatewayConfig again = GatewayFixture.baseConfig()
                .withDataDir(dataDir)
                .withGenesys(io.switchboard.platforms.genesys.GenesysOptions.at(
                        java.net.URI.create("http://127.0.0.1:" + first.sandbox.activeLocalPort()),
                        io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT));
        final Gateway second = Gateway.start(again);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !mutedInSandbox(first, call));
            final List<String> trail = Files.readAllLines(dataDir.resolve(Gateway.AUDIT_FILE));
            assertThat(trail.get(trail.size() - 1)).contains("\"action\":\"auto_unmute\"").contains("\"status\":\"OK\"");
            assertThat(io.switchboard.core.audit.AuditVerifier.verify(dataDir.resolve(Gateway.AUDIT_FILE)).intact())
                    .isTrue();
        } finally {
            second.closeAsync();
            first.sandbox.stop();
        }
    }
}
