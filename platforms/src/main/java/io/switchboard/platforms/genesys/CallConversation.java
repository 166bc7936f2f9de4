package io.switchboard.platforms.genesys;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The parts of Genesys Cloud's {@code CallConversation} that Switchboard reads
 * ({@code GET /api/v2/conversations/calls/{conversationId}}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallConversation(String id, List<Participant> participants) {

    /** One participant of a call; {@code state} is lower case, e.g. {@code connected}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Participant(String id, @Nullable String purpose, @Nullable String state, boolean muted,
                              boolean held, boolean confined, @Nullable String direction) {}

    /** Normalises absent lists. */
    public CallConversation {
        participants = participants == null ? List.of() : List.copyOf(participants);
    }

    /** Returns the participant with {@code participantId}, if the call has one. */
    public Optional<Participant> participant(String participantId) {
        return participants.stream().filter(p -> participantId.equals(p.id())).findFirst();
    }
}
