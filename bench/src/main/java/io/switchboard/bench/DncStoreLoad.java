package io.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import io.switchboard.compliance.dnc.EmbeddedDncStore;

/**
 * Measures the embedded DNC store at registry scale: memory per number, snapshot size, how long
 * a snapshot takes to load, and batch lookups. Numbers are spread like a national registry:
 * {@code numbers} distinct US numbers over 300 area codes and their exchanges, at random.
 * The baseline is the plain representation of the same set, a {@code long[]}: 8 bytes a number.
 *
 * <p>Usage: {@code ./switchboard bench dnc-store [numbers]}; default 10,000,000.
 */
public final class DncStoreLoad {

    public static void main(String[] args) throws Exception {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final Path dir = Files.createTempDirectory("switchboard-store-bench");
        final SplittableRandom random = new SplittableRandom(2026);
        final long[] areaCodes = new long[300];
        for (int i = 0; i < areaCodes.length; i++) {
            areaCodes[i] = 201 + random.nextInt(780);
        }

        System.err.printf(Locale.ROOT, "adding %,d numbers...%n", count);
        final long addStart = System.nanoTime();
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            final long[] batch = new long[10_000];
            long added = 0;
            while (added < count) {
                for (int i = 0; i < batch.length; i++) {
                    final long area = areaCodes[random.nextInt(areaCodes.length)];
                    final long exchange = 200 + random.nextInt(800);
                    final long line = random.nextInt(10_000);
                    batch[i] = 10_000_000_000L + area * 10_000_000L + exchange * 10_000L + line;
                }
                added += store.add(batch);
            }
            final double addSeconds = (System.nanoTime() - addStart) / 1e9;
            final long stored = store.size();
            final long compactStart = System.nanoTime();
            store.compact();
            final double compactSeconds = (System.nanoTime() - compactStart) / 1e9;
            final long bytes = store.sizeInBytes();
            final long snapshot = Files.size(dir.resolve("numbers.snapshot"));
            store.close(); // to measure a fresh open below

            System.gc();
            final long loadStart = System.nanoTime();
            final double loadSeconds;
            final double lookupsPerSecond;
            try (EmbeddedDncStore reopened = EmbeddedDncStore.open(dir)) {
                loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                final long[] probe = new long[1000];
                long hits = 0;
                final long lookupStart = System.nanoTime();
                final int rounds = 2_000;
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < probe.length; i++) {
                        probe[i] = 10_000_000_000L + areaCodes[random.nextInt(areaCodes.length)] * 10_000_000L
                                   + (200 + random.nextInt(800)) * 10_000L + random.nextInt(10_000);
                    }
                    for (boolean listed : reopened.contains(probe)) {
                        hits += listed ? 1 : 0;
                    }
                }
                lookupsPerSecond = rounds * 1000.0 / ((System.nanoTime() - lookupStart) / 1e9);
                System.err.println("hits " + hits);
            }
            System.out.printf(Locale.ROOT, "%n### Embedded DNC store: %,d numbers, JDK %s, %d cores%n%n", stored,
                              Runtime.version(), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "| measure | value |%n|---|---|%n");
            System.out.printf(Locale.ROOT, "| in memory (bitmap) | %,d bytes, **%.2f bytes a number** |%n", bytes,
                              (double) bytes / stored);
            System.out.printf(Locale.ROOT, "| baseline: long[] of the same numbers | %,d bytes, 8.00 bytes a number |%n",
                              stored * 8);
            System.out.printf(Locale.ROOT, "| snapshot file | %,d bytes |%n", snapshot);
            System.out.printf(Locale.ROOT, "| adding, journalled in batches of 10,000 | %.1f s |%n", addSeconds);
            System.out.printf(Locale.ROOT, "| writing the snapshot | %.1f s |%n", compactSeconds);
            System.out.printf(Locale.ROOT, "| loading the snapshot (open) | **%.2f s** |%n", loadSeconds);
            System.out.printf(Locale.ROOT, "| lookups, batches of 1,000, one thread | %,.0f numbers/s |%n",
                              lookupsPerSecond);
        }
        System.exit(0);
    }
}
