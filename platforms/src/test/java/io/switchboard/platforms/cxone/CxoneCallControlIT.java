package io.switchboard.platforms.cxone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.auth.OAuth2TokenSource;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.core.resilience.RetryPolicy;
import io.switchboard.sandbox.Sandbox;

/** The CXone adapter against the sandbox's simulated CXone calls, over real sockets. */
class CxoneCallControlIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Server server;
    private BlockingWebClient admin;
    private CxoneCallControl cxone;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void setUp() {
        server = Sandbox.builder().build().start("127.0.0.1", 0);
        final URI base = URI.create("http://127.0.0.1:" + server.activeLocalPort());
        admin = WebClient.of(base).blocking();
        meters = new SimpleMeterRegistry();
        final ResilientInvoker invoker =
                ResilientInvoker.builder("cxone")
                                .tokenSource(OAuth2TokenSource.builder(CxoneCallControl.tokenUri(base),
                                                                       new ClientCredentials("sandbox", "sandbox"))
                                                              .style(OAuth2TokenSource.Style.JSON)
                                                              .scope(CxoneCallControl.SCOPE)
                                                              .refreshMargin(CxoneCallControl.TOKEN_REFRESH_MARGIN)
                                                              .meterRegistry(meters)
                                                              .build())
                                .classifier(CxoneCallControl.failures())
                                .retryPolicy(RetryPolicy.builder().jitter(0)
                                                        .backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2)
                                                        .build())
                                .build();
        cxone = new CxoneCallControl(base, invoker, ClientFactory.ofDefault(), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        server.stop();
    }

    private String call(String... answers) throws Exception {
        final String body = JSON.createObjectNode().set("answers", JSON.valueToTree(List.of(answers))).toString();
        return JSON.readTree(admin.execute(HttpRequest.builder().post("/sandbox/v1/cxone/calls")
                                                      .content(MediaType.JSON, body).build()).contentUtf8())
                   .get("callId").asText();
    }

    private JsonNode read(String callId) throws Exception {
        return JSON.readTree(admin.get("/sandbox/v1/cxone/calls/" + callId).contentUtf8());
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
        assertThat(meters.find("switchboard.token.requests").counters()).isNotEmpty();
    }

    @Test
    void aRateLimitIsWaitedOutAndTheCollectionHappensOnce() throws Exception {
        final String callId = call("100");
        admin.execute(HttpRequest.builder().post("/sandbox/v1/cxone/faults")
                                 .content(MediaType.JSON, "{\"count\":2,\"retryAfterSeconds\":1}").build());
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
}
