package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;

/** A gRPC request whose frame or message is malformed gets an answer in the API's words, never a Java class name. */
class MalformedGrpcIT {

    private static AggregatedHttpResponse send(GatewayFixture f, byte[] body) {
        final WebClient h2c = WebClient.of(SessionProtocol.H2C, f.gateway.uri().getHost() == null
                ? com.linecorp.armeria.client.Endpoint.of("127.0.0.1", f.gateway.uri().getPort())
                : com.linecorp.armeria.client.Endpoint.of(f.gateway.uri().getHost(), f.gateway.uri().getPort()));
        return h2c.blocking().execute(HttpRequest.of(
                RequestHeaders.builder(HttpMethod.POST, "/switchboard.v1.CallControl/SendDtmf")
                              .contentType(MediaType.parse("application/grpc+proto")).add("te", "trailers").build(),
                HttpData.wrap(body)));
    }

    private static String grpcMessage(AggregatedHttpResponse r) {
        final String m = r.trailers().get("grpc-message") != null ? r.trailers().get("grpc-message")
                                                                  : r.headers().get("grpc-message");
        return m == null ? "" : java.net.URLDecoder.decode(m, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String grpcStatus(AggregatedHttpResponse r) {
        return r.trailers().get("grpc-status") != null ? r.trailers().get("grpc-status") : r.headers().get("grpc-status");
    }

    @Test
    void aTruncatedFrameAndAMessageThatIsNotProtobufAreRefusedInWords() {
        try (GatewayFixture f = new GatewayFixture()) {
            // A frame header that promises 5 bytes, then 3.
            final AggregatedHttpResponse truncated = send(f, new byte[] {0, 0, 0, 0, 5, 1, 2, 3});
            assertThat(grpcMessage(truncated)).contains("a gRPC frame ended before the length its header gave");
            // A complete frame whose bytes are not a SendDtmfRequest.
            final AggregatedHttpResponse garbage = send(f, new byte[] {0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(grpcMessage(garbage)).contains("not a valid SendDtmf request");
            for (AggregatedHttpResponse r : java.util.List.of(truncated, garbage)) {
                assertThat(grpcMessage(r)).doesNotContainPattern("[a-z]+\\\\.[a-z]+\\\\.[A-Za-z]+Exception")
                                          .doesNotContain("armeria").doesNotContain("Exception");
                assertThat(grpcStatus(r)).isEqualTo("3"); // INVALID_ARGUMENT
            }
        }
    }
}
