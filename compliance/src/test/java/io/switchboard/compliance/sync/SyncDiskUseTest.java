package io.switchboard.compliance.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.StoreDncList;

/** What an import may write to disk: bounded rejects, and files that do not outlive their retention. */
class SyncDiskUseTest {

    @TempDir
    Path dir;

    @Test
    void aHugeMalformedLineCostsAFewHundredBytesOfRejects() throws Exception {
        final Path csv = dir.resolve("huge.csv");
        final String huge = "x".repeat(5_000_000);
        Files.writeString(csv, "phone_number\n" + huge + "\n+12125550100\n" + huge + "\n");
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir.resolve("dnc"))) {
            final DncListSync sync = DncListSync.builder(new FileSource(csv), new StoreDncList(store), StoreDncList.ID,
                                                         "store")
                                                .workDir(dir.resolve("work")).build();
            final SyncReport report = sync.run();
            assertThat(report.invalidRecords()).isEqualTo(2);
            assertThat(report.validRecords()).isEqualTo(1);
            assertThat(Files.size(sync.rejectsFile())).as("rejects of two 5 MB lines").isLessThan(2_000);
            assertThat(Files.readString(sync.rejectsFile())).contains("(5000000 characters)");
        }
    }

    @Test
    void pastItsLimitTheRejectsFileSaysSoAndRejectionsAreOnlyCounted() throws Exception {
        final Path csv = dir.resolve("bad.csv");
        final StringBuilder rows = new StringBuilder("phone_number\n");
        for (int i = 0; i < 1_000; i++) {
            rows.append("not-a-number-").append(i).append('\n');
        }
        Files.writeString(csv, rows);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir.resolve("dnc"))) {
            final DncListSync sync = DncListSync.builder(new FileSource(csv), new StoreDncList(store), StoreDncList.ID,
                                                         "store")
                                                .workDir(dir.resolve("work")).maxRejectsBytes(4_096).build();
            final SyncReport report = sync.run();
            assertThat(report.invalidRecords()).isEqualTo(1_000);
            final String rejects = Files.readString(sync.rejectsFile());
            assertThat(Files.size(sync.rejectsFile())).isLessThan(4_096 + 400);
            assertThat(rejects).contains("reached its 4096-byte limit").doesNotContain("not-a-number-999");
        }
    }

    @Test
    void aMalformedCsvStopsTheSyncAndSaysExactlyWhatWasStored() throws Exception {
        final Path csv = dir.resolve("unbalanced.csv");
        final StringBuilder rows = new StringBuilder("phone_number\n");
        for (int i = 0; i < 4_500; i++) {
            rows.append("+1212555").append(String.format("%04d", i)).append('\n');
        }
        rows.append("\"+12125559999,broken\n+12125559998\n");
        Files.writeString(csv, rows);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir.resolve("dnc"))) {
            final DncListSync sync = DncListSync.builder(new FileSource(csv), new StoreDncList(store), StoreDncList.ID,
                                                         "store")
                                                .workDir(dir.resolve("work")).batchSize(1_000).build();
            final DncListSync.SyncException e = org.junit.jupiter.api.Assertions.assertThrows(
                    DncListSync.SyncException.class, sync::run);
            assertThat(e.getMessage()).startsWith("line 4502: the CSV cannot be read on (")
                                      .contains("stored 4000 valid numbers from lines 1 to 4001 before it");
            assertThat(store.stats().join().numbers()).as("exactly what the message says").isEqualTo(4_000);
            assertThat(Files.readString(sync.reportFile())).contains("\"status\" : \"failed\"")
                                                          .contains("line 4502");
        }
    }

    @Test
    void filesPastTheirRetentionAreDeleted() throws Exception {
        final Instant now = Instant.parse("2026-11-29T12:00:00Z");
        final Path old = Files.writeString(dir.resolve("sync-old.report.json"), "{}");
        final Path recent = Files.writeString(dir.resolve("sync-new.report.json"), "{}");
        Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofDays(31))));
        Files.setLastModifiedTime(recent, FileTime.from(now.minus(Duration.ofDays(29))));
        final int deleted = WorkFiles.deleteOlderThan(dir, Duration.ofDays(30), Clock.fixed(now, ZoneOffset.UTC));
        assertThat(deleted).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(WorkFiles.deleteOlderThan(dir.resolve("absent"), Duration.ofDays(30), Clock.systemUTC())).isZero();
    }
}
