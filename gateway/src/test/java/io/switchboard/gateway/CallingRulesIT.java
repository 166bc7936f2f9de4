package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;

import io.switchboard.api.v1.ComplianceGrpc;
import io.switchboard.api.v1.Contact;
import io.switchboard.api.v1.GetLegalCallTimesRequest;
import io.switchboard.api.v1.GetLegalCallTimesResponse;
import io.switchboard.api.v1.ValidateContactsRequest;
import io.switchboard.api.v1.ValidateContactsResponse;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * The rule pack through the API: {@code /validate} blocks with the rule, jurisdiction, citation
 * and next allowed instant; {@code /v1/legal-call-times} answers a day's intervals; the two agree
 * for random numbers and instants; contact fields are checked; an operator's rule file with a
 * problem stops the gateway naming file, line and field.
 */
class CallingRulesIT {

    private static String at(String local, String zone) {
        return LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant().toString();
    }

    @Test
    void aFloridaNumberAtHalfPastEightIsBlockedNamingItsRuleAndAnHourEarlierIsAllowed() {
        try (GatewayFixture f = new GatewayFixture(c -> c)) {
            final String contacts = "[{\"phoneNumber\": \"+13055550100\", \"campaignId\": \"c1\"},"
                                    + " {\"phoneNumber\": \"+12135550100\", \"campaignId\": \"c1\"}]";
            final JsonNode late = GatewayFixture.json(
                    f.post("/validate?at=" + at("2026-12-01T20:30", "America/New_York"), contacts));
            final JsonNode florida = late.get("decisions").get(0);
            assertThat(florida.get("reason").asText()).isEqualTo("outside_calling_window");
            assertThat(florida.get("rule").asText()).isEqualTo("US-FL-window");
            assertThat(florida.get("jurisdiction").asText()).isEqualTo("US-FL");
            assertThat(florida.get("citation").asText()).contains("501.616");
            assertThat(florida.get("nextAllowedAt").asText()).isEqualTo(at("2026-12-02T08:00", "America/New_York"));
            // California at 17:30 local is inside every window.
            assertThat(late.get("decisions").get(1).get("reason").asText()).isEqualTo("allowed");
            final JsonNode earlier = GatewayFixture.json(
                    f.post("/validate?at=" + at("2026-12-01T19:30", "America/New_York"), contacts));
            assertThat(earlier.get("decisions").get(0).get("reason").asText()).isEqualTo("allowed");
        }
    }

    @Test
    void contactFieldsApplyTheirRulesAndUnknownValuesAre400sNamingTheField() {
        try (GatewayFixture f = new GatewayFixture(c -> c)) {
            final String when = at("2026-12-01T20:30", "America/Los_Angeles");
            final JsonNode moved = GatewayFixture.json(f.post("/validate?at=" + when,
                    "[{\"phoneNumber\": \"+12135550100\", \"state\": \"FL\"},"
                    + " {\"phoneNumber\": \"+12135550100\", \"zip\": \"33101\"},"
                    + " {\"phoneNumber\": \"+12135550100\", \"zip\": \"90012\", \"purpose\": \"informational\"}]"));
            assertThat(moved.get("decisions").get(0).get("rule").asText()).isEqualTo("US-FL-window");
            assertThat(moved.get("decisions").get(1).get("rule").asText()).isEqualTo("US-FL-window");
            assertThat(moved.get("decisions").get(2).get("reason").asText()).isEqualTo("allowed");

            // Blank fields from a CRM export are absent; a ZIP written as a number keeps its leading zero.
            final JsonNode blanks = GatewayFixture.json(f.post("/validate?at=" + when,
                    "[{\"phoneNumber\": \"+12135550100\", \"zip\": \"\", \"state\": \"\"},"
                    + " {\"phoneNumber\": \"+12135550100\", \"zip\": 2134}]"));
            assertThat(blanks.get("decisions").get(0).get("reason").asText()).isEqualTo("allowed");
            assertThat(blanks.get("decisions").get(1).get("rule").asText()).as("02134 is Massachusetts")
                                                                           .isEqualTo("US-MA-window");

            final AggregatedHttpResponse badMethod = f.post("/validate",
                    "[{\"phoneNumber\": \"+12135550100\"}, {\"phoneNumber\": \"+12135550100\", \"dialMethod\": \"robot\"}]");
            assertThat(badMethod.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(badMethod.contentUtf8()).contains("[1].dialMethod: \\\"robot\\\"")
                                               .contains("manual, automated, prerecorded");
            final AggregatedHttpResponse badState = f.post("/validate", "[{\"phoneNumber\": \"+12135550100\", \"state\": \"XX\"}]");
            assertThat(badState.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(badState.contentUtf8()).contains("[0].state");
            final AggregatedHttpResponse badConsent = f.post("/validate",
                    "[{\"phoneNumber\": \"+12135550100\", \"consent\": {\"type\": \"verbal\", \"grantedAt\": \"2026-01-01T00:00:00Z\"}}]");
            assertThat(badConsent.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(badConsent.contentUtf8()).contains("[0].consent.type").contains("prior_express_written");
            final AggregatedHttpResponse badPurpose = f.post("/validate?purpose=sales", "[]");
            assertThat(badPurpose.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(badPurpose.contentUtf8()).contains("purpose: \\\"sales\\\"");
        }
    }

    @Test
    void rhodeIslandOnASaturdayIsTenToFiveLocalOverRestAndGrpc() {
        try (GatewayFixture f = new GatewayFixture(c -> c)) {
            final AggregatedHttpResponse r = f.get("/v1/legal-call-times?phoneNumber=%2B14015550100&date=2026-12-05");
            assertThat(r.status()).as(r.contentUtf8()).isEqualTo(HttpStatus.OK);
            final JsonNode day = GatewayFixture.json(r);
            assertThat(day.get("zone").asText()).isEqualTo("America/New_York");
            assertThat(day.get("intervals")).hasSize(1);
            assertThat(day.get("intervals").get(0).get("localStart").asText()).isEqualTo("10:00");
            assertThat(day.get("intervals").get(0).get("localEnd").asText()).isEqualTo("17:00");
            assertThat(day.get("intervals").get(0).get("start").asText()).isEqualTo("2026-12-05T15:00:00Z");
            assertThat(day.get("jurisdictions").toString()).contains("US-RI").contains("\"US\"");
            assertThat(day.get("rules").toString()).contains("US-RI-hours-of-operation").contains("10:00-17:00");

            final ComplianceGrpc.ComplianceBlockingStub grpc =
                    GrpcClients.newClient(f.gateway.uri(), ComplianceGrpc.ComplianceBlockingStub.class);
            final GetLegalCallTimesResponse sunday = grpc.getLegalCallTimes(GetLegalCallTimesRequest.newBuilder()
                    .setPhoneNumber("+14015550100").setDate("2026-12-06").build());
            assertThat(sunday.getIntervalsList()).isEmpty();

            final AggregatedHttpResponse bad = f.get("/v1/legal-call-times?phoneNumber=%2B14015550100&date=12/05/2026");
            assertThat(bad.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(bad.contentUtf8()).contains("date").contains("YYYY-MM-DD");
        }
    }

    @Test
    void validateAllowsANumberOnlyInsideAnIntervalThatLegalCallTimesAnswered() {
        final List<String> numbers = List.of("+13055550100", "+14015550100", "+18015550100", "+12145550100",
                                             "+14165550100", "+16015550100", "+12075550100", "+18085550100",
                                             "+19075550100", "+15045550100", "+16055550100");
        final Random random = new Random(7);
        try (GatewayFixture f = new GatewayFixture(c -> c)) {
            final ComplianceGrpc.ComplianceBlockingStub grpc =
                    GrpcClients.newClient(f.gateway.uri(), ComplianceGrpc.ComplianceBlockingStub.class);
            for (int i = 0; i < 150; i++) {
                final String number = numbers.get(random.nextInt(numbers.size()));
                final Instant when = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * random.nextInt(525_600));
                final ValidateContactsResponse v = grpc.validateContacts(ValidateContactsRequest.newBuilder()
                        .setAt(Timestamp.newBuilder().setSeconds(when.getEpochSecond()))
                        .addContacts(Contact.newBuilder().setPhoneNumber(number)).build());
                final GetLegalCallTimesResponse probe = grpc.getLegalCallTimes(GetLegalCallTimesRequest.newBuilder()
                        .setPhoneNumber(number).setDate("2026-01-01").build());
                final ZoneId zone = ZoneId.of(probe.getZone());
                final LocalDate date = when.atZone(zone).toLocalDate();
                final GetLegalCallTimesResponse day = grpc.getLegalCallTimes(GetLegalCallTimesRequest.newBuilder()
                        .setPhoneNumber(number).setDate(date.toString()).build());
                final boolean inside = day.getIntervalsList().stream().anyMatch(
                        in -> when.getEpochSecond() >= in.getStart().getSeconds()
                              && when.getEpochSecond() < in.getEnd().getSeconds());
                assertThat(!v.getDecisions(0).getBlocked()).as("%s at %s", number, when).isEqualTo(inside);
            }
        }
    }

    @Test
    void anEmergencyBanDeclaredAtRunTimeBlocksAtOnceIsAuditedAndOutlivesARestart(@TempDir Path data) throws Exception {
        final String ban = """
                {"jurisdiction": "US-LA", "id": "US-LA-emergency-2026-12",
                 "summary": "Declared state of emergency: no telephone solicitation",
                 "purposes": ["telephone_solicitation"], "hours": {"daily": "none"},
                 "effective": {"from": "2026-12-01", "until": "2026-12-15"},
                 "citation": "Governor's proclamation (example)", "url": "https://gov.louisiana.gov/", "confidence": "H"}
                """;
        final String tuesdayNoon = at("2026-12-01T12:00", "America/Chicago");
        final String contact = "[{\"phoneNumber\": \"+15045550100\"}]";
        try (GatewayFixture f = new GatewayFixture(c -> c.withDataDir(data))) {
            assertThat(GatewayFixture.json(f.post("/validate?at=" + tuesdayNoon, contact))
                                     .get("decisions").get(0).get("reason").asText()).isEqualTo("allowed");
            final AggregatedHttpResponse declared = f.post("/v1/rules/overrides", ban);
            assertThat(declared.status()).as(declared.contentUtf8()).isEqualTo(HttpStatus.CREATED);
            final JsonNode blocked = GatewayFixture.json(f.post("/validate?at=" + tuesdayNoon, contact))
                                                   .get("decisions").get(0);
            assertThat(blocked.get("rule").asText()).isEqualTo("US-LA-emergency-2026-12");
            assertThat(blocked.get("nextAllowedAt").asText()).isEqualTo(at("2026-12-15T08:00", "America/Chicago"));
            assertThat(f.post("/v1/rules/overrides", ban).status()).as("the id is taken").isEqualTo(HttpStatus.BAD_REQUEST);
            final AggregatedHttpResponse undated = f.post("/v1/rules/overrides",
                    ban.replace("US-LA-emergency-2026-12", "US-LA-other").replace("\"from\": \"2026-12-01\", ", ""));
            assertThat(undated.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(undated.contentUtf8()).contains("effective.from");
            assertThat(f.get("/v1/rules/overrides").contentUtf8()).contains("US-LA-emergency-2026-12");
            assertThat(f.get("/v1/rules/US-LA").contentUtf8()).contains("US-LA-emergency-2026-12").contains("45:811");
            assertThat(Files.readString(data.resolve(Gateway.AUDIT_FILE))).contains("rule_override_add")
                                                                          .contains("US-LA-emergency-2026-12");
            f.gateway.close(); // the store's lock is let go before the restart below
        }
        try (GatewayFixture f = new GatewayFixture(c -> c.withDataDir(data))) {
            assertThat(GatewayFixture.json(f.post("/validate?at=" + tuesdayNoon, contact))
                                     .get("decisions").get(0).get("rule").asText())
                    .as("kept across a restart").isEqualTo("US-LA-emergency-2026-12");
            final AggregatedHttpResponse removed = f.rest.execute(com.linecorp.armeria.common.HttpRequest.of(
                    com.linecorp.armeria.common.HttpMethod.DELETE, "/v1/rules/overrides/US-LA-emergency-2026-12"));
            assertThat(removed.status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(f.post("/validate?at=" + tuesdayNoon, contact))
                                     .get("decisions").get(0).get("reason").asText()).isEqualTo("allowed");
            assertThat(Files.readString(data.resolve(Gateway.AUDIT_FILE))).contains("rule_override_remove");
        }
    }

    @Test
    void aRuleFileWithAProblemStopsTheGatewayNamingFileLineAndField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("US-FL.yaml"), """
                jurisdiction: US-FL
                name: Florida
                checked: 2026-11-29
                rules:
                  - id: US-FL-window
                    summary: house reading
                    purposes: [telephone_solicitation]
                    hours: {daily: "8-20"}
                    citation: Fla. Stat. 501.616(6)(a)
                    url: https://www.flsenate.gov/
                    confidence: H
                """);
        final GatewayConfig config = GatewayConfig.defaults().withCompliance(
                GatewayConfig.Compliance.defaults().withRulesDir(dir));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DncStores.legalTimes(config.compliance()))
                .hasMessageContaining("US-FL.yaml:8")
                .hasMessageContaining("rules[0].hours.daily")
                .hasMessageContaining("HH:MM-HH:MM");
    }
}
