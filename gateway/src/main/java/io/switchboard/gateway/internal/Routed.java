package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.switchboard.platforms.Capability;
import io.switchboard.platforms.NotConfigured;
import io.switchboard.platforms.Platform;

/**
 * The port a capability is routed to: the platform's own, or, when that platform does not
 * serve it as configured, one that answers "not configured" with the reason.
 *
 * @param port the port to use; never null
 * @param platform the platform the route names
 * @param unavailable why the platform does not serve it, or null when it does
 */
public record Routed<P>(P port, Platform platform, @Nullable String unavailable) {

    /** Resolves {@code capability} on the platform that {@code routeTo} names among {@code platforms}. */
    public static <P> Routed<P> resolve(Capability<P> capability, String routeTo, Map<String, Platform> platforms) {
        final Platform platform = requireNonNull(platforms.get(routeTo), "no platform named " + routeTo);
        final Optional<P> port = platform.port(capability);
        if (port.isPresent()) {
            return new Routed<>(port.get(), platform, null);
        }
        final String reason = platform.unavailable(capability);
        return new Routed<>(NotConfigured.port(capability, reason), platform, reason);
    }

    /** Returns whether a platform serves the capability. */
    public boolean served() {
        return unavailable == null;
    }
}
