package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.campaigns.DncListPort;

/**
 * One of the gateway's own lists seen as a platform's DNC list, so that {@code dnc import} and
 * {@code POST /v1/dnc/import} run the same pipeline as a sync to a platform list.
 */
public final class StoreDncList implements DncListPort {

    /** The id the store answers to. */
    public static final String ID = "store";

    private final String name;
    private final java.util.function.Supplier<CompletableFuture<Long>> size;
    private final java.util.function.BiFunction<long[], @Nullable Instant, CompletableFuture<Long>> add;

    /** Creates the view of {@code list}, whose numbers are given {@code expiresAt} unless a batch says otherwise. */
    public StoreDncList(ListStore lists, io.switchboard.compliance.dnc.DncList list, @Nullable Instant expiresAt) {
        requireNonNull(lists, "lists");
        requireNonNull(list, "list");
        this.name = "the store's list " + list.name();
        this.size = () -> lists.size(list);
        this.add = (numbers, expires) -> lists.add(list, numbers, expires != null ? expires : expiresAt);
    }

    /**
     * Creates the view of a new version of a registry list being loaded, whose entries do not
     * expire; its size is what has been loaded so far.
     */
    public StoreDncList(ListStore.Replacement replacement) {
        requireNonNull(replacement, "replacement");
        final java.util.concurrent.atomic.AtomicLong loaded = new java.util.concurrent.atomic.AtomicLong();
        this.name = "a new version of the store's list " + replacement.list().name();
        this.size = () -> CompletableFuture.completedFuture(loaded.get());
        this.add = (numbers, expires) -> replacement.add(numbers).thenApply(n -> {
            loaded.addAndGet(n);
            return n;
        });
    }

    /** Creates the view of the seed's list in {@code store}, whose entries do not expire. */
    public StoreDncList(DncStore store) {
        requireNonNull(store, "store");
        this.name = "the store's list global/internal";
        this.size = () -> store.stats().thenApply(DncStore.Stats::numbers);
        this.add = (numbers, expires) -> store.addAll(numbers);
    }

    @Override
    public CompletableFuture<DncList> create(String name, Instant deadline) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "the store's lists are named by scope and kind; they are not created"));
    }

    @Override
    public CompletableFuture<DncList> list(String listId, Instant deadline) {
        return size.get().thenApply(n -> new DncList(ID, name, true, n));
    }

    @Override
    public CompletableFuture<Void> addNumbers(String listId, List<String> e164, @Nullable Instant expires,
                                              Instant deadline) {
        final long[] numbers = new long[e164.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = Long.parseLong(e164.get(i).substring(1));
        }
        return addDigits(listId, numbers, expires, deadline);
    }

    @Override
    public CompletableFuture<Void> addDigits(String listId, long[] e164, @Nullable Instant expires, Instant deadline) {
        return add.apply(e164, expires).thenApply(added -> null);
    }
}
