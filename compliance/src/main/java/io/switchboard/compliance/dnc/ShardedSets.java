package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.switchboard.core.redis.LuaScript;

/**
 * The sharded Redis layout of DNC lists, which a Redis Cluster spreads over its nodes:
 * <ul>
 *   <li>a list's numbers are one SET per number prefix, {@code dnc:s:{<area>}<exchange>:<list>}
 *       (e.g. {@code dnc:s:{1415}555:global/internal}; a replaced registry list's version
 *       follows its name, {@code global/registry@2}), where the prefix is every digit of the
 *       E.164 number but the last four (a NANP country code, area code and exchange; the area is
 *       every digit but the last seven, the exchange the three after it) and the members
 *       are the last four digits as plain integers ({@code 2671}, {@code 15} for {@code 0015}),
 *       which Redis keeps as a compact integer set of two bytes a member while a set has at
 *       most {@code set-max-intset-entries} members (10,000 are needed);</li>
 *   <li>entries' expiries are the HASH {@code dnc:x:{<area>}<exchange>:<list>}, member to epoch ms;</li>
 *   <li>per-number geographic rules are one HASH per area, {@code dnc:g:{<area>}}, where the
 *       area is every digit but the last seven and the field the last seven as an integer;</li>
 *   <li>the names of the lists ({@code dnc:lists}) and numbers' records are keyed as in the
 *       legacy layout, which already spreads them.</li>
 * </ul>
 * The area is the hash tag, so that every key of an area (its exchanges on every list, their
 * expiries, its geographic rules) is in one slot of a cluster: an entry and its expiry change
 * together, and a batch costs one script an area it touches, all sent before any answer is
 * awaited. On one server, where keys need not share a slot, a batch is one script.
 */
final class ShardedSets {

    /** The numbers of a prefix share a key; the last this many digits are its members. */
    static final long MEMBER_RANGE = 10_000L;
    /** The numbers of an area share a geographic-rule hash. */
    static final long AREA_RANGE = 10_000_000L;

    private final RedisClusterAsyncCommands<String, String> redis;
    private final boolean cluster;

    /** Uses {@code redis}; on a {@code cluster}, a script's keys are kept to one area's slot. */
    ShardedSets(RedisClusterAsyncCommands<String, String> redis, boolean cluster) {
        this.redis = requireNonNull(redis, "redis");
        this.cluster = cluster;
    }

    /** Numbers that share an area share a hash tag. */
    static final long AREA_OF_PREFIX = 1_000L;

    /** Returns the key of the numbers of list {@code stored} (a list's name, and its version if any) under {@code prefix}. */
    static String numbersKey(String stored, long prefix) {
        return "dnc:s:" + tagged(prefix) + ':' + stored;
    }

    static String expiriesKey(String stored, long prefix) {
        return "dnc:x:" + tagged(prefix) + ':' + stored;
    }

    /** Returns {@code {<area>}<exchange>}, the exchange as three digits. */
    private static String tagged(long prefix) {
        final long exchange = prefix % AREA_OF_PREFIX;
        return "{" + prefix / AREA_OF_PREFIX + '}' + (exchange < 10 ? "00" : exchange < 100 ? "0" : "") + exchange;
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
        counts.forEach((k, c) -> groups.put(k, new int[c[0]]));
        final Map<Long, int[]> filled = new HashMap<>(counts.size() * 2);
        for (int i = 0; i < e164.length; i++) {
            final long k = e164[i] / range;
            groups.get(k)[filled.computeIfAbsent(k, x -> new int[1])[0]++] = i;
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

    /*
     * KEYS: the keys asked. ARGV: for each key, 's' (is each a member) or 'h' (each field's
     * value), how many members, the members. Answers the replies in order, flat (a missing field
     * as nil): one SISMEMBER or HGET for a key asked about one member, else one SMISMEMBER or
     * HMGET (a thousand members at a time).
     */
    private static final LuaScript READ = new LuaScript("""
            local out, n, a = {}, 0, 1
            for k = 1, #KEYS do
              local set = ARGV[a] == 's'
              local last = a + 1 + tonumber(ARGV[a + 1])
              if last == a + 2 then
                n = n + 1
                out[n] = redis.call(set and 'SISMEMBER' or 'HGET', KEYS[k], ARGV[last])
              else
                for s = a + 2, last, 1000 do
                  local replies = redis.call(set and 'SMISMEMBER' or 'HMGET', KEYS[k],
                                             unpack(ARGV, s, math.min(s + 999, last)))
                  for i = 1, #replies do
                    out[n + i] = replies[i]
                  end
                  n = n + #replies
                end
              end
              a = last + 1
            end
            return out
            """);

    /** Calls a command with ARGV[from..to], a thousand at a time (Lua's stack is bounded); answers the sum. */
    private static final String EACH = """
            local function each(command, key, from, to)
              local total = 0
              for s = from, to, 1000 do
                total = total + redis.call(command, key, unpack(ARGV, s, math.min(s + 999, to)))
              end
              return total
            end
            """;

    /**
     * Gives a member an expiry unless that would shorten its entry: one listed for good stays so,
     * and the later of two expiries holds.
     */
    private static final String EXTEND = """
            local function extend(set, expiries, m, expires)
              local on = redis.call('SISMEMBER', set, m) == 1
              local current = redis.call('HGET', expiries, m)
              if not on or (current and tonumber(current) < tonumber(expires)) then
                redis.call('HSET', expiries, m, expires)
              end
            end
            """;

    /*
     * KEYS: pairs of a prefix's set and its expiries. ARGV: the expiry in epoch ms or '' for none,
     * then for each pair how many members and the members. An expiry never shortens an entry: one
     * listed for good stays so, and the later of two expiries holds. Answers how many were not
     * listed.
     */
    private static final LuaScript ADD = new LuaScript(EACH + EXTEND + """
            local expires, a, added = ARGV[1], 2, 0
            for k = 1, #KEYS, 2 do
              local n = tonumber(ARGV[a])
              a = a + 1
              if expires == '' then
                if redis.call('EXISTS', KEYS[k + 1]) == 1 then
                  each('HDEL', KEYS[k + 1], a, a + n - 1)
                end
              else
                for i = a, a + n - 1 do
                  extend(KEYS[k], KEYS[k + 1], ARGV[i], expires)
                end
              end
              added = added + each('SADD', KEYS[k], a, a + n - 1)
              a = a + n
            end
            return added
            """);

    /* KEYS: pairs of a prefix's set and its expiries. ARGV: for each, how many members and the members. */
    private static final LuaScript REMOVE = new LuaScript(EACH + """
            local a, removed = 1, 0
            for k = 1, #KEYS, 2 do
              local n = tonumber(ARGV[a])
              a = a + 1
              removed = removed + each('SREM', KEYS[k], a, a + n - 1)
              if redis.call('EXISTS', KEYS[k + 1]) == 1 then
                each('HDEL', KEYS[k + 1], a, a + n - 1)
              end
              a = a + n
            end
            return removed
            """);

    /* KEYS: prefixes' sets. ARGV: for each, how many members and the members. Plain SADDs. */
    private static final LuaScript SADD = new LuaScript(EACH + """
            local a, added = 1, 0
            for k = 1, #KEYS do
              local n = tonumber(ARGV[a])
              a = a + 1
              added = added + each('SADD', KEYS[k], a, a + n - 1)
              a = a + n
            end
            return added
            """);

    /**
     * The scripts a batch is sent as: one in all on one server, one an area on a cluster (where
     * a script's keys must share a slot). Each part takes keys and arguments in order.
     */
    private final class Batch {

        private final Map<Long, Part> parts = new HashMap<>();
        private final List<String> leading;

        Batch(String... leading) {
            this.leading = List.of(leading);
        }

        /** The part of {@code area}'s keys. */
        Part part(long area) {
            return parts.computeIfAbsent(cluster ? area : 0L, a -> new Part(leading));
        }

        /** Sends every part; answers each part's reply, in no particular order. */
        <T> List<CompletableFuture<T>> send(LuaScript script, ScriptOutputType type) {
            final List<CompletableFuture<T>> replies = new ArrayList<>(parts.size());
            for (Part p : parts.values()) {
                replies.add(p.send(script, type));
            }
            return replies;
        }
    }

    /** One script's keys and arguments, and what to do with its reply. */
    private final class Part {
        final List<String> keys = new ArrayList<>();
        final List<String> args;
        final List<java.util.function.Consumer<java.util.Iterator<Object>>> readers = new ArrayList<>();

        Part(List<String> leading) {
            this.args = new ArrayList<>(leading);
        }

        /** Adds a key with its members, preceded by {@code op} when given. */
        void add(String key, @Nullable String op, String[] members) {
            keys.add(key);
            if (op != null) {
                args.add(op);
            }
            args.add(Integer.toString(members.length));
            args.addAll(List.of(members));
        }

        <T> CompletableFuture<T> send(LuaScript script, ScriptOutputType type) {
            return script.run(redis, type, keys.toArray(String[]::new), args.toArray(String[]::new));
        }
    }

    /** Asks {@code key} about {@code indexes} of {@code e164}, handing each reply to {@code sink}. */
    private static void ask(Part part, String key, char op, long[] e164, int[] indexes, long range,
                            java.util.function.ObjIntConsumer<Object> sink) {
        part.add(key, String.valueOf(op), members(e164, indexes, range));
        part.readers.add(replies -> {
            for (int index : indexes) {
                sink.accept(replies.next(), index);
            }
        });
    }

    /** Returns a membership reply: 1 or 0, nothing else. */
    private static boolean member(@Nullable Object reply) {
        if (reply instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        throw new IllegalStateException("a membership reply that is neither 0 nor 1: " + reply);
    }

    /** Sends a read batch and feeds each part's replies to its readers; a reply of the wrong length fails it. */
    private CompletableFuture<Void> read(Batch batch) {
        final List<CompletableFuture<?>> done = new ArrayList<>();
        for (Part p : batch.parts.values()) {
            done.add(p.<List<Object>>send(READ, ScriptOutputType.MULTI).thenAccept(replies -> {
                final java.util.Iterator<Object> it = replies.iterator();
                try {
                    p.readers.forEach(r -> r.accept(it));
                } catch (java.util.NoSuchElementException e) {
                    throw new IllegalStateException("a script answered fewer replies than asked", e);
                }
                if (it.hasNext()) {
                    throw new IllegalStateException("a script answered more replies than asked");
                }
            }));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * Answers, for each of {@code lists} (their stored names, {@link RedisListStore#stored}), whether each of {@code e164} is on it, and when
     * {@code geo} is set each number's stored geographic rule (JSON, or null): one batch.
     */
    CompletableFuture<Lookup> lookup(List<String> lists, long[] e164, boolean geo) {
        final boolean[][] listed = new boolean[lists.size()][e164.length];
        final String[] rules = geo ? new String[e164.length] : null;
        final Batch batch = new Batch();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> {
            final Part part = batch.part(prefix / AREA_OF_PREFIX);
            for (int l = 0; l < lists.size(); l++) {
                final boolean[] out = listed[l];
                ask(part, numbersKey(lists.get(l), prefix), 's', e164, indexes, MEMBER_RANGE,
                    (reply, i) -> out[i] = member(reply));
            }
        });
        if (geo) {
            group(e164, AREA_RANGE).forEach((area, indexes) -> ask(
                    batch.part(area), geoKey(area), 'h', e164, indexes, AREA_RANGE,
                    (reply, i) -> rules[i] = (String) reply));
        }
        return read(batch).thenApply(done -> new Lookup(listed, rules));
    }

    /**
     * A batch's answers.
     *
     * @param listed list by list, whether each number is on it
     * @param geo each number's stored geographic rule, or null; null when not asked
     */
    record Lookup(boolean[][] listed, @Nullable String @Nullable [] geo) {}

    /** Returns whether each of {@code e164} is on {@code list}. */
    CompletableFuture<boolean[]> contains(String list, long[] e164) {
        return lookup(List.of(list), e164, false).thenApply(l -> l.listed()[0]);
    }

    /** Returns the stored expiry (epoch ms, as stored) of each of {@code e164} on {@code list} that has one. */
    CompletableFuture<Map<Long, String>> expiries(String list, long[] e164) {
        final Map<Long, String> out = new java.util.concurrent.ConcurrentHashMap<>();
        final Batch batch = new Batch();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> ask(
                batch.part(prefix / AREA_OF_PREFIX), expiriesKey(list, prefix), 'h', e164, indexes, MEMBER_RANGE,
                (reply, i) -> {
                    if (reply != null) {
                        out.put(e164[i], (String) reply);
                    }
                }));
        // On a cluster the parts complete on different threads.
        return read(batch).thenApply(done -> out);
    }

    /**
     * Puts {@code e164} on {@code list} until {@code expiresMs} (null: for good), an entry and its
     * expiry in one script; answers how many were not on it.
     */
    CompletableFuture<Long> add(String list, long[] e164, @Nullable String expiresMs) {
        return write(ADD, list, e164, true, expiresMs == null ? "" : expiresMs);
    }

    /** Takes {@code e164} off {@code list} and drops their expiries; answers how many were on it. */
    CompletableFuture<Long> remove(String list, long[] e164) {
        return write(REMOVE, list, e164, true);
    }

    /** Puts {@code e164} on {@code list} with plain {@code SADD}s, leaving expiries as they are. */
    CompletableFuture<Long> sadd(String list, long[] e164) {
        return write(SADD, list, e164, false);
    }

    private CompletableFuture<Long> write(LuaScript script, String list, long[] e164, boolean withExpiries,
                                          String... leading) {
        final Batch batch = new Batch(leading);
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> {
            final Part part = batch.part(prefix / AREA_OF_PREFIX);
            part.add(numbersKey(list, prefix), null, members(e164, indexes, MEMBER_RANGE));
            if (withExpiries) {
                part.keys.add(expiriesKey(list, prefix));
            }
        });
        return sum(batch.send(script, ScriptOutputType.INTEGER));
    }

    /*
     * One server only. KEYS: a legacy list's set and expiries, then pairs of a prefix's set and
     * expiries. ARGV: for each pair, how many members, then each member as the legacy layout has
     * it and as the sharded one keeps it. Copies a member only if the legacy set still has it, with
     * the legacy expiry it has now (never shortening one the sharded layout holds), so that a copy
     * racing a removal or a change never brings back what is gone. Answers how many were copied.
     */
    private static final LuaScript COPY_MEMBERS = new LuaScript(EXTEND + """
            local a, copied = 1, 0
            for k = 3, #KEYS, 2 do
              local n = tonumber(ARGV[a])
              a = a + 1
              for i = 1, n do
                local legacy, m = ARGV[a], ARGV[a + 1]
                a = a + 2
                if redis.call('SISMEMBER', KEYS[1], legacy) == 1 then
                  local expires = redis.call('HGET', KEYS[2], legacy)
                  if not expires then
                    redis.call('HDEL', KEYS[k + 1], m)
                  else
                    extend(KEYS[k], KEYS[k + 1], m, expires)
                  end
                  redis.call('SADD', KEYS[k], m)
                  copied = copied + 1
                end
              end
            end
            return copied
            """);

    /*
     * One server only. KEYS: the legacy geo-rule hash, then areas' hashes. ARGV: for each area,
     * how many fields, then each field as the legacy layout has it and as the sharded one keeps
     * it. Copies the value the legacy hash holds now, if it still holds one.
     */
    private static final LuaScript COPY_GEO = new LuaScript("""
            local a, copied = 1, 0
            for k = 2, #KEYS do
              local n = tonumber(ARGV[a])
              a = a + 1
              for i = 1, n do
                local v = redis.call('HGET', KEYS[1], ARGV[a])
                if v then
                  redis.call('HSET', KEYS[k], ARGV[a + 1], v)
                  copied = copied + 1
                end
                a = a + 2
              end
            end
            return copied
            """);

    /**
     * Copies legacy members into {@code list}, each as it is in the legacy keys at the moment it
     * is copied (one script; one server only): {@code legacy[i]} is {@code e164[i]} as the legacy
     * set holds it.
     */
    CompletableFuture<Long> copyMembers(String list, String legacySet, String legacyExpiries, String[] legacy,
                                        long[] e164) {
        final List<String> keys = new ArrayList<>(List.of(legacySet, legacyExpiries));
        final List<String> args = new ArrayList<>();
        group(e164, MEMBER_RANGE).forEach((prefix, indexes) -> {
            keys.add(numbersKey(list, prefix));
            keys.add(expiriesKey(list, prefix));
            args.add(Integer.toString(indexes.length));
            for (int i : indexes) {
                args.add(legacy[i]);
                args.add(Long.toString(e164[i] % MEMBER_RANGE));
            }
        });
        return COPY_MEMBERS.run(redis, ScriptOutputType.INTEGER, keys.toArray(String[]::new), args.toArray(String[]::new));
    }

    /** Copies legacy geo rules as {@link #copyMembers} copies members: {@code legacy[i]} is {@code e164[i]}'s field. */
    CompletableFuture<Long> copyGeo(String legacyRules, String[] legacy, long[] e164) {
        final List<String> keys = new ArrayList<>(List.of(legacyRules));
        final List<String> args = new ArrayList<>();
        group(e164, AREA_RANGE).forEach((area, indexes) -> {
            keys.add(geoKey(area));
            args.add(Integer.toString(indexes.length));
            for (int i : indexes) {
                args.add(legacy[i]);
                args.add(Long.toString(e164[i] % AREA_RANGE));
            }
        });
        return COPY_GEO.run(redis, ScriptOutputType.INTEGER, keys.toArray(String[]::new), args.toArray(String[]::new));
    }

    /**
     * Counts {@code list}'s numbers: a scan of every node's keys for the list, and one
     * {@code SCARD} a key. It takes a while on a full registry; only statistics ask.
     */
    CompletableFuture<Long> size(String list) {
        return sumOver("dnc:s:{*}???:" + escape(list), redis::scard);
    }

    /** Counts the numbers with a geographic rule, scanning as {@link #size}. */
    CompletableFuture<Long> geoRules() {
        return sumOver("dnc:g:{*}", redis::hlen);
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
    static String escape(String name) {
        return name.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /**
     * Scans every node's keys matching {@code match} (a SCAN pattern), applies {@code count} to
     * each, and sums what it answers.
     */
    CompletableFuture<Long> sumOver(String match,
                                    java.util.function.Function<String, ? extends java.util.concurrent.CompletionStage<Long>> count) {
        final CompletableFuture<Long> total = new CompletableFuture<>();
        scanFrom(ScanCursor.INITIAL, ScanArgs.Builder.matches(match).limit(1000), count, new ArrayList<>(), total);
        return total;
    }

    private void scanFrom(ScanCursor cursor, ScanArgs args,
                          java.util.function.Function<String, ? extends java.util.concurrent.CompletionStage<Long>> count,
                          List<CompletableFuture<Long>> counts, CompletableFuture<Long> total) {
        // A cluster's SCAN may connect to a node, synchronously: never on an event loop.
        CompletableFuture.supplyAsync(() -> redis.scan(cursor, args), io.switchboard.core.redis.RedisEndpoint.BLOCKING)
                         .thenCompose(f -> f).whenComplete((KeyScanCursor<String> page, Throwable failure) -> {
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
