package io.switchboard.platforms.cxone;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;

import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.auth.OAuth2TokenSource;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.platforms.Capability;
import io.switchboard.platforms.Platform;
import io.switchboard.platforms.PlatformContext;
import io.switchboard.platforms.UpstreamAddress;

/**
 * NICE CXone: prompts and digit collection over the call-control REST contract, and so IVR
 * flows. Builds its token source (a JSON grant with the contract's scopes, renewed a minute
 * early), invoker and breaker ({@code cxone}).
 */
public final class CxonePlatform implements Platform {

    /** The platform's name under {@code routes:}. */
    public static final String NAME = "cxone";

    /** What a gateway without CXone credentials answers for the capabilities routed here. */
    public static final String NOT_CONFIGURED =
            "cxone is not configured: set CXONE_CLIENT_ID and CXONE_CLIENT_SECRET (and CXONE_TENANT or CXONE_BASE_URL)";

    private static final Duration TOKEN_REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final UpstreamAddress base;
    private final boolean simulated;
    private final CxoneCallControl media;
    private final CircuitBreaker breaker;

    /**
     * Connects to the tenant {@code options} describe.
     *
     * @throws IllegalArgumentException naming the setting that is missing or cannot be used
     */
    public static CxonePlatform connect(CxoneOptions options, PlatformContext context) {
        requireNonNull(options, "options");
        if (!options.hasCredentials()) {
            throw new IllegalArgumentException(NOT_CONFIGURED);
        }
        final URI base;
        if (options.baseUrl() != null) {
            base = options.baseUrl();
        } else if (options.tenant() != null) {
            base = CxoneCallControl.tenantBase(options.tenant());
        } else {
            throw new IllegalArgumentException("cxone.tenant (CXONE_TENANT) or cxone.baseUrl is required with CXone "
                                               + "credentials");
        }
        return new CxonePlatform(UpstreamAddress.of(base), options.client(), requireNonNull(context, "context"),
                                 false);
    }

    /** Connects to a simulator of the CXone API at {@code simulator}, as {@code client}. */
    public static CxonePlatform simulated(UpstreamAddress simulator, ClientCredentials client,
                                          PlatformContext context) {
        return new CxonePlatform(requireNonNull(simulator, "simulator"), requireNonNull(client, "client"),
                                 requireNonNull(context, "context"), true);
    }

    private CxonePlatform(UpstreamAddress base, ClientCredentials client, PlatformContext context, boolean simulated) {
        this.base = base;
        this.simulated = simulated;
        final OAuth2TokenSource tokens =
                OAuth2TokenSource.builder(base.show("/api/v2/oauth2/token"), client)
                                 .style(OAuth2TokenSource.Style.JSON)
                                 .scope(CxoneCallControl.SCOPE)
                                 .refreshMargin(CxoneCallControl.TOKEN_REFRESH_MARGIN)
                                 .name("cxone-oauth")
                                 .clock(context.clock())
                                 .meterRegistry(context.meters())
                                 // The token URI carries the base path already: its client is at the origin.
                                 .webClient(new UpstreamAddress(base.protocol(), base.endpoints(), "", base.display())
                                                    .webClient(context.clients())
                                                    .responseTimeout(TOKEN_REQUEST_TIMEOUT).build())
                                 .build();
        final ResilientInvoker invoker = context.invoker("cxone", tokens, CxoneCallControl.failures()).build();
        breaker = invoker.circuitBreaker();
        media = new CxoneCallControl(base, invoker, context.clients(), context.clock());
    }

    /** Returns the call-control client. */
    public CxoneCallControl callControl() {
        return media;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String destination() {
        return "call control at " + base;
    }

    @Override
    public boolean simulated() {
        return simulated;
    }

    @Override
    public <P> Optional<P> port(Capability<P> capability) {
        return capability == Capability.MEDIA ? Optional.of(capability.cast(media)) : Optional.empty();
    }

    @Override
    public String unavailable(Capability<?> capability) {
        return "cxone does not offer " + capability + " through its call-control contract: route it to genesys";
    }

    @Override
    public List<CircuitBreaker> breakers() {
        return List.of(breaker);
    }

    @Override
    public String toString() {
        return "CxonePlatform{" + base + (simulated ? ", simulated" : "") + '}';
    }
}
