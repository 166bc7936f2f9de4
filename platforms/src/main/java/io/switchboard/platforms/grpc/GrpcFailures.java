package io.switchboard.platforms.grpc;

import io.switchboard.core.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.UnprocessedRequestException;

import io.grpc.Metadata;
import io.grpc.Status;
import io.switchboard.api.MetadataKeys;
import io.switchboard.core.resilience.Failure;
import io.switchboard.core.resilience.FailureClassifier;
import io.switchboard.core.resilience.RetryAfter;

/**
 * Classifies the failures of a gRPC upstream. Retry hints come from the standard
 * {@code grpc-retry-pushback-ms} trailer or from a {@code retry-after} trailer (seconds or
 * HTTP-date); the correlation id from {@code inin-correlation-id}.
 */
public final class GrpcFailures implements FailureClassifier {

    private final Clock clock;

    /** Creates a classifier that reads HTTP-date hints against {@code clock}. */
    public GrpcFailures(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Failure classify(Throwable cause) {
        final Status status = Status.fromThrowable(cause);
        final @Nullable Metadata trailers = Status.trailersFromThrowable(cause);
        final String correlationId = trailers != null ? trailers.get(MetadataKeys.ININ_CORRELATION_ID) : null;
        final Duration hint = retryHint(trailers);
        final String message = describe(status);
        final Failure.Type type = switch (status.getCode()) {
            case RESOURCE_EXHAUSTED -> Failure.Type.RATE_LIMITED;
            case UNAUTHENTICATED -> Failure.Type.UNAUTHENTICATED;
            case NOT_FOUND, PERMISSION_DENIED -> Failure.Type.NOT_FOUND;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> Failure.Type.REJECTED;
            case DEADLINE_EXCEEDED -> Failure.Type.TIMED_OUT;
            case UNAVAILABLE -> neverSent(cause) ? Failure.Type.NOT_SENT : Failure.Type.TRANSIENT;
            default -> neverSent(cause) ? Failure.Type.NOT_SENT : Failure.Type.OTHER;
        };
        return new Failure(type, message, type == Failure.Type.RATE_LIMITED ? hint : null, correlationId);
    }

    private @Nullable Duration retryHint(@Nullable Metadata trailers) {
        if (trailers == null) {
            return null;
        }
        final String pushback = trailers.get(MetadataKeys.RETRY_PUSHBACK_MS);
        if (pushback != null) {
            try {
                final long ms = Long.parseLong(pushback.trim());
                if (ms >= 0) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException ignored) {
                // gRFC A6: a malformed pushback is ignored.
            }
        }
        return RetryAfter.parse(trailers.get(MetadataKeys.RETRY_AFTER), clock).orElse(null);
    }

    /** Returns whether the request surely never left this process. */
    private static boolean neverSent(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnprocessedRequestException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Status status) {
        final String code = status.getCode().name();
        final String description = status.getDescription();
        if (description != null && !description.isEmpty()) {
            return code + ": " + Secrets.excerpt(description, 300);
        }
        final Throwable cause = status.getCause();
        if (cause != null) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return code + ": " + root.getClass().getSimpleName()
                   + (root.getMessage() != null ? " (" + Secrets.excerpt(root.getMessage().toLowerCase(Locale.ROOT), 200)
                                                  + ')' : "");
        }
        return code;
    }
}
