/** Logging support: what the JSON log encoder is configured with. */
@NullMarked
package io.switchboard.gateway.logging;

import org.jspecify.annotations.NullMarked;
