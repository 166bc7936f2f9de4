package io.switchboard.core.testing;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis server and a three-node Redis Cluster for a test class: started on free loopback ports
 * before its first test and stopped after its last. Register it as a static field:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final RedisServerAndCluster REDIS = new RedisServerAndCluster("set-max-intset-entries 10000");
 * </pre>
 */
public final class RedisServerAndCluster implements BeforeAllCallback, AfterAllCallback {

    private final List<String> settings;
    private TestRedis server;
    private TestRedisCluster cluster;

    /** {@code settings} are the single server's configuration lines, e.g. {@code "set-max-intset-entries 10000"}. */
    public RedisServerAndCluster(String... settings) {
        this.settings = List.of(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestRedis.start(LoopbackPorts.free(), settings);
        cluster = TestRedisCluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            server.close();
        } finally {
            cluster.close();
        }
    }

    /** The single server. */
    public TestRedis server() {
        return server;
    }

    /** Stops the cluster, whatever state it is in, and starts a new one on new ports. */
    public void restartCluster() {
        cluster.close();
        cluster = TestRedisCluster.start();
    }

    /** The three-node cluster. */
    public TestRedisCluster cluster() {
        return cluster;
    }
}
