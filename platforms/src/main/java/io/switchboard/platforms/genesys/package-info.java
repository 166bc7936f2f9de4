/**
 * Genesys Cloud adapters: the gRPC call-control contract (DTMF, volume).
 */
@NullMarked
package io.switchboard.platforms.genesys;

import org.jspecify.annotations.NullMarked;
