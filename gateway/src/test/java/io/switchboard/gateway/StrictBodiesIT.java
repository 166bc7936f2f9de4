package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/**
 * Bodies are read as docs/api.md says: a wrong JSON type is a 400 naming the field in the API's
 * words, a body field that contradicts the path is a 400, and no answer names a Java type.
 */
class StrictBodiesIT {

    private static String message(AggregatedHttpResponse r) {
        return GatewayFixture.json(r).get("message").asText();
    }

    @Test
    void wrongTypesAndContradictionsAreRefusedInTheApisWords() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final String conversation = UUID.randomUUID().toString();
            final String participant = UUID.randomUUID().toString();
            final Map<String, String[]> cases = new LinkedHashMap<>();
            cases.put("/v1/sessions/" + session + "/dtmf", new String[] {"{\"tones\":123}",
                                                                          "body: tones: 123 (expected: a string)"});
            cases.put("/v1/sessions/" + session + "/volume", new String[] {"{\"volume\":\"0.5\"}",
                                                                            "body: volume: \"0.5\" (expected: a number)"});
            cases.put("/v1/conversations/" + conversation + "/participants/" + participant + "/mute",
                      new String[] {"{\"muted\":\"true\"}", "body: muted: \"true\" (expected: true or false)"});
            cases.put("/v1/calls/call-1/flows", new String[] {"{\"flow\":5}", "body.flow: (expected: a string)"});
            cases.put("/v1/dnc/numbers", new String[] {"{\"phoneNumbers\":\"+12125550100\"}",
                                                       "body.phoneNumbers: (expected: an array)"});
            for (Map.Entry<String, String[]> c : cases.entrySet()) {
                final AggregatedHttpResponse r = f.post(c.getKey(), c.getValue()[0]);
                assertThat(r.status()).as(c.getKey()).isEqualTo(HttpStatus.BAD_REQUEST);
                assertThat(message(r)).as(c.getKey()).isEqualTo(c.getValue()[1]);
            }
            final AggregatedHttpResponse geo = f.rest.execute(
                    HttpRequest.builder().put("/v1/dnc/geo-rules/+12125550100")
                               .content(MediaType.JSON, "{\"allowed\":\"maybe\"}").build());
            assertThat(message(geo)).isEqualTo("body.allowed: (expected: true or false)");

            final AggregatedHttpResponse other = f.post("/v1/sessions/" + session + "/dtmf",
                                                        "{\"tones\":\"1\",\"sessionId\":\"someone-else\"}");
            assertThat(other.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(message(other)).isEqualTo("sessionId: \"someone-else\" (expected: absent, or the path's \""
                                                 + session + "\")");
            assertThat(f.post("/v1/sessions/" + session + "/dtmf",
                              "{\"tones\":\"1\",\"session_id\":\"" + session + "\"}").status())
                    .as("the path's own value may be repeated").isEqualTo(HttpStatus.OK);
            assertThat(f.events(session).get("events")).as("only the agreeing call played").hasSize(1);
        }
    }

    @Test
    void aMalformedImportIsABadRequestThatSaysWhatWasStored() {
        try (GatewayFixture f = new GatewayFixture()) {
            final StringBuilder csv = new StringBuilder("phone_number\n");
            final int[] areas = {201, 202, 203, 205, 206};
            for (int i = 0; i < 45_000; i++) {
                csv.append("+1").append(areas[i / 10_000]).append("555").append(String.format("%04d", i % 10_000))
                   .append('\n');
            }
            csv.append("\"+12125559999,broken\n");
            final AggregatedHttpResponse r = f.rest.execute(
                    HttpRequest.builder().post("/v1/dnc/import").content(MediaType.CSV_UTF_8, csv.toString()).build());
            assertThat(r.status()).as("a client error, not an outage").isEqualTo(HttpStatus.BAD_REQUEST);
            // Batches of 20,000: the two acknowledged before the bad line stay stored.
            assertThat(message(r)).startsWith("line 45002: the CSV cannot be read on (")
                                  .contains("stored 40000 valid numbers from lines 1 to 40001 before it");
            assertThat(GatewayFixture.json(f.rest.get("/v1/dnc/stats")).get("numbers").asLong()).isEqualTo(40_000);
        }
    }

    @Test
    void noAnswerNamesAJavaType() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final String[][] requests = {
                    {"/v1/sessions/" + session + "/dtmf", "[\"1\"]"},
                    {"/v1/sessions/" + session + "/dtmf", "{\"tones\":[\"1\"]}"},
                    {"/v1/sessions/" + session + "/dtmf", "{\"tones\":{}}"},
                    {"/v1/calls/call-1/flows", "[\"x\"]"},
                    {"/v1/calls/call-1/flows", "{\"flow\":[1]}"},
                    {"/v1/calls/call-1/flows", "\"x\""},
                    {"/v1/dnc/numbers", "{\"phoneNumbers\":[1,2]}"},
                    {"/v1/dnc/numbers", "{\"phoneNumbers\":{}}"},
                    {"/v1/dnc/check", "[]"},
                    {"/validate", "{\"a\":1}"},
                    {"/validate", "[{\"phoneNumber\":{}}]"},
                    {"/apply-campaign-rules", "{\"campaignId\":7}"},
            };
            for (String[] r : requests) {
                final AggregatedHttpResponse answer = f.post(r[0], r[1]);
                assertThat(answer.status().code()).as(r[0] + ' ' + r[1]).isBetween(400, 499);
                assertThat(answer.contentUtf8()).as(r[0] + ' ' + r[1])
                        .doesNotContain("java.").doesNotContain("io.switchboard").doesNotContain("Cannot deserialize")
                        .doesNotContain("Cannot construct");
            }
        }
    }
}
