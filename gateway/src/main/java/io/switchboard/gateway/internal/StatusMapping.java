package io.switchboard.gateway.internal;

import java.time.Duration;

import com.linecorp.armeria.common.util.Exceptions;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.switchboard.api.MetadataKeys;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.calls.MuteVerifier;
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
 *   <tr><td>participant not connected</td><td>FAILED_PRECONDITION</td><td>409</td></tr>
 *   <tr><td>platform not supporting it</td><td>FAILED_PRECONDITION (trailer switchboard-unsupported)</td><td>422</td></tr>
 *   <tr><td>upstream down, breaker open, our credentials refused</td><td>UNAVAILABLE</td><td>503</td></tr>
 *   <tr><td>deadline</td><td>DEADLINE_EXCEEDED</td><td>504</td></tr>
 * </table>
 */
public final class StatusMapping {

    /** Marks a FAILED_PRECONDITION that means "this platform cannot do that" (HTTP 422, not 409). */
    static final Metadata.Key<String> UNSUPPORTED =
            Metadata.Key.of("switchboard-unsupported", Metadata.ASCII_STRING_MARSHALLER);

    /** Returns FAILED_PRECONDITION for a command the platform, as configured, cannot carry out. */
    public static StatusRuntimeException unsupported(String message) {
        final Metadata trailers = new Metadata();
        trailers.put(UNSUPPORTED, "true");
        return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException(trailers);
    }

    /** Returns the exception to hand the caller for {@code failure}. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        final Throwable cause = Exceptions.peel(failure);
        if (cause instanceof InvalidArgumentException invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage()).asRuntimeException();
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof UpstreamException upstream) {
            return toStatus(upstream);
        }
        if (cause instanceof MuteVerifier.MuteException mute) {
            final Status status = switch (mute.reason()) {
                case NO_SUCH_PARTICIPANT -> Status.NOT_FOUND;
                case NOT_CONNECTED -> Status.FAILED_PRECONDITION;
                case NOT_CONFIRMED -> Status.UNAVAILABLE;
            };
            return status.withDescription(mute.getMessage()).asRuntimeException();
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
        trailers.put(MetadataKeys.SWITCHBOARD_ATTEMPTS, Integer.toString(e.attempts()));
        e.correlationId().ifPresent(id -> trailers.put(MetadataKeys.SWITCHBOARD_CORRELATION_ID, id));
        if (e.kind() == UpstreamException.Kind.UNSUPPORTED) {
            trailers.put(UNSUPPORTED, "true");
        }
        if (e.kind() == UpstreamException.Kind.RATE_LIMITED) {
            final Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
            trailers.put(MetadataKeys.RETRY_AFTER, RetryAfter.format(wait));
            trailers.put(MetadataKeys.RETRY_PUSHBACK_MS, Long.toString(wait.toMillis()));
        }
        return status.withDescription(message.toString()).asRuntimeException(trailers);
    }

    private StatusMapping() {}
}
