package io.switchboard.core.layoutfixture;

import io.switchboard.gateway.Gateway;

/**
 * A class that breaks the layout on purpose (core reaching into the gateway), so that
 * {@code LayoutTest} can show its rules catch such an import. Test code only.
 */
public final class CoreReachingIntoTheGateway {

    /** Names the gateway: the forbidden dependency. */
    public static Class<Gateway> gateway() {
        return Gateway.class;
    }

    private CoreReachingIntoTheGateway() {}
}
