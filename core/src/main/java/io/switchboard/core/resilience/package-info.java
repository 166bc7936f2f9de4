/** Retries, deadlines and circuit breaking for calls to upstream platforms. */
@NullMarked
package io.switchboard.core.resilience;

import org.jspecify.annotations.NullMarked;
