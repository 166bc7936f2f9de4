package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.switchboard.sandbox.Sandbox;

/**
 * {@code switchboard dnc sync} in its own process, killed with SIGKILL at several points and run
 * again: every valid number reaches the list, none is skipped, and the report says how many
 * were sent again.
 */
class DncSyncCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 3000;
    private static final int BATCH = 50;
    private static Server sandbox;
    private static BlockingWebClient admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.builder().build().start("127.0.0.1", 0);
        admin = WebClient.of("http://127.0.0.1:" + sandbox.activeLocalPort()).blocking();
        // Slow enough that the sync is still running when it is killed.
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults")
                                 .content(MediaType.JSON, "{\"latencyMs\":50}").build());
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    private Process sync(Path csv, String listId) throws IOException {
        final Path jar = Path.of("target", "switchboard.jar").toAbsolutePath();
        assertThat(jar).as("the CLI jar is built in the package phase, before integration tests").exists();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                  "-jar", jar.toString(), "dnc", "sync", "--source", csv.toString(),
                                  "--to", "genesys:" + listId, "--batch-size", Integer.toString(BATCH),
                                  "--genesys-base-url", "http://127.0.0.1:" + sandbox.activeLocalPort(),
                                  "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sync.log").toFile())
                .start();
    }

    private long acknowledgedBatches() {
        try (var files = Files.list(dir.resolve("data").resolve("sync"))) {
            final Path checkpoint = files.filter(p -> p.toString().endsWith(".checkpoint.json")).findFirst()
                                         .orElse(null);
            return checkpoint == null ? 0 : JSON.readTree(checkpoint.toFile()).path("counts")
                                                .path("successfulBatches").asLong();
        } catch (IOException e) {
            return 0; // not written yet, or being renamed into place
        }
    }

    @Test
    void everyValidNumberArrivesAfterKillsAndResumes() throws Exception {
        final Set<String> expected = new TreeSet<>();
        final StringBuilder csv = new StringBuilder("phone_number,reason,source\n");
        for (int i = 0; i < ROWS; i++) {
            final String number = "+1415" + (2000000 + i);
            expected.add(number);
            csv.append(number).append(",requested,test\n");
            if (i % 100 == 0) {
                csv.append("not-a-number-").append(i).append(",bad,test\n");
            }
        }
        final Path file = dir.resolve("dnc.csv");
        Files.writeString(file, csv);
        final String listId = JSON.readTree(admin.post("/sandbox/v1/genesys/dnclists", "").contentUtf8())
                                  .get("id").asText();

        final List<Long> killedAt = new ArrayList<>();
        for (long target : new long[] {3, 15, 35}) {
            final Process p = sync(file, listId);
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledgedBatches() >= target || !p.isAlive());
            assertThat(p.isAlive()).as("still syncing when killed; log: %s", dir.resolve("sync.log")).isTrue();
            p.destroyForcibly().waitFor();
            killedAt.add(acknowledgedBatches());
        }
        final Process last = sync(file, listId);
        assertThat(last.waitFor()).as(Files.readString(dir.resolve("sync.log"))).isZero();

        final JsonNode list = JSON.readTree(admin.get("/sandbox/v1/genesys/dnclists/" + listId).contentUtf8());
        final Set<String> listed = new TreeSet<>();
        list.get("numbers").forEach(n -> listed.add(n.asText()));
        assertThat(listed).as("killed after %s batches", killedAt).isEqualTo(expected);

        try (var files = Files.list(dir.resolve("data").resolve("sync"))) {
            final Path reportFile = files.filter(p -> p.toString().endsWith(".report.json")).findFirst().orElseThrow();
            final JsonNode report = JSON.readTree(reportFile.toFile());
            assertThat(report.get("status").asText()).isEqualTo("completed");
            assertThat(report.get("totalRecords").asLong()).isEqualTo(ROWS + ROWS / 100);
            assertThat(report.get("validRecords").asLong()).isEqualTo(ROWS);
            assertThat(report.get("invalidRecords").asLong()).isEqualTo(ROWS / 100);
            assertThat(report.get("successfulBatches").asLong()).isEqualTo(ROWS / BATCH);
            assertThat(report.get("sentAgain").asLong()).as("at most the batch in flight, per kill")
                                                        .isBetween(0L, 3L * BATCH);
            final List<String> rejects = Files.readAllLines(Path.of(report.get("rejectsFile").asText()));
            assertThat(rejects).as("each rejected row once, whatever the kills").hasSize(1 + ROWS / 100);
        }
    }
}
