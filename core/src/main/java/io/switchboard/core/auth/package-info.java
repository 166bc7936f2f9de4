/** Obtains and caches OAuth 2.0 access tokens for upstream platforms (RFC 6749). */
@NullMarked
package io.switchboard.core.auth;

import org.jspecify.annotations.NullMarked;
