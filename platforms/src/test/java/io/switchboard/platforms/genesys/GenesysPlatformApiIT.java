package io.switchboard.platforms.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.core.resilience.UpstreamException;
import io.switchboard.platforms.testing.SandboxGenesys;

/** The Platform API client against the sandbox's Genesys endpoints, over real sockets. */
class GenesysPlatformApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SandboxGenesys sandbox;
    private static BlockingWebClient admin;
    private static GenesysPlatformApi api;

    @BeforeAll
    static void start() {
        sandbox = new SandboxGenesys();
        admin = sandbox.admin();
        api = sandbox.api();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void clearFaults() {
        admin.delete("/sandbox/v1/faults");
    }

    private static JsonNode createCall(String body) throws Exception {
        return JSON.readTree(admin.post("/sandbox/v1/genesys/conversations", body).contentUtf8());
    }

    private static Instant deadline() {
        return Instant.now().plusSeconds(10);
    }

    private static UpstreamException failure(Runnable call) {
        final CompletionException e = catchThrowableOfType(CompletionException.class, call::run);
        assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
        return (UpstreamException) e.getCause();
    }

    @Test
    void readsACallAndItsParticipants() throws Exception {
        final JsonNode call = createCall("");
        final CallConversation c = api.callConversation(call.get("conversationId").asText(), deadline()).join();
        assertThat(c.participants()).hasSize(2);
        assertThat(c.participants().get(0).purpose()).isEqualTo("customer");
        assertThat(c.participants().get(0).state()).isEqualTo("connected");
        assertThat(c.participants().get(0).muted()).isFalse();
    }

    @Test
    void mutesAParticipantAndTheChangeReadsBack() throws Exception {
        final JsonNode call = createCall("");
        final String conversation = call.get("conversationId").asText();
        final String participant = call.get("participants").get(0).get("id").asText();
        final GenesysPlatformApi.Answered answered = api.setMuted(conversation, participant, true, deadline()).join();
        assertThat(answered.correlationId()).isNotBlank();
        assertThat(api.callConversation(conversation, deadline()).join().participant(participant).orElseThrow().muted())
                .isTrue();
    }

    @Test
    void aParticipantThatIsNotConnectedIsRejectedWithGenesysErrorCode() throws Exception {
        final JsonNode call = createCall("{\"participants\":[{\"purpose\":\"customer\",\"state\":\"disconnected\"}]}");
        final UpstreamException e = failure(() -> api.setMuted(call.get("conversationId").asText(),
                call.get("participants").get(0).get("id").asText(), true, deadline()).join());
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.REJECTED);
        assertThat(e.getMessage()).contains("HTTP 400 conversation.participant.not.connected");
        assertThat(e.correlationId()).isPresent();
        assertThat(e.attempts()).isEqualTo(1);
    }

    @Test
    void anUnknownConversationIsNotFound() {
        final UpstreamException e = failure(() -> api.callConversation("3f1a2b4c-0000-4000-8000-000000000000",
                                                                        deadline()).join());
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("not.found");
    }

    @Test
    void a429IsWaitedOutAsRetryAfterSays() throws Exception {
        final JsonNode call = createCall("");
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults")
                                 .content(MediaType.JSON, "{\"rateLimit\":{\"count\":1,\"retryAfterMs\":1000}}").build());
        final long start = System.nanoTime();
        final CallConversation c = api.callConversation(call.get("conversationId").asText(), deadline()).join();
        assertThat(c.id()).isEqualTo(call.get("conversationId").asText());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterOfAnHourFailsAtOnce() throws Exception {
        final JsonNode call = createCall("");
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults")
                                 .content(MediaType.JSON, "{\"rateLimit\":{\"count\":1,\"retryAfterMs\":3600000}}")
                                 .build());
        final long start = System.nanoTime();
        final UpstreamException e = failure(() -> api.callConversation(call.get("conversationId").asText(),
                                                                        deadline()).join());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3600));
        assertThat(e.getMessage()).contains("3600 s").contains("180 s");
    }

    @Test
    void sendsDigitsFromAParticipant() throws Exception {
        final JsonNode call = createCall("");
        final String conversation = call.get("conversationId").asText();
        final String participant = call.get("participants").get(1).get("id").asText();
        api.sendDigits(conversation, participant, "12#", deadline()).join();
        final JsonNode after = JSON.readTree(admin.get("/sandbox/v1/genesys/conversations/" + conversation)
                                                  .contentUtf8());
        assertThat(after.get("participants").get(1).get("digits").get(0).asText()).isEqualTo("12#");
    }
}
