package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ClientFactory;

import io.lettuce.core.AbstractRedisClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.Capability;
import io.switchboard.platforms.Platform;

/**
 * What every capability is built from: the configuration, the clock, the shared meters and
 * audit trail, the platforms by name, the owner of every resource opened on the way, and the
 * Redis client when one is configured (for state that replicas share).
 */
public record Wiring(GatewayConfig config, Clock clock, MeterRegistry meters, AuditTrail audit,
                     ClientFactory upstreamClients, Map<String, Platform> platforms, Resources resources,
                     Readiness readiness, @Nullable AbstractRedisClient redis) {

    /** Checks the components. */
    public Wiring {
        requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        requireNonNull(meters, "meters");
        requireNonNull(audit, "audit");
        requireNonNull(upstreamClients, "upstreamClients");
        platforms = Map.copyOf(platforms);
        requireNonNull(resources, "resources");
        requireNonNull(readiness, "readiness");
    }

    /** Returns the port {@code capability} is routed to by {@code routes:}. */
    public <P> Routed<P> route(Capability<P> capability) {
        return Routed.resolve(capability, config.routes().platformFor(capability), platforms);
    }
}
