package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;
import static net.logstash.logback.argument.StructuredArguments.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.linecorp.armeria.common.util.Exceptions;

import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.io.AtomicFiles;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.calls.MuteVerifier;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Unmutes participants when their mute's time is up, also across a restart: pending unmutes
 * are kept in a file in the data directory, rewritten atomically ({@link AtomicFiles}) on
 * every change, and scheduled again by {@link #resume()} at start.
 *
 * <p>An unmute that fails because the platform is unreachable is tried again every
 * {@code retryEvery}; one whose participant is gone (not found, no longer connected) is
 * dropped. Each outcome is audited with action {@code auto_unmute}.
 *
 * <p>Threading: timers run on {@code scheduler}; the file and the map are guarded by this object.
 */
public final class TimedUnmutes implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(TimedUnmutes.class);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    /** One pending unmute. */
    public record Pending(String conversationId, String participantId, Instant unmuteAt, String actor,
                          String requestId) {
        String key() {
            return conversationId + '/' + participantId;
        }
    }

    /** Unmutes a participant, confirming it; as {@link MuteVerifier#setMuted} with {@code false}. */
    @FunctionalInterface
    public interface Unmuter {
        CompletableFuture<MuteVerifier.Confirmed> unmute(String conversationId, String participantId);
    }

    private final Path file;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Unmuter unmuter;
    private final AuditTrail audit;
    private final Duration retryEvery;
    private final RecordingSync recordingSync;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();
    private boolean closed;

    /** Creates the unmutes kept in {@code file}; call {@link #resume()} to load and schedule them. */
    public TimedUnmutes(Path file, Clock clock, ScheduledExecutorService scheduler, Unmuter unmuter, AuditTrail audit,
                        Duration retryEvery, RecordingSync recordingSync) {
        this.file = requireNonNull(file, "file");
        this.clock = requireNonNull(clock, "clock");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.unmuter = requireNonNull(unmuter, "unmuter");
        this.audit = requireNonNull(audit, "audit");
        this.retryEvery = requireNonNull(retryEvery, "retryEvery");
        this.recordingSync = requireNonNull(recordingSync, "recordingSync");
    }

    /** Loads the pending unmutes a previous run left and schedules them; overdue ones run at once. */
    public synchronized int resume() {
        if (!Files.exists(file)) {
            return 0;
        }
        final List<Pending> loaded;
        try {
            loaded = JSON.readValue(file.toFile(), new TypeReference<List<Pending>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("pending unmutes " + file + ": cannot read: " + e.getMessage(), e);
        }
        for (Pending p : loaded) {
            pending.put(p.key(), p);
            arm(p, Duration.between(clock.instant(), p.unmuteAt()));
        }
        if (!loaded.isEmpty()) {
            logger.info("Resumed {} pending unmute(s) from {}", loaded.size(), file);
        }
        return loaded.size();
    }

    /** Schedules {@code p}, replacing any pending unmute of the same participant. */
    public synchronized void schedule(Pending p) {
        requireNonNull(p, "p");
        cancelTimer(p.key());
        pending.put(p.key(), p);
        persist();
        arm(p, Duration.between(clock.instant(), p.unmuteAt()));
    }

    /** Forgets a participant's pending unmute, e.g. after a manual unmute. */
    public synchronized void cancel(String conversationId, String participantId) {
        final String key = conversationId + '/' + participantId;
        cancelTimer(key);
        if (pending.remove(key) != null) {
            persist();
        }
    }

    /** Returns the pending unmutes, soonest first. */
    public synchronized List<Pending> pending() {
        final List<Pending> list = new ArrayList<>(pending.values());
        list.sort((a, b) -> a.unmuteAt().compareTo(b.unmuteAt()));
        return list;
    }

    private void arm(Pending p, Duration delay) {
        if (closed) {
            return;
        }
        final long nanos = Math.max(0, delay.toNanos());
        timers.put(p.key(), scheduler.schedule(() -> fire(p), nanos, TimeUnit.NANOSECONDS));
    }

    private void fire(Pending p) {
        synchronized (this) {
            if (closed || pending.get(p.key()) != p) {
                return; // replaced or cancelled meanwhile
            }
        }
        final long start = System.nanoTime();
        unmuter.unmute(p.conversationId(), p.participantId()).whenComplete((confirmed, error) -> {
            final long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (error == null) {
                audit(p, "OK", latencyMs, confirmed.change().correlationId(), "muted=false");
                recordingSync.muteChanged(p.conversationId(), p.participantId(), false, "auto_unmute",
                                          confirmed.latency(), p.requestId(), "auto-unmute");
                forget(p);
                return;
            }
            final Throwable cause = Exceptions.peel(error);
            if (gone(cause)) {
                audit(p, "GONE", latencyMs, null, cause.getMessage());
                logger.info("Timed unmute of {} dropped: {}", kv("participantId", p.participantId()),
                            cause.getMessage());
                forget(p);
                return;
            }
            audit(p, "RETRY", latencyMs, null, cause.getMessage());
            logger.warn("Timed unmute of {} failed, trying again in {} s: {}", kv("participantId", p.participantId()),
                        retryEvery.toSeconds(), cause.getMessage());
            synchronized (this) {
                if (pending.get(p.key()) == p) {
                    arm(p, retryEvery);
                }
            }
        });
    }

    private static boolean gone(Throwable cause) {
        if (cause instanceof MuteVerifier.MuteException m) {
            return m.reason() != MuteVerifier.MuteException.Reason.NOT_CONFIRMED;
        }
        return cause instanceof UpstreamException u && u.kind() == UpstreamException.Kind.NOT_FOUND;
    }

    private synchronized void forget(Pending p) {
        if (pending.get(p.key()) == p) {
            pending.remove(p.key());
            timers.remove(p.key());
            persist();
        }
    }

    private void audit(Pending p, String status, long latencyMs, String correlationId, String detail) {
        audit.append(new AuditRecord(clock.instant(), "call_control", "auto_unmute", status, p.conversationId(),
                                     p.participantId(), null, latencyMs, p.requestId(), correlationId, "auto-unmute",
                                     detail));
    }

    private void cancelTimer(String key) {
        final ScheduledFuture<?> timer = timers.remove(key);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Writes the pending unmutes atomically. Called with the monitor held. */
    private void persist() {
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(pending()));
        } catch (IOException e) {
            throw new UncheckedIOException("pending unmutes " + file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Stops the timers; what is pending stays in the file for the next start. */
    @Override
    public synchronized void close() {
        closed = true;
        timers.values().forEach(t -> t.cancel(false));
        timers.clear();
    }
}
