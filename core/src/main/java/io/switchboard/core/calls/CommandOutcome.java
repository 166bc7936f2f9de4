package io.switchboard.core.calls;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What the platform answered to a command that succeeded.
 *
 * @param correlationId the platform's correlation id for the last request, if it sent one
 * @param attempts upstream requests made, retries and token renewals included
 * @param latency time from the command's start to the platform's last answer
 */
public record CommandOutcome(@Nullable String correlationId, int attempts, Duration latency) {

    /** Checks the components. */
    public CommandOutcome {
        requireNonNull(latency, "latency");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 1)");
        }
    }
}
