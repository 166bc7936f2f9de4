package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.ListenableFuture;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.switchboard.api.v1.CallCommandRequest;
import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SendDtmfResponse;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.api.v1.SetVolumeResponse;

/** Call control end to end: client -> gateway -> sandbox over real loopback sockets. */
class CallControlIT {

    @Test
    void restDtmfSendsEachToneInOrderWithItsDuration() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final AggregatedHttpResponse r = f.post("/v1/sessions/" + session + "/dtmf",
                                                    "{\"tones\":\"12#\",\"durationMs\":120}");
            assertThat(r.status()).isEqualTo(HttpStatus.OK);
            final JsonNode answer = GatewayFixture.json(r);
            assertThat(answer.get("success").asBoolean()).isTrue();
            assertThat(answer.get("tonesSent").asText()).isEqualTo("12#");
            assertThat(answer.get("attempts").asInt()).isEqualTo(3);
            assertThat(answer.get("correlationId").asText()).isNotEmpty();

            final JsonNode events = f.events(session).get("events");
            assertThat(events).hasSize(3);
            final List<String> tones = new ArrayList<>();
            final List<Instant> times = new ArrayList<>();
            for (JsonNode e : events) {
                assertThat(e.get("type").asText()).isEqualTo("dtmf");
                assertThat(e.get("durationMs").asInt()).isEqualTo(120);
                tones.add(e.get("tone").asText());
                times.add(Instant.parse(e.get("at").asText()));
            }
            assertThat(tones).containsExactly("1", "2", "#");
            // Each tone is sent once the previous one has played (120 ms) and the gap (60 ms) passed.
            assertThat(Duration.between(times.get(0), times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(180));
            assertThat(Duration.between(times.get(1), times.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(180));
        }
    }

    @Test
    void restRejectsBadInputNamingTheField() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final AggregatedHttpResponse tones = f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"12X\"}");
            assertThat(tones.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(tones).get("message").asText()).startsWith("tones: \"12X\"");

            final AggregatedHttpResponse volume = f.post("/v1/sessions/" + session + "/volume", "{\"volume\":1.5}");
            assertThat(volume.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(volume).get("message").asText())
                    .isEqualTo("volume: 1.5 (expected: 0.0..1.0)");

            final AggregatedHttpResponse malformed = f.post("/v1/sessions/" + session + "/volume", "{\"volume\":");
            assertThat(malformed.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(malformed).get("message").asText()).startsWith("body: not valid JSON");

            final AggregatedHttpResponse misspelt = f.post("/v1/sessions/" + session + "/dtmf",
                                                           "{\"tones\":\"1\",\"durationMS\":300}");
            assertThat(misspelt.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(misspelt).get("message").asText()).contains("durationMS");

            final AggregatedHttpResponse missing = f.post("/v1/sessions/" + session + "/volume", "{}");
            assertThat(GatewayFixture.json(missing).get("message").asText()).startsWith("volume: ");

            assertThat(f.stats().get("callControlRequests").asInt()).as("nothing bad reaches the platform").isZero();
        }
    }

    @Test
    void unknownAndEndedSessionsAnswerNotFound() {
        try (GatewayFixture f = new GatewayFixture()) {
            final AggregatedHttpResponse unknown = f.post("/v1/sessions/no-such-session/volume", "{\"volume\":0.5}");
            assertThat(unknown.status()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(GatewayFixture.json(unknown).get("message").asText()).contains("no-such-session not found");

            final String session = f.createSession();
            f.sandboxAdmin.delete("/sandbox/v1/sessions/" + session);
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    f.grpc().sendDtmf(SendDtmfRequest.newBuilder().setSessionId(session).setTones("1").build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(e.getStatus().getDescription()).contains("has ended");
        }
    }

    @Test
    void aThousandConcurrentCallsOnAColdStartCauseOneTokenRequest() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final List<ListenableFuture<SetVolumeResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(f.grpcFutures().setVolume(
                        SetVolumeRequest.newBuilder().setSessionId(session).setVolume((i % 10) / 10f).build()));
            }
            for (ListenableFuture<SetVolumeResponse> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS).getSuccess()).isTrue();
            }
            assertThat(f.stats().get("tokenRequests").asInt()).isEqualTo(1);
            assertThat(f.events(session).get("commandsReceived").asInt()).isEqualTo(1000);
        }
    }

    @Test
    void aRevokedTokenIsRenewedOnceAndTheCallSucceeds() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.grpc().setVolume(SetVolumeRequest.newBuilder().setSessionId(session).setVolume(0.2f).build());
            f.faults("{\"revokeTokens\":true}");
            final SendDtmfResponse r = f.grpc().sendDtmf(
                    SendDtmfRequest.newBuilder().setSessionId(session).setTones("5").build());
            assertThat(r.getSuccess()).isTrue();
            assertThat(r.getAttempts()).isEqualTo(2);
            assertThat(f.stats().get("tokenRequests").asInt()).isEqualTo(2);
            assertThat(f.events(session).get("events").get(1).get("tone").asText()).isEqualTo("5");
        }
    }

    @Test
    void anExpiredTokenIsRenewedToo() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.grpc().setVolume(SetVolumeRequest.newBuilder().setSessionId(session).setVolume(0.2f).build());
            f.faults("{\"expireTokens\":true}");
            final SetVolumeResponse r = f.grpc().setVolume(
                    SetVolumeRequest.newBuilder().setSessionId(session).setVolume(0.3f).build());
            assertThat(r.getAttempts()).isEqualTo(2);
            assertThat(f.stats().get("tokenRequests").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aRateLimitWithARetryHintIsRetriedAfterTheHint() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.faults("{\"rateLimit\":{\"count\":1,\"retryAfterMs\":700}}");
            final long start = System.nanoTime();
            final SendDtmfResponse r = f.grpc().sendDtmf(
                    SendDtmfRequest.newBuilder().setSessionId(session).setTones("7").build());
            final Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.getSuccess()).isTrue();
            assertThat(r.getAttempts()).isEqualTo(2);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(f.events(session).get("commandsReceived").asInt()).as("the tone played once").isEqualTo(1);
        }
    }

    @Test
    void exhaustedRateLimitRetriesAnswer429WithRetryAfter() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.faults("{\"rateLimit\":{\"count\":4,\"retryAfterMs\":100}}");
            final AggregatedHttpResponse r = f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"1\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(r.headers().get("retry-after")).isEqualTo("1");
            assertThat(GatewayFixture.json(r).get("message").asText()).contains("attempts: 4");

            f.faults("{\"rateLimit\":{\"count\":4,\"retryAfterMs\":100}}");
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    f.grpc().sendDtmf(SendDtmfRequest.newBuilder().setSessionId(session).setTones("1").build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
                    .isEqualTo("1");
            assertThat(f.events(session).get("commandsReceived").asInt()).isZero();
        }
    }

    @Test
    void aToneThePlatformMayHavePlayedIsNeverReportedAsNotSent() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.faults("{\"failure\":{\"count\":1,\"status\":\"UNAVAILABLE\",\"afterActing\":true}}");
            final AggregatedHttpResponse r = f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"9\"}");
            assertThat(GatewayFixture.json(r).get("message").asText())
                    .contains("SendDtmf: tone 1 of 1 ('9') may have been played").doesNotContain("not sent");
        }
        // The deadline passing while the platform holds the tone: in doubt too.
        try (GatewayFixture f = new GatewayFixture(c -> new io.switchboard.gateway.config.GatewayConfig(
                c.server(), c.dataDir(), c.auth(), c.genesys(), c.retry(), c.breaker(), Duration.ofMillis(400),
                c.mute(), c.redis(), c.recordingSync(), c.compliance(), c.cxone(), c.ivr(), c.routes()))) {
            final String session = f.createSession();
            f.faults("{\"latencyMs\":1500}");
            final AggregatedHttpResponse r = f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"9\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
            assertThat(GatewayFixture.json(r).get("message").asText())
                    .contains("SendDtmf: tone 1 of 1 ('9') may have been played").doesNotContain("not sent");
        }
    }

    @Test
    void noToneStartsThatTheDeadlineCannotCover() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    f.grpc().withDeadlineAfter(150, TimeUnit.MILLISECONDS).sendDtmf(
                            SendDtmfRequest.newBuilder().setSessionId(session).setTones("1").setDurationMs(500)
                                           .build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(e.getStatus().getDescription()).contains("SendDtmf: tone 1 of 1 ('1') not sent")
                                                      .contains("less than the tone's 500 ms");
            assertThat(f.stats().get("callControlRequests").asInt()).as("nothing reached the platform").isZero();
        }
    }

    @Test
    void aDeadlinePassingBetweenTonesNamesTheTonesSent() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            // Each tone plays 300 ms and waits 100 ms after it: the second cannot fit in what is left.
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    f.grpc().withDeadlineAfter(600, TimeUnit.MILLISECONDS).sendDtmf(
                            SendDtmfRequest.newBuilder().setSessionId(session).setTones("123").setDurationMs(300)
                                           .setGapMs(100).build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(e.getStatus().getDescription()).contains("SendDtmf: sent 1 of 3 tones (\"1\"); tone 2 of 3 ('2') not sent");
            assertThat(f.events(session).get("events")).hasSize(1);
        }
    }

    @Test
    void dtmfIsNotRetriedOnceTheUpstreamMayHaveActed() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.faults("{\"failure\":{\"count\":1,\"status\":\"UNAVAILABLE\",\"afterActing\":true}}");
            final AggregatedHttpResponse r = f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"9\"}");
            assertThat(r.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(GatewayFixture.json(r).get("message").asText())
                    .contains("not retried: the platform may have acted").contains("attempts: 1");
            assertThat(f.stats().get("callControlRequests").asInt()).isEqualTo(1);
            assertThat(f.events(session).get("commandsReceived").asInt()).as("played exactly once").isEqualTo(1);
        }
    }

    @Test
    void volumeIsIdempotentSoItIsRetriedAfterTransientFailures() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.faults("{\"failure\":{\"count\":2,\"status\":\"UNAVAILABLE\",\"afterActing\":true}}");
            final SetVolumeResponse r = f.grpc().setVolume(
                    SetVolumeRequest.newBuilder().setSessionId(session).setVolume(0.6f).build());
            assertThat(r.getAttempts()).isEqualTo(3);
            assertThat(f.sandboxAdmin.get("/sandbox/v1/sessions/" + session).contentUtf8()).contains("\"volume\":0.6");
        }
    }

    @Test
    void theCallersDeadlineStopsRetries() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            f.faults("{\"rateLimit\":{\"count\":10,\"retryAfterMs\":400}}");
            final long start = System.nanoTime();
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    f.grpc().withDeadlineAfter(1, TimeUnit.SECONDS)
                     .sendDtmf(SendDtmfRequest.newBuilder().setSessionId(session).setTones("1").build()));
            final Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(took).isLessThan(Duration.ofMillis(1500));
            // Attempts at 0, 400 and 800 ms; the next one would start after the deadline.
            assertThat(f.stats().get("callControlRequests").asInt()).isBetween(2, 3);
            assertThat(f.events(session).get("commandsReceived").asInt()).isZero();
        }
    }

    @Test
    void theSingleRpcShapeStillWorks() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            assertThat(f.grpc().executeCommand(CallCommandRequest.newBuilder().setSessionId(session)
                                                                 .setIsDtmf(true).setTone("4").build())
                        .getMessage()).isEqualTo("DTMF tone 4 injected successfully");
            assertThat(f.grpc().executeCommand(CallCommandRequest.newBuilder().setSessionId(session)
                                                                 .setVolume(0.25f).build())
                        .getMessage()).isEqualTo("Volume set to 0.25");
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    f.grpc().executeCommand(CallCommandRequest.newBuilder().setSessionId(session)
                                                              .setIsDtmf(true).setTone("").build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith("tone: ");
        }
    }

    @Test
    void everyCommandIsAuditedInAVerifiableChain() throws Exception {
        final java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("switchboard-audit");
        try (GatewayFixture f = new GatewayFixture(c -> c.withDataDir(dataDir))) {
            final String session = f.createSession();
            assertThat(f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"4321\"}").status())
                    .isEqualTo(HttpStatus.OK);
            assertThat(f.post("/v1/sessions/" + session + "/volume", "{\"volume\":2}").status())
                    .isEqualTo(HttpStatus.BAD_REQUEST);
            final java.nio.file.Path trail = dataDir.resolve(Gateway.AUDIT_FILE);
            org.awaitility.Awaitility.await().until(() -> java.nio.file.Files.readAllLines(trail).size() == 2);
            final List<String> lines = java.nio.file.Files.readAllLines(trail);
            final JsonNode dtmf = GatewayFixture.JSON.readTree(lines.get(0));
            assertThat(dtmf.get("action").asText()).isEqualTo("send_dtmf");
            assertThat(dtmf.get("status").asText()).isEqualTo("OK");
            assertThat(dtmf.get("session_id").asText()).isEqualTo(session);
            assertThat(dtmf.get("detail").asText()).isEqualTo("tones=4");
            assertThat(dtmf.get("correlation_id").asText()).isNotBlank();
            assertThat(dtmf.get("actor").asText()).isEqualTo("loopback");
            assertThat(lines.get(0)).as("digits are never recorded").doesNotContain("4321");
            final JsonNode rejected = GatewayFixture.JSON.readTree(lines.get(1));
            assertThat(rejected.get("action").asText()).isEqualTo("set_volume");
            assertThat(rejected.get("status").asText()).isEqualTo("INVALID_ARGUMENT");
            assertThat(io.switchboard.core.audit.AuditVerifier.verify(trail).intact()).isTrue();
        }
    }

    @Test
    void answersCarryARequestIdAndMetricsCountCommandsTokensAndTheBreaker() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final AggregatedHttpResponse r = f.rest.execute(
                    com.linecorp.armeria.common.HttpRequest.builder()
                            .post("/v1/sessions/" + session + "/volume")
                            .header("x-request-id", "desk-42")
                            .content(com.linecorp.armeria.common.MediaType.JSON, "{\"volume\":0.5}").build());
            assertThat(r.headers().get("x-request-id")).isEqualTo("desk-42");
            final String metrics = f.rest.get("/metrics").contentUtf8();
            assertThat(metrics).contains("switchboard_commands_seconds_count{operation=\"SetVolume\",status=\"OK\"} 1")
                               .contains("switchboard_token_requests_total{endpoint=\"genesys-oauth\",outcome=\"success\"} 1")
                               .contains("switchboard_upstream_attempts_total{operation=\"SetVolume\",outcome=\"success\"")
                               .contains("switchboard_circuit_breaker_state{name=\"genesys-callcontrol\"} 1.0")
                               // Counted as it happens, not when the breaker's window next turns.
                               .contains("switchboard_circuit_breaker_requests_total{name=\"genesys-callcontrol\","
                                         + "result=\"success\"} 1.0");
            assertThat(f.rest.get("/health").status()).isEqualTo(HttpStatus.OK);
            assertThat(f.rest.get("/docs/specification.json").contentUtf8()).contains("switchboard.v1.CallControl");
        }
    }
}
