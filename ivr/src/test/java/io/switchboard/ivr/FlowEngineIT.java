package io.switchboard.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.core.audit.AuditTrail;
import io.switchboard.platforms.testing.SandboxCxone;

/** The example flow run by the engine on scripted sandbox calls, through the CXone adapter. */
class FlowEngineIT {

    @TempDir
    Path dir;

    private SandboxCxone sandbox;
    private AuditTrail audit;
    private FlowEngine engine;
    private final Flow flow = new FlowLibrary(new FlowLoader(new MediaUrls(List.of())), null)
            .load("outbound-verification");

    @BeforeEach
    void setUp() {
        sandbox = new SandboxCxone();
        audit = AuditTrail.open(dir.resolve("audit.jsonl"));
        engine = new FlowEngine(sandbox.cxone(), audit, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        audit.close();
        sandbox.close();
    }

    private FlowRun runToEnd(String... answers) throws InterruptedException {
        final FlowRun run = engine.start(flow, sandbox.call(answers));
        assertThat(run.await(20_000)).as("ended").isTrue();
        return run;
    }

    private static List<String> types(FlowRun run) {
        return run.events().stream().map(FlowRun.Event::type).toList();
    }

    @Test
    void eachScriptedCallerGetsItsOutcome() throws Exception {
        final FlowRun success = runToEnd("100");
        assertThat(success.outcome()).isEqualTo("success");
        assertThat(success.events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("digits");
            assertThat(e.detail()).isEqualTo("100");
        });

        final FlowRun transfer = runToEnd("000");
        assertThat(transfer.outcome()).isEqualTo("transfer");
        assertThat(transfer.events()).anySatisfy(e -> assertThat(e.detail()).isEqualTo("verification-agents"));

        final FlowRun timeout = runToEnd("");
        assertThat(timeout.outcome()).isEqualTo("timeout");
        assertThat(types(timeout)).contains("no_input");

        final FlowRun maxAttempts = runToEnd("999", "999", "999");
        assertThat(maxAttempts.outcome()).isEqualTo("max_attempts");
        assertThat(types(maxAttempts).stream().filter("digits"::equals)).hasSize(3);
        final JsonNode call = sandbox.read(maxAttempts.callId());
        assertThat(call.get("answersLeft").asInt()).isZero();
        // greeting, then three collections with their prompts, and two invalid-code prompts between them
        assertThat(StreamSupport.stream(call.get("events").spliterator(), false)
                                .filter(e -> e.get("type").asText().equals("play")).count()).isEqualTo(6);

        final FlowRun hangup = runToEnd("999", "hangup");
        assertThat(hangup.outcome()).isEqualTo("hangup");

        final String trail = Files.readString(dir.resolve("audit.jsonl"));
        assertThat(trail).contains("\"event\":\"ivr\"").contains("\"action\":\"outcome\"")
                         .contains("flow=outbound-verification success").contains("max_attempts");
    }

    @Test
    void sensitiveDigitsAreRedacted() throws Exception {
        final Flow pin = new FlowLoader(new MediaUrls(List.of())).load("pin.yaml", """
                name: pin
                start: ask
                nodes:
                  ask:
                    collect: {maxDigits: 4, sensitive: true, into: pin}
                    next: done
                  done:
                    hangup: {outcome: success}
                """);
        final FlowRun run = engine.start(pin, sandbox.call("4321"));
        assertThat(run.await(20_000)).isTrue();
        assertThat(run.events()).anySatisfy(e -> assertThat(e.detail()).isEqualTo("<redacted 4 digits>"));
        assertThat(run.events().toString()).doesNotContain("4321");
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain("4321");
    }

    @Test
    void aCancelledRunSendsNothingMore() throws Exception {
        final String callId = sandbox.call("100");
        sandbox.rateLimit(1, 2); // the run's first request waits 2 s before its retry
        final FlowRun run = engine.start(flow, callId);
        Thread.sleep(300);
        run.cancel();
        assertThat(run.await(5_000)).isTrue();
        assertThat(run.outcome()).isEqualTo("cancelled");
        Thread.sleep(2_500); // past the retry the invoker had scheduled
        assertThat(sandbox.read(callId).get("events")).as("no prompt, no collection").isEmpty();
    }
}
