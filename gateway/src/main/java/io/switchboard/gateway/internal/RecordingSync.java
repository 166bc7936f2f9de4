package io.switchboard.gateway.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.core.webhook.WebhookSender;

/**
 * Tells a recording system when a participant's mute changes, so that recordings line up with
 * what was audible: a signed webhook per confirmed mute, unmute or timed unmute. Delivery runs
 * in the background and never delays or fails the mute.
 *
 * <p>Body: {@code {"id", "event": "participant.mute_changed", "conversationId", "participantId",
 * "muted", "cause": "mute"|"unmute"|"auto_unmute", "timestamp", "latencyMs", "requestId", "actor"}}.
 * {@code id} is unique per event, for receivers to drop a duplicate delivery.
 */
public final class RecordingSync {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingSync DISABLED = new RecordingSync(null, Clock.systemUTC());

    private final @Nullable WebhookSender sender;
    private final Clock clock;

    /** Returns a sync that sends nothing: no webhook is configured. */
    public static RecordingSync disabled() {
        return DISABLED;
    }

    /** Creates a sync that sends through {@code sender}. */
    public RecordingSync(@Nullable WebhookSender sender, Clock clock) {
        this.sender = sender;
        this.clock = clock;
    }

    /** Reports a confirmed change; returns at once. */
    public void muteChanged(String conversationId, String participantId, boolean muted, String cause,
                            Duration latency, @Nullable String requestId, @Nullable String actor) {
        if (sender == null) {
            return;
        }
        final ObjectNode body = JSON.createObjectNode()
                                    .put("id", UUID.randomUUID().toString())
                                    .put("event", "participant.mute_changed")
                                    .put("conversationId", conversationId)
                                    .put("participantId", participantId)
                                    .put("muted", muted)
                                    .put("cause", cause)
                                    .put("timestamp", clock.instant().toString())
                                    .put("latencyMs", latency.toMillis());
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        if (actor != null) {
            body.put("actor", actor);
        }
        sender.send(body.toString());
    }
}
