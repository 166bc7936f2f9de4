package io.switchboard.gateway.internal;

import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of what a gateway opened: each resource is registered as it is opened, and
 * {@link #close()} closes them in the reverse order, so that nothing is closed before what
 * uses it. A resource that fails to close is logged, and the rest are still closed.
 *
 * <p>Threading: registration happens during start-up on one thread; {@link #close()} runs once.
 */
public final class Resources implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Resources.class);

    private final Deque<Entry> opened = new ArrayDeque<>();

    private record Entry(String name, AutoCloseable resource) {}

    /** Registers {@code resource}, opened just now, and returns it. */
    public <T extends AutoCloseable> T add(String name, T resource) {
        synchronized (opened) {
            opened.push(new Entry(name, resource));
        }
        return resource;
    }

    /** Closes every registered resource, the last opened first. */
    @Override
    public void close() {
        while (true) {
            final Entry next;
            synchronized (opened) {
                next = opened.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.resource().close();
            } catch (Exception e) {
                logger.warn("Closing {} failed: {}", next.name(), e.toString());
            }
        }
    }
}
