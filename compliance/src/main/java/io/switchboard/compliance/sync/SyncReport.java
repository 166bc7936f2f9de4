package io.switchboard.compliance.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import io.switchboard.core.io.AtomicFiles;

/**
 * The compliance report of a sync, written as JSON beside its checkpoint (or where asked).
 *
 * @param timestamp when the report was written
 * @param status {@code completed} or {@code failed}
 * @param error why it failed: the platform's error code, message and correlation id
 * @param totalRecords data rows read, over every run of this sync
 * @param skippedRecords rows not sent: invalid ones and duplicates
 * @param lastOffset the byte up to which rows were sent and acknowledged
 * @param durationMs this run's duration
 * @param ratePerSecond rows this run read, per second
 * @param rejectsFile where the rejected rows are, with line numbers and reasons
 */
public record SyncReport(Instant timestamp, String status, @Nullable String error, String source,
                         String sourceVersion, String target, String dncListId, long totalRecords,
                         long validRecords, long invalidRecords, long duplicates, long skippedRecords,
                         long successfulBatches, long failedBatches, long sentAgain, long lastOffset,
                         Instant startedAt, Instant endedAt, long durationMs, double ratePerSecond,
                         String rejectsFile) {

    /** Reads the report in {@code file}, if there is one that can be read. */
    public static java.util.Optional<SyncReport> read(Path file) {
        try {
            return java.nio.file.Files.exists(file)
                   ? java.util.Optional.of(SyncCheckpoint.JSON.readValue(file.toFile(), SyncReport.class))
                   : java.util.Optional.empty();
        } catch (IOException unreadable) {
            return java.util.Optional.empty();
        }
    }

    /** Writes the report to {@code file} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, SyncCheckpoint.JSON.writerWithDefaultPrettyPrinter()
                                                                .writeValueAsBytes(this));
    }
}
