/** The {@code switchboard} command line: serve, sandbox, call. */
@NullMarked
package io.switchboard.cli;

import org.jspecify.annotations.NullMarked;
