package io.switchboard.cli;

import static io.switchboard.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/** What the CLI says when the gateway cannot be reached: in words, never an exception's class name. */
class GatewayClientTest {

    @Test
    void aConnectionClosedBeforeTheAnswerIsSaidInWords() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            final Thread closer = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(); // reads the start of the request, then hangs up
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            final String printed = run(3, "call", "dtmf", "--gateway", "http://127.0.0.1:" + server.getLocalPort(),
                                       "--session", "s-1", "--tones", "1");
            assertThat(printed).contains("the connection was closed before the answer came")
                               .doesNotContain("Exception");
            server.close();
            closer.join();
        }
    }

    @Test
    void aGatewayThatIsNotRunningIsSaidInWords() throws Exception {
        final int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        final String printed = run(3, "call", "dtmf", "--gateway", "http://127.0.0.1:" + port, "--session", "s-1",
                                   "--tones", "1");
        assertThat(printed).contains("connection refused").doesNotContain("Exception");
    }
}
