package io.switchboard.platforms.cxone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.core.calls.MediaPort;
import io.switchboard.platforms.testing.SandboxCxone;

/** The CXone adapter against the sandbox's simulated CXone calls, over real sockets. */
class CxoneCallControlIT {

    private SandboxCxone sandbox;
    private CxoneCallControl cxone;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxCxone();
        cxone = sandbox.cxone();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    private String call(String... answers) {
        return sandbox.call(answers);
    }

    private JsonNode read(String callId) {
        return sandbox.read(callId);
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(10);
    }

    private static MediaPort.Collection threeDigits() {
        return new MediaPort.Collection(3, Duration.ofSeconds(5), List.of("#"),
                                        new MediaPort.Prompt("https://media.example.com/enter.wav", false, true));
    }

    @Test
    void playsCollectsAndReadsStatusAsTheScriptedCallerAnswers() throws Exception {
        final String callId = call("12#", "", "98765", "hangup");
        assertThat(cxone.status(callId, soon()).join()).isEqualTo(MediaPort.CallStatus.ACTIVE);
        assertThat(cxone.play(callId, new MediaPort.Prompt("https://media.example.com/hello.wav", false, true),
                              soon()).join().mediaUrl()).isEqualTo("https://media.example.com/hello.wav");

        assertThat(cxone.collect(callId, threeDigits(), soon()).join())
                .isEqualTo(new MediaPort.Collected("completed", "12", false, "terminator"));
        assertThat(cxone.collect(callId, threeDigits(), soon()).join())
                .isEqualTo(new MediaPort.Collected("completed", "", true, "timeout"));
        assertThat(cxone.collect(callId, threeDigits(), soon()).join().digits()).isEqualTo("987");
        assertThat(cxone.collect(callId, threeDigits(), soon()).join().reason()).isEqualTo("hangup");
        assertThat(cxone.status(callId, soon()).join()).isEqualTo(MediaPort.CallStatus.COMPLETED);

        // A completed call takes no more media: CXone refuses, and the refusal is not retried.
        assertThatThrownBy(() -> cxone.play(callId, new MediaPort.Prompt("https://media.example.com/x.wav", false,
                                                                         true), soon()).join())
                .hasRootCauseMessage("CXone answered 409: call " + callId + " is completed");

        final JsonNode events = read(callId).get("events");
        assertThat(events).hasSize(9); // 1 play, then 4 collections with their prompts
        assertThat(sandbox.meters().find("switchboard.token.requests").counters()).isNotEmpty();
    }

    @Test
    void aRateLimitIsWaitedOutAndTheCollectionHappensOnce() throws Exception {
        final String callId = call("100");
        sandbox.rateLimit(2, 1);
        final long started = System.nanoTime();
        assertThat(cxone.collect(callId, threeDigits(), soon()).join().digits()).isEqualTo("100");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two Retry-After: 1 waited out")
                                                                 .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(read(callId).get("answersLeft").asInt()).as("one collection reached the call").isZero();
    }

    @Test
    void anUnknownCallIsNotFound() {
        assertThatThrownBy(() -> cxone.status("no-such-call", soon()).join())
                .hasRootCauseMessage("CXone answered 404: no call no-such-call");
    }

    @Test
    void aRevokedTokenIsDroppedAndRenewedOnce() {
        final String callId = call("1");
        assertThat(cxone.status(callId, soon()).join()).isEqualTo(MediaPort.CallStatus.ACTIVE);
        sandbox.admin().execute(com.linecorp.armeria.common.HttpRequest.builder().put("/sandbox/v1/faults")
                .content(com.linecorp.armeria.common.MediaType.JSON, "{\"revokeTokens\":true}").build());
        assertThat(cxone.status(callId, soon()).join()).as("answered after one renewal")
                                                       .isEqualTo(MediaPort.CallStatus.ACTIVE);
        assertThat(sandbox.meters().find("switchboard.token.requests").tag("outcome", "success").counters().stream()
                          .mapToDouble(io.micrometer.core.instrument.Counter::count).sum())
                .as("two tokens: the first, and the one after the 401").isEqualTo(2.0);
    }
}
