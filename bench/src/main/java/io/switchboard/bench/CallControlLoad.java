package io.switchboard.bench;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.switchboard.api.upstream.callcontrol.v1.CallControlServiceGrpc;
import io.switchboard.api.upstream.callcontrol.v1.SendDtmfRequest;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.sandbox.Sandbox;

/**
 * Measures what the gateway adds to a SendDtmf: latency at a fixed rate (p50, p99, corrected
 * for coordinated omission: each latency counts from when the request was due, not sent) and
 * the most commands per second with a fixed number in flight. The baseline is the same load
 * sent straight to the sandbox's call-control service, in the same run and process.
 *
 * <p>The two paths alternate over several rounds (the first path of each round alternates too)
 * and each path's rounds are merged, so that JIT warm-up and noise from other processes fall on
 * both alike rather than on whichever runs first.
 *
 * <p>Usage: {@code ./switchboard bench call-control [seconds-per-round] [rate] [in-flight] [rounds]};
 * defaults 10, 1000, 128, 4. Prints a Markdown table for {@code docs/benchmarks.md}.
 */
public final class CallControlLoad {

    private static final int SESSIONS = 64;

    /** Sends one single-tone SendDtmf for session {@code i % SESSIONS}. */
    private interface Target {
        ListenableFuture<?> send(int i);
    }

    record LatencyResult(double p50Ms, double p99Ms, double p999Ms, double maxMs, long count, long errors) {}

    record ThroughputResult(double perSecond, long count, long errors) {}

    public static void main(String[] args) throws Exception {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        final int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 4;

        final Server sandbox = Sandbox.builder().build().start("127.0.0.1", 0);
        final URI sandboxUri = URI.create("http://127.0.0.1:" + sandbox.activeLocalPort());
        final Gateway gateway = Gateway.start(
                GatewayConfig.defaults()
                             .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0))
                             .withDataDir(Files.createTempDirectory("switchboard-bench"))
                             .withGenesys(GenesysOptions.at(sandboxUri, Sandbox.DEFAULT_CLIENT)));

        final WebClient admin = WebClient.of(sandboxUri);
        final ObjectMapper json = new ObjectMapper();
        final List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(json.readTree(admin.blocking().post("/sandbox/v1/sessions", "").contentUtf8())
                             .get("sessionId").asText());
        }
        final String token = json.readTree(admin.blocking().execute(
                HttpRequest.builder().post("/oauth/token")
                           .content(MediaType.FORM_DATA,
                                    "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox")
                           .build()).contentUtf8()).get("access_token").asText();

        final ClientFactory factory = ClientFactory.builder().build();
        final CallControlServiceGrpc.CallControlServiceFutureStub direct =
                GrpcClients.builder(sandboxUri).factory(factory)
                           .addHeader(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                           .build(CallControlServiceGrpc.CallControlServiceFutureStub.class);
        final CallControlGrpc.CallControlFutureStub viaGateway =
                GrpcClients.builder(gateway.uri()).factory(factory)
                           .build(CallControlGrpc.CallControlFutureStub.class);

        final Target sandboxTarget = i -> direct.sendDtmf(SendDtmfRequest.newBuilder()
                .setSessionId(sessions.get(i % SESSIONS)).setTone("5").setDurationMs(100).build());
        final Target gatewayTarget = i -> viaGateway.sendDtmf(io.switchboard.api.v1.SendDtmfRequest.newBuilder()
                .setSessionId(sessions.get(i % SESSIONS)).setTones("5").build());

        System.err.println("warming up...");
        throughput(sandboxTarget, inFlight, Duration.ofSeconds(Math.max(5, seconds / 2)));
        throughput(gatewayTarget, inFlight, Duration.ofSeconds(Math.max(5, seconds / 2)));

        final Histogram directHistogram = new Histogram(3);
        final Histogram gatewayHistogram = new Histogram(3);
        final AtomicLong directErrors = new AtomicLong();
        final AtomicLong gatewayErrors = new AtomicLong();
        long directDone = 0;
        long gatewayDone = 0;
        double directSeconds = 0;
        double gatewaySeconds = 0;
        long directThroughputErrors = 0;
        long gatewayThroughputErrors = 0;
        for (int round = 0; round < rounds; round++) {
            final boolean directFirst = round % 2 == 0;
            for (int leg = 0; leg < 2; leg++) {
                final boolean isDirect = (leg == 0) == directFirst;
                System.err.printf(Locale.ROOT, "round %d/%d: %s at %d/s for %d s, then %d in flight%n", round + 1,
                                  rounds, isDirect ? "direct" : "gateway", rate, seconds, inFlight);
                fixedRate(isDirect ? sandboxTarget : gatewayTarget, rate, Duration.ofSeconds(seconds),
                          isDirect ? directHistogram : gatewayHistogram, isDirect ? directErrors : gatewayErrors);
                final ThroughputResult t = throughput(isDirect ? sandboxTarget : gatewayTarget, inFlight,
                                                      Duration.ofSeconds(seconds));
                if (isDirect) {
                    directDone += t.count();
                    directSeconds += t.count() / t.perSecond();
                    directThroughputErrors += t.errors();
                } else {
                    gatewayDone += t.count();
                    gatewaySeconds += t.count() / t.perSecond();
                    gatewayThroughputErrors += t.errors();
                }
            }
        }
        final LatencyResult directLatency = summary(directHistogram, directErrors.get());
        final LatencyResult gatewayLatency = summary(gatewayHistogram, gatewayErrors.get());
        final ThroughputResult directMax = new ThroughputResult(directDone / directSeconds, directDone,
                                                                directThroughputErrors);
        final ThroughputResult gatewayMax = new ThroughputResult(gatewayDone / gatewaySeconds, gatewayDone,
                                                                 gatewayThroughputErrors);

        System.out.printf(Locale.ROOT, "%n### SendDtmf: %d rounds of %d s per path and phase, %d sessions, JDK %s, "
                                       + "%d cores%n%n", rounds, seconds, SESSIONS, Runtime.version(),
                          Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| path | rate | p50 ms | p99 ms | p99.9 ms | max ms | requests | errors |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|---|%n");
        row("direct to sandbox (baseline)", rate, directLatency);
        row("through the gateway", rate, gatewayLatency);
        System.out.printf(Locale.ROOT, "| **added by the gateway** | | **%.3f** | **%.3f** | %.3f | | | |%n",
                          gatewayLatency.p50Ms() - directLatency.p50Ms(), gatewayLatency.p99Ms() - directLatency.p99Ms(),
                          gatewayLatency.p999Ms() - directLatency.p999Ms());
        System.out.printf(Locale.ROOT, "%n| path | in flight | commands/s | requests | errors |%n|---|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| direct to sandbox (baseline) | %d | %.0f | %d | %d |%n", inFlight,
                          directMax.perSecond(), directMax.count(), directMax.errors());
        System.out.printf(Locale.ROOT, "| through the gateway | %d | %.0f | %d | %d |%n", inFlight,
                          gatewayMax.perSecond(), gatewayMax.count(), gatewayMax.errors());

        gateway.close();
        sandbox.stop().join();
        factory.close();
        System.exit(0);
    }

    private static void row(String path, int rate, LatencyResult r) {
        System.out.printf(Locale.ROOT, "| %s | %d/s | %.3f | %.3f | %.3f | %.3f | %d | %d |%n", path, rate, r.p50Ms(),
                          r.p99Ms(), r.p999Ms(), r.maxMs(), r.count(), r.errors());
    }

    private static LatencyResult summary(Histogram h, long errors) {
        return new LatencyResult(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                                 h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
                                 h.getTotalCount(), errors);
    }

    /**
     * Sends at {@code rate} per second for {@code length}, adding each latency in microseconds to
     * {@code into}; latency counts from each request's due time.
     */
    private static void fixedRate(Target target, int rate, Duration length, Histogram into, AtomicLong errors)
            throws InterruptedException {
        final Recorder recorder = new Recorder(3);
        final AtomicLong pending = new AtomicLong();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        final long start = System.nanoTime();
        final long intervalNanos = 1_000_000_000L / rate;
        final long total = rate * length.toSeconds();
        final AtomicLong sent = new AtomicLong();
        // Every millisecond, send every request that is due by now, stamped with its due time.
        ticker.scheduleAtFixedRate(() -> {
            final long now = System.nanoTime();
            while (sent.get() < total) {
                final long i = sent.get();
                final long due = start + i * intervalNanos;
                if (due > now) {
                    break;
                }
                sent.incrementAndGet();
                pending.incrementAndGet();
                Futures.addCallback(target.send((int) i), callback(() -> {
                    recorder.recordValue(Math.max(0, System.nanoTime() - due) / 1000);
                    pending.decrementAndGet();
                }, errors, pending), MoreExecutors.directExecutor());
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        while (sent.get() < total || pending.get() > 0) {
            Thread.sleep(50);
            if (System.nanoTime() - start > length.plusSeconds(30).toNanos()) {
                break;
            }
        }
        ticker.shutdownNow();
        into.add(recorder.getIntervalHistogram());
    }

    /** Keeps {@code inFlight} requests outstanding for {@code length}; returns completions per second. */
    private static ThroughputResult throughput(Target target, int inFlight, Duration length)
            throws InterruptedException {
        final Semaphore permits = new Semaphore(inFlight);
        final AtomicLong done = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong unused = new AtomicLong();
        final long start = System.nanoTime();
        final long end = start + length.toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            Futures.addCallback(target.send(i++), callback(() -> {
                done.incrementAndGet();
                permits.release();
            }, errors, unused, permits), MoreExecutors.directExecutor());
        }
        permits.acquire(inFlight);
        final double secs = (System.nanoTime() - start) / 1e9;
        return new ThroughputResult(done.get() / secs, done.get(), errors.get());
    }

    private static FutureCallback<Object> callback(Runnable onSuccess, AtomicLong errors, AtomicLong pending) {
        return callback(onSuccess, errors, pending, null);
    }

    private static FutureCallback<Object> callback(Runnable onSuccess, AtomicLong errors, AtomicLong pending,
                                                   Semaphore permits) {
        return new FutureCallback<>() {
            @Override
            public void onSuccess(Object result) {
                onSuccess.run();
            }

            @Override
            public void onFailure(Throwable t) {
                if (errors.incrementAndGet() <= 3) {
                    System.err.println("request failed: " + t);
                }
                if (permits != null) {
                    permits.release();
                } else {
                    pending.decrementAndGet();
                }
            }
        };
    }

    private CallControlLoad() {}
}
