package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.calls.ConversationPort;

/** {@link ConversationPort} on the Genesys Cloud Platform API: read the call, PATCH the participant. */
public final class GenesysConversations implements ConversationPort {

    private final GenesysPlatformApi api;

    /** Creates the adapter over {@code api}. */
    public GenesysConversations(GenesysPlatformApi api) {
        this.api = requireNonNull(api, "api");
    }

    @Override
    public CompletableFuture<Optional<ParticipantState>> participant(String conversationId, String participantId,
                                                                     Instant deadline) {
        return api.callConversation(conversationId, deadline)
                  .thenApply(call -> call.participant(participantId)
                                         .map(p -> new ParticipantState(p.id(), p.state() == null ? "none" : p.state(),
                                                                        p.muted())));
    }

    @Override
    public CompletableFuture<CommandOutcome> setMuted(String conversationId, String participantId, boolean muted,
                                                      Instant deadline) {
        return api.setMuted(conversationId, participantId, muted, deadline)
                  .thenApply(a -> new CommandOutcome(a.correlationId(), a.attempts(), a.latency()));
    }
}
