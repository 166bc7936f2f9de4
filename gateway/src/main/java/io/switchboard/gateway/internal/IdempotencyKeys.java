package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Idempotency keys for commands a repeat would be heard (DTMF): the first command with a key
 * runs; a repeat with the same key within {@link #TTL} sends nothing and answers the first
 * outcome (its success, or its failure when the platform may have acted), or, while the first
 * still runs, ABORTED. A first command that surely had no effect (refused before any tone was
 * played) frees its key, so that a retry runs. A key reused for a different command is refused.
 *
 * <p>Keys live in Redis when one is configured (shared by every replica, {@code SET NX EX}),
 * else in this process's memory (lost on restart). Keys are scoped to the caller's API key.
 */
final class IdempotencyKeys implements AutoCloseable {

    /** How long a key is remembered: 24 hours. */
    static final Duration TTL = Duration.ofHours(24);
    /** What a key may be. */
    static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    static final String KEY_EXPECTED = "1 to 255 printable ASCII characters without spaces, e.g. a UUID";
    /** The most keys held in memory at once. */
    static final int MAX_IN_MEMORY = 1_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;

    private IdempotencyKeys(Store store) {
        this.store = store;
    }

    /** Returns keys kept in Redis at {@code redis} when given, else in memory. */
    static IdempotencyKeys create(@Nullable RedisClient redis, Clock clock) {
        return new IdempotencyKeys(redis != null ? new RedisStore(redis.connect()) : new MemoryStore(clock));
    }

    /** Returns where keys are kept, for the banner and docs: {@code redis} or {@code memory}. */
    String kind() {
        return store instanceof RedisStore ? "redis" : "memory";
    }

    /**
     * A command's outcome, first or repeated.
     *
     * @param correlationId the platform's correlation id of the first request
     * @param attempts upstream requests made by this request: 0 for a repeat
     * @param latency the first request's latency; zero for a repeat
     * @param replayed whether this answers a repeat, which sent nothing
     */
    record Replay(@Nullable String correlationId, int attempts, Duration latency, boolean replayed) {
        static Replay first(CommandOutcome o) {
            return new Replay(o.correlationId(), o.attempts(), o.latency(), false);
        }
    }

    /**
     * Runs {@code send} once for {@code key} (null: no key, it just runs).
     *
     * @param caller the API key's name: keys of different callers never meet
     * @param fingerprint what the command is, e.g. {@code SendDtmf|session|12#|100|60}
     * @param field the key's field name in messages
     */
    CompletableFuture<Replay> run(@Nullable String key, String field, String caller, String fingerprint,
                                  Supplier<CompletableFuture<CommandOutcome>> send) {
        if (key == null) {
            return send.get().thenApply(Replay::first);
        }
        if (!KEY.matcher(key).matches()) {
            return CompletableFuture.failedFuture(new InvalidArgumentException(field, key, KEY_EXPECTED));
        }
        final String id = "switchboard:idempotency:" + sha256(caller + '\n' + key);
        final Entry pending = new Entry("pending", fingerprint, null, 0, null, null);
        final CompletableFuture<@Nullable String> claimed;
        try {
            claimed = store.putIfAbsent(id, encode(pending));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
        return claimed.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                e instanceof StatusRuntimeException ? e : unavailable(e))).thenCompose(existing -> {
            if (existing != null) {
                return CompletableFuture.completedFuture(replay(decode(existing), field, fingerprint));
            }
            return send.get().handle((outcome, error) -> {
                if (error == null) {
                    store.put(id, encode(new Entry("done", fingerprint, outcome.correlationId(), outcome.attempts(),
                                                   null, null)));
                    return Replay.first(outcome);
                }
                final Throwable cause = error instanceof CompletionException && error.getCause() != null
                                        ? error.getCause() : error;
                if (cause instanceof UpstreamException u && u.mayHaveHadEffect()) {
                    final StatusRuntimeException status = StatusMapping.toStatus(u);
                    store.put(id, encode(new Entry("failed", fingerprint, u.correlationId().orElse(null), u.attempts(),
                                                   status.getStatus().getCode().name(),
                                                   status.getStatus().getDescription())));
                } else {
                    store.remove(id); // nothing was played: a retry with the same key runs
                }
                throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            });
        });
    }

    /** The key store did not answer: nothing is sent, since a repeat could not be recognised. */
    private static StatusRuntimeException unavailable(Throwable cause) {
        return Status.UNAVAILABLE.withDescription("the idempotency key could not be checked (" + kindOf(cause)
                                                  + "); nothing was sent: try again")
                                 .asRuntimeException();
    }

    private static String kindOf(Throwable t) {
        final Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getClass().getSimpleName();
    }

    private static Replay replay(Entry first, String field, String fingerprint) {
        if (!first.fingerprint().equals(fingerprint)) {
            throw new InvalidArgumentException(field, new Object() {
                @Override
                public String toString() {
                    return "a key already used for a different command";
                }
            }, "a new key for each command; a repeat must be the same command");
        }
        return switch (first.state()) {
            case "done" -> new Replay(first.correlationId(), 0, Duration.ZERO, true);
            case "failed" -> throw Status.fromCode(Status.Code.valueOf(first.code()))
                                         .withDescription(first.message() + " (the first request with this "
                                                          + "idempotency key; nothing was sent again)")
                                         .asRuntimeException();
            default -> throw Status.ABORTED.withDescription("a command with this idempotency key is still running; "
                                                            + "ask again once it has answered (nothing was sent)")
                                           .asRuntimeException();
        };
    }

    /** What is kept for a key. */
    record Entry(String state, String fingerprint, @Nullable String correlationId, int attempts, @Nullable String code,
                 @Nullable String message) {}

    private static String encode(Entry e) {
        try {
            return JSON.writeValueAsString(e);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private static Entry decode(String text) {
        try {
            return JSON.readValue(text, Entry.class);
        } catch (JsonProcessingException x) {
            // Not ours: treat it as a command in progress rather than run the command again.
            return new Entry("pending", "", null, 0, null, null);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }

    /** Where keys are kept. */
    private interface Store extends AutoCloseable {
        /** Keeps {@code value} for {@link #TTL} unless the key is held; returns what holds it, else null. */
        CompletableFuture<@Nullable String> putIfAbsent(String key, String value);

        void put(String key, String value);

        void remove(String key);

        @Override
        void close();
    }

    /** Keys in this process's memory, forgotten after {@link #TTL}. */
    private static final class MemoryStore implements Store {
        private record Held(String value, Instant until) {}

        private final Clock clock;
        private final Map<String, Held> keys = new ConcurrentHashMap<>();

        MemoryStore(Clock clock) {
            this.clock = clock;
        }

        @Override
        public CompletableFuture<@Nullable String> putIfAbsent(String key, String value) {
            final Instant now = clock.instant();
            if (keys.size() >= MAX_IN_MEMORY) {
                sweep(now);
                if (keys.size() >= MAX_IN_MEMORY) {
                    return CompletableFuture.failedFuture(Status.RESOURCE_EXHAUSTED.withDescription(
                            "too many idempotency keys in the last 24 h (" + MAX_IN_MEMORY + "); configure Redis "
                            + "to keep more").asRuntimeException());
                }
            }
            final Held[] before = new Held[1];
            keys.compute(key, (k, held) -> {
                if (held != null && held.until().isAfter(now)) {
                    before[0] = held;
                    return held;
                }
                return new Held(value, now.plus(TTL));
            });
            return CompletableFuture.completedFuture(before[0] == null ? null : before[0].value());
        }

        @Override
        public void put(String key, String value) {
            keys.put(key, new Held(value, clock.instant().plus(TTL)));
        }

        @Override
        public void remove(String key) {
            keys.remove(key);
        }

        private void sweep(Instant now) {
            for (Iterator<Held> i = keys.values().iterator(); i.hasNext();) {
                if (!i.next().until().isAfter(now)) {
                    i.remove();
                }
            }
        }

        @Override
        public void close() {}
    }

    /** Keys in Redis: {@code SET key value NX EX 86400}, shared by every replica. */
    private static final class RedisStore implements Store {
        private final StatefulRedisConnection<String, String> connection;

        RedisStore(StatefulRedisConnection<String, String> connection) {
            this.connection = connection;
        }

        @Override
        public CompletableFuture<@Nullable String> putIfAbsent(String key, String value) {
            return connection.async().set(key, value, SetArgs.Builder.nx().ex(TTL.toSeconds()))
                             .thenCompose(ok -> "OK".equals(ok)
                                                ? CompletableFuture.<@Nullable String>completedFuture(null)
                                                : connection.async().get(key).thenApply(v -> v == null ? "" : v))
                             .toCompletableFuture();
        }

        @Override
        public void put(String key, String value) {
            connection.async().set(key, value, SetArgs.Builder.ex(TTL.toSeconds()));
        }

        @Override
        public void remove(String key) {
            connection.async().del(key);
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
