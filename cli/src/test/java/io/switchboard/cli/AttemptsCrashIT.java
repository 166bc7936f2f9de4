package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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

/**
 * {@code switchboard serve} on the embedded store, killed with SIGKILL right after granting two
 * reservations for a Florida number, and started again: the count survives, so the third is
 * granted and the fourth refused.
 */
class AttemptsCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"phoneNumber\":\"+13055550100\",\"campaignId\":\"c1\"}";

    @TempDir
    Path dir;

    private Process serve(int port) throws IOException {
        final Path jar = Path.of("target", "switchboard.jar").toAbsolutePath();
        assertThat(jar).as("the CLI jar is built in the package phase, before integration tests").exists();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                  "-jar", jar.toString(), "serve", "--host", "127.0.0.1", "--port",
                                  Integer.toString(port), "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.log").toFile()))
                .start();
    }

    private static JsonNode reserve(BlockingWebClient client) throws IOException {
        return JSON.readTree(client.execute(HttpRequest.builder().post("/v1/attempts")
                                                       .content(MediaType.JSON, BODY).build()).contentUtf8());
    }

    private void awaitReady(BlockingWebClient client, Process p) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(p.isAlive()).as("serve exited; log: %s", Files.readString(dir.resolve("serve.log"))).isTrue();
            try {
                return client.get("/health/ready").status().isSuccess();
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aCountSurvivesASigkillOfTheGateway() throws Exception {
        final int port = freePort();
        final BlockingWebClient client = WebClient.builder("http://127.0.0.1:" + port)
                                                  .responseTimeout(Duration.ofSeconds(10)).build().blocking();
        final Process first = serve(port);
        try {
            awaitReady(client, first);
            assertThat(reserve(client).get("count").asInt()).isEqualTo(1);
            assertThat(reserve(client).get("count").asInt()).isEqualTo(2);
        } finally {
            first.destroyForcibly().waitFor();
        }
        final Process second = serve(port);
        try {
            awaitReady(client, second);
            final JsonNode third = reserve(client);
            assertThat(third.get("granted").asBoolean()).as(third.toString()).isTrue();
            assertThat(third.get("count").asInt()).isEqualTo(3);
            final JsonNode fourth = reserve(client);
            assertThat(fourth.get("granted").asBoolean()).isFalse();
            assertThat(fourth.get("rule").asText()).isEqualTo("US-FL-attempts");
        } finally {
            second.destroy();
            second.waitFor();
        }
    }
}
