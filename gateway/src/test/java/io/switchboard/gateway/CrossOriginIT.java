package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.HttpMethod;

/**
 * What a page of another origin can make a browser send: simple requests (text/plain, forms,
 * no type) and any Host its DNS rebinds to 127.0.0.1. None of them reaches a call or the store.
 */
class CrossOriginIT {

    private static AggregatedHttpResponse send(GatewayFixture f, String path, String contentType, String body,
                                               String host) {
        final RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, path)
                                                     .authority(host)
                                                     .add(HttpHeaderNames.ORIGIN, "http://attacker.example")
                                                     .build();
        final RequestHeaders typed = contentType == null ? headers
                                                         : headers.toBuilder().contentType(MediaType.parse(contentType))
                                                                  .build();
        return f.rest.execute(HttpRequest.of(typed, com.linecorp.armeria.common.HttpData.ofUtf8(body)));
    }

    @Test
    void simpleCrossOriginRequestsChangeNothing() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final String local = "127.0.0.1:" + f.gateway.port();
            for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded",
                                             "multipart/form-data; boundary=x", null}) {
                final AggregatedHttpResponse dtmf = send(f, "/v1/sessions/" + session + "/dtmf", type,
                                                         "{\"tones\":\"9\"}", local);
                assertThat(dtmf.status()).as(String.valueOf(type)).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
                assertThat(GatewayFixture.json(dtmf).get("message").asText())
                        .startsWith("Content-Type: ").contains("(expected: application/json");
                assertThat(dtmf.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
            }
            assertThat(f.events(session).get("events")).as("no tone reached the call").isEmpty();

            assertThat(f.post("/v1/dnc/numbers", "{\"phoneNumbers\":[\"+12125550100\"]}").status()).isEqualTo(HttpStatus.OK);
            assertThat(send(f, "/v1/dnc/numbers/remove", "text/plain", "{\"phoneNumbers\":[\"+12125550100\"]}", local)
                               .status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
            assertThat(f.post("/v1/dnc/check", "{\"phoneNumbers\":[\"+12125550100\"]}").contentUtf8())
                    .as("the number is still listed").contains("true");

            assertThat(send(f, "/v1/dnc/import", "application/json", "+12125550101\n", local).status())
                    .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
            assertThat(send(f, "/v1/dnc/import", "text/csv", "+12125550101\n", local).status())
                    .isEqualTo(HttpStatus.OK);
        }
    }

    @Test
    void aHostThatIsNotTheGatewaysIsMisdirected() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final AggregatedHttpResponse rebound = send(f, "/v1/sessions/" + session + "/dtmf", "application/json",
                                                        "{\"tones\":\"9\"}", "attacker.example:" + f.gateway.port());
            assertThat(rebound.status()).isEqualTo(HttpStatus.MISDIRECTED_REQUEST);
            assertThat(GatewayFixture.json(rebound).get("message").asText())
                    .startsWith("Host: \"attacker.example\" (expected: one of [127.0.0.1, ::1, [::1], localhost]");
            assertThat(f.events(session).get("events")).isEmpty();
            for (String host : List.of("localhost:" + f.gateway.port(), "127.0.0.1:" + f.gateway.port(),
                                       "LOCALHOST.:" + f.gateway.port())) {
                assertThat(send(f, "/v1/sessions/" + session + "/dtmf", "application/json", "{\"tones\":\"1\"}", host)
                                   .status()).as(host).isEqualTo(HttpStatus.OK);
            }
            // Probes answer whatever the Host: a load balancer names the gateway by its address.
            assertThat(f.rest.execute(RequestHeaders.builder(HttpMethod.GET, "/health/ready")
                                                    .authority("10.0.0.5:8080").build()).status())
                    .isEqualTo(HttpStatus.OK);
        }
    }

    @Test
    void onlyConfiguredOriginsGetCorsHeaders() {
        try (GatewayFixture f = new GatewayFixture(c -> c.withServer(c.server().withCors(
                new io.switchboard.gateway.config.GatewayConfig.Cors(List.of("https://desk.example.com")))))) {
            final String session = f.createSession();
            final AggregatedHttpResponse preflight = f.rest.execute(
                    RequestHeaders.builder(HttpMethod.OPTIONS, "/v1/sessions/" + session + "/dtmf")
                                  .add(HttpHeaderNames.ORIGIN, "https://desk.example.com")
                                  .add(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                                  .add(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                                  .build());
            assertThat(preflight.status()).isEqualTo(HttpStatus.OK);
            assertThat(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN))
                    .isEqualTo("https://desk.example.com");
            final AggregatedHttpResponse other = f.rest.execute(
                    RequestHeaders.builder(HttpMethod.OPTIONS, "/v1/sessions/" + session + "/dtmf")
                                  .add(HttpHeaderNames.ORIGIN, "http://attacker.example")
                                  .add(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                                  .build());
            assertThat(other.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isNull();
            final AggregatedHttpResponse allowed = f.rest.execute(
                    HttpRequest.builder().post("/v1/sessions/" + session + "/dtmf")
                               .header(HttpHeaderNames.ORIGIN, "https://desk.example.com")
                               .content(MediaType.JSON, "{\"tones\":\"1\"}").build());
            assertThat(allowed.status()).isEqualTo(HttpStatus.OK);
            assertThat(allowed.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN))
                    .isEqualTo("https://desk.example.com");
        }
    }

    @Test
    void configuredHostnamesAreTheOnlyOnesAccepted() {
        try (GatewayFixture f = new GatewayFixture(c -> c.withServer(c.server().withHostnames(
                List.of("switchboard.example.com"))))) {
            final String session = f.createSession();
            assertThat(send(f, "/v1/sessions/" + session + "/dtmf", "application/json", "{\"tones\":\"1\"}",
                            "switchboard.example.com").status()).isEqualTo(HttpStatus.OK);
            assertThat(send(f, "/v1/sessions/" + session + "/dtmf", "application/json", "{\"tones\":\"1\"}",
                            "127.0.0.1:" + f.gateway.port()).status()).isEqualTo(HttpStatus.MISDIRECTED_REQUEST);
            assertThat(WebClient.of(f.gateway.uri()).blocking().get("/health").status()).isEqualTo(HttpStatus.OK);
        }
    }
}
