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
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreakerListener;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.common.prometheus.PrometheusMeterRegistries;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.healthcheck.HealthCheckService;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;

import io.lettuce.core.RedisClient;
import io.grpc.BindableService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.compliance.campaign.CampaignDncRules;
import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.core.calls.MuteVerifier;
import io.switchboard.core.resilience.RetryScheduler;
import io.switchboard.core.webhook.WebhookSender;
import io.switchboard.core.webhook.WebhookSignature;
import io.switchboard.core.auth.OAuth2TokenSource;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.internal.ApiKeyAuthenticator;
import io.switchboard.gateway.internal.BodyErrors;
import io.switchboard.gateway.internal.CallControlService;
import io.switchboard.gateway.internal.BadRequests;
import io.switchboard.gateway.internal.ComplianceService;
import io.switchboard.gateway.internal.FlowRuns;
import io.switchboard.gateway.internal.FlowsGrpcService;
import io.switchboard.gateway.internal.FlowsService;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.ivr.FlowEngine;
import io.switchboard.ivr.FlowLibrary;
import io.switchboard.ivr.FlowLoader;
import io.switchboard.ivr.MediaUrls;
import io.switchboard.platforms.cxone.CxoneCallControl;
import io.switchboard.gateway.internal.DncAdminService;
import io.switchboard.gateway.internal.DncImportService;
import io.switchboard.gateway.internal.ScrubMetrics;
import io.switchboard.gateway.internal.ValidateService;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.gateway.internal.JsonBodies;
import io.switchboard.gateway.internal.JsonErrorHandler;
import io.switchboard.gateway.internal.RequestIds;
import io.switchboard.gateway.internal.RecordingSync;
import io.switchboard.gateway.internal.RestErrorHandler;
import io.switchboard.gateway.internal.TimedUnmutes;
import io.switchboard.platforms.genesys.GenesysConversations;
import io.switchboard.platforms.genesys.GenesysOutbound;
import io.switchboard.platforms.genesys.GenesysEnvironment;
import io.switchboard.platforms.genesys.GenesysGrpcCallControl;
import io.switchboard.platforms.genesys.GenesysPlatformCallControl;
import io.switchboard.platforms.genesys.GenesysPlatformApi;
import io.switchboard.platforms.grpc.GrpcFailures;
import io.switchboard.sandbox.Sandbox;

/**
 * The Switchboard server: {@code switchboard.v1} over gRPC and REST/JSON on one port, with
 * {@code /health}, Prometheus {@code /metrics} and an API page at {@code /docs}.
 *
 * <p>Without Genesys credentials the platform simulator is mounted on the same port and the
 * adapters point at it, so the gateway works with no set-up at all.
 *
 * <p>Start one with {@link #start(GatewayConfig)}; {@link #close()} stops it gracefully,
 * letting in-flight requests finish within the configured grace period.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(Gateway.class);

    /** At shutdown, how long the server must see no active request before it stops (bounded by the grace). */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(500);

    /** The scope that campaign DNC rules need. */
    public static final String SCOPE_CAMPAIGNS_WRITE = "campaigns:write";

    /** The scope that contact scrubs ({@code /validate}) and DNC lookups need. */
    public static final String SCOPE_DNC_READ = "dnc:read";

    /** The scope that changes to the DNC store need. */
    public static final String SCOPE_DNC_WRITE = "dnc:write";

    /** The scope that call-control commands need. */
    public static final String SCOPE_CALLS_WRITE = "calls:write";

    private final GatewayConfig config;
    private final Server server;
    private final ClientFactory upstreamClients;
    private final PrometheusMeterRegistry meters;
    private final boolean sandbox;
    private final CircuitBreaker callControlBreaker;
    private final CircuitBreaker platformBreaker;
    private final AuditTrail audit;
    private final @Nullable TimedUnmutes unmutes;
    private final @Nullable RedisClient redis;
    private final PlatformClients clients;
    private final ComplianceService compliance;
    private final DncStore dncStore;
    private final LateMedia flows;
    private final FlowEngine flowEngine;

    /** The pending timed unmutes' file name in the data directory. */
    public static final String PENDING_UNMUTES_FILE = "pending-unmutes.json";

    /** The audit trail's file name in the data directory. */
    public static final String AUDIT_FILE = "audit.jsonl";

    /**
     * Starts a gateway with the system clock.
     *
     * @throws GatewayStartException if the configuration cannot be served, e.g. a non-loopback
     *         address without API keys, or a port in use
     */
    public static Gateway start(GatewayConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts a gateway that judges deadlines and token expiry by {@code clock}. */
    public static Gateway start(GatewayConfig config, Clock clock) {
        return new Gateway(requireNonNull(config, "config"), requireNonNull(clock, "clock"));
    }

    private Gateway(GatewayConfig config, Clock clock) {
        this.config = config;
        final GatewayConfig.Server listen = config.server();
        final ApiKeyAuthenticator auth = new ApiKeyAuthenticator(config.auth().apiKeys());
        if (!auth.enabled() && !isLoopback(listen.host())) {
            throw new GatewayStartException(
                    "refusing to listen on " + listen.host() + " without inbound credentials: configure "
                    + "auth.apiKeys (see docs/configuration.md), or listen on 127.0.0.1");
        }
        prepareDataDir(config);

        meters = PrometheusMeterRegistries.newRegistry();
        sandbox = !config.genesys().hasCredentials();
        audit = AuditTrail.open(config.dataDir().resolve(AUDIT_FILE), meters);
        final CallControlService callControl = new CallControlService(clock, config.commandTimeout(), meters, audit,
                                                                      config.mute().warnLatency());

        final GrpcService grpc = grpcService(callControl);
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
        // Decorators apply innermost first: request ids wrap everything, so that a 401 has one too.
        final RequestIds requestIds = new RequestIds();
        sb.service(grpc,
                   delegate -> delegate.decorate(new JsonBodies()),
                   delegate -> delegate.decorate(auth.requiring(SCOPE_CALLS_WRITE)),
                   MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")),
                   delegate -> delegate.decorate(requestIds));
        final ScrubEngine scrub;
        try {
            dncStore = DncStores.open(config);
        } catch (RuntimeException e) {
            audit.close();
            throw new GatewayStartException("cannot open the DNC store: " + rootMessage(e), e);
        }
        try {
            scrub = DncStores.engine(config, dncStore);
        } catch (IllegalArgumentException e) {
            dncStore.close();
            audit.close();
            throw new GatewayStartException(e.getMessage(), e);
        }
        final PhoneNumbers phoneNumbers = scrub.phoneNumbers();
        final ScrubMetrics scrubMetrics = new ScrubMetrics(meters);
        compliance = new ComplianceService(clock, config.commandTimeout(), meters, audit, phoneNumbers);
        compliance.bindScrubbing(new ComplianceService.Scrubbing(scrub, config.compliance().maxBatch(),
                                                                 config.compliance().scrubTimeout(), scrubMetrics));
        sb.service(grpcService(compliance),
                   delegate -> delegate.decorate(new JsonBodies()),
                   delegate -> delegate.decorate(auth.requiring(
                           ctx -> ctx.path().endsWith("/ValidateContacts") ? SCOPE_DNC_READ : SCOPE_CAMPAIGNS_WRITE)),
                   MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")),
                   delegate -> delegate.decorate(requestIds));
        sb.route().post("/validate")
          // A full batch with contact records' other fields can outgrow the default body limit.
          .maxRequestLength(Math.max(listen.maxRequestBytes(), config.compliance().maxBatch() * 512L))
          .decorator(auth.requiring(SCOPE_DNC_READ))
          .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")))
          .decorator(requestIds)
          .build(new ValidateService(scrub, clock, config.compliance().maxBatch(),
                                     config.compliance().scrubTimeout(), scrubMetrics));
        final java.util.function.Function<com.linecorp.armeria.server.ServiceRequestContext, String> dncScope =
                ctx -> ctx.method() == com.linecorp.armeria.common.HttpMethod.GET
                       || ctx.path().equals("/v1/dnc/check") ? SCOPE_DNC_READ : SCOPE_DNC_WRITE;
        sb.annotatedService()
          .decorator(auth.requiring(dncScope))
          .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")))
          .decorator(requestIds)
          .exceptionHandlers(new BadRequests(), new DncAdminService.StoreFailures())
          .build(new DncAdminService(dncStore, phoneNumbers, audit, clock));
        sb.annotatedService()
          .maxRequestLength(config.compliance().maxImportBytes())
          .decorator(auth.requiring(SCOPE_DNC_WRITE))
          .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")))
          .decorator(requestIds)
          .exceptionHandlers(new BadRequests(), new DncAdminService.StoreFailures())
          .build(new DncImportService(dncStore, phoneNumbers, audit, clock,
                                      config.dataDir().resolve("imports")));
        final MediaUrls mediaUrls = new MediaUrls(config.ivr().mediaHosts());
        final FlowLoader flowLoader = new FlowLoader(mediaUrls);
        flows = new LateMedia();
        flowEngine = new FlowEngine(flows, audit, clock, config.commandTimeout(), meters);
        final FlowRuns flowRuns = new FlowRuns(flowEngine, new FlowLibrary(flowLoader, config.ivr().flowsDir()),
                                               flowLoader);
        sb.annotatedService()
          .decorator(auth.requiring(SCOPE_CALLS_WRITE))
          .decorator(MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")))
          .decorator(requestIds)
          .exceptionHandlers(new BadRequests())
          .build(new FlowsService(flowRuns));
        sb.service(GrpcService.builder().addService(new FlowsGrpcService(flowRuns)).build(),
                   delegate -> delegate.decorate(auth.requiring(SCOPE_CALLS_WRITE)),
                   MetricCollectingService.newDecorator(MeterIdPrefixFunction.ofDefault("switchboard.http")),
                   delegate -> delegate.decorate(requestIds));
        sb.service("/health", HealthCheckService.of());
        sb.service("/metrics", PrometheusExpositionService.of(meters.getPrometheusRegistry()));
        sb.serviceUnder("/docs", DocService.builder()
                                           .exampleRequests(CallControlGrpc.SERVICE_NAME, "SendDtmf",
                                                            SendDtmfRequest.newBuilder().setSessionId("SESSION_ID")
                                                                           .setTones("12#").setDurationMs(100)
                                                                           .build())
                                           .exampleRequests(CallControlGrpc.SERVICE_NAME, "SetVolume",
                                                            SetVolumeRequest.newBuilder().setSessionId("SESSION_ID")
                                                                            .setVolume(0.5f).build())
                                           .build());
        // Either platform without credentials is served by the built-in sandbox, on this port.
        if (sandbox || !config.cxone().hasCredentials()) {
            Sandbox.builder().clock(clock).build().mountOn(sb);
        }
        server = sb.build();
        try {
            server.start().join();
        } catch (RuntimeException e) {
            audit.close();
            dncStore.close();
            throw new GatewayStartException("cannot listen on " + listen.host() + ':' + listen.port() + ": "
                                            + rootMessage(e), e);
        }

        upstreamClients = ClientFactory.builder().pingInterval(GenesysGrpcCallControl.KEEPALIVE_INTERVAL).build();
        redis = config.redis().url() != null ? RedisClient.create(config.redis().url().toString()) : null;
        clients = new PlatformClients(config, clock, meters, upstreamClients, redis);
        callControlBreaker = breaker("genesys-callcontrol");
        platformBreaker = breaker("genesys-platform");
        try {
            final GenesysPlatformApi platformApi = platformApi(clock);
            if (config.genesys().callControl() == GatewayConfig.CallControlApi.PLATFORM_API) {
                if (platformApi == null) {
                    throw new GatewayStartException("genesys.callControl: platform-api needs genesys.region "
                                                    + "(GENESYS_CLOUD_REGION)");
                }
                callControl.bind(new GenesysPlatformCallControl(platformApi));
            } else {
                callControl.bind(callControlPort(clock));
            }
            unmutes = bindMutes(callControl, platformApi, clock);
            final CxoneCallControl cxone = cxone();
            flows.bind(cxone);
            callControl.bindPrompts(cxone, mediaUrls);
            if (platformApi == null) {
                compliance.unsupported("campaign rules need the Genesys Cloud Platform API: set genesys.region "
                                       + "(GENESYS_CLOUD_REGION), e.g. us_east_1");
            } else {
                final GenesysOutbound outbound = new GenesysOutbound(platformApi);
                compliance.bind(new CampaignDncRules(outbound, outbound));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        logger.info("Switchboard listening on {} (gRPC and REST); platform: {}", uri(),
                    sandbox ? "built-in sandbox (no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET set)"
                            : config.genesys().callControl() == GatewayConfig.CallControlApi.PLATFORM_API
                              ? "Genesys Cloud Platform API in " + config.genesys().region()
                              : "Genesys Cloud call control at " + callControlTarget());
    }

    /**
     * Returns {@code service} served over gRPC and, through HTTP/JSON transcoding, over REST:
     * errors as JSON with the HTTP status of {@link io.switchboard.gateway.internal.StatusMapping},
     * unreadable bodies named, unknown fields refused (a misspelt option is never dropped), and
     * every field shown in answers, {@code "muted": false} included.
     */
    private static GrpcService grpcService(BindableService service) {
        return GrpcService.builder()
                          .addService(service)
                          .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                                                                               .errorHandler(new RestErrorHandler())
                                                                               .build())
                          .exceptionHandler(new BodyErrors().orElse(GrpcExceptionHandlerFunction.of()))
                          .jsonMarshallerFactory(descriptor -> GrpcJsonMarshaller.builder()
                                  .jsonMarshallerCustomizer(m -> m.ignoringUnknownFields(false)
                                                                  .includingDefaultValueFields(true))
                                  .build(descriptor))
                          .build();
    }

    private CircuitBreaker breaker(String name) {
        final GatewayConfig.Breaker b = config.breaker();
        return CircuitBreaker.builder(name)
                             .failureRateThreshold(b.failureRateThreshold())
                             .minimumRequestThreshold(b.minimumRequests())
                             .circuitOpenWindow(b.openWindow())
                             .trialRequestInterval(b.trialInterval())
                             .counterSlidingWindow(b.slidingWindow())
                             .listener(CircuitBreakerListener.metricCollecting(meters, "switchboard.circuit.breaker"))
                             .build();
    }

    /** Returns the Genesys Cloud Platform API client, or null without a region (and not on the sandbox). */
    private @Nullable GenesysPlatformApi platformApi(Clock clock) {
        final GatewayConfig.Genesys g = config.genesys();
        final String region = sandbox ? uri().toString() : g.region();
        if (region == null) {
            return null;
        }
        final GenesysEnvironment environment = GenesysEnvironment.of(region);
        final ClientCredentials credentials = sandbox ? Sandbox.DEFAULT_CLIENT
                                                      : new ClientCredentials(g.clientId(), g.clientSecret());
        return clients.genesysPlatformApi(environment, credentials, platformBreaker);
    }

    /**
     * Binds mute to the Platform API and resumes the timed unmutes a previous run left; without
     * the API, mute answers that it is not configured.
     */
    private @Nullable TimedUnmutes bindMutes(CallControlService callControl, @Nullable GenesysPlatformApi api,
                                             Clock clock) {
        if (api == null) {
            callControl.mutesUnsupported("mute needs the Genesys Cloud Platform API: set genesys.region "
                                         + "(GENESYS_CLOUD_REGION), e.g. us_east_1");
            return null;
        }
        final GatewayConfig.Mute m = config.mute();
        final MuteVerifier verifier = new MuteVerifier(new GenesysConversations(api), clock,
                                                       RetryScheduler.on(CommonPools.workerGroup()),
                                                       m.pollInterval(), m.readBackTimeout());
        final RecordingSync sync = recordingSync(clock);
        final TimedUnmutes timed = new TimedUnmutes(
                config.dataDir().resolve(PENDING_UNMUTES_FILE), clock, CommonPools.workerGroup(),
                (conversationId, participantId) -> verifier.setMuted(conversationId, participantId, false,
                                                                     clock.instant().plus(config.commandTimeout())),
                audit, m.unmuteRetry(), sync);
        callControl.bindMutes(new CallControlService.Mutes(verifier, timed, m.defaultMaxDuration(), sync));
        timed.resume();
        return timed;
    }

    private RecordingSync recordingSync(Clock clock) {
        final GatewayConfig.RecordingSync r = config.recordingSync();
        if (r.url() == null || r.secret() == null) {
            return RecordingSync.disabled();
        }
        return new RecordingSync(new WebhookSender("recording-sync", r.url(), new WebhookSignature(r.secret()),
                                                   config.retry().toPolicy(), r.timeout(), upstreamClients,
                                                   RetryScheduler.on(CommonPools.workerGroup()), clock, meters),
                                 clock);
    }

    /** The CXone call-control API: the tenant's, or the built-in sandbox's without credentials. */
    private CxoneCallControl cxone() {
        final GatewayConfig.Cxone c = config.cxone();
        if (!c.hasCredentials()) {
            return clients.cxone(uri(), Sandbox.DEFAULT_CLIENT, breaker("cxone"));
        }
        final URI base;
        if (c.baseUrl() != null) {
            base = c.baseUrl();
        } else if (c.tenant() != null) {
            try {
                base = CxoneCallControl.tenantBase(c.tenant());
            } catch (IllegalArgumentException e) {
                throw new GatewayStartException(e.getMessage());
            }
        } else {
            throw new GatewayStartException("cxone.tenant (CXONE_TENANT) or cxone.baseUrl is required with CXone "
                                            + "credentials");
        }
        return clients.cxone(base, new ClientCredentials(c.clientId(), c.clientSecret()), breaker("cxone"));
    }

    /**
     * The media port flows run on, bound once the upstream clients exist (after the server has
     * started and its address is known); until then every call fails as unavailable.
     */
    private static final class LateMedia implements MediaPort {
        private volatile @Nullable MediaPort media;

        void bind(MediaPort media) {
            this.media = media;
        }

        private MediaPort media() {
            final MediaPort m = media;
            if (m == null) {
                throw new IllegalStateException("the gateway is starting");
            }
            return m;
        }

        @Override
        public CompletableFuture<CallStatus> status(String callId, java.time.Instant deadline) {
            return media().status(callId, deadline);
        }

        @Override
        public CompletableFuture<Played> play(String callId, Prompt prompt, java.time.Instant deadline) {
            return media().play(callId, prompt, deadline);
        }

        @Override
        public CompletableFuture<Collected> collect(String callId, Collection collection,
                                                    java.time.Instant deadline) {
            return media().collect(callId, collection, deadline);
        }
    }

    private GenesysGrpcCallControl callControlPort(Clock clock) {
        final GatewayConfig.Genesys g = config.genesys();
        final ClientCredentials credentials = sandbox ? Sandbox.DEFAULT_CLIENT
                                                      : new ClientCredentials(g.clientId(), g.clientSecret());
        final URI oauthUrl;
        if (sandbox) {
            oauthUrl = uri().resolve("/oauth/token");
        } else if (g.oauthUrl() != null) {
            oauthUrl = g.oauthUrl();
        } else {
            throw new GatewayStartException("genesys.oauthUrl (GENESYS_OAUTH_URL) is required with Genesys "
                                            + "credentials, e.g. https://login.mypurecloud.com/oauth/token");
        }
        final OAuth2TokenSource tokens = clients.tokenSource(oauthUrl, credentials, OAuth2TokenSource.Style.FORM,
                                                             "genesys-oauth");
        final ResilientInvoker invoker = ResilientInvoker.builder("genesys-callcontrol")
                                                         .tokenSource(tokens)
                                                         .classifier(new GrpcFailures(clock))
                                                         .retryPolicy(config.retry().toPolicy())
                                                         .circuitBreaker(callControlBreaker)
                                                         .clock(clock)
                                                         .meterRegistry(meters)
                                                         .build();
        return GenesysGrpcCallControl.builder(callControlTarget(), invoker)
                                     .clock(clock)
                                     .clientFactory(upstreamClients)
                                     .build();
    }

    private URI callControlTarget() {
        final GatewayConfig.Genesys g = config.genesys();
        if (sandbox) {
            return uri();
        }
        if (g.callControlTarget() != null) {
            return g.callControlTarget();
        }
        if (g.subdomain() != null) {
            return GenesysGrpcCallControl.targetForSubdomain(g.subdomain());
        }
        throw new GatewayStartException("genesys.subdomain (GENESYS_SUBDOMAIN) or genesys.callControlTarget is "
                                        + "required with Genesys credentials");
    }

    /** Returns the configuration the gateway runs with. */
    public GatewayConfig config() {
        return config;
    }

    /** Returns the port the gateway listens on. */
    public int port() {
        return server.activeLocalPort();
    }

    /** Returns the gateway's base URI, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        final String host = config.server().host();
        final String authority = host.contains(":") ? '[' + host + ']' : host;
        return URI.create("http://" + authority + ':' + port());
    }

    /** Returns whether the built-in sandbox serves the platform APIs. */
    public boolean usesSandbox() {
        return sandbox;
    }

    /** Returns the circuit breaker guarding the call-control upstream. */
    public CircuitBreaker callControlBreaker() {
        return callControlBreaker;
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

    /** Starts {@link #close()} and returns at once; the future completes when the gateway has stopped. */
    public CompletableFuture<Void> closeAsync() {
        if (unmutes != null) {
            unmutes.close();
        }
        // Flows do not outlive the gateway: a run cut off mid-call is cancelled, and says so.
        final int cancelled = flowEngine.cancelAll();
        if (cancelled > 0) {
            logger.warn("shutting down: cancelled {} IVR flow runs still going", cancelled);
        }
        return server.stop().whenComplete((ignored, error) -> {
            if (upstreamClients != null) {
                upstreamClients.closeAsync();
            }
            // After the server: the last in-flight commands are audited before the trail closes.
            audit.close();
            dncStore.close();
            if (redis != null) {
                redis.shutdownAsync();
            }
        }).thenApply(ignored -> null);
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
