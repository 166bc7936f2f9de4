package io.switchboard.compliance.dnc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.redis.RedisEndpoint;

/**
 * The server settings a DNC store on Redis depends on, read from every node:
 * <ul>
 *   <li>{@code maxmemory-policy} must be {@code noeviction}: any other policy lets Redis drop
 *       keys when memory runs short, and a dropped DNC entry or attempt count would let calls
 *       through without an error;</li>
 *   <li>in the sharded layout, {@code set-max-intset-entries} must be at least 10,000, or a
 *       prefix's numbers outgrow the compact encoding and take about 25 times the memory.</li>
 * </ul>
 * A server that refuses {@code CONFIG GET} (some managed services) is reported as unknown.
 *
 * @param evictionSafe whether every node has {@code maxmemory-policy noeviction}; null when unknown
 * @param compactSets whether every node keeps a prefix's numbers compact; null when unknown or not asked
 * @param problem what is wrong, for logs and readiness; null when nothing is
 */
public record RedisSettings(@Nullable Boolean evictionSafe, @Nullable Boolean compactSets, @Nullable String problem) {

    /** The members a set must be allowed to keep compact: a prefix's 10,000 numbers. */
    public static final long COMPACT_ENTRIES = ShardedSets.MEMBER_RANGE;

    /** Reads the settings over {@code connection}; {@code sharded}: whether sets must be compact. */
    public static CompletableFuture<RedisSettings> read(RedisEndpoint.Connection connection, boolean sharded) {
        return connection.onEveryNode(c -> c.configGet("maxmemory-policy", "set-max-intset-entries"))
                         .handle((replies, failure) -> failure != null ? unknown(failure) : judge(replies, sharded));
    }

    private static RedisSettings unknown(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new RedisSettings(null, null, "the server's settings cannot be read (" + cause.getClass().getSimpleName()
                                             + "); make sure maxmemory-policy is noeviction"
                                             + " and set-max-intset-entries at least " + COMPACT_ENTRIES);
    }

    private static RedisSettings judge(Map<String, Map<String, String>> replies, boolean sharded) {
        final List<String> evicting = new ArrayList<>();
        final List<String> small = new ArrayList<>();
        replies.forEach((node, reply) -> {
            final String policy = reply.get("maxmemory-policy");
            if (!"noeviction".equals(policy)) {
                evicting.add(node + ": " + policy);
            }
            long entries;
            try {
                entries = Long.parseLong(reply.getOrDefault("set-max-intset-entries", "-1"));
            } catch (NumberFormatException e) {
                entries = -1;
            }
            if (entries < COMPACT_ENTRIES) {
                small.add(node + ": " + reply.get("set-max-intset-entries"));
            }
        });
        final List<String> problems = new ArrayList<>();
        if (!evicting.isEmpty()) {
            problems.add("maxmemory-policy is not noeviction (" + String.join(", ", evicting) + "): Redis may drop DNC "
                         + "entries and attempt counts when memory runs short, which would let calls through");
        }
        if (sharded && !small.isEmpty()) {
            problems.add("set-max-intset-entries is below " + COMPACT_ENTRIES + " (" + String.join(", ", small)
                         + "): a prefix with more numbers than that is kept as a hash table, about 25 times larger");
        }
        return new RedisSettings(evicting.isEmpty(), sharded ? small.isEmpty() : null,
                                 problems.isEmpty() ? null : String.join("; ", problems));
    }
}
