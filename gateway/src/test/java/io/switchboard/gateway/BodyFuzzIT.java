package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import com.linecorp.armeria.common.AggregatedHttpResponse;

/**
 * Fuzzing the REST API's JSON bodies through a running gateway: mutations of valid bodies (a
 * value's type changed, a field dropped or doubled, the text cut, a character replaced) and
 * arbitrary text, to each route that takes a body. Every answer is the API's own: a success or
 * a 4xx naming what is wrong, never a 5xx and never a Java type.
 */
class BodyFuzzIT {

    private static GatewayFixture f;
    private static String session;

    @BeforeContainer
    static void start() {
        f = new GatewayFixture();
        session = f.createSession();
    }

    @AfterContainer
    static void stop() {
        f.close();
    }

    private static final List<String[]> ROUTES = List.of(
            new String[] {"/validate?at=2026-12-01T17:00:00Z",
                "[{\"phoneNumber\": \"+13055550100\", \"campaignId\": \"c1\", \"zip\": \"33101\", \"state\": \"FL\","
                + " \"purpose\": \"telephone_solicitation\", \"dialMethod\": \"automated\","
                + " \"consent\": {\"type\": \"ebr_purchase\", \"grantedAt\": \"2026-01-01T00:00:00Z\"}}]"},
            new String[] {"/v1/sessions/{session}/dtmf", "{\"tones\": \"12#\", \"durationMs\": 100, \"gapMs\": 60}"},
            new String[] {"/v1/sessions/{session}/volume", "{\"volume\": 0.5}"},
            new String[] {"/v1/dnc/numbers", "{\"phoneNumbers\": [\"+12125550100\", \"(212) 555-0101\"]}"},
            new String[] {"/v1/dnc/check", "{\"phoneNumbers\": [\"+12125550100\"]}"},
            new String[] {"/v1/rules/overrides",
                "{\"jurisdiction\": \"US-LA\", \"id\": \"US-LA-fuzz\", \"summary\": \"s\", \"purposes\": "
                + "[\"telephone_solicitation\"], \"hours\": {\"daily\": \"none\"}, \"effective\": {\"from\": \"2026-01-01\","
                + " \"until\": \"2026-01-02\"}, \"citation\": \"c\", \"url\": \"https://example.org/\", \"confidence\": \"L\"}"},
            new String[] {"/v1/commands", "{\"sessionId\": \"{session}\", \"isDtmf\": true, \"tone\": \"1\"}"});

    @Property
    void everyBodyGetsTheApisOwnAnswer(@ForAll("requests") String[] request) {
        final AggregatedHttpResponse r = f.post(request[0].replace("{session}", session),
                                                request[1].replace("{session}", session));
        assertThat(r.status().code()).as("%s %s -> %s", request[0], request[1], r.contentUtf8()).isLessThan(500);
        assertThat(r.contentUtf8()).as(request[1]).doesNotContainPattern("java\\.|com\\.linecorp|Exception");
        if (request[0].startsWith("/v1/rules/overrides") && r.status().code() == 201) {
            // Leave the pack as it was for the next try.
            f.rest.execute(com.linecorp.armeria.common.HttpRequest.of(com.linecorp.armeria.common.HttpMethod.DELETE,
                                                                     "/v1/rules/overrides/US-LA-fuzz"));
        }
    }

    @Provide
    Arbitrary<String[]> requests() {
        return Arbitraries.of(ROUTES).flatMap(route -> mutations(route[1]).map(body -> new String[] {route[0], body}));
    }

    private static Arbitrary<String> mutations(String valid) {
        final Arbitrary<String> cut = Arbitraries.integers().between(0, valid.length()).map(i -> valid.substring(0, i));
        final Arbitrary<String> replaced = Combinators.combine(
                Arbitraries.integers().between(0, valid.length() - 1),
                Arbitraries.of("\"", "{", "}", "[", "]", ",", ":", "1", "-", "null", "true", "1e999", "\\u0000", "\\", " "))
                .as((i, c) -> valid.substring(0, i) + c + valid.substring(i + 1));
        final Arbitrary<String> retyped = Arbitraries.of("\"+13055550100\"", "\"12#\"", "0.5", "100", "\"2026-01-01\"",
                                                         "\"telephone_solicitation\"", "true", "\"FL\"", "\"US-LA\"")
                .flatMap(value -> Arbitraries.of("null", "[]", "{}", "-1", "1e308", "\"\"", "\"" + "x".repeat(5000) + "\"",
                                                 "[" + value + "]", "{\"a\": " + value + "}", "123456789012345678901234567890")
                        .map(other -> valid.replace(value, other)));
        final Arbitrary<String> doubled = Arbitraries.of("\"tones\"", "\"phoneNumbers\"", "\"volume\"", "\"jurisdiction\"",
                                                         "\"phoneNumber\"")
                .map(field -> valid.replaceFirst("\\{", "{" + field + ": 1, "));
        return Arbitraries.oneOf(cut, replaced, retyped, doubled, Arbitraries.just(valid),
                                 Arbitraries.strings().all().ofMaxLength(60));
    }
}
