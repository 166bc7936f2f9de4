package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.redis.RedisEndpoint;

/**
 * The seed's list and geographic rules on Redis in the sharded layout ({@link ShardedSets}):
 * one SET of compact integers per number prefix instead of the one {@code dnc:blacklist} key, so
 * that a Redis Cluster spreads the list over its nodes and a number takes about two bytes.
 *
 * <p>A lookup costs one {@code SMISMEMBER} per prefix and one {@code HMGET} per area of the
 * batch, all sent before any answer is awaited. A node that cannot answer fails the whole
 * lookup: callers then block every number of the batch.
 */
public final class ShardedRedisDncStore implements DncStore {

    private final RedisEndpoint.Connection connection;
    private final ShardedSets sets;
    private final RedisDncStore.GeoRuleReader reader = new RedisDncStore.GeoRuleReader("dnc:g:{<area>}");

    /** Uses {@code connection}, which {@link #close} closes. */
    public ShardedRedisDncStore(RedisEndpoint.Connection connection) {
        this.connection = requireNonNull(connection, "connection");
        this.sets = new ShardedSets(connection.commands());
    }

    @Override
    public CompletableFuture<Lookup> lookup(long[] e164) {
        requireNonNull(e164, "e164");
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(new Lookup(new boolean[0], new GeoRule[0]));
        }
        final CompletableFuture<boolean[]> listed = sets.contains(DncList.GLOBAL, e164);
        final CompletableFuture<String[]> rules = sets.geo(e164);
        return listed.thenCombine(rules, (l, r) -> {
            final GeoRule[] geo = new GeoRule[e164.length];
            for (int i = 0; i < e164.length; i++) {
                geo[i] = r[i] == null ? null : reader.parse("+" + e164[i], r[i]);
            }
            return new Lookup(l, geo);
        });
    }

    @Override
    public CompletableFuture<Long> addAll(long[] e164) {
        return e164.length == 0 ? CompletableFuture.completedFuture(0L) : sets.sadd(DncList.GLOBAL, e164);
    }

    @Override
    public CompletableFuture<Long> removeAll(long[] e164) {
        return e164.length == 0 ? CompletableFuture.completedFuture(0L) : sets.remove(DncList.GLOBAL, e164);
    }

    @Override
    public CompletableFuture<Void> putGeoRule(long e164, GeoRule rule) {
        try {
            return sets.putGeo(e164, RedisDncStore.GeoRuleReader.json(rule));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Boolean> removeGeoRule(long e164) {
        return sets.removeGeo(e164);
    }

    /** Counts by scanning every node's keys (see {@link ShardedSets#size}); memory is not reported. */
    @Override
    public CompletableFuture<Stats> stats() {
        return sets.size(DncList.GLOBAL).thenCombine(sets.geoRules(), (n, r) -> new Stats("redis", n, r, -1));
    }

    /** The members a set must be allowed to keep compact: a prefix's 10,000 numbers. */
    public static final long COMPACT_ENTRIES = ShardedSets.MEMBER_RANGE;

    /**
     * Reads {@code set-max-intset-entries} on every node and answers null when each allows
     * {@value #COMPACT_ENTRIES} members, else what is wrong (a node's setting, or that it
     * cannot be read). Sets beyond that setting are kept as hash tables, about 25 times larger.
     */
    public CompletableFuture<@Nullable String> setsProblem() {
        return connection.onEveryNode(c -> c.configGet("set-max-intset-entries")).handle((replies, failure) -> {
            if (failure != null) {
                return "set-max-intset-entries cannot be read (" + rootMessage(failure) + "); sets are compact only if "
                       + "it is at least " + COMPACT_ENTRIES;
            }
            final List<String> low = new ArrayList<>();
            replies.forEach((node, reply) -> {
                final String value = reply.get("set-max-intset-entries");
                long entries;
                try {
                    entries = value == null ? -1 : Long.parseLong(value);
                } catch (NumberFormatException e) {
                    entries = -1;
                }
                if (entries < COMPACT_ENTRIES) {
                    low.add(node + " has " + value);
                }
            });
            return low.isEmpty() ? null
                                 : "set-max-intset-entries is below " + COMPACT_ENTRIES + " (" + String.join(", ", low)
                                   + "): a prefix with more numbers than that is kept as a hash table, about 25 times "
                                   + "larger";
        });
    }

    /** Answers whether a probe lookup works; never scans (see {@link #setsProblem} for the sets' encoding). */
    @Override
    public CompletableFuture<String> health() {
        return lookup(new long[] {PROBE}).thenApply(l -> "redis, sharded");
    }

    private static final long PROBE = 10_000_000_000L;

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    @Override
    public void close() {
        connection.close();
    }
}
