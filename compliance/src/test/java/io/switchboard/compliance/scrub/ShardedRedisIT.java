package io.switchboard.compliance.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.DualDncStore;
import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.RedisDncStore;
import io.switchboard.compliance.dnc.RedisLayout;
import io.switchboard.compliance.dnc.RedisLayoutMigration;
import io.switchboard.compliance.dnc.RedisListStore;
import io.switchboard.compliance.dnc.ShardedRedisDncStore;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.core.testing.RedisServerAndCluster;

/**
 * The sharded Redis layout, on one real server and on a real three-node Redis Cluster: the same
 * decisions as the embedded store, compact sets, the migration from the legacy layout, the dual
 * layout during it, and a stopped node failing closed.
 */
class ShardedRedisIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    @RegisterExtension
    static final RedisServerAndCluster REDIS = new RedisServerAndCluster("set-max-intset-entries 10000");

    @TempDir
    Path dir;

    private static RedisEndpoint.Connection connect(String where) {
        REDIS.server().flushAll();
        REDIS.cluster().flushAll();
        return RedisEndpoint.parse(where.equals("cluster") ? REDIS.cluster().uris() : REDIS.server().uri()).connect(TIMEOUT);
    }

    private static DncStore store(String where) {
        return switch (where) {
            case "server", "cluster" -> new ShardedRedisDncStore(connect(where));
            case "dual" -> new DualDncStore(new RedisDncStore(connect("server")),
                                            new ShardedRedisDncStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT)));
            default -> throw new IllegalArgumentException(where);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "dual", "cluster"})
    void givesTheSameDecisionsAsTheEmbeddedStore(String where) {
        try (DncStore sharded = store(where);
             EmbeddedDncStore embedded = EmbeddedDncStore.open(dir)) {
            assertThat(sharded.stats().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join().numbers()).isZero();
            ScrubFixture.load(sharded);
            ScrubFixture.load(embedded);
            final List<String> fromSharded = ScrubEngineTest.reasons(ScrubEngineTest.engineOver(sharded),
                                                                    ScrubFixture.NUMBERS, ScrubEngineTest.MORNING_EAST,
                                                                    true);
            assertThat(fromSharded).containsExactlyElementsOf(ScrubFixture.REASONS_AT_MORNING_EAST)
                                   .containsExactlyElementsOf(ScrubEngineTest.reasons(
                                           ScrubEngineTest.engineOver(embedded), ScrubFixture.NUMBERS,
                                           ScrubEngineTest.MORNING_EAST, true));
            assertThat(sharded.stats().join().numbers()).isEqualTo(2);
            assertThat(sharded.stats().join().geoRules()).isEqualTo(2);
            // Removal, and numbers whose last four digits have leading zeros.
            sharded.addAll(new long[] {12125550001L, 12125550010L}).join();
            assertThat(sharded.removeAll(new long[] {12125550100L, 12125550001L, 12125559999L}).join()).isEqualTo(2);
            assertThat(sharded.lookup(new long[] {12125550100L, 12125550101L, 12125550001L, 12125550010L}).join()
                              .listed()).containsExactly(false, true, false, true);
            assertThat(sharded.removeGeoRule(12125550102L).join()).isTrue();
            assertThat(sharded.lookup(new long[] {12125550102L}).join().geoRules()[0]).isNull();
        }
    }

    @Test
    void aPrefixsNumbersAreOneCompactSetOfTwoBytesANumber() {
        try (RedisEndpoint.Connection c = connect("server");
             ShardedRedisDncStore store = new ShardedRedisDncStore(c)) {
            final long[] numbers = new long[10_000];
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = 14155550000L + i;
            }
            assertThat(store.addAll(numbers).join()).isEqualTo(10_000);
            final String key = "dnc:s:{1415}555:global/internal";
            assertThat(c.commands().objectEncoding(key).toCompletableFuture().join()).isEqualTo("intset");
            assertThat(c.commands().memoryUsage(key).toCompletableFuture().join()).isLessThan(21_000); // 2.1 bytes a number, key and allocator rounding included
            assertThat(store.stats().join().numbers()).isEqualTo(10_000);
        }
    }

    @Test
    void theMigrationCopiesEveryListExpiryAndRuleAndItsCountsMatch() {
        final Instant later = Instant.parse("2030-01-01T00:00:00Z");
        final DncList campaign = new DncList("campaign:c1", DncList.Kind.INTERNAL);
        final DncList registry = new DncList("global", DncList.Kind.REGISTRY);
        try (RedisDncStore legacy = new RedisDncStore(connect("server"));
             RedisListStore legacyLists = new RedisListStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT),
                                                             RedisLayout.LEGACY)) {
            ScrubFixture.load(legacy);
            legacyLists.add(campaign, new long[] {12125550100L, 12125550200L}, later).join();
            legacyLists.add(campaign, new long[] {12125550300L}, null).join();
            legacyLists.add(registry, new long[] {4915112345678L}, null).join();
            legacyLists.refreshed(registry, Instant.parse("2026-11-01T00:00:00Z")).join();
            final RedisClient client = RedisClient.create(REDIS.server().uri());
            try (StatefulRedisConnection<String, String> raw = client.connect()) {
                raw.sync().sadd("dnc:blacklist", "not-a-number");
                raw.sync().hset("dnc:geo_rules", "+12125550104", "not json");
            } finally {
                client.shutdown();
            }
            final List<String> progress = new ArrayList<>();
            final RedisLayoutMigration.Report report;
            try (RedisEndpoint.Connection c = RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT)) {
                report = new RedisLayoutMigration(c, progress::add).toSharded();
            }
            assertThat(report.matches()).as(report.toString()).isTrue();
            assertThat(report.counts()).extracting(RedisLayoutMigration.Count::what)
                                       .containsExactlyInAnyOrder("global/internal", "global/registry",
                                                                  "campaign:c1/internal", "geo rules");
            assertThat(report.counts()).filteredOn(n -> n.what().equals("global/internal"))
                                       .singleElement()
                                       .isEqualTo(new RedisLayoutMigration.Count("global/internal", 2, 2, 1));
            assertThat(report.counts()).filteredOn(n -> n.what().equals("geo rules"))
                                       .singleElement()
                                       .isEqualTo(new RedisLayoutMigration.Count("geo rules", 3, 3, 0));
            assertThat(progress).isNotEmpty();
            // A second run changes nothing.
            try (RedisEndpoint.Connection c = RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT)) {
                assertThat(new RedisLayoutMigration(c, line -> { }).toSharded()).isEqualTo(report);
            }

            try (ShardedRedisDncStore sharded = new ShardedRedisDncStore(
                         RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT));
                 RedisListStore shardedLists = new RedisListStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT),
                                                                  RedisLayout.SHARDED)) {
                final List<String> numbers = new ArrayList<>(ScrubFixture.NUMBERS);
                numbers.add("+12125550104");
                assertThat(ScrubEngineTest.reasons(ScrubEngineTest.engineOver(sharded), numbers,
                                                   ScrubEngineTest.MORNING_EAST, true))
                        .containsExactlyElementsOf(ScrubEngineTest.reasons(ScrubEngineTest.engineOver(legacy), numbers,
                                                                           ScrubEngineTest.MORNING_EAST, true));
                final long[] asked = {12125550100L, 12125550200L, 12125550300L, 12125550400L};
                assertThat(shardedLists.contains(List.of(campaign), asked).join())
                        .isDeepEqualTo(legacyLists.contains(List.of(campaign), asked).join());
                assertThat(shardedLists.expiries(List.of(campaign), List.of(asked)).join())
                        .isEqualTo(legacyLists.expiries(List.of(campaign), List.of(asked)).join())
                        .isEqualTo(List.of(Map.of(12125550100L, later, 12125550200L, later)));
                assertThat(shardedLists.lists()).isEqualTo(legacyLists.lists());
                assertThat(shardedLists.size(campaign).join()).isEqualTo(3);
            }
        }
    }

    @Test
    void theDualLayoutBlocksANumberEitherLayoutListsAndWritesBoth() {
        final DncList campaign = new DncList("campaign:c1", DncList.Kind.INTERNAL);
        try (RedisEndpoint.Connection c = connect("server");
             RedisDncStore legacy = new RedisDncStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT));
             ShardedRedisDncStore sharded = new ShardedRedisDncStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT));
             DualDncStore dual = new DualDncStore(new RedisDncStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT)),
                                                  new ShardedRedisDncStore(
                                                          RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT)));
             RedisListStore legacyLists = new RedisListStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT),
                                                             RedisLayout.LEGACY);
             RedisListStore dualLists = new RedisListStore(RedisEndpoint.parse(REDIS.server().uri()).connect(TIMEOUT),
                                                           RedisLayout.DUAL)) {
            legacy.addAll(new long[] {12125550100L}).join(); // not copied yet
            dual.addAll(new long[] {12125550101L}).join();
            assertThat(dual.lookup(new long[] {12125550100L, 12125550101L, 12125550102L}).join().listed())
                    .containsExactly(true, true, false);
            assertThat(sharded.lookup(new long[] {12125550100L, 12125550101L}).join().listed())
                    .containsExactly(false, true);
            assertThat(legacy.lookup(new long[] {12125550101L}).join().listed()).containsExactly(true);

            // An entry for good in the legacy keys and one with an expiry in the sharded keys: for good.
            legacyLists.add(campaign, new long[] {12125550200L}, null).join();
            dualLists.add(campaign, new long[] {12125550201L}, Instant.parse("2030-01-01T00:00:00Z")).join();
            final long[] asked = {12125550200L, 12125550201L, 12125550202L};
            assertThat(dualLists.contains(List.of(campaign), asked).join()[0]).containsExactly(true, true, false);
            assertThat(dualLists.expiries(List.of(campaign), List.of(asked)).join())
                    .isEqualTo(List.of(Map.of(12125550201L, Instant.parse("2030-01-01T00:00:00Z"))));
            assertThat(dualLists.remove(campaign, new long[] {12125550201L}).join()).isEqualTo(1);
            assertThat(legacyLists.contains(List.of(campaign), asked).join()[0]).containsExactly(true, false, false);
        }
    }

    @Test
    void onAClusterANodeThatStopsMakesTheNumbersItHeldUnavailableNeverAllowed() {
        try (ShardedRedisDncStore store = new ShardedRedisDncStore(connect("cluster"))) {
            // Numbers of thirty area codes, so that every node holds some.
            final long[] areas = {201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219,
                                  224, 225, 228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254};
            final long[] numbers = new long[300];
            final List<String> asked = new ArrayList<>();
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = 10_000_000_000L + areas[i % 30] * 10_000_000L + (230 + i / 30) * 10_000L + 4567;
                asked.add("+" + numbers[i]);
            }
            store.addAll(Arrays.copyOf(numbers, 150)).join();
            final ScrubEngine engine = ScrubEngineTest.engineOver(store);
            final List<String> before = ScrubEngineTest.reasons(engine, asked, ScrubEngineTest.MORNING_EAST, false);
            assertThat(before.subList(0, 150)).containsOnly("dnc_blacklist");
            assertThat(before.subList(150, 300)).containsOnly("allowed");

            final TestRedis stopped = REDIS.cluster().node(1);
            stopped.close();
            final List<Integer> held = new ArrayList<>();
            for (int i = 0; i < numbers.length; i++) {
                if (REDIS.cluster().nodeOf("dnc:s:{" + numbers[i] / 10_000_000 + "}") == stopped) {
                    held.add(i);
                }
            }
            assertThat(held).isNotEmpty().hasSizeLessThan(300);
            final ScrubEngine.Decision[] after = engine.scrub(asked, ScrubEngineTest.MORNING_EAST, false,
                                                              Duration.ofSeconds(5)).join();
            assertThat(after).allSatisfy(d -> assertThat(d.blocked()).isTrue());
            for (int i : held) {
                assertThat(after[i].reason()).isEqualTo("dnc_unavailable");
            }
        } finally {
            REDIS.restartCluster(); // whole again for the tests after this one
        }
    }
}
