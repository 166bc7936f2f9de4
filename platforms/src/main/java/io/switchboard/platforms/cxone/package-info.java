/** The NICE CXone call-control REST contract: call status, play, collect. */
@NullMarked
package io.switchboard.platforms.cxone;

import org.jspecify.annotations.NullMarked;
