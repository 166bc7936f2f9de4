package io.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The value of one request's {@code Authorization} header
 * (<a href="https://www.rfc-editor.org/rfc/rfc9110#section-11.6.2">RFC 9110, section 11.6.2</a>):
 * a scheme and its credentials. {@link #toString()} never shows the credentials.
 *
 * @param scheme e.g. {@code Bearer} or {@code Basic}
 * @param credentials the token, or the encoded id and secret
 */
public record Authorization(String scheme, String credentials) {

    /** Checks the components. */
    public Authorization {
        requireNonNull(scheme, "scheme");
        requireNonNull(credentials, "credentials");
        if (!scheme.matches("[A-Za-z][A-Za-z0-9._~+/-]*")) {
            throw new IllegalArgumentException("scheme: \"" + scheme + "\" (expected: an HTTP auth scheme)");
        }
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("credentials: <empty> (expected: non-empty credentials)");
        }
    }

    /** Returns {@code Bearer <token>} (RFC 6750). */
    public static Authorization bearer(AccessToken token) {
        return new Authorization("Bearer", token.value());
    }

    /** Returns {@code Basic base64(id:secret)} (RFC 7617). */
    public static Authorization basic(ClientCredentials client) {
        final String pair = client.clientId() + ':' + client.clientSecret();
        return new Authorization("Basic", Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns the header's value, e.g. {@code Bearer abc}. */
    public String header() {
        return scheme + ' ' + credentials;
    }

    @Override
    public String toString() {
        return "Authorization{scheme=" + scheme + ", credentials=<redacted>}";
    }
}
