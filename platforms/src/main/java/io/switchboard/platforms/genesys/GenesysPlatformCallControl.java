package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.calls.DtmfCommand;
import io.switchboard.core.calls.VolumeCommand;
import io.switchboard.core.resilience.UpstreamException;

/**
 * {@link CallControlPort} on the Genesys Cloud Platform API, for organisations that use it
 * rather than the gRPC call-control contract. A session is a participant of a conversation,
 * written {@code <conversationId>:<participantId>}.
 *
 * <ul>
 *   <li>DTMF: one {@code POST .../participants/{id}/digits} with all the tones; Genesys Cloud
 *       times them itself, so a tone length or gap other than the defaults is refused rather
 *       than silently ignored.</li>
 *   <li>Volume: the API has no server-side volume control; the command fails with
 *       {@link UpstreamException.Kind#UNSUPPORTED}.</li>
 * </ul>
 */
public final class GenesysPlatformCallControl implements CallControlPort {

    private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern SESSION = Pattern.compile("(" + UUID + "):(" + UUID + ")");

    private final GenesysPlatformApi api;

    /** Creates the adapter over {@code api}. */
    public GenesysPlatformCallControl(GenesysPlatformApi api) {
        this.api = requireNonNull(api, "api");
    }

    @Override
    public CompletableFuture<CommandOutcome> sendDtmf(DtmfCommand command, Instant deadline) {
        final Matcher session = SESSION.matcher(command.sessionId());
        if (!session.matches()) {
            return CompletableFuture.failedFuture(new InvalidArgumentException(
                    "session_id", command.sessionId(), "<conversationId>:<participantId>, both UUIDs, on the "
                                                       + "Genesys Cloud Platform API"));
        }
        if (!command.toneDuration().equals(DtmfCommand.DEFAULT_TONE_DURATION)
            || !command.gap().equals(DtmfCommand.DEFAULT_GAP)) {
            return CompletableFuture.failedFuture(unsupported(
                    "SendDtmf", "Genesys Cloud times DTMF tones itself: duration_ms and gap_ms cannot be set"));
        }
        return api.sendDigits(session.group(1), session.group(2), command.tones().value(), deadline)
                  .thenApply(a -> new CommandOutcome(a.correlationId(), a.attempts(), a.latency()));
    }

    @Override
    public CompletableFuture<CommandOutcome> setVolume(VolumeCommand command, Instant deadline) {
        return CompletableFuture.failedFuture(unsupported("SetVolume", "volume control is not supported by "
                                                                       + "Genesys Cloud"));
    }

    private static UpstreamException unsupported(String operation, String message) {
        return new UpstreamException(UpstreamException.Kind.UNSUPPORTED, "genesys-platform", operation, message, 0,
                                     null, null, null);
    }
}
