/** Scrubbing contacts before they are dialled: DNC stores, geographic rules, the calling window. */
@NullMarked
package io.switchboard.compliance.scrub;

import org.jspecify.annotations.NullMarked;
