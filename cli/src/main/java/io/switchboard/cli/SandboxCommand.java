package io.switchboard.cli;

import java.util.concurrent.Callable;

import com.linecorp.armeria.server.Server;

import io.switchboard.sandbox.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard sandbox}: runs the platform simulator alone. */
@Command(name = "sandbox",
        mixinStandardHelpOptions = true,
        description = {
                "Run the platform simulator alone.",
                "",
                "Serves the token endpoint, gRPC call control and the admin API",
                "under /sandbox/v1 (docs/sandbox.md).",
                "It accepts client id 'sandbox' with secret 'sandbox'.",
                ""
        })
final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9090",
            description = "Port (default: ${DEFAULT-VALUE}).")
    int port = 9090;

    @Override
    public Integer call() throws InterruptedException {
        final Server server = Sandbox.builder().build().start(host, port);
        System.err.println("Sandbox listening on http://" + host + ':' + server.activeLocalPort()
                           + " (client id and secret: sandbox). Ctrl-C stops it.");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop().join(), "sandbox-shutdown"));
        server.blockUntilShutdown();
        return 0;
    }
}
