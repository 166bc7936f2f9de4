package io.switchboard.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free loopback ports for servers that tests start themselves. */
public final class LoopbackPorts {

    /** A port nothing listens on at the moment of the call. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LoopbackPorts() {}
}
