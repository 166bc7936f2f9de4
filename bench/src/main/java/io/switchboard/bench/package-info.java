/** Load generators that measure Switchboard against a baseline taken in the same run. */
@NullMarked
package io.switchboard.bench;

import org.jspecify.annotations.NullMarked;
