package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.redis.RedisEndpoint;

/**
 * The DNC store on Redis, shared by every replica, in the layout other tools already use: the
 * SET {@code dnc:blacklist} of E.164 strings ({@code +14155552671}) and the HASH
 * {@code dnc:geo_rules} from number to {@code {"Allowed": bool, "RiskLevel": "..."}}.
 *
 * <p>A lookup is one round trip whatever the batch's size: {@code SMISMEMBER} and {@code HMGET}
 * are sent together on one pipelined connection (Redis 6.2 or later). While Redis is
 * unreachable, commands fail at once rather than queue, so that callers see the outage.
 *
 * <p>A geographic rule that cannot be read is treated as blocking, with risk level
 * {@code unreadable_rule}, and logged: a rule nobody can read must not let a call through.
 */
public final class RedisDncStore implements DncStore {

    private static final Logger logger = LoggerFactory.getLogger(RedisDncStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The key of the set of listed numbers. */
    public static final String BLACKLIST_KEY = "dnc:blacklist";
    /** The key of the hash of per-number geographic rules. */
    public static final String GEO_RULES_KEY = "dnc:geo_rules";

    private static final int MAX_REPORTED = 1000;

    private final RedisEndpoint.Connection connection;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final GeoRuleReader reader = new GeoRuleReader(GEO_RULES_KEY);

    /** Uses {@code connection}, which {@link #close} closes. */
    public RedisDncStore(RedisEndpoint.Connection connection) {
        this.connection = requireNonNull(connection, "connection");
        this.redis = connection.commands();
    }

    /**
     * Connects to Redis at {@code uri}, e.g. {@code redis://127.0.0.1:6379}; commands that get no
     * answer within {@code commandTimeout} fail.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     */
    public static RedisDncStore connect(String uri, Duration commandTimeout) {
        return new RedisDncStore(RedisEndpoint.parse(requireNonNull(uri, "uri")).connect(commandTimeout));
    }

    /** Reads the settings this store depends on. */
    public CompletableFuture<RedisSettings> settings() {
        return RedisSettings.read(connection, false);
    }

    @Override
    public CompletableFuture<Lookup> lookup(long[] e164) {
        requireNonNull(e164, "e164");
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(new Lookup(new boolean[0], new GeoRule[0]));
        }
        final String[] members = strings(e164);
        // Both commands leave before either answer arrives: one round trip.
        final CompletableFuture<List<Boolean>> listed = redis.smismember(BLACKLIST_KEY, members).toCompletableFuture();
        final CompletableFuture<List<KeyValue<String, String>>> rules =
                redis.hmget(GEO_RULES_KEY, members).toCompletableFuture();
        return listed.thenCombine(rules, (l, r) -> {
            final boolean[] isListed = new boolean[e164.length];
            final GeoRule[] geo = new GeoRule[e164.length];
            for (int i = 0; i < e164.length; i++) {
                isListed[i] = l.get(i);
                final KeyValue<String, String> rule = r.get(i);
                geo[i] = rule.hasValue() ? reader.parse(members[i], rule.getValue()) : null;
            }
            return new Lookup(isListed, geo);
        });
    }

    @Override
    public CompletableFuture<Long> addAll(long[] e164) {
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(0L);
        }
        return redis.sadd(BLACKLIST_KEY, strings(e164)).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Long> removeAll(long[] e164) {
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(0L);
        }
        return redis.srem(BLACKLIST_KEY, strings(e164)).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Void> putGeoRule(long e164, GeoRule rule) {
        final String json;
        try {
            json = GeoRuleReader.json(rule);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return redis.hset(GEO_RULES_KEY, "+" + e164, json).toCompletableFuture().thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Boolean> removeGeoRule(long e164) {
        return redis.hdel(GEO_RULES_KEY, "+" + e164).toCompletableFuture().thenApply(removed -> removed > 0);
    }

    @Override
    public CompletableFuture<Stats> stats() {
        final CompletableFuture<Long> numbers = redis.scard(BLACKLIST_KEY).toCompletableFuture();
        final CompletableFuture<Long> rules = redis.hlen(GEO_RULES_KEY).toCompletableFuture();
        final CompletableFuture<@Nullable Long> memory = redis.memoryUsage(BLACKLIST_KEY).toCompletableFuture();
        return numbers.thenCombine(rules, (n, r) -> new long[] {n, r})
                      .thenCombine(memory, (nr, m) -> new Stats("redis", nr[0], nr[1], m == null ? 0 : m));
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Returns {@code e164} as the seed's members: {@code +14155552671}. */
    static String[] strings(long[] e164) {
        final String[] members = new String[e164.length];
        for (int i = 0; i < e164.length; i++) {
            members[i] = "+" + e164[i];
        }
        return members;
    }

    /** Reads stored geographic rules; one that cannot be read blocks, and is logged once per number. */
    static final class GeoRuleReader {

        private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final String where;

        GeoRuleReader(String where) {
            this.where = where;
        }

        static String json(GeoRule rule) throws JsonProcessingException {
            return JSON.writeValueAsString(StoredGeoRule.of(rule));
        }

        GeoRule parse(String number, String json) {
            try {
                return JSON.readValue(json, StoredGeoRule.class).toRule();
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // Once per number (up to a bound), not on every lookup of it.
                if (reported.size() < MAX_REPORTED && reported.add(number)) {
                    logger.warn("{}[{}] is not a geo rule ({}); the number is blocked", where, number,
                                e.getClass().getSimpleName());
                }
                return new GeoRule(false, "unreadable_rule");
            }
        }
    }
}
