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
import io.switchboard.core.redis.LuaScript;
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
 * A registry list that has been replaced whole ({@link #replace}) is kept under its name and
 * version, {@code <name>@<version>} (e.g. {@code dnc:list:global:registry@3}), and
 * {@code dnc:lists} names the version readers use ({@code <name>|version}; none is version 0).
 * A lookup reads the version again once it has its answers, and asks again if the list was
 * replaced meanwhile: an answer never mixes versions, and never comes from a version being
 * deleted.
 *
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
    private volatile Names names;
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
        this.names = parse(redis.hgetall(LISTS_KEY).toCompletableFuture().join());
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

    /** Returns the key of {@code list}'s numbers (its first version). */
    public static String key(DncList list) {
        return key(list, 0);
    }

    /** Returns the key of the numbers of {@code list}'s {@code version}. */
    static String key(DncList list, long version) {
        return list.global() ? RedisDncStore.BLACKLIST_KEY
                             : "dnc:list:" + list.scope() + ':' + list.kind().wire() + suffix(version);
    }

    static String expiresKey(DncList list, long version) {
        return "dnc:expires:" + list.name() + suffix(version);
    }

    /** Returns {@code list}'s name as keys of {@code version} carry it: the name, and {@code @<version>} past the first. */
    static String stored(DncList list, long version) {
        return list.name() + suffix(version);
    }

    private static String suffix(long version) {
        return version == 0 ? "" : "@" + version;
    }

    private static String versionField(DncList list) {
        return list.name() + "|version";
    }

    private static String recordsKey(long e164) {
        return "dnc:records:{+" + e164 + '}';
    }

    /**
     * What {@code dnc:lists} says: the lists and their settings, and the version of each
     * replaced list.
     */
    record Names(List<ListInfo> lists, Map<DncList, Long> versions) {

        long version(DncList list) {
            return versions.getOrDefault(list, 0L);
        }
    }

    static Names parse(Map<String, String> fields) {
        final Map<DncList, Long> versions = new HashMap<>();
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
            final String version = fields.get(versionField(list));
            if (version != null) {
                // Guessing a version could answer from a deleted one: -1, and the list cannot answer.
                versions.put(list, parseVersion(version));
                if (versions.get(list) < 0) {
                    logger.warn("{}[{}] is not a version; the list cannot be read", LISTS_KEY, versionField(list));
                }
            }
        }
        return new Names(List.copyOf(found.values()), Map.copyOf(versions));
    }

    @Override
    public List<ListInfo> lists() {
        if (System.nanoTime() - listsReadAt > REFRESH_NANOS) {
            refresh();
        }
        return names.lists();
    }

    @Override
    public CompletableFuture<List<ListInfo>> currentLists() {
        if (System.nanoTime() - listsReadAt <= REFRESH_NANOS) {
            return CompletableFuture.completedFuture(names.lists());
        }
        return refresh().thenApply(done -> names.lists());
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
            names = parse(fields);
            listsReadAt = System.nanoTime();
            return null;
        });
    }

    /** How many times a lookup asks again when the lists it read were replaced meanwhile. */
    private static final int REPLACED_RETRIES = 3;

    @Override
    public CompletableFuture<boolean[][]> contains(List<DncList> asked, long[] e164) {
        if (e164.length == 0 || asked.isEmpty()) {
            return CompletableFuture.completedFuture(new boolean[asked.size()][e164.length]);
        }
        return contains(asked, e164, 0);
    }

    /**
     * Answers from the versions last read, then reads the registry lists' versions again: as a
     * version never comes back once replaced, and is deleted only once replaced, an unchanged
     * version was in place throughout, whole. A changed one means asking again.
     */
    private CompletableFuture<boolean[][]> contains(List<DncList> asked, long[] e164, int attempt) {
        final Names read = names;
        final List<DncList> registries = asked.stream().filter(l -> l.kind() == DncList.Kind.REGISTRY).toList();
        for (DncList l : registries) {
            if (read.version(l) < 0) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        LISTS_KEY + "[" + versionField(l) + "] is not a version"));
            }
        }
        final CompletableFuture<boolean[][]> answer = probe(asked, read, e164);
        if (registries.isEmpty()) {
            return answer;
        }
        return answer.thenCompose(found -> redis.hmget(LISTS_KEY, registries.stream().map(RedisListStore::versionField)
                                                                            .toArray(String[]::new))
                .toCompletableFuture().thenCompose(now -> {
                    for (int i = 0; i < registries.size(); i++) {
                        final String v = now.get(i).hasValue() ? now.get(i).getValue() : "0";
                        if (!v.equals(Long.toString(read.version(registries.get(i))))) {
                            if (attempt >= REPLACED_RETRIES) {
                                throw new IllegalStateException(registries.get(i).name() + " was replaced during "
                                                                + "each of " + (attempt + 1) + " lookups");
                            }
                            return reread().thenCompose(done -> contains(asked, e164, attempt + 1));
                        }
                    }
                    return CompletableFuture.completedFuture(found);
                }));
    }

    private CompletableFuture<boolean[][]> probe(List<DncList> asked, Names read, long[] e164) {
        return switch (layout) {
            case LEGACY -> legacyContains(asked, read, e164);
            case SHARDED -> shardedContains(asked, read, e164);
            case DUAL -> legacyContains(asked, read, e164).thenCombine(shardedContains(asked, read, e164), (l, s) -> {
                for (int a = 0; a < l.length; a++) {
                    for (int i = 0; i < e164.length; i++) {
                        l[a][i] |= s[a][i];
                    }
                }
                return l;
            });
        };
    }

    private CompletableFuture<boolean[][]> shardedContains(List<DncList> asked, Names read, long[] e164) {
        return sharded.lookup(asked.stream().map(l -> stored(l, read.version(l))).toList(), e164, false)
                      .thenApply(ShardedSets.Lookup::listed);
    }

    private CompletableFuture<boolean[][]> legacyContains(List<DncList> asked, Names read, long[] e164) {
        final String[] members = strings(e164);
        final List<CompletableFuture<List<Boolean>>> answers = new ArrayList<>(asked.size());
        for (DncList list : asked) {
            answers.add(redis.smismember(key(list, read.version(list)), members).toCompletableFuture());
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
        // A replaced list's new version has no expiries: read from a version newer than the one
        // a lookup answered from, an entry does not expire, and blocks.
        final Names read = names;
        return switch (layout) {
            case LEGACY -> legacyExpiries(asked, read, e164);
            case SHARDED -> shardedExpiries(asked, read, e164);
            case DUAL -> dualExpiries(asked, read, e164);
        };
    }

    private CompletableFuture<List<Map<Long, Instant>>> shardedExpiries(List<DncList> asked, Names read,
                                                                        List<long[]> e164) {
        final List<CompletableFuture<Map<Long, String>>> answers = new ArrayList<>(asked.size());
        for (int l = 0; l < asked.size(); l++) {
            answers.add(e164.get(l).length == 0 ? CompletableFuture.completedFuture(Map.of())
                                                : sharded.expiries(stored(asked.get(l), read.version(asked.get(l))),
                                                                    e164.get(l)));
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
    private CompletableFuture<List<Map<Long, Instant>>> dualExpiries(List<DncList> asked, Names read,
                                                                     List<long[]> e164) {
        final List<CompletableFuture<boolean[][]>> onLegacy = new ArrayList<>(asked.size());
        final List<CompletableFuture<boolean[][]>> onSharded = new ArrayList<>(asked.size());
        for (int l = 0; l < asked.size(); l++) {
            onLegacy.add(legacyContains(List.of(asked.get(l)), read, e164.get(l)));
            onSharded.add(shardedContains(List.of(asked.get(l)), read, e164.get(l)));
        }
        final CompletableFuture<List<Map<Long, Instant>>> l = legacyExpiries(asked, read, e164);
        final CompletableFuture<List<Map<Long, Instant>>> s = shardedExpiries(asked, read, e164);
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

    private CompletableFuture<List<Map<Long, Instant>>> legacyExpiries(List<DncList> asked, Names read,
                                                                       List<long[]> e164) {
        final List<CompletableFuture<List<KeyValue<String, String>>>> answers = new ArrayList<>(asked.size());
        for (int l = 0; l < asked.size(); l++) {
            answers.add(e164.get(l).length == 0 ? CompletableFuture.completedFuture(List.of())
                                                : redis.hmget(expiresKey(asked.get(l), read.version(asked.get(l))),
                                                                    strings(e164.get(l)))
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
        final CompletableFuture<Long> added = version(list).thenCompose(v -> switch (layout) {
            case LEGACY -> legacyAdd(list, v, e164, expires);
            // The list is named first: a scrub that sees a number also knows its list.
            case SHARDED -> name(list, expires != null).thenCompose(named -> sharded.add(stored(list, v), e164, expires));
            case DUAL -> legacyAdd(list, v, e164, expires)
                    .thenCombine(sharded.add(stored(list, v), e164, expires), (a, b) -> Math.min(a, b));
        });
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

    /**
     * Returns the version of {@code list} that changes go to: a registry list's as {@code dnc:lists}
     * names it now, every other list's first.
     */
    private CompletableFuture<Long> version(DncList list) {
        if (list.kind() != DncList.Kind.REGISTRY) {
            return CompletableFuture.completedFuture(0L);
        }
        return redis.hget(LISTS_KEY, versionField(list)).toCompletableFuture()
                    .thenApply(v -> {
                        final long version = v == null ? 0L : parseVersion(v);
                        if (version < 0) {
                            throw new IllegalStateException(LISTS_KEY + "[" + versionField(list) + "] is not a version");
                        }
                        return version;
                    });
    }

    private CompletableFuture<Long> legacyAdd(DncList list, long version, long[] e164, @Nullable String expires) {
        final String[] args = new String[2 + e164.length];
        args[0] = list.name();
        args[1] = expires == null ? "" : expires;
        System.arraycopy(strings(e164), 0, args, 2, e164.length);
        return redis.<Long>eval(ADD, ScriptOutputType.INTEGER,
                                new String[] {key(list, version), expiresKey(list, version), LISTS_KEY}, args)
                    .toCompletableFuture();
    }

    /** Returns whether the names read last know {@code list}, and know it as expiring if it now is. */
    private boolean knows(DncList list, boolean expiring) {
        for (ListInfo i : names.lists()) {
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
        return version(list).thenCompose(v -> switch (layout) {
            case LEGACY -> legacyRemove(list, v, e164);
            case SHARDED -> sharded.remove(stored(list, v), e164);
            case DUAL -> legacyRemove(list, v, e164).thenCombine(sharded.remove(stored(list, v), e164),
                                                                 (a, b) -> Math.max(a, b));
        });
    }

    private CompletableFuture<Long> legacyRemove(DncList list, long version, long[] e164) {
        return redis.<Long>eval(REMOVE, ScriptOutputType.INTEGER,
                                new String[] {key(list, version), expiresKey(list, version)}, strings(e164))
                    .toCompletableFuture();
    }

    @Override
    public CompletableFuture<Void> refreshed(DncList list, Instant publishedAt) {
        return redis.hset(LISTS_KEY, Map.of(list.name(), "1", list.name() + "|refreshedAt", publishedAt.toString()))
                    .toCompletableFuture().thenCompose(done -> reread());
    }

    @Override
    public CompletableFuture<Long> size(DncList list) {
        // Dual: the legacy keys hold every number while the copy runs.
        return version(list).thenCompose(v -> layout == RedisLayout.SHARDED ? sharded.size(stored(list, v))
                                                                            : redis.scard(key(list, v)).toCompletableFuture());
    }

    /*
     * KEYS: the lists' names. ARGV: the list's name, then its version field and its next-version
     * field. Answers a version above the current one and every one handed out before.
     */
    private static final LuaScript NEXT_VERSION = new LuaScript("""
            local current = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
            local next = redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
            if next <= current then
              next = current + 1
              redis.call('HSET', KEYS[1], ARGV[3], next)
            end
            return next
            """);

    /*
     * KEYS: the lists' names. ARGV: the list's name, its version field, the new version, when its
     * source was published. Names the new version unless a newer one is named already; answers
     * -1 when it did, else the version that stays.
     */
    private static final LuaScript SWITCH = new LuaScript("""
            local current = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
            if current >= tonumber(ARGV[3]) then
              return current
            end
            redis.call('HSET', KEYS[1], ARGV[1], '1', ARGV[2], ARGV[3], ARGV[1] .. '|refreshedAt', ARGV[4],
                       ARGV[1] .. '|expiring', '0')
            return -1
            """);

    @Override
    public CompletableFuture<Replacement> replace(DncList list) {
        if (list.kind() != DncList.Kind.REGISTRY) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "only a registry list is replaced whole; " + list.name() + " is not one"));
        }
        return NEXT_VERSION.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {LISTS_KEY},
                                      new String[] {list.name(), versionField(list), list.name() + "|next"})
                           .thenApply(version -> new Staged(list, version));
    }

    /** A new version of a list, loaded under {@code <name>@<version>} keys, which readers ignore until it is named. */
    private final class Staged implements Replacement {
        private final DncList list;
        private final long version;
        private final java.util.concurrent.atomic.AtomicLong loaded = new java.util.concurrent.atomic.AtomicLong();
        /**
         * Set once the switch is sent: from then on this version may be the one readers use (a
         * reply that never came says nothing), and nothing here deletes it.
         */
        private volatile boolean switchSent;

        Staged(DncList list, long version) {
            this.list = list;
            this.version = version;
        }

        @Override
        public DncList list() {
            return list;
        }

        @Override
        public CompletableFuture<Long> add(long[] e164) {
            if (e164.length == 0) {
                return CompletableFuture.completedFuture(0L);
            }
            final CompletableFuture<Long> added = switch (layout) {
                case LEGACY -> legacyAdd(list, version, e164, null);
                case SHARDED -> sharded.sadd(stored(list, version), e164);
                case DUAL -> legacyAdd(list, version, e164, null)
                        .thenCombine(sharded.sadd(stored(list, version), e164), (a, b) -> Math.min(a, b));
            };
            return added.thenApply(n -> {
                loaded.addAndGet(n);
                return n;
            });
        }

        @Override
        public CompletableFuture<Long> commit(Instant publishedAt) {
            switchSent = true;
            return SWITCH.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {LISTS_KEY},
                                    new String[] {list.name(), versionField(list), Long.toString(version),
                                                  publishedAt.toString()})
                         .thenCompose(kept -> {
                             if (kept == version) {
                                 // Put in place already (a commit sent again after a lost reply): the
                                 // older versions may still be there.
                                 deleteReplaced(list);
                                 return CompletableFuture.completedFuture(loaded.get());
                             }
                             if (kept > version) {
                                 deleteVersions(list, v -> v == version);
                                 throw new IllegalStateException("a newer version of " + list.name() + " (" + kept
                                                                 + ") was put in place meanwhile; this one is discarded");
                             }
                             // Readers that still answer from an older version read the version again
                             // afterwards, see it changed, and ask again.
                             deleteReplaced(list);
                             // The switch is done: this replica reading the names late changes nothing.
                             return reread().handle((done, failure) -> loaded.get());
                         });
        }

        @Override
        public CompletableFuture<Void> abort() {
            if (!switchSent) {
                deleteVersions(list, v -> v == version);
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Deletes, in the background, the versions of {@code list} older than the one {@code dnc:lists}
     * names when the deletion starts, read then rather than taken from the switch's reply: on one
     * server, a replica that receives a deletion has received the switch before it, so a failover
     * never names a version that is gone. (On a cluster the keys are on other nodes than
     * {@code dnc:lists}, whose loss of a switch not yet replicated is not covered.)
     */
    private void deleteReplaced(DncList list) {
        redis.hget(LISTS_KEY, versionField(list)).toCompletableFuture().whenComplete((current, failure) -> {
            if (failure != null) {
                logger.warn("cannot read the version of {} ({}); its old versions are deleted with the next "
                            + "replacement", list.name(), failure.toString());
                return;
            }
            final long now = current == null ? 0 : parseVersion(current);
            if (now > 0) {
                deleteVersions(list, v -> v < now);
            }
        });
    }

    /** Returns the version {@code digits} names, or -1 if they are not one (1 to 18 digits). */
    static long parseVersion(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /**
     * Deletes, in the background, the keys of {@code list}'s versions that {@code which} picks
     * (on every node), in both layouts; what fails to be deleted is logged, and deleted with the
     * next version's old ones.
     */
    private void deleteVersions(DncList list, java.util.function.LongPredicate which) {
        final List<CompletableFuture<Long>> deleted = new ArrayList<>();
        for (String first : List.of(key(list, 0), expiresKey(list, 0))) {
            deleted.add(deleteMatching(ShardedSets.escape(first) + '*', key -> key.substring(first.length()), which));
        }
        final String name = list.name();
        for (String family : List.of("dnc:s:", "dnc:x:")) {
            // dnc:s:{<area>}<exchange>:<name>[@<version>]
            deleted.add(deleteMatching(family + "{*}???:" + ShardedSets.escape(name) + '*', key -> {
                final int at = key.indexOf('}') + 5;
                return key.startsWith(name, at) ? key.substring(at + name.length()) : "?";
            }, which));
        }
        ShardedSets.sum(deleted).whenComplete((n, failure) -> {
            if (failure != null) {
                logger.warn("deleting versions of {} that readers no longer use failed ({}); the next replacement "
                            + "deletes them", name, failure.toString());
            } else {
                logger.info("deleted {} keys of versions of {} that readers no longer use", n, name);
            }
        });
    }

    /** Unlinks the keys matching {@code match} whose version ({@code rest}: what follows the list's name) {@code which} picks. */
    private CompletableFuture<Long> deleteMatching(String match, java.util.function.Function<String, String> rest,
                                                   java.util.function.LongPredicate which) {
        return sharded.sumOver(match, key -> {
            final long v = versionOf(rest.apply(key));
            return v >= 0 && which.test(v) ? redis.unlink(key) : CompletableFuture.completedFuture(0L);
        });
    }

    /** Returns the version that {@code rest}, what follows a list's name in a key, names: 0 for nothing, -1 if none. */
    static long versionOf(String rest) {
        if (rest.isEmpty()) {
            return 0;
        }
        return rest.charAt(0) == '@' ? parseVersion(rest.substring(1)) : -1;
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
