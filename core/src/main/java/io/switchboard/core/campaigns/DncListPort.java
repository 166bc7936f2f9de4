package io.switchboard.core.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.resilience.UpstreamException;

/**
 * The Do-Not-Call lists a platform's dialer honours. Methods never block; futures fail with
 * {@link UpstreamException}.
 */
public interface DncListPort {

    /**
     * A DNC list as the platform holds it.
     *
     * @param appendable whether numbers can be added (only the platform's internal lists)
     * @param size how many numbers it holds
     */
    record DncList(String id, String name, boolean appendable, long size) {}

    /** Creates an internal, appendable list named {@code name}. */
    CompletableFuture<DncList> create(String name, Instant deadline);

    /** Reads a list with its size; a missing list fails with {@link UpstreamException.Kind#NOT_FOUND}. */
    CompletableFuture<DncList> list(String listId, Instant deadline);

    /**
     * Adds E.164 numbers to an appendable list, optionally expiring at {@code expires}. Adding a
     * number the list holds already changes nothing.
     */
    CompletableFuture<Void> addNumbers(String listId, List<String> e164, @Nullable Instant expires, Instant deadline);

    /**
     * Adds numbers given as E.164 digits ({@code 14155552671L} for {@code +14155552671}), as
     * {@link #addNumbers} does; a list that keeps numbers as digits takes them without text in
     * between.
     */
    default CompletableFuture<Void> addDigits(String listId, long[] e164, @Nullable Instant expires, Instant deadline) {
        final List<String> numbers = new java.util.ArrayList<>(e164.length);
        for (long n : e164) {
            numbers.add("+" + n);
        }
        return addNumbers(listId, numbers, expires, deadline);
    }
}
