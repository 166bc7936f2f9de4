package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.common.CommonPools;

import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.auth.OAuth2TokenSource;
import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.resilience.BucketRateLimiter;
import io.switchboard.core.resilience.RateLimiter;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.platforms.Capability;
import io.switchboard.platforms.Platform;
import io.switchboard.platforms.PlatformContext;
import io.switchboard.platforms.UpstreamAddress;
import io.switchboard.platforms.grpc.GrpcFailures;

/**
 * Genesys Cloud: call control over the gRPC contract (or the Platform API's digits), and,
 * with a region, the Platform API's conversations, DNC lists and campaigns. Builds its token
 * sources, invokers, breakers ({@code genesys-callcontrol}, {@code genesys-platform}) and the
 * Platform API's rate limit (per OAuth client; shared through Redis when there is one).
 */
public final class GenesysPlatform implements Platform {

    /** The platform's name under {@code routes:}. */
    public static final String NAME = "genesys";

    /** What a gateway without Genesys credentials answers for the capabilities routed here. */
    public static final String NOT_CONFIGURED =
            "genesys is not configured: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (and GENESYS_CLOUD_REGION "
            + "for mute, DNC lists and campaigns)";

    /** How long one token request may take. */
    private static final java.time.Duration TOKEN_REQUEST_TIMEOUT = java.time.Duration.ofSeconds(15);

    private static final String NO_REGION = "needs the Genesys Cloud Platform API: set genesys.region "
                                            + "(GENESYS_CLOUD_REGION), e.g. us_east_1";

    private final String destination;
    private final boolean simulated;
    private final @Nullable GenesysPlatformApi api;
    private final CallControlPort callControl;
    private final List<CircuitBreaker> breakers = new ArrayList<>();

    /**
     * Where each Genesys API is reached.
     *
     * @param api the Platform API, or null without a region
     * @param login where the Platform API's token endpoint {@code loginToken} is
     * @param callControl the gRPC call-control target, or null when the Platform API carries call control
     * @param oauth where the gRPC contract's token endpoint {@code oauthToken} is
     */
    private record Addresses(@Nullable UpstreamAddress api, @Nullable UpstreamAddress login, @Nullable URI loginToken,
                             @Nullable UpstreamAddress callControl, @Nullable UpstreamAddress oauth,
                             @Nullable URI oauthToken) {}

    /**
     * Connects to the organisation {@code options} describe.
     *
     * @throws IllegalArgumentException naming the setting that is missing or cannot be used
     */
    public static GenesysPlatform connect(GenesysOptions options, PlatformContext context) {
        requireNonNull(options, "options");
        requireNonNull(context, "context");
        if (!options.hasCredentials()) {
            throw new IllegalArgumentException(NOT_CONFIGURED);
        }
        UpstreamAddress api = null;
        UpstreamAddress login = null;
        URI loginToken = null;
        if (options.region() != null) {
            final GenesysEnvironment env = GenesysEnvironment.of(options.region());
            api = UpstreamAddress.of(env.apiBase());
            loginToken = env.tokenUri();
            login = UpstreamAddress.of(origin(loginToken));
        }
        UpstreamAddress callControl = null;
        UpstreamAddress oauth = null;
        URI oauthToken = null;
        if (options.callControl() == GenesysOptions.CallControlApi.GRPC) {
            callControl = grpcTarget(options);
            oauthToken = requiredOauthUrl(options);
            oauth = UpstreamAddress.of(origin(oauthToken));
        }
        return new GenesysPlatform(options, context, new Addresses(api, login, loginToken, callControl, oauth,
                                                                   oauthToken), false);
    }

    /**
     * Connects to a simulator of every Genesys API at {@code simulator} (an address that may
     * learn its port later), as {@code client}; {@link #simulated()} says so.
     */
    public static GenesysPlatform simulated(UpstreamAddress simulator, ClientCredentials client,
                                            GenesysOptions options, PlatformContext context) {
        requireNonNull(simulator, "simulator");
        final URI token = simulator.show("/oauth/token");
        final boolean grpc = options.callControl() == GenesysOptions.CallControlApi.GRPC;
        return new GenesysPlatform(options.withClient(client), requireNonNull(context, "context"),
                                   new Addresses(simulator, simulator, token, grpc ? simulator : null,
                                                 grpc ? simulator : null, grpc ? token : null), true);
    }

    private GenesysPlatform(GenesysOptions options, PlatformContext context, Addresses at, boolean simulated) {
        this.simulated = simulated;
        final ClientCredentials client = options.client();
        if (at.api() != null && at.login() != null && at.loginToken() != null) {
            final ResilientInvoker invoker =
                    context.invoker("genesys-platform",
                                    tokens(options, context, client, at.loginToken(), at.login(),
                                           OAuth2TokenSource.Style.BASIC, "genesys-login"),
                                    GenesysPlatformApi.failures())
                           .rateLimiter(rateLimit(options, client, context))
                           .build();
            breakers.add(invoker.circuitBreaker());
            api = new GenesysPlatformApi(at.api(), invoker, context.clients(), context.clock());
        } else {
            api = null;
        }
        if (at.callControl() != null && at.oauth() != null && at.oauthToken() != null) {
            final ResilientInvoker invoker =
                    context.invoker("genesys-callcontrol",
                                    tokens(options, context, client, at.oauthToken(), at.oauth(),
                                           OAuth2TokenSource.Style.FORM, "genesys-oauth"),
                                    new GrpcFailures(context.clock()))
                           .build();
            breakers.add(invoker.circuitBreaker());
            callControl = GenesysGrpcCallControl.builder(at.callControl(), invoker)
                                                .clock(context.clock())
                                                .clientFactory(context.clients())
                                                .build();
            destination = "call control at " + at.callControl()
                          + (at.api() != null ? ", Platform API at " + at.api() : "");
        } else if (api != null) {
            callControl = new GenesysPlatformCallControl(api);
            destination = "Platform API at " + at.api();
        } else {
            throw new IllegalArgumentException("genesys.callControl: platform-api " + NO_REGION);
        }
    }

    private static OAuth2TokenSource tokens(GenesysOptions options, PlatformContext context, ClientCredentials client,
                                            URI tokenUri, UpstreamAddress origin, OAuth2TokenSource.Style style,
                                            String name) {
        return OAuth2TokenSource.builder(tokenUri, client)
                                .style(style)
                                .refreshMargin(options.tokenRefreshMargin())
                                .name(name)
                                .clock(context.clock())
                                .meterRegistry(context.meters())
                                .webClient(origin.webClient(context.clients())
                                                 .responseTimeout(TOKEN_REQUEST_TIMEOUT).build())
                                .build();
    }

    private static URI origin(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    private static UpstreamAddress grpcTarget(GenesysOptions options) {
        if (options.callControlTarget() != null) {
            return UpstreamAddress.of(options.callControlTarget());
        }
        if (options.subdomain() != null) {
            return UpstreamAddress.of(GenesysGrpcCallControl.targetForSubdomain(options.subdomain()));
        }
        throw new IllegalArgumentException("genesys.subdomain (GENESYS_SUBDOMAIN) or genesys.callControlTarget is "
                                           + "required with Genesys credentials");
    }

    private static URI requiredOauthUrl(GenesysOptions options) {
        if (options.oauthUrl() == null) {
            throw new IllegalArgumentException("genesys.oauthUrl (GENESYS_OAUTH_URL) is required with Genesys "
                                               + "credentials, e.g. https://login.mypurecloud.com/oauth/token");
        }
        return options.oauthUrl();
    }

    /** Genesys Cloud counts requests per OAuth client; so does this limiter. */
    private static RateLimiter rateLimit(GenesysOptions options, ClientCredentials client, PlatformContext context) {
        final BucketRateLimiter.Limit limit = BucketRateLimiter.Limit.perMinute(options.requestsPerMinute());
        if (context.redis() == null) {
            return BucketRateLimiter.local(limit, CommonPools.workerGroup());
        }
        return BucketRateLimiter.redis(limit, context.redis(), "switchboard:ratelimit:genesys:" + client.clientId(),
                                       CommonPools.workerGroup());
    }

    /** Returns the Platform API client, when a region is configured. */
    public Optional<GenesysPlatformApi> platformApi() {
        return Optional.ofNullable(api);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String destination() {
        return destination;
    }

    @Override
    public boolean simulated() {
        return simulated;
    }

    @Override
    public <P> Optional<P> port(Capability<P> capability) {
        if (capability == Capability.CALL_CONTROL) {
            return Optional.of(capability.cast(callControl));
        }
        if (api == null) {
            return Optional.empty();
        }
        if (capability == Capability.CONVERSATIONS) {
            return Optional.of(capability.cast(new GenesysConversations(api)));
        }
        if (capability == Capability.DNC_LISTS || capability == Capability.CAMPAIGNS) {
            return Optional.of(capability.cast(new GenesysOutbound(api)));
        }
        return Optional.empty();
    }

    @Override
    public String unavailable(Capability<?> capability) {
        if (capability == Capability.MEDIA) {
            return "genesys does not offer media (play, collect, flows): route media to cxone";
        }
        if (capability == Capability.CONVERSATIONS) {
            return "mute " + NO_REGION;
        }
        if (capability == Capability.DNC_LISTS || capability == Capability.CAMPAIGNS) {
            return "DNC lists and campaign rules " + NO_REGION;
        }
        return "genesys offers " + capability;
    }

    @Override
    public List<CircuitBreaker> breakers() {
        return List.copyOf(breakers);
    }

    @Override
    public String toString() {
        return "GenesysPlatform{" + destination + (simulated ? ", simulated" : "") + '}';
    }
}
