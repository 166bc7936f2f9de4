package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.compliance.dnc.DncStore;

/**
 * The DNC lists: a listed number is {@code dnc_blacklist}. The store is asked once per batch;
 * when it fails or does not answer in time, every undecided number is {@code dnc_unavailable}.
 * The store's answer (with each number's own geographic rule) is kept on the batch for the
 * rules after this one.
 */
public final class DncListRule implements ScrubRule {

    private static final Logger logger = LoggerFactory.getLogger(DncListRule.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final DncStore store;
    private final AtomicLong unansweredSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /** Creates the rule over {@code store}. */
    public DncListRule(DncStore store) {
        this.store = requireNonNull(store, "store");
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        final int n = batch.size();
        final int[] index = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (batch.undecided(i)) {
                index[count++] = i;
            }
        }
        if (count == 0) {
            return CompletableFuture.completedFuture(null);
        }
        final long[] numbers = new long[count];
        for (int k = 0; k < count; k++) {
            numbers[k] = batch.digits(index[k]);
        }
        final int asked = count;
        final CompletableFuture<DncStore.Lookup> lookup;
        try {
            lookup = store.lookup(numbers);
        } catch (RuntimeException e) {
            unavailable(batch, index, asked, e);
            return CompletableFuture.completedFuture(null);
        }
        return lookup.orTimeout(Math.max(1, batch.timeout().toMillis()), TimeUnit.MILLISECONDS)
                     .handle((found, failure) -> {
                         if (failure != null) {
                             unavailable(batch, index, asked, failure);
                             return null;
                         }
                         batch.lookup(new DncStore.Lookup(spread(found.listed(), index, asked, n),
                                                          spread(found.geoRules(), index, asked, n)));
                         for (int k = 0; k < asked; k++) {
                             if (found.listed()[k]) {
                                 batch.decide(index[k], ScrubEngine.DNC_LISTED);
                             }
                         }
                         return null;
                     });
    }

    /** Returns the answers laid out by contact index, so that later rules read them by contact. */
    private static boolean[] spread(boolean[] answers, int[] index, int count, int n) {
        final boolean[] out = new boolean[n];
        for (int k = 0; k < count; k++) {
            out[index[k]] = answers[k];
        }
        return out;
    }

    private static GeoRule[] spread(GeoRule[] answers, int[] index, int count, int n) {
        final GeoRule[] out = new GeoRule[n];
        for (int k = 0; k < count; k++) {
            out[index[k]] = answers[k];
        }
        return out;
    }

    private void unavailable(ScrubBatch batch, int[] index, int count, Throwable failure) {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
        // During an outage every batch fails: one line every 10 s says how many, not one a batch.
        final long unanswered = unansweredSinceLog.addAndGet(count);
        final long now = System.nanoTime();
        final long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            unansweredSinceLog.addAndGet(-unanswered);
            logger.warn("DNC store did not answer for {} numbers since the last report ({}); all blocked as "
                        + "dnc_unavailable", unanswered,
                        cause instanceof TimeoutException ? "deadline passed" : cause.toString());
        }
        for (int k = 0; k < count; k++) {
            batch.decide(index[k], ScrubEngine.UNAVAILABLE);
        }
    }
}
