package io.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the heap in use (the whole heap, at one instant) every few milliseconds on a thread
 * of its own, and keeps the most seen: what a run needed at its busiest, garbage not yet
 * collected included. Close it to stop sampling.
 */
final class HeapSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong most = new AtomicLong();
    private final Thread thread;

    private HeapSampler(long everyMillis) {
        thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts sampling every {@code everyMillis}. */
    static HeapSampler start(long everyMillis) {
        return new HeapSampler(everyMillis);
    }

    private void sample() {
        most.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    /** Returns the most heap in use seen so far, in MiB. */
    long mostMiB() {
        sample();
        return most.get() >> 20;
    }

    /** Returns the heap limit (-Xmx), in MiB. */
    long limitMiB() {
        return memory.getHeapMemoryUsage().getMax() >> 20;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
