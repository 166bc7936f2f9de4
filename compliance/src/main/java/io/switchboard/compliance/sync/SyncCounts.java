package io.switchboard.compliance.sync;

/**
 * A sync's tallies.
 *
 * @param totalRecords data rows read (the header is not one)
 * @param validRecords rows with a valid number, sent or to be sent
 * @param invalidRecords rows rejected, each in the rejects file with its line and reason
 * @param duplicates rows whose number appeared earlier in this run; not sent again
 * @param successfulBatches batches the platform acknowledged
 * @param failedBatches batches the platform refused (the sync stops at the first)
 * @param sentAgain rows sent again after a resume, because their batch was in flight when the
 *        previous run stopped
 */
public record SyncCounts(long totalRecords, long validRecords, long invalidRecords, long duplicates,
                         long successfulBatches, long failedBatches, long sentAgain) {

    /** Returns all zeros. */
    public static SyncCounts zero() {
        return new SyncCounts(0, 0, 0, 0, 0, 0, 0);
    }

    SyncCounts plusRecord() {
        return new SyncCounts(totalRecords + 1, validRecords, invalidRecords, duplicates, successfulBatches,
                              failedBatches, sentAgain);
    }

    SyncCounts plusValid() {
        return new SyncCounts(totalRecords, validRecords + 1, invalidRecords, duplicates, successfulBatches,
                              failedBatches, sentAgain);
    }

    SyncCounts plusInvalid() {
        return new SyncCounts(totalRecords, validRecords, invalidRecords + 1, duplicates, successfulBatches,
                              failedBatches, sentAgain);
    }

    SyncCounts plusDuplicate() {
        return new SyncCounts(totalRecords, validRecords, invalidRecords, duplicates + 1, successfulBatches,
                              failedBatches, sentAgain);
    }

    SyncCounts plusBatch(boolean acknowledged, long sentAgainInBatch) {
        return new SyncCounts(totalRecords, validRecords, invalidRecords, duplicates,
                              successfulBatches + (acknowledged ? 1 : 0), failedBatches + (acknowledged ? 0 : 1),
                              sentAgain + sentAgainInBatch);
    }
}
