package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.core.testing.TestRedis;
import io.switchboard.core.testing.TestRedisCluster;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * DNC scopes, expiry, opt-outs, consents and registry freshness over the real API, on the
 * embedded store and on Redis (one server in the legacy and the sharded layout, and a three-node
 * cluster): each scope blocks only its own contacts, an expired entry no
 * longer blocks, an opt-out survives an import and an ordinary removal, a consent exempts a
 * registry listing (and an expired one does not), a registry copy past its age blocks every
 * number it judges and makes the gateway unready, and a registry list replaced while scrubs run
 * is seen whole, old or new, never mixed.
 */
class DncScopesIT {

    private static final String NUMBER = "+14155550142";
    private static final String OTHER = "+14155550143";
    private static TestRedis redis;
    private static TestRedisCluster cluster;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start(io.switchboard.core.testing.LoopbackPorts.free(),
                                List.of("set-max-intset-entries 10000"));
        cluster = TestRedisCluster.start();
    }

    @AfterAll
    static void stopRedis() {
        try {
            redis.close();
        } finally {
            cluster.close();
        }
    }

    /** The Redis of {@code store}: one server in the legacy or sharded layout, or a cluster. */
    static GatewayConfig.Redis redisOf(String store) {
        return switch (store) {
            case "redis" -> new GatewayConfig.Redis(redis.uri(), "legacy");
            case "sharded" -> new GatewayConfig.Redis(redis.uri(), "sharded");
            case "cluster" -> new GatewayConfig.Redis(cluster.uris(), null);
            default -> throw new IllegalArgumentException(store);
        };
    }

    private static GatewayFixture gateway(String store) {
        final UnaryOperator<GatewayConfig> brands = c -> c.withCompliance(
                c.compliance().withBrands(Map.of("acme", List.of("c1", "c2"))));
        if (!store.equals("embedded")) {
            redis.flushAll();
            cluster.flushAll();
            return new GatewayFixture(c -> brands.apply(c.withRedis(redisOf(store))));
        }
        return new GatewayFixture(brands);
    }

    /** Judges {@code NUMBER} for each campaign (null: none), calling times off; returns the decisions. */
    private static JsonNode validate(GatewayFixture f, String query, String... campaigns) {
        final StringBuilder body = new StringBuilder("[");
        for (String c : campaigns) {
            body.append(body.length() > 1 ? "," : "").append("{\"phoneNumber\":\"").append(NUMBER).append('"')
                .append(c == null ? "" : ",\"campaignId\":\"" + c + '"').append('}');
        }
        final AggregatedHttpResponse r = f.post("/validate?callingWindow=false" + query, body.append(']').toString());
        assertThat(r.status()).as(r.contentUtf8()).isEqualTo(HttpStatus.OK);
        return GatewayFixture.json(r).get("decisions");
    }

    private static List<String> reasons(JsonNode decisions) {
        final java.util.ArrayList<String> out = new java.util.ArrayList<>();
        decisions.forEach(d -> out.add(d.get("reason").asText()));
        return out;
    }

    private static AggregatedHttpResponse ok(AggregatedHttpResponse r) {
        assertThat(r.status().isSuccess()).as(r.contentUtf8()).isTrue();
        return r;
    }

    private static AggregatedHttpResponse importCsv(GatewayFixture f, String query, String csv) {
        return f.rest.execute(HttpRequest.builder().post("/v1/dnc/import" + query)
                                         .content(MediaType.CSV_UTF_8, csv).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "redis", "sharded", "cluster"})
    void aCampaignListBlocksItsCampaignAndABrandListItsCampaigns(String store) {
        try (GatewayFixture f = gateway(store)) {
            ok(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"scope\":\"campaign:c1\"}"));
            assertThat(reasons(validate(f, "", "c1", "c2", null)))
                    .containsExactly("dnc_campaign", "allowed", "allowed");
            assertThat(validate(f, "", "c1").get(0).get("detail").asText()).isEqualTo("campaign:c1/internal");

            ok(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"scope\":\"brand:acme\"}"));
            assertThat(reasons(validate(f, "", "c2", "c3"))).containsExactly("dnc_brand", "allowed");
            assertThat(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"scope\":\"brand:nope\"}")
                        .contentUtf8()).contains("scope").contains("acme");

            // gRPC's ValidateContacts applies the same lists.
            final var answer = com.linecorp.armeria.client.grpc.GrpcClients.newClient(
                    f.gateway.uri(), io.switchboard.api.v1.ComplianceGrpc.ComplianceBlockingStub.class)
                    .validateContacts(io.switchboard.api.v1.ValidateContactsRequest.newBuilder().setCallingWindow(false)
                                              .addContacts(io.switchboard.api.v1.Contact.newBuilder()
                                                                   .setPhoneNumber(NUMBER).setCampaignId("c1"))
                                              .build());
            assertThat(answer.getDecisions(0).getReason()).isEqualTo("dnc_campaign");

            ok(f.post("/v1/dnc/numbers/remove", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"scope\":\"campaign:c1\"}"));
            assertThat(reasons(validate(f, "", "c1", "c3"))).containsExactly("dnc_brand", "allowed");

            // The statistics count every list (in the sharded layout by scanning every node).
            assertThat(GatewayFixture.json(ok(f.get("/v1/dnc/stats"))).get("numbers").asLong()).isZero();
            final JsonNode lists = GatewayFixture.json(ok(f.get("/v1/dnc/lists"))).get("lists");
            assertThat(lists.toString()).contains("\"list\":\"brand:acme/internal\",\"scope\":\"brand:acme\","
                                                  + "\"kind\":\"internal\",\"numbers\":1");
            assertThat(f.get("/health/ready").status()).isEqualTo(HttpStatus.OK);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "redis", "sharded", "cluster"})
    void anEntryPastItsExpiryNoLongerBlocks(String store) {
        try (GatewayFixture f = gateway(store)) {
            final Instant expires = Instant.parse("2030-01-01T00:00:00Z");
            ok(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"expiresAt\":\"" + expires + "\"}"));
            assertThat(reasons(validate(f, "&at=2029-12-31T23:59:59Z", (String) null))).containsExactly("dnc_blacklist");
            assertThat(reasons(validate(f, "&at=2030-01-01T00:00:00Z", (String) null))).containsExactly("allowed");
            // Listed again without an expiry, it blocks for good.
            ok(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"]}"));
            assertThat(reasons(validate(f, "&at=2031-01-01T00:00:00Z", (String) null))).containsExactly("dnc_blacklist");
            // An expiry never shortens an entry: listed for good, it stays so.
            ok(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"expiresAt\":\"" + expires + "\"}"));
            assertThat(reasons(validate(f, "&at=2031-01-01T00:00:00Z", (String) null))).containsExactly("dnc_blacklist");
            assertThat(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + OTHER + "\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                        .contentUtf8()).contains("expiresAt").contains("a time still to come");
            assertThat(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + OTHER + "\"],\"kind\":\"registry\","
                                                 + "\"refreshedAt\":\"2099-01-01T00:00:00Z\"}").status())
                    .isEqualTo(HttpStatus.BAD_REQUEST);
            final JsonNode check = GatewayFixture.json(ok(f.post("/v1/dnc/check", "{\"phoneNumbers\":[\"" + NUMBER + "\"]}")));
            assertThat(check.at("/results/0/lists/0/list").asText()).isEqualTo("global/internal");
            assertThat(check.at("/results/0/lists/0/expiresAt").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "redis", "sharded", "cluster"})
    void anOptOutBlocksAtOnceSurvivesAnImportAndARemovalAndOnlyItsOwnDeleteWithAReasonLiftsIt(String store) {
        try (GatewayFixture f = gateway(store)) {
            final JsonNode recorded = GatewayFixture.json(ok(f.post(
                    "/v1/dnc/opt-outs", "{\"phoneNumber\":\"" + NUMBER + "\",\"source\":\"agent-desktop\","
                                        + "\"reason\":\"asked on the call\"}")));
            assertThat(recorded.get("list").asText()).isEqualTo("global/opt_out");
            assertThat(reasons(validate(f, "", "c1", null))).containsExactly("dnc_blacklist", "dnc_blacklist");
            assertThat(validate(f, "", "c1").get(0).get("detail").asText()).isEqualTo("global/opt_out");

            ok(importCsv(f, "", "phone_number\n" + OTHER + "\n"));
            ok(f.post("/v1/dnc/numbers/remove", "{\"phoneNumbers\":[\"" + NUMBER + "\"]}"));
            assertThat(f.post("/v1/dnc/numbers/remove", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"kind\":\"opt_out\"}")
                        .status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("dnc_blacklist");

            assertThat(f.rest.delete("/v1/dnc/opt-outs/" + NUMBER.replace("+", "%2B")).status())
                    .as("a reason is required").isEqualTo(HttpStatus.BAD_REQUEST);
            final JsonNode listed = GatewayFixture.json(f.get("/v1/dnc/opt-outs/" + NUMBER.replace("+", "%2B")));
            assertThat(listed.at("/optOuts/0/source").asText()).isEqualTo("agent-desktop");
            ok(f.rest.delete("/v1/dnc/opt-outs/" + NUMBER.replace("+", "%2B") + "?reason=asked+to+be+called+again"));
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("allowed");

            // A campaign's opt-out blocks that campaign only.
            ok(f.post("/v1/dnc/opt-outs", "{\"phoneNumber\":\"" + NUMBER + "\",\"scope\":\"campaign:c1\",\"source\":\"ivr\"}"));
            assertThat(reasons(validate(f, "", "c1", "c3"))).containsExactly("dnc_campaign", "allowed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "redis", "sharded", "cluster"})
    void aConsentExemptsARegistryListingInItsScopeUntilItEndsAndAnOptOutRevokesIt(String store) {
        try (GatewayFixture f = gateway(store)) {
            final Instant now = Instant.now();
            assertThat(importCsv(f, "?kind=registry", "phone_number\n" + NUMBER + "\n").status())
                    .as("a registry import must say when its source was published").isEqualTo(HttpStatus.BAD_REQUEST);
            ok(importCsv(f, "?kind=registry&refreshedAt=" + now.minus(Duration.ofDays(2)),
                         "phone_number\n" + NUMBER + "\n"));
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("dnc_blacklist");
            assertThat(validate(f, "", "c1").get(0).get("detail").asText()).isEqualTo("global/registry");

            ok(f.post("/v1/consents", "{\"phoneNumber\":\"" + NUMBER + "\",\"scope\":\"campaign:c1\","
                                      + "\"type\":\"ebr_purchase\",\"grantedAt\":\"" + now.minus(Duration.ofDays(30))
                                      + "\",\"source\":\"crm\"}"));
            final JsonNode d = validate(f, "", "c1", "c3");
            assertThat(reasons(d)).containsExactly("allowed_exemption", "dnc_blacklist");
            assertThat(d.get(0).get("blocked").asBoolean()).isFalse();
            assertThat(d.get(0).get("detail").asText()).isEqualTo("ebr_purchase");

            // An inquiry's relationship ended after 3 months: no exemption.
            ok(f.post("/v1/consents", "{\"phoneNumber\":\"" + NUMBER + "\",\"scope\":\"brand:acme\","
                                      + "\"type\":\"ebr_inquiry\",\"grantedAt\":\"" + now.minus(Duration.ofDays(100))
                                      + "\",\"source\":\"crm\"}"));
            assertThat(reasons(validate(f, "", "c2"))).containsExactly("dnc_blacklist");
            final JsonNode consents = GatewayFixture.json(f.get("/v1/consents/" + NUMBER.replace("+", "%2B")));
            assertThat(consents.get("consents")).hasSize(2);

            // Consent never overrides an internal list.
            ok(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"scope\":\"campaign:c1\"}"));
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("dnc_campaign");
            ok(f.post("/v1/dnc/numbers/remove", "{\"phoneNumbers\":[\"" + NUMBER + "\"],\"scope\":\"campaign:c1\"}"));
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("allowed_exemption");

            // An opt-out in the campaign revokes its consent, and withdrawing the opt-out does not bring it back.
            final JsonNode optOut = GatewayFixture.json(ok(f.post(
                    "/v1/dnc/opt-outs", "{\"phoneNumber\":\"" + NUMBER + "\",\"scope\":\"campaign:c1\",\"source\":\"ivr\"}")));
            assertThat(optOut.get("consentsRevoked").asInt()).isEqualTo(1);
            ok(f.rest.delete("/v1/dnc/opt-outs/" + NUMBER.replace("+", "%2B") + "?scope=campaign:c1&reason=test"));
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("dnc_blacklist");

            assertThat(f.post("/v1/consents", "{\"phoneNumber\":\"" + NUMBER + "\",\"type\":\"prior_express\","
                                              + "\"grantedAt\":\"" + now + "\",\"source\":\"crm\"}").status())
                    .isEqualTo(HttpStatus.BAD_REQUEST);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "sharded"})
    void anOptOutRecordedOnOneReplicaBlocksOnAnotherWithinASecond(String store) {
        try (GatewayFixture first = gateway(store)) {
            final Gateway second = Gateway.start(GatewayFixture.baseConfig()
                    .withRedis(redisOf(store))
                    .withCompliance(first.gateway.config().compliance())
                    .withGenesys(first.gateway.config().genesys()).withCxone(first.gateway.config().cxone()));
            try {
                final com.linecorp.armeria.client.BlockingWebClient b =
                        com.linecorp.armeria.client.WebClient.of(second.uri()).blocking();
                final String body = "[{\"phoneNumber\":\"" + NUMBER + "\",\"campaignId\":\"c7\"}]";
                final java.util.function.Supplier<String> onSecond = () -> GatewayFixture.json(b.execute(
                        HttpRequest.builder().post("/validate?callingWindow=false").content(MediaType.JSON, body)
                                   .build())).at("/decisions/0/reason").asText();
                assertThat(onSecond.get()).isEqualTo("allowed");
                // A list the second replica has never seen: it learns of it within its 500 ms refresh.
                ok(first.post("/v1/dnc/opt-outs", "{\"phoneNumber\":\"" + NUMBER + "\",\"scope\":\"campaign:c7\","
                                                  + "\"source\":\"agent-desktop\"}"));
                final long recorded = System.nanoTime();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                                         .until(() -> onSecond.get().equals("dnc_campaign"));
                assertThat(Duration.ofNanos(System.nanoTime() - recorded)).isLessThan(Duration.ofSeconds(1));
            } finally {
                second.closeAsync();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "redis", "sharded", "cluster"})
    void aRegistryCopyPastItsAgeBlocksEveryNumberItJudgesAndTheGatewayIsNotReady(String store) {
        try (GatewayFixture f = gateway(store)) {
            assertThat(f.get("/health/ready").status()).isEqualTo(HttpStatus.OK);
            ok(importCsv(f, "?kind=registry&scope=campaign:c1&refreshedAt=" + Instant.now().minus(Duration.ofDays(40)),
                         "phone_number\n" + OTHER + "\n"));
            final JsonNode d = validate(f, "", "c1", "c3");
            assertThat(reasons(d)).containsExactly("dnc_registry_stale", "allowed");
            assertThat(d.get(0).get("detail").asText()).contains("campaign:c1/registry");
            final AggregatedHttpResponse ready = f.get("/health/ready");
            assertThat(ready.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(ready.contentUtf8()).contains("campaign:c1/registry");
            final JsonNode lists = GatewayFixture.json(f.get("/v1/dnc/lists"));
            assertThat(lists.toString()).contains("\"stale\":true");

            ok(importCsv(f, "?kind=registry&scope=campaign:c1&refreshedAt=" + Instant.now().minus(Duration.ofDays(1)),
                         "phone_number\n" + OTHER + "\n"));
            assertThat(reasons(validate(f, "", "c1"))).containsExactly("allowed");
            assertThat(f.get("/health/ready").status()).isEqualTo(HttpStatus.OK);
        }
    }

    /** {@code count} numbers of area 201 from {@code first} on, one exchange after another. */
    private static List<String> numbers(long first, int count) {
        final List<String> out = new java.util.ArrayList<>(count);
        for (long n = first; n < first + count; n++) {
            out.add("+1201" + n);
        }
        return out;
    }

    private static String csv(List<String> numbers) {
        return "phone_number\n" + String.join("\n", numbers) + "\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "redis", "sharded", "cluster"})
    void scrubsRunningThroughARegistryReplacementAnswerFromTheOldVersionOrTheNewNeverAMix(String store)
            throws Exception {
        try (GatewayFixture f = gateway(store)) {
            final List<String> both = numbers(2_000_000, 50);
            final List<String> onlyOld = numbers(3_000_000, 50);
            final List<String> onlyNew = numbers(4_000_000, 50);
            final List<String> oldVersion = new java.util.ArrayList<>(both);
            oldVersion.addAll(onlyOld);
            // The new version: 45,000 numbers, loaded in three batches.
            final List<String> newVersion = new java.util.ArrayList<>(both);
            newVersion.addAll(onlyNew);
            newVersion.addAll(numbers(5_000_000, 45_000 - newVersion.size()));
            final Instant now = Instant.now();
            ok(importCsv(f, "?kind=registry&refreshedAt=" + now.minus(Duration.ofDays(20)), csv(oldVersion)));

            final StringBuilder body = new StringBuilder("[");
            for (List<String> part : List.of(both, onlyOld, onlyNew)) {
                for (String n : part) {
                    body.append(body.length() > 1 ? "," : "").append("{\"phoneNumber\":\"").append(n).append("\"}");
                }
            }
            final String batch = body.append(']').toString();
            final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            final Thread scrubber = new Thread(() -> {
                while (!stop.get()) {
                    final AggregatedHttpResponse r = f.post("/validate?callingWindow=false", batch);
                    if (r.status() != HttpStatus.OK) {
                        seen.add("status " + r.status());
                        continue;
                    }
                    final List<String> reasons = reasons(GatewayFixture.json(r).get("decisions"));
                    final String common = String.join(",", new java.util.TreeSet<>(reasons.subList(0, 50)));
                    final String old = String.join(",", new java.util.TreeSet<>(reasons.subList(50, 100)));
                    final String fresh = String.join(",", new java.util.TreeSet<>(reasons.subList(100, 150)));
                    seen.add(common.equals("dnc_blacklist") && old.equals("dnc_blacklist") && fresh.equals("allowed")
                             ? "old"
                             : common.equals("dnc_blacklist") && old.equals("allowed") && fresh.equals("dnc_blacklist")
                               ? "new" : "a mix: " + common + " / " + old + " / " + fresh);
                }
            });
            scrubber.start();
            final AggregatedHttpResponse replaced;
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() > 3);
                replaced = importCsv(f, "?kind=registry&replace=true&refreshedAt=" + now.minus(Duration.ofDays(1)),
                                     csv(newVersion));
                final int after = seen.size();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() > after + 3);
            } finally {
                stop.set(true);
                scrubber.join();
            }
            ok(replaced);
            assertThat(GatewayFixture.json(replaced).get("replaced").asBoolean()).isTrue();
            assertThat(seen).allMatch(v -> v.equals("old") || v.equals("new"), "each answer from one whole version")
                            .contains("old").endsWith("new");
            // old, then new: never back
            assertThat(String.join(" ", seen).replaceAll("^(old )*(new ?)*$", "")).isEmpty();
            assertThat(GatewayFixture.json(f.get("/v1/dnc/lists")).toString())
                    .contains("\"refreshedAt\":\"" + now.minus(Duration.ofDays(1)).toString().substring(0, 19));

            // A replacement that fails part-way (a malformed row after two batches) leaves the version in place.
            final List<String> broken = new java.util.ArrayList<>(onlyOld);
            broken.addAll(numbers(6_000_000, 44_000));
            final AggregatedHttpResponse failed = importCsv(
                    f, "?kind=registry&replace=true&refreshedAt=" + now, csv(broken) + "\"+1201555\n");
            assertThat(failed.status()).as(failed.contentUtf8()).isEqualTo(HttpStatus.BAD_REQUEST);
            final List<String> after = reasons(GatewayFixture.json(f.post("/validate?callingWindow=false", batch))
                                                       .get("decisions"));
            assertThat(new java.util.TreeSet<>(after.subList(50, 100))).containsExactly("allowed");
            assertThat(new java.util.TreeSet<>(after.subList(100, 150))).containsExactly("dnc_blacklist");

            assertThat(importCsv(f, "?kind=internal&replace=true", csv(both)).contentUtf8())
                    .contains("replace").contains("only with kind=registry");
            // 50 numbers against 45,000: a wrong file, unless said otherwise.
            final AggregatedHttpResponse shrunk = importCsv(f, "?kind=registry&replace=true&refreshedAt=" + now,
                                                            csv(both));
            assertThat(shrunk.status()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(shrunk.contentUtf8()).contains("fewer than half").contains("allowShrink=true");
            assertThat(new java.util.TreeSet<>(reasons(GatewayFixture.json(f.post("/validate?callingWindow=false",
                                                                                  batch)).get("decisions"))
                                                      .subList(100, 150))).containsExactly("dnc_blacklist");
            ok(importCsv(f, "?kind=registry&replace=true&allowShrink=true&refreshedAt=" + now, csv(both)));
            assertThat(new java.util.TreeSet<>(reasons(GatewayFixture.json(f.post("/validate?callingWindow=false",
                                                                                  batch)).get("decisions"))
                                                      .subList(100, 150))).containsExactly("allowed");
        }
    }
}
