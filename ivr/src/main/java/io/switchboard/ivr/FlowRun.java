package io.switchboard.ivr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One flow running on one call: its state, its events so far, and its outcome once it ends.
 * Thread-safe: the engine's thread appends, any thread reads or cancels.
 */
public final class FlowRun {

    /** Where a run stands. */
    public enum State { RUNNING, ENDED }

    /**
     * Something that happened in a run.
     *
     * @param at when
     * @param type {@code step}, {@code play}, {@code digits}, {@code no_input}, {@code no_match},
     *        {@code retry}, {@code transfer}, {@code opt_out}, {@code error} or {@code outcome}
     * @param node the node it happened at, if any
     * @param detail what, e.g. the digits (redacted when the collection is sensitive)
     */
    public record Event(Instant at, String type, @Nullable String node, @Nullable String detail) {}

    private final String id;
    private final String callId;
    private final String flow;
    private final @Nullable String phoneNumber;
    private final List<Event> events = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile @Nullable String outcome;
    private volatile boolean cancelled;
    private volatile @Nullable Thread thread;
    private volatile @Nullable Instant endedAt;

    FlowRun(String id, String callId, String flow, @Nullable String phoneNumber) {
        this.id = id;
        this.callId = callId;
        this.flow = flow;
        this.phoneNumber = phoneNumber;
    }

    /** Returns the number on the other end of the call, as the run was started with it, or null. */
    public @Nullable String phoneNumber() {
        return phoneNumber;
    }

    public String id() {
        return id;
    }

    public String callId() {
        return callId;
    }

    public String flow() {
        return flow;
    }

    /** Returns whether the run is still going. */
    public State state() {
        return outcome == null ? State.RUNNING : State.ENDED;
    }

    /**
     * Returns how the run ended: the flow's own outcome ({@code success}, {@code transfer},
     * {@code timeout}, {@code max_attempts}, ...), {@code hangup} when the caller hung up,
     * {@code cancelled}, or {@code failed}; null while it runs.
     */
    public @Nullable String outcome() {
        return outcome;
    }

    /** Returns the events so far. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Stops the run: no request reaches the platform after this returns, but one already sent. */
    public void cancel() {
        cancelled = true;
        final Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Waits up to {@code millis} for the run to end; returns whether it has. */
    public boolean await(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean cancelled() {
        return cancelled;
    }

    void runOn(Thread t) {
        thread = t;
    }

    synchronized void add(Event event) {
        events.add(event);
    }

    /** Returns when the run ended, or null while it runs. */
    public @Nullable Instant endedAt() {
        return endedAt;
    }

    void end(String outcome, Instant at) {
        endedAt = at;
        this.outcome = outcome;
        thread = null;
        ended.countDown();
    }
}
