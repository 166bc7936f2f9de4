package io.switchboard.compliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.platforms.genesys.GenesysOutbound;
import io.switchboard.platforms.testing.SandboxGenesys;

/** A DNC CSV synced into a sandbox Genesys DNC list through the real adapter, over real sockets. */
class DncListSyncIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SandboxGenesys sandbox;
    private static BlockingWebClient admin;
    private static GenesysOutbound outbound;

    @TempDir
    Path dir;
    private String listId;

    @BeforeAll
    static void start() {
        sandbox = new SandboxGenesys();
        admin = sandbox.admin();
        outbound = new GenesysOutbound(sandbox.api());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void newList() throws IOException {
        listId = JSON.readTree(admin.post("/sandbox/v1/genesys/dnclists", "").contentUtf8()).get("id").asText();
    }

    @AfterEach
    void clearFaults() {
        admin.delete("/sandbox/v1/faults");
    }

    private DncListSync sync(Path csv, int batchSize, boolean restart) {
        return DncListSync.builder(new FileSource(csv), outbound, listId, "genesys:" + listId)
                          .batchSize(batchSize).workDir(dir.resolve("work")).restart(restart).build();
    }

    private List<String> listed() throws IOException {
        final JsonNode list = JSON.readTree(admin.get("/sandbox/v1/genesys/dnclists/" + listId).contentUtf8());
        return JSON.convertValue(list.get("numbers"), JSON.getTypeFactory()
                                                         .constructCollectionType(List.class, String.class));
    }

    private Path csv(String text) throws IOException {
        final Path file = dir.resolve("dnc.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void syncsExactlyTheValidNumbersAndReportsEveryRejectedRow() throws IOException {
        final Path file = csv("""
                phone_number,reason,source
                +14155552671,requested,web
                "(415) 555-2672",litigator,import
                not-a-number,x,y
                +14155552671,again,web
                +1 555 0100,bad,web
                4155552673,,
                """);
        final DncListSync sync = sync(file, 2, false);
        final SyncReport report = sync.run();
        assertThat(listed()).containsExactly("+14155552671", "+14155552672", "+14155552673");
        assertThat(report.status()).isEqualTo("completed");
        assertThat(report.totalRecords()).isEqualTo(6);
        assertThat(report.validRecords()).isEqualTo(3);
        assertThat(report.invalidRecords()).isEqualTo(2);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.skippedRecords()).isEqualTo(3);
        assertThat(report.successfulBatches()).isEqualTo(2);
        assertThat(report.failedBatches()).isZero();
        assertThat(report.lastOffset()).isEqualTo(Files.size(file));
        assertThat(report.sourceVersion()).startsWith("size=");
        final List<String> rejects = Files.readAllLines(sync.rejectsFile());
        assertThat(rejects).hasSize(3);
        assertThat(rejects.get(0)).isEqualTo("line,phone_number,reason");
        assertThat(rejects.get(1)).startsWith("4,not-a-number,").contains("not a number");
        assertThat(rejects.get(2)).startsWith("6,+1 555 0100,").contains("valid phone number");
        assertThat(Files.readString(sync.reportFile())).contains("\"successfulBatches\" : 2");

        final SyncReport again = sync(file, 2, false).run();
        assertThat(again.successfulBatches()).as("a finished sync sends nothing more").isEqualTo(2);
        assertThat(again.totalRecords()).isEqualTo(6);
    }

    @Test
    void resumesAfterARefusedBatchAndCountsWhatItSendsAgain() throws IOException {
        final StringBuilder rows = new StringBuilder("phone_number\n");
        for (int i = 0; i < 7; i++) {
            rows.append("+1415555").append(2600 + i).append('\n');
        }
        final Path file = csv(rows.toString());
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults").content(MediaType.JSON,
                "{\"failure\":{\"count\":1,\"status\":\"INVALID_ARGUMENT\",\"after\":2}}").build());
        assertThatThrownBy(() -> sync(file, 2, false).run())
                .isInstanceOf(DncListSync.SyncException.class)
                .hasMessageContaining("refused a batch of 2 numbers")
                .hasMessageContaining("sandbox.fault")
                .hasMessageContaining("correlation id");
        assertThat(listed()).hasSize(4);
        final DncListSync resuming = sync(file, 2, false);
        assertThat(resuming.checkpointFile()).as("the failed run's checkpoint").exists();
        final SyncReport resumed = resuming.run();
        assertThat(resumed.status()).isEqualTo("completed");
        // A finished run leaves its report and rejects, nothing to resume from.
        assertThat(resuming.checkpointFile()).doesNotExist();
        assertThat(resuming.inFlightFile()).doesNotExist();
        assertThat(resuming.reportFile()).exists();
        // Run again on the same source: already synced, nothing is sent, the report is the same.
        assertThat(sync(file, 2, false).run()).isEqualTo(resumed);
        assertThat(listed()).hasSize(7);
        assertThat(resumed.totalRecords()).isEqualTo(7);
        assertThat(resumed.validRecords()).isEqualTo(7);
        assertThat(resumed.successfulBatches()).isEqualTo(4);
        assertThat(resumed.failedBatches()).isEqualTo(1);
        assertThat(resumed.sentAgain()).as("the refused batch was sent again").isEqualTo(2);
    }

    @Test
    void aChangedSourceIsRefusedUnlessRestarted() throws IOException {
        final Path file = csv("phone_number\n+14155552671\n+14155552672\n+14155552673\n");
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults").content(MediaType.JSON,
                "{\"failure\":{\"count\":1,\"status\":\"INVALID_ARGUMENT\",\"after\":1}}").build());
        assertThatThrownBy(() -> sync(file, 1, false).run()).isInstanceOf(DncListSync.SyncException.class);
        Files.writeString(file, "phone_number\n+14155552671\n+14155552674\n+14155552673\n+14155552675\n");
        assertThatThrownBy(() -> sync(file, 1, false).run())
                .isInstanceOf(DncListSync.SyncException.class)
                .hasMessageContaining("changed since the checkpoint")
                .hasMessageContaining("--restart");
        final SyncReport restarted = sync(file, 1, true).run();
        assertThat(restarted.totalRecords()).isEqualTo(4);
        assertThat(listed()).contains("+14155552674", "+14155552675");
    }

    @Test
    void aFileWithoutHeaderIsReadAsPhoneReasonSource() throws IOException {
        final Path file = csv("+14155552671,requested,web\n+442079460958,complaint,phone\n");
        final SyncReport report = sync(file, 200, false).run();
        assertThat(report.validRecords()).isEqualTo(2);
        assertThat(listed()).containsExactly("+14155552671", "+442079460958");
    }
}
