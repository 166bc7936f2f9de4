package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.core.Durations;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        final Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsServeTheSandboxOnLoopback8080() {
        final GatewayConfig c = loader.load(null, Map.of());
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.genesys().hasCredentials()).isFalse();
        assertThat(c.commandTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.retry().maxRetries()).isEqualTo(3);
        assertThat(c.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void readsTheFileAndShortDurations() throws IOException {
        final GatewayConfig c = loader.load(yaml("""
                server:
                  port: 9000
                  requestTimeout: 45s
                retry:
                  initialBackoff: 250ms
                  maxRetries: 5
                commandTimeout: 2m
                auth:
                  apiKeys:
                    - name: desk
                      key: abcdefghijklmnopqrstu
                      scopes: [calls:write]
                """), Map.of());
        assertThat(c.server().port()).isEqualTo(9000);
        assertThat(c.server().requestTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.retry().initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.retry().maxRetries()).isEqualTo(5);
        assertThat(c.commandTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.auth().apiKeys()).hasSize(1);
        assertThat(c.auth().apiKeys().get(0).toString()).doesNotContain("abcdefghijklmnopqrstu");
    }

    @Test
    void environmentVariablesOverrideTheFile() throws IOException {
        final GatewayConfig c = loader.load(yaml("genesys:\n  clientId: from-file\n"), Map.of(
                "GENESYS_CLIENT_ID", "from-env",
                "GENESYS_CLIENT_SECRET", "env-secret",
                "GENESYS_SUBDOMAIN", "acme",
                "GENESYS_OAUTH_URL", "https://login.mypurecloud.com/oauth/token",
                "SWITCHBOARD_DATA_DIR", "/var/lib/switchboard"));
        assertThat(c.genesys().clientId()).isEqualTo("from-env");
        assertThat(c.genesys().hasCredentials()).isTrue();
        assertThat(c.genesys().subdomain()).isEqualTo("acme");
        assertThat(c.genesys().oauthUrl()).isEqualTo(URI.create("https://login.mypurecloud.com/oauth/token"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/switchboard"));
        assertThat(c.genesys().toString()).doesNotContain("env-secret");
    }

    @Test
    void unknownSettingsAreNamedWithWhatIsAccepted() throws IOException {
        final Path file = yaml("server:\n  prot: 9000\n");
        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("server.prot: unknown setting")
                .hasMessageContaining("port");
    }

    @Test
    void badValuesNameTheFieldAndTheExpectation() throws IOException {
        final Path durations = yaml("retry:\n  initialBackoff: soon\n");
        assertThatThrownBy(() -> loader.load(durations, Map.of()))
                .hasMessageContaining("retry.initialBackoff")
                .hasMessageContaining("expected: a duration such as 500ms");
        final Path port = yaml("server:\n  port: 70000\n");
        assertThatThrownBy(() -> loader.load(port, Map.of()))
                .hasMessageContaining("server.port: 70000 (expected: 0..65535)");
        final Path key = yaml("auth:\n  apiKeys:\n    - name: short\n      key: abc\n");
        assertThatThrownBy(() -> loader.load(key, Map.of()))
                .hasMessageContaining("auth.apiKeys[short].key: <redacted> (expected: at least 16 characters)")
                .hasMessageNotContaining("abc\"");
    }

    @Test
    void redisTakesOneServerOrAClustersNodesAndALayoutThatFitsIt() throws IOException {
        final GatewayConfig one = loader.load(null, Map.of("SWITCHBOARD_REDIS_URL", "redis://10.0.0.5:6379"));
        assertThat(one.redis().layout()).isEqualTo("legacy");
        assertThat(one.redis().endpoint().cluster()).isFalse();
        final GatewayConfig cluster = loader.load(null, Map.of(
                "SWITCHBOARD_REDIS_URL", "redis://:s3cret-pass@10.0.0.5:7001, redis://10.0.0.6:7001,redis://10.0.0.7:7001"));
        assertThat(cluster.redis().layout()).isEqualTo("sharded");
        assertThat(cluster.redis().endpoint().cluster()).isTrue();
        assertThat(cluster.redis().toString())
                .isEqualTo("Redis{url=redis://10.0.0.5:7001,redis://10.0.0.6:7001,redis://10.0.0.7:7001, layout=sharded}");
        assertThat(loader.load(yaml("redis:\n  url: redis://10.0.0.5:6379\n  layout: dual\n"), Map.of()).redis().layout())
                .isEqualTo("dual");

        assertThatThrownBy(() -> loader.load(null, Map.of("SWITCHBOARD_REDIS_URL", "redis://a:7001,redis://b:7001",
                                                          "SWITCHBOARD_REDIS_LAYOUT", "legacy")))
                .hasMessageContaining("redis.layout: legacy on a Redis Cluster (expected: sharded;");
        assertThatThrownBy(() -> loader.load(null, Map.of("SWITCHBOARD_REDIS_URL", "redis://a:7001",
                                                          "SWITCHBOARD_REDIS_LAYOUT", "sideways")))
                .hasMessageContaining("redis.layout: \"sideways\" (expected: one of [legacy, sharded, dual])");
        assertThatThrownBy(() -> loader.load(null, Map.of("SWITCHBOARD_REDIS_URL",
                                                          "redis://:s3cret-pass@a:7001,,redis://b:7001")))
                .hasMessageContaining("redis.url: an empty URI (node 2 of 3)")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> loader.load(null, Map.of("SWITCHBOARD_REDIS_URL", "http://:s3cret-pass@a:7001")))
                .hasMessageContaining("redis.url: a URI that is not redis:// or rediss://")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aMissingOrMalformedFileIsReported() throws IOException {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"), Map.of()))
                .hasMessageEndingWith("nope.yaml: no such file");
        final Path broken = yaml("server: [unclosed\n");
        assertThatThrownBy(() -> loader.load(broken, Map.of())).hasMessageContaining("not valid YAML");
    }

    @Test
    void shortDurationsRoundTrip() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
