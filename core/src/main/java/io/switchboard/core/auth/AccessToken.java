package io.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A bearer token and when it expires. {@link #toString()} never shows the token.
 *
 * @param value the token, sent as {@code Authorization: Bearer <value>}
 * @param expiresAt when the issuer said it stops being valid
 */
public record AccessToken(String value, Instant expiresAt) {

    /** Checks the components. */
    public AccessToken {
        requireNonNull(value, "value");
        requireNonNull(expiresAt, "expiresAt");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("value: \"\" (expected: a non-empty token)");
        }
    }

    /** Returns the {@code Authorization} header value. */
    public String bearer() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "AccessToken{value=<redacted>, expiresAt=" + expiresAt + '}';
    }
}
