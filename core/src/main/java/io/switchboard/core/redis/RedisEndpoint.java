package io.switchboard.core.redis;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * The Redis that replicas share: one server ({@code redis://127.0.0.1:6379}) or the nodes of a
 * Redis Cluster, given as a comma-separated list of node URIs
 * ({@code redis://10.0.0.1:7001,redis://10.0.0.2:7002}). With more than one URI every client is a
 * cluster client: it learns the slots from the nodes, refreshes them every 30 s and whenever a
 * node answers MOVED or ASK or a connection drops, and sends each command to the node that holds
 * its key.
 *
 * <p>Commands to an unreachable node fail at once instead of queueing (callers that decide
 * whether to dial then block), and every command that gets no answer in time fails.
 */
public final class RedisEndpoint {

    /** What {@code redis.url} may be, for messages. */
    public static final String EXPECTED = "redis://[user:password@]host:port or rediss://…, or a comma-separated "
                                          + "list of them naming the nodes of a Redis Cluster";

    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Logger logger = LoggerFactory.getLogger(RedisEndpoint.class);

    /**
     * Where calls that may block run: Lettuce's cluster client opens a connection to a node
     * synchronously the first time a node-wide command (a SCAN, a command to one node) needs it.
     * Called on one of Lettuce's event-loop threads, that waits for work queued behind itself
     * until the connect timeout; called on a server's event loop, it stalls every request there.
     */
    public static final java.util.concurrent.Executor BLOCKING = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("switchboard-redis-blocking-", 0).factory());

    private final List<RedisURI> nodes;

    private RedisEndpoint(List<RedisURI> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Parses {@code spec}: one URI, or several separated by commas.
     *
     * @throws IllegalArgumentException saying what is wrong, without the password
     */
    public static RedisEndpoint parse(String spec) {
        requireNonNull(spec, "spec");
        final List<RedisURI> nodes = new ArrayList<>();
        final String[] parts = spec.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            final String part = parts[i].strip();
            final String which = parts.length == 1 ? "" : " (node " + (i + 1) + " of " + parts.length + ')';
            if (part.isEmpty()) {
                throw new IllegalArgumentException("an empty URI" + which + " (expected: " + EXPECTED + ')');
            }
            if (!part.startsWith("redis://") && !part.startsWith("rediss://")) {
                throw new IllegalArgumentException("a URI that is not redis:// or rediss://" + which + " (expected: "
                                                   + EXPECTED + ')');
            }
            try {
                nodes.add(RedisURI.create(part));
            } catch (IllegalArgumentException e) {
                // Lettuce's message can quote the URI, and with it a password.
                throw new IllegalArgumentException("a URI that cannot be read" + which + " (expected: " + EXPECTED
                                                   + ')', null);
            }
        }
        return new RedisEndpoint(nodes);
    }

    /** Returns whether this names the nodes of a Redis Cluster (more than one URI). */
    public boolean cluster() {
        return nodes.size() > 1;
    }

    /** Returns the nodes, for logs: scheme, host and port only. */
    public String redacted() {
        final StringBuilder out = new StringBuilder();
        for (RedisURI n : nodes) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(n.isSsl() ? "rediss://" : "redis://").append(n.getHost()).append(':').append(n.getPort());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return redacted();
    }

    /**
     * Returns a new client for this endpoint ({@link RedisClient} or {@link RedisClusterClient}),
     * whose commands fail after {@code commandTimeout}; the caller shuts it down.
     */
    public AbstractRedisClient newClient(Duration commandTimeout) {
        requireNonNull(commandTimeout, "commandTimeout");
        if (!cluster()) {
            final RedisClient client = RedisClient.create(nodes.get(0));
            client.setOptions(ClientOptions.builder()
                                           .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                           .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                                           .build());
            return client;
        }
        final RedisClusterClient client = RedisClusterClient.create(nodes);
        client.setOptions(ClusterClientOptions.builder()
                                              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                              .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                                              .topologyRefreshOptions(
                                                      ClusterTopologyRefreshOptions.builder()
                                                                                   .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                                                                                   .enableAllAdaptiveRefreshTriggers()
                                                                                   .build())
                                              .build());
        return client;
    }

    /**
     * Connects with a client of its own, which closing the connection shuts down.
     *
     * @throws io.lettuce.core.RedisConnectionException if no node can be reached
     */
    public Connection connect(Duration commandTimeout) {
        final AbstractRedisClient client = newClient(commandTimeout);
        try {
            return new Connection(client, open(client), true);
        } catch (RuntimeException e) {
            shutdown(client);
            throw e;
        }
    }

    /**
     * Connects through {@code client} (one of {@link #newClient}'s), which the connection leaves
     * running when it closes.
     */
    public static Connection connect(AbstractRedisClient client) {
        return new Connection(client, open(client), false);
    }

    /** Shuts {@code client} down, waiting a few seconds at most (see {@link Connection#close}). */
    public static void shutdown(AbstractRedisClient client) {
        Connection.await(client.shutdownAsync(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS),
                         "shutting the client down");
    }

    private static StatefulConnection<String, String> open(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient c) {
            return c.connect();
        }
        return ((RedisClient) client).connect();
    }

    /** One connection, to a server or across a cluster's nodes. */
    public static final class Connection implements AutoCloseable {

        private final AbstractRedisClient client;
        private final StatefulConnection<String, String> connection;
        private final RedisClusterAsyncCommands<String, String> commands;
        private final boolean ownsClient;

        private Connection(AbstractRedisClient client, StatefulConnection<String, String> connection,
                           boolean ownsClient) {
            this.client = client;
            this.connection = connection;
            this.ownsClient = ownsClient;
            this.commands = connection instanceof io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String> c
                            ? c.async()
                            : ((io.lettuce.core.api.StatefulRedisConnection<String, String>) connection).async();
        }

        /**
         * Returns the commands. On a cluster each goes to the node of its key; a command with
         * several keys (a script's) needs them all in one hash slot.
         */
        public RedisClusterAsyncCommands<String, String> commands() {
            return commands;
        }

        /** Returns whether this spans a cluster's nodes. */
        public boolean cluster() {
            return client instanceof RedisClusterClient;
        }

        /**
         * Runs {@code command} on the server, or on every primary of a cluster, and answers each
         * node's {@code host:port} with its reply; fails if any node does.
         */
        public <T> CompletableFuture<Map<String, T>> onEveryNode(
                Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
            if (connection instanceof StatefulRedisClusterConnection<String, String>) {
                // Connecting to a node may block: never on the caller's thread, which may be an event loop.
                return CompletableFuture.supplyAsync(() -> askEveryNode(command), BLOCKING).thenCompose(f -> f);
            }
            return askEveryNode(command);
        }

        private <T> CompletableFuture<Map<String, T>> askEveryNode(
                Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
            final Map<String, CompletableFuture<T>> replies = new TreeMap<>();
            if (connection instanceof StatefulRedisClusterConnection<String, String> c) {
                for (RedisClusterNode node : c.getPartitions()) {
                    if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                        final String name = node.getUri().getHost() + ':' + node.getUri().getPort();
                        try {
                            replies.put(name, command.apply(c.getConnection(node.getNodeId()).async())
                                                     .toCompletableFuture());
                        } catch (RuntimeException e) {
                            // A node that cannot be reached now: its reply fails, as a command's would.
                            replies.put(name, CompletableFuture.failedFuture(e));
                        }
                    }
                }
            } else {
                replies.put("server", command.apply(commands).toCompletableFuture());
            }
            return CompletableFuture.allOf(replies.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
                final Map<String, T> out = new TreeMap<>();
                replies.forEach((node, reply) -> out.put(node, reply.join()));
                return out;
            });
        }

        /** Returns the connection, e.g. to change its timeout. */
        public StatefulConnection<String, String> stateful() {
            return connection;
        }

        /**
         * Closes the connection, and the client if it is this connection's own, waiting at most a
         * few seconds for each: Lettuce's cluster connections can fail to finish closing (their
         * per-node connections' close never completes), and a process that is stopping must not
         * hang on that. Whatever is left is dropped with the process.
         */
        @Override
        public void close() {
            await(connection.closeAsync(), "closing the connection");
            if (ownsClient) {
                shutdown(client);
            }
        }

        static void await(CompletableFuture<Void> closing, String what) {
            try {
                closing.get(CLOSE_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                logger.warn("Redis: {} did not finish within {} s; going on", what, CLOSE_WAIT.toSeconds() * 2);
            } catch (ExecutionException e) {
                logger.warn("Redis: {} failed: {}", what, e.getCause() == null ? e : e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
