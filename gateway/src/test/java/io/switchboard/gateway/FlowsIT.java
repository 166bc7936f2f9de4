package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/** IVR flows through the gateway's REST API, on the sandbox's scripted CXone calls. */
class FlowsIT {

    private static String call(GatewayFixture f, List<String> answers) {
        final ObjectNode body = GatewayFixture.JSON.createObjectNode();
        body.set("answers", GatewayFixture.JSON.valueToTree(answers));
        return GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/cxone/calls", body.toString()))
                             .get("callId").asText();
    }

    private static JsonNode runToEnd(GatewayFixture f, String callId) throws InterruptedException {
        return runToEnd(f, callId, "{\"flow\":\"outbound-verification\"}");
    }

    private static JsonNode runToEnd(GatewayFixture f, String callId, String start) throws InterruptedException {
        final AggregatedHttpResponse started = f.post("/v1/calls/" + callId + "/flows", start);
        assertThat(started.status()).isEqualTo(HttpStatus.CREATED);
        final String runId = GatewayFixture.json(started).get("runId").asText();
        for (int i = 0; i < 200; i++) {
            final JsonNode run = GatewayFixture.json(f.rest.get("/v1/flow-runs/" + runId));
            if ("ended".equals(run.get("state").asText())) {
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run did not end");
    }

    @Test
    void theExampleFlowGivesEachScriptedCallerItsOutcome() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            final Map<String, List<String>> scripts = new LinkedHashMap<>();
            scripts.put("success", List.of("100"));
            scripts.put("transfer", List.of("000"));
            scripts.put("timeout", List.of(""));
            scripts.put("max_attempts", List.of("999", "999", "999"));
            scripts.put("hangup", List.of("999", "hangup"));
            for (Map.Entry<String, List<String>> script : scripts.entrySet()) {
                final JsonNode run = runToEnd(f, call(f, script.getValue()));
                assertThat(run.get("outcome").asText()).as(script.getKey()).isEqualTo(script.getKey());
                assertThat(run.get("events").get(run.get("events").size() - 1).get("type").asText())
                        .isEqualTo("outcome");
            }
            final String audit = Files.readString(f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE));
            for (String outcome : scripts.keySet()) {
                assertThat(audit).contains("flow=outbound-verification " + outcome);
            }
            final String metrics = f.rest.get("/metrics").contentUtf8();
            for (String outcome : scripts.keySet()) {
                assertThat(metrics).contains("switchboard_flow_runs_total{flow=\"outbound-verification\",outcome=\""
                                             + outcome + "\"} 1.0");
            }
            assertThat(metrics).contains("switchboard_flow_runs_active 0.0");
        }
    }

    @Test
    void anOptOutCapturedByAFlowBlocksTheNumberAtOnceAndSurvivesAReimport() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            final String number = "+14155550177";
            final String validate = "[{\"phoneNumber\":\"" + number + "\",\"campaignId\":\"c1\"}]";
            assertThat(GatewayFixture.json(f.post("/validate?callingWindow=false", validate))
                                     .at("/decisions/0/reason").asText()).isEqualTo("allowed");

            final JsonNode declined = runToEnd(f, call(f, List.of("1")),
                                               "{\"flow\":\"opt-out\",\"phoneNumber\":\"" + number + "\"}");
            assertThat(declined.get("outcome").asText()).isEqualTo("declined");

            final JsonNode run = runToEnd(f, call(f, List.of("9")),
                                          "{\"flow\":\"opt-out\",\"phoneNumber\":\"" + number + "\"}");
            assertThat(run.get("outcome").asText()).as(run.toString()).isEqualTo("opted_out");
            assertThat(run.get("events").toString()).contains("\"type\":\"opt_out\"");
            final JsonNode blocked = GatewayFixture.json(f.post("/validate?callingWindow=false", validate))
                                                   .at("/decisions/0");
            assertThat(blocked.get("reason").asText()).isEqualTo("dnc_blacklist");
            assertThat(blocked.get("detail").asText()).isEqualTo("global/opt_out");
            final JsonNode recorded = GatewayFixture.json(f.get("/v1/dnc/opt-outs/" + number.replace("+", "%2B")));
            assertThat(recorded.at("/optOuts/0/source").asText()).isEqualTo("ivr:opt-out");
            assertThat(recorded.at("/optOuts/0/reason").asText()).contains(run.get("runId").asText());

            // A later import of a list that does not have the number changes nothing.
            assertThat(f.rest.execute(HttpRequest.builder().post("/v1/dnc/import")
                                                 .content(MediaType.CSV_UTF_8, "phone_number\n+14155550178\n").build())
                             .status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(f.post("/validate?callingWindow=false", validate))
                                     .at("/decisions/0/reason").asText()).isEqualTo("dnc_blacklist");

            // Without the call's number, nothing can be recorded: the flow hands the call to an agent.
            final JsonNode unknown = runToEnd(f, call(f, List.of("9")), "{\"flow\":\"opt-out\"}");
            assertThat(unknown.get("outcome").asText()).isEqualTo("opt_out_not_recorded");
            assertThat(unknown.get("events").toString()).contains("the opt-out was not recorded");
            assertThat(Files.readString(f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE)))
                    .contains("dnc_opt_out").contains("source=ivr:opt-out");
        }
    }

    @Test
    void invalidFlowsAreRejectedNamingTheLineAndField() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String loop = "name: loop\\nstart: a\\nnodes:\\n  a:\\n    collect: {maxDigits: 1}\\n    next: b\\n"
                                + "  b:\\n    branch: {default: a}\\n";
            final AggregatedHttpResponse r = f.post("/v1/calls/c1/flows", "{\"yaml\":\"" + loop + "\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(r).get("message").asText())
                    .isEqualTo("(request):8: nodes.b: goes to \"a\", which loops for ever (a -> b -> a; expected: "
                               + "every loop to pass through a retry node, whose maxAttempts ends it)");
            final AggregatedHttpResponse bad = f.post("/v1/calls/c1/flows", "{\"yaml\":\"name: [\"}");
            assertThat(GatewayFixture.json(bad).get("message").asText()).startsWith("(request):1: (yaml): not valid YAML");
            assertThat(f.rest.get("/v1/flow-runs/nope").status()).isEqualTo(HttpStatus.NOT_FOUND);
        }
    }

    @Test
    void aFlowIsFoundByNameOnlyNeverByPath() throws Exception {
        final java.nio.file.Path outside = java.nio.file.Files.createTempFile("not-a-flow", ".yaml");
        java.nio.file.Files.writeString(outside, "secret: do-not-show\n");
        try (GatewayFixture f = new GatewayFixture()) {
            for (String flow : List.of("/etc/passwd", "../../../../etc/passwd", outside.toString(),
                                       outside.getFileName().toString())) {
                final AggregatedHttpResponse r = f.post("/v1/calls/call-1/flows",
                                                        GatewayFixture.JSON.createObjectNode().put("flow", flow)
                                                                           .toString());
                assertThat(r.status()).as(flow).isEqualTo(HttpStatus.BAD_REQUEST);
                assertThat(r.contentUtf8()).as(flow).contains("not a flow name")
                                           .doesNotContain("root:").doesNotContain("do-not-show")
                                           .doesNotContain("there is none there");
            }
        } finally {
            java.nio.file.Files.deleteIfExists(outside);
        }
    }

    @Test
    void playAndCollectOnACall() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String callId = call(f, List.of("12#"));
            final AggregatedHttpResponse played = f.post("/v1/calls/" + callId + "/play",
                                                         "{\"mediaUrl\":\"https://media.example.com/hello.wav\"}");
            assertThat(played.status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(played).get("mediaUrl").asText()).isEqualTo("https://media.example.com/hello.wav");

            final JsonNode collected = GatewayFixture.json(f.post("/v1/calls/" + callId + "/collect",
                    "{\"maxDigits\":3,\"timeoutMs\":3000,\"promptUrl\":\"https://media.example.com/code.wav\"}"));
            assertThat(collected.get("digits").asText()).isEqualTo("12");
            assertThat(collected.get("reason").asText()).isEqualTo("terminator");
            assertThat(collected.get("timedOut").asBoolean()).isFalse();

            final AggregatedHttpResponse internal = f.post("/v1/calls/" + callId + "/play",
                                                           "{\"mediaUrl\":\"https://10.0.0.7/x.wav\"}");
            assertThat(internal.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(internal).get("message").asText())
                    .isEqualTo("media_url: \"https://10.0.0.7/x.wav\" (expected: a media URL; address 10.0.0.7 is "
                               + "internal or reserved)");
            assertThat(GatewayFixture.json(f.post("/v1/calls/" + callId + "/collect", "{\"maxDigits\":0}"))
                                     .get("message").asText()).isEqualTo("max_digits: 0 (expected: 1..32)");
            final String audit;
            try {
                audit = Files.readString(f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(audit).contains("\"action\":\"collect\"").doesNotContain("\"12\"");
        }
    }

    @Test
    void overGrpcTheEventsStreamUntilTheOutcome() {
        try (GatewayFixture f = new GatewayFixture()) {
            final io.switchboard.api.v1.FlowsGrpc.FlowsBlockingStub grpc = com.linecorp.armeria.client.grpc.GrpcClients
                    .newClient(f.gateway.uri(), io.switchboard.api.v1.FlowsGrpc.FlowsBlockingStub.class);
            final io.switchboard.api.v1.FlowRunState started = grpc.startFlow(
                    io.switchboard.api.v1.StartFlowRequest.newBuilder().setCallId(call(f, List.of("000")))
                                                          .setName("outbound-verification").build());
            final List<io.switchboard.api.v1.FlowEvent> events = new java.util.ArrayList<>();
            grpc.streamFlowEvents(io.switchboard.api.v1.FlowRunRequest.newBuilder().setRunId(started.getRunId()).build())
                .forEachRemaining(events::add);
            assertThat(events.get(events.size() - 1).getType()).isEqualTo("outcome");
            assertThat(events.get(events.size() - 1).getDetail()).isEqualTo("transfer");
            assertThat(events).anySatisfy(e -> assertThat(e.getDetail()).isEqualTo("verification-agents"));
            assertThat(grpc.getFlowRun(io.switchboard.api.v1.FlowRunRequest.newBuilder()
                                                                           .setRunId(started.getRunId()).build())
                           .getOutcome()).isEqualTo("transfer");
            final io.grpc.StatusRuntimeException unknown = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.grpc.StatusRuntimeException.class,
                    () -> grpc.getFlowRun(io.switchboard.api.v1.FlowRunRequest.newBuilder().setRunId("nope").build()));
            assertThat(unknown.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
        }
    }
}
