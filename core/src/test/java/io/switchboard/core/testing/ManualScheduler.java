package io.switchboard.core.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.switchboard.core.resilience.RetryScheduler;

/**
 * A {@link RetryScheduler} that does not wait: it moves a {@link MutableClock} by the delay
 * and runs the task at once, recording every delay it was asked for.
 */
public final class ManualScheduler implements RetryScheduler {

    private final MutableClock clock;
    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    /** Creates a scheduler that advances {@code clock}. */
    public ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void schedule(Duration delay, Runnable task) {
        delays.add(delay);
        clock.advance(delay);
        task.run();
    }

    /** Returns the delays asked for, in order. */
    public List<Duration> delays() {
        return List.copyOf(delays);
    }
}
