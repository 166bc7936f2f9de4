package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.dnc.DncStore;

/**
 * A batch of contacts being scrubbed: each contact's number as digits (valid ones only), its
 * decision so far, and what rules share (the instant judged, the store's answer). Used by one
 * thread at a time, rule after rule.
 */
public final class ScrubBatch {

    private final List<Contact> contacts;
    private final Instant at;
    private final boolean checkTimes;
    private final Duration timeout;
    private final long[] digits;
    private final ScrubEngine.@Nullable Decision[] decisions;
    private DncStore.@Nullable Lookup lookup;
    private ScrubEngine.@Nullable Decision @Nullable [] allowedAs;

    ScrubBatch(List<Contact> contacts, Instant at, boolean checkTimes, Duration timeout, long[] digits,
               ScrubEngine.@Nullable Decision[] decisions) {
        this.contacts = requireNonNull(contacts, "contacts");
        this.at = requireNonNull(at, "at");
        this.checkTimes = checkTimes;
        this.timeout = requireNonNull(timeout, "timeout");
        this.digits = digits;
        this.decisions = decisions;
    }

    /** Returns how many contacts there are. */
    public int size() {
        return contacts.size();
    }

    /** Returns contact {@code i}. */
    public Contact contact(int i) {
        return contacts.get(i);
    }

    /** Returns contact {@code i}'s number as digits (set by {@link ValidityRule}, for a valid number). */
    public long digits(int i) {
        return digits[i];
    }

    /** Keeps contact {@code i}'s number as digits. */
    void digits(int i, long e164) {
        digits[i] = e164;
    }

    /** Returns the instant judged. */
    public Instant at() {
        return at;
    }

    /** Returns whether calling times are judged at all ({@code callingWindow=false} leaves them out). */
    public boolean checkTimes() {
        return checkTimes;
    }

    /** Returns how long a store may take. */
    public Duration timeout() {
        return timeout;
    }

    /** Returns whether contact {@code i} is still undecided. */
    public boolean undecided(int i) {
        return decisions[i] == null;
    }

    /** Decides contact {@code i}. */
    public void decide(int i, ScrubEngine.Decision decision) {
        decisions[i] = requireNonNull(decision, "decision");
    }

    /**
     * Says how contact {@code i} is allowed if no later rule blocks it: {@code allowed_exemption}
     * for a number on a registry list that a consent exempts.
     */
    public void allowAs(int i, ScrubEngine.Decision decision) {
        if (allowedAs == null) {
            allowedAs = new ScrubEngine.Decision[decisions.length];
        }
        allowedAs[i] = requireNonNull(decision, "decision");
    }

    /** Returns the DNC store's answer for this batch, once the list rule has it; else null. */
    public DncStore.@Nullable Lookup lookup() {
        return lookup;
    }

    void lookup(DncStore.Lookup found) {
        this.lookup = found;
    }

    /** Returns the decisions, undecided contacts allowed. */
    ScrubEngine.Decision[] decisions() {
        final ScrubEngine.Decision[] out = new ScrubEngine.Decision[decisions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = decisions[i] != null ? decisions[i]
                     : allowedAs != null && allowedAs[i] != null ? allowedAs[i] : ScrubEngine.ALLOWED;
        }
        return out;
    }
}
