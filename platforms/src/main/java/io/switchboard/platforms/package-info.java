/**
 * The platform seam: a {@link io.switchboard.platforms.Platform} per contact-center platform,
 * the {@link io.switchboard.platforms.Capability capabilities} it may offer, and what every
 * provider builds with.
 */
@NullMarked
package io.switchboard.platforms;

import org.jspecify.annotations.NullMarked;
