package io.switchboard.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import redis.embedded.RedisServer;

/**
 * A real Redis server for integration tests, on a free loopback port: {@code redis-server} from
 * PATH when there is one, otherwise the binary that the embedded-redis test dependency ships.
 * Never skipped: if neither starts, the test fails.
 */
public final class TestRedis implements AutoCloseable {

    private final int port;
    private final @Nullable Process process;
    private final @Nullable RedisServer embedded;
    private boolean closed;

    private TestRedis(int port, @Nullable Process process, @Nullable RedisServer embedded) {
        this.port = port;
        this.process = process;
        this.embedded = embedded;
    }

    /** Starts a server and waits until it accepts connections. */
    public static TestRedis start() {
        return start(LoopbackPorts.free(), List.of());
    }

    /**
     * Starts a server on {@code port} with {@code settings} besides the defaults (each
     * {@code "name value"}, as in redis.conf) and waits until it accepts connections.
     */
    public static TestRedis start(int port, List<String> settings) {
        final List<String> all = new java.util.ArrayList<>(List.of("save \"\"", "appendonly no"));
        all.addAll(settings);
        try {
            final Path onPath = redisServerOnPath();
            final TestRedis redis;
            if (onPath != null) {
                final List<String> command = new java.util.ArrayList<>(List.of(onPath.toString(), "--port",
                                                                               Integer.toString(port), "--bind",
                                                                               "127.0.0.1"));
                for (String setting : all) {
                    final int space = setting.indexOf(' ');
                    command.add("--" + setting.substring(0, space));
                    final String value = setting.substring(space + 1);
                    command.add(value.equals("\"\"") ? "" : value);
                }
                redis = new TestRedis(port, new ProcessBuilder(command).redirectErrorStream(true)
                                                                       .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                                                       .start(), null);
            } else {
                final var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").onShutdownForceStop(true);
                all.forEach(builder::setting);
                final RedisServer server = builder.build();
                server.start();
                redis = new TestRedis(port, null, server);
            }
            redis.awaitListening();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a Redis server for the test", e);
        }
    }

    /** Returns {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Returns the port. */
    public int port() {
        return port;
    }

    /** Empties every database, for a test that shares the server with others before it. */
    public void flushAll() {
        final io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri());
        try (var connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    /** Returns the keys matching {@code pattern} (KEYS: for tests' small data sets only). */
    public List<String> keys(String pattern) {
        final io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri());
        try (var connection = client.connect()) {
            return connection.sync().keys(pattern);
        } finally {
            client.shutdown();
        }
    }

    private void awaitListening() throws IOException {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < giveUp) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        close();
        throw new IOException("Redis did not listen on port " + port + " within 10 s");
    }

    private static @Nullable Path redisServerOnPath() {
        final String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            final Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Stops the server and returns only once it has exited and its port no longer accepts
     * connections: a test that stops Redis to see the gateway fail closed must not reach a
     * server that is still shutting down (SIGTERM makes redis-server finish its own shutdown
     * first, which takes a moment).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (embedded != null) {
            try {
                embedded.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        awaitClosed();
    }

    private void awaitClosed() {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < giveUp) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (IOException closed) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("Redis on port " + port + " still accepts connections 10 s after it was "
                                        + "stopped");
    }
}
