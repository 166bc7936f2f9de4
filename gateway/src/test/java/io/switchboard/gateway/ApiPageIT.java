package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/**
 * The API page on a gateway that also serves the built-in simulator: it shows Switchboard's own
 * services only, named as such, with example requests; and a gRPC method can be sent as the
 * page's SUBMIT sends it (unframed JSON), the tone reaching the sandbox.
 */
class ApiPageIT {

    /** The gateway's REST services, named by their classes on the page. */
    private static final String REST = "io.switchboard.gateway.internal.";

    /** A method's description, where the page's specification keeps it. */
    private static String methodDoc(JsonNode spec, String service, String method) {
        for (JsonNode s : spec.path("services")) {
            if (s.path("name").asText().equals(service)) {
                for (JsonNode m : s.path("methods")) {
                    if (m.path("name").asText().equals(method)) {
                        return m.path("descriptionInfo").path("docString").asText();
                    }
                }
            }
        }
        return "";
    }

    @Test
    void showsOnlySwitchboardsApiWithExamplesAndItsGrpcMethodsCanBeSentFromThePage() throws Exception {
        try (Gateway gateway = Gateway.builder(GatewayFixture.baseConfig()).simulator(GatewayFixture.simulator()).start()) {
            final BlockingWebClient http = WebClient.of(gateway.uri()).blocking();
            final JsonNode spec = GatewayFixture.JSON.readTree(http.get("/docs/specification.json").contentUtf8());
            final List<String> services = new ArrayList<>();
            spec.path("services").forEach(s -> services.add(s.path("name").asText()));
            assertThat(services).contains("switchboard.v1.CallControl", "switchboard.v1.Compliance",
                                          "switchboard.v1.Attempts", REST + "DncAdminService",
                                          REST + "OptOutsService", REST + "ConsentsService", REST + "ValidateRoute")
                                .allMatch(name -> name.startsWith("switchboard.v1.") || name.startsWith(REST),
                                          "Switchboard's own");

            for (JsonNode service : spec.path("services")) {
                final String name = service.path("name").asText();
                if (name.startsWith(REST) || name.equals("switchboard.v1.CallControl")) {
                    // Annotated services' descriptions are the page's doc strings, by service name.
                    final String described = service.path("descriptionInfo").path("docString").asText()
                                             + spec.path("docStrings").path(name).path("docString").asText();
                    assertThat(described).as(name + " in " + spec.path("docStrings").toString()).isNotBlank();
                }
                for (JsonNode method : service.path("methods")) {
                    // Every method that takes a body has an example with values in it.
                    if (List.of("POST", "PUT").contains(method.path("httpMethod").asText())) {
                        assertThat(method.path("exampleRequests")).as(name + "/" + method.path("name").asText())
                                                                  .anySatisfy(e -> assertThat(e.asText())
                                                                          .containsPattern("\":\\s*(\\[?\\s*\"[^\"]+\"|[-\\d]|true|\\{\\s*\")|^phoneNumber\n\\+"));
                    }
                }
            }
            // gRPC methods are described by their .proto comments.
            assertThat(spec.path("docStrings").path("switchboard.v1.CallControl/SendDtmf").path("docString").asText()
                       + methodDoc(spec, "switchboard.v1.CallControl", "SendDtmf"))
                    .contains("DTMF");
            assertThat(spec.path("docServiceExtraInfo").path("webAppTitle").asText()).startsWith("Switchboard ");
            final String page = http.get("/docs/").contentUtf8();
            assertThat(page).contains("<title>Switchboard ").contains("<script")
                            .doesNotContainPattern("(src|href)=\"(https?:)?//");  // nothing from another host

            // SUBMIT on SendDtmf: JSON, without gRPC's framing.
            final String session = GatewayFixture.JSON.readTree(http.post("/sandbox/v1/sessions", "").contentUtf8())
                                                      .get("sessionId").asText();
            final AggregatedHttpResponse sent = http.execute(
                    HttpRequest.builder().post("/switchboard.v1.CallControl/SendDtmf")
                               .content(MediaType.JSON_UTF_8, "{\"sessionId\":\"" + session + "\",\"tones\":\"7\"}")
                               .build());
            assertThat(sent.status()).as(sent.contentUtf8()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.JSON.readTree(sent.contentUtf8()).path("tonesSent").asText()).isEqualTo("7");
            final JsonNode events = GatewayFixture.JSON.readTree(
                    http.get("/sandbox/v1/sessions/" + session + "/events").contentUtf8()).path("events");
            assertThat(events).extracting(e -> e.path("tone").asText()).containsExactly("7");
        }
    }
}
