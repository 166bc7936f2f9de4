package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.campaigns.DncListPort;

/**
 * The embedded store seen as a DNC list, so that {@code dnc sync --to store} runs the same
 * pipeline as a sync to a platform list. Expiry is not kept: a number stays until removed.
 */
public final class StoreDncList implements DncListPort {

    /** The id the store answers to. */
    public static final String ID = "store";

    private final DncStore store;

    /** Creates the view over {@code store}. */
    public StoreDncList(DncStore store) {
        this.store = requireNonNull(store, "store");
    }

    @Override
    public CompletableFuture<DncList> create(String name, Instant deadline) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "the embedded store is one list; it cannot create others"));
    }

    @Override
    public CompletableFuture<DncList> list(String listId, Instant deadline) {
        return store.stats().thenApply(stats -> new DncList(ID, stats.kind() + " DNC store", true, stats.numbers()));
    }

    @Override
    public CompletableFuture<Void> addNumbers(String listId, List<String> e164, @Nullable Instant expires,
                                              Instant deadline) {
        final long[] numbers = new long[e164.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = Long.parseLong(e164.get(i).substring(1));
        }
        return store.addAll(numbers).thenApply(added -> null);
    }
}
