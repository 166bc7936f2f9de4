/** The gateway's services and decorators; not for use outside the gateway. */
@NullMarked
package io.switchboard.gateway.internal;

import org.jspecify.annotations.NullMarked;
