package io.switchboard.platforms.testing;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.platforms.cxone.CxoneCallControl;
import io.switchboard.platforms.cxone.CxoneOptions;
import io.switchboard.platforms.cxone.CxonePlatform;
import io.switchboard.sandbox.Sandbox;

/**
 * A sandbox on a loopback port and a CXone call-control client for it, with a fast retry
 * backoff, for integration tests: scripted calls are made with {@link #call(String...)}.
 */
public final class SandboxCxone implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final BlockingWebClient admin;
    private final CxoneCallControl cxone;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Starts a sandbox and builds a client for it. */
    public SandboxCxone() {
        server = Sandbox.builder().build().start("127.0.0.1", 0);
        final URI base = URI.create("http://127.0.0.1:" + server.activeLocalPort());
        admin = WebClient.of(base).blocking();
        cxone = CxonePlatform.connect(CxoneOptions.at(base, Sandbox.DEFAULT_CLIENT), Contexts.fast(meters))
                             .callControl();
    }

    /** Returns the CXone client, pointed at the sandbox. */
    public CxoneCallControl cxone() {
        return cxone;
    }

    /** Returns the token source's meters. */
    public SimpleMeterRegistry meters() {
        return meters;
    }

    /** Returns a client of the sandbox's admin API. */
    public BlockingWebClient admin() {
        return admin;
    }

    /** Creates a call whose caller gives {@code answers} in turn; returns its id. */
    public String call(String... answers) {
        final String body = JSON.createObjectNode().set("answers", JSON.valueToTree(List.of(answers))).toString();
        return parse(admin.execute(HttpRequest.builder().post("/sandbox/v1/cxone/calls")
                                             .content(MediaType.JSON, body).build()).contentUtf8())
                .get("callId").asText();
    }

    /** Returns the call's status, answers left and events, as the sandbox saw them. */
    public JsonNode read(String callId) {
        return parse(admin.get("/sandbox/v1/cxone/calls/" + callId).contentUtf8());
    }

    /** Makes the next {@code count} call-control requests answer 429 with Retry-After {@code seconds}. */
    public void rateLimit(int count, int seconds) {
        admin.execute(HttpRequest.builder().post("/sandbox/v1/cxone/faults")
                                 .content(MediaType.JSON, "{\"count\":" + count + ",\"retryAfterSeconds\":" + seconds
                                                          + '}').build());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** Stops the sandbox in the background. */
    @Override
    public void close() {
        server.stop();
    }
}
