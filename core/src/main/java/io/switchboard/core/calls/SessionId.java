package io.switchboard.core.calls;

import static java.util.Objects.requireNonNull;

import io.switchboard.core.InvalidArgumentException;

/**
 * Validates media-session ids. They travel in URL paths and gRPC metadata, so only a
 * conservative character set is accepted.
 */
public final class SessionId {

    /** The longest accepted id. */
    public static final int MAX_LENGTH = 128;

    private static final String EXPECTED =
            "1.." + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -";

    /**
     * Returns {@code value} if it is a well-formed session id.
     *
     * @throws InvalidArgumentException naming {@code field} if it is empty, too long or has
     *         other characters
     */
    public static String check(String field, String value) {
        requireNonNull(field, "field");
        requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new InvalidArgumentException(field, value, EXPECTED);
        }
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                               || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                throw new InvalidArgumentException(field, value, EXPECTED);
            }
        }
        return value;
    }

    private SessionId() {}
}
