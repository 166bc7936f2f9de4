package io.switchboard.core.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One failed upstream attempt, classified by what it means for a retry.
 *
 * @param type what happened
 * @param message a description safe to show the caller (never a token or secret)
 * @param retryAfter the platform's hint for when to try again (Retry-After, gRPC pushback)
 * @param correlationId the platform's correlation id, if it sent one
 */
public record Failure(Type type, String message, @Nullable Duration retryAfter,
                      @Nullable String correlationId) {

    /** How a failed attempt bears on retrying. */
    public enum Type {
        /** Rate-limited: the platform did not act. Safe to retry after the hint. */
        RATE_LIMITED(true, false),
        /** The request never left this process (e.g. connection refused). Safe to retry. */
        NOT_SENT(true, true),
        /** The access token was rejected: renew it and try once more. The platform did not act. */
        UNAUTHENTICATED(true, false),
        /** Failed after the request was sent (502/503/504, UNAVAILABLE): the platform may have acted. */
        TRANSIENT(false, true),
        /** Timed out after sending: the platform may have acted. */
        TIMED_OUT(false, true),
        /** The session, call or participant is gone or not ours. */
        NOT_FOUND(false, false),
        /** The platform rejected the request's content. */
        REJECTED(false, false),
        /** Any other failure; not retried. Counts against the upstream's health. */
        OTHER(false, true);

        private final boolean surelyNotActed;
        private final boolean unhealthy;

        Type(boolean surelyNotActed, boolean unhealthy) {
            this.surelyNotActed = surelyNotActed;
            this.unhealthy = unhealthy;
        }

        /** Returns whether the platform surely did not act on the request. */
        public boolean surelyNotActed() {
            return surelyNotActed;
        }

        /** Returns whether this failure counts against the upstream in the circuit breaker. */
        public boolean unhealthy() {
            return unhealthy;
        }
    }

    /** Checks the components. */
    public Failure {
        requireNonNull(type, "type");
        requireNonNull(message, "message");
    }

    /** Returns a failure without retry hint or correlation id. */
    public static Failure of(Type type, String message) {
        return new Failure(type, message, null, null);
    }
}
