package io.switchboard.platforms;

import java.util.List;
import java.util.Optional;

import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;

/**
 * A contact-center platform as Switchboard sees it: the ports it offers, where its commands
 * go, and the breakers guarding its upstreams. Each platform has one provider that reads its
 * own options and builds its credential, invoker, breakers and rate limits
 * ({@code GenesysPlatform}, {@code CxonePlatform}); the gateway, {@code dnc sync} and the
 * benchmarks all obtain platforms that way.
 */
public interface Platform {

    /** Returns the platform's name, as written under {@code routes:}, e.g. {@code genesys}. */
    String name();

    /** Returns where its commands go, for the start-up banner, e.g. {@code https://api.mypurecloud.com}. */
    String destination();

    /** Returns whether its commands go to a simulator rather than a real platform. */
    boolean simulated();

    /** Returns its port for {@code capability}, or empty when it does not offer it as configured. */
    <P> Optional<P> port(Capability<P> capability);

    /**
     * Returns why {@link #port} is empty for {@code capability}, in words that say what to set,
     * e.g. {@code mute needs the Genesys Cloud Platform API: set genesys.region (GENESYS_CLOUD_REGION)}.
     */
    String unavailable(Capability<?> capability);

    /** Returns the circuit breakers guarding its upstreams, for readiness. */
    List<CircuitBreaker> breakers();
}
