package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
 * a time, so that Redis keeps serving while it runs, and copies each page in one script that
 * reads every entry again from the legacy keys: an entry removed or changed since the page was
 * read is copied as it is now, or not at all. It can be run again: an entry already copied is
 * left as it is, except that an expiry is never shortened.
 *
 * <p>Run it while the gateways use the {@link RedisLayout#DUAL} layout, which writes both
 * layouts and blocks a number either lists; switch them to {@link RedisLayout#SHARDED} once the
 * counts match.
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
        final RedisListStore.Names names = RedisListStore.parse(redis.hgetall(RedisListStore.LISTS_KEY)
                                                                     .toCompletableFuture().join());
        final List<Count> counts = new ArrayList<>();
        for (ListStore.ListInfo info : names.lists()) {
            // A replaced registry list: the version readers use (a replacement running meanwhile
            // writes both layouts itself).
            counts.add(copy(info.list(), names.version(info.list())));
        }
        counts.add(copyGeoRules());
        return new Report(counts);
    }

    private Count copy(DncList list, long version) {
        final String key = RedisListStore.key(list, version);
        final String expiresKey = RedisListStore.expiresKey(list, version);
        final String stored = RedisListStore.stored(list, version);
        long copied = 0;
        final Set<String> unreadable = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            final ValueScanCursor<String> page = redis.sscan(key, cursor, ScanArgs.Builder.limit(PAGE))
                                                      .toCompletableFuture().join();
            final Readable read = readable(page.getValues(), unreadable);
            if (read.numbers().length > 0) {
                copied += sharded.copyMembers(stored, key, expiresKey, read.members(), read.numbers()).join();
            }
            progress.accept(list.name() + ": " + copied + " copied");
            cursor = page;
        } while (!cursor.isFinished());
        final long legacy = redis.scard(key).toCompletableFuture().join() - unreadable.size();
        return new Count(list.name(), legacy, sharded.size(stored).join(), unreadable.size());
    }

    private Count copyGeoRules() {
        long copied = 0;
        final Set<String> unreadable = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            final MapScanCursor<String, String> page =
                    redis.hscan(RedisDncStore.GEO_RULES_KEY, cursor, ScanArgs.Builder.limit(PAGE)).toCompletableFuture()
                         .join();
            // Copied as stored, a rule nobody can read included: it still blocks once copied.
            final Readable read = readable(new ArrayList<>(page.getMap().keySet()), unreadable);
            if (read.numbers().length > 0) {
                copied += sharded.copyGeo(RedisDncStore.GEO_RULES_KEY, read.members(), read.numbers()).join();
            }
            progress.accept("geo rules: " + copied + " copied");
            cursor = page;
        } while (!cursor.isFinished());
        final long legacy = redis.hlen(RedisDncStore.GEO_RULES_KEY).toCompletableFuture().join() - unreadable.size();
        return new Count("geo rules", legacy, sharded.geoRules().join(), unreadable.size());
    }

    /** A page's members that are E.164 numbers, as the legacy keys hold them and as digits. */
    private record Readable(String[] members, long[] numbers) {}

    private static Readable readable(List<String> members, Set<String> unreadable) {
        final List<String> kept = new ArrayList<>(members.size());
        final long[] numbers = new long[members.size()];
        for (String m : members) {
            final long e164 = number(m);
            if (e164 < 0) {
                unreadable.add(m); // a scan may return a member twice
            } else {
                numbers[kept.size()] = e164;
                kept.add(m);
            }
        }
        return new Readable(kept.toArray(String[]::new), java.util.Arrays.copyOf(numbers, kept.size()));
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
