package io.switchboard.compliance.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.switchboard.core.io.AtomicFiles;

/**
 * Where a sync stands, so that it can resume: written after every batch the platform
 * acknowledged, and before every batch is sent (then marking the batch as in flight, so that a
 * resume knows which rows it sends again). Written atomically ({@link AtomicFiles}).
 *
 * @param source what is being synced
 * @param sourceVersion the content's version; a resume against another version is refused
 * @param target where the numbers go, e.g. {@code genesys:<dncListId>}
 * @param offset the byte where the next unsent row starts
 * @param line the CSV record number of the last row before {@code offset} (the header counts)
 * @param counts the tallies so far
 * @param rejectsLength the rejects file's length at {@code offset}
 * @param inFlightUntil after the platform refused a batch: the byte where the rows after it
 *        start (a batch merely being sent is noted in a file of its own; see
 *        {@code DncListSync.inFlightFile()})
 * @param startedAt when the sync first started
 * @param columns where the phone number, reason and source are
 */
public record SyncCheckpoint(String source, String sourceVersion, String target, long offset, long line,
                             SyncCounts counts, long rejectsLength, @Nullable Long inFlightUntil,
                             Instant startedAt, Columns columns) {

    /**
     * Which CSV columns hold what, 0-based; -1 where the file has no such column ({@code areaCode}:
     * null), and a number is its area code's column followed by its own.
     * Kept in the checkpoint because a resumed run starts after the header.
     */
    public record Columns(int phoneNumber, int reason, int source, @Nullable Integer areaCode) {
        /**
         * The columns of a file without a header: {@code phone_number,reason,source}, or a
         * registry's {@code area_code,number} (a row whose first field is three digits and
         * second digits).
         */
        public static final Columns POSITIONAL = new Columns(0, 1, 2, null);
    }

    static final ObjectMapper JSON = JsonMapper.builder()
                                               .addModule(new JavaTimeModule())
                                               .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                               .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                               .build();

    /** Checks the components. */
    public SyncCheckpoint {
        requireNonNull(source, "source");
        requireNonNull(sourceVersion, "sourceVersion");
        requireNonNull(target, "target");
        requireNonNull(counts, "counts");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(columns, "columns");
    }

    /** Reads the checkpoint at {@code file}, if there is one. */
    public static Optional<SyncCheckpoint> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), SyncCheckpoint.class));
    }

    /** Writes this checkpoint to {@code file} atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
}
