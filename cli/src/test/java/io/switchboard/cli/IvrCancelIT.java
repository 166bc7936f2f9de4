package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * {@code switchboard ivr run}, as a process, stopped the way Ctrl-C stops it (a terminating
 * signal): it cancels its run through the gateway, and nothing more reaches the call.
 */
class IvrCancelIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void stoppingTheCommandCancelsTheRun() throws Exception {
        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(dir.resolve("data"))).simulator(new io.switchboard.gateway.Simulator(io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT, sb -> io.switchboard.sandbox.Sandbox.builder().build().mountOn(sb), io.switchboard.sandbox.Sandbox.PLATFORM_PATHS)).start()) {
            final BlockingWebClient admin = WebClient.of(gateway.uri()).blocking();
            final String callId = JSON.readTree(admin.execute(HttpRequest.builder().post("/sandbox/v1/cxone/calls")
                    .content(MediaType.JSON, "{\"answers\":[\"100\"]}").build()).contentUtf8()).get("callId").asText();
            // The run's first request to the call is held for 5 s by a rate limit.
            admin.execute(HttpRequest.builder().post("/sandbox/v1/cxone/faults")
                                     .content(MediaType.JSON, "{\"count\":1,\"retryAfterSeconds\":5}").build());

            final Path jar = Path.of("target", "switchboard.jar").toAbsolutePath();
            assertThat(jar).as("the CLI jar is built in the package phase, before integration tests").exists();
            final Path log = dir.resolve("ivr.log");
            final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                 "-jar", jar.toString(), "ivr", "run", callId, "--flow",
                                                 "outbound-verification", "--gateway", gateway.uri().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("step"));
            p.destroy(); // SIGTERM, which runs the shutdown hooks as Ctrl-C's SIGINT does
            assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("ivr: cancelled run").contains("(cancelled)");

            Thread.sleep(6_000); // past the held request's retry
            final JsonNode call = JSON.readTree(admin.get("/sandbox/v1/cxone/calls/" + callId).contentUtf8());
            assertThat(call.get("events")).as("no prompt, no collection: %s", Files.readString(log)).isEmpty();
            assertThat(call.get("answersLeft").asInt()).isEqualTo(1);
        }
    }
}
