package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.RedisDncStore;
import io.switchboard.compliance.dnc.ShardedRedisDncStore;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.core.testing.LoopbackPorts;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.core.testing.TestRedisCluster;

/**
 * The DNC store's two Redis layouts side by side, on a real Redis: memory per number (the
 * server's {@code used_memory} before and after loading), how fast the numbers load through
 * the store's own {@code addAll}, and batch lookups (1,000 numbers, 16 in flight) on one server
 * and, for the sharded layout, on a three-node cluster on this machine.
 *
 * <p>The numbers are spread like a national registry: every exchange (200-999) of 300 area
 * codes in service, each holding {@code numbers / 240,000} lines on average, at random. They
 * are loaded exchange by exchange, as registry files are sorted. The legacy layout (the seed's
 * one SET of E.164 strings) is the baseline, loaded and measured in the same run.
 *
 * <p>Usage: {@code ./switchboard bench redis-layout [numbers...]}; default 10,000,000 and
 * 50,000,000. Needs about 70 bytes of Redis memory a number for the legacy layout.
 */
public final class RedisLayoutLoad {

    private static final int BATCH = 10_000;
    private static final int IN_FLIGHT = 16;
    private static final double REGISTRY = 258_500_000;

    public static void main(String[] args) throws Exception {
        final List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes.addAll(List.of(10_000_000, 50_000_000));
        }
        final List<String> rows = new ArrayList<>();
        try (TestRedis server = TestRedis.start(LoopbackPorts.free(), List.of("set-max-intset-entries 10000"))) {
            for (int size : sizes) {
                for (String layout : List.of("legacy", "sharded")) {
                    server.flushAll();
                    final long before = usedMemory(server.uri());
                    try (DncStore store = open(layout, server.uri())) {
                        final double[] load = load(store, size);
                        final long after = usedMemory(server.uri());
                        final long stored = store.stats().join().numbers();
                        final double lookups = lookups(store, size);
                        final double perNumber = (after - before) / (double) stored;
                        rows.add(String.format(Locale.ROOT, "| %s | one server | %,d | %,d | **%.2f** | %,.1f GB "
                                                            + "(extrapolated) | %,.0f | %,.0f |",
                                               layout, stored, after - before, perNumber, perNumber * REGISTRY / 1e9,
                                               load[0], lookups));
                        System.err.println(rows.get(rows.size() - 1));
                    }
                }
            }
            server.flushAll();
        }
        // The cluster: lookups only (its memory is the sharded layout's, spread over three nodes).
        final int clusterSize = sizes.get(0);
        try (TestRedisCluster cluster = TestRedisCluster.start();
             DncStore store = new ShardedRedisDncStore(RedisEndpoint.parse(cluster.uris())
                                                                    .connect(Duration.ofSeconds(30)))) {
            final double[] load = load(store, clusterSize);
            final double lookups = lookups(store, clusterSize);
            rows.add(String.format(Locale.ROOT, "| sharded | three-node cluster | %,d | | | | %,.0f | %,.0f |",
                                   store.stats().join().numbers(), load[0], lookups));
        }

        System.out.printf(Locale.ROOT, "%n### Redis layouts, JDK %s, %d cores%n%n", Runtime.version(),
                          Runtime.getRuntime().availableProcessors());
        System.out.println("| layout | Redis | numbers | used_memory added | bytes a number | at 258.5 M numbers "
                           + "| loaded, numbers/s | lookups, numbers/s (batches of 1,000, 16 in flight) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static DncStore open(String layout, String uri) {
        final RedisEndpoint.Connection c = RedisEndpoint.parse(uri).connect(Duration.ofSeconds(30));
        return layout.equals("legacy") ? new RedisDncStore(c) : new ShardedRedisDncStore(c);
    }

    /** Loads {@code count} registry-like numbers, exchange by exchange; answers {numbers/s}. */
    private static double[] load(DncStore store, int count) throws InterruptedException {
        final SplittableRandom random = new SplittableRandom(2026);
        final long[] areaCodes = UsNumbers.areaCodesInService(random, 300);
        final int exchanges = areaCodes.length * 800;
        final Semaphore slots = new Semaphore(IN_FLIGHT);
        final AtomicLong failures = new AtomicLong();
        final long start = System.nanoTime();
        long[] batch = new long[BATCH];
        int filled = 0;
        long made = 0;
        long shown = start;
        for (int e = 0; e < exchanges && made < count; e++) {
            final long prefix = 10_000_000L + areaCodes[e / 800] * 10_000L + 200 + e % 800;
            // About count / exchanges lines each, at random (a line may come twice: the set keeps one).
            final long lines = (count - made) / (exchanges - e);
            for (long l = 0; l < lines; l++) {
                batch[filled++] = prefix * 10_000L + random.nextInt(10_000);
                made++;
                if (filled == BATCH) {
                    send(store, batch, slots, failures);
                    batch = new long[BATCH];
                    filled = 0;
                }
            }
            if (System.nanoTime() - shown > 5_000_000_000L) {
                shown = System.nanoTime();
                System.err.printf(Locale.ROOT, "  %,d of %,d numbers sent%n", made, count);
            }
        }
        if (filled > 0) {
            send(store, java.util.Arrays.copyOf(batch, filled), slots, failures);
        }
        slots.acquire(IN_FLIGHT);
        slots.release(IN_FLIGHT);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " batches failed to load");
        }
        return new double[] {made / ((System.nanoTime() - start) / 1e9)};
    }

    private static void send(DncStore store, long[] batch, Semaphore slots, AtomicLong failures)
            throws InterruptedException {
        slots.acquire();
        store.addAll(batch).whenComplete((n, f) -> {
            if (f != null) {
                failures.incrementAndGet();
            }
            slots.release();
        });
    }

    /** Looks up random numbers of the same exchanges for 10 s after 3 s of warm-up; answers numbers/s. */
    private static double lookups(DncStore store, long count) throws InterruptedException {
        final SplittableRandom random = new SplittableRandom(7);
        final long[] areaCodes = UsNumbers.areaCodesInService(new SplittableRandom(2026), 300);
        run(store, areaCodes, random, Duration.ofSeconds(3));
        final long done = run(store, areaCodes, random, Duration.ofSeconds(10));
        return done / 10.0;
    }

    private static long run(DncStore store, long[] areaCodes, SplittableRandom random, Duration length)
            throws InterruptedException {
        final Semaphore slots = new Semaphore(IN_FLIGHT);
        final AtomicLong numbers = new AtomicLong();
        final long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end) {
            final long[] batch = new long[1000];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = UsNumbers.number(areaCodes, random);
            }
            slots.acquire();
            final CompletableFuture<DncStore.Lookup> answer = store.lookup(batch);
            answer.whenComplete((l, f) -> {
                if (f == null) {
                    numbers.addAndGet(batch.length);
                }
                slots.release();
            });
        }
        slots.acquire(IN_FLIGHT);
        return numbers.get();
    }

    private static long usedMemory(String uri) {
        try (RedisEndpoint.Connection c = RedisEndpoint.parse(uri).connect(Duration.ofSeconds(30))) {
            final String info = c.commands().info("memory").toCompletableFuture().join();
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).strip());
                }
            }
            throw new IllegalStateException("INFO memory has no used_memory");
        }
    }

    private RedisLayoutLoad() {}
}
