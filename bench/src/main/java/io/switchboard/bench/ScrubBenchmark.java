package io.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.compliance.scrub.GeoRules;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * JMH: the scrub engine without HTTP, one thread, batches of 1,000 strict-E.164 numbers against
 * an embedded store of {@code storeSize} numbers (normalise, look up, geo rules, calling window).
 * The baseline in the same run is the same work with libphonenumber's own parse and
 * {@code isValidNumber} for the normalisation, as a service without the compiled check would do.
 * Scores are numbers per second.
 *
 * <p>Usage: {@code ./switchboard bench scrub [storeSize]}; default 10,000,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ScrubBenchmark {

    private static final int BATCH = 1000;

    @Param("10000000")
    public int storeSize;

    private Path dir;
    private EmbeddedDncStore store;
    private ScrubEngine engine;
    private PhoneNumbers phoneNumbers;
    private List<List<String>> batches;
    private int next;
    private final Instant at = Instant.parse("2026-11-21T18:00:00Z");

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        final SplittableRandom random = new SplittableRandom(2026);
        phoneNumbers = new PhoneNumbers("US");
        final long[] areaCodes = UsNumbers.areaCodesInService(random, 300);
        dir = Files.createTempDirectory("switchboard-scrub-jmh");
        store = EmbeddedDncStore.open(dir);
        final long[] batch = new long[100_000];
        for (long added = 0; added < storeSize; ) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = UsNumbers.number(areaCodes, random);
            }
            added += store.add(batch);
        }
        store.compact();
        engine = new ScrubEngine(phoneNumbers, store, GeoRules.of(Map.of("+1900", new GeoRule(false, "premium"))),
                                 LegalTimes.shipped());
        batches = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            final List<String> numbers = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                numbers.add("+" + UsNumbers.number(areaCodes, random));
            }
            batches.add(numbers);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }


    /** The engine as the gateway runs it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public ScrubEngine.Decision[] scrub() {
        final List<String> batch = batches.get(next++ & 63);
        return engine.scrub(batch, at, true, Duration.ofSeconds(5)).join();
    }

    /** Baseline: the same batch normalised by libphonenumber itself, then looked up. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public boolean[] libphonenumberThenLookup() {
        final List<String> batch = batches.get(next++ & 63);
        final long[] digits = new long[batch.size()];
        for (int i = 0; i < digits.length; i++) {
            try {
                final String e164 = phoneNumbers.slowPath("n", batch.get(i));
                digits[i] = Long.parseLong(e164, 1, e164.length(), 10);
            } catch (InvalidArgumentException invalid) {
                digits[i] = 0; // looked up all the same, as the engine looks up every valid number
            }
        }
        return store.contains(digits);
    }

    public static void main(String[] args) throws Exception {
        final OptionsBuilder options = new OptionsBuilder();
        options.include(ScrubBenchmark.class.getSimpleName());
        if (args.length > 0) {
            options.param("storeSize", args[0]);
        }
        new Runner(options.build()).run();
    }
}
