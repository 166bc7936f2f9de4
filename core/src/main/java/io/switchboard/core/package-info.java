/**
 * Shared kernel of Switchboard: argument validation and the exception that reports it.
 * Nothing in this module knows a vendor.
 */
@NullMarked
package io.switchboard.core;

import org.jspecify.annotations.NullMarked;
