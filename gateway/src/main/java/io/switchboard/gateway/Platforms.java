package io.switchboard.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;

import io.lettuce.core.AbstractRedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.NotConfigured;
import io.switchboard.platforms.Platform;
import io.switchboard.platforms.PlatformContext;
import io.switchboard.platforms.UpstreamAddress;
import io.switchboard.platforms.cxone.CxonePlatform;
import io.switchboard.platforms.genesys.GenesysPlatform;

/**
 * Obtains the platforms a configuration describes, the same way for the gateway, {@code dnc
 * sync} and the benchmarks: each through its provider, real when it has credentials, simulated
 * when a simulator is given, otherwise one that answers "not configured" for everything.
 */
public final class Platforms {

    /** Returns what providers build with: the configuration's retry policy and breakers, and these resources. */
    public static PlatformContext context(GatewayConfig config, Clock clock, MeterRegistry meters,
                                          ClientFactory clients, @Nullable AbstractRedisClient redis) {
        requireNonNull(config, "config");
        return new PlatformContext(clock, meters, clients, config.retry().toPolicy(),
                                   name -> breaker(config.breaker(), name, meters), redis);
    }

    /**
     * Returns every platform by name, in the order of {@link GatewayConfig.Routes#PLATFORMS}'s
     * documentation: Genesys Cloud, then CXone.
     *
     * @param simulator where every platform's commands go instead, or null for the real ones
     * @throws IllegalArgumentException naming a platform setting that is missing or cannot be used
     */
    public static Map<String, Platform> connect(GatewayConfig config, PlatformContext context,
                                                @Nullable SimulatedAt simulator) {
        final Map<String, Platform> platforms = new LinkedHashMap<>();
        if (simulator != null) {
            platforms.put(GenesysPlatform.NAME, GenesysPlatform.simulated(simulator.address(), simulator.client(),
                                                                          config.genesys(), context));
            platforms.put(CxonePlatform.NAME, CxonePlatform.simulated(simulator.address(), simulator.client(),
                                                                      context));
            return platforms;
        }
        platforms.put(GenesysPlatform.NAME, config.genesys().hasCredentials()
                                            ? GenesysPlatform.connect(config.genesys(), context)
                                            : NotConfigured.platform(GenesysPlatform.NAME,
                                                                     GenesysPlatform.NOT_CONFIGURED));
        platforms.put(CxonePlatform.NAME, config.cxone().hasCredentials()
                                          ? CxonePlatform.connect(config.cxone(), context)
                                          : NotConfigured.platform(CxonePlatform.NAME, CxonePlatform.NOT_CONFIGURED));
        return platforms;
    }

    /** A simulator's address and the client it accepts. */
    public record SimulatedAt(UpstreamAddress address, io.switchboard.core.auth.ClientCredentials client) {}

    private static CircuitBreaker breaker(GatewayConfig.Breaker b, String name, MeterRegistry meters) {
        return CountingCircuitBreaker.build(CircuitBreaker.builder(name)
                                                          .failureRateThreshold(b.failureRateThreshold())
                                                          .minimumRequestThreshold(b.minimumRequests())
                                                          .circuitOpenWindow(b.openWindow())
                                                          .trialRequestInterval(b.trialInterval())
                                                          .counterSlidingWindow(b.slidingWindow()),
                                            meters);
    }

    private Platforms() {}
}
