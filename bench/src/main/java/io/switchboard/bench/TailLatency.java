package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Measures {@code POST /validate}'s latency, median and tail, with an external load generator:
 * {@code h2load}, nghttp2's HTTP load generator, a C program that costs the two shared cores
 * far less than a generator on a managed runtime does. The gateway runs in this process on an
 * embedded store of {@code numbers} numbers (default 10,000,000), filled and compacted as a
 * long-running gateway's would be; {@code h2load} runs beside it as a process of its own, over
 * HTTP/1.1 on loopback, and logs every request's time from the moment it is sent to the end of
 * its answer.
 *
 * <p>Five kinds of run, each once as a warm-up that is not counted, then in {@code rounds} rounds,
 * each run after 10 s of warm-up that are not counted either:
 * <ol>
 *   <li>the baseline: {@code GET /health/live}, the cheapest request the gateway serves, at the
 *       same rate as the next two: what the machine, the generator and the HTTP stack cost;</li>
 *   <li>one number a request at {@code rate} requests/s (default 5,000) over {@code connections}
 *       connections (default 16), calling window off and then on (the default);</li>
 *   <li>batches of 1,000 contacts (10 % listed, 1 % invalid, with a campaign), as fast as
 *       {@code connections} connections go, one request in flight on each, calling window off and
 *       then on.</li>
 * </ol>
 * A held rate is {@code h2load}'s, per connection, one request at a time: a connection whose
 * answer is late sends the requests due meanwhile late, back to back, each timed from when it is
 * sent. So a stall shows in the late answer and less in those held back behind it, and a run
 * with stalls can end above the rate asked, as it catches up.
 *
 * <p>Usage: {@code ./switchboard bench tail-latency [numbers] [seconds] [connections] [rate] [rounds]};
 * defaults 10,000,000, 20, 16, 5,000, 2. Needs {@code h2load} on the PATH (Debian and Ubuntu:
 * {@code apt-get install nghttp2-client}). Prints a Markdown table for {@code docs/benchmarks.md}.
 */
public final class TailLatency {

    private static final int WARM_UP_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        final int numbers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        final int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        final int rate = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        final int roundCount = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        final String generator = h2loadVersion();

        final SplittableRandom random = new SplittableRandom(2026);
        final long[] areaCodes = UsNumbers.areaCodesInService(random, 300);
        final long[] listed = new long[100_000];
        final Path data = ValidateLoad.embeddedStore("switchboard-tail-bench", numbers, areaCodes, random, listed);
        final Path batch = Files.write(data.resolve("batch.json"), ValidateLoad.bodies(listed, areaCodes, random)[0]);
        final Path single = Files.writeString(data.resolve("single.json"),
                                              "[{\"phoneNumber\": \"+" + UsNumbers.number(areaCodes, random)
                                              + "\", \"campaignId\": \"bench\"}]", StandardCharsets.UTF_8);

        final List<List<Row>> rounds = new ArrayList<>();
        // The store was filled in this process: its garbage goes before anything is measured.
        System.gc();
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults()
                                                          .withServer(GatewayConfig.Server.defaults()
                                                                                          .withAddress("127.0.0.1", 0))
                                                          .withDataDir(data))) {
            final String base = gateway.uri().toString().replaceAll("/$", "");
            final double perConnection = (double) rate / connections;
            final List<Spec> specs = List.of(
                    new Spec("`GET /health/live` (baseline), " + rate + " requests/s", base + "/health/live", null,
                             perConnection, 1),
                    new Spec("one number, calling window off, " + rate + " requests/s",
                             base + "/validate?callingWindow=false", single, perConnection, 1),
                    new Spec("one number, calling window on, " + rate + " requests/s", base + "/validate", single,
                             perConnection, 1),
                    new Spec("batches of 1,000, calling window off, as fast as they go",
                             base + "/validate?callingWindow=false", batch, 0, 1000),
                    new Spec("batches of 1,000, calling window on, as fast as they go", base + "/validate", batch, 0,
                             1000));
            // Every kind of request once, not counted, so that the first run measured is not the
            // one that pays for compiling the paths the others share.
            System.err.println("warming up: every run once, not counted...");
            for (Spec spec : specs) {
                run(data, spec, connections, WARM_UP_SECONDS);
            }
            for (int r = 0; r < roundCount; r++) {
                final List<Row> rows = new ArrayList<>();
                for (Spec spec : specs) {
                    rows.add(run(data, spec, connections, seconds));
                }
                rounds.add(rows);
            }
        }

        System.out.printf(Locale.ROOT, "%n#### %,d numbers in the embedded store, %d connections, %d rounds of %d s a "
                                       + "run after %d s of warm-up, %s, JDK %s, %d cores%n%n", numbers, connections,
                          roundCount, seconds, WARM_UP_SECONDS, generator, Runtime.version(),
                          Runtime.getRuntime().availableProcessors());
        System.out.println("| round | run | requests/s | numbers/s | errors | p50 ms | p99 ms | p99.9 ms | max ms | p99 / p50 |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int r = 0; r < rounds.size(); r++) {
            for (Row row : rounds.get(r)) {
                System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %d | %.2f | %.2f | %.2f | %.1f | %.1f |%n",
                                  r + 1, row.name, row.requestsPerSecond, row.requestsPerSecond * row.numbersPerRequest,
                                  row.errors, row.p50, row.p99, row.p999, row.max, row.p99 / row.p50);
            }
        }
        System.out.println();
        for (List<Row> rows : rounds) {
            System.out.printf(Locale.ROOT, "one number at %,d requests/s: p99 %.2f ms (the goal: under 5 ms; the "
                                           + "baseline's own p99 %.2f ms)%n", rate,
                              Math.max(rows.get(1).p99, rows.get(2).p99), rows.get(0).p99);
            System.out.printf(Locale.ROOT, "batches of 1,000, calling window off: %,.0f numbers/s (the goal: at least "
                                           + "1,500,000), p99 %.1f times p50 (the goal: at most 10)%n",
                              rows.get(3).requestsPerSecond * 1000, rows.get(3).p99 / rows.get(3).p50);
        }
        BenchFiles.deleteTree(data);
        System.exit(0);
    }

    private record Spec(String name, String url, Path body, double perConnection, int numbersPerRequest) {}

    private record Row(String name, double requestsPerSecond, int numbersPerRequest, long errors, double p50,
                       double p99, double p999, double max) {}

    /**
     * Runs {@code h2load} against {@code url} ({@code body} POSTed as JSON, else a GET), at
     * {@code perConnection} requests/s a connection (0: as fast as answers come), and reads its
     * per-request log.
     */
    private static Row run(Path dir, Spec spec, int connections, int seconds)
            throws IOException, InterruptedException {
        final String name = spec.name();
        final String url = spec.url();
        final Path body = spec.body();
        final double perConnection = spec.perConnection();
        final int numbersPerRequest = spec.numbersPerRequest();
        System.err.printf(Locale.ROOT, "%s: %d s of warm-up, then %d s...%n", name, WARM_UP_SECONDS, seconds);
        final Path log = dir.resolve("h2load.log");
        Files.deleteIfExists(log); // h2load appends
        final List<String> command = new ArrayList<>(List.of(
                "h2load", "--h1", "-t", "1", "-c", Integer.toString(connections),
                "-D", Integer.toString(seconds), "--warm-up-time", Integer.toString(WARM_UP_SECONDS),
                "--log-file", log.toString()));
        if (perConnection > 0) {
            command.addAll(List.of("--rps", String.format(Locale.ROOT, "%.3f", perConnection)));
        }
        if (body != null) {
            command.addAll(List.of("-d", body.toString(), "-H", "content-type: application/json"));
        }
        command.add(url);
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
                                                     .redirectOutput(dir.resolve("h2load.out").toFile()).start();
        if (!p.waitFor(seconds + WARM_UP_SECONDS + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("h2load did not finish; its output: " + dir.resolve("h2load.out"));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("h2load failed (exit " + p.exitValue() + "): "
                                            + Files.readString(dir.resolve("h2load.out")));
        }
        // One line a request: start (µs since the epoch), status, µs until the end of the answer.
        final List<String> lines = Files.readAllLines(log);
        final long[] micros = new long[lines.size()];
        int n = 0;
        long errors = 0;
        for (String line : lines) {
            final String[] f = line.split("\t");
            if (f.length < 3) {
                continue;
            }
            if (!f[1].startsWith("2")) {
                errors++; // a failed request's time is not an answer's: counted, not timed
                continue;
            }
            micros[n++] = Long.parseLong(f[2].trim());
        }
        if (n == 0) {
            throw new IllegalStateException("h2load logged no answered request: "
                                            + Files.readString(dir.resolve("h2load.out")));
        }
        final long[] sorted = Arrays.copyOf(micros, n);
        Arrays.sort(sorted);
        final Row row = new Row(name, (double) n / seconds, numbersPerRequest, errors, quantile(sorted, 0.50),
                                quantile(sorted, 0.99), quantile(sorted, 0.999), sorted[n - 1] / 1000.0);
        System.err.printf(Locale.ROOT, "  %,d requests, %d errors, p50 %.2f ms, p99 %.2f ms%n", n, errors, row.p50,
                          row.p99);
        return row;
    }

    /** The {@code q} quantile of {@code sorted} µs, in ms: the smallest value at or above a {@code q} share. */
    private static double quantile(long[] sorted, double q) {
        final int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    private static String h2loadVersion() throws InterruptedException {
        try {
            final Process p = new ProcessBuilder("h2load", "--version").redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException notThere) {
            System.err.println("tail-latency needs h2load, nghttp2's load generator, on the PATH "
                               + "(Debian and Ubuntu: apt-get install nghttp2-client; macOS: brew install nghttp2)");
            System.exit(2);
            throw new AssertionError();
        }
    }

    private TailLatency() {}
}
