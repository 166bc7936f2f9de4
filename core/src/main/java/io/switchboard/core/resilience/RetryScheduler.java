package io.switchboard.core.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: where {@link ResilientInvoker} waits between attempts. A waiting
 * retry must hold no thread, so production code schedules on an event loop; tests pass one
 * that advances a fake clock instead of waiting.
 */
@FunctionalInterface
public interface RetryScheduler {

    /** Runs {@code task} once {@code delay} has passed. */
    void schedule(Duration delay, Runnable task);

    /** Returns a scheduler that uses {@code executor}, e.g. an Armeria event loop group. */
    static RetryScheduler on(ScheduledExecutorService executor) {
        requireNonNull(executor, "executor");
        return (delay, task) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
