package io.switchboard.compliance.caps;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.switchboard.compliance.rules.FrequencyCap;

/**
 * Where attempts are counted: per subject, the attempts reserved, each with its instant and dial
 * method. A reservation checks every cap and records the attempt as one atomic step, so that two
 * callers racing for a subject's last slot cannot both get it.
 *
 * <p>Implementations: {@link JournaledAttemptLedger} (in the data directory, durable across a
 * restart) and {@link RedisAttemptLedger} (shared by replicas). A failed future means the ledger
 * could not answer: callers must then refuse the attempt ({@code caps_unavailable}).
 */
public interface AttemptLedger extends AutoCloseable {

    /**
     * Reserves an attempt on {@code subject} if none of {@code caps} is reached in the windows
     * that end at {@code at}, and records it at {@code now}; forgets the subject's attempts older
     * than {@code now - keep}, and never any younger.
     *
     * @param id the attempt's id, from {@link Attempts#newId}
     * @param at the instant judged (no later than {@code now}: an early instant counts more)
     * @param caps the caps that govern the attempt; empty, it is granted and recorded
     * @param keep how long the subject's attempts are kept: at least the longest window of every
     *        cap that could count them, whatever governs this one
     */
    CompletableFuture<Attempts.Verdict> reserve(String subject, String id, Instant at, List<FrequencyCap> caps,
                                                Instant now, java.time.Duration keep);

    /**
     * Releases attempt {@code id} (a dial that never left) if it was reserved no more than
     * {@code grace} before {@code now}.
     */
    CompletableFuture<Release> release(String id, Instant now, java.time.Duration grace);

    /**
     * Returns, for each subject, its attempts recorded since {@code since}, oldest first: what
     * {@link Attempts#judge} needs to say whether a cap is reached, without reserving.
     */
    CompletableFuture<List<List<Attempts.Entry>>> attempts(List<String> subjects, Instant since);

    /**
     * Returns whether every answer of the ledger is bounded in time by the ledger itself (a Redis
     * client's command timeout), so that callers need not set a deadline of their own.
     */
    default boolean boundsItself() {
        return false;
    }

    /** Returns {@code embedded} or {@code redis}. */
    String kind();

    @Override
    void close();

    /** What a release found. */
    enum Release {
        /** The attempt no longer counts. */
        RELEASED,
        /** No such attempt: never reserved, released already, or forgotten. */
        UNKNOWN,
        /** Reserved longer ago than the grace: the dial may have left, and the attempt counts. */
        TOO_LATE;

        /** Returns the release named by a ledger's answer code: 1, -1 or -2. */
        static Release of(long code) {
            return code == 1 ? RELEASED : code == -2 ? TOO_LATE : UNKNOWN;
        }
    }
}
