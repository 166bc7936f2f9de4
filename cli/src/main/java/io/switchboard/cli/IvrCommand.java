package io.switchboard.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code switchboard ivr ...}: IVR flows on live calls, through a running gateway. */
@Command(name = "ivr",
        mixinStandardHelpOptions = true,
        description = {"Run IVR flows on live calls through a running gateway.", ""},
        subcommands = IvrCommand.Run.class)
final class IvrCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {
                    "Run a flow on one call and follow it to its outcome, or on every call in",
                    "a file (one call id a line) with --calls, N at a time.",
                    "",
                    "FLOW is a flow file (sent whole, checked by the gateway) or the name of a",
                    "flow the gateway knows: one in its flows directory, or outbound-verification.",
                    "Ctrl-C cancels the runs: nothing more reaches the calls.",
                    "Exit status: 0 every run ended, 1 refused (an invalid flow), 3 gateway",
                    "unreachable, 130 cancelled.",
                    ""})
    static final class Run implements Callable<Integer> {

        @Parameters(paramLabel = "CALL_ID", arity = "0..1", description = "The call, e.g. a CXone call id.")
        @Nullable String callId;

        @Option(names = "--flow", required = true, paramLabel = "FILE|NAME", description = "The flow.")
        String flow;

        @Option(names = "--calls", paramLabel = "FILE", description = "Run on every call listed in FILE instead.")
        @Nullable Path calls;

        @Option(names = "--concurrency", paramLabel = "N", defaultValue = "10",
                description = "With --calls: runs at a time, 1..1000 (default: ${DEFAULT-VALUE}).")
        int concurrency = 10;

        @Option(names = "--gateway", paramLabel = "URL", defaultValue = "${env:SWITCHBOARD_GATEWAY:-http://127.0.0.1:8080}",
                description = "The gateway (default: $SWITCHBOARD_GATEWAY, else http://127.0.0.1:8080).")
        URI gateway = URI.create("http://127.0.0.1:8080");

        @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SWITCHBOARD_API_KEY}",
                description = "API key with calls:write, if the gateway requires one (default: $SWITCHBOARD_API_KEY).")
        @Nullable String apiKey;

        @Spec
        CommandSpec spec;

        private final Map<String, String> running = new ConcurrentHashMap<>();
        private volatile boolean interrupted;

        @Override
        public Integer call() throws Exception {
            if ((callId == null) == (calls == null)) {
                throw new ParameterException(spec.commandLine(), "give either CALL_ID or --calls FILE");
            }
            if (concurrency < 1 || concurrency > 1000) {
                throw new ParameterException(spec.commandLine(), "--concurrency: " + concurrency
                                                                 + " (expected: 1..1000)");
            }
            final ObjectNode start = GatewayClient.JSON.createObjectNode();
            final Path file = Path.of(flow);
            if (flow.contains("/") || flow.endsWith(".yaml") || flow.endsWith(".yml")) {
                if (!Files.isRegularFile(file)) {
                    throw new ParameterException(spec.commandLine(), "--flow: " + flow + ": no such file");
                }
                start.put("yaml", Files.readString(file, StandardCharsets.UTF_8));
            } else {
                start.put("flow", flow);
            }
            final GatewayClient client = new GatewayClient(gateway, apiKey, spec.commandLine().getErr());
            final Thread cancelOnExit = new Thread(this::cancelAll, "ivr-cancel");
            Runtime.getRuntime().addShutdownHook(cancelOnExit);
            try {
                return callId != null ? single(client, start, callId) : campaign(client, start);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancelOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it cancels what is left
                }
            }
        }

        private int single(GatewayClient client, ObjectNode start, String call) throws InterruptedException {
            final PrintWriter out = spec.commandLine().getOut();
            final String runId = startRun(client, start, call);
            if (runId == null) {
                return client.lastStatus();
            }
            int shown = 0;
            while (true) {
                final JsonNode run = client.send(HttpRequest.of(HttpMethod.GET, "/v1/flow-runs/" + runId));
                if (run == null) {
                    return client.lastStatus();
                }
                final JsonNode events = run.path("events");
                for (; shown < events.size(); shown++) {
                    final JsonNode e = events.get(shown);
                    out.printf(Locale.ROOT, "%s  %-9s %-18s %s%n", e.path("at").asText(),
                               e.path("type").asText(), e.path("node").asText(""), e.path("detail").asText(""));
                }
                out.flush();
                if ("ended".equals(run.path("state").asText())) {
                    running.remove(runId);
                    out.println("outcome: " + run.path("outcome").asText());
                    return interrupted ? 130 : 0;
                }
                Thread.sleep(200);
            }
        }

        private int campaign(GatewayClient client, ObjectNode start) throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final List<String> ids = new ArrayList<>();
            for (String line : Files.readAllLines(calls, StandardCharsets.UTF_8)) {
                final String id = line.strip();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
            final Map<String, AtomicInteger> outcomes = new TreeMap<>();
            final AtomicInteger ended = new AtomicInteger();
            final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(concurrency);
            final List<Future<?>> futures = new ArrayList<>();
            for (String id : ids) {
                futures.add(pool.submit(() -> {
                    slots.acquire();
                    try {
                        final String outcome = follow(client, start, id);
                        synchronized (outcomes) {
                            outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                        }
                        ended.incrementAndGet();
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                synchronized (outcomes) {
                    err.printf(Locale.ROOT, "ivr: %d of %d runs ended %s%n", ended.get(), ids.size(), outcomes);
                }
                err.flush();
            }
            for (Future<?> f : futures) {
                f.get();
            }
            out.printf(Locale.ROOT, "%d calls, %d runs ended%n", ids.size(), ended.get());
            outcomes.forEach((outcome, n) -> out.printf(Locale.ROOT, "  %-14s %d%n", outcome, n.get()));
            return interrupted ? 130 : 0;
        }

        /** Starts the flow on one call and waits for its outcome; refusals count as outcomes too. */
        private String follow(GatewayClient client, ObjectNode start, String call) throws InterruptedException {
            final String runId = startRun(client, start, call);
            if (runId == null) {
                return "not_started";
            }
            while (true) {
                Thread.sleep(250);
                final JsonNode run = client.send(HttpRequest.of(HttpMethod.GET, "/v1/flow-runs/" + runId));
                if (run != null && "ended".equals(run.path("state").asText())) {
                    running.remove(runId);
                    return run.path("outcome").asText();
                }
            }
        }

        private @Nullable String startRun(GatewayClient client, ObjectNode start, String call) {
            if (interrupted) {
                return null;
            }
            final JsonNode started = client.send(HttpRequest.builder()
                                                            .post("/v1/calls/" + call + "/flows")
                                                            .content(MediaType.JSON_UTF_8, start.toString()).build());
            if (started == null) {
                return null;
            }
            final String runId = started.path("runId").asText();
            running.put(runId, call);
            return runId;
        }

        /** On Ctrl-C: cancels every run still going. */
        private void cancelAll() {
            interrupted = true;
            // A factory of its own: the default one may be closing in another shutdown hook.
            try (com.linecorp.armeria.client.ClientFactory factory =
                         com.linecorp.armeria.client.ClientFactory.builder().build()) {
                final GatewayClient client = new GatewayClient(gateway, apiKey, spec.commandLine().getErr(), factory);
                for (String runId : running.keySet()) {
                    final JsonNode run = client.send(HttpRequest.of(HttpMethod.DELETE, "/v1/flow-runs/" + runId));
                    spec.commandLine().getErr().println(
                            run != null ? "ivr: cancelled run " + runId + " on call " + running.get(runId) + " ("
                                          + run.path("outcome").asText("cancelling") + ')'
                                        : "ivr: could not cancel run " + runId + " on call " + running.get(runId));
                }
            }
            spec.commandLine().getErr().flush();
        }
    }
}
