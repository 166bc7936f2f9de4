package io.switchboard.core.calls;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.util.Exceptions;

import io.switchboard.core.resilience.RetryScheduler;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Mutes and unmutes participants so that the result is known, not hoped for:
 * <ol>
 *   <li>check: the participant must exist and be {@code connected}, otherwise the change is
 *       refused with {@link MuteException.Reason#NOT_CONNECTED} naming its state;</li>
 *   <li>change: ask the platform;</li>
 *   <li>confirm: read the participant back until it shows the requested state, every
 *       {@code pollInterval} up to {@code readBackTimeout}; a participant that does not show it
 *       by then is {@link MuteException.Reason#NOT_CONFIRMED}, never a success.</li>
 * </ol>
 *
 * <p>Threading: nothing blocks; read-backs are scheduled on the {@link RetryScheduler}.
 */
public final class MuteVerifier {

    /** The outcome of a confirmed change. */
    public record Confirmed(ConversationPort.ParticipantState readBack, CommandOutcome change, int readBacks,
                            Duration latency) {}

    /** A refused or unconfirmed change. Carries no stack trace: it is an answer, not a bug. */
    public static final class MuteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Why. */
        public enum Reason {
            /** The conversation has no such participant. */
            NO_SUCH_PARTICIPANT,
            /** The participant is not connected. */
            NOT_CONNECTED,
            /** The platform accepted the change, but the participant never showed it. */
            NOT_CONFIRMED,
        }

        private final Reason reason;
        private final @Nullable String state;

        MuteException(Reason reason, String message, @Nullable String state) {
            super(message, null, false, false);
            this.reason = reason;
            this.state = state;
        }

        /** Returns why the change was refused or unconfirmed. */
        public Reason reason() {
            return reason;
        }

        /** Returns the participant's state, when known. */
        public @Nullable String state() {
            return state;
        }
    }

    private final ConversationPort conversations;
    private final Clock clock;
    private final RetryScheduler scheduler;
    /** Time between read-backs: 100 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    /** How long a change may take to show when read back: 2 s. */
    public static final Duration DEFAULT_READ_BACK_TIMEOUT = Duration.ofSeconds(2);

    /** The longest a mute may last before it ends by itself: 2 h. */
    public static final Duration MAX_MUTE = Duration.ofHours(2);

    private final Duration pollInterval;
    private final Duration readBackTimeout;

    /**
     * Creates a verifier.
     *
     * @param pollInterval time between read-backs, e.g. 100 ms
     * @param readBackTimeout how long the change may take to show, e.g. 2 s
     */
    public MuteVerifier(ConversationPort conversations, Clock clock, RetryScheduler scheduler,
                        Duration pollInterval, Duration readBackTimeout) {
        this.conversations = requireNonNull(conversations, "conversations");
        this.clock = requireNonNull(clock, "clock");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval");
        this.readBackTimeout = requireNonNull(readBackTimeout, "readBackTimeout");
    }

    /**
     * Checks, changes and confirms. The future fails with {@link MuteException} or
     * {@link UpstreamException}.
     */
    public CompletableFuture<Confirmed> setMuted(String conversationId, String participantId, boolean muted,
                                                 Instant deadline) {
        requireNonNull(conversationId, "conversationId");
        requireNonNull(participantId, "participantId");
        requireNonNull(deadline, "deadline");
        final Instant start = clock.instant();
        return conversations.participant(conversationId, participantId, deadline).thenCompose(found -> {
            final ConversationPort.ParticipantState before = found.orElseThrow(() -> new MuteException(
                    MuteException.Reason.NO_SUCH_PARTICIPANT,
                    "participant " + participantId + " is not in conversation " + conversationId, null));
            if (!"connected".equals(before.state())) {
                throw new MuteException(MuteException.Reason.NOT_CONNECTED,
                                        "participant " + participantId + " is " + before.state()
                                        + " (expected: connected)", before.state());
            }
            return conversations.setMuted(conversationId, participantId, muted, deadline);
        }).thenCompose(change -> {
            final CompletableFuture<Confirmed> confirmed = new CompletableFuture<>();
            final Instant giveUpAt = min(clock.instant().plus(readBackTimeout), deadline);
            readBack(conversationId, participantId, muted, change, start, giveUpAt, deadline, 1, confirmed);
            return confirmed;
        });
    }

    private void readBack(String conversationId, String participantId, boolean muted, CommandOutcome change,
                          Instant start, Instant giveUpAt, Instant deadline, int attempt,
                          CompletableFuture<Confirmed> confirmed) {
        conversations.participant(conversationId, participantId, deadline).whenComplete((found, error) -> {
            if (error != null) {
                confirmed.completeExceptionally(Exceptions.peel(error));
                return;
            }
            if (found.isPresent() && found.get().muted() == muted) {
                confirmed.complete(new Confirmed(found.get(), change, attempt,
                                                 Duration.between(start, clock.instant())));
                return;
            }
            if (!clock.instant().plus(pollInterval).isBefore(giveUpAt)) {
                final String shown = found.map(p -> "muted=" + p.muted() + ", state " + p.state()).orElse("gone");
                confirmed.completeExceptionally(new MuteException(
                        MuteException.Reason.NOT_CONFIRMED,
                        String.format(Locale.ROOT, "the platform accepted muted=%s, but after %d read-backs over %d ms "
                                                   + "participant %s shows %s", muted, attempt,
                                      Duration.between(start, clock.instant()).toMillis(), participantId, shown),
                        found.map(ConversationPort.ParticipantState::state).orElse(null)));
                return;
            }
            scheduler.schedule(pollInterval, () -> readBack(conversationId, participantId, muted, change, start,
                                                            giveUpAt, deadline, attempt + 1, confirmed));
        });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
