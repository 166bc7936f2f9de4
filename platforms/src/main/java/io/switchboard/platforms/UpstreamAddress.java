package io.switchboard.platforms;

import static java.util.Objects.requireNonNull;

import java.net.URI;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.WebClientBuilder;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.SessionProtocol;

/**
 * Where an upstream API is reached: a protocol, the endpoints behind it, and a base path. An
 * address made from a URI is fixed; one made from an {@link EndpointGroup} may learn its
 * endpoints later, e.g. a simulator on the gateway's own port, known only once it listens.
 *
 * @param protocol {@code https}, or {@code http} for a simulator
 * @param endpoints the hosts and ports
 * @param basePath the path every request's path is appended to; {@code ""} for the root
 * @param display how the address is shown in logs and the start-up banner
 */
public record UpstreamAddress(SessionProtocol protocol, EndpointGroup endpoints, String basePath, String display) {

    /** Checks the components. */
    public UpstreamAddress {
        requireNonNull(protocol, "protocol");
        requireNonNull(endpoints, "endpoints");
        requireNonNull(basePath, "basePath");
        requireNonNull(display, "display");
        if (protocol != SessionProtocol.HTTPS && protocol != SessionProtocol.HTTP) {
            throw new IllegalArgumentException("protocol: " + protocol + " (expected: https or http)");
        }
        if (!basePath.isEmpty() && (!basePath.startsWith("/") || basePath.endsWith("/"))) {
            throw new IllegalArgumentException("basePath: \"" + basePath + "\" (expected: \"\" or /a/path)");
        }
    }

    /**
     * Returns the fixed address of {@code base}, e.g. {@code https://api.mypurecloud.com}.
     *
     * @throws IllegalArgumentException if {@code base} is not an absolute http(s) URL with a host
     */
    public static UpstreamAddress of(URI base) {
        requireNonNull(base, "base");
        final String scheme = base.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || base.getHost() == null) {
            throw new IllegalArgumentException(base + " (expected: https://host[:port][/path], or http:// for a "
                                               + "sandbox)");
        }
        final SessionProtocol protocol = SessionProtocol.of(scheme);
        final int port = base.getPort() != -1 ? base.getPort() : protocol.defaultPort();
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // Host and port only: a user-info part (credentials) never reaches a banner or a log.
        final String display = scheme + "://" + (base.getHost().contains(":") ? '[' + base.getHost() + ']'
                                                                               : base.getHost())
                               + (base.getPort() != -1 ? ":" + base.getPort() : "") + path;
        return new UpstreamAddress(protocol, Endpoint.of(base.getHost(), port), path, display);
    }

    /** Returns an address on {@code endpoints}, which may be resolved later; shown as {@code display}. */
    public static UpstreamAddress of(SessionProtocol protocol, EndpointGroup endpoints, String display) {
        return new UpstreamAddress(protocol, endpoints, "", display);
    }

    /** Returns a builder of HTTP clients for this address, on {@code factory}. */
    public WebClientBuilder webClient(ClientFactory factory) {
        return WebClient.builder(protocol, endpoints, basePath.isEmpty() ? "/" : basePath)
                        .factory(requireNonNull(factory, "factory"));
    }

    /** Returns a builder of gRPC clients for this address, on {@code factory}. */
    public GrpcClientBuilder grpcClient(ClientFactory factory) {
        return GrpcClients.builder(protocol, endpoints).factory(requireNonNull(factory, "factory"));
    }

    /** Returns how {@code path} on this address is shown, e.g. in errors: never used to connect. */
    public URI show(String path) {
        return URI.create(display + path);
    }

    @Override
    public String toString() {
        return display;
    }
}
