package io.switchboard.gateway.internal;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.resilience.RetryAfter;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Maps every failure a command can have to the gRPC status the caller sees. This is the
 * only place where that happens; REST answers follow from it (see {@link RestErrorHandler}).
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><td>bad input</td><td>INVALID_ARGUMENT</td><td>400</td></tr>
 *   <tr><td>unknown or ended session</td><td>NOT_FOUND</td><td>404</td></tr>
 *   <tr><td>rate limit, retries exhausted</td><td>RESOURCE_EXHAUSTED + retry-after</td><td>429</td></tr>
 *   <tr><td>platform not supporting it</td><td>FAILED_PRECONDITION</td><td>422</td></tr>
 *   <tr><td>upstream down, breaker open, our credentials refused</td><td>UNAVAILABLE</td><td>503</td></tr>
 *   <tr><td>deadline</td><td>DEADLINE_EXCEEDED</td><td>504</td></tr>
 * </table>
 */
public final class StatusMapping {

    /** Seconds until the caller may retry; also sent as HTTP {@code Retry-After}. */
    public static final Metadata.Key<String> RETRY_AFTER =
            Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    /** The same hint in gRPC's own form (gRFC A6), in milliseconds. */
    public static final Metadata.Key<String> RETRY_PUSHBACK_MS =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
    /** The upstream platform's correlation id, when it sent one. */
    public static final Metadata.Key<String> CORRELATION_ID =
            Metadata.Key.of("switchboard-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
    /** Upstream requests made. */
    public static final Metadata.Key<String> ATTEMPTS =
            Metadata.Key.of("switchboard-attempts", Metadata.ASCII_STRING_MARSHALLER);

    /** Returns the exception to hand the caller for {@code failure}. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        final Throwable cause = unwrap(failure);
        if (cause instanceof InvalidArgumentException invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage()).asRuntimeException();
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof UpstreamException upstream) {
            return toStatus(upstream);
        }
        return Status.INTERNAL.withDescription("unexpected error; see the gateway log").withCause(cause)
                              .asRuntimeException();
    }

    private static StatusRuntimeException toStatus(UpstreamException e) {
        final Status status = switch (e.kind()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case RATE_LIMITED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE, CIRCUIT_OPEN, UNAUTHENTICATED -> Status.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case REJECTED -> Status.INVALID_ARGUMENT;
            case UNSUPPORTED -> Status.FAILED_PRECONDITION;
        };
        final StringBuilder message = new StringBuilder()
                .append(e.upstream()).append(' ').append(e.operation()).append(": ").append(e.getMessage())
                .append(" (attempts: ").append(e.attempts());
        e.correlationId().ifPresent(id -> message.append(", correlation id: ").append(id));
        message.append(')');
        final Metadata trailers = new Metadata();
        trailers.put(ATTEMPTS, Integer.toString(e.attempts()));
        e.correlationId().ifPresent(id -> trailers.put(CORRELATION_ID, id));
        if (e.kind() == UpstreamException.Kind.RATE_LIMITED) {
            final Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
            trailers.put(RETRY_AFTER, RetryAfter.format(wait));
            trailers.put(RETRY_PUSHBACK_MS, Long.toString(wait.toMillis()));
        }
        return status.withDescription(message.toString()).asRuntimeException(trailers);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
               && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private StatusMapping() {}
}
