package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.switchboard.core.redis.RedisEndpoint;

/**
 * The lists on Redis, beside the seed's keys:
 * <ul>
 *   <li>the seed's list is the SET {@code dnc:blacklist}; every other list the SET
 *       {@code dnc:list:<scope>:<kind>} (e.g. {@code dnc:list:campaign:c1:opt_out}), of E.164
 *       strings as the seed's;</li>
 *   <li>the HASH {@code dnc:lists} names every list written to (field {@code <scope>/<kind>}),
 *       with {@code <name>|refreshedAt} and {@code <name>|expiring} fields for its settings;</li>
 *   <li>the HASH {@code dnc:expires:<scope>/<kind>} holds entries' expiries, number to epoch
 *       milliseconds;</li>
 *   <li>the HASH {@code dnc:records:{+<number>}} holds one number's records (consents, opt-outs).</li>
 * </ul>
 * In the {@link RedisLayout#SHARDED} layout the numbers and expiries are keyed per number prefix
 * instead ({@link ShardedSets}); names and records are keyed as above. In {@link RedisLayout#DUAL}
 * both are written, and both read: a number is on a list when either layout has it, and its entry
 * expires only when every layout that has it gives it an expiry (the later one).
 *
 * <p>The names of the lists are read again when they are more than 500 ms old, and a scrub waits
 * for that read, so that a list another replica creates is consulted within a second; entries of
 * known lists are seen at once. Adding and removing numbers are each one script (in the sharded
 * layout, one a batch on one server and one an area on a cluster), so that a list's numbers and
 * their expiries change together.
 */
public final class RedisListStore implements ListStore {

    private static final Logger logger = LoggerFactory.getLogger(RedisListStore.class);
    /** The hash naming every list. */
    public static final String LISTS_KEY = "dnc:lists";
    private static final long REFRESH_NANOS = 500_000_000L;

    private final RedisEndpoint.Connection connection;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final RedisLayout layout;
    private final ShardedSets sharded;
    private volatile List<ListInfo> lists;
    private volatile long listsReadAt;
    private final java.util.concurrent.atomic.AtomicReference<@Nullable CompletableFuture<Void>> refreshing =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Uses {@code connection}, which {@link #close} closes, in {@code layout}; reads the names of
     * the lists before it returns.
     *
     * @throws io.lettuce.core.RedisException if they cannot be read
     */
    public RedisListStore(RedisEndpoint.Connection connection, RedisLayout layout) {
        this.connection = requireNonNull(connection, "connection");
        this.redis = connection.commands();
        this.layout = requireNonNull(layout, "layout");
        this.sharded = new ShardedSets(redis, connection.cluster());
        this.lists = parse(redis.hgetall(LISTS_KEY).toCompletableFuture().join());
        this.listsReadAt = System.nanoTime();
    }

    /**
     * Connects to Redis at {@code uri}; commands that get no answer within {@code commandTimeout} fail.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     */
    public static RedisListStore connect(String uri, Duration commandTimeout) {
        final RedisEndpoint.Connection connection = RedisEndpoint.parse(requireNonNull(uri, "uri"))
                                                                 .connect(commandTimeout);
        try {
            return new RedisListStore(connection, RedisLayout.LEGACY);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Returns the key of {@code list}'s numbers. */
    public static String key(DncList list) {
        return list.global() ? RedisDncStore.BLACKLIST_KEY : "dnc:list:" + list.scope() + ':' + list.kind().wire();
    }

    static String expiresKey(DncList list) {
        return "dnc:expires:" + list.name();
    }

    private static String recordsKey(long e164) {
        return "dnc:records:{+" + e164 + '}';
    }

    static List<ListInfo> parse(Map<String, String> fields) {
        final Map<DncList, ListInfo> found = new TreeMap<>();
        found.put(DncList.GLOBAL, new ListInfo(DncList.GLOBAL, null, false));
        for (String field : fields.keySet()) {
            if (field.indexOf('|') >= 0) {
                continue;
            }
            final DncList list = DncList.parse(field);
            if (list == null) {
                continue;
            }
            final String refreshed = fields.get(field + "|refreshedAt");
            Instant at = null;
            if (refreshed != null) {
                try {
                    at = Instant.parse(refreshed);
                } catch (java.time.DateTimeException e) {
                    logger.warn("{}[{}|refreshedAt] is not an instant; the list counts as never refreshed", LISTS_KEY,
                                field);
                }
            }
            found.put(list, new ListInfo(list, at, "1".equals(fields.get(field + "|expiring"))));
        }
        return List.copyOf(found.values());
    }

    @Override
    public List<ListInfo> lists() {
        if (System.nanoTime() - listsReadAt > REFRESH_NANOS) {
            refresh();
        }
        return lists;
    }

    @Override
    public CompletableFuture<List<ListInfo>> currentLists() {
        if (System.nanoTime() - listsReadAt <= REFRESH_NANOS) {
            return CompletableFuture.completedFuture(lists);
        }
        return refresh().thenApply(done -> lists);
    }

    /** Reads the names again, once for every caller that asks meanwhile. */
    private CompletableFuture<Void> refresh() {
        while (true) {
            final CompletableFuture<Void> running = refreshing.get();
            if (running != null) {
                return running;
            }
            final CompletableFuture<Void> mine = new CompletableFuture<>();
            if (refreshing.compareAndSet(null, mine)) {
                reread().whenComplete((done, failure) -> {
                    refreshing.set(null);
                    if (failure != null) {
                        mine.completeExceptionally(failure);
                    } else {
                        mine.complete(null);
                    }
                });
                return mine;
            }
        }
    }

    /** Reads the names of the lists now, rather than within 500 ms. */
    private CompletableFuture<Void> reread() {
        return redis.hgetall(LISTS_KEY).toCompletableFuture().thenApply(fields -> {
            lists = parse(fields);
            listsReadAt = System.nanoTime();
            return null;
        });
    }

    @Override
    public CompletableFuture<boolean[][]> contains(List<DncList> asked, long[] e164) {
        if (e164.length == 0 || asked.isEmpty()) {
            return CompletableFuture.completedFuture(new boolean[asked.size()][e164.length]);
        }
        return switch (layout) {
            case LEGACY -> legacyContains(asked, e164);
            case SHARDED -> shardedContains(asked, e164);
            case DUAL -> legacyContains(asked, e164).thenCombine(shardedContains(asked, e164), (l, s) -> {
                for (int a = 0; a < l.length; a++) {
                    for (int i = 0; i < e164.length; i++) {
                        l[a][i] |= s[a][i];
                    }
                }
                return l;
            });
        };
    }

    private CompletableFuture<boolean[][]> shardedContains(List<DncList> asked, long[] e164) {
        return sharded.lookup(asked, e164, false).thenApply(ShardedSets.Lookup::listed);
    }

    private CompletableFuture<boolean[][]> legacyContains(List<DncList> asked, long[] e164) {
        final String[] members = strings(e164);
        final List<CompletableFuture<List<Boolean>>> answers = new ArrayList<>(asked.size());
        for (DncList list : asked) {
            answers.add(redis.smismember(key(list), members).toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final boolean[][] out = new boolean[asked.size()][e164.length];
            for (int l = 0; l < out.length; l++) {
                final List<Boolean> a = answers.get(l).join();
                for (int i = 0; i < e164.length; i++) {
                    out[l][i] = a.get(i);
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<List<Map<Long, Instant>>> expiries(List<DncList> asked, List<long[]> e164) {
        return switch (layout) {
            case LEGACY -> legacyExpiries(asked, e164);
            case SHARDED -> shardedExpiries(asked, e164);
            case DUAL -> dualExpiries(asked, e164);
        };
    }

    private CompletableFuture<List<Map<Long, Instant>>> shardedExpiries(List<DncList> asked, List<long[]> e164) {
        final List<CompletableFuture<Map<Long, String>>> answers = new ArrayList<>(asked.size());
        for (int l = 0; l < asked.size(); l++) {
            answers.add(e164.get(l).length == 0 ? CompletableFuture.completedFuture(Map.of())
                                                : sharded.expiries(asked.get(l), e164.get(l)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<Map<Long, Instant>> out = new ArrayList<>(asked.size());
            for (int l = 0; l < asked.size(); l++) {
                final Map<Long, Instant> found = new HashMap<>();
                final DncList list = asked.get(l);
                answers.get(l).join().forEach((n, ms) -> {
                    final Instant at = epochMillis(ms, list, n);
                    if (at != null) {
                        found.put(n, at);
                    }
                });
                out.add(found);
            }
            return out;
        });
    }

    /**
     * Both layouts' expiries: a number's entry expires only if every layout that lists it gives
     * it an expiry, and then at the later one.
     */
    private CompletableFuture<List<Map<Long, Instant>>> dualExpiries(List<DncList> asked, List<long[]> e164) {
        final List<CompletableFuture<boolean[][]>> onLegacy = new ArrayList<>(asked.size());
        final List<CompletableFuture<boolean[][]>> onSharded = new ArrayList<>(asked.size());
        for (int l = 0; l < asked.size(); l++) {
            onLegacy.add(legacyContains(List.of(asked.get(l)), e164.get(l)));
            onSharded.add(shardedContains(List.of(asked.get(l)), e164.get(l)));
        }
        final CompletableFuture<List<Map<Long, Instant>>> l = legacyExpiries(asked, e164);
        final CompletableFuture<List<Map<Long, Instant>>> s = shardedExpiries(asked, e164);
        final List<CompletableFuture<?>> all = new ArrayList<>(onLegacy);
        all.addAll(onSharded);
        all.add(l);
        all.add(s);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<Map<Long, Instant>> out = new ArrayList<>(asked.size());
            for (int a = 0; a < asked.size(); a++) {
                final long[] numbers = e164.get(a);
                final boolean[] inLegacy = onLegacy.get(a).join()[0];
                final boolean[] inSharded = onSharded.get(a).join()[0];
                final Map<Long, Instant> legacyAt = l.join().get(a);
                final Map<Long, Instant> shardedAt = s.join().get(a);
                final Map<Long, Instant> found = new HashMap<>();
                for (int i = 0; i < numbers.length; i++) {
                    final Instant x = legacyAt.get(numbers[i]);
                    final Instant y = shardedAt.get(numbers[i]);
                    if ((inLegacy[i] && x == null) || (inSharded[i] && y == null) || (x == null && y == null)) {
                        continue; // listed for good by one of them, or by neither with an expiry
                    }
                    found.put(numbers[i], x == null ? y : y == null ? x : x.isAfter(y) ? x : y);
                }
                out.add(found);
            }
            return out;
        });
    }

    private static @Nullable Instant epochMillis(String ms, DncList list, long number) {
        // An unreadable expiry is read as none: the entry keeps blocking.
        try {
            return Instant.ofEpochMilli(Long.parseLong(ms));
        } catch (NumberFormatException e) {
            logger.warn("the expiry of +{} on {} is not epoch milliseconds; the entry does not expire", number,
                        list.name());
            return null;
        }
    }

    private CompletableFuture<List<Map<Long, Instant>>> legacyExpiries(List<DncList> asked, List<long[]> e164) {
        final List<CompletableFuture<List<KeyValue<String, String>>>> answers = new ArrayList<>(asked.size());
        for (int l = 0; l < asked.size(); l++) {
            answers.add(e164.get(l).length == 0 ? CompletableFuture.completedFuture(List.of())
                                                : redis.hmget(expiresKey(asked.get(l)), strings(e164.get(l)))
                                                       .toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<Map<Long, Instant>> out = new ArrayList<>(asked.size());
            for (int l = 0; l < asked.size(); l++) {
                final Map<Long, Instant> found = new HashMap<>();
                final List<KeyValue<String, String>> a = answers.get(l).join();
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i).hasValue()) {
                        final Instant at = epochMillis(a.get(i).getValue(), asked.get(l), e164.get(l)[i]);
                        if (at != null) {
                            found.put(e164.get(l)[i], at);
                        }
                    }
                }
                out.add(found);
            }
            return out;
        });
    }

    /*
     * KEYS: the list's set, its expiries, the lists' names. ARGV: the list's name, the expiry in
     * epoch ms or '' for none, then the members. Names the list, sets or drops each member's expiry
     * (an expiry never shortens an entry: one listed for good stays so, and the later of two
     * expiries holds), then adds the members, as one step. Answers how many were not listed.
     */
    private static final String ADD = """
            local name, expires = ARGV[1], ARGV[2]
            redis.call('HSET', KEYS[3], name, '1')
            if expires ~= '' then
              redis.call('HSET', KEYS[3], name .. '|expiring', '1')
            end
            local added = 0
            for i = 3, #ARGV do
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

    /* KEYS: the list's set and its expiries. ARGV: members. Answers how many were listed. */
    private static final String REMOVE = """
            local removed = 0
            for i = 1, #ARGV do
              removed = removed + redis.call('SREM', KEYS[1], ARGV[i])
              redis.call('HDEL', KEYS[2], ARGV[i])
            end
            return removed
            """;

    @Override
    public CompletableFuture<Long> add(DncList list, long[] e164, @Nullable Instant expiresAt) {
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(0L);
        }
        final String expires = expiresAt == null ? null : Long.toString(expiresAt.toEpochMilli());
        final CompletableFuture<Long> added = switch (layout) {
            case LEGACY -> legacyAdd(list, e164, expires);
            // The list is named first: a scrub that sees a number also knows its list.
            case SHARDED -> name(list, expires != null).thenCompose(named -> sharded.add(list, e164, expires));
            case DUAL -> legacyAdd(list, e164, expires)
                    .thenCombine(sharded.add(list, e164, expires), (a, b) -> Math.min(a, b));
        };
        return added.thenCompose(n -> (knows(list, expiresAt != null) ? CompletableFuture.<Void>completedFuture(null)
                                                                      : reread()).thenApply(v -> n));
    }

    private CompletableFuture<Void> name(DncList list, boolean expiring) {
        final Map<String, String> fields = new HashMap<>();
        fields.put(list.name(), "1");
        if (expiring) {
            fields.put(list.name() + "|expiring", "1");
        }
        return redis.hset(LISTS_KEY, fields).toCompletableFuture().thenApply(done -> null);
    }

    private CompletableFuture<Long> legacyAdd(DncList list, long[] e164, @Nullable String expires) {
        final String[] args = new String[2 + e164.length];
        args[0] = list.name();
        args[1] = expires == null ? "" : expires;
        System.arraycopy(strings(e164), 0, args, 2, e164.length);
        return redis.<Long>eval(ADD, ScriptOutputType.INTEGER, new String[] {key(list), expiresKey(list), LISTS_KEY},
                                args).toCompletableFuture();
    }

    /** Returns whether the names read last know {@code list}, and know it as expiring if it now is. */
    private boolean knows(DncList list, boolean expiring) {
        for (ListInfo i : lists) {
            if (i.list().equals(list)) {
                return i.expiring() || !expiring;
            }
        }
        return false;
    }

    @Override
    public CompletableFuture<Long> remove(DncList list, long[] e164) {
        if (e164.length == 0) {
            return CompletableFuture.completedFuture(0L);
        }
        return switch (layout) {
            case LEGACY -> legacyRemove(list, e164);
            case SHARDED -> sharded.remove(list, e164);
            case DUAL -> legacyRemove(list, e164).thenCombine(sharded.remove(list, e164), (a, b) -> Math.max(a, b));
        };
    }

    private CompletableFuture<Long> legacyRemove(DncList list, long[] e164) {
        return redis.<Long>eval(REMOVE, ScriptOutputType.INTEGER, new String[] {key(list), expiresKey(list)},
                                strings(e164)).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Void> refreshed(DncList list, Instant publishedAt) {
        return redis.hset(LISTS_KEY, Map.of(list.name(), "1", list.name() + "|refreshedAt", publishedAt.toString()))
                    .toCompletableFuture().thenCompose(done -> reread());
    }

    @Override
    public CompletableFuture<Long> size(DncList list) {
        // Dual: the legacy keys hold every number while the copy runs.
        return layout == RedisLayout.SHARDED ? sharded.size(list) : redis.scard(key(list)).toCompletableFuture();
    }

    @Override
    public CompletableFuture<List<Map<String, String>>> records(long[] e164) {
        final List<CompletableFuture<Map<String, String>>> answers = new ArrayList<>(e164.length);
        for (long n : e164) {
            answers.add(redis.hgetall(recordsKey(n)).toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<Map<String, String>> out = new ArrayList<>(e164.length);
            answers.forEach(a -> out.add(new TreeMap<>(a.join())));
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> changeRecords(long e164, Map<String, @Nullable String> changes) {
        final Map<String, String> set = new HashMap<>();
        final List<String> removed = new ArrayList<>();
        changes.forEach((field, value) -> {
            if (value == null) {
                removed.add(field);
            } else {
                set.put(field, value);
            }
        });
        final CompletableFuture<?> a = set.isEmpty() ? CompletableFuture.completedFuture(null)
                                                     : redis.hset(recordsKey(e164), set).toCompletableFuture();
        final CompletableFuture<?> b = removed.isEmpty() ? CompletableFuture.completedFuture(null)
                                                         : redis.hdel(recordsKey(e164), removed.toArray(String[]::new))
                                                                .toCompletableFuture();
        return CompletableFuture.allOf(a, b);
    }

    @Override
    public void close() {
        connection.close();
    }

    private static String[] strings(long[] e164) {
        return RedisDncStore.strings(e164);
    }
}
