/** Files written so that a crash leaves either the old content or the new, never a mix. */
@NullMarked
package io.switchboard.core.io;

import org.jspecify.annotations.NullMarked;
