package io.switchboard.bench;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.EmbeddedListStore;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.dnc.StoreDncList;
import io.switchboard.compliance.sync.DncListSync;
import io.switchboard.compliance.sync.FileSource;
import io.switchboard.compliance.sync.GzipSource;
import io.switchboard.compliance.sync.SyncReport;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Loads a national registry's copy into the embedded store the way the monthly refresh does
 * ({@code dnc import FILE --kind registry --replace}): a generated file of distinct ten-digit
 * numbers, one a line as the registry publishes them, spread evenly over every valid exchange
 * (N11 codes are not) of 300 area codes in service and sorted within each, read, normalised, de-duplicated and stored in
 * batches of 20,000 as a new version of {@code global/registry}, then switched to.
 *
 * <p>The baseline, in the same run, reads the same file and turns each line's digits into a
 * number, nothing else: what the disk and one core allow. It reports rows/s for both, the most
 * heap in use during the load, and what the loaded list takes in the data directory and in the
 * heap once loaded.
 *
 * <p>Usage: {@code ./switchboard bench registry-load [numbers=258500000] [dir]}; the file takes
 * 11 bytes a number (2.8 GB at the default), and it and the store are deleted afterwards.
 */
public final class RegistryLoad {

    private static final DncList REGISTRY = new DncList("global", DncList.Kind.REGISTRY);

    public static void main(String[] args) throws Exception {
        final long numbers = args.length > 0 ? Long.parseLong(args[0]) : 258_500_000L;
        final Path dir = args.length > 1 ? Files.createDirectories(Path.of(args[1]))
                                         : Files.createTempDirectory("switchboard-registry-bench");
        final Path file = dir.resolve("registry.txt");
        try {
            run(numbers, dir, file);
        } finally {
            BenchFiles.deleteTree(dir);
        }
        System.exit(0);
    }

    private static void run(long numbers, Path dir, Path file) throws Exception {
        System.err.printf(Locale.ROOT, "writing %,d numbers to %s...%n", numbers, file);
        final long areas = write(file, numbers);

        System.err.println("baseline: reading the lines' digits only...");
        final long baseStart = System.nanoTime();
        final long read = readDigits(file);
        final double baseSeconds = (System.nanoTime() - baseStart) / 1e9;

        System.err.println("loading a new version of global/registry into the embedded store...");
        final Path data = dir.resolve("dnc");
        final var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        final long heapBefore = memory.getHeapMemoryUsage().getUsed();
        final HeapSampler sampler = HeapSampler.start(20);
        final long loadStart = System.nanoTime();
        final SyncReport report;
        final long loaded;
        long storeHeap;
        long onDisk;
        try (EmbeddedDncStore global = EmbeddedDncStore.open(data);
             EmbeddedListStore lists = new EmbeddedListStore(data, global)) {
            final ListStore.Replacement replacement = lists.replace(REGISTRY).join();
            report = DncListSync.builder(GzipSource.detect(new FileSource(file)), new StoreDncList(replacement),
                                         StoreDncList.ID, "store")
                                .phoneNumbers(new PhoneNumbers("US"))
                                .batchSize(DncListSync.STORE_BATCH)
                                .workDir(dir.resolve("sync"))
                                .restart(true)
                                .progress((offset, size, counts) -> System.err.printf(
                                        Locale.ROOT, "  %,d rows (%d %%)%n", counts.totalRecords(),
                                        size > 0 ? offset * 100 / size : 0), 20_000_000)
                                .build().run();
            loaded = replacement.commit(Instant.now()).join();
            final double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            sampler.close();
            System.gc();
            storeHeap = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            onDisk = size(data.resolve("lists"));
            print(numbers, areas, read, baseSeconds, report, loaded, loadSeconds, sampler, storeHeap, onDisk,
                  lists.contains(java.util.List.of(REGISTRY), firstAndLast(file)).join()[0]);
        }
    }

    private static void print(long numbers, long areas, long read, double baseSeconds, SyncReport report, long loaded,
                              double loadSeconds, HeapSampler sampler, long storeHeap, long onDisk, boolean[] check) {
        System.out.printf(Locale.ROOT, "%n### Registry load: %,d numbers over %d area codes, JDK %s, %d cores, max heap "
                                       + "%d MiB%n%n", numbers, areas, Runtime.version(),
                          Runtime.getRuntime().availableProcessors(), sampler.limitMiB());
        System.out.printf(Locale.ROOT, "| stage | rows | seconds | rows/s |%n|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| reading the digits only (baseline) | %,d | %.1f | %,.0f |%n", read,
                          baseSeconds, read / baseSeconds);
        System.out.printf(Locale.ROOT, "| loading as a new version of global/registry and switching to it | %,d | %.1f "
                                       + "| %,.0f |%n", report.totalRecords(), loadSeconds,
                          report.totalRecords() / loadSeconds);
        System.out.printf(Locale.ROOT, "%nvalid %,d, invalid %,d, duplicates %,d, numbers stored %,d; first and last "
                                       + "number listed: %s%n", report.validRecords(), report.invalidRecords(),
                          report.duplicates(), loaded, Arrays.toString(check));
        System.out.printf(Locale.ROOT, "most heap in use during the load: %,d MiB of %,d MiB; the loaded list in the "
                                       + "heap: %,d MiB; in the data directory: %,d MiB%n", sampler.mostMiB(),
                          sampler.limitMiB(), storeHeap >> 20, onDisk >> 20);
    }

    /**
     * Writes {@code numbers} distinct numbers, the same count (give or take one) in every exchange
     * 200-999 that is valid (N11 codes are not) of 300 area codes in service, in order; returns
     * how many area codes.
     */
    private static long write(Path file, long numbers) throws Exception {
        final SplittableRandom random = new SplittableRandom(258);
        final java.util.TreeSet<Long> distinct = new java.util.TreeSet<>();
        while (distinct.size() < 300) {
            distinct.add(UsNumbers.areaCodesInService(random, 1)[0]);
        }
        final long[] areas = distinct.stream().mapToLong(Long::longValue).toArray();
        // Only exchanges whose numbers are valid: a registry lists nothing else.
        final PhoneNumbers parser = new PhoneNumbers("US");
        final java.util.List<int[]> valid = new java.util.ArrayList<>();
        for (long area : areas) {
            for (int exchange = 200; exchange < 1000; exchange++) {
                try {
                    parser.toDigits("n", "+1" + area + exchange + "4567");
                    valid.add(new int[] {(int) area, exchange});
                } catch (io.switchboard.core.InvalidArgumentException notAnExchange) {
                    // e.g. an N11 code
                }
            }
        }
        final long prefixes = valid.size();
        if (numbers > prefixes * 10_000) {
            throw new IllegalArgumentException("at most " + prefixes * 10_000 + " numbers");
        }
        final byte[] line = new byte[11];
        line[10] = '\n';
        final BitSet picked = new BitSet(10_000);
        long prefix = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int[] p : valid) {
                final long count = numbers / prefixes + (prefix < numbers % prefixes ? 1 : 0);
                picked.clear();
                for (int k = 0; k < count; ) {
                    final int n = random.nextInt(10_000);
                    if (!picked.get(n)) {
                        picked.set(n);
                        k++;
                    }
                }
                digits(line, 0, p[0], 3);
                digits(line, 3, p[1], 3);
                for (int n = picked.nextSetBit(0); n >= 0; n = picked.nextSetBit(n + 1)) {
                    digits(line, 6, n, 4);
                    out.write(line);
                }
                prefix++;
            }
        }
        return areas.length;
    }

    private static void digits(byte[] into, int at, long value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Reads {@code file}'s lines as numbers; returns how many. */
    private static long readDigits(Path file) throws Exception {
        long lines = 0;
        long sum = 0;
        long n = 0;
        final byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int got; (got = in.read(buffer)) > 0; ) {
                for (int i = 0; i < got; i++) {
                    final byte b = buffer[i];
                    if (b == '\n') {
                        sum += n;
                        n = 0;
                        lines++;
                    } else {
                        n = n * 10 + (b - '0');
                    }
                }
            }
        }
        if (sum == 42) {
            System.err.println(); // keeps the sum observable
        }
        return lines;
    }

    /** The file's first and last numbers, as E.164 digits. */
    private static long[] firstAndLast(Path file) throws Exception {
        final long size = Files.size(file);
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            final java.nio.ByteBuffer first = java.nio.ByteBuffer.allocate(10);
            channel.read(first, 0);
            final java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(10);
            channel.read(last, size - 11);
            return new long[] {10_000_000_000L + Long.parseLong(new String(first.array(), java.nio.charset.StandardCharsets.US_ASCII)),
                               10_000_000_000L + Long.parseLong(new String(last.array(), java.nio.charset.StandardCharsets.US_ASCII))};
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private RegistryLoad() {}
}
