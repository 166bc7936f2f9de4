package io.switchboard.platforms;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.calls.ConversationPort;
import io.switchboard.core.calls.DtmfCommand;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.core.calls.VolumeCommand;
import io.switchboard.core.campaigns.CampaignPort;
import io.switchboard.core.campaigns.DncListPort;
import io.switchboard.core.resilience.UpstreamException;

/**
 * The ports of a capability that no platform serves as configured: every call fails at once
 * with {@link UpstreamException.Kind#UNSUPPORTED} (FAILED_PRECONDITION, HTTP 422) and a
 * message that says what to set. Nothing is sent anywhere, and nothing is simulated.
 */
public final class NotConfigured implements CallControlPort, ConversationPort, MediaPort, DncListPort, CampaignPort {

    /**
     * Returns the port for {@code capability} that answers with {@code reason}, e.g.
     * {@code cxone is not configured: set CXONE_CLIENT_ID and CXONE_CLIENT_SECRET}.
     */
    public static <P> P port(Capability<P> capability, String reason) {
        return capability.cast(new NotConfigured(capability.name(), reason));
    }

    /** Returns a platform that offers nothing, each capability answering {@code reason}. */
    public static Platform platform(String name, String reason) {
        requireNonNull(name, "name");
        requireNonNull(reason, "reason");
        return new Platform() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String destination() {
                return "not configured";
            }

            @Override
            public boolean simulated() {
                return false;
            }

            @Override
            public <P> Optional<P> port(Capability<P> capability) {
                return Optional.empty();
            }

            @Override
            public String unavailable(Capability<?> capability) {
                return reason;
            }

            @Override
            public List<com.linecorp.armeria.client.circuitbreaker.CircuitBreaker> breakers() {
                return List.of();
            }
        };
    }

    private final String capability;
    private final String reason;

    private NotConfigured(String capability, String reason) {
        this.capability = capability;
        this.reason = requireNonNull(reason, "reason");
    }

    /** Returns what the caller is told. */
    public String reason() {
        return reason;
    }

    private <T> CompletableFuture<T> refuse(String operation) {
        return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.UNSUPPORTED, capability,
                                                                    operation, reason, 0, null, null, null));
    }

    @Override
    public CompletableFuture<CommandOutcome> sendDtmf(DtmfCommand command, Instant deadline) {
        return refuse("SendDtmf");
    }

    @Override
    public CompletableFuture<CommandOutcome> setVolume(VolumeCommand command, Instant deadline) {
        return refuse("SetVolume");
    }

    @Override
    public CompletableFuture<Optional<ParticipantState>> participant(String conversationId, String participantId,
                                                                     Instant deadline) {
        return refuse("GetParticipant");
    }

    @Override
    public CompletableFuture<CommandOutcome> setMuted(String conversationId, String participantId, boolean muted,
                                                      Instant deadline) {
        return refuse("SetMuted");
    }

    @Override
    public CompletableFuture<CallStatus> status(String callId, Instant deadline) {
        return refuse("GetCall");
    }

    @Override
    public CompletableFuture<Played> play(String callId, Prompt prompt, Instant deadline) {
        return refuse("Play");
    }

    @Override
    public CompletableFuture<Collected> collect(String callId, Collection collection, Instant deadline) {
        return refuse("Collect");
    }

    @Override
    public CompletableFuture<DncList> create(String name, Instant deadline) {
        return refuse("CreateDncList");
    }

    @Override
    public CompletableFuture<DncList> list(String listId, Instant deadline) {
        return refuse("GetDncList");
    }

    @Override
    public CompletableFuture<Void> addNumbers(String listId, List<String> e164, @Nullable Instant expires,
                                              Instant deadline) {
        return refuse("AddDncNumbers");
    }

    @Override
    public CompletableFuture<Campaign> campaign(String campaignId, Instant deadline) {
        return refuse("GetCampaign");
    }

    @Override
    public CompletableFuture<Attached> attach(String campaignId, String dncListId, @Nullable String contactListId,
                                              Instant deadline) {
        return refuse("AttachDncList");
    }

    @Override
    public String toString() {
        return "NotConfigured{" + capability + ": " + reason + '}';
    }
}
