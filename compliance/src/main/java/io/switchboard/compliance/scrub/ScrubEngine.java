package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Decides, for each contact of a batch, whether it may be dialled and why not. In order, a
 * number is blocked when it
 * <ol>
 *   <li>is not a valid phone number: {@code invalid_number}, with the cause;</li>
 *   <li>is on the DNC list: {@code dnc_blacklist};</li>
 *   <li>has a geographic rule that blocks it, its own or else its longest prefix's:
 *       {@code geo_blocked_<risk>};</li>
 *   <li>is outside the calling window in its local time: {@code outside_calling_window};</li>
 * </ol>
 * and otherwise allowed ({@code allowed}). It fails closed: when the store fails or does not
 * answer by the deadline, every valid number is blocked with {@code dnc_unavailable}.
 *
 * <p>The store is asked once per batch. Thread-safe.
 */
public final class ScrubEngine {

    private static final Logger logger = LoggerFactory.getLogger(ScrubEngine.class);

    /** The default deadline of one batch: 5 s. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    /** The earliest instant a scrub is judged at: 1970-01-01T00:00:00Z. */
    public static final Instant EARLIEST_AT = Instant.EPOCH;

    /** The latest instant a scrub is judged at: 9999-12-31T23:59:59Z. */
    public static final Instant LATEST_AT = Instant.parse("9999-12-31T23:59:59Z");

    /** What callers are told an instant must be. */
    public static final String AT_RANGE = "an ISO-8601 instant from " + EARLIEST_AT + " to " + LATEST_AT
                                          + ", e.g. 2026-11-21T15:00:00Z";

    /** Returns whether a scrub can be judged at {@code at}: between {@link #EARLIEST_AT} and {@link #LATEST_AT}. */
    public static boolean judgeable(Instant at) {
        return !at.isBefore(EARLIEST_AT) && !at.isAfter(LATEST_AT);
    }

    /** The most contacts one batch may carry by default: 10,000. */
    public static final int DEFAULT_MAX_BATCH = 10_000;

    /** A clean number. */
    public static final Decision ALLOWED = new Decision(false, "allowed", null);
    /** A number on the DNC list. */
    public static final Decision DNC_LISTED = new Decision(true, "dnc_blacklist", null);
    /** A number outside the calling window. */
    public static final Decision OUTSIDE_WINDOW = new Decision(true, "outside_calling_window", null);
    /** A number the store could not judge. */
    public static final Decision UNAVAILABLE = new Decision(true, "dnc_unavailable", null);

    private static final long UNAVAILABLE_LOG_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final java.util.concurrent.atomic.AtomicLong unansweredSinceLog = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastUnavailableLog =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - UNAVAILABLE_LOG_EVERY_NANOS);
    private final PhoneNumbers phoneNumbers;
    private final DncStore store;
    private final GeoRules geoRules;
    private final CallingWindow window;

    /** Creates an engine that judges numbers against {@code store}, {@code geoRules} and {@code window}. */
    public ScrubEngine(PhoneNumbers phoneNumbers, DncStore store, GeoRules geoRules, CallingWindow window) {
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.store = requireNonNull(store, "store");
        this.geoRules = requireNonNull(geoRules, "geoRules");
        this.window = requireNonNull(window, "window");
    }

    /** Returns how numbers are read: the gateway's other number fields read them the same way. */
    public PhoneNumbers phoneNumbers() {
        return phoneNumbers;
    }

    /**
     * Judges {@code phoneNumbers}, as given by the caller.
     *
     * @param at the instant at which to judge the calling window
     * @param checkWindow whether to apply the calling window at all
     * @param timeout how long the store may take; past it, numbers are {@code dnc_unavailable}
     * @return one decision per number, in order; never fails
     */
    public CompletableFuture<Decision[]> scrub(List<String> phoneNumbers, Instant at, boolean checkWindow,
                                               Duration timeout) {
        requireNonNull(phoneNumbers, "phoneNumbers");
        requireNonNull(at, "at");
        final int n = phoneNumbers.size();
        final Decision[] decisions = new Decision[n];
        final long[] digits = new long[n];
        final int[] index = new int[n];
        int valid = 0;
        for (int i = 0; i < n; i++) {
            final String raw = phoneNumbers.get(i);
            try {
                digits[valid] = this.phoneNumbers.toDigits("phoneNumber", raw == null ? "" : raw);
                index[valid++] = i;
            } catch (InvalidArgumentException e) {
                decisions[i] = new Decision(true, "invalid_number", e.getMessage());
            }
        }
        if (valid == 0) {
            return CompletableFuture.completedFuture(decisions);
        }
        final long[] numbers = valid == n ? digits : java.util.Arrays.copyOf(digits, valid);
        final int count = valid;
        final CompletableFuture<DncStore.Lookup> lookup;
        try {
            lookup = store.lookup(numbers);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unavailable(decisions, index, count, e));
        }
        return lookup.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS).handle((found, failure) -> {
            if (failure != null) {
                return unavailable(decisions, index, count, failure);
            }
            final CallingWindow.Judge judge = checkWindow ? window.at(at) : null;
            for (int k = 0; k < count; k++) {
                decisions[index[k]] = decide(numbers[k], found.listed()[k], found.geoRules()[k], judge);
            }
            return decisions;
        });
    }

    private Decision decide(long number, boolean listed, @Nullable GeoRule own, CallingWindow.@Nullable Judge judge) {
        if (listed) {
            return DNC_LISTED;
        }
        final GeoRule rule = own != null ? own : geoRules.ruleFor(number);
        if (rule != null && !rule.allowed()) {
            return new Decision(true, rule.reason(), null);
        }
        if (judge != null && !judge.inside(number)) {
            return OUTSIDE_WINDOW;
        }
        return ALLOWED;
    }

    private Decision[] unavailable(Decision[] decisions, int[] index, int count, Throwable failure) {
        final Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
        // During an outage every batch fails: one line every 10 s says how many, not one a batch.
        final long unanswered = unansweredSinceLog.addAndGet(count);
        final long now = System.nanoTime();
        final long last = lastUnavailableLog.get();
        if (now - last >= UNAVAILABLE_LOG_EVERY_NANOS && lastUnavailableLog.compareAndSet(last, now)) {
            unansweredSinceLog.addAndGet(-unanswered);
            logger.warn("DNC store did not answer for {} numbers since the last report ({}); all blocked as "
                        + "dnc_unavailable", unanswered,
                        cause instanceof java.util.concurrent.TimeoutException ? "deadline passed" : cause.toString());
        }
        for (int k = 0; k < count; k++) {
            decisions[index[k]] = UNAVAILABLE;
        }
        return decisions;
    }

    /**
     * One contact's verdict.
     *
     * @param blocked whether the number must not be dialled
     * @param reason {@code allowed}, {@code dnc_blacklist}, {@code geo_blocked_<risk>},
     *        {@code invalid_number}, {@code outside_calling_window} or {@code dnc_unavailable}
     * @param detail why a number is invalid; otherwise null
     */
    public record Decision(boolean blocked, String reason, @Nullable String detail) {}
}
