package io.switchboard.sandbox.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/** Simulated Genesys Cloud call conversations and their participants. Thread-safe. */
public final class GenesysConversations {

    /** The participant states of the Platform API, lower case. */
    public static final Set<String> STATES = Set.of("alerting", "dialing", "contacting", "offering", "connected",
                                                    "disconnected", "terminated", "converting", "uploading",
                                                    "transmitting", "parked", "none");

    /** A participant as the sandbox holds it. */
    public static final class Participant {
        final String id;
        final String purpose;
        String state;
        boolean muted;
        boolean held;
        final List<String> digits = new ArrayList<>();

        Participant(String id, String purpose, String state) {
            this.id = id;
            this.purpose = purpose;
            this.state = state;
        }
    }

    /** A conversation as the sandbox holds it; guarded by its own monitor. */
    public static final class Conversation {
        final String id;
        final Instant startTime;
        final Map<String, Participant> participants = new LinkedHashMap<>();

        Conversation(String id, Instant startTime) {
            this.id = id;
            this.startTime = startTime;
        }
    }

    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final int maxConversations;

    /** Creates the conversations, holding at most {@code maxConversations}. */
    GenesysConversations(int maxConversations) {
        this.maxConversations = maxConversations;
    }

    /** Creates a conversation with participants of the given purposes and states. */
    public Conversation create(List<String[]> purposeAndState, Instant now) {
        SandboxFull.check("conversations", conversations.size(), maxConversations);
        final Conversation c = new Conversation(UUID.randomUUID().toString(), now);
        for (String[] ps : purposeAndState) {
            final Participant p = new Participant(UUID.randomUUID().toString(), ps[0], ps[1]);
            c.participants.put(p.id, p);
        }
        conversations.put(c.id, c);
        return c;
    }

    /** Returns the conversation {@code id}. */
    public Optional<Conversation> get(String id) {
        return Optional.ofNullable(conversations.get(id));
    }

    /** Returns a participant's fields as both APIs show them; call with the conversation's monitor held. */
    static Map<String, Object> view(Participant p) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id);
        m.put("purpose", p.purpose);
        m.put("state", p.state);
        m.put("muted", p.muted);
        m.put("held", p.held);
        return m;
    }

    /** Returns a participant of a conversation. Call with the conversation's monitor held. */
    static @Nullable Participant participant(Conversation c, String participantId) {
        return c.participants.get(participantId);
    }
}
