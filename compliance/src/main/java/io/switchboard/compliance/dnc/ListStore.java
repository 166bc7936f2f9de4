package io.switchboard.compliance.dnc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Every DNC list beside nothing but numbers: global, per campaign and per brand, of each kind
 * ({@link DncList}); each entry's expiry, each list's settings (when a registry copy was
 * published), and each number's records (consents, opt-outs). The seed's global list is one of
 * them: its numbers are where the {@link DncStore} keeps them.
 *
 * <p>Implementations: {@link EmbeddedListStore} and {@link RedisListStore}. A failed future means
 * the store could not answer; callers that decide whether to dial must then block.
 */
public interface ListStore extends AutoCloseable {

    /**
     * Returns the lists that have been written to, with their settings. On Redis the answer is
     * at most 500 ms old (lists that other replicas create show up within that).
     */
    List<ListInfo> lists();

    /**
     * Returns the lists, as {@link #lists}, but never older than 500 ms: a scrub waits for them
     * to be read again rather than miss a list another replica has just created.
     */
    default CompletableFuture<List<ListInfo>> currentLists() {
        return CompletableFuture.completedFuture(lists());
    }

    /** Returns, list by list, whether each of {@code e164} is on it (expired entries included). */
    CompletableFuture<boolean[][]> contains(List<DncList> lists, long[] e164);

    /**
     * Returns, list by list, the expiry of each of that list's numbers in {@code e164} that has
     * one (numbers without one are absent from the map).
     */
    CompletableFuture<List<Map<Long, Instant>>> expiries(List<DncList> lists, List<long[]> e164);

    /**
     * Puts {@code e164} on {@code list}, until {@code expiresAt} (null: with no expiry, dropping
     * one an entry had); completes with how many were not on it before.
     */
    CompletableFuture<Long> add(DncList list, long[] e164, @Nullable Instant expiresAt);

    /** Takes {@code e164} off {@code list}; completes with how many were on it. */
    CompletableFuture<Long> remove(DncList list, long[] e164);

    /** Records when the source of registry list {@code list} was published. */
    CompletableFuture<Void> refreshed(DncList list, Instant publishedAt);

    /**
     * Starts loading a new version of registry list {@code list} beside the one readers use.
     * Readers go on answering from the current version, never from a part of the new one, until
     * {@link Replacement#commit} switches them all to it at once; the old version is then
     * deleted. A replacement that is abandoned or interrupted leaves the current version as it
     * was, and what it had loaded is deleted (at the latest when the store is opened next).
     *
     * <p>Numbers added to or removed from the list by other calls while a replacement loads are
     * not carried into the new version: the replacement is the whole list.
     *
     * @throws IllegalArgumentException (in the future) if {@code list} is not a registry list,
     *         or (embedded store) another replacement of it is loading
     */
    CompletableFuture<Replacement> replace(DncList list);

    /** Returns how many numbers {@code list} holds (expired entries included). */
    CompletableFuture<Long> size(DncList list);

    /** Returns each number's records, field to JSON (fields such as {@code consent|<scope>|<type>}). */
    CompletableFuture<List<Map<String, String>>> records(long[] e164);

    /** Sets and removes (null) fields of one number's records. */
    CompletableFuture<Void> changeRecords(long e164, Map<String, @Nullable String> changes);

    @Override
    void close();

    /**
     * Returns why a new version of {@code loaded} numbers must not replace one of {@code current}
     * (a copy with no numbers, or with fewer than half the current one's unless
     * {@code allowShrink}: a truncated or wrong file would otherwise make every number it lacks
     * callable at once), or null if it may.
     */
    static @Nullable String refusal(long loaded, long current, boolean allowShrink) {
        if (loaded == 0) {
            return "the new version holds no numbers; the current version stays";
        }
        if (!allowShrink && loaded * 2 < current) {
            return "the new version holds " + loaded + " numbers, fewer than half the current version's " + current
                   + " (a truncated or wrong file?); the current version stays. To replace it anyway: allowShrink=true "
                   + "(--allow-shrink)";
        }
        return null;
    }

    /** A new version of a registry list being loaded ({@link #replace}). */
    interface Replacement {

        /** Returns the list this replaces. */
        DncList list();

        /** Puts {@code e164} on the new version (its entries do not expire); completes with how many were new. */
        CompletableFuture<Long> add(long[] e164);

        /**
         * Switches readers to the new version, which records {@code publishedAt} as when its
         * source was published, and deletes the old one; completes with how many numbers were
         * loaded. Fails, leaving the current version in place, if a newer replacement was
         * committed meanwhile.
         */
        CompletableFuture<Long> commit(Instant publishedAt);

        /** Discards the new version; the current one stays. */
        CompletableFuture<Void> abort();
    }

    /**
     * A list and its settings.
     *
     * @param list which
     * @param refreshedAt for a registry copy, when its source was published; else null
     * @param expiring whether any of its entries was given an expiry
     */
    record ListInfo(DncList list, @Nullable Instant refreshedAt, boolean expiring) {}
}
