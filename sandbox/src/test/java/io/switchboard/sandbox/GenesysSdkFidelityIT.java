package io.switchboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.api.ConversationsApi;
import com.mypurecloud.sdk.v2.model.CallConversation;
import com.mypurecloud.sdk.v2.model.CallMediaParticipant;
import com.mypurecloud.sdk.v2.model.Digits;
import com.mypurecloud.sdk.v2.model.MediaParticipantRequest;

/**
 * Drives the sandbox with the official Genesys Cloud Java SDK: if the SDK can call these
 * endpoints and read their answers, so can Switchboard against the real API.
 */
class GenesysSdkFidelityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Server server;
    private static String base;
    private static BlockingWebClient admin;
    private static ConversationsApi conversations;

    @BeforeAll
    static void start() throws Exception {
        server = Sandbox.builder().build().start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.activeLocalPort();
        admin = WebClient.of(base).blocking();
        final String token = JSON.readTree(admin.execute(
                HttpRequest.builder().post("/oauth/token")
                           .header("authorization", "Basic c2FuZGJveDpzYW5kYm94")
                           .content(MediaType.FORM_DATA, "grant_type=client_credentials").build())
                                                .contentUtf8()).get("access_token").asText();
        final ApiClient client = ApiClient.Builder.standard().withBasePath(base).withAccessToken(token).build();
        conversations = new ConversationsApi(client);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static JsonNode createCall() throws Exception {
        return JSON.readTree(admin.post("/sandbox/v1/genesys/conversations", "").contentUtf8());
    }

    @Test
    void getConversationsCallDeserializes() throws Exception {
        final JsonNode call = createCall();
        final CallConversation c = conversations.getConversationsCall(call.get("conversationId").asText());
        assertThat(c.getId()).isEqualTo(call.get("conversationId").asText());
        assertThat(c.getParticipants()).hasSize(2);
        final CallMediaParticipant customer = c.getParticipants().get(0);
        assertThat(customer.getPurpose()).isEqualTo("customer");
        assertThat(customer.getState()).isEqualTo(CallMediaParticipant.StateEnum.CONNECTED);
        assertThat(customer.getMuted()).isFalse();
    }

    @Test
    void patchConversationParticipantMutes() throws Exception {
        final JsonNode call = createCall();
        final String conversation = call.get("conversationId").asText();
        final String participant = call.get("participants").get(0).get("id").asText();
        conversations.patchConversationParticipant(conversation, participant, new MediaParticipantRequest().muted(true));
        assertThat(conversations.getConversationsCall(conversation).getParticipants().get(0).getMuted()).isTrue();
    }

    @Test
    void postConversationParticipantDigitsIsAccepted() throws Exception {
        final JsonNode call = createCall();
        final String conversation = call.get("conversationId").asText();
        final String participant = call.get("participants").get(1).get("id").asText();
        conversations.postConversationParticipantDigits(conversation, participant, new Digits().digits("12#"));
        final JsonNode after = JSON.readTree(admin.get("/sandbox/v1/genesys/conversations/" + conversation)
                                                  .contentUtf8());
        assertThat(after.get("participants").get(1).get("digits").get(0).asText()).isEqualTo("12#");
    }

    @Test
    void errorsCarryTheGenesysBodyAndCorrelationId() {
        final ApiException e = catchThrowableOfType(ApiException.class,
                () -> conversations.getConversationsCall("00000000-0000-4000-8000-000000000000"));
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getRawBody()).contains("\"code\":\"not.found\"");
        assertThat(e.getCorrelationId()).isNotBlank();
    }
}
