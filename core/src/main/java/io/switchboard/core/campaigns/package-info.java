/** Vendor-neutral ports for outbound campaigns and their Do-Not-Call lists. */
@NullMarked
package io.switchboard.core.campaigns;

import org.jspecify.annotations.NullMarked;
