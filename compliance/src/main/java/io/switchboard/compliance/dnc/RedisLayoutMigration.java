package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.switchboard.core.redis.RedisEndpoint;

/**
 * Copies the DNC lists from the legacy Redis layout into the sharded one ({@link ShardedSets}),
 * on the same server: every list named in {@code dnc:lists} (and the seed's), entry by entry with
 * its expiry, and the geographic rules. It reads with {@code SSCAN} and {@code HSCAN}, a page at
 * a time, so that Redis keeps serving while it runs, and it can be run again: an entry already
 * copied is left as it is, except that an expiry is never shortened.
 *
 * <p>Run it while the gateways use the {@link RedisLayout#DUAL} layout, which writes both
 * layouts and blocks a number either lists; switch them to {@link RedisLayout#SHARDED} once the
 * counts match. A number removed while the copy runs may be copied after its removal; the count
 * then shows one more in the sharded layout, and removing it again mends it.
 */
public final class RedisLayoutMigration {

    private static final int PAGE = 5_000;

    /**
     * One list's (or the geographic rules') figures.
     *
     * @param what the list's name, or {@code geo rules}
     * @param legacy how many the legacy layout holds
     * @param sharded how many the sharded layout holds after the copy
     * @param unreadable members of the legacy keys that are not E.164 numbers, left behind
     */
    public record Count(String what, long legacy, long sharded, long unreadable) {
        /** Returns whether both layouts hold as many. */
        public boolean matches() {
            return legacy == sharded;
        }
    }

    /**
     * What was copied.
     *
     * @param counts one a list, then the geographic rules
     */
    public record Report(List<Count> counts) {
        /** Returns whether every count matches. */
        public boolean matches() {
            return counts.stream().allMatch(Count::matches);
        }
    }

    private final RedisClusterAsyncCommands<String, String> redis;
    private final ShardedSets sharded;
    private final Consumer<String> progress;

    /**
     * Copies over {@code connection} (one server's), telling {@code progress} how far it got.
     *
     * @throws IllegalArgumentException if {@code connection} spans a cluster, where the legacy layout is not used
     */
    public RedisLayoutMigration(RedisEndpoint.Connection connection, Consumer<String> progress) {
        if (requireNonNull(connection, "connection").cluster()) {
            throw new IllegalArgumentException("the legacy layout is kept on one Redis server, not a cluster");
        }
        this.redis = connection.commands();
        this.sharded = new ShardedSets(redis, false);
        this.progress = requireNonNull(progress, "progress");
    }

    /** Copies everything and counts both layouts. */
    public Report toSharded() {
        final List<DncList> lists = new ArrayList<>();
        for (ListStore.ListInfo info : RedisListStore.parse(redis.hgetall(RedisListStore.LISTS_KEY)
                                                                      .toCompletableFuture().join())) {
            lists.add(info.list());
        }
        final List<Count> counts = new ArrayList<>();
        for (DncList list : lists) {
            counts.add(copy(list));
        }
        counts.add(copyGeoRules());
        return new Report(counts);
    }

    private Count copy(DncList list) {
        final String key = RedisListStore.key(list);
        final String expiresKey = RedisListStore.expiresKey(list);
        long copied = 0;
        long unreadable = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            final ValueScanCursor<String> page = redis.sscan(key, cursor, ScanArgs.Builder.limit(PAGE))
                                                      .toCompletableFuture().join();
            final List<String> members = page.getValues();
            final long[] numbers = new long[members.size()];
            int n = 0;
            for (String m : members) {
                final long e164 = number(m);
                if (e164 < 0) {
                    unreadable++;
                } else {
                    numbers[n++] = e164;
                }
            }
            final long[] read = java.util.Arrays.copyOf(numbers, n);
            if (read.length > 0) {
                final List<KeyValue<String, String>> expiries =
                        redis.hmget(expiresKey, RedisDncStore.strings(read)).toCompletableFuture().join();
                final Map<String, List<Long>> byExpiry = new HashMap<>();
                for (int i = 0; i < read.length; i++) {
                    final KeyValue<String, String> e = expiries.get(i);
                    byExpiry.computeIfAbsent(e.hasValue() ? e.getValue() : "", k -> new ArrayList<>()).add(read[i]);
                }
                final List<CompletableFuture<Long>> writes = new ArrayList<>();
                byExpiry.forEach((expiry, group) -> writes.add(sharded.add(
                        list, group.stream().mapToLong(Long::longValue).toArray(), expiry.isEmpty() ? null : expiry)));
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            }
            copied += read.length;
            progress.accept(list.name() + ": " + copied + " copied");
            cursor = page;
        } while (!cursor.isFinished());
        final long legacy = redis.scard(key).toCompletableFuture().join() - unreadable;
        return new Count(list.name(), legacy, sharded.size(list).join(), unreadable);
    }

    private Count copyGeoRules() {
        long copied = 0;
        long unreadable = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            final MapScanCursor<String, String> page =
                    redis.hscan(RedisDncStore.GEO_RULES_KEY, cursor, ScanArgs.Builder.limit(PAGE)).toCompletableFuture()
                         .join();
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (Map.Entry<String, String> rule : page.getMap().entrySet()) {
                final long e164 = number(rule.getKey());
                if (e164 < 0) {
                    unreadable++;
                } else {
                    // Copied as stored: a rule nobody can read still blocks once copied.
                    writes.add(sharded.putGeo(e164, rule.getValue()));
                    copied++;
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
            progress.accept("geo rules: " + copied + " copied");
            cursor = page;
        } while (!cursor.isFinished());
        final long legacy = redis.hlen(RedisDncStore.GEO_RULES_KEY).toCompletableFuture().join() - unreadable;
        return new Count("geo rules", legacy, sharded.geoRules().join(), unreadable);
    }

    /** Returns the digits of a legacy member ({@code +14155552671}), or -1 if it is not one. */
    private static long number(String member) {
        try {
            return StoredGeoRule.digits(member);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
