/** The sandbox's state and services; not for use outside the sandbox. */
@NullMarked
package io.switchboard.sandbox.internal;

import org.jspecify.annotations.NullMarked;
