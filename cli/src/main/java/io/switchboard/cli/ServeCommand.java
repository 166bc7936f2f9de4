package io.switchboard.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.Simulator;
import io.switchboard.sandbox.Sandbox;
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
                "With no platform credentials at all (GENESYS_CLIENT_ID/SECRET,",
                "CXONE_CLIENT_ID/SECRET), or with --sandbox, the platform simulator is",
                "mounted on the same port and every command goes to it (docs/sandbox.md).",
                "A platform left without credentials otherwise answers 'not configured'.",
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

    @Option(names = "--sandbox",
            description = "Send every platform's commands to the built-in simulator, even with credentials set.")
    boolean sandbox;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig cfg = configuration.load();
        if (host != null || port != null) {
            cfg = cfg.withServer(cfg.server().withAddress(host != null ? host : cfg.server().host(),
                                                          port != null ? port : cfg.server().port()));
        }
        final Gateway.Builder builder = Gateway.builder(cfg);
        final boolean simulate = sandbox || !cfg.anyPlatformConfigured();
        if (simulate) {
            builder.simulator(new Simulator(Sandbox.DEFAULT_CLIENT, sb -> Sandbox.builder().build().mountOn(sb), Sandbox.PLATFORM_PATHS));
        }
        final Gateway gateway = builder.start();
        System.err.println();
        gateway.banner().forEach(line -> System.err.println("  " + line));
        if (simulate) {
            System.err.println();
            System.err.println("  Switchboard is serving the BUILT-IN SANDBOX: "
                               + (sandbox ? "--sandbox was given." : "no platform credentials are set."));
            System.err.println("  Commands go to simulated sessions, not real calls. Create one with:");
            System.err.println("    curl -X POST " + gateway.uri() + "/sandbox/v1/sessions");
        }
        System.err.println();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            Main.flushLogs(); // the JVM ends with this hook: the gateway's last lines go out first
            stopped.countDown();
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }
}
