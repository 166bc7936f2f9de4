package io.switchboard.gateway;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.common.CommonPools;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.auth.OAuth2TokenSource;
import io.switchboard.core.resilience.BucketRateLimiter;
import io.switchboard.core.resilience.RateLimiter;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.cxone.CxoneCallControl;
import io.switchboard.platforms.genesys.GenesysEnvironment;
import io.switchboard.platforms.genesys.GenesysPlatformApi;

/**
 * Builds the upstream clients the configuration describes, the same way for the gateway and
 * for command-line jobs such as {@code dnc sync}: token sources, the Platform API's rate limit
 * (in-process, or shared through Redis by every process with the same OAuth client), retries.
 */
public final class PlatformClients {

    private final GatewayConfig config;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ClientFactory factory;
    private final @Nullable RedisClient redis;

    /** Creates a builder of clients; {@code redis} is the shared Redis, if configured. */
    public PlatformClients(GatewayConfig config, Clock clock, MeterRegistry meters, ClientFactory factory,
                           @Nullable RedisClient redis) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        this.meters = requireNonNull(meters, "meters");
        this.factory = requireNonNull(factory, "factory");
        this.redis = redis;
    }

    /** Returns a token source for {@code credentials} at {@code tokenUri}. */
    public OAuth2TokenSource tokenSource(URI tokenUri, ClientCredentials credentials, OAuth2TokenSource.Style style,
                                         String name) {
        return OAuth2TokenSource.builder(tokenUri, credentials)
                                .style(style)
                                .refreshMargin(config.genesys().tokenRefreshMargin())
                                .name(name)
                                .clock(clock)
                                .meterRegistry(meters)
                                .build();
    }

    /** Returns the Genesys Cloud Platform API at {@code environment} for {@code credentials}. */
    public GenesysPlatformApi genesysPlatformApi(GenesysEnvironment environment, ClientCredentials credentials,
                                                 CircuitBreaker breaker) {
        final ResilientInvoker invoker =
                ResilientInvoker.builder("genesys-platform")
                                .tokenSource(tokenSource(environment.tokenUri(), credentials,
                                                         OAuth2TokenSource.Style.BASIC, "genesys-login"))
                                .rateLimiter(rateLimit(credentials))
                                .classifier(GenesysPlatformApi.failures())
                                .retryPolicy(config.retry().toPolicy())
                                .circuitBreaker(breaker)
                                .clock(clock)
                                .meterRegistry(meters)
                                .build();
        return new GenesysPlatformApi(environment, invoker, factory, clock);
    }

    /**
     * Returns the CXone call-control API at {@code base} for {@code credentials}: a JSON-style
     * token with the contract's scopes, renewed a minute before expiry.
     */
    public CxoneCallControl cxone(URI base, ClientCredentials credentials, CircuitBreaker breaker) {
        final OAuth2TokenSource tokens = OAuth2TokenSource.builder(CxoneCallControl.tokenUri(base), credentials)
                                                          .style(OAuth2TokenSource.Style.JSON)
                                                          .scope(CxoneCallControl.SCOPE)
                                                          .refreshMargin(CxoneCallControl.TOKEN_REFRESH_MARGIN)
                                                          .name("cxone-oauth")
                                                          .clock(clock)
                                                          .meterRegistry(meters)
                                                          .build();
        final ResilientInvoker invoker = ResilientInvoker.builder("cxone")
                                                         .tokenSource(tokens)
                                                         .classifier(CxoneCallControl.failures())
                                                         .retryPolicy(config.retry().toPolicy())
                                                         .circuitBreaker(breaker)
                                                         .clock(clock)
                                                         .meterRegistry(meters)
                                                         .build();
        return new CxoneCallControl(base, invoker, factory, clock);
    }

    /** Genesys Cloud counts requests per OAuth client; so does this limiter. */
    private RateLimiter rateLimit(ClientCredentials client) {
        final BucketRateLimiter.Limit limit = BucketRateLimiter.Limit.perMinute(config.genesys().requestsPerMinute());
        if (redis == null) {
            return BucketRateLimiter.local(limit, CommonPools.workerGroup());
        }
        return BucketRateLimiter.redis(limit, redis, "switchboard:ratelimit:genesys:" + client.clientId(),
                                       CommonPools.workerGroup());
    }
}
