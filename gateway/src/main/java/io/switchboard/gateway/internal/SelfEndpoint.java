package io.switchboard.gateway.internal;

import java.util.List;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.endpoint.DynamicEndpointGroup;

/**
 * The gateway's own address, for clients of a simulator mounted on the gateway's port: the
 * port is known only once the server listens, so the group starts empty and is resolved once,
 * right after start-up. No request is made before then: the server does not accept any.
 */
public final class SelfEndpoint extends DynamicEndpointGroup {

    /** Makes the group the loopback address at {@code port}. */
    public void resolve(String host, int port) {
        setEndpoints(List.of(Endpoint.of(host, port)));
    }
}
