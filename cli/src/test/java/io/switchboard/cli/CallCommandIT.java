package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;
import picocli.CommandLine;

/** {@code switchboard call ...} against a running gateway on the built-in sandbox. */
class CallCommandIT {

    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.builder(GatewayConfig.defaults()
                                             .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                                              .withConnectionDrain(Duration.ZERO))
                                             .withDataDir(Files.createTempDirectory("switchboard-cli"))).simulator(new io.switchboard.gateway.Simulator(io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT, sb -> io.switchboard.sandbox.Sandbox.builder().build().mountOn(sb), io.switchboard.sandbox.Sandbox.PLATFORM_PATHS)).start();
    }

    @AfterAll
    static void stop() {
        gateway.closeAsync();
    }

    record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static String session() throws Exception {
        return new ObjectMapper().readTree(WebClient.of(gateway.uri()).blocking()
                                                    .post("/sandbox/v1/sessions", "").contentUtf8())
                                 .get("sessionId").asText();
    }

    @Test
    void dtmfPrintsTheAnswerAndExitsZero() throws Exception {
        final Run run = run("call", "dtmf", "--gateway", gateway.uri().toString(), "--session", session(),
                            "--tones", "12#");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("\"tonesSent\" : \"12#\"").contains("\"success\" : true");

        // For scripts: the answer on one line.
        final Run json = run("call", "dtmf", "--gateway", gateway.uri().toString(), "--session", session(),
                             "--tones", "1", "--output", "json");
        assertThat(json.status()).isZero();
        assertThat(json.out().strip()).doesNotContain("\n");
        assertThat(new ObjectMapper().readTree(json.out()).path("tonesSent").asText()).isEqualTo("1");
    }

    @Test
    void volumeOutOfRangeIsRejectedNamingTheFieldAndExitsOne() throws Exception {
        final Run run = run("call", "volume", "--gateway", gateway.uri().toString(), "--session", session(),
                            "--level", "1.4");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("400 Bad Request").contains("volume: 1.4 (expected: 0.0..1.0)");
    }

    @Test
    void muteForAWhileThenUnmute() throws Exception {
        final var call = new ObjectMapper().readTree(WebClient.of(gateway.uri()).blocking()
                                                               .post("/sandbox/v1/genesys/conversations", "")
                                                               .contentUtf8());
        final String conversation = call.get("conversationId").asText();
        final String participant = call.get("participants").get(0).get("id").asText();
        final Run mute = run("call", "mute", "--gateway", gateway.uri().toString(), "--conversation", conversation,
                             "--participant", participant, "--for", "10m", "--reason", "pci");
        assertThat(mute.status()).as(mute.err()).isZero();
        assertThat(mute.out()).contains("\"muted\" : true").contains("\"unmuteAt\"");
        final Run unmute = run("call", "unmute", "--gateway", gateway.uri().toString(), "--conversation",
                               conversation, "--participant", participant);
        assertThat(unmute.status()).isZero();
        assertThat(unmute.out()).contains("\"muted\" : false");
        final Run bad = run("call", "mute", "--gateway", gateway.uri().toString(), "--conversation", conversation,
                            "--participant", participant, "--for", "soon");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--for: \"soon\" (expected: a duration such as 500ms");
    }

    @Test
    void anUnreachableGatewayExitsThree() {
        final Run run = run("call", "volume", "--gateway", "http://127.0.0.1:1", "--session", "s", "--level", "0.5");
        assertThat(run.status()).isEqualTo(3);
        assertThat(run.err()).contains("cannot reach the gateway at http://127.0.0.1:1");
    }

    @Test
    void missingOptionsAreUsageErrors() {
        final Run run = run("call", "dtmf", "--session", "s");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--tones=TONES'");
    }
}
