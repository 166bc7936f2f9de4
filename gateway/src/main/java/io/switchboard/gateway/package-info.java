/** The Switchboard server: gRPC and REST on one port, inbound auth, metrics, health and API docs. */
@NullMarked
package io.switchboard.gateway;

import org.jspecify.annotations.NullMarked;
