package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;
import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.api.v1.CallCommandRequest;
import io.switchboard.api.v1.CallCommandResponse;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.api.v1.CollectRequest;
import io.switchboard.api.v1.CollectResponse;
import io.switchboard.api.v1.PlayRequest;
import io.switchboard.api.v1.PlayResponse;
import io.switchboard.core.calls.CallIds;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.ivr.MediaUrls;
import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SendDtmfResponse;
import io.switchboard.api.v1.SetMuteRequest;
import io.switchboard.api.v1.SetMuteResponse;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.api.v1.SetVolumeResponse;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.calls.DtmfCommand;
import io.switchboard.core.calls.DtmfTones;
import io.switchboard.core.calls.MuteVerifier;
import io.switchboard.core.calls.VolumeCommand;

/**
 * Serves {@code switchboard.v1.CallControl}: validates each command, passes it to the
 * platform with the caller's deadline, and answers with what the platform did. REST reaches
 * the same methods through HTTP/JSON transcoding.
 *
 * <p>Every command, rejected ones included, gets one metric sample, one log line if it failed,
 * and one audit record. DTMF records say how many tones, never which.
 *
 * <p>Threading: methods run on the request's event loop and never block; answers are sent
 * from that same event loop once the platform's future completes.
 */
public final class CallControlService extends CallControlGrpc.CallControlImplBase {

    private static final Logger logger = LoggerFactory.getLogger(CallControlService.class);
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final long MAX_MUTE_SECONDS = MuteVerifier.MAX_MUTE.toSeconds();
    private static final int MAX_REASON_LENGTH = 200;

    private final Clock clock;
    private final Commands commands;
    private final Timer muteLatency;
    private final Duration muteWarnLatency;
    private final CallControlPort port;
    private final MediaPort prompts;
    private final MediaUrls mediaUrls;
    private final Mutes mutes;
    private final IdempotencyKeys idempotencyKeys;

    /**
     * What mute needs: the verifier, the timed unmutes, and the default bound; or, where no
     * platform serves conversations, why not.
     */
    public sealed interface Mutes {
        /** Mute is served. */
        record Served(MuteVerifier verifier, TimedUnmutes unmutes, Duration defaultMaxDuration,
                      RecordingSync recordingSync) implements Mutes {}

        /** Mute is not served; every call answers FAILED_PRECONDITION (HTTP 422) with {@code reason}. */
        record Unavailable(String reason) implements Mutes {}
    }

    /**
     * Creates the service with every port it uses; a capability that no platform serves is
     * given a port that answers "not configured" ({@link io.switchboard.platforms.NotConfigured}).
     *
     * @param port where DTMF and volume go
     * @param prompts where Play and Collect go
     * @param mediaUrls which prompt URLs may be used
     * @param mutes what mute needs
     * @param muteWarnLatency a mute slower than this is logged as a warning
     * @param idempotencyKeys what makes a repeated DTMF command send nothing
     */
    CallControlService(Clock clock, Duration commandTimeout, MeterRegistry meters, AuditTrail audit,
                       CallControlPort port, MediaPort prompts, MediaUrls mediaUrls, Mutes mutes,
                       Duration muteWarnLatency, IdempotencyKeys idempotencyKeys) {
        this.clock = requireNonNull(clock, "clock");
        this.idempotencyKeys = requireNonNull(idempotencyKeys, "idempotencyKeys");
        this.port = requireNonNull(port, "port");
        this.prompts = requireNonNull(prompts, "prompts");
        this.mediaUrls = requireNonNull(mediaUrls, "mediaUrls");
        this.mutes = requireNonNull(mutes, "mutes");
        commands = new Commands(clock, commandTimeout, meters, audit);
        this.muteWarnLatency = requireNonNull(muteWarnLatency, "muteWarnLatency");
        muteLatency = Timer.builder("switchboard.mute.latency")
                           .description("Mute and unmute: from receipt to confirmed read-back")
                           .publishPercentileHistogram()
                           .register(meters);
    }

    @Override
    public void sendDtmf(SendDtmfRequest request, StreamObserver<SendDtmfResponse> observer) {
        final ServiceRequestContext ctx = ServiceRequestContext.current();
        final String key = idempotencyKey(ctx, request.getIdempotencyKey());
        commands.run(new Commands.Command(ctx, "call_control", "SendDtmf", "send_dtmf", null, null,
                        request.getSessionId()), observer, () -> {
            DtmfCommand command = DtmfCommand.of(request.getSessionId(), DtmfTones.parse("tones", request.getTones()));
            if (request.hasDurationMs()) {
                command = command.withToneDuration(Duration.ofMillis(request.getDurationMs()));
            }
            if (request.hasGapMs()) {
                command = command.withGap(Duration.ofMillis(request.getGapMs()));
            }
            return command;
        }, (command, deadline) -> idempotencyKeys.run(key, "idempotency_key", Principal.of(ctx).name(),
                                                      fingerprint(command), deadline,
                                                      () -> port.sendDtmf(command, deadline)),
            IdempotencyKeys.Replay::correlationId,
            (command, replay) -> SendDtmfResponse.newBuilder()
                                                 .setSuccess(true)
                                                 .setMessage("sent " + command.tones().size() + " DTMF tone"
                                                             + (command.tones().size() == 1 ? "" : "s")
                                                             + (replay.replayed() ? REPLAYED : ""))
                                                 .setTonesSent(command.tones().value())
                                                 .setCorrelationId(nullToEmpty(replay.correlationId()))
                                                 .setAttempts(replay.attempts())
                                                 .setLatencyMs(millis(replay.latency()))
                                                 .setReplayed(replay.replayed())
                                                 .build(),
            command -> "tones=" + command.tones().size() + (key == null ? "" : " idempotency_key=yes"),
            CallControlService::replayDetail);
    }

    /** Marks a repeat in the audit trail: it sent nothing. */
    private static String replayDetail(IdempotencyKeys.Replay replay) {
        return replay.replayed() ? " replayed=yes (nothing sent)" : "";
    }

    /** What a repeat's answer adds. */
    private static final String REPLAYED = " (a repeat of the first request with this idempotency key: nothing was "
                                           + "sent again)";

    /** Returns the command's key, from the request field or else the {@code Idempotency-Key} header; null for none. */
    private static @Nullable String idempotencyKey(ServiceRequestContext ctx, String field) {
        if (!field.isEmpty()) {
            return field;
        }
        final String header = ctx.request().headers().get("idempotency-key");
        return header == null || header.isEmpty() ? null : header;
    }

    /** Returns what makes two DTMF commands the same command. */
    private static String fingerprint(DtmfCommand c) {
        return "SendDtmf|" + c.sessionId() + '|' + c.tones().value() + '|' + c.toneDuration().toMillis() + '|'
               + c.gap().toMillis();
    }

    @Override
    public void setVolume(SetVolumeRequest request, StreamObserver<SetVolumeResponse> observer) {
        commands.run(new Commands.Command(ServiceRequestContext.current(), "call_control", "SetVolume", "set_volume", null, null,
                        request.getSessionId()), observer, () -> {
            if (!request.hasVolume()) {
                throw new InvalidArgumentException("volume", InvalidArgumentException.MISSING, "0.0..1.0");
            }
            return new VolumeCommand(request.getSessionId(), request.getVolume());
        }, (command, deadline) -> port.setVolume(command, deadline), CommandOutcome::correlationId,
            (command, outcome) -> SetVolumeResponse.newBuilder()
                                                   .setSuccess(true)
                                                   .setMessage(String.format(Locale.ROOT, "volume set to %.2f",
                                                                             command.volume()))
                                                   .setVolume(command.volume())
                                                   .setCorrelationId(nullToEmpty(outcome.correlationId()))
                                                   .setAttempts(outcome.attempts())
                                                   .setLatencyMs(millis(outcome.latency()))
                                                   .build(),
            CallControlService::volumeDetail);
    }

    /** A validated Play. */
    private record PlayCommand(String callId, MediaPort.Prompt prompt) {}

    @Override
    public void play(PlayRequest request, StreamObserver<PlayResponse> observer) {
        commands.run(new Commands.Command(ServiceRequestContext.current(), "call_control", "Play", "play", null, null,
                                          request.getCallId()), observer,
            () -> new PlayCommand(CallIds.check("call_id", request.getCallId()),
                                  new MediaPort.Prompt(mediaUrl("media_url", request.getMediaUrl()), request.getLoop(),
                                                       !request.hasInterruptible() || request.getInterruptible())),
            (command, deadline) -> prompts.play(command.callId(), command.prompt(), deadline), played -> null,
            (command, played) -> PlayResponse.newBuilder()
                                             .setSuccess(true)
                                             .setMessage("playing " + played.mediaUrl())
                                             .setStatus(played.status())
                                             .setMediaUrl(played.mediaUrl())
                                             .build(),
            command -> "media_url=" + command.prompt().mediaUrl());
    }

    /** A validated Collect. */
    private record CollectCommand(String callId, MediaPort.Collection collection) {}

    @Override
    public void collect(CollectRequest request, StreamObserver<CollectResponse> observer) {
        commands.run(new Commands.Command(ServiceRequestContext.current(), "call_control", "Collect", "collect", null,
                                          null, request.getCallId()), observer, () -> {
            final String callId = CallIds.check("call_id", request.getCallId());
            if (request.getMaxDigits() < 1 || request.getMaxDigits() > 32) {
                throw new InvalidArgumentException("max_digits", request.getMaxDigits(), "1..32");
            }
            final int timeoutMs = request.hasTimeoutMs() ? request.getTimeoutMs() : 5_000;
            if (timeoutMs < 500 || timeoutMs > 120_000) {
                throw new InvalidArgumentException("timeout_ms", timeoutMs, "500..120000");
            }
            final java.util.List<String> terminators = request.getTerminatingDigitsCount() == 0
                                                       ? java.util.List.of("#") : request.getTerminatingDigitsList();
            for (int i = 0; i < terminators.size(); i++) {
                if (!terminators.get(i).equals("#") && !terminators.get(i).equals("*")) {
                    throw new InvalidArgumentException("terminating_digits[" + i + ']', terminators.get(i), "# or *");
                }
            }
            final MediaPort.Prompt prompt = request.getPromptUrl().isEmpty()
                                            ? null : new MediaPort.Prompt(mediaUrl("prompt_url", request.getPromptUrl()),
                                                                          false, true);
            return new CollectCommand(callId, new MediaPort.Collection(request.getMaxDigits(),
                                                                       Duration.ofMillis(timeoutMs), terminators,
                                                                       prompt));
        }, (command, deadline) -> prompts.collect(command.callId(), command.collection(),
                                                    deadline.plus(command.collection().timeout())),
            collected -> null,
            (command, collected) -> CollectResponse.newBuilder()
                                                   .setSuccess(true)
                                                   .setMessage(collected.timedOut() ? "no input in time"
                                                               : "collected " + collected.digits().length() + " digits")
                                                   .setDigits(collected.digits())
                                                   .setTimedOut(collected.timedOut())
                                                   .setReason(collected.reason())
                                                   .build(),
            // The digits may be a PIN: the audit trail keeps only how many.
            command -> "max_digits=" + command.collection().maxDigits());
    }

    private String mediaUrl(String field, String url) {
        if (url.isEmpty()) {
            throw new InvalidArgumentException(field, InvalidArgumentException.MISSING, "an https URL");
        }
        final String problem = mediaUrls.problem(url);
        if (problem != null) {
            throw new InvalidArgumentException(field, url, "a media URL; " + problem);
        }
        return url;
    }


    @Override
    public void executeCommand(CallCommandRequest request, StreamObserver<CallCommandResponse> observer) {
        if (request.getIsDtmf()) {
            final ServiceRequestContext ctx = ServiceRequestContext.current();
            final String key = idempotencyKey(ctx, "");
            commands.run(new Commands.Command(ctx, "call_control", "ExecuteCommand", "send_dtmf", null, null,
                            request.getSessionId()), observer,
                () -> DtmfCommand.of(request.getSessionId(), DtmfTones.parse("tone", request.getTone())),
                (command, deadline) -> idempotencyKeys.run(key, "Idempotency-Key", Principal.of(ctx).name(),
                                                           fingerprint(command), deadline,
                                                           () -> port.sendDtmf(command, deadline)),
                IdempotencyKeys.Replay::correlationId,
                (command, replay) -> CallCommandResponse.newBuilder().setSuccess(true)
                                                        .setMessage("DTMF tone " + command.tones().value()
                                                                    + " injected successfully"
                                                                    + (replay.replayed() ? REPLAYED : ""))
                                                        .build(),
                command -> "tones=" + command.tones().size() + (key == null ? "" : " idempotency_key=yes"),
                CallControlService::replayDetail);
        } else {
            commands.run(new Commands.Command(ServiceRequestContext.current(), "call_control", "ExecuteCommand", "set_volume", null, null,
                            request.getSessionId()), observer,
                () -> new VolumeCommand(request.getSessionId(), request.getVolume()),
                (command, deadline) -> port.setVolume(command, deadline), CommandOutcome::correlationId,
                (command, outcome) -> CallCommandResponse.newBuilder().setSuccess(true)
                                                         .setMessage(String.format(Locale.ROOT, "Volume set to %.2f",
                                                                                   command.volume()))
                                                         .build(),
                CallControlService::volumeDetail);
        }
    }

    /** A validated mute or unmute. */
    private record MuteCommand(String conversationId, String participantId, boolean muted,
                               @Nullable Duration maxDuration, String reason) {}

    @Override
    public void setMute(SetMuteRequest request, StreamObserver<SetMuteResponse> observer) {
        final boolean muting = !request.hasMuted() || request.getMuted();
        final ServiceRequestContext ctx = ServiceRequestContext.current();
        commands.run(new Commands.Command(ctx, "call_control", "SetMute", muting ? "mute" : "unmute", request.getConversationId(),
                        request.getParticipantId(), null), observer, () -> {
            final String conversationId = uuid("conversation_id", request.getConversationId());
            final String participantId = uuid("participant_id", request.getParticipantId());
            if (!request.hasMuted()) {
                throw new InvalidArgumentException("muted", InvalidArgumentException.MISSING, "true or false");
            }
            Duration maxDuration = null;
            if (request.hasMaxDurationSeconds()) {
                if (!request.getMuted()) {
                    throw new InvalidArgumentException("max_duration_seconds", request.getMaxDurationSeconds(),
                                                       "only with muted: true");
                }
                final int seconds = request.getMaxDurationSeconds();
                if (seconds < 1 || seconds > MAX_MUTE_SECONDS) {
                    throw new InvalidArgumentException("max_duration_seconds", seconds, "1.." + MAX_MUTE_SECONDS);
                }
                maxDuration = Duration.ofSeconds(seconds);
            }
            if (request.getReason().length() > MAX_REASON_LENGTH) {
                throw new InvalidArgumentException("reason", request.getReason().substring(0, 20) + "...",
                                                   "at most " + MAX_REASON_LENGTH + " characters");
            }
            return new MuteCommand(conversationId, participantId, request.getMuted(), maxDuration,
                                   request.getReason());
        }, (command, deadline) -> {
            final Mutes.Served m = mutes();
            return m.verifier().setMuted(command.conversationId(), command.participantId(), command.muted(), deadline)
                    .thenApply(confirmed -> {
                        final Instant unmuteAt;
                        if (command.muted()) {
                            final Duration bound = command.maxDuration() != null ? command.maxDuration()
                                                                                 : m.defaultMaxDuration();
                            unmuteAt = clock.instant().plus(bound);
                            m.unmutes().schedule(new TimedUnmutes.Pending(
                                    command.conversationId(), command.participantId(), unmuteAt,
                                    Principal.of(ctx).name(), RequestIds.of(ctx)));
                        } else {
                            unmuteAt = null;
                            m.unmutes().cancel(command.conversationId(), command.participantId());
                        }
                        recordMuteLatency(ctx, command, confirmed.latency());
                        m.recordingSync().muteChanged(command.conversationId(), command.participantId(),
                                                      confirmed.readBack().muted(), command.muted() ? "mute" : "unmute",
                                                      confirmed.latency(), RequestIds.of(ctx),
                                                      Principal.of(ctx).name());
                        return new MuteOutcome(confirmed, unmuteAt);
                    });
        }, outcome -> outcome.confirmed().change().correlationId(),
            (command, outcome) -> {
                final MuteVerifier.Confirmed c = outcome.confirmed();
                return SetMuteResponse.newBuilder()
                                      .setSuccess(true)
                                      .setMessage((command.muted() ? "muted" : "unmuted") + " participant "
                                                  + command.participantId() + " (confirmed after "
                                                  + c.readBacks() + " read-back" + (c.readBacks() == 1 ? "" : "s")
                                                  + ')')
                                      .setMuted(c.readBack().muted())
                                      .setParticipantState(c.readBack().state())
                                      .setUnmuteAt(outcome.unmuteAt() == null ? "" : outcome.unmuteAt().toString())
                                      .setCorrelationId(nullToEmpty(c.change().correlationId()))
                                      .setAttempts(c.change().attempts())
                                      .setLatencyMs(millis(c.latency()))
                                      .build();
            },
            command -> (command.muted() ? "muted=true" : "muted=false")
                       + (command.maxDuration() != null ? " for=" + command.maxDuration().toSeconds() + "s" : "")
                       + (command.reason().isEmpty() ? "" : " reason=" + command.reason()));
    }

    private record MuteOutcome(MuteVerifier.Confirmed confirmed, @Nullable Instant unmuteAt) {}

    private void recordMuteLatency(ServiceRequestContext ctx, MuteCommand command, Duration latency) {
        muteLatency.record(latency);
        if (latency.compareTo(muteWarnLatency) > 0) {
            logger.warn("{} of participant {} took {} ms, over the {} ms threshold ({})",
                        command.muted() ? "Mute" : "Unmute", command.participantId(), latency.toMillis(),
                        muteWarnLatency.toMillis(), kv("requestId", RequestIds.of(ctx)));
        }
    }


    private Mutes.Served mutes() {
        return switch (mutes) {
            case Mutes.Served served -> served;
            case Mutes.Unavailable unavailable -> throw StatusMapping.unsupported(unavailable.reason());
        };
    }

    private static String uuid(String field, String value) {
        if (!UUID.matcher(value).matches()) {
            throw new InvalidArgumentException(field, value, "a UUID");
        }
        return value;
    }

    private static String volumeDetail(VolumeCommand command) {
        return String.format(Locale.ROOT, "volume=%.2f", command.volume());
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

}
