package io.switchboard.compliance.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.lettuce.core.api.sync.RedisCommands;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.core.testing.TestRedis;

/**
 * The legacy-to-sharded copy reads every entry again from the legacy keys when it writes it, so
 * that a page read before a removal or a change never brings back what is gone; and the dual
 * layout trusts a number's own allowing rule only when both layouts hold one.
 */
class ShardedSetsIT {

    @Test
    void aCopyOfAPageWritesEachEntryAsTheLegacyKeysHoldItNowOrNotAtAll() {
        try (TestRedis server = TestRedis.start();
             RedisEndpoint.Connection c = RedisEndpoint.parse(server.uri()).connect(Duration.ofSeconds(5));
             Raw raw = new Raw(server.uri())) {
            final RedisCommands<String, String> sync = raw.sync;
            final ShardedSets sets = new ShardedSets(c.commands(), false);
            // A page read with three members; since then one was removed and one's expiry changed.
            sync.sadd("dnc:blacklist", "+12125550100", "+12125550101");
            sync.hset("dnc:expires:global/internal", "+12125550101", "1900000000000");
            final long copied = sets.copyMembers(DncList.GLOBAL.name(), "dnc:blacklist", "dnc:expires:global/internal",
                                                 new String[] {"+12125550100", "+12125550101", "+12125550102"},
                                                 new long[] {12125550100L, 12125550101L, 12125550102L}).join();
            assertThat(copied).isEqualTo(2);
            assertThat(sets.contains(DncList.GLOBAL.name(), new long[] {12125550100L, 12125550101L, 12125550102L}).join())
                    .containsExactly(true, true, false);
            assertThat(sets.expiries(DncList.GLOBAL.name(), new long[] {12125550100L, 12125550101L}).join())
                    .isEqualTo(Map.of(12125550101L, "1900000000000"));

            // A geo rule removed since its page was read is not copied; one changed is copied as it is now.
            sync.hset("dnc:geo_rules", "+12125550103", "{\"Allowed\":false,\"RiskLevel\":\"high\"}");
            assertThat(sets.copyGeo("dnc:geo_rules", new String[] {"+12125550103", "+12125550104"},
                                    new long[] {12125550103L, 12125550104L}).join()).isEqualTo(1);
            try (ShardedRedisDncStore store = new ShardedRedisDncStore(
                    RedisEndpoint.parse(server.uri()).connect(Duration.ofSeconds(5)))) {
                assertThat(java.util.Arrays.asList(store.lookup(new long[] {12125550103L, 12125550104L}).join().geoRules()))
                        .containsExactly(new GeoRule(false, "high"), null);
            }
        }
    }

    /** A plain client for writing the legacy keys as another tool would. */
    private static final class Raw implements AutoCloseable {
        final io.lettuce.core.RedisClient client;
        final RedisCommands<String, String> sync;

        Raw(String uri) {
            client = io.lettuce.core.RedisClient.create(uri);
            sync = client.connect().sync();
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }

    @Test
    void theDualLayoutTrustsAnAllowingRuleOnlyWhenBothLayoutsHoldOne() {
        final GeoRule allowed = new GeoRule(true, "low");
        final GeoRule blocked = new GeoRule(false, "high");
        assertThat(DualDncStore.either(allowed, null)).isNull();
        assertThat(DualDncStore.either(null, allowed)).isNull();
        assertThat(DualDncStore.either(allowed, allowed)).isEqualTo(allowed);
        assertThat(DualDncStore.either(allowed, blocked)).isEqualTo(blocked);
        assertThat(DualDncStore.either(blocked, null)).isEqualTo(blocked);
        assertThat(DualDncStore.either(null, blocked)).isEqualTo(blocked);
        assertThat(DualDncStore.either(null, null)).isNull();
    }
}
