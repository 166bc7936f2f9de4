package io.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.EmbeddedListStore;
import io.switchboard.compliance.dnc.Records;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.core.testing.TestRedisCluster;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.ShardedRedisDncStore;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Measures {@code POST /validate} end to end over HTTP, batches of 1,000 contacts, with a fixed
 * number of requests in flight:
 * <ul>
 *   <li>the gateway on the embedded store holding {@code numbers} numbers (default 10,000,000);</li>
 *   <li>the gateway on the Redis store (a real Redis server) holding {@code redisNumbers};</li>
 *   <li>the same numbers in the sharded layout, on the same server and on a three-node Redis
 *       Cluster on this machine;</li>
 *   <li>the baseline: the original service's approach, on the same Redis data: for each number,
 *       {@code SISMEMBER dnc:blacklist} and then, if not listed, {@code HGET dnc:geo_rules}, one
 *       after the other; served by a minimal HTTP service in the same process and measured by the
 *       same load generator.</li>
 * </ul>
 * The paths alternate over several rounds so that warm-up and noise fall on all alike. Contacts
 * are US numbers over the store's area codes: 10 % listed, 1 % invalid, the rest clean.
 *
 * <p>A fourth path, the same embedded store under a rule pack that keeps only the federal rules,
 * measures what the state and provincial rules cost. A fifth, the same store with lists of every
 * scope and kind beside the seed's (a global registry copy holding a tenth of the batches' clean
 * numbers, half of those with a business relationship recorded for the campaign, the campaign's
 * and its brand's internal lists, global opt-outs), measures what scopes and exemptions cost.
 *
 * <p>Usage: {@code ./switchboard bench validate [numbers] [redisNumbers] [seconds] [inFlight] [rounds] [at]};
 * defaults 10,000,000, 1,000,000, 10, 16, 3, 2026-11-21T18:00:00Z ({@code now}: each request at the
 * clock). Prints a Markdown table for {@code docs/benchmarks.md}.
 */
public final class ValidateLoad {

    private static final int BATCH = 1000;
    private static final int BODIES = 64;
    private static final JsonFactory JSON = new JsonFactory();
    private static String path = "/validate?at=2026-11-21T18:00:00Z";

    /** The path requests go to: {@code /validate} at the instant the run judges. */
    static String path() {
        return path;
    }

    public static void main(String[] args) throws Exception {
        final int numbers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final int redisNumbers = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        final int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        final int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        // A fixed instant judges every request alike; "now" judges each at the clock, as a live
        // dialer's scrubs are, so that the calling rules' verdicts are worked out again every second.
        final String at = args.length > 5 ? args[5] : "2026-11-21T18:00:00Z";
        path = "now".equals(at) ? "/validate" : "/validate?at=" + at;

        final SplittableRandom random = new SplittableRandom(2026);
        // 300 area codes in service, so that contacts are valid numbers as real lists mostly are.
        final long[] areaCodes = UsNumbers.areaCodesInService(random, 300);
        final long[] listedSample = new long[100_000];

        final Path embeddedData = embeddedStore("switchboard-validate-bench", numbers, areaCodes, random, listedSample);

        System.err.printf(Locale.ROOT, "redis: adding %,d numbers...%n", redisNumbers);
        final TestRedis redis = TestRedis.start();
        final RedisClient client = RedisClient.create(redis.uri());
        final StatefulRedisConnection<String, String> connection = client.connect();
        final long[] redisSample = new long[listedSample.length];
        // The same numbers in the sharded layout, on the same server and on a three-node cluster.
        final TestRedisCluster cluster = TestRedisCluster.start();
        final DncStore shardedHere = new ShardedRedisDncStore(RedisEndpoint.parse(redis.uri())
                                                                          .connect(Duration.ofSeconds(30)));
        final DncStore shardedThere = new ShardedRedisDncStore(RedisEndpoint.parse(cluster.uris())
                                                                            .connect(Duration.ofSeconds(30)));
        fill(redisNumbers, areaCodes, random, redisSample, batch -> {
            final String[] members = new String[batch.length];
            for (int i = 0; i < batch.length; i++) {
                members[i] = "+" + batch[i];
            }
            connection.sync().sadd("dnc:blacklist", members);
            shardedHere.addAll(batch).join();
            shardedThere.addAll(batch).join();
            return batch.length;
        });
        for (int i = 0; i < 1000; i++) {
            connection.sync().hset("dnc:geo_rules", "+" + redisSample[i], "{\"Allowed\":false,\"RiskLevel\":\"high\"}");
            shardedHere.putGeoRule(redisSample[i], new GeoRule(false, "high")).join();
            shardedThere.putGeoRule(redisSample[i], new GeoRule(false, "high")).join();
        }
        shardedHere.close();
        shardedThere.close();

        // The same store again, for a gateway whose rule pack keeps only the federal rules: the
        // rule pack's cost is measured against it in the same run.
        final Path federalData = Files.createTempDirectory("switchboard-validate-federal");
        copy(embeddedData, federalData);
        final Path scopedData = Files.createTempDirectory("switchboard-validate-scoped");
        copy(embeddedData, scopedData);

        final GatewayConfig base = GatewayConfig.defaults()
                                                .withServer(GatewayConfig.Server.defaults()
                                                                                .withAddress("127.0.0.1", 0));
        final Gateway embedded = Gateway.start(base.withDataDir(embeddedData));
        final Gateway federalOnly = Gateway.start(base.withDataDir(federalData).withCompliance(
                GatewayConfig.Compliance.defaults().withRulesDir(federalOnlyRules())));
        final Gateway onRedis = Gateway.start(base.withDataDir(Files.createTempDirectory("switchboard-validate-redis"))
                                                  .withRedis(new GatewayConfig.Redis(URI.create(redis.uri()))));
        final Gateway onShardedRedis = Gateway.start(
                base.withDataDir(Files.createTempDirectory("switchboard-validate-sharded"))
                    .withRedis(new GatewayConfig.Redis(redis.uri(), "sharded")));
        final Gateway onCluster = Gateway.start(
                base.withDataDir(Files.createTempDirectory("switchboard-validate-cluster"))
                    .withRedis(new GatewayConfig.Redis(cluster.uris(), null)));
        final Server baseline = baselineServer(connection.sync());

        final byte[][] embeddedBodies = bodies(listedSample, areaCodes, random);
        fillScopes(scopedData, embeddedBodies, areaCodes, random);
        final Gateway scoped = Gateway.start(base.withDataDir(scopedData).withCompliance(
                GatewayConfig.Compliance.defaults().withBrands(Map.of("brand", List.of("bench")))));
        final byte[][] redisBodies = bodies(redisSample, areaCodes, random);
        final ClientFactory factory = ClientFactory.builder().build();
        final Map<String, Target> targets = new LinkedHashMap<>();
        targets.put("gateway, embedded store (" + String.format(Locale.ROOT, "%,d", numbers) + " numbers)",
                    new Target(WebClient.builder(embedded.uri()).factory(factory).build(), embeddedBodies));
        targets.put("gateway, embedded store, federal window only",
                    new Target(WebClient.builder(federalOnly.uri()).factory(factory).build(), embeddedBodies));
        targets.put("gateway, embedded store, scopes and exemptions on",
                    new Target(WebClient.builder(scoped.uri()).factory(factory).build(), embeddedBodies));
        targets.put("gateway, Redis store (" + String.format(Locale.ROOT, "%,d", redisNumbers) + " numbers)",
                    new Target(WebClient.builder(onRedis.uri()).factory(factory).build(), redisBodies));
        targets.put("gateway, Redis store, sharded layout (same numbers, same server)",
                    new Target(WebClient.builder(onShardedRedis.uri()).factory(factory).build(), redisBodies));
        targets.put("gateway, three-node Redis Cluster on this machine, sharded layout (same numbers)",
                    new Target(WebClient.builder(onCluster.uri()).factory(factory).build(), redisBodies));
        targets.put("baseline: SISMEMBER then HGET per number, same Redis",
                    new Target(WebClient.builder("http://127.0.0.1:" + baseline.activeLocalPort()).factory(factory)
                                        .build(), redisBodies));

        // Answers must be right before they are fast.
        for (Map.Entry<String, Target> t : targets.entrySet()) {
            check(t.getKey(), t.getValue());
        }
        // A whole round, not counted: shorter warm-ups left the first target measured cold in
        // round 1, which biased every comparison with it.
        System.err.println("warming up: one round of " + seconds + " s a path, not counted...");
        for (Target t : targets.values()) {
            t.run(seconds, inFlight);
            t.reset();
        }
        final List<String> names = new ArrayList<>(targets.keySet());
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                final String name = names.get((k + r) % names.size());
                final double rate = targets.get(name).run(seconds, inFlight);
                targets.get(name).rounds.add(rate);
                System.err.printf(Locale.ROOT, "round %d: %s: %,.0f numbers/s%n", r + 1, name, rate);
            }
        }

        final double baselineRate = targets.get(names.get(names.size() - 1)).rate();
        System.out.printf(Locale.ROOT, "%n### POST %s, batches of %,d, %d in flight, %d rounds of %d s, "
                                       + "JDK %s, %d cores%n%n", path, BATCH, inFlight, rounds, seconds,
                          Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "| path | numbers/s | requests | errors | vs baseline |%n|---|---|---|---|---|%n");
        for (String name : names) {
            final Target t = targets.get(name);
            System.out.printf(Locale.ROOT, "| %s | **%,.0f** | %,d | %d | %.1fx |%n", name, t.rate(), t.requests.get(),
                              t.errors.get(), t.rate() / baselineRate);
        }

        final double packRate = targets.get(names.get(0)).rate();
        final double federalRate = targets.get(names.get(1)).rate();
        System.out.printf(Locale.ROOT, "%nrule pack on: %,.0f numbers/s; federal window only: %,.0f numbers/s; "
                                       + "the pack costs %.1f %%%n", packRate, federalRate,
                          100 * (1 - packRate / federalRate));
        final double scopedRate = targets.get(names.get(2)).rate();
        System.out.printf(Locale.ROOT, "scopes and exemptions on: %,.0f numbers/s; the seed's list alone: %,.0f "
                                       + "numbers/s; they cost %.1f %%%n", scopedRate, packRate,
                          100 * (1 - scopedRate / packRate));
        // The machine's speed drifts from round to round: each round's two figures, taken minutes
        // apart at most, say more than the totals.
        final List<Double> costs = new ArrayList<>();
        final List<Double> scopedRounds = targets.get(names.get(2)).rounds;
        final List<Double> packRounds = targets.get(names.get(0)).rounds;
        for (int r = 0; r < rounds; r++) {
            costs.add(100 * (1 - scopedRounds.get(r) / packRounds.get(r)));
        }
        final List<Double> sorted = new ArrayList<>(costs);
        java.util.Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "scopes and exemptions, round by round: %s; median %.1f %% (the goal: at most 15 %%)%n",
                          costs.stream().map(c -> String.format(Locale.ROOT, "%.1f %%", c)).toList(),
                          sorted.get(sorted.size() / 2));

        embedded.close();
        federalOnly.close();
        scoped.close();
        onRedis.close();
        onShardedRedis.close();
        onCluster.close();
        cluster.close();
        baseline.stop().join();
        connection.close();
        client.shutdown();
        redis.close();
        factory.close();
        System.exit(0);
    }

    /**
     * Returns a rules directory that replaces every state's and province's file with one that has
     * no rule: only the federal rules (US, CA) stay.
     */
    private static Path federalOnlyRules() throws java.io.IOException {
        final Path dir = Files.createTempDirectory("switchboard-federal-rules");
        for (String id : io.switchboard.compliance.rules.RulePack.shipped().jurisdictions().keySet()) {
            if (!id.contains("-")) {
                continue;
            }
            Files.writeString(dir.resolve(id + ".yaml"), "jurisdiction: " + id + "\nname: " + id + "\nchecked: 2026-11-29\n"
                              + "rules: []\nnoStricterRule:\n  summary: left out to measure the federal window alone\n"
                              + "  sources:\n    - {citation: benchmark, url: \"https://example.org/\"}\n"
                              + "  confidence: L\n");
        }
        return dir;
    }

    /**
     * Adds, beside the seed's list in {@code data}: a global registry copy (published yesterday)
     * of a tenth of the clean numbers in {@code bodies} and 1,000,000 others, with a business
     * relationship recorded for campaign {@code bench} for half of the tenth; internal lists of
     * 10,000 numbers for the campaign and its brand; 1,000 global opt-outs.
     */
    static void fillScopes(Path data, byte[][] bodies, long[] areaCodes, SplittableRandom random)
            throws Exception {
        System.err.println("scoped store: adding lists and consents...");
        final List<Long> inBatches = new ArrayList<>();
        for (byte[] body : bodies) {
            for (JsonNode c : new ObjectMapper().readTree(body)) {
                final String n = c.get("phoneNumber").asText();
                if (random.nextInt(10) == 0 && !n.endsWith("0123456")) {
                    inBatches.add(Long.parseLong(n.substring(1)));
                }
            }
        }
        try (EmbeddedDncStore store = EmbeddedDncStore.open(data.resolve("dnc"));
             EmbeddedListStore lists = new EmbeddedListStore(data.resolve("dnc"), store)) {
            final DncList registry = new DncList("global", DncList.Kind.REGISTRY);
            lists.add(registry, inBatches.stream().mapToLong(Long::longValue).toArray(), null).join();
            fill(1_000_000, areaCodes, random, new long[0], batch -> lists.add(registry, batch, null).join());
            lists.refreshed(registry, java.time.Instant.now().minus(Duration.ofDays(1))).join();
            fill(10_000, areaCodes, random, new long[0],
                 batch -> lists.add(new DncList("campaign:bench", DncList.Kind.INTERNAL), batch, null).join());
            fill(10_000, areaCodes, random, new long[0],
                 batch -> lists.add(new DncList("brand:brand", DncList.Kind.INTERNAL), batch, null).join());
            fill(1_000, areaCodes, random, new long[0],
                 batch -> lists.add(new DncList("global", DncList.Kind.OPT_OUT), batch, null).join());
            final String consent = Records.write(new Records.StoredConsent(
                    "campaign:bench", "ebr_purchase", java.time.Instant.now().minus(Duration.ofDays(30)).toString(), null,
                    "bench", java.time.Instant.now().toString()));
            for (int i = 0; i < inBatches.size(); i += 2) {
                final Map<String, String> r = new java.util.HashMap<>();
                r.put(Records.consentField("campaign:bench", io.switchboard.compliance.rules.Consent.Type.EBR_PURCHASE),
                      consent);
                lists.changeRecords(inBatches.get(i), new java.util.HashMap<>(r)).join();
            }
            System.err.printf(Locale.ROOT, "scoped store: %,d of the batches' numbers on the registry copy, %,d with "
                                           + "a consent%n", inBatches.size(), (inBatches.size() + 1) / 2);
        }
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                final Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Sends the bodies round-robin with {@code inFlight} requests outstanding; counts numbers judged. */
    static final class Target {
        final WebClient client;
        final byte[][] bodies;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Each round's rate, in order. */
        final List<Double> rounds = new ArrayList<>();
        long numbersJudged;
        double secondsSpent;

        Target(WebClient client, byte[][] bodies) {
            this.client = client;
            this.bodies = bodies;
        }

        double run(int seconds, int inFlight) throws Exception {
            final long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            final AtomicLong done = new AtomicLong();
            final long start = System.nanoTime();
            final List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) {
                final int lane = i;
                final CompletableFuture<Void> loop = new CompletableFuture<>();
                loops.add(loop);
                next(lane, lane, end, done, loop);
            }
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).join();
            final double spent = (System.nanoTime() - start) / 1e9;
            numbersJudged += done.get() * BATCH;
            secondsSpent += spent;
            return done.get() * BATCH / spent;
        }

        private void next(int lane, long i, long end, AtomicLong done, CompletableFuture<Void> loop) {
            if (System.nanoTime() >= end) {
                loop.complete(null);
                return;
            }
            client.prepare().post(path)
                  .content(MediaType.JSON, bodies[(int) (i % bodies.length)])
                  .execute().aggregate()
                  .whenComplete((r, e) -> {
                      requests.incrementAndGet();
                      if (e != null || r.status() != HttpStatus.OK) {
                          errors.incrementAndGet();
                      } else {
                          done.incrementAndGet();
                      }
                      next(lane, i + 16, end, done, loop);
                  });
        }

        double rate() {
            return secondsSpent == 0 ? 0 : numbersJudged / secondsSpent;
        }

        void reset() {
            numbersJudged = 0;
            secondsSpent = 0;
            requests.set(0);
            errors.set(0);
        }
    }

    static void check(String name, Target t) throws Exception {
        final AggregatedHttpResponse r = t.client.blocking().prepare().post(path)
                                                 .content(MediaType.JSON, t.bodies[0]).execute();
        final JsonNode answer = new ObjectMapper().readTree(r.contentUtf8());
        if (r.status() != HttpStatus.OK || answer.get("total").asInt() != BATCH) {
            throw new IllegalStateException(name + " answered " + r.status() + ": " + r.contentUtf8());
        }
        System.err.printf(Locale.ROOT, "%s: %d of %d blocked in the first batch%n", name, answer.get("blocked").asInt(),
                          BATCH);
    }

    /**
     * Returns a new data directory whose embedded store holds {@code numbers} random numbers over
     * {@code areaCodes}, filled and compacted as a long-running gateway's would be; some of them
     * are kept in {@code sample}.
     */
    static Path embeddedStore(String prefix, int numbers, long[] areaCodes, SplittableRandom random, long[] sample)
            throws Exception {
        final Path data = Files.createTempDirectory(prefix);
        System.err.printf(Locale.ROOT, "embedded store: adding %,d numbers...%n", numbers);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(data.resolve("dnc"))) {
            fill(numbers, areaCodes, random, sample, store::add);
            store.compact();
        }
        return data;
    }

    /** Adds {@code count} distinct random numbers in batches; keeps some in {@code sample}. */
    interface Adder {
        long add(long[] batch) throws Exception;
    }

    static void fill(int count, long[] areaCodes, SplittableRandom random, long[] sample, Adder adder)
            throws Exception {
        final long[] batch = new long[10_000];
        long added = 0;
        int sampled = 0;
        while (added < count) {
            final int n = (int) Math.min(batch.length, count - added);
            final long[] b = n == batch.length ? batch : new long[n];
            for (int i = 0; i < n; i++) {
                b[i] = UsNumbers.number(areaCodes, random);
                if (sampled < sample.length && random.nextInt(10) == 0) {
                    sample[sampled++] = b[i];
                }
            }
            added += adder.add(b);
        }
    }


    static byte[][] bodies(long[] listed, long[] areaCodes, SplittableRandom random) throws Exception {
        final byte[][] bodies = new byte[BODIES][];
        for (int b = 0; b < BODIES; b++) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartArray();
                for (int i = 0; i < BATCH; i++) {
                    final int kind = random.nextInt(100);
                    final String number = kind < 10 ? "+" + listed[random.nextInt(listed.length)]
                                          : kind < 11 ? "+1" + areaCodes[random.nextInt(areaCodes.length)] + "0123456"
                                          : "+" + UsNumbers.number(areaCodes, random);
                    g.writeStartObject();
                    g.writeStringField("phoneNumber", number);
                    g.writeStringField("campaignId", "bench");
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            bodies[b] = out.toByteArray();
        }
        return bodies;
    }

    /** The original service's approach: for each number, SISMEMBER, then HGET, one after the other. */
    private static Server baselineServer(RedisCommands<String, String> redis) {
        final ObjectMapper mapper = new ObjectMapper();
        final Server server = Server.builder().http(0).service("/validate", (ctx, req) -> HttpResponse.of(
                req.aggregate().thenApplyAsync(body -> {
                    try {
                        final JsonNode contacts = mapper.readTree(body.content().array());
                        final ByteArrayOutputStream out = new ByteArrayOutputStream();
                        int blocked = 0;
                        final List<String[]> decisions = new ArrayList<>();
                        for (JsonNode c : contacts) {
                            final String number = c.get("phoneNumber").asText();
                            String reason = "allowed";
                            if (redis.sismember("dnc:blacklist", number)) {
                                reason = "dnc_blacklist";
                            } else {
                                final String rule = redis.hget("dnc:geo_rules", number);
                                if (rule != null) {
                                    final JsonNode r = mapper.readTree(rule);
                                    if (!r.get("Allowed").asBoolean()) {
                                        reason = "geo_blocked_" + r.get("RiskLevel").asText();
                                    }
                                }
                            }
                            blocked += "allowed".equals(reason) ? 0 : 1;
                            decisions.add(new String[] {number, reason});
                        }
                        try (JsonGenerator g = JSON.createGenerator(out)) {
                            g.writeStartObject();
                            g.writeNumberField("total", decisions.size());
                            g.writeNumberField("blocked", blocked);
                            g.writeNumberField("allowed", decisions.size() - blocked);
                            g.writeArrayFieldStart("decisions");
                            for (String[] d : decisions) {
                                g.writeStartObject();
                                g.writeStringField("phoneNumber", d[0]);
                                g.writeBooleanField("blocked", !"allowed".equals(d[1]));
                                g.writeStringField("reason", d[1]);
                                g.writeEndObject();
                            }
                            g.writeEndArray();
                            g.writeEndObject();
                        }
                        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, out.toByteArray());
                    } catch (Exception e) {
                        return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR);
                    }
                }, ctx.blockingTaskExecutor()))).build();
        server.start().join();
        return server;
    }


    private ValidateLoad() {}
}
