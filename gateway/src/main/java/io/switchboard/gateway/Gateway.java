package io.switchboard.gateway;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.common.prometheus.PrometheusMeterRegistries;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;

import io.lettuce.core.AbstractRedisClient;
import io.switchboard.core.redis.RedisEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.internal.ApiCapability;
import io.switchboard.gateway.internal.ApiKeyAuthenticator;
import io.switchboard.gateway.internal.AuthFailures;
import io.switchboard.gateway.internal.CallControlApi;
import io.switchboard.gateway.internal.ComplianceApi;
import io.switchboard.gateway.internal.FlowsApi;
import io.switchboard.gateway.internal.JsonErrorHandler;
import io.switchboard.gateway.internal.Readiness;
import io.switchboard.gateway.internal.RequestIds;
import io.switchboard.gateway.internal.RequestOrigins;
import io.switchboard.gateway.internal.Resources;
import io.switchboard.gateway.internal.Scopes;
import io.switchboard.gateway.internal.SelfEndpoint;
import io.switchboard.gateway.internal.Wiring;
import io.switchboard.platforms.Capability;
import io.switchboard.platforms.Platform;
import io.switchboard.platforms.UpstreamAddress;
import io.switchboard.platforms.genesys.GenesysGrpcCallControl;

/**
 * The Switchboard server: {@code switchboard.v1} over gRPC and REST/JSON on one port, with
 * liveness ({@code /health/live}), readiness ({@code /health/ready}, also {@code /health}),
 * Prometheus {@code /metrics} and an API page at {@code /docs}.
 *
 * <p>This is the composition root. It builds, in order: the platforms (each through its
 * provider, from its own options), the capabilities with every port they need (call control,
 * compliance, flows; a capability no platform serves answers "not configured"), then the
 * server, with request ids, metrics and API-key authentication applied once around every
 * route. A {@link Simulator} is mounted only when the caller passes one; the platforms' clients
 * then reach it on this server's own port, resolved once the server listens.
 *
 * <p>{@link #close()} turns readiness to 503 first, then lets in-flight requests finish within
 * {@code server.shutdownGrace}, then closes every resource, the last opened first.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Gateway.class);

    /** At shutdown, how long the server must see no active request before it stops (bounded by the grace). */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(500);

    /** The scope that campaign DNC rules need. */
    public static final String SCOPE_CAMPAIGNS_WRITE = Scopes.CAMPAIGNS_WRITE;

    /** The scope that contact scrubs ({@code /validate}) and DNC lookups need. */
    public static final String SCOPE_DNC_READ = Scopes.DNC_READ;

    /** The scope that changes to the DNC store need. */
    public static final String SCOPE_DNC_WRITE = Scopes.DNC_WRITE;

    /** The scope that call-control commands need. */
    public static final String SCOPE_CALLS_WRITE = Scopes.CALLS_WRITE;

    /** The pending timed unmutes' file name in the data directory. */
    public static final String PENDING_UNMUTES_FILE = CallControlApi.PENDING_UNMUTES_FILE;

    /** The audit trail's file name in the data directory. */
    public static final String AUDIT_FILE = "audit.jsonl";

    /** The routes anyone may call, keys or not: probes, metrics and the API page. */
    private static final Set<String> PUBLIC_PATHS = Set.of("/health", "/health/live", "/health/ready", "/metrics");

    /** The parts of the API a gateway can serve; a test may start one alone on a real server. */
    public enum Feature {
        /** {@code switchboard.v1.CallControl}: DTMF, volume, mute, play, collect. */
        CALL_CONTROL,
        /** {@code /validate}, {@code switchboard.v1.Compliance}, the DNC admin API. */
        COMPLIANCE,
        /** IVR flows over REST and gRPC. */
        FLOWS,
    }

    private final GatewayConfig config;
    private final Resources resources = new Resources();
    private final Readiness readiness = new Readiness();
    /** How often readiness is checked for {@code switchboard_ready}, besides each {@code /health/ready}. */
    private static final Duration READINESS_EXPORT_EVERY = Duration.ofSeconds(10);
    private final java.util.concurrent.ScheduledFuture<?> readinessExport;
    private final List<ApiCapability> capabilities = new ArrayList<>();
    private final PrometheusMeterRegistry meters;
    private final Map<String, Platform> platforms;
    private final @Nullable Simulator simulator;
    private final Server server;

    /**
     * Starts a gateway with the system clock, the real platforms its configuration has
     * credentials for, and every feature.
     *
     * @throws GatewayStartException if the configuration cannot be served, e.g. a non-loopback
     *         address without API keys, or a port in use
     */
    public static Gateway start(GatewayConfig config) {
        return builder(config).start();
    }

    /** Starts a gateway that judges deadlines and token expiry by {@code clock}. */
    public static Gateway start(GatewayConfig config, Clock clock) {
        return builder(config).clock(clock).start();
    }

    /** Returns a builder of a gateway for {@code config}. */
    public static Builder builder(GatewayConfig config) {
        return new Builder(config);
    }

    private Gateway(Builder b) {
        config = b.config;
        simulator = b.simulator;
        final GatewayConfig.Server listen = config.server();
        if (config.auth().apiKeys().isEmpty() && !isLoopback(listen.host())) {
            throw new GatewayStartException(
                    "refusing to listen on " + listen.host() + " without inbound credentials: configure "
                    + "auth.apiKeys (see docs/configuration.md), or listen on 127.0.0.1");
        }
        prepareDataDir(config);
        meters = PrometheusMeterRegistries.newRegistry();
        Server built = null;
        try {
            final AuditTrail audit = resources.add("audit trail",
                                                   AuditTrail.open(config.dataDir().resolve(AUDIT_FILE), meters));
            final ClientFactory upstreamClients = resources.add(
                    "upstream clients",
                    ClientFactory.builder().pingInterval(GenesysGrpcCallControl.KEEPALIVE_INTERVAL).build());
            final RedisEndpoint endpoint = config.redis().endpoint();
            final AbstractRedisClient redis = endpoint != null ? endpoint.newClient(config.commandTimeout()) : null;
            if (redis != null) {
                resources.add("redis client", () -> RedisEndpoint.shutdown(redis));
            }
            final SelfEndpoint self = simulator != null ? resources.add("self endpoint", new SelfEndpoint()) : null;
            try {
                platforms = Platforms.connect(
                        config, Platforms.context(config, b.clock, meters, upstreamClients, redis),
                        self == null ? null
                                     // Shown only in logs: the port is this server's own, known once it listens.
                                     : new Platforms.SimulatedAt(UpstreamAddress.of(SessionProtocol.HTTP, self,
                                                                                    "http://gateway.self"),
                                                                 simulator.client()));
            } catch (IllegalArgumentException e) {
                throw new GatewayStartException(e.getMessage(), e);
            }
            for (Platform p : platforms.values()) {
                p.breakers().forEach(readiness::add);
            }
            final Wiring wiring = new Wiring(config, b.clock, meters, audit, upstreamClients, platforms, resources,
                                             readiness, redis);
            try {
                if (b.features.contains(Feature.CALL_CONTROL)) {
                    capabilities.add(new CallControlApi(wiring));
                }
                if (b.features.contains(Feature.COMPLIANCE)) {
                    capabilities.add(new ComplianceApi(wiring));
                }
                if (b.features.contains(Feature.FLOWS)) {
                    capabilities.add(new FlowsApi(wiring, capabilities.stream()
                                                                      .filter(ComplianceApi.class::isInstance)
                                                                      .map(c -> ((ComplianceApi) c).optOuts())
                                                                      .findFirst().orElse(null)));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new GatewayStartException(e.getMessage(), e);
            }
            final ApiKeyAuthenticator auth = new ApiKeyAuthenticator(config.auth().apiKeys(),
                                                                     new AuthFailures(meters, audit, b.clock));
            final Server candidate = buildServer(auth).build();
            try {
                candidate.start().join();
            } catch (RuntimeException e) {
                throw new GatewayStartException("cannot listen on " + listen.host() + ':' + listen.port() + ": "
                                                + rootMessage(e), e);
            }
            built = candidate;
            if (self != null) {
                self.resolve(connectHost(listen.host()), candidate.activeLocalPort());
            }
            capabilities.forEach(ApiCapability::started);
        } catch (RuntimeException e) {
            // Nothing half-started survives: the server stops before what it serves is closed.
            capabilities.forEach(c -> {
                try {
                    c.stopping();
                } catch (RuntimeException ignored) {
                    // already failing: the first error is the one to report
                }
            });
            if (built != null) {
                built.stop().join();
            }
            resources.close();
            throw e instanceof GatewayStartException g ? g
                                                       : new GatewayStartException("cannot start: " + rootMessage(e), e);
        }
        server = built;
        readiness.enter(Readiness.Phase.SERVING);
        readinessExport = readiness.export(meters, com.linecorp.armeria.common.CommonPools.blockingTaskExecutor(),
                                           READINESS_EXPORT_EVERY);
        banner().forEach(line -> logger.info("{}", line));
    }

    private ServerBuilder buildServer(ApiKeyAuthenticator auth) {
        final GatewayConfig.Server listen = config.server();
        final ServerBuilder sb = Server.builder()
                                       .http(new InetSocketAddress(listen.host(), listen.port()))
                                       .requestTimeout(listen.requestTimeout())
                                       .maxRequestLength(listen.maxRequestBytes())
                                       .meterRegistry(meters)
                                       .errorHandler(new JsonErrorHandler())
                                       .connectionDrainDuration(listen.connectionDrain())
                                       // Armeria's quiet period is how long active requests get to end; the
                                       // grace is the limit after which the server stops regardless.
                                       .gracefulShutdownTimeout(min(QUIET_PERIOD, listen.shutdownGrace()),
                                                                listen.shutdownGrace());
        for (ApiCapability c : capabilities) {
            c.mount(sb);
        }
        if (simulator != null) {
            simulator.mount().accept(sb);
        }
        io.switchboard.gateway.internal.Reflection.mount(sb);
        // Read-only routes answer GET and HEAD; any other method is 405.
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/health/live").build((ctx, req) -> HttpResponse.of(
                com.linecorp.armeria.common.HttpStatus.OK, com.linecorp.armeria.common.MediaType.JSON_UTF_8,
                "{\"live\":true}"));
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/health/ready").build(readiness);
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/health").build(readiness);
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/metrics")
          .build(PrometheusExpositionService.of(meters.getPrometheusRegistry()));
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path(io.switchboard.gateway.internal.OpenApiDocument.PATH)
          .build(io.switchboard.gateway.internal.OpenApiDocument.service());
        final HttpService page = io.switchboard.gateway.internal.ApiPage.index(version());
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/docs/").build(page);
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path("/docs/index.html").build(page);
        sb.serviceUnder("/docs", io.switchboard.gateway.internal.ApiPage.build(version()));
        // Once, around every route, as one decorator (each global decorator costs a route lookup
        // per request): request ids outermost (a 401 carries one too), then metrics, then
        // authentication (a caller without a key learns nothing more), then the Host and
        // Content-Type checks.
        final RequestIds requestIds = new RequestIds();
        final List<String> hostnames = new ArrayList<>(listen.hostnames());
        if (simulator != null && !hostnames.isEmpty()) {
            // The platform clients reach the simulator on this server, by the address they resolved.
            final String self = connectHost(listen.host());
            hostnames.add(self.contains(":") ? '[' + self + ']' : self);
        }
        final RequestOrigins origins = new RequestOrigins(
                hostnames, isLoopback(listen.host()), PUBLIC_PATHS::contains, this::apiRoute);
        final DecoratingHttpServiceFunction authenticate = auth.requiring(this::scopeOf);
        final List<String> corsOrigins = listen.cors().allowedOrigins();
        final java.util.function.Function<? super HttpService, CorsService> cors =
                corsOrigins.isEmpty() ? null
                                      : CorsService.builder(corsOrigins)
                                                   .allowRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
                                                                        HttpMethod.DELETE)
                                                   .allowRequestHeaders(HttpHeaderNames.AUTHORIZATION,
                                                                        HttpHeaderNames.CONTENT_TYPE,
                                                                        HttpHeaderNames.of(RequestIds.HEADER),
                                                                        HttpHeaderNames.of("idempotency-key"))
                                                   .exposeHeaders(HttpHeaderNames.of(RequestIds.HEADER))
                                                   .newDecorator();
        sb.decorator(service -> {
            final HttpService decorated = metered(service.decorate(origins).decorate(authenticate))
                    .decorate(requestIds);
            // CORS outermost: a preflight is answered before authentication, as browsers send no key with it.
            return cors == null ? decorated : cors.apply(decorated);
        });
        return sb;
    }

    /** Returns {@code delegate} with request metrics ({@code switchboard_http_*}), but for probes, metrics and docs. */
    private static HttpService metered(HttpService delegate) {
        final HttpService metered = MetricCollectingService.newDecorator(
                MeterIdPrefixFunction.ofDefault("switchboard.http")).apply(delegate);
        return new SimpleDecoratingHttpService(delegate) {
            @Override
            public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
                return isPublic(ctx.path()) ? unwrap().serve(ctx, req) : metered.serve(ctx, req);
            }
        };
    }

    /** Returns Switchboard's version, from the jar's manifest, or "development build" when run from classes. */
    public static String version() {
        final String v = Gateway.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }

    private static boolean isPublic(String path) {
        // The API's description, like the page: the same as the published .proto files.
        return PUBLIC_PATHS.contains(path) || path.equals("/docs") || path.startsWith("/docs/")
               || path.equals(io.switchboard.gateway.internal.OpenApiDocument.PATH)
               || io.switchboard.gateway.internal.Reflection.PATHS.contains(path);
    }

    /** Returns whether a request is for the gateway's own API or the simulator's admin API: JSON bodies only. */
    private boolean apiRoute(ServiceRequestContext ctx) {
        for (ApiCapability c : capabilities) {
            if (c.scopeOf(ctx).isPresent()) {
                return true;
            }
        }
        return simulator != null && !simulator.isPlatformPath(ctx.path());
    }

    /** Returns the scope a request needs: its capability's, none for public routes, any key for the rest. */
    private @Nullable String scopeOf(ServiceRequestContext ctx) {
        final String path = ctx.path();
        if (isPublic(path)) {
            return null;
        }
        for (ApiCapability c : capabilities) {
            final Optional<String> scope = c.scopeOf(ctx);
            if (scope.isPresent()) {
                return scope.get();
            }
        }
        if (simulator != null && simulator.isPlatformPath(path)) {
            return null; // the simulator's own client and tokens, as on the real platform
        }
        // The simulator's admin routes, and any path that is not a route: a known key, whatever its scopes.
        return ApiKeyAuthenticator.ANY_KEY;
    }

    /**
     * Returns the start-up banner: where the gateway listens, each platform and where its
     * commands go (a real host, the built-in simulator, or not configured), and which platform
     * serves each capability.
     */
    public List<String> banner() {
        final List<String> lines = new ArrayList<>();
        lines.add("Switchboard listening on " + uri() + " (gRPC and REST); API page: " + uri() + "/docs");
        for (Platform p : platforms.values()) {
            lines.add("  platform " + p.name() + ": " + (p.simulated() ? "SIMULATED by the built-in sandbox on "
                                                                         + "this port"
                                                                       : p.destination()));
        }
        for (Capability<?> c : Capability.ALL) {
            final String route = config.routes().platformFor(c);
            final Platform p = platforms.get(route);
            lines.add("  " + c.name() + " -> " + route
                      + (p.port(c).isPresent() ? "" : " (unavailable: " + p.unavailable(c) + ')'));
        }
        return lines;
    }

    /** Returns the configuration the gateway runs with. */
    public GatewayConfig config() {
        return config;
    }

    /** Returns the port the gateway listens on. */
    public int port() {
        return server.activeLocalPort();
    }

    /**
     * Returns every route the server serves, as {@code METHOD pattern} (Armeria's pattern:
     * {@code /v1/attempts/:attemptId}, or {@code /v1/sessions/{session_id}/dtmf} for routes
     * transcoded from gRPC): what the OpenAPI document is checked against.
     */
    public List<String> routes() {
        final List<String> routes = new ArrayList<>();
        for (com.linecorp.armeria.server.ServiceConfig c : server.serviceConfigs()) {
            for (HttpMethod m : c.route().methods()) {
                routes.add(m + " " + c.route().patternString());
            }
        }
        return routes;
    }

    /** Returns the gateway's base URI, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        final String host = config.server().host();
        final String authority = host.contains(":") ? '[' + host + ']' : host;
        return URI.create("http://" + authority + ':' + port());
    }

    /** Returns whether a simulator serves the platform APIs. */
    public boolean usesSandbox() {
        return simulator != null;
    }

    /** Returns the platform named {@code name} ({@code genesys}, {@code cxone}). */
    public Optional<Platform> platform(String name) {
        return Optional.ofNullable(platforms.get(name));
    }

    /** Returns the circuit breaker named {@code name}, e.g. {@code genesys-callcontrol}, if a platform has it. */
    public Optional<CircuitBreaker> breaker(String name) {
        return platforms.values().stream().flatMap(p -> p.breakers().stream())
                        .filter(b -> b.name().equals(name)).findFirst();
    }

    /** Returns the registry behind {@code /metrics}. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Stops accepting requests, lets in-flight ones finish within the grace period, and closes. */
    @Override
    public void close() {
        closeAsync().join();
    }

    /**
     * Starts {@link #close()} and returns at once; the future completes when the gateway has
     * stopped. Readiness answers 503 from the first moment.
     */
    public CompletableFuture<Void> closeAsync() {
        readiness.enter(Readiness.Phase.DRAINING);
        readinessExport.cancel(false);
        capabilities.forEach(ApiCapability::stopping);
        // After the server: the last in-flight commands are audited before the trail closes.
        return server.stop().whenComplete((ignored, error) -> resources.close()).thenApply(ignored -> null);
    }

    private static String connectHost(String listenHost) {
        try {
            final InetAddress address = InetAddress.getByName(listenHost);
            if (address.isAnyLocalAddress()) {
                return address instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static void prepareDataDir(GatewayConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new GatewayStartException("dataDir: cannot create " + config.dataDir().toAbsolutePath() + ": "
                                            + e.getMessage(), new UncheckedIOException(e));
        }
        if (!Files.isWritable(config.dataDir())) {
            throw new GatewayStartException("dataDir: " + config.dataDir().toAbsolutePath() + " is not writable");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new GatewayStartException("server.host: \"" + host + "\" (expected: an address or a resolvable name)");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Builds and starts a {@link Gateway}. */
    public static final class Builder {
        private final GatewayConfig config;
        private Clock clock = Clock.systemUTC();
        private @Nullable Simulator simulator;
        private final EnumSet<Feature> features = EnumSet.allOf(Feature.class);

        private Builder(GatewayConfig config) {
            this.config = requireNonNull(config, "config");
        }

        /** Sets the clock that judges deadlines and token expiry. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Mounts {@code simulator} on the gateway's port and sends every platform's commands to
         * it. Default: none; platforms without credentials answer "not configured".
         */
        public Builder simulator(Simulator simulator) {
            this.simulator = requireNonNull(simulator, "simulator");
            return this;
        }

        /** Serves only {@code features}. Default: all of them. */
        public Builder features(Set<Feature> features) {
            if (features.isEmpty()) {
                throw new IllegalArgumentException("features: [] (expected: at least one of "
                                                   + EnumSet.allOf(Feature.class) + ')');
            }
            this.features.clear();
            this.features.addAll(features);
            return this;
        }

        /**
         * Starts the gateway.
         *
         * @throws GatewayStartException if the configuration cannot be served
         */
        public Gateway start() {
            return new Gateway(this);
        }
    }

    /** Reports a gateway that could not start; the message says why and what to change. */
    public static final class GatewayStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GatewayStartException(String message) {
            super(message);
        }

        GatewayStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
