package io.switchboard.sandbox;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

import com.linecorp.armeria.common.Http1HeaderNaming;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.healthcheck.HealthCheckService;

import io.netty.util.AsciiString;
import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.sandbox.internal.AdminService;
import io.switchboard.sandbox.internal.CallControlSimulator;
import io.switchboard.sandbox.internal.CxoneSimulator;
import io.switchboard.sandbox.internal.GenesysAdminService;
import io.switchboard.sandbox.internal.GenesysPlatformSimulator;
import io.switchboard.sandbox.internal.SandboxFull;
import io.switchboard.sandbox.internal.SandboxState;
import io.switchboard.sandbox.internal.TokenEndpoint;

/**
 * The platform simulator. It serves, at the platforms' real paths:
 * <ul>
 *   <li>{@code POST /oauth/token}: OAuth 2.0 client credentials, Basic or form;</li>
 *   <li>{@code genesyscloud.callcontrol.v1.CallControlService}: SendDtmf and SetVolume over gRPC;</li>
 *   <li>Genesys Cloud Platform API v2: read a call conversation, mute or unmute a participant,
 *       send a participant's digits;</li>
 *   <li>{@code /sandbox/v1/...}: the admin API (sessions, events, faults, stats).</li>
 * </ul>
 * Mount it on a server of your own with {@link #mountOn(ServerBuilder)}, or run it alone with
 * {@link #start(String, int)}. It accepts client id and secret {@code sandbox} unless told otherwise.
 */
public final class Sandbox {

    /**
     * The path prefixes of the emulated platform APIs, which authenticate with the simulator's
     * client and tokens (everything else is the admin API, under {@code /sandbox/v1/}).
     */
    public static final java.util.List<String> PLATFORM_PATHS = java.util.List.of(
            "/oauth/token", "/api/v2/", "/genesyscloud.callcontrol.v1.CallControlService/");

    /** How many objects of each kind the sandbox holds at most, by default. */
    public static final int DEFAULT_MAX_OBJECTS = 100_000;

    /** The client id and secret the sandbox accepts by default. */
    public static final ClientCredentials DEFAULT_CLIENT = new ClientCredentials("sandbox", "sandbox");

    /** Returns a builder with the defaults: client {@code sandbox}/{@code sandbox}, tokens valid 24 h. */
    public static Builder builder() {
        return new Builder();
    }

    private static final AsciiString CORRELATION_ID = AsciiString.of("inin-correlation-id");

    /** Writes HTTP/1.1 header names as Armeria does, but for {@code ININ-Correlation-Id}. */
    private static final Http1HeaderNaming GENESYS_HEADER_NAMING = name ->
            CORRELATION_ID.contentEqualsIgnoreCase(name) ? "ININ-Correlation-Id"
                                                         : Http1HeaderNaming.ofDefault().convert(name);

    private final SandboxState state;

    private Sandbox(Builder b) {
        state = new SandboxState(b.client, b.tokenLifetime, b.clock, b.maxObjects);
    }

    /**
     * Adds the sandbox's routes to {@code sb}; they do not collide with the gateway's. Also makes
     * {@code sb} spell {@code ININ-Correlation-Id} over HTTP/1.1 as Genesys Cloud does, since
     * clients such as the official SDK look the header up by that exact spelling.
     */
    public ServerBuilder mountOn(ServerBuilder sb) {
        requireNonNull(sb, "sb");
        sb.http1HeaderNaming(GENESYS_HEADER_NAMING);
        // Past its cap the sandbox answers 429 rather than growing without bound.
        for (Object service : java.util.List.of(new TokenEndpoint(state), new AdminService(state),
                                                new GenesysPlatformSimulator(state), new GenesysAdminService(state),
                                                new CxoneSimulator(state))) {
            sb.annotatedService().exceptionHandlers(new SandboxFull.Handler()).build(service);
        }
        return sb.service(GrpcService.builder()
                                     .addService(new CallControlSimulator(state))
                                     .build());
    }

    /**
     * Starts the sandbox alone on {@code host}:{@code port} (0 picks a free port), with a
     * {@code /health} endpoint. Plain HTTP/1.1 and HTTP/2 (h2c).
     */
    public Server start(String host, int port) {
        final ServerBuilder sb = Server.builder()
                                       .http(new java.net.InetSocketAddress(host, port))
                                       .service("/health", HealthCheckService.of());
        final Server server = mountOn(sb).build();
        server.start().join();
        return server;
    }

    /** Returns the client the sandbox accepts. */
    public ClientCredentials client() {
        return state.client();
    }

    /** Builds a {@link Sandbox}. */
    public static final class Builder {
        private ClientCredentials client = DEFAULT_CLIENT;
        private Duration tokenLifetime = Duration.ofHours(24);
        private Clock clock = Clock.systemUTC();
        private int maxObjects = DEFAULT_MAX_OBJECTS;

        private Builder() {}

        /**
         * Sets how many objects of each kind (sessions, CXone calls, conversations, DNC lists,
         * campaigns, tokens) the sandbox holds at most; creating one more answers 429.
         * Default {@value Sandbox#DEFAULT_MAX_OBJECTS}.
         */
        public Builder maxObjects(int maxObjects) {
            if (maxObjects < 1) {
                throw new IllegalArgumentException("maxObjects: " + maxObjects + " (expected: >= 1)");
            }
            this.maxObjects = maxObjects;
            return this;
        }

        /** Sets the client id and secret to accept. Default {@code sandbox}/{@code sandbox}. */
        public Builder client(ClientCredentials client) {
            this.client = requireNonNull(client, "client");
            return this;
        }

        /** Sets how long issued tokens are valid. Default 24 h (86,400 s, as Genesys Cloud). */
        public Builder tokenLifetime(Duration tokenLifetime) {
            requireNonNull(tokenLifetime, "tokenLifetime");
            if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
                throw new IllegalArgumentException("tokenLifetime: " + tokenLifetime + " (expected: > 0)");
            }
            this.tokenLifetime = tokenLifetime;
            return this;
        }

        /** Sets the clock for token expiry and event times. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Returns the sandbox. */
        public Sandbox build() {
            return new Sandbox(this);
        }
    }
}
