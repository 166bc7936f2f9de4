package io.switchboard.cli;

import static io.switchboard.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.switchboard.core.testing.LoopbackPorts;
import io.switchboard.core.testing.TestRedis;

/**
 * {@code switchboard dnc migrate --to sharded} against a real Redis holding the legacy keys:
 * the table of counts, the JSON answer, and a check of a copied number through the sharded
 * layout, as an operator would do it.
 */
class DncMigrateCommandIT {

    @TempDir
    Path dir;

    private Path config(String uri, String layout) throws Exception {
        final Path file = dir.resolve(layout + ".yaml");
        Files.writeString(file, "dataDir: " + dir.resolve("data") + "\nredis:\n  url: " + uri + "\n  layout: " + layout
                                + "\n");
        return file;
    }

    @Test
    void copiesTheLegacyKeysAndShowsMatchingCounts() throws Exception {
        try (TestRedis redis = TestRedis.start(LoopbackPorts.free(), List.of("set-max-intset-entries 10000"))) {
            final RedisClient client = RedisClient.create(redis.uri());
            try (var connection = client.connect()) {
                final RedisCommands<String, String> c = connection.sync();
                c.sadd("dnc:blacklist", "+12125550100", "+12125550101", "+4915112345678");
                c.hset("dnc:geo_rules", "+12125550102", "{\"Allowed\":false,\"RiskLevel\":\"high\"}");
            } finally {
                client.shutdown();
            }
            final String legacy = config(redis.uri(), "legacy").toString();
            final String sharded = config(redis.uri(), "sharded").toString();
            assertThat(run(0, "dnc", "check", "+12125550101", "--output", "json", "--config", sharded))
                    .contains("\"listed\":false");

            final String table = run(0, "dnc", "migrate", "--to", "sharded", "--config", legacy);
            assertThat(table).containsPattern("global/internal\\s+3\\s+3\\s+ok")
                             .containsPattern("geo rules\\s+1\\s+1\\s+ok")
                             .contains("every count matches");
            final JsonNode answer = new ObjectMapper().readTree(
                    run(0, "dnc", "migrate", "--to", "sharded", "--output", "json", "--config", legacy).lines()
                            .filter(l -> l.startsWith("{")).findFirst().orElseThrow());
            assertThat(answer.get("matches").asBoolean()).isTrue();
            assertThat(answer.get("counts")).hasSize(2);

            assertThat(run(0, "dnc", "check", "+12125550101", "--output", "json", "--config", sharded))
                    .contains("\"listed\":true");
            assertThat(run(1, "dnc", "migrate", "--to", "legacy", "--config", legacy)).contains("expected: sharded");
        }
    }
}
