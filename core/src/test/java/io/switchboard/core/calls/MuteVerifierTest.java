package io.switchboard.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.switchboard.core.calls.MuteVerifier.MuteException;
import io.switchboard.core.testing.ManualScheduler;
import io.switchboard.core.testing.MutableClock;

class MuteVerifierTest {

    /** One participant whose mute shows only after {@code lagReads} reads. */
    static final class OneParticipant implements ConversationPort {
        String state = "connected";
        boolean muted;
        boolean requested;
        int lagReads;
        int reads;
        int changes;

        @Override
        public CompletableFuture<Optional<ParticipantState>> participant(String conversationId, String participantId,
                                                                         Instant deadline) {
            reads++;
            if (changes > 0 && lagReads-- <= 0) {
                muted = requested;
            }
            return CompletableFuture.completedFuture(
                    "p-1".equals(participantId) ? Optional.of(new ParticipantState("p-1", state, muted))
                                                : Optional.empty());
        }

        @Override
        public CompletableFuture<CommandOutcome> setMuted(String conversationId, String participantId, boolean muted,
                                                          Instant deadline) {
            changes++;
            requested = muted;
            return CompletableFuture.completedFuture(new CommandOutcome("corr-1", 1, Duration.ofMillis(5)));
        }
    }

    private final MutableClock clock = new MutableClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final OneParticipant platform = new OneParticipant();
    private final MuteVerifier verifier = new MuteVerifier(platform, clock, scheduler, Duration.ofMillis(100),
                                                           Duration.ofSeconds(2));
    private final Instant deadline = clock.instant().plusSeconds(10);

    private MuteException refused(String participant) {
        final CompletionException e = catchThrowableOfType(CompletionException.class,
                () -> verifier.setMuted("c-1", participant, true, deadline).join());
        assertThat(e.getCause()).isInstanceOf(MuteException.class);
        return (MuteException) e.getCause();
    }

    @Test
    void confirmsAMuteThatShowsAtOnce() {
        final MuteVerifier.Confirmed confirmed = verifier.setMuted("c-1", "p-1", true, deadline).join();
        assertThat(confirmed.readBack().muted()).isTrue();
        assertThat(confirmed.readBacks()).isEqualTo(1);
        assertThat(confirmed.change().correlationId()).isEqualTo("corr-1");
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void waitsForAChangeThatShowsLate() {
        platform.lagReads = 2;
        final MuteVerifier.Confirmed confirmed = verifier.setMuted("c-1", "p-1", true, deadline).join();
        assertThat(confirmed.readBacks()).isEqualTo(3);
        assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    }

    @Test
    void aChangeThatNeverShowsIsAnErrorNotASuccess() {
        platform.lagReads = 1_000;
        final MuteException e = refused("p-1");
        assertThat(e.reason()).isEqualTo(MuteException.Reason.NOT_CONFIRMED);
        assertThat(e.getMessage()).contains("accepted muted=true").contains("shows muted=false");
        assertThat(clock.instant()).isBefore(deadline);
        assertThat(scheduler.delays().size()).isBetween(18, 20);
    }

    @Test
    void refusesAParticipantThatIsNotConnectedNamingItsState() {
        platform.state = "disconnected";
        final MuteException e = refused("p-1");
        assertThat(e.reason()).isEqualTo(MuteException.Reason.NOT_CONNECTED);
        assertThat(e.state()).isEqualTo("disconnected");
        assertThat(e.getMessage()).isEqualTo("participant p-1 is disconnected (expected: connected)");
        assertThat(platform.changes).as("nothing was asked of the platform").isZero();
    }

    @Test
    void refusesAParticipantThatIsNotInTheConversation() {
        assertThat(refused("p-2").reason()).isEqualTo(MuteException.Reason.NO_SUCH_PARTICIPANT);
    }
}
