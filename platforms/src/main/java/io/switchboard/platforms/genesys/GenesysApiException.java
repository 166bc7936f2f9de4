package io.switchboard.platforms.genesys;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A non-success answer of the Genesys Cloud Platform API, with the fields of its error body
 * ({@code code}, {@code message}, {@code contextId}) and the {@code ININ-Correlation-ID}
 * header. The message never contains a token.
 */
public final class GenesysApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final @Nullable String code;
    private final @Nullable String contextId;
    private final @Nullable String correlationId;
    private final @Nullable Duration retryAfter;

    /** Creates an exception for an answer with HTTP {@code status}. */
    public GenesysApiException(int status, @Nullable String code, String message, @Nullable String contextId,
                               @Nullable String correlationId, @Nullable Duration retryAfter) {
        super("HTTP " + status + (code != null ? " " + code : "") + ": " + message, null, false, false);
        this.status = status;
        this.code = code;
        this.contextId = contextId;
        this.correlationId = correlationId;
        this.retryAfter = retryAfter;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns the error body's {@code code}, e.g. {@code not.found}. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** Returns the error body's {@code contextId}. */
    public Optional<String> contextId() {
        return Optional.ofNullable(contextId);
    }

    /** Returns the {@code ININ-Correlation-ID} of the answer. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }

    /** Returns the {@code Retry-After} of the answer, if it had one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
