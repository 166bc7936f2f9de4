package io.switchboard.gateway.internal;

import java.util.Set;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.netty.util.AttributeKey;

/**
 * Who made a request: the API key's name and scopes, or {@link #LOOPBACK} when the gateway
 * runs without keys (loopback only).
 */
public record Principal(String name, Set<String> scopes) {

    /** The caller of a gateway without API keys, which accepts only loopback connections. */
    public static final Principal LOOPBACK = new Principal("loopback", Set.of("*"));

    static final AttributeKey<Principal> KEY = AttributeKey.valueOf(Principal.class, "principal");

    /** Returns whether this principal holds {@code scope}. */
    public boolean has(String scope) {
        return scopes.contains("*") || scopes.contains(scope);
    }

    /** Returns the principal of the current request, or {@link #LOOPBACK} if none was set. */
    public static Principal of(ServiceRequestContext ctx) {
        final Principal p = ctx.attr(KEY);
        return p != null ? p : LOOPBACK;
    }
}
