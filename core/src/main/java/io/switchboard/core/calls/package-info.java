/** Vendor-neutral call control: validated commands and the port that platforms implement. */
@NullMarked
package io.switchboard.core.calls;

import org.jspecify.annotations.NullMarked;
