package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.internal.ApiKeyAuthenticator;

/** API keys with scopes, and the refusal to listen beyond loopback without them. */
class InboundAuthIT {

    private static final String DESKTOP_KEY = "desk-key-0123456789abcdef";
    private static final String READER_KEY = "read-key-0123456789abcdef";

    private static GatewayConfig.Auth keys() {
        return new GatewayConfig.Auth(List.of(
                new GatewayConfig.ApiKey("agent-desktop", DESKTOP_KEY, null, List.of("calls:write")),
                new GatewayConfig.ApiKey("reporting", null, ApiKeyAuthenticator.sha256(READER_KEY),
                                         List.of("calls:read"))));
    }

    private static AggregatedHttpResponse volume(GatewayFixture f, String session, String authorization) {
        final var request = HttpRequest.builder().post("/v1/sessions/" + session + "/volume")
                                       .content(MediaType.JSON, "{\"volume\":0.5}");
        if (authorization != null) {
            request.header(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        return f.rest.execute(request.build());
    }

    @Test
    void commandsNeedAKeyWithTheCallsWriteScope() {
        try (GatewayFixture f = new GatewayFixture(c -> c.withAuth(keys()))) {
            final String session = f.createSession();
            final AggregatedHttpResponse none = volume(f, session, null);
            assertThat(none.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(none.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).startsWith("Bearer");

            assertThat(volume(f, session, "Bearer not-a-key-at-all-000000").status())
                    .isEqualTo(HttpStatus.UNAUTHORIZED);

            final AggregatedHttpResponse reader = volume(f, session, "Bearer " + READER_KEY);
            assertThat(reader.status()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(reader.contentUtf8()).contains("reporting").contains("calls:write")
                                            .doesNotContain(READER_KEY);

            assertThat(volume(f, session, "Bearer " + DESKTOP_KEY).status()).isEqualTo(HttpStatus.OK);
            assertThat(f.stats().get("callControlRequests").asInt()).isEqualTo(1);
        }
    }

    @Test
    void refusalsAreCountedAuditedAndLoggedWithoutTheKey() throws Exception {
        try (GatewayFixture f = new GatewayFixture(c -> c.withAuth(keys()))) {
            final String session = f.createSession();
            volume(f, session, null);
            volume(f, session, "Bearer not-a-key-at-all-000000");
            volume(f, session, "Bearer not-a-key-at-all-000001");
            volume(f, session, "Bearer " + READER_KEY);
            final var meters = f.gateway.meters();
            assertThat(meters.get("switchboard.auth.failures").tag("reason", "missing_key").counter().count())
                    .isEqualTo(1);
            assertThat(meters.get("switchboard.auth.failures").tag("reason", "unknown_key").counter().count())
                    .isEqualTo(2);
            assertThat(meters.get("switchboard.auth.failures").tag("reason", "missing_scope").counter().count())
                    .isEqualTo(1);
            final java.nio.file.Path trail = f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE);
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                final String audit = java.nio.file.Files.readString(trail);
                // Anonymous refusals are audited once per reason every 10 s: the second unknown key is counted only.
                assertThat(audit.lines().filter(l -> l.contains("\"event\":\"auth\"")).count()).isEqualTo(3);
                assertThat(audit).contains("\"actor\":\"reporting\"").contains("reason=missing_scope scope=calls:write")
                                 .contains("reason=unknown_key").doesNotContain("not-a-key-at-all")
                                 .doesNotContain(READER_KEY);
            });
        }
    }

    @Test
    void grpcCallersWithoutAKeyAreUnauthenticated() {
        try (GatewayFixture f = new GatewayFixture(c -> c.withAuth(keys()))) {
            final CallControlGrpc.CallControlBlockingStub anonymous =
                    GrpcClients.newClient(f.gateway.uri(), CallControlGrpc.CallControlBlockingStub.class);
            final StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                    anonymous.setVolume(SetVolumeRequest.newBuilder().setSessionId("s").setVolume(0.1f).build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

            final CallControlGrpc.CallControlBlockingStub desktop =
                    GrpcClients.builder(f.gateway.uri())
                               .addHeader(HttpHeaderNames.AUTHORIZATION, "Bearer " + DESKTOP_KEY)
                               .build(CallControlGrpc.CallControlBlockingStub.class);
            final String session = f.createSession();
            assertThat(desktop.setVolume(SetVolumeRequest.newBuilder().setSessionId(session).setVolume(0.1f).build())
                              .getSuccess()).isTrue();
        }
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutKeys() {
        final GatewayConfig config = GatewayFixture.baseConfig()
                .withServer(GatewayConfig.Server.defaults().withAddress("0.0.0.0", 0));
        assertThatThrownBy(() -> Gateway.start(config))
                .isInstanceOf(Gateway.GatewayStartException.class)
                .hasMessageContaining("refusing to listen on 0.0.0.0 without inbound credentials");
    }

    @Test
    void listensBeyondLoopbackWhenKeysAreConfigured() {
        final GatewayConfig config = GatewayFixture.baseConfig()
                .withServer(GatewayConfig.Server.defaults().withAddress("0.0.0.0", 0)
                                                 .withConnectionDrain(java.time.Duration.ZERO))
                .withAuth(keys());
        final Gateway gateway = Gateway.start(config);
        try {
            assertThat(gateway.port()).isPositive();
        } finally {
            gateway.closeAsync();
        }
    }
}
