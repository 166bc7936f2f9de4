package io.switchboard.bench;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.compliance.sync.DncListSync;
import io.switchboard.compliance.sync.FileSource;
import io.switchboard.compliance.sync.SyncReport;
import io.switchboard.core.campaigns.DncListPort;
import io.switchboard.gateway.Platforms;
import io.switchboard.core.campaigns.DncListPort;
import io.switchboard.platforms.Capability;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.platforms.genesys.GenesysPlatform;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.sandbox.Sandbox;

/**
 * Measures DNC list sync.
 * <ol>
 *   <li>Pipeline: rows/s to read, normalise, de-duplicate and batch a generated CSV (1 % invalid
 *       rows, 1 % duplicates) into a sink that answers at once, against the baseline of only
 *       parsing the same CSV, in the same run; and the most heap the run used.</li>
 *   <li>Upstream: a sync against a sandbox that enforces {@code limit} requests a minute, through
 *       the same rate limiter the gateway uses, set to that limit: the requests sent, as a share of
 *       the most that limit admits over the run (a full minute's burst, then the refill rate), and
 *       how many requests the sandbox refused (429).</li>
 * </ol>
 *
 * <p>Usage: {@code SWITCHBOARD_BENCH_OPTS=-Xmx128m ./switchboard bench dnc-sync [rows] [limit-per-minute] [seconds]};
 * defaults 5,000,000, 600, 20.
 */
public final class DncSyncLoad {

    private static final String[] AREA_CODES = {"212", "312", "415", "617", "206", "303", "404", "512", "702", "818"};

    public static void main(String[] args) throws Exception {
        final long rows = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000;
        final int limit = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        final Path dir = Files.createTempDirectory("switchboard-sync-bench");

        System.err.printf(Locale.ROOT, "writing %,d rows...%n", rows);
        final Path csv = dir.resolve("dnc.csv");
        write(csv, rows);

        System.err.println("baseline: parsing only...");
        final long parseStart = System.nanoTime();
        long parsed = 0;
        try (InputStream in = Files.newInputStream(csv);
             CSVParser parser = CSVParser.builder()
                                         .setReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))
                                         .setFormat(CSVFormat.DEFAULT).get()) {
            for (CSVRecord record : parser) {
                parsed += record.get(0).length() > 0 ? 1 : 0;
            }
        }
        final double parseSeconds = (System.nanoTime() - parseStart) / 1e9;

        System.err.println("pipeline: parse, normalise, de-duplicate, batch...");
        final AtomicLong sunk = new AtomicLong();
        final DncListPort sink = new DncListPort() {
            @Override
            public CompletableFuture<DncList> create(String name, Instant deadline) {
                throw new UnsupportedOperationException("not used by the sync");
            }

            @Override
            public CompletableFuture<DncList> list(String listId, Instant deadline) {
                throw new UnsupportedOperationException("not used by the sync");
            }

            @Override
            public CompletableFuture<Void> addNumbers(String listId, List<String> e164, @Nullable Instant expires,
                                                      Instant deadline) {
                sunk.addAndGet(e164.size());
                return CompletableFuture.completedFuture(null);
            }
        };
        System.gc();
        final HeapSampler sampler = HeapSampler.start(50);
        final long syncStart = System.nanoTime();
        final SyncReport report = DncListSync.builder(new FileSource(csv), sink, "bench", "memory:bench")
                                             .batchSize(1000).workDir(dir.resolve("work")).build().run();
        final double syncSeconds = (System.nanoTime() - syncStart) / 1e9;
        sampler.close();

        System.err.printf(Locale.ROOT, "upstream: %d requests a minute for ~%d s...%n", limit, seconds);
        final Upstream upstream = upstream(dir, limit, seconds);

        final long maxHeap = Runtime.getRuntime().maxMemory();
        System.out.printf(Locale.ROOT, "%n### DNC list sync: %,d rows, JDK %s, %d cores, max heap %d MiB%n%n", rows,
                          Runtime.version(), Runtime.getRuntime().availableProcessors(), maxHeap >> 20);
        System.out.printf(Locale.ROOT, "| stage | rows | seconds | rows/s |%n|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| parse only (baseline) | %,d | %.1f | %,.0f |%n", parsed, parseSeconds,
                          parsed / parseSeconds);
        System.out.printf(Locale.ROOT, "| parse + normalise + de-duplicate + batch | %,d | %.1f | %,.0f |%n",
                          report.totalRecords(), syncSeconds, report.totalRecords() / syncSeconds);
        System.out.printf(Locale.ROOT, "%nvalid %,d, invalid %,d, duplicates %,d, numbers batched %,d; peak heap used "
                                       + "%d MiB%n", report.validRecords(), report.invalidRecords(),
                          report.duplicates(), sunk.get(), sampler.mostMiB());
        System.out.printf(Locale.ROOT, "%n| upstream limit | seconds | requests sent | most the limit admits "
                                       + "| utilisation | 429s |%n|---|---|---|---|---|---|%n");
        final double admitted = admitted(limit, upstream.seconds());
        System.out.printf(Locale.ROOT, "| %d/min | %.1f | %d | %.0f | %.1f %% | %d |%n", limit, upstream.seconds(),
                          upstream.requests(), admitted, 100 * upstream.requests() / admitted, upstream.refused());
        System.exit(0);
    }

    record Upstream(long requests, double seconds, long refused) {}

    /** Returns the most requests a token bucket of {@code limit} a minute admits in {@code seconds}. */
    static double admitted(int limit, double seconds) {
        return limit + limit / 60.0 * seconds;
    }

    /** Syncs enough rows to keep sending for about {@code seconds} after the first burst. */
    private static Upstream upstream(Path dir, int limit, int seconds) throws Exception {
        final Server sandbox = Sandbox.builder().build().start("127.0.0.1", 0);
        final URI base = URI.create("http://127.0.0.1:" + sandbox.activeLocalPort());
        final WebClient admin = WebClient.of(base);
        final ObjectMapper json = new ObjectMapper();
        admin.blocking().execute(HttpRequest.builder().put("/sandbox/v1/faults")
                                            .content(MediaType.JSON, "{\"limitPerMinute\":" + limit + "}").build());
        final String listId = json.readTree(admin.blocking().post("/sandbox/v1/genesys/dnclists", "").contentUtf8())
                                  .get("id").asText();
        final int batch = 100;
        final long batches = limit + (long) Math.ceil(limit / 60.0 * seconds);
        final Path csv = dir.resolve("upstream.csv");
        write(csv, batches * batch);

        final GatewayConfig config = GatewayConfig.defaults().withGenesys(
                GenesysOptions.at(base, Sandbox.DEFAULT_CLIENT).withRequestsPerMinute(limit)
                              .withCallControl(GenesysOptions.CallControlApi.PLATFORM_API));
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final ClientFactory factory = ClientFactory.builder().build();
        final DncListPort outbound = GenesysPlatform.connect(
                config.genesys(), Platforms.context(config, Clock.systemUTC(), meters, factory, null))
                                                    .port(Capability.DNC_LISTS).orElseThrow();
        final long start = System.nanoTime();
        DncListSync.builder(new FileSource(csv), outbound, listId, "genesys:" + listId)
                   .batchSize(batch).workDir(dir.resolve("upstream-work")).build().run();
        final long end = System.nanoTime();
        final long total = json.readTree(admin.blocking().get("/sandbox/v1/stats").contentUtf8())
                               .get("platformRequests").asLong();
        final double refused = meters.find("switchboard.upstream.attempts").tag("outcome", "rate_limited")
                                     .counters().stream().mapToDouble(c -> c.count()).sum();
        sandbox.stop().join();
        factory.close();
        return new Upstream(total, (end - start) / 1e9, (long) refused);
    }

    private static void write(Path csv, long rows) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write("phone_number,reason,source\n");
            for (long i = 0; i < rows; i++) {
                if (i % 100 == 17) {
                    out.write("not-a-number-" + i + ",bad,bench\n");
                } else if (i % 100 == 42 && i > 0) {
                    out.write(number(i - 1) + ",duplicate,bench\n");
                } else {
                    out.write(number(i) + ",requested,bench\n");
                }
            }
        }
    }

    /** A valid NANP number for {@code i}, distinct for each i below 80 million. */
    private static String number(long i) {
        final String area = AREA_CODES[(int) (i % AREA_CODES.length)];
        final long rest = i / AREA_CODES.length;
        final long exchange = 200 + rest / 10_000 % 800;
        final long line = rest % 10_000;
        return String.format(Locale.ROOT, "+1%s%03d%04d", area, exchange, line);
    }
}
