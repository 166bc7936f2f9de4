package io.switchboard.compliance.caps;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.core.redis.LuaScript;
import io.switchboard.core.redis.RedisEndpoint;

/**
 * The attempt ledger on Redis, shared by every replica: one sorted set per subject,
 * {@code sb:attempts:{<subject>}}, of attempt ids scored by their instant in epoch milliseconds,
 * expiring with the longest window that counts them.
 *
 * <p>A reservation is one Lua script on the subject's key: it forgets attempts past their
 * keeping, counts each cap's window, and records the attempt only if no cap is reached. Redis
 * runs a script alone, so two replicas racing for a subject's last slot cannot both get it. The
 * subject is in braces (a hash tag), so every key a reservation touches is on one node of a
 * cluster. A scrub reads a whole batch's subjects with one script over their keys (one command,
 * not one a subject); on a cluster, where a script's keys must share a slot, one a subject, all
 * sent before any answer is awaited.
 */
public final class RedisAttemptLedger implements AttemptLedger {

    /** The prefix of every key. */
    public static final String KEY_PREFIX = "sb:attempts:";

    /*
     * KEYS[1]: the subject's set. ARGV: the instant judged, forget-before, id, keep (ms), the
     * instant recorded, then for each cap its limit, window (ms) and the method letters it counts.
     * An id ends with its method's letter; x (not said) counts toward every cap. Answers
     * {1, cap index or -1, 0, count} when recorded; when a cap is reached, {0, index of the reached
     * cap that frees a slot last, that instant, its count}. The key's expiry is only ever extended.
     */
    private static final LuaScript RESERVE = new LuaScript("""
            local at = tonumber(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
            local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
            local tight, tightCount, tightRoom = -1, 0, 1e18
            local reached, reachedCount, reachedFrees = -1, 0, -1
            for c = 6, #ARGV, 3 do
              local limit, window, methods = tonumber(ARGV[c]), tonumber(ARGV[c + 1]), ARGV[c + 2]
              local times = {}
              for e = 1, #entries, 2 do
                local t = tonumber(entries[e + 1])
                local m = string.sub(entries[e], -1)
                if t > at - window and (m == 'x' or string.find(methods, m, 1, true)) then
                  times[#times + 1] = t
                end
              end
              if #times >= limit then
                local frees = times[#times - limit + 1] + window
                if frees > reachedFrees then
                  reached, reachedCount, reachedFrees = (c - 6) / 3, #times, frees
                end
              elseif limit - #times < tightRoom then
                tight, tightCount, tightRoom = (c - 6) / 3, #times, limit - #times
              end
            end
            if reached >= 0 then
              return {0, reached, reachedFrees, reachedCount}
            end
            redis.call('ZADD', KEYS[1], ARGV[5], ARGV[3])
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            end
            return {1, tight, 0, tightCount}
            """);

    /* KEYS[1]: the subject's set. ARGV: id, now, grace (ms). Answers 1 released, -1 unknown, -2 too late. */
    private static final LuaScript RELEASE = new LuaScript("""
            local t = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not t then return -1 end
            if tonumber(ARGV[2]) - tonumber(t) > tonumber(ARGV[3]) then return -2 end
            redis.call('ZREM', KEYS[1], ARGV[1])
            return 1
            """);

    /*
     * KEYS: subjects' sets. ARGV[1]: the instant (ms) after which attempts are wanted. Answers, key
     * by key, the attempts and their scores, flat: one command for a whole batch's subjects.
     */
    private static final LuaScript READ = new LuaScript("""
            local out = {}
            for i, key in ipairs(KEYS) do
              out[i] = redis.call('ZRANGEBYSCORE', key, '(' .. ARGV[1], '+inf', 'WITHSCORES')
            end
            return out
            """);

    private final RedisEndpoint.Connection connection;
    private final boolean boundsItself;
    private final RedisClusterAsyncCommands<String, String> redis;

    /**
     * Connects through {@code client} (one server's); commands that get no answer within
     * {@code timeout} fail.
     *
     * @throws io.lettuce.core.RedisException if Redis cannot be reached
     */
    public static RedisAttemptLedger connect(RedisClient client, Duration timeout) {
        final RedisEndpoint.Connection connection = RedisEndpoint.connect(client);
        connection.stateful().setTimeout(timeout);
        return open(connection, false);
    }

    /**
     * Connects to the Redis at {@code uri} (one server, or a cluster's nodes separated by
     * commas) with a client of its own, shut down when the ledger is closed; commands fail at
     * once while Redis is unreachable, and after {@code timeout} without an answer.
     */
    public static RedisAttemptLedger connect(String uri, Duration timeout) {
        return open(RedisEndpoint.parse(uri).connect(timeout), true);
    }

    private static RedisAttemptLedger open(RedisEndpoint.Connection connection, boolean boundsItself) {
        try {
            return new RedisAttemptLedger(connection, boundsItself);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private RedisAttemptLedger(RedisEndpoint.Connection connection, boolean boundsItself) {
        this.connection = connection;
        this.boundsItself = boundsItself;
        this.redis = connection.commands();
    }

    /** Returns the key of {@code subject}'s attempts. */
    public static String key(String subject) {
        return KEY_PREFIX + '{' + Attempts.encoded(subject) + '}';
    }

    @Override
    public CompletableFuture<Attempts.Verdict> reserve(String subject, String id, Instant at, List<FrequencyCap> caps,
                                                       Instant now, Duration keep) {
        requireNonNull(caps, "caps");
        final String[] args = new String[5 + 3 * caps.size()];
        args[0] = Long.toString(at.toEpochMilli());
        args[1] = Long.toString(now.toEpochMilli() - keep.toMillis());
        args[2] = id;
        args[3] = Long.toString(Math.max(keep.toMillis(), 1));
        args[4] = Long.toString(now.toEpochMilli());
        for (int i = 0; i < caps.size(); i++) {
            final FrequencyCap c = caps.get(i);
            args[5 + 3 * i] = Integer.toString(c.limit());
            args[6 + 3 * i] = Long.toString(c.window().toMillis());
            args[7 + 3 * i] = Attempts.letters(c);
        }
        return RESERVE.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {key(subject)}, args)
                   .thenApply(answer -> {
                       final boolean granted = (Long) answer.get(0) == 1;
                       final int index = ((Long) answer.get(1)).intValue();
                       final FrequencyCap cap = index >= 0 ? caps.get(index) : null;
                       final int count = ((Long) answer.get(3)).intValue();
                       if (granted) {
                           return new Attempts.Verdict(true, null, cap, count, null).reserved(id);
                       }
                       return Attempts.Verdict.refused(cap, count, Instant.ofEpochMilli((Long) answer.get(2)));
                   });
    }

    @Override
    public CompletableFuture<Release> release(String id, Instant now, Duration grace) {
        final String subject = Attempts.subjectOf(id);
        if (subject == null) {
            return CompletableFuture.completedFuture(Release.UNKNOWN);
        }
        return RELEASE.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {key(subject)}, id,
                                 Long.toString(now.toEpochMilli()), Long.toString(grace.toMillis()))
                   .thenApply(Release::of);
    }

    @Override
    public CompletableFuture<List<List<Attempts.Entry>>> attempts(List<String> subjects, Instant since) {
        if (subjects.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        final String[] keys = new String[subjects.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(subjects.get(i));
        }
        final String after = Long.toString(since.toEpochMilli());
        final CompletableFuture<List<Object>> read;
        if (connection.cluster()) {
            // A script's keys must share a slot: one read a subject, all sent at once.
            final List<CompletableFuture<List<Object>>> each = new ArrayList<>(keys.length);
            for (String key : keys) {
                each.add(READ.run(redis, ScriptOutputType.MULTI, new String[] {key}, after));
            }
            read = CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
                final List<Object> all = new ArrayList<>(keys.length);
                each.forEach(e -> all.add(e.join().get(0)));
                return all;
            });
        } else {
            read = READ.run(redis, ScriptOutputType.MULTI, keys, after);
        }
        return read.thenApply(answer -> {
                       final List<List<Attempts.Entry>> out = new ArrayList<>(answer.size());
                       for (Object one : answer) {
                           final List<?> flat = (List<?>) one;
                           final List<Attempts.Entry> entries = new ArrayList<>(flat.size() / 2);
                           for (int i = 0; i + 1 < flat.size(); i += 2) {
                               entries.add(new Attempts.Entry((String) flat.get(i),
                                                              (long) Double.parseDouble((String) flat.get(i + 1))));
                           }
                           out.add(entries);
                       }
                       return out;
                   });
    }

    @Override
    public String kind() {
        return "redis";
    }

    /** With a client of its own, every command fails once the timeout passes without an answer. */
    @Override
    public boolean boundsItself() {
        return boundsItself;
    }

    @Override
    public void close() {
        connection.close();
    }
}
