package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.api.v1.ComplianceGrpc;
import io.switchboard.api.v1.Contact;
import io.switchboard.api.v1.ValidateContactsRequest;
import io.switchboard.api.v1.ValidateContactsResponse;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * {@code POST /validate} end to end: a CSV imported through the admin API, then contacts judged
 * against it, the geographic rules and the calling window; the same over gRPC and on Redis.
 */
class ValidateIT {

    /** 10:00 in New York, 07:00 in Los Angeles. */
    private static final String MORNING_EAST = "2026-11-21T15:00:00Z";

    private static final String CSV = """
            phone_number,reason,source
            +12125550100,consumer request,web
            "(212) 555-0101",consumer request,call
            not-a-number,typo,web
            """;

    private static final String CONTACTS = """
            [{"phoneNumber": "+12125550100", "campaignId": "c1"},
             {"phoneNumber": "212-555-0101", "campaignId": "c1"},
             {"phoneNumber": "+12125550102", "campaignId": "c1"},
             {"phoneNumber": "+19005550100", "campaignId": "c1", "name": "extra fields are ignored"},
             {"phoneNumber": "+12135550100", "campaignId": "c1"},
             {"phoneNumber": "12", "campaignId": "c1"},
             {"phoneNumber": "+1 212 555 0199", "campaignId": "c1"}]
            """;

    private static final List<String> REASONS = List.of("dnc_blacklist", "dnc_blacklist", "geo_blocked_high",
                                                        "geo_blocked_premium", "outside_calling_window",
                                                        "invalid_number", "allowed");

    private static GatewayConfig withRules(GatewayConfig c) {
        return c.withCompliance(GatewayConfig.Compliance.defaults().withGeoRules(
                List.of(new GatewayConfig.GeoPrefixRule("+1900", false, "premium"))));
    }

    private static void load(GatewayFixture f) {
        final AggregatedHttpResponse imported = f.rest.execute(
                HttpRequest.builder().post("/v1/dnc/import").content(MediaType.CSV_UTF_8, CSV).build());
        assertThat(imported.status()).isEqualTo(HttpStatus.OK);
        final JsonNode report = GatewayFixture.json(imported);
        assertThat(report.get("rows").asInt()).isEqualTo(3);
        assertThat(report.get("valid").asInt()).isEqualTo(2);
        assertThat(report.get("invalid").asInt()).isEqualTo(1);
        assertThat(report.get("rejects").get(0).get("line").asInt()).as("the header is line 1").isEqualTo(4);
        assertThat(report.get("rejects").get(0).get("phoneNumber").asText()).isEqualTo("not-a-number");
        final AggregatedHttpResponse rule = f.rest.execute(
                HttpRequest.builder().put("/v1/dnc/geo-rules/+12125550102")
                           .content(MediaType.JSON, "{\"allowed\":false,\"riskLevel\":\"high\"}").build());
        assertThat(rule.status()).isEqualTo(HttpStatus.OK);
    }

    private static List<String> reasons(JsonNode answer) {
        return java.util.stream.StreamSupport.stream(answer.get("decisions").spliterator(), false)
                                             .map(d -> d.get("reason").asText()).toList();
    }

    @Test
    void judgesEachContactWithItsReason() throws Exception {
        try (GatewayFixture f = new GatewayFixture(ValidateIT::withRules)) {
            load(f);
            final AggregatedHttpResponse r = f.post("/validate?at=" + MORNING_EAST, CONTACTS);
            assertThat(r.status()).isEqualTo(HttpStatus.OK);
            final JsonNode answer = GatewayFixture.json(r);
            assertThat(answer.get("total").asInt()).isEqualTo(7);
            assertThat(answer.get("blocked").asInt()).isEqualTo(6);
            assertThat(answer.get("allowed").asInt()).isEqualTo(1);
            assertThat(reasons(answer)).containsExactlyElementsOf(REASONS);
            final JsonNode invalid = answer.get("decisions").get(5);
            assertThat(invalid.get("phoneNumber").asText()).as("echoed as given").isEqualTo("12");
            assertThat(invalid.get("blocked").asBoolean()).isTrue();
            assertThat(invalid.get("detail").asText()).contains("expected: a valid phone number");
            assertThat(answer.get("decisions").get(6).has("detail")).isFalse();

            final JsonNode noWindow = GatewayFixture.json(f.post("/validate?at=" + MORNING_EAST
                                                                 + "&callingWindow=false", CONTACTS));
            assertThat(reasons(noWindow).get(4)).isEqualTo("allowed");

            // A large batch is scrubbed off the event loop, a small one on it: the same answers.
            final String inner = CONTACTS.strip().substring(1, CONTACTS.strip().length() - 1);
            final String large = "[" + String.join(",", java.util.Collections.nCopies(40, inner)) + "]";
            assertThat(large.length()).isGreaterThan(8192);
            final JsonNode many = GatewayFixture.json(f.post("/validate?at=" + MORNING_EAST, large));
            assertThat(many.get("total").asInt()).isEqualTo(280);
            final List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                expected.addAll(REASONS);
            }
            assertThat(reasons(many)).containsExactlyElementsOf(expected);

            // The changes are audited.
            final String audit = Files.readString(f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE));
            assertThat(audit).contains("\"action\":\"dnc_import\"").contains("\"action\":\"dnc_geo_rule_put\"");
        }
    }

    @Test
    void grpcGivesTheSameDecisions() {
        try (GatewayFixture f = new GatewayFixture(ValidateIT::withRules)) {
            load(f);
            final ComplianceGrpc.ComplianceBlockingStub grpc =
                    GrpcClients.newClient(f.gateway.uri(), ComplianceGrpc.ComplianceBlockingStub.class);
            final ValidateContactsRequest.Builder request = ValidateContactsRequest.newBuilder()
                    .setAt(Timestamp.newBuilder().setSeconds(java.time.Instant.parse(MORNING_EAST).getEpochSecond()));
            for (String n : List.of("+12125550100", "212-555-0101", "+12125550102", "+19005550100", "+12135550100",
                                    "12", "+1 212 555 0199")) {
                request.addContacts(Contact.newBuilder().setPhoneNumber(n).setCampaignId("c1"));
            }
            final ValidateContactsResponse answer = grpc.validateContacts(request.build());
            assertThat(answer.getDecisionsList().stream().map(d -> d.getReason()).toList())
                    .containsExactlyElementsOf(REASONS);
            assertThat(answer.getBlocked()).isEqualTo(6);
        }
    }

    @Test
    void redisStoreGivesTheSameDecisionsAndFailsClosedWhenRedisStops() {
        final TestRedis redis = TestRedis.start();
        try (GatewayFixture f = new GatewayFixture(c -> withRules(c).withRedis(
                new GatewayConfig.Redis(java.net.URI.create(redis.uri()))))) {
            load(f);
            final JsonNode stats = GatewayFixture.json(f.rest.get("/v1/dnc/stats"));
            assertThat(stats.get("store").asText()).isEqualTo("redis");
            assertThat(stats.get("numbers").asInt()).isEqualTo(2);
            assertThat(reasons(GatewayFixture.json(f.post("/validate?at=" + MORNING_EAST, CONTACTS))))
                    .containsExactlyElementsOf(REASONS);

            redis.close();
            final JsonNode down = GatewayFixture.json(f.post("/validate?at=" + MORNING_EAST, CONTACTS));
            assertThat(down.get("allowed").asInt()).isZero();
            assertThat(reasons(down)).containsExactly("dnc_unavailable", "dnc_unavailable", "dnc_unavailable",
                                                      "dnc_unavailable", "dnc_unavailable", "invalid_number",
                                                      "dnc_unavailable");
            assertThat(f.rest.get("/v1/dnc/stats").status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        } finally {
            redis.close();
        }
    }

    @Test
    void badRequestsAreNamed() {
        try (GatewayFixture f = new GatewayFixture(c -> c.withCompliance(
                GatewayConfig.Compliance.defaults().withMaxBatch(2)))) {
            final AggregatedHttpResponse tooMany = f.post("/validate", "[{\"phoneNumber\":\"+12125550100\"},"
                                                                       + "{\"phoneNumber\":\"+12125550101\"},"
                                                                       + "{\"phoneNumber\":\"+12125550102\"}]");
            assertThat(tooMany.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
            assertThat(tooMany.contentUtf8()).contains("at most 2");

            assertThat(message(f.post("/validate", "[{\"phoneNumber\":\"+1212"))).startsWith("body: not valid JSON")
                                                                                  .doesNotContain("Source");
            assertThat(message(f.post("/validate", "{\"phoneNumber\":\"+12125550100\"}")))
                    .contains("expected: a JSON array");
            assertThat(message(f.post("/validate", "[{\"phoneNumber\":12125550100}]")))
                    .isEqualTo("[0].phoneNumber: 12125550100 (expected: a string)");
            assertThat(message(f.post("/validate", "[{\"campaignId\":\"c1\"}]")))
                    .isEqualTo("[0].phoneNumber: <missing> (expected: a string)");
            assertThat(message(f.post("/validate?at=yesterday", "[]"))).startsWith("at: \"yesterday\"");
            // Instants the calendar cannot place in a time zone are a 400, never a 500.
            for (String at : new String[] {"-999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z",
                                           "1969-12-31T23:59:59Z"}) {
                final AggregatedHttpResponse far = f.post("/validate?at=" + java.net.URLEncoder.encode(
                                                                  at, java.nio.charset.StandardCharsets.UTF_8),
                                                          "[{\"phoneNumber\":\"+12125550100\"}]");
                assertThat(far.status()).as(at).isEqualTo(HttpStatus.BAD_REQUEST);
                assertThat(message(far)).as(at).startsWith("at: \"" + at + "\" (expected: an ISO-8601 instant from "
                                                           + "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
            }
            assertThat(message(f.post("/validate?callingWindow=no", "[]"))).startsWith("callingWindow: \"no\"");
            assertThat(GatewayFixture.json(f.post("/validate", "[]")).get("total").asInt()).isZero();

            final AggregatedHttpResponse badNumber = f.post("/v1/dnc/numbers",
                                                            "{\"phoneNumbers\":[\"+12125550100\",\"nope\"]}");
            assertThat(badNumber.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(message(badNumber)).startsWith("phoneNumbers[1]: \"nope\"");
            assertThat(GatewayFixture.json(f.rest.get("/v1/dnc/stats")).get("numbers").asInt())
                    .as("nothing was added").isZero();
            assertThat(message(f.post("/v1/dnc/numbers", "{\"numbers\":[]}"))).contains("numbers: unknown field");
        }
    }

    @Test
    void scrubsNeedDncReadAndChangesNeedDncWrite() {
        final String reader = "read-key-0123456789abcdef";
        final String writer = "write-key-0123456789abcdef";
        try (GatewayFixture f = new GatewayFixture(c -> c.withAuth(new GatewayConfig.Auth(List.of(
                new GatewayConfig.ApiKey("dialer", reader, null, List.of("dnc:read")),
                new GatewayConfig.ApiKey("compliance-team", writer, null, List.of("dnc:read", "dnc:write"))))))) {
            assertThat(call(f, HttpMethod.POST, "/validate", "[]", null).status()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(call(f, HttpMethod.POST, "/validate", "[]", reader).status()).isEqualTo(HttpStatus.OK);
            assertThat(call(f, HttpMethod.GET, "/v1/dnc/stats", null, reader).status()).isEqualTo(HttpStatus.OK);
            final String add = "{\"phoneNumbers\":[\"+12125550100\"]}";
            final AggregatedHttpResponse refused = call(f, HttpMethod.POST, "/v1/dnc/numbers", add, reader);
            assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(refused.contentUtf8()).contains("dnc:write");
            assertThat(call(f, HttpMethod.POST, "/v1/dnc/numbers", add, writer).status()).isEqualTo(HttpStatus.OK);
            assertThat(call(f, HttpMethod.POST, "/v1/dnc/import", "+12125550101\n", reader).status())
                    .isEqualTo(HttpStatus.FORBIDDEN);
            final String audit;
            try {
                audit = Files.readString(f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(audit).contains("\"actor\":\"compliance-team\"").doesNotContain(writer);
        }
    }

    private static AggregatedHttpResponse call(GatewayFixture f, HttpMethod method, String path, String body,
                                               String key) {
        final var request = HttpRequest.builder().method(method).path(path);
        if (body != null) {
            request.content(MediaType.JSON, body);
        }
        if (key != null) {
            request.header(HttpHeaderNames.AUTHORIZATION, "Bearer " + key);
        }
        return f.rest.execute(request.build());
    }

    private static String message(AggregatedHttpResponse r) {
        assertThat(r.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        return GatewayFixture.json(r).get("message").asText();
    }
}
