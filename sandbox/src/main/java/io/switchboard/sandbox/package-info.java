/**
 * The platform simulator: the upstream APIs at their real paths, plus an admin API under
 * {@code /sandbox/v1} to create sessions, read back what was received and inject faults.
 */
@NullMarked
package io.switchboard.sandbox;

import org.jspecify.annotations.NullMarked;
