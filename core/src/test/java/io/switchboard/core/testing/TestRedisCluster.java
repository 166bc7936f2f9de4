package io.switchboard.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A real three-node Redis Cluster for integration tests, on free loopback ports: three
 * {@link TestRedis} servers in cluster mode (from PATH or the embedded-redis binary), each given
 * a third of the 16,384 slots and introduced to the others with {@code CLUSTER MEET}, the same
 * steps {@code redis-cli --cluster create} takes, so that no {@code redis-cli} is needed. Never
 * skipped: if the cluster does not form, the test fails.
 *
 * <p>Sets are allowed 10,000 compact integer members, as the sharded DNC layout needs.
 */
public final class TestRedisCluster implements AutoCloseable {

    private static final int SLOTS = 16_384;
    private final List<TestRedis> nodes;
    private final Path dir;

    private TestRedisCluster(List<TestRedis> nodes, Path dir) {
        this.nodes = nodes;
        this.dir = dir;
    }

    /** Starts three nodes and waits until the cluster reports {@code cluster_state:ok} on each. */
    public static TestRedisCluster start() {
        final Path dir;
        try {
            dir = Files.createTempDirectory("redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final List<TestRedis> nodes = new ArrayList<>();
        final TestRedisCluster cluster = new TestRedisCluster(nodes, dir);
        try {
            for (int i = 0; i < 3; i++) {
                final int port = clusterPort();
                nodes.add(TestRedis.start(port, List.of("cluster-enabled yes",
                                                        "cluster-config-file " + dir.resolve("nodes-" + port + ".conf"),
                                                        "cluster-node-timeout 2000",
                                                        "set-max-intset-entries 10000",
                                                        "dir " + dir)));
            }
            for (int i = 0; i < 3; i++) {
                final int from = SLOTS * i / 3;
                final int to = SLOTS * (i + 1) / 3;
                final int index = i;
                run(nodes.get(i), c -> {
                    c.sync().clusterAddSlots(IntStream.range(from, to).toArray());
                    if (index > 0) {
                        c.sync().clusterMeet("127.0.0.1", nodes.get(0).port());
                    }
                });
            }
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Returns the nodes' URIs, comma-separated, as {@code redis.url} takes them. */
    public String uris() {
        return String.join(",", nodes.stream().map(TestRedis::uri).toList());
    }

    /** Returns node {@code i} (0-2). */
    public TestRedis node(int i) {
        return nodes.get(i);
    }

    /** Empties every node. */
    public void flushAll() {
        nodes.forEach(TestRedis::flushAll);
    }

    /** Returns every node's keys matching {@code pattern}. */
    public List<String> keys(String pattern) {
        final List<String> keys = new java.util.ArrayList<>();
        nodes.forEach(n -> keys.addAll(n.keys(pattern)));
        return keys;
    }

    /**
     * Returns the node that holds {@code key}'s slot.
     */
    public TestRedis nodeOf(String key) {
        final int slot = io.lettuce.core.cluster.SlotHash.getSlot(key);
        int i = 2;
        while (SLOTS * i / 3 > slot) {
            i--;
        }
        return nodes.get(i);
    }

    private void awaitOk() {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < giveUp) {
            final boolean[] ok = {true};
            for (TestRedis n : nodes) {
                run(n, c -> {
                    final String info = c.sync().clusterInfo();
                    final long known = c.sync().clusterNodes().lines().filter(l -> !l.isBlank()).count();
                    ok[0] &= info.contains("cluster_state:ok") && known == 3;
                });
            }
            if (ok[0]) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the three-node Redis Cluster did not reach cluster_state:ok within 30 s");
    }

    private static void run(TestRedis node, java.util.function.Consumer<StatefulRedisConnection<String, String>> action) {
        final RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            action.accept(c);
        } finally {
            client.shutdown();
        }
    }

    /** A free port whose cluster bus port (10,000 above it) is free as well. */
    private static int clusterPort() {
        for (int tries = 0; tries < 100; tries++) {
            final int port = LoopbackPorts.free();
            if (port + 10_000 <= 65_535 && busFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports for a cluster node");
    }

    private static boolean busFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops every node still running and deletes their files. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (TestRedis n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
        if (failure != null) {
            throw failure;
        }
    }
}
