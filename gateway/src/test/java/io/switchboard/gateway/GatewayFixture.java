package io.switchboard.gateway;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.cxone.CxoneOptions;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.sandbox.Sandbox;

/**
 * A sandbox on its own loopback port and a gateway pointed at it, as in production, with a
 * fast retry backoff so that tests do not wait for seconds. Close it after each test.
 */
final class GatewayFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    final Server sandbox;
    final Gateway gateway;
    final BlockingWebClient sandboxAdmin;
    final BlockingWebClient rest;

    GatewayFixture() {
        this(config -> config);
    }

    GatewayFixture(java.util.function.UnaryOperator<GatewayConfig> customize) {
        sandbox = Sandbox.builder().build().start("127.0.0.1", 0);
        final URI sandboxUri = URI.create("http://127.0.0.1:" + sandbox.activeLocalPort());
        gateway = Gateway.start(customize.apply(baseConfig().withGenesys(GenesysOptions.at(sandboxUri, Sandbox.DEFAULT_CLIENT))
                                                            .withCxone(CxoneOptions.at(sandboxUri, Sandbox.DEFAULT_CLIENT))));
        sandboxAdmin = WebClient.of(sandboxUri).blocking();
        rest = WebClient.of(gateway.uri()).blocking();
    }

    /** Returns the first of {@code names} that is an executable on PATH, or null. */
    static Path onPath(String... names) {
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                final Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** The built-in sandbox, as {@code serve} mounts it when no platform has credentials. */
    static Simulator simulator() {
        return new Simulator(Sandbox.DEFAULT_CLIENT, sb -> Sandbox.builder().build().mountOn(sb), Sandbox.PLATFORM_PATHS);
    }

    /** Loopback, a free port, a temporary data directory, 20 ms backoff. */
    static GatewayConfig baseConfig() {
        final Path dataDir;
        try {
            dataDir = Files.createTempDirectory("switchboard-it");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return GatewayConfig.defaults()
                            .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                            .withConnectionDrain(Duration.ZERO))
                            .withDataDir(dataDir)
                            .withRetry(GatewayConfig.Retry.defaults()
                                                          .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
    }

    String createSession() {
        return json(sandboxAdmin.post("/sandbox/v1/sessions", "")).get("sessionId").asText();
    }

    JsonNode events(String sessionId) {
        return json(sandboxAdmin.get("/sandbox/v1/sessions/" + sessionId + "/events"));
    }

    JsonNode stats() {
        return json(sandboxAdmin.get("/sandbox/v1/stats"));
    }

    void faults(String json) {
        final AggregatedHttpResponse r = sandboxAdmin.execute(
                HttpRequest.builder().put("/sandbox/v1/faults").content(MediaType.JSON, json).build());
        if (!r.status().isSuccess()) {
            throw new IllegalStateException("faults refused: " + r.contentUtf8());
        }
    }

    /** POSTs {@code body} as JSON, as the REST API requires. */
    AggregatedHttpResponse post(String path, String body) {
        return rest.execute(HttpRequest.builder().post(path)
                                       .content(MediaType.JSON, body).build());
    }

    /** GETs {@code path}. */
    AggregatedHttpResponse get(String path) {
        return rest.get(path);
    }

    CallControlGrpc.CallControlBlockingStub grpc() {
        return GrpcClients.newClient(gateway.uri(), CallControlGrpc.CallControlBlockingStub.class);
    }

    CallControlGrpc.CallControlFutureStub grpcFutures() {
        return GrpcClients.newClient(gateway.uri(), CallControlGrpc.CallControlFutureStub.class);
    }

    static JsonNode json(AggregatedHttpResponse response) {
        try {
            return JSON.readTree(response.contentUtf8());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + response.contentUtf8(), e);
        }
    }

    /** Stops both servers in the background: each stop spends Netty's 2 s quiet period. */
    @Override
    public void close() {
        gateway.closeAsync();
        sandbox.stop();
    }
}
