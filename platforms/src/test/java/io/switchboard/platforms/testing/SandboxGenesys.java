package io.switchboard.platforms.testing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.server.Server;

import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.auth.OAuth2TokenSource;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.core.resilience.RetryPolicy;
import io.switchboard.platforms.genesys.GenesysEnvironment;
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
        final GenesysEnvironment env = GenesysEnvironment.of(base.toString());
        final ResilientInvoker invoker =
                ResilientInvoker.builder("genesys-platform")
                                .tokenSource(OAuth2TokenSource.builder(env.tokenUri(),
                                                                       new ClientCredentials("sandbox", "sandbox"))
                                                              .style(OAuth2TokenSource.Style.BASIC)
                                                              .build())
                                .classifier(GenesysPlatformApi.failures())
                                .retryPolicy(RetryPolicy.builder().jitter(0)
                                                        .backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2)
                                                        .build())
                                .build();
        api = new GenesysPlatformApi(env, invoker, ClientFactory.ofDefault(), Clock.systemUTC());
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
