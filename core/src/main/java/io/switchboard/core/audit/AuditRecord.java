package io.switchboard.core.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One audited action. Field names follow the audit line format ({@code snake_case}); a
 * record never holds a token, a secret or a sensitive digit.
 *
 * @param timestamp when the action ended
 * @param event what kind of thing happened, e.g. {@code call_control}
 * @param action what was done, e.g. {@code mute}, {@code send_dtmf}
 * @param status the outcome, e.g. {@code OK} or a gRPC status name
 * @param conversationId the conversation, if the action had one
 * @param participantId the participant, if the action had one
 * @param sessionId the media session, if the action had one
 * @param latencyMs time from receipt to answer
 * @param requestId the gateway's request id
 * @param correlationId the platform's correlation id, if it sent one
 * @param actor who asked: the API key's name
 * @param detail a short, non-sensitive description, e.g. {@code tones=3}
 */
public record AuditRecord(Instant timestamp, String event, String action, String status,
                          @Nullable String conversationId, @Nullable String participantId,
                          @Nullable String sessionId, long latencyMs, @Nullable String requestId,
                          @Nullable String correlationId, @Nullable String actor, @Nullable String detail) {

    /** Checks the required components. */
    public AuditRecord {
        requireNonNull(timestamp, "timestamp");
        requireNonNull(event, "event");
        requireNonNull(action, "action");
        requireNonNull(status, "status");
    }
}
