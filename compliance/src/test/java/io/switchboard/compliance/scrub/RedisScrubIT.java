package io.switchboard.compliance.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.RedisDncStore;
import io.switchboard.core.testing.TestRedis;

/** The Redis store against a real Redis server: the same decisions as the embedded store, and fail-closed. */
class RedisScrubIT {

    @TempDir
    Path dir;

    @Test
    void givesTheSameDecisionsAsTheEmbeddedStore() {
        try (TestRedis server = TestRedis.start();
             RedisDncStore redis = RedisDncStore.connect(server.uri(), Duration.ofSeconds(5));
             EmbeddedDncStore embedded = EmbeddedDncStore.open(dir)) {
            ScrubFixture.load(redis);
            ScrubFixture.load(embedded);
            final List<String> fromRedis = ScrubEngineTest.reasons(ScrubEngineTest.engineOver(redis),
                                                                  ScrubFixture.NUMBERS,
                                                                  ScrubEngineTest.MORNING_EAST, true);
            final List<String> fromEmbedded = ScrubEngineTest.reasons(ScrubEngineTest.engineOver(embedded),
                                                                     ScrubFixture.NUMBERS,
                                                                     ScrubEngineTest.MORNING_EAST, true);
            assertThat(fromRedis).containsExactlyElementsOf(ScrubFixture.REASONS_AT_MORNING_EAST)
                                 .containsExactlyElementsOf(fromEmbedded);
            assertThat(redis.stats().join()).isEqualTo(new DncStore.Stats("redis", 2, 2,
                                                                          redis.stats().join().memoryBytes()));
            assertThat(embedded.stats().join().numbers()).isEqualTo(2);
        }
    }

    @Test
    void readsTheLayoutOtherToolsWrite() {
        try (TestRedis server = TestRedis.start();
             RedisDncStore store = RedisDncStore.connect(server.uri(), Duration.ofSeconds(5))) {
            final RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().sadd("dnc:blacklist", "+12125550100");
                c.sync().hset("dnc:geo_rules", "+12125550102", "{\"Allowed\":false,\"RiskLevel\":\"High\"}");
                c.sync().hset("dnc:geo_rules", "+12125550103", "{\"Allowed\":true,\"RiskLevel\":\"low\"}");
                c.sync().hset("dnc:geo_rules", "+12125550104", "not json");
            } finally {
                client.shutdown();
            }
            final List<String> reasons = ScrubEngineTest.reasons(
                    ScrubEngineTest.engineOver(store),
                    List.of("+12125550100", "+12125550102", "+12125550103", "+12125550104"),
                    ScrubEngineTest.MORNING_EAST, true);
            assertThat(reasons).containsExactly("dnc_blacklist", "geo_blocked_high", "allowed",
                                                "geo_blocked_unreadable_rule");
        }
    }

    @Test
    void withRedisStoppedEveryValidNumberIsBlocked() {
        final TestRedis server = TestRedis.start();
        try (RedisDncStore store = RedisDncStore.connect(server.uri(), Duration.ofSeconds(5))) {
            ScrubFixture.load(store);
            server.close();
            final ScrubEngine.Decision[] decisions =
                    ScrubEngineTest.engineOver(store).scrub(ScrubFixture.NUMBERS, ScrubEngineTest.MORNING_EAST, true,
                                                            Duration.ofSeconds(5)).join();
            assertThat(decisions).allSatisfy(d -> assertThat(d.blocked()).isTrue());
            assertThat(Arrays.stream(decisions).map(ScrubEngine.Decision::reason).distinct())
                    .containsExactlyInAnyOrder("dnc_unavailable", "invalid_number");
        }
    }

    @Test
    void aStoreThatDoesNotAnswerByTheDeadlineBlocksEveryNumber() {
        try (TestRedis server = TestRedis.start();
             RedisDncStore store = RedisDncStore.connect(server.uri(), Duration.ofSeconds(30))) {
            ScrubFixture.load(store);
            final RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().clientPause(2_000); // Redis holds every other client's commands for 2 s
                final long started = System.nanoTime();
                final ScrubEngine.Decision[] decisions =
                        ScrubEngineTest.engineOver(store).scrub(List.of("+12125550199", "+12125550100"),
                                                                ScrubEngineTest.MORNING_EAST, true,
                                                                Duration.ofMillis(300)).join();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_900));
                assertThat(decisions).allSatisfy(d -> assertThat(d).isEqualTo(ScrubEngine.UNAVAILABLE));
            } finally {
                client.shutdown();
            }
        }
    }
}
