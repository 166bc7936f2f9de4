package io.switchboard.gateway.internal;

import java.util.Optional;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * One capability of the gateway's API (call control, compliance, flows): it is built with
 * every port it needs, mounts its own routes, and says which scope each of its routes needs.
 * The gateway applies request ids, metrics and authentication once, around all of them.
 */
public interface ApiCapability {

    /** Adds the capability's routes to {@code sb}. */
    void mount(ServerBuilder sb);

    /**
     * Returns the API-key scope that the request {@code ctx} needs, or empty when the route is
     * not this capability's.
     */
    Optional<String> scopeOf(ServiceRequestContext ctx);

    /** Runs once the server listens and every port is bound, before the gateway reports ready. */
    default void started() {}

    /** Runs when shutdown begins, before the server stops taking requests. */
    default void stopping() {}
}
