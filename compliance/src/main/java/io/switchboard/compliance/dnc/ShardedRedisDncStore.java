package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.redis.RedisEndpoint;

/**
 * The seed's list and geographic rules on Redis in the sharded layout ({@link ShardedSets}):
 * one SET of compact integers per number prefix instead of the one {@code dnc:blacklist} key, so
 * that a Redis Cluster spreads the list over its nodes and a number takes about two bytes.
 *
 * <p>A lookup is one script on one server, and one script per area of the batch on a cluster,
 * all sent before any answer is awaited. A node that cannot answer fails the whole lookup:
 * callers then block every number of the batch.
 */
public final class ShardedRedisDncStore implements DncStore {

    /** The stored name of the seed's list, which is never replaced. */
    private static final String GLOBAL = DncList.GLOBAL.name();

    private final RedisEndpoint.Connection connection;
    private final ShardedSets sets;
    private final RedisDncStore.GeoRuleReader reader = new RedisDncStore.GeoRuleReader("dnc:g:{<area>}");

    /** Uses {@code connection}, which {@link #close} closes. */
    public ShardedRedisDncStore(RedisEndpoint.Connection connection) {
        this.connection = requireNonNull(connection, "connection");
        this.sets = new ShardedSets(connection.commands(), connection.cluster());
    }

    @Override
    public CompletableFuture<Lookup> lookup(long[] e164) {
        requireNonNull(e164, "e164");
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(new Lookup(new boolean[0], new GeoRule[0]));
        }
        return sets.lookup(List.of(GLOBAL), e164, true).thenApply(l -> {
            final GeoRule[] geo = new GeoRule[e164.length];
            final String[] r = l.geo();
            for (int i = 0; i < e164.length; i++) {
                geo[i] = r[i] == null ? null : reader.parse("+" + e164[i], r[i]);
            }
            return new Lookup(l.listed()[0], geo);
        });
    }

    @Override
    public CompletableFuture<Long> addAll(long[] e164) {
        return e164.length == 0 ? CompletableFuture.completedFuture(0L) : sets.sadd(GLOBAL, e164);
    }

    @Override
    public CompletableFuture<Long> removeAll(long[] e164) {
        return e164.length == 0 ? CompletableFuture.completedFuture(0L) : sets.remove(GLOBAL, e164);
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
        return sets.size(GLOBAL).thenCombine(sets.geoRules(), (n, r) -> new Stats("redis", n, r, -1));
    }

    /** Reads the settings this store depends on from every node. */
    public CompletableFuture<RedisSettings> settings() {
        return RedisSettings.read(connection, true);
    }

    /** Answers whether a probe lookup works; never scans (see {@link #settings}). */
    @Override
    public CompletableFuture<String> health() {
        return lookup(new long[] {PROBE}).thenApply(l -> "redis, sharded");
    }

    private static final long PROBE = 10_000_000_000L;

    @Override
    public void close() {
        connection.close();
    }
}
