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

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

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
 * The names of the lists are read again when they are more than 500 ms old, and a scrub waits
 * for that read, so that a list another replica creates is consulted within a second; entries of
 * known lists are seen at once. Adding and removing numbers are each one script, so that a list's
 * name, its numbers and their expiries change together.
 */
public final class RedisListStore implements ListStore {

    private static final Logger logger = LoggerFactory.getLogger(RedisListStore.class);
    /** The hash naming every list. */
    public static final String LISTS_KEY = "dnc:lists";
    private static final long REFRESH_NANOS = 500_000_000L;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private volatile List<ListInfo> lists;
    private volatile long listsReadAt;
    private final java.util.concurrent.atomic.AtomicReference<@Nullable CompletableFuture<Void>> refreshing =
            new java.util.concurrent.atomic.AtomicReference<>();

    private RedisListStore(RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
        this.redis = connection.async();
        this.lists = parse(connection.sync().hgetall(LISTS_KEY));
        this.listsReadAt = System.nanoTime();
    }

    /**
     * Connects to Redis at {@code uri}; commands that get no answer within {@code commandTimeout} fail.
     *
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     */
    public static RedisListStore connect(String uri, Duration commandTimeout) {
        final RedisClient client = RedisClient.create(RedisURI.create(requireNonNull(uri, "uri")));
        client.setOptions(ClientOptions.builder()
                                       .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                       .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                                       .build());
        try {
            return new RedisListStore(client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Returns the key of {@code list}'s numbers. */
    public static String key(DncList list) {
        return list.global() ? RedisDncStore.BLACKLIST_KEY : "dnc:list:" + list.scope() + ':' + list.kind().wire();
    }

    private static String expiresKey(DncList list) {
        return "dnc:expires:" + list.name();
    }

    private static String recordsKey(long e164) {
        return "dnc:records:{+" + e164 + '}';
    }

    private static List<ListInfo> parse(Map<String, String> fields) {
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
                        // An unreadable expiry is read as none: the entry keeps blocking.
                        try {
                            found.put(e164.get(l)[i], Instant.ofEpochMilli(Long.parseLong(a.get(i).getValue())));
                        } catch (NumberFormatException e) {
                            logger.warn("{}[+{}] is not epoch milliseconds; the entry does not expire",
                                        expiresKey(asked.get(l)), e164.get(l)[i]);
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
        final String[] args = new String[2 + e164.length];
        args[0] = list.name();
        args[1] = expiresAt == null ? "" : Long.toString(expiresAt.toEpochMilli());
        System.arraycopy(strings(e164), 0, args, 2, e164.length);
        return redis.<Long>eval(ADD, ScriptOutputType.INTEGER, new String[] {key(list), expiresKey(list), LISTS_KEY},
                                args).toCompletableFuture()
                    .thenCompose(added -> (knows(list, expiresAt != null) ? CompletableFuture.<Void>completedFuture(null)
                                                                          : reread()).thenApply(v -> added));
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
        return redis.scard(key(list)).toCompletableFuture();
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
        client.shutdown();
    }

    private static String[] strings(long[] e164) {
        return RedisDncStore.strings(e164);
    }
}
