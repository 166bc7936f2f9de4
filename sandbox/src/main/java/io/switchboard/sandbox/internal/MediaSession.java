package io.switchboard.sandbox.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A simulated media session and the commands it received. Thread-safe. */
public final class MediaSession {

    /** The most events kept per session; older ones are dropped (and counted). */
    public static final int MAX_EVENTS = 10_000;

    /** One command the session received; fields that do not apply to its type are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(String type, @Nullable String tone, @Nullable Integer durationMs, @Nullable Float volume,
                        Instant at) {}

    private final String id;
    private final Instant createdAt;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long received;
    private @Nullable Instant endedAt;
    private float volume = 1.0f;

    MediaSession(String id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }

    /** Returns the session id. */
    public String id() {
        return id;
    }

    /** Returns when the session was created. */
    public Instant createdAt() {
        return createdAt;
    }

    /** Returns when the session ended, if it has. */
    public synchronized @Nullable Instant endedAt() {
        return endedAt;
    }

    /** Returns the session's current volume. */
    public synchronized float volume() {
        return volume;
    }

    /** Returns how many commands the session received in all, including dropped events. */
    public synchronized long received() {
        return received;
    }

    synchronized boolean end(Instant at) {
        if (endedAt != null) {
            return false;
        }
        endedAt = at;
        return true;
    }

    synchronized void recordTone(String tone, int durationMs, Instant at) {
        add(new Event("dtmf", tone, durationMs, null, at));
    }

    synchronized void recordVolume(float volume, Instant at) {
        this.volume = volume;
        add(new Event("volume", null, null, volume, at));
    }

    /** Returns a copy of the events kept, oldest first. */
    public synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    private void add(Event event) {
        received++;
        if (events.size() == MAX_EVENTS) {
            events.removeFirst();
        }
        events.addLast(event);
    }
}
