package io.switchboard.compliance.sync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the files that imports and syncs leave (checkpoints, reports, rejects) from piling up:
 * those not changed for longer than the retention are deleted.
 */
public final class WorkFiles {

    /** How long import and sync files are kept by default: 30 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private static final Logger logger = LoggerFactory.getLogger(WorkFiles.class);

    /**
     * Deletes the regular files directly in {@code dir} last modified more than {@code retention}
     * before {@code clock}'s now; a missing directory has nothing to delete.
     *
     * @return how many files were deleted
     */
    public static int deleteOlderThan(Path dir, Duration retention, Clock clock) {
        final Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                try {
                    if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                        && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    logger.warn("Cannot delete {} past its retention: {}", file, e.toString());
                }
            }
        } catch (NoSuchFileException absent) {
            return 0;
        } catch (IOException e) {
            logger.warn("Cannot list {} for files past their retention: {}", dir, e.toString());
        }
        return deleted;
    }

    private WorkFiles() {}
}
