package io.switchboard.core.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Reports a command that an upstream platform refused, or that could not reach it in time.
 * Carries what an operator needs to follow it up: which upstream and operation, how many
 * attempts were made, the platform's correlation id and, for rate limits, when to try again.
 *
 * <p>The gateway maps {@link #kind()} to a gRPC and HTTP status in one place.
 */
public final class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the transport. */
    public enum Kind {
        /** The session, call or participant does not exist, or is not ours. */
        NOT_FOUND,
        /** The platform rate-limited us and retries ran out. */
        RATE_LIMITED,
        /** The platform could not be reached or failed. */
        UNAVAILABLE,
        /** The circuit breaker is open: the platform failed recently and is being spared. */
        CIRCUIT_OPEN,
        /** The caller's deadline passed, or leaves no time for another attempt. */
        DEADLINE_EXCEEDED,
        /** The platform rejected the request's content. */
        REJECTED,
        /** The platform rejected Switchboard's own credentials, even after renewing them. */
        UNAUTHENTICATED,
        /** The platform cannot do this at all. */
        UNSUPPORTED,
    }

    private final Kind kind;
    private final String upstream;
    private final String operation;
    private final int attempts;
    private final @Nullable String correlationId;
    private final @Nullable Duration retryAfter;
    private final boolean mayHaveActed;
    private final boolean partlyApplied;

    /**
     * Creates an exception.
     *
     * @param retryAfter when the caller may try again, for {@link Kind#RATE_LIMITED}
     */
    public UpstreamException(Kind kind, String upstream, String operation, String message, int attempts,
                             @Nullable String correlationId, @Nullable Duration retryAfter,
                             @Nullable Throwable cause) {
        super(requireNonNull(message, "message"), cause, false, false);
        this.kind = requireNonNull(kind, "kind");
        this.upstream = requireNonNull(upstream, "upstream");
        this.operation = requireNonNull(operation, "operation");
        this.attempts = attempts;
        this.correlationId = correlationId;
        this.retryAfter = retryAfter;
        mayHaveActed = false;
        partlyApplied = false;
    }

    private UpstreamException(UpstreamException e, String message, int attempts, boolean mayHaveActed) {
        this(e, message, attempts, mayHaveActed, e.partlyApplied);
    }

    private UpstreamException(UpstreamException e, String message, int attempts, boolean mayHaveActed,
                              boolean partlyApplied) {
        super(message, e.getCause(), false, false);
        kind = e.kind;
        upstream = e.upstream;
        operation = e.operation;
        this.attempts = attempts;
        correlationId = e.correlationId;
        retryAfter = e.retryAfter;
        this.mayHaveActed = mayHaveActed;
        this.partlyApplied = partlyApplied;
    }

    /**
     * Returns whether the platform may have acted on the last request although it failed: the
     * answer was lost, or the deadline passed while the platform had the request. A command
     * that is not idempotent (a DTMF tone) must then be reported as possibly done, never as not
     * sent, so that a caller does not send it twice.
     */
    public boolean mayHaveActed() {
        return mayHaveActed;
    }

    /**
     * Returns whether the command as a whole may have had an effect: the last request may have
     * been acted on, or earlier requests of the same command were (the first tones of a DTMF
     * sequence). Repeating such a command could be heard twice.
     */
    public boolean mayHaveHadEffect() {
        return mayHaveActed || partlyApplied;
    }

    /** Returns a copy that says earlier requests of the same command were acted on. */
    public UpstreamException withPartlyApplied() {
        return new UpstreamException(this, getMessage(), attempts, mayHaveActed, true);
    }

    /** Returns a copy that says the platform may have acted on the last request. */
    public UpstreamException withMayHaveActed() {
        return new UpstreamException(this, getMessage(), attempts, true);
    }

    /** Returns what went wrong. */
    public Kind kind() {
        return kind;
    }

    /** Returns the upstream's name, e.g. {@code genesys-callcontrol}. */
    public String upstream() {
        return upstream;
    }

    /** Returns the upstream operation, e.g. {@code SendDtmf}. */
    public String operation() {
        return operation;
    }

    /** Returns the upstream requests made, retries included; 0 if none was sent. */
    public int attempts() {
        return attempts;
    }

    /** Returns the platform's correlation id for the last request, if it sent one. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }

    /** Returns when the caller may try again, if the platform said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Returns a copy whose message is prefixed with {@code context}, e.g. which tone failed. */
    public UpstreamException withContext(String context) {
        return new UpstreamException(this, context + ": " + getMessage(), attempts, mayHaveActed);
    }

    /** Returns a copy that counts {@code extraAttempts} more attempts, made before this one. */
    public UpstreamException withAttemptsAdded(int extraAttempts) {
        return new UpstreamException(this, getMessage(), attempts + extraAttempts, mayHaveActed);
    }

    @Override
    public String toString() {
        return "UpstreamException{kind=" + kind + ", upstream=" + upstream + ", operation=" + operation
               + ", attempts=" + attempts + ", mayHaveActed=" + mayHaveActed + ", correlationId=" + correlationId
               + ", retryAfter=" + retryAfter
               + ", message=" + getMessage() + '}';
    }
}
