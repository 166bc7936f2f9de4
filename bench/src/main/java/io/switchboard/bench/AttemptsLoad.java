package io.switchboard.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.lettuce.core.RedisClient;
import io.switchboard.compliance.caps.Attempts;
import io.switchboard.compliance.caps.RedisAttemptLedger;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.RulePack;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Measures {@code POST /v1/attempts}: reservations of Florida numbers (3 in 24 hours) spread over
 * 100 campaigns, with a fixed number of requests in flight, against:
 * <ul>
 *   <li>a gateway on the embedded ledger (the journal in the data directory, flushed before each
 *       answer, many answers to a flush);</li>
 *   <li>a gateway on Redis (one Lua script per reservation);</li>
 *   <li>baselines from the same run: the gateway's {@code GET /health/live}, the cheapest request
 *       it serves (the HTTP ceiling on this machine), and the reservation script called straight
 *       from a Redis client, without HTTP (the Redis ceiling).</li>
 * </ul>
 * The paths alternate over several rounds. Numbers repeat, so that some reservations are refused
 * by the cap, as in a campaign's retries: a refusal is an answer like a grant.
 *
 * <p>Usage: {@code ./switchboard bench attempts [seconds] [inFlight] [rounds] [only]}; defaults 10, 64, 3;
 * {@code only} runs just the paths whose name contains it (e.g. {@code Redis}), for profiling.
 * Prints a Markdown table for {@code docs/benchmarks.md}.
 */
public final class AttemptsLoad {

    private static final int NUMBERS = 200_000;

    public static void main(String[] args) throws Exception {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final String only = args.length > 3 ? args[3] : "";

        final SplittableRandom random = new SplittableRandom(2026);
        final byte[][] bodies = new byte[4096][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = ("{\"phoneNumber\":\"+1305" + (2_000_000 + random.nextInt(NUMBERS)) + "\",\"campaignId\":\"bench-"
                         + random.nextInt(100) + "\",\"dialMethod\":\"automated\"}").getBytes(StandardCharsets.UTF_8);
        }

        final TestRedis redis = TestRedis.start();
        final GatewayConfig base = GatewayConfig.defaults()
                                                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0));
        final Gateway embedded = Gateway.start(base.withDataDir(Files.createTempDirectory("switchboard-attempts-bench")));
        final Gateway onRedis = Gateway.start(base.withDataDir(Files.createTempDirectory("switchboard-attempts-redis"))
                                                  .withRedis(new GatewayConfig.Redis(URI.create(redis.uri()))));
        final RedisClient client = RedisClient.create(redis.uri());
        final RedisAttemptLedger direct = RedisAttemptLedger.connect(client, Duration.ofSeconds(5));
        final List<FrequencyCap> florida = RulePack.shipped().jurisdiction("US-FL").caps();

        final ClientFactory factory = ClientFactory.builder().build();
        final WebClient toEmbedded = WebClient.builder(embedded.uri()).factory(factory).build();
        final WebClient toRedis = WebClient.builder(onRedis.uri()).factory(factory).build();
        final Map<String, LongFunction<CompletableFuture<Boolean>>> paths = new LinkedHashMap<>();
        paths.put("gateway, embedded ledger", i -> reserve(toEmbedded, bodies[(int) (i % bodies.length)]));
        paths.put("gateway, Redis ledger", i -> reserve(toRedis, bodies[(int) (i % bodies.length)]));
        paths.put("baseline: the gateway's GET /health/live", i -> toEmbedded.get("/health/live").aggregate()
                                                                            .thenApply(r -> r.status() == HttpStatus.OK));
        paths.put("baseline: the reservation script straight from a Redis client", i -> {
            final String subject = Attempts.subject("bench-" + (i % 100), null, 13052000000L + (i * 7919) % NUMBERS);
            final Instant now = Instant.now();
            return direct.reserve(subject, Attempts.newId(subject, null), now, florida, now, Duration.ofDays(1))
                         .thenApply(v -> true);
        });

        paths.keySet().removeIf(name -> !name.contains(only));
        // Answers must be right before they are fast.
        for (WebClient c : List.of(toEmbedded, toRedis)) {
            final AggregatedHttpResponse r = c.blocking().prepare().post("/v1/attempts")
                                              .content(MediaType.JSON, "{\"phoneNumber\":\"+13055550100\","
                                                                       + "\"campaignId\":\"check\"}").execute();
            final JsonNode answer = new ObjectMapper().readTree(r.contentUtf8());
            if (!answer.path("granted").asBoolean() || answer.path("limit").asInt() != 3) {
                throw new IllegalStateException("the first reservation answered " + r.contentUtf8());
            }
        }
        System.err.println("warming up...");
        final Map<String, Result> results = new LinkedHashMap<>();
        for (Map.Entry<String, LongFunction<CompletableFuture<Boolean>>> p : paths.entrySet()) {
            run(p.getValue(), Math.max(2, seconds / 3), inFlight);
            results.put(p.getKey(), new Result());
        }
        final List<String> names = new ArrayList<>(paths.keySet());
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                final String name = names.get((k + r) % names.size());
                final Result one = run(paths.get(name), seconds, inFlight);
                results.get(name).add(one);
                System.err.printf(Locale.ROOT, "round %d: %s: %,.0f a second%n", r + 1, name, one.rate());
            }
        }
        System.out.printf(Locale.ROOT, "%n### POST /v1/attempts, %d in flight, %d rounds of %d s, JDK %s, %d cores%n%n",
                          inFlight, rounds, seconds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| path | per second | answered | errors |%n|---|---|---|---|%n");
        for (String name : names) {
            final Result t = results.get(name);
            System.out.printf(Locale.ROOT, "| %s | **%,.0f** | %,d | %d |%n", name, t.rate(), t.done, t.errors);
        }

        embedded.close();
        onRedis.close();
        direct.close();
        client.shutdown();
        redis.close();
        factory.close();
        System.exit(0);
    }

    /** A granted or refused reservation is an answer; a caps_unavailable or a non-200 is an error. */
    private static CompletableFuture<Boolean> reserve(WebClient client, byte[] body) {
        return client.prepare().post("/v1/attempts").content(MediaType.JSON, body).execute().aggregate()
                     .thenApply(r -> r.status() == HttpStatus.OK && !r.contentUtf8().contains("caps_unavailable"));
    }

    /** Answers and errors over some seconds. */
    private static final class Result {
        long done;
        long errors;
        double seconds;

        void add(Result r) {
            done += r.done;
            errors += r.errors;
            seconds += r.seconds;
        }

        double rate() {
            return seconds == 0 ? 0 : done / seconds;
        }
    }

    private static Result run(LongFunction<CompletableFuture<Boolean>> call, int seconds, int inFlight) {
        final long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        final AtomicLong done = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong next = new AtomicLong();
        final long start = System.nanoTime();
        final List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            final CompletableFuture<Void> lane = new CompletableFuture<>();
            lanes.add(lane);
            step(call, end, next, done, errors, lane);
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
        final Result r = new Result();
        r.done = done.get();
        r.errors = errors.get();
        r.seconds = (System.nanoTime() - start) / 1e9;
        return r;
    }

    private static void step(LongFunction<CompletableFuture<Boolean>> call, long end, AtomicLong next, AtomicLong done,
                             AtomicLong errors, CompletableFuture<Void> lane) {
        if (System.nanoTime() >= end) {
            lane.complete(null);
            return;
        }
        call.apply(next.getAndIncrement()).whenComplete((ok, e) -> {
            if (e == null && ok) {
                done.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            step(call, end, next, done, errors, lane);
        });
    }

    private AttemptsLoad() {}
}
