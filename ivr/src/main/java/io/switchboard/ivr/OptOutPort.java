package io.switchboard.ivr;

import java.util.concurrent.CompletableFuture;

/**
 * Where a flow's {@code optOut} node records that the person on the call asked not to be called
 * again: the gateway's opt-out lists, which {@code /validate} consults at once.
 */
@FunctionalInterface
public interface OptOutPort {

    /**
     * Records that {@code phoneNumber} opted out in {@code scope} ({@code global},
     * {@code campaign:<id>} or {@code brand:<name>}); completes once it is durable.
     *
     * @param source where it was captured, e.g. {@code ivr:<flow>}
     * @param runId the flow run that captured it, kept as the opt-out's reason
     */
    CompletableFuture<Void> optOut(String phoneNumber, String scope, String source, String runId);
}
