package io.switchboard.core.resilience;

/** Whether repeating an upstream operation is harmless; it decides which failures are retried. */
public enum Idempotency {
    /**
     * Repeating it is harmless (set volume, mute state, add to a DNC list): also retried on
     * failures after which the platform may have acted (502/503/504, UNAVAILABLE).
     */
    IDEMPOTENT,
    /**
     * Repeating it would be heard (DTMF, play): retried only when the platform surely did
     * not act (429, RESOURCE_EXHAUSTED, a request that never left this process).
     */
    NOT_IDEMPOTENT;

    /** Returns whether an attempt that failed as {@code type} may be repeated. */
    public boolean allowsRetryAfter(Failure.Type type) {
        return switch (type) {
            case RATE_LIMITED, NOT_SENT -> true;
            case TRANSIENT -> this == IDEMPOTENT;
            default -> false;
        };
    }
}
