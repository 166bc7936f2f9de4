package io.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.switchboard.core.calls.MediaPort;
import io.switchboard.ivr.Flow;
import io.switchboard.ivr.FlowEngine;
import io.switchboard.ivr.FlowLibrary;
import io.switchboard.ivr.FlowLoader;
import io.switchboard.ivr.FlowRun;
import io.switchboard.ivr.MediaUrls;
import io.switchboard.platforms.cxone.CxoneCallControl;
import io.switchboard.platforms.testing.SandboxCxone;

/**
 * Measures the flow engine on the sandbox's scripted CXone calls, with the example flow and a
 * caller who keys a wrong code and then the right one (greeting, two collections, a retry
 * prompt: 7 steps, 8 platform requests):
 * <ol>
 *   <li>per-step overhead: {@code sequential} runs one after another through the engine, against
 *       the baseline of the same platform requests made directly in a loop, on other calls of the
 *       same script, in the same run; the difference over the engine's steps is what the engine
 *       adds to a step;</li>
 *   <li>scale: {@code concurrent} runs started at once, each on its own virtual thread: the time
 *       until all have ended, their outcomes, and the peak heap (the whole process: sandbox, its
 *       calls, client and engine).</li>
 * </ol>
 *
 * <p>Usage: {@code ./switchboard bench flows [concurrent] [sequential]}; defaults 10,000 and 2,000.
 */
public final class FlowRunsLoad {

    private static final String[] SCRIPT = {"999", "100"};

    public static void main(String[] args) throws Exception {
        final int concurrent = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        final int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        try (SandboxCxone sandbox = new SandboxCxone()) {
            final CxoneCallControl media = sandbox.cxone();
            final Flow flow = new FlowLibrary(new FlowLoader(new MediaUrls(List.of())), null)
                    .load("outbound-verification");
            final FlowEngine engine = new FlowEngine(media, null, Clock.systemUTC(), Duration.ofSeconds(30));

            System.err.println("warming up...");
            for (int i = 0; i < 300; i++) {
                runOne(engine, flow, sandbox.call(SCRIPT));
                direct(media, sandbox.call(SCRIPT));
            }

            System.err.printf(Locale.ROOT, "per-step overhead: %,d runs each way...%n", sequential);
            final List<String> engineCalls = new ArrayList<>();
            final List<String> directCalls = new ArrayList<>();
            for (int i = 0; i < sequential; i++) {
                engineCalls.add(sandbox.call(SCRIPT));
                directCalls.add(sandbox.call(SCRIPT));
            }
            long steps = 0;
            long engineNanos = 0;
            long directNanos = 0;
            for (int i = 0; i < sequential; i++) {
                // Alternate, so that noise falls on both alike.
                long t = System.nanoTime();
                final FlowRun run = runOne(engine, flow, engineCalls.get(i));
                engineNanos += System.nanoTime() - t;
                steps += run.events().stream().filter(e -> e.type().equals("step")).count();
                t = System.nanoTime();
                direct(media, directCalls.get(i));
                directNanos += System.nanoTime() - t;
            }

            System.err.printf(Locale.ROOT, "scale: %,d concurrent runs...%n", concurrent);
            final List<String> calls = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                calls.add(sandbox.call(SCRIPT));
            }
            System.gc();
            final HeapSampler heap = HeapSampler.start(10);
            final Instant start = Instant.now();
            final List<FlowRun> runs = new ArrayList<>();
            for (String call : calls) {
                runs.add(engine.start(flow, call));
            }
            final Map<String, Integer> outcomes = new TreeMap<>();
            for (FlowRun run : runs) {
                if (!run.await(600_000)) {
                    throw new IllegalStateException("run " + run.id() + " did not end");
                }
                outcomes.merge(run.outcome(), 1, Integer::sum);
            }
            final Duration took = Duration.between(start, Instant.now());
            heap.close();
            final long peakMiB = heap.mostMiB();
            System.gc();
            final long retainedMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;

            System.out.printf(Locale.ROOT, "%n### Flow engine: the example flow, JDK %s, %d cores%n%n", Runtime.version(),
                              Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "| measure | value |%n|---|---|%n");
            System.out.printf(Locale.ROOT, "| %,d runs one after another, through the engine | %.3f ms a run, %.1f steps "
                                           + "a run |%n", sequential, engineNanos / 1e6 / sequential,
                              (double) steps / sequential);
            System.out.printf(Locale.ROOT, "| baseline: the same platform requests made directly | %.3f ms a run |%n",
                              directNanos / 1e6 / sequential);
            System.out.printf(Locale.ROOT, "| engine overhead per step | **%.3f ms** |%n",
                              (engineNanos - directNanos) / 1e6 / steps);
            System.out.printf(Locale.ROOT, "| %,d runs at once: time until all ended | %.1f s (%,.0f runs/s) |%n",
                              concurrent, took.toMillis() / 1000.0, concurrent * 1000.0 / Math.max(1, took.toMillis()));
            System.out.printf(Locale.ROOT, "| outcomes | %s |%n", outcomes);
            System.out.printf(Locale.ROOT, "| most heap in use during the %,d runs, sampled every 10 ms (whole process; "
                                           + "limit %,d MiB) | **%,d MiB** |%n", concurrent, heap.limitMiB(), peakMiB);
            System.out.printf(Locale.ROOT, "| heap after a full GC, the %,d ended runs and their events still held | "
                                           + "%,d MiB |%n", concurrent, retainedMiB);
        }
        System.exit(0);
    }

    private static FlowRun runOne(FlowEngine engine, Flow flow, String call) throws InterruptedException {
        final FlowRun run = engine.start(flow, call);
        if (!run.await(30_000) || !"success".equals(run.outcome())) {
            throw new IllegalStateException("run on " + call + " ended " + run.outcome() + ": " + run.events());
        }
        return run;
    }

    /** The example flow's platform requests for this script, made in order without the engine. */
    private static void direct(MediaPort media, String call) {
        final Instant deadline = Instant.now().plusSeconds(30);
        final MediaPort.Collection ask = new MediaPort.Collection(
                3, Duration.ofSeconds(5), List.of("#"),
                new MediaPort.Prompt("https://media.example.com/prompts/enter-code.wav", false, true));
        media.status(call, deadline).join();
        media.play(call, new MediaPort.Prompt("https://media.example.com/prompts/greeting.wav", false, false),
                   deadline).join();
        media.status(call, deadline).join();
        media.collect(call, ask, deadline).join();
        media.status(call, deadline).join();
        media.play(call, new MediaPort.Prompt("https://media.example.com/prompts/invalid-code.wav", false, true),
                   deadline).join();
        media.status(call, deadline).join();
        final MediaPort.Collected got = media.collect(call, ask, deadline).join();
        if (!got.digits().equals("100")) {
            throw new IllegalStateException("direct run on " + call + " got " + got);
        }
    }


    private FlowRunsLoad() {}
}
