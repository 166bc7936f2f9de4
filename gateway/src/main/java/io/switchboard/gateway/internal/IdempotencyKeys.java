package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.util.Exceptions;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.api.MetadataKeys;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Idempotency keys for commands a repeat would be heard (DTMF): the first command with a key
 * runs; a repeat with the same key within {@link #TTL} sends nothing and answers the first
 * outcome: its success, or its failure when the platform may have acted. While the first still
 * runs, a repeat answers ABORTED; once the first's deadline has long passed without an outcome
 * (the gateway stopped mid-command), it answers that the tones may have played. Only a first
 * command that surely had no effect (refused by the platform before any tone, or invalid) frees
 * its key; anything unexpected counts as "may have played". A key reused for another command is
 * refused.
 *
 * <p>Keys live in Redis when one is configured (shared by every replica, {@code SET NX EX}),
 * else in this process's memory (lost on restart). They are scoped to the caller's API key and
 * stored as a SHA-256 hash.
 */
final class IdempotencyKeys implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(IdempotencyKeys.class);

    /** How long a key is remembered: 24 hours. */
    static final Duration TTL = Duration.ofHours(24);
    /** What a key may be. */
    static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    static final String KEY_EXPECTED = "1 to 255 printable ASCII characters without spaces, e.g. a UUID";
    /** The most keys held in memory at once. */
    static final int MAX_IN_MEMORY = 1_000_000;
    /** How long the key store may take to answer before the command is refused. */
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
    /** How long after its deadline a first command without an outcome is given up as unknown. */
    static final Duration GRACE = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final Clock clock;

    private IdempotencyKeys(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Returns keys kept in Redis at {@code redis} when given, else in memory. */
    static IdempotencyKeys create(@Nullable AbstractRedisClient redis, Clock clock) {
        return new IdempotencyKeys(redis != null ? new RedisStore(RedisEndpoint.connect(redis)) : new MemoryStore(clock), clock);
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
     * @param deadline the command's deadline
     */
    CompletableFuture<Replay> run(@Nullable String key, String field, String caller, String fingerprint,
                                  Instant deadline, Supplier<CompletableFuture<CommandOutcome>> send) {
        if (key == null) {
            return send.get().thenApply(Replay::first);
        }
        if (!KEY.matcher(key).matches()) {
            return CompletableFuture.failedFuture(new InvalidArgumentException(field, key, KEY_EXPECTED));
        }
        final String id = "switchboard:idempotency:" + sha256(caller + '\n' + key);
        final Entry pending = new Entry("pending", fingerprint, null, null, null, deadline.toEpochMilli());
        return claim(id, encode(pending), 3).thenCompose(existing -> {
            if (existing != null) {
                return CompletableFuture.completedFuture(replay(decode(existing), field, fingerprint));
            }
            CompletableFuture<CommandOutcome> sent;
            try {
                sent = send.get();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            final long grace = Math.max(0, Duration.between(clock.instant(), deadline).plus(GRACE).toMillis());
            return sent.orTimeout(grace, TimeUnit.MILLISECONDS).handle((outcome, error) -> {
                if (error == null) {
                    return store.put(id, encode(new Entry("done", fingerprint, outcome.correlationId(), null, null, 0)))
                                .handle((ok, writeFailed) -> {
                                    if (writeFailed != null) {
                                        logger.warn("An idempotency key's outcome could not be kept ({}); repeats "
                                                    + "of it will be refused rather than sent", writeFailed.toString());
                                    }
                                    return Replay.first(outcome);
                                });
                }
                final Throwable cause = Exceptions.peel(error);
                final CompletableFuture<Void> kept;
                if (surelyNoEffect(cause)) {
                    kept = store.remove(id); // nothing was played: a retry with the same key runs
                } else {
                    final StatusRuntimeException status = StatusMapping.toStatus(cause);
                    kept = store.put(id, encode(new Entry("failed", fingerprint,
                                                          cause instanceof UpstreamException u
                                                          ? u.correlationId().orElse(null) : null,
                                                          status.getStatus().getCode().name(),
                                                          status.getStatus().getDescription(), 0)));
                }
                return kept.handle((ok, writeFailed) -> {
                    if (writeFailed != null) {
                        logger.warn("An idempotency key's outcome could not be kept ({})", writeFailed.toString());
                    }
                    return CompletableFuture.<Replay>failedFuture(cause instanceof TimeoutException
                            ? Status.DEADLINE_EXCEEDED.withDescription("the platform did not answer by the deadline; "
                                                                       + "the tones may have played")
                                                      .asRuntimeException()
                            : cause);
                }).thenCompose(f -> f);
            }).thenCompose(f -> f);
        });
    }

    /** Returns whether a first command surely had no effect, so that its key may run again. */
    private static boolean surelyNoEffect(Throwable cause) {
        return cause instanceof InvalidArgumentException
               || cause instanceof UpstreamException u && !u.mayHaveHadEffect();
    }

    /** Claims the key; answers what holds it, or null when claimed. Bounded: a slow store refuses the command. */
    private CompletableFuture<@Nullable String> claim(String id, String value, int tries) {
        final CompletableFuture<@Nullable String> claimed;
        try {
            claimed = store.putIfAbsent(id, value);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
        return claimed.orTimeout(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                      .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                              Exceptions.peel(e) instanceof StatusRuntimeException s ? s : unavailable(e)))
                      .thenCompose(existing -> {
                          // The holder was freed or expired between the claim and the read: claim again.
                          if (existing != null && existing.isEmpty() && tries > 1) {
                              return claim(id, value, tries - 1);
                          }
                          return CompletableFuture.completedFuture(existing);
                      });
    }

    private Replay replay(Entry first, String field, String fingerprint) {
        if ("unreadable".equals(first.state())) {
            throw Status.ABORTED.withDescription("a command with this idempotency key is being decided; ask again "
                                                 + "shortly (nothing was sent)").asRuntimeException();
        }
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
            case "failed" -> {
                final Metadata trailers = new Metadata();
                if (first.correlationId() != null) {
                    trailers.put(MetadataKeys.SWITCHBOARD_CORRELATION_ID, first.correlationId());
                }
                throw Status.fromCode(Status.Code.valueOf(first.code()))
                            .withDescription(first.message() + " (the first request with this idempotency key; "
                                             + "nothing was sent again)")
                            .asRuntimeException(trailers);
            }
            default -> {
                if (clock.millis() > first.deadline() + GRACE.toMillis()) {
                    throw Status.DEADLINE_EXCEEDED.withDescription(
                            "the first request with this idempotency key never answered (the gateway may have "
                            + "stopped); its tones may have played; nothing was sent again").asRuntimeException();
                }
                throw Status.ABORTED.withDescription("a command with this idempotency key is still running; ask "
                                                     + "again once it has answered (nothing was sent)")
                                    .asRuntimeException();
            }
        };
    }

    /** The store did not answer: nothing is sent, since a repeat could not be recognised. */
    private static StatusRuntimeException unavailable(Throwable cause) {
        return Status.UNAVAILABLE.withDescription("the idempotency key could not be checked ("
                                                  + Exceptions.peel(cause).getClass().getSimpleName()
                                                  + "); nothing was sent: try again").asRuntimeException();
    }

    /**
     * What is kept for a key.
     *
     * @param state {@code pending}, {@code done} or {@code failed}
     * @param deadline for a pending key, the first command's deadline (epoch milliseconds)
     */
    record Entry(String state, String fingerprint, @Nullable String correlationId, @Nullable String code,
                 @Nullable String message, long deadline) {}

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
            return new Entry("unreadable", "", null, null, null, 0);
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
        /**
         * Keeps {@code value} for {@link #TTL} unless the key is held; answers null when kept, else
         * what holds it ({@code ""} when it was freed between the two steps).
         */
        CompletableFuture<@Nullable String> putIfAbsent(String key, String value);

        CompletableFuture<Void> put(String key, String value);

        CompletableFuture<Void> remove(String key);

        @Override
        void close();
    }

    /** Keys in this process's memory, forgotten after {@link #TTL}; expired ones swept at most once a minute. */
    private static final class MemoryStore implements Store {
        private record Held(String value, Instant until) {}

        private final Clock clock;
        private final Map<String, Held> keys = new ConcurrentHashMap<>();
        private volatile Instant lastSweep = Instant.EPOCH;

        MemoryStore(Clock clock) {
            this.clock = clock;
        }

        @Override
        public CompletableFuture<@Nullable String> putIfAbsent(String key, String value) {
            final Instant now = clock.instant();
            if (keys.size() >= MAX_IN_MEMORY && now.isAfter(lastSweep.plusSeconds(60))) {
                lastSweep = now;
                keys.values().removeIf(held -> !held.until().isAfter(now));
            }
            if (keys.size() >= MAX_IN_MEMORY) {
                return CompletableFuture.failedFuture(Status.RESOURCE_EXHAUSTED.withDescription(
                        "too many idempotency keys in the last 24 h (" + MAX_IN_MEMORY + "); configure Redis to keep "
                        + "more; nothing was sent").asRuntimeException());
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
        public CompletableFuture<Void> put(String key, String value) {
            keys.put(key, new Held(value, clock.instant().plus(TTL)));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> remove(String key) {
            keys.remove(key);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    }

    /** Keys in Redis: {@code SET key value NX EX 86400}, shared by every replica. */
    private static final class RedisStore implements Store {
        private final RedisEndpoint.Connection connection;
        private final RedisClusterAsyncCommands<String, String> redis;

        RedisStore(RedisEndpoint.Connection connection) {
            this.connection = connection;
            this.redis = connection.commands();
            connection.stateful().setTimeout(STORE_TIMEOUT);
        }

        @Override
        public CompletableFuture<@Nullable String> putIfAbsent(String key, String value) {
            return redis.set(key, value, SetArgs.Builder.nx().ex(TTL.toSeconds()))
                             .thenCompose(ok -> "OK".equals(ok)
                                                ? CompletableFuture.<@Nullable String>completedFuture(null)
                                                : redis.get(key).thenApply(v -> v == null ? "" : v))
                             .toCompletableFuture();
        }

        @Override
        public CompletableFuture<Void> put(String key, String value) {
            return redis.set(key, value, SetArgs.Builder.ex(TTL.toSeconds())).thenApply(ok -> (Void) null)
                             .toCompletableFuture();
        }

        @Override
        public CompletableFuture<Void> remove(String key) {
            return redis.del(key).thenApply(n -> (Void) null).toCompletableFuture();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
