package io.switchboard.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Consumer;

import com.linecorp.armeria.server.ServerBuilder;

import io.switchboard.core.auth.ClientCredentials;

/**
 * A platform simulator to mount on the gateway's own port, with the client it accepts: every
 * platform's commands then go to it, and the start-up banner says so. The gateway never
 * chooses one by itself: the {@code serve} command passes one when no platform has
 * credentials, or when asked with {@code --sandbox}.
 *
 * <p>Its admin routes (everything but {@code platformPaths}) sit behind the gateway's API keys
 * like every other route. Its emulated platform APIs ({@code platformPaths}) authenticate as
 * the real platforms do, with the simulator's own client and the tokens it issues, since the
 * gateway's own clients call them.
 *
 * @param client the client id and secret the simulator accepts
 * @param mount adds the simulator's routes to the gateway's server
 * @param platformPaths the path prefixes of the emulated platform APIs
 */
public record Simulator(ClientCredentials client, Consumer<ServerBuilder> mount, List<String> platformPaths) {

    /** Checks the components. */
    public Simulator {
        requireNonNull(client, "client");
        requireNonNull(mount, "mount");
        platformPaths = List.copyOf(platformPaths);
    }

    /** Returns whether {@code path} belongs to an emulated platform API. */
    public boolean isPlatformPath(String path) {
        return platformPaths.stream().anyMatch(path::startsWith);
    }
}
