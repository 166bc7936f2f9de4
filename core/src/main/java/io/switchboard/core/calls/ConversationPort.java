package io.switchboard.core.calls;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.switchboard.core.resilience.UpstreamException;

/**
 * Reads and changes the participants of live conversations on one platform. Implementations
 * live with the platform adapters.
 *
 * <p>Methods never block. Futures fail with {@link UpstreamException} when the platform refused
 * or could not be reached in time.
 */
public interface ConversationPort {

    /** How a participant stands: its platform state (lower case, e.g. {@code connected}) and mute flag. */
    record ParticipantState(String participantId, String state, boolean muted) {}

    /**
     * Reads a participant's current state; empty if the conversation exists but has no such
     * participant. A missing conversation fails with {@link UpstreamException.Kind#NOT_FOUND}.
     */
    CompletableFuture<Optional<ParticipantState>> participant(String conversationId, String participantId,
                                                              Instant deadline);

    /**
     * Asks the platform to mute or unmute a participant. Idempotent. Completing means the
     * platform accepted the request, not that the change shows yet: read it back.
     */
    CompletableFuture<CommandOutcome> setMuted(String conversationId, String participantId, boolean muted,
                                               Instant deadline);
}
