package io.switchboard.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard serve}: runs the gateway until SIGTERM or Ctrl-C. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Run the gateway (gRPC and REST on one port).",
                "",
                "Serves switchboard.v1 over gRPC and REST, /health, /metrics and an",
                "API page at /docs.",
                "",
                "Without GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET, the platform",
                "sandbox is mounted on the same port (docs/sandbox.md).",
                "Settings: --config, then environment variables, then these options",
                "(docs/configuration.md). SIGTERM or Ctrl-C stops it gracefully.",
                ""
        })
final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configuration = new ConfigOptions();

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "Address to listen on (default: 127.0.0.1; others need API keys).")
    @Nullable String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port for gRPC and REST (default: 8080).")
    @Nullable Integer port;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig cfg = configuration.load();
        if (host != null || port != null) {
            cfg = cfg.withServer(cfg.server().withAddress(host != null ? host : cfg.server().host(),
                                                          port != null ? port : cfg.server().port()));
        }
        final Gateway gateway = Gateway.start(cfg);
        if (gateway.usesSandbox()) {
            System.err.println();
            System.err.println("  Switchboard is serving the BUILT-IN SANDBOX: no platform credentials are set.");
            System.err.println("  Commands go to simulated sessions, not real calls. Create one with:");
            System.err.println("    curl -X POST " + gateway.uri() + "/sandbox/v1/sessions");
            System.err.println("  API page: " + gateway.uri() + "/docs");
            System.err.println();
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }
}
