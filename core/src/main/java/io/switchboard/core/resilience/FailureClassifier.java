package io.switchboard.core.resilience;

/**
 * Turns what an upstream client threw into a {@link Failure}. Each transport (gRPC, HTTP)
 * has one; the retry rules themselves live in {@link ResilientInvoker}.
 */
@FunctionalInterface
public interface FailureClassifier {

    /** Classifies {@code cause}, which is never a {@link java.util.concurrent.CompletionException}. */
    Failure classify(Throwable cause);
}
