package io.switchboard.platforms.testing;

import java.net.URI;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.server.Server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.platforms.genesys.GenesysPlatform;
import io.switchboard.platforms.genesys.GenesysPlatformApi;
import io.switchboard.sandbox.Sandbox;

/**
 * A sandbox on a loopback port and a Genesys Cloud Platform API client for it, with a fast
 * retry backoff, for integration tests. Close it after the tests.
 */
public final class SandboxGenesys implements AutoCloseable {

    private final Server server;
    private final BlockingWebClient admin;
    private final GenesysPlatformApi api;

    /** Starts a sandbox and builds a client for it. */
    public SandboxGenesys() {
        server = Sandbox.builder().build().start("127.0.0.1", 0);
        final URI base = URI.create("http://127.0.0.1:" + server.activeLocalPort());
        admin = WebClient.of(base).blocking();
        api = GenesysPlatform.connect(GenesysOptions.at(base, Sandbox.DEFAULT_CLIENT).withRequestsPerMinute(100_000),
                                      Contexts.fast(new SimpleMeterRegistry()))
                             .platformApi().orElseThrow();
    }

    /** Returns a client of the sandbox's admin API. */
    public BlockingWebClient admin() {
        return admin;
    }

    /** Returns the Platform API client, pointed at the sandbox. */
    public GenesysPlatformApi api() {
        return api;
    }

    /** Stops the sandbox in the background (a stop spends Netty's 2 s quiet period). */
    @Override
    public void close() {
        server.stop();
    }
}
