package io.switchboard.compliance.dnc;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.scrub.GeoRule;

/**
 * Where Do-Not-Call numbers and per-number geographic rules are kept. Numbers are E.164 digits
 * held as {@code long}s ({@code +14155552671} is {@code 14155552671L}). Every operation takes a
 * batch and costs one round trip to the store, never one per number.
 *
 * <p>Implementations: {@link EmbeddedDncStore} (the default, in the data directory) and
 * {@link RedisDncStore} (shared by replicas). A failed future means the store could not
 * answer; callers that decide whether to dial must then treat every number as blocked.
 */
public interface DncStore extends AutoCloseable {

    /** Returns, for each of {@code e164}, whether it is listed and its own geographic rule, if any. */
    CompletableFuture<Lookup> lookup(long[] e164);

    /** Lists {@code e164}; completes with how many were not listed before, once the change is durable. */
    CompletableFuture<Long> addAll(long[] e164);

    /** Unlists {@code e164}; completes with how many were listed. */
    CompletableFuture<Long> removeAll(long[] e164);

    /** Sets the geographic rule of one number, replacing any it had. */
    CompletableFuture<Void> putGeoRule(long e164, GeoRule rule);

    /** Removes the geographic rule of one number; completes with whether it had one. */
    CompletableFuture<Boolean> removeGeoRule(long e164);

    /** Returns what the store holds. */
    CompletableFuture<Stats> stats();

    /**
     * Returns a short account of the store for readiness (e.g. {@code embedded, 12 numbers}),
     * failing when the store cannot answer. Cheap enough to ask every few seconds.
     */
    default CompletableFuture<String> health() {
        return stats().thenApply(s -> s.kind() + ", " + s.numbers() + " numbers");
    }

    /** Releases the store's resources. */
    @Override
    void close();

    /**
     * The answer for a batch, index by index.
     *
     * @param listed whether each number is on the DNC list
     * @param geoRules each number's own geographic rule, or null
     */
    record Lookup(boolean[] listed, @Nullable GeoRule[] geoRules) {}

    /**
     * What a store holds.
     *
     * @param kind {@code embedded} or {@code redis}
     * @param numbers how many numbers are listed
     * @param geoRules how many numbers have their own geographic rule
     * @param memoryBytes the memory the numbers take, where the store knows it; otherwise -1
     */
    record Stats(String kind, long numbers, long geoRules, long memoryBytes) {}
}
