package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.api.v1.AttemptsGrpc;
import io.switchboard.api.v1.ReserveAttemptRequest;
import io.switchboard.api.v1.ReserveAttemptResponse;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * {@code POST /v1/attempts} and {@code DELETE /v1/attempts/{id}}, over REST and gRPC: the rule
 * pack's caps (Florida's 3 in 24 hours) and a campaign's own, {@code /validate} reporting a
 * reached cap without reserving, releases, bad requests, and 50 concurrent reservations through
 * two gateways on one Redis.
 */
class AttemptsIT {

    private static final String FLORIDA = "+13055550100";
    private static final String CALIFORNIA = "+14155550100";

    private static AggregatedHttpResponse reserve(GatewayFixture f, String body) {
        return f.post("/v1/attempts", body);
    }

    private static String attempt(String number, String campaign) {
        return "{\"phoneNumber\":\"" + number + "\",\"campaignId\":\"" + campaign + "\"}";
    }

    @Test
    void threeReservationsForAFloridaNumberAreGrantedAndTheFourthIsRefusedUntilTheFirstLeavesTheWindow() {
        try (GatewayFixture f = new GatewayFixture()) {
            final Instant before = Instant.now();
            final List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                final JsonNode granted = GatewayFixture.json(reserve(f, attempt(FLORIDA, "c1")));
                assertThat(granted.get("granted").asBoolean()).as(granted.toString()).isTrue();
                assertThat(granted.get("count").asInt()).isEqualTo(i);
                assertThat(granted.get("limit").asInt()).isEqualTo(3);
                assertThat(granted.get("window").asText()).isEqualTo("24h");
                ids.add(granted.get("attemptId").asText());
            }
            final JsonNode refused = GatewayFixture.json(reserve(f, attempt(FLORIDA, "c1")));
            assertThat(refused.get("granted").asBoolean()).isFalse();
            assertThat(refused.get("reason").asText()).isEqualTo("frequency_cap");
            assertThat(refused.get("rule").asText()).isEqualTo("US-FL-attempts");
            assertThat(refused.get("jurisdiction").asText()).isEqualTo("US-FL");
            assertThat(refused.get("citation").asText()).contains("501.616(6)(b)");
            assertThat(refused.has("attemptId")).isFalse();
            final Instant next = Instant.parse(refused.get("nextAllowedAt").asText());
            assertThat(next).isBetween(before.plusSeconds(86_400), Instant.now().plusSeconds(86_400));

            // Another campaign is another subject; the same person by contact id is counted apart from the number.
            assertThat(GatewayFixture.json(reserve(f, attempt(FLORIDA, "c2"))).get("granted").asBoolean()).isTrue();

            // /validate says so without reserving (calling times off, to judge the cap alone).
            final JsonNode validated = GatewayFixture.json(f.post(
                    "/validate?callingWindow=false",
                    "[{\"phoneNumber\":\"" + FLORIDA + "\",\"campaignId\":\"c1\"},"
                    + "{\"phoneNumber\":\"" + FLORIDA + "\",\"campaignId\":\"c3\"},"
                    + "{\"phoneNumber\":\"" + FLORIDA + "\"}]"));
            final JsonNode d = validated.get("decisions");
            assertThat(d.get(0).get("reason").asText()).isEqualTo("frequency_cap");
            assertThat(d.get(0).get("rule").asText()).isEqualTo("US-FL-attempts");
            assertThat(Instant.parse(d.get(0).get("nextAllowedAt").asText())).isEqualTo(next);
            assertThat(d.get(1).get("reason").asText()).isEqualTo("allowed");
            assertThat(d.get(2).get("reason").asText()).as("no campaign: nothing to count by").isEqualTo("allowed");
            // ... and it reserved nothing: c3 still has its three.
            for (int i = 0; i < 3; i++) {
                assertThat(GatewayFixture.json(reserve(f, attempt(FLORIDA, "c3"))).get("granted").asBoolean()).isTrue();
            }

            // A dial that never left is released, and frees its slot; released twice, it is unknown.
            final AggregatedHttpResponse released = f.rest.delete("/v1/attempts/" + ids.get(2));
            assertThat(released.status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(released).get("released").asBoolean()).isTrue();
            assertThat(f.rest.delete("/v1/attempts/" + ids.get(2)).status()).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(GatewayFixture.json(reserve(f, attempt(FLORIDA, "c1"))).get("granted").asBoolean()).isTrue();
            assertThat(f.rest.delete("/v1/attempts/not-an-id").status()).isEqualTo(HttpStatus.BAD_REQUEST);
        }
    }

    @Test
    void aCampaignsOwnCapAppliesWhereTheRulePackHasNoneAndReadsAsACampaignCap() {
        try (GatewayFixture f = new GatewayFixture(c -> c.withCompliance(c.compliance().withCampaignCaps(List.of(
                new GatewayConfig.CampaignCap("c9", 1, java.time.Duration.ofHours(1), null, null)))))) {
            final JsonNode first = GatewayFixture.json(reserve(f, attempt(CALIFORNIA, "c9")));
            assertThat(first.get("granted").asBoolean()).isTrue();
            assertThat(first.get("limit").asInt()).isEqualTo(1);
            assertThat(first.get("window").asText()).isEqualTo("1h");
            final JsonNode second = GatewayFixture.json(reserve(f, attempt(CALIFORNIA, "c9")));
            assertThat(second.get("granted").asBoolean()).isFalse();
            assertThat(second.get("rule").asText()).isEqualTo("campaign:c9:1/1h");
            assertThat(second.has("jurisdiction")).as("a campaign's own cap has no jurisdiction").isFalse();
            // No cap governs California in another campaign: granted, with no limit.
            final JsonNode free = GatewayFixture.json(reserve(f, attempt(CALIFORNIA, "c1")));
            assertThat(free.get("granted").asBoolean()).isTrue();
            assertThat(free.get("limit").asInt()).isZero();

            // gRPC answers the same.
            final ReserveAttemptResponse grpc = GrpcClients.newClient(f.gateway.uri(),
                                                                      AttemptsGrpc.AttemptsBlockingStub.class)
                    .reserveAttempt(ReserveAttemptRequest.newBuilder().setPhoneNumber(CALIFORNIA).setCampaignId("c9")
                                                         .build());
            assertThat(grpc.getGranted()).isFalse();
            assertThat(grpc.getReason()).isEqualTo("frequency_cap");
        }
    }

    @Test
    void badReservationsAreRefusedNamingTheField() {
        try (GatewayFixture f = new GatewayFixture()) {
            assertBad(reserve(f, "{\"phoneNumber\":\"" + FLORIDA + "\"}"), "campaignId");
            assertBad(reserve(f, attempt("12", "c1")), "phoneNumber");
            assertBad(reserve(f, "{\"phoneNumber\":\"" + FLORIDA + "\",\"campaignId\":\"c1\",\"dialMethod\":\"robot\"}"),
                      "dialMethod");
            assertBad(reserve(f, "{\"phoneNumber\":\"" + FLORIDA + "\",\"campaignId\":\"c1\","
                                 + "\"at\":\"2020-01-01T00:00:00Z\"}"), "at");
            assertBad(reserve(f, "{\"phoneNumber\":\"" + FLORIDA + "\",\"campaignId\":\"has space\"}"), "campaignId");
            assertBad(reserve(f, "{\"phoneNumber\":\"" + FLORIDA + "\",\"campaignId\":\"c1\",\"color\":\"red\"}"), "color");
        }
    }

    private static void assertBad(AggregatedHttpResponse r, String field) {
        assertThat(r.status()).as(r.contentUtf8()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(r.contentUtf8()).contains(field);
    }

    @Test
    void fiftyConcurrentReservationsThroughTwoGatewaysOnOneRedisGrantExactlyThree() {
        try (TestRedis redis = TestRedis.start();
             GatewayFixture first = new GatewayFixture(c -> c.withRedis(new GatewayConfig.Redis(URI.create(redis.uri()))))) {
            final Gateway second = Gateway.start(GatewayFixture.baseConfig()
                    .withRedis(new GatewayConfig.Redis(URI.create(redis.uri())))
                    .withGenesys(first.gateway.config().genesys()).withCxone(first.gateway.config().cxone()));
            try {
                final WebClient[] clients = {WebClient.of(first.gateway.uri()), WebClient.of(second.uri())};
                final List<CompletableFuture<AggregatedHttpResponse>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    answers.add(clients[i % 2].execute(HttpRequest.builder().post("/v1/attempts")
                                                                  .content(MediaType.JSON, attempt(FLORIDA, "c1"))
                                                                  .build()).aggregate());
                }
                int granted = 0;
                int refused = 0;
                for (CompletableFuture<AggregatedHttpResponse> a : answers) {
                    final JsonNode body = GatewayFixture.json(a.join());
                    if (body.get("granted").asBoolean()) {
                        granted++;
                    } else if (body.get("reason").asText().equals("frequency_cap")) {
                        refused++;
                    }
                }
                assertThat(granted).isEqualTo(3);
                assertThat(refused).isEqualTo(47);
            } finally {
                second.closeAsync();
            }
        }
    }
}
