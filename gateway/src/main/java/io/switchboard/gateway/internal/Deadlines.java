package io.switchboard.gateway.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Reads a caller's deadline from the {@code grpc-timeout} request header (gRPC over HTTP/2:
 * up to 8 digits and a unit, H M S m u n). REST callers have none; the configured command
 * timeout applies to them.
 */
final class Deadlines {

    static Optional<Duration> grpcTimeout(@Nullable String header) {
        if (header == null || header.length() < 2 || header.length() > 9) {
            return Optional.empty();
        }
        final long amount;
        try {
            amount = Long.parseLong(header.substring(0, header.length() - 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return switch (header.charAt(header.length() - 1)) {
            case 'H' -> Optional.of(Duration.ofHours(amount));
            case 'M' -> Optional.of(Duration.ofMinutes(amount));
            case 'S' -> Optional.of(Duration.ofSeconds(amount));
            case 'm' -> Optional.of(Duration.ofMillis(amount));
            case 'u' -> Optional.of(Duration.ofNanos(amount * 1000));
            case 'n' -> Optional.of(Duration.ofNanos(amount));
            default -> Optional.empty();
        };
    }

    /** The most of a caller's deadline kept back for answering; a tenth of shorter ones. */
    static final Duration ANSWER_MARGIN = Duration.ofMillis(200);

    /**
     * Returns the earlier of {@code now + fallback} and the caller's deadline, less a margin for
     * the answer (a tenth, at most {@link #ANSWER_MARGIN}): a command must give up while the
     * caller still listens, so that it hears DEADLINE_EXCEEDED saying which tones went out,
     * not a bare CANCELLED when the server's own timer fires.
     */
    static Instant deadline(Instant now, Duration fallback, @Nullable String grpcTimeoutHeader) {
        final Optional<Duration> callers = grpcTimeout(grpcTimeoutHeader).filter(t -> t.compareTo(fallback) < 0);
        if (callers.isEmpty()) {
            return now.plus(fallback);
        }
        final Duration margin = min(callers.get().dividedBy(10), ANSWER_MARGIN);
        return now.plus(callers.get().minus(margin));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Deadlines() {}
}
