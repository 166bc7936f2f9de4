package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The sharded Redis layout of DNC lists, which a Redis Cluster spreads over its nodes:
 * <ul>
 *   <li>a list's numbers are one SET per number prefix, {@code dnc:s:{<prefix>}:<list>} (e.g.
 *       {@code dnc:s:{1415555}:global/internal}), where the prefix is every digit of the E.164
 *       number but the last four (a NANP country code, area code and exchange) and the members
 *       are the last four digits as plain integers ({@code 2671}, {@code 15} for {@code 0015}),
 *       which Redis keeps as a compact integer set of two bytes a member while a set has at
 *       most {@code set-max-intset-entries} members (10,000 are needed);</li>
 *   <li>entries' expiries are the HASH {@code dnc:x:{<prefix>}:<list>}, member to epoch ms;</li>
 *   <li>per-number geographic rules are one HASH per area, {@code dnc:g:{<area>}}, where the
 *       area is every digit but the last seven and the field the last seven as an integer;</li>
 *   <li>the names of the lists ({@code dnc:lists}) and numbers' records are keyed as in the
 *       legacy layout, which already spreads them.</li>
 * </ul>
 * The prefix is the hash tag, so that a number's keys on every list are in one slot: an entry
 * and its expiry change together in one script. A batch is grouped by key and costs one
 * {@code SMISMEMBER} (or {@code HMGET}) a key, all sent before any answer is awaited.
 */
final class ShardedSets {

    /** The numbers of a prefix share a key; the last this many digits are its members. */
    static final long MEMBER_RANGE = 10_000L;
    /** The numbers of an area share a geographic-rule hash. */
    static final long AREA_RANGE = 10_000_000L;

    private final RedisClusterAsyncCommands<String, String> redis;

    ShardedSets(RedisClusterAsyncCommands<String, String> redis) {
        this.redis = requireNonNull(redis, "redis");
    }

    static String numbersKey(DncList list, long prefix) {
        return "dnc:s:{" + prefix + "}:" + list.name();
    }

    static String expiriesKey(DncList list, long prefix) {
        return "dnc:x:{" + prefix + "}:" + list.name();
    }

    static String geoKey(long area) {
        return "dnc:g:{" + area + '}';
    }

    /** The indexes of a batch's numbers, grouped by {@code number / range}. */
    static Map<Long, int[]> group(long[] e164, long range) {
        final Map<Long, int[]> counts = new HashMap<>();
        for (long n : e164) {
            counts.computeIfAbsent(n / range, k -> new int[1])[0]++;
        }
        final Map<Long, int[]> groups = new HashMap<>(counts.size() * 2);
        final Map<Long, int[]> filled = new HashMap<>(counts.size() * 2);
        counts.forEach((k, c) -> {
            groups.put(k, new int[c[0]]);
            filled.put(k, new int[1]);
        });
        for (int i = 0; i < e164.length; i++) {
            final long k = e164[i] / range;
            groups.get(k)[filled.get(k)[0]++] = i;
        }
        return groups;
    }

    private static String[] members(long[] e164, int[] indexes, long range) {
        final String[] out = new String[indexes.length];
        for (int j = 0; j < indexes.length; j++) {
            out[j] = Long.toString(e164[indexes[j]] % range);
        }
        return out;
    }

    /** Returns whether each of {@code e164} is on {@code list}. */
    CompletableFuture<boolean[]> contains(DncList list, long[] e164) {
        final boolean[] out = new boolean[e164.length];
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> answers.add(
                redis.smismember(numbersKey(list, prefix), members(e164, indexes, MEMBER_RANGE))
                     .thenAccept(found -> {
                         for (int j = 0; j < indexes.length; j++) {
                             out[indexes[j]] = found.get(j);
                         }
                     }).toCompletableFuture()));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> out);
    }

    /** Returns the stored expiry (epoch ms, as stored) of each of {@code e164} on {@code list} that has one. */
    CompletableFuture<Map<Long, String>> expiries(DncList list, long[] e164) {
        final Map<Long, String> out = new java.util.concurrent.ConcurrentHashMap<>();
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> answers.add(
                redis.hmget(expiriesKey(list, prefix), members(e164, indexes, MEMBER_RANGE))
                     .thenAccept(found -> {
                         for (int j = 0; j < indexes.length; j++) {
                             final KeyValue<String, String> v = found.get(j);
                             if (v.hasValue()) {
                                 out.put(e164[indexes[j]], v.getValue());
                             }
                         }
                     }).toCompletableFuture()));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> out);
    }

    /*
     * KEYS: a prefix's set and its expiries. ARGV: the expiry in epoch ms or '' for none, then the
     * members. As the legacy layout's script: an expiry never shortens an entry. Answers how many
     * were not listed.
     */
    private static final String ADD = """
            local expires = ARGV[1]
            local added = 0
            for i = 2, #ARGV do
              local m = ARGV[i]
              if expires == '' then
                redis.call('HDEL', KEYS[2], m)
              else
                local on = redis.call('SISMEMBER', KEYS[1], m) == 1
                local current = redis.call('HGET', KEYS[2], m)
                if not on or (current and tonumber(current) < tonumber(expires)) then
                  redis.call('HSET', KEYS[2], m, expires)
                end
              end
              added = added + redis.call('SADD', KEYS[1], m)
            end
            return added
            """;

    /* KEYS: a prefix's set and its expiries. ARGV: members. Answers how many were listed. */
    private static final String REMOVE = """
            local removed = 0
            for i = 1, #ARGV do
              removed = removed + redis.call('SREM', KEYS[1], ARGV[i])
              redis.call('HDEL', KEYS[2], ARGV[i])
            end
            return removed
            """;

    /**
     * Puts {@code e164} on {@code list} until {@code expiresMs} (null: for good), each prefix in
     * one script; answers how many were not on it.
     */
    CompletableFuture<Long> add(DncList list, long[] e164, @Nullable String expiresMs) {
        return perPrefix(list, e164, ADD, expiresMs == null ? "" : expiresMs);
    }

    /** Takes {@code e164} off {@code list} and drops their expiries; answers how many were on it. */
    CompletableFuture<Long> remove(DncList list, long[] e164) {
        return perPrefix(list, e164, REMOVE, null);
    }

    private CompletableFuture<Long> perPrefix(DncList list, long[] e164, String script, @Nullable String first) {
        final List<CompletableFuture<Long>> answers = new ArrayList<>();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> {
            final String[] members = members(e164, indexes, MEMBER_RANGE);
            final String[] args;
            if (first == null) {
                args = members;
            } else {
                args = new String[members.length + 1];
                args[0] = first;
                System.arraycopy(members, 0, args, 1, members.length);
            }
            answers.add(redis.<Long>eval(script, ScriptOutputType.INTEGER,
                                         new String[] {numbersKey(list, prefix), expiriesKey(list, prefix)}, args)
                             .toCompletableFuture());
        });
        return sum(answers);
    }

    /** Puts {@code e164} on {@code list} with plain {@code SADD}s, leaving expiries as they are. */
    CompletableFuture<Long> sadd(DncList list, long[] e164) {
        final List<CompletableFuture<Long>> answers = new ArrayList<>();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> answers.add(
                redis.sadd(numbersKey(list, prefix), members(e164, indexes, MEMBER_RANGE)).toCompletableFuture()));
        return sum(answers);
    }

    /**
     * Counts {@code list}'s numbers: a scan of every node's keys for the list, and one
     * {@code SCARD} a key. It takes a while on a full registry; only statistics ask.
     */
    CompletableFuture<Long> size(DncList list) {
        return sumOver("dnc:s:{*}:" + escape(list.name()), redis::scard);
    }

    /** Counts the numbers with a geographic rule, scanning as {@link #size}. */
    CompletableFuture<Long> geoRules() {
        return sumOver("dnc:g:{*}", redis::hlen);
    }

    /** Returns each number's stored geographic rule (JSON), or null. */
    CompletableFuture<@Nullable String[]> geo(long[] e164) {
        final String[] out = new String[e164.length];
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        group(e164, AREA_RANGE).forEach((area, indexes) -> answers.add(
                redis.hmget(geoKey(area), members(e164, indexes, AREA_RANGE)).thenAccept(found -> {
                    for (int j = 0; j < indexes.length; j++) {
                        out[indexes[j]] = found.get(j).getValueOrElse(null);
                    }
                }).toCompletableFuture()));
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> out);
    }

    CompletableFuture<Void> putGeo(long e164, String json) {
        return redis.hset(geoKey(e164 / AREA_RANGE), Long.toString(e164 % AREA_RANGE), json).toCompletableFuture()
                    .thenApply(ignored -> null);
    }

    CompletableFuture<Boolean> removeGeo(long e164) {
        return redis.hdel(geoKey(e164 / AREA_RANGE), Long.toString(e164 % AREA_RANGE)).toCompletableFuture()
                    .thenApply(removed -> removed > 0);
    }

    /** Returns {@code name} with the glob characters SCAN's MATCH would read escaped. */
    private static String escape(String name) {
        return name.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private CompletableFuture<Long> sumOver(String match,
                                            java.util.function.Function<String, io.lettuce.core.RedisFuture<Long>> count) {
        final CompletableFuture<Long> total = new CompletableFuture<>();
        scanFrom(ScanCursor.INITIAL, ScanArgs.Builder.matches(match).limit(1000), count, new ArrayList<>(), total);
        return total;
    }

    private void scanFrom(ScanCursor cursor, ScanArgs args,
                          java.util.function.Function<String, io.lettuce.core.RedisFuture<Long>> count,
                          List<CompletableFuture<Long>> counts, CompletableFuture<Long> total) {
        redis.scan(cursor, args).whenComplete((KeyScanCursor<String> page, Throwable failure) -> {
            if (failure != null) {
                total.completeExceptionally(failure);
                return;
            }
            for (String key : page.getKeys()) {
                counts.add(count.apply(key).toCompletableFuture());
            }
            if (page.isFinished()) {
                sum(counts).whenComplete((n, f) -> {
                    if (f != null) {
                        total.completeExceptionally(f);
                    } else {
                        total.complete(n);
                    }
                });
            } else {
                scanFrom(page, args, count, counts, total);
            }
        });
    }

    static CompletableFuture<Long> sum(List<CompletableFuture<Long>> answers) {
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            long total = 0;
            for (CompletableFuture<Long> a : answers) {
                total += a.join();
            }
            return total;
        });
    }
}
