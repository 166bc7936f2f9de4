package io.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * Reports a token request that failed. The message names the token endpoint and the
 * OAuth error code, never the client secret.
 */
public final class TokenRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates an exception.
     *
     * @param status the endpoint's HTTP status, or 0 if it did not answer
     */
    public TokenRequestException(String message, int status, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.status = status;
    }

    /** Creates an exception for an endpoint that answered with {@code status}. */
    public TokenRequestException(String message, int status) {
        super(requireNonNull(message, "message"));
        this.status = status;
    }

    /** Returns the token endpoint's HTTP status, if it answered. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
