package io.switchboard.platforms.http;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;

import io.switchboard.core.resilience.Failure;
import io.switchboard.core.resilience.FailureClassifier;

/**
 * Classifies the failures of an HTTP upstream. Non-success answers are classified by status
 * ({@link #classifyStatus}); the adapter's exception type carries the status, the retry hint
 * and the correlation id, read through {@link Answer}.
 *
 * <table>
 *   <caption>Statuses</caption>
 *   <tr><td>429</td><td>rate limited (the platform did not act)</td></tr>
 *   <tr><td>401</td><td>token rejected</td></tr>
 *   <tr><td>404</td><td>not found</td></tr>
 *   <tr><td>502, 503, 504</td><td>transient (may have acted)</td></tr>
 *   <tr><td>other 4xx</td><td>rejected</td></tr>
 *   <tr><td>other 5xx</td><td>other</td></tr>
 * </table>
 */
public final class HttpFailures implements FailureClassifier {

    /** What the classifier needs from an adapter's exception for a non-success answer. */
    public record Answer(int status, String message, java.time.@Nullable Duration retryAfter,
                         @Nullable String correlationId) {}

    private final Function<Throwable, @Nullable Answer> answers;

    /** Creates a classifier that reads answers with {@code answers}, which returns null for other exceptions. */
    public HttpFailures(Function<Throwable, @Nullable Answer> answers) {
        this.answers = answers;
    }

    @Override
    public Failure classify(Throwable cause) {
        final Answer answer = answers.apply(cause);
        if (answer != null) {
            final Failure.Type type = classifyStatus(answer.status());
            return new Failure(type, answer.message(), type == Failure.Type.RATE_LIMITED ? answer.retryAfter() : null,
                               answer.correlationId());
        }
        if (cause instanceof UnprocessedRequestException) {
            return Failure.of(Failure.Type.NOT_SENT, "not sent: " + describe(cause.getCause()));
        }
        if (cause instanceof ResponseTimeoutException) {
            return Failure.of(Failure.Type.TIMED_OUT, "no answer in time");
        }
        return Failure.of(Failure.Type.OTHER, describe(cause));
    }

    /** Returns how an HTTP {@code status} bears on retrying. */
    public static Failure.Type classifyStatus(int status) {
        return switch (status) {
            case 429 -> Failure.Type.RATE_LIMITED;
            case 401 -> Failure.Type.UNAUTHENTICATED;
            case 404 -> Failure.Type.NOT_FOUND;
            case 502, 503, 504 -> Failure.Type.TRANSIENT;
            default -> status >= 400 && status < 500 ? Failure.Type.REJECTED : Failure.Type.OTHER;
        };
    }

    private static String describe(@Nullable Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }
}
