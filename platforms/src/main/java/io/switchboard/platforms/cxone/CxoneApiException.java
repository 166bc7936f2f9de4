package io.switchboard.platforms.cxone;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/** A non-success answer from CXone: its status, message and Retry-After. */
public final class CxoneApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final @Nullable Duration retryAfter;

    CxoneApiException(int status, String message, @Nullable Duration retryAfter) {
        super("CXone answered " + status + ": " + message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns how long CXone asked to wait, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
