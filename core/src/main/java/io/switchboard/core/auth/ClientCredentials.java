package io.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

/**
 * An OAuth 2.0 client id and secret
 * (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749, section 4.4</a>).
 * {@link #toString()} never shows the secret.
 */
public record ClientCredentials(String clientId, String clientSecret) {

    /** Checks that both are present. */
    public ClientCredentials {
        requireNonNull(clientId, "clientId");
        requireNonNull(clientSecret, "clientSecret");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId: \"\" (expected: a client id)");
        }
        if (clientSecret.isEmpty()) {
            throw new IllegalArgumentException("clientSecret: <empty> (expected: a client secret)");
        }
    }

    @Override
    public String toString() {
        return "ClientCredentials{clientId=" + clientId + ", clientSecret=<redacted>}";
    }
}
