package io.switchboard.compliance.scrub;

import java.util.concurrent.CompletableFuture;

/**
 * One concern of the scrub (the DNC lists, geographic rules, calling times, ...), judged on a
 * whole batch: a rule decides the contacts that no earlier rule has decided, and leaves the rest
 * undecided for the next. The engine runs its rules in order; a contact that no rule decides is
 * allowed.
 *
 * <p>A rule that cannot answer decides its contacts as blocked: every rule fails closed.
 */
public interface ScrubRule {

    /**
     * Judges {@code batch}'s undecided contacts.
     *
     * @return done when the rule has decided what it will; never completes exceptionally
     */
    CompletableFuture<Void> apply(ScrubBatch batch);
}
