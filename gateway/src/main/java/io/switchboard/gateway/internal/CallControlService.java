package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;
import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.api.v1.CallCommandRequest;
import io.switchboard.api.v1.CallCommandResponse;
import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SendDtmfResponse;
import io.switchboard.api.v1.SetVolumeRequest;
import io.switchboard.api.v1.SetVolumeResponse;
import io.switchboard.api.MetadataKeys;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.calls.DtmfCommand;
import io.switchboard.core.calls.DtmfTones;
import io.switchboard.core.calls.VolumeCommand;

/**
 * Serves {@code switchboard.v1.CallControl}: validates each command, passes it to the
 * platform's {@link CallControlPort} with the caller's deadline, and answers with what the
 * platform did. REST reaches the same methods through HTTP/JSON transcoding. Every command,
 * rejected ones included, is audited; DTMF records say how many tones, never which.
 *
 * <p>Threading: methods run on the request's event loop and never block; answers are sent
 * from that same event loop once the port's future completes.
 */
public final class CallControlService extends CallControlGrpc.CallControlImplBase {

    private static final Logger logger = LoggerFactory.getLogger(CallControlService.class);

    private final Clock clock;
    private final Duration commandTimeout;
    private final MeterRegistry meters;
    /** Timers by operation and status: looked up on every answer, so registered once. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AuditTrail audit;
    private final Counter auditFailures;
    private volatile @Nullable CallControlPort port;

    /**
     * Creates the service. Commands fail with UNAVAILABLE until {@link #bind(CallControlPort)}
     * is called: the in-process sandbox's port is known only once the server listens.
     */
    public CallControlService(Clock clock, Duration commandTimeout, MeterRegistry meters, AuditTrail audit) {
        this.clock = requireNonNull(clock, "clock");
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout");
        this.meters = requireNonNull(meters, "meters");
        this.audit = requireNonNull(audit, "audit");
        auditFailures = Counter.builder("switchboard.audit.failures")
                               .description("Audit records that could not be written")
                               .register(meters);
    }

    /** Sets the platform that commands go to. */
    public void bind(CallControlPort port) {
        this.port = requireNonNull(port, "port");
    }

    @Override
    public void sendDtmf(SendDtmfRequest request, StreamObserver<SendDtmfResponse> observer) {
        run("SendDtmf", "send_dtmf", request.getSessionId(), observer, () -> {
            final DtmfTones tones = DtmfTones.parse("tones", request.getTones());
            DtmfCommand command = DtmfCommand.of(request.getSessionId(), tones);
            if (request.hasDurationMs()) {
                command = command.withToneDuration(Duration.ofMillis(request.getDurationMs()));
            }
            if (request.hasGapMs()) {
                command = command.withGap(Duration.ofMillis(request.getGapMs()));
            }
            return command;
        }, (port, command, deadline) -> port.sendDtmf(command, deadline), (command, outcome) ->
                    SendDtmfResponse.newBuilder()
                                    .setSuccess(true)
                                    .setMessage("sent " + command.tones().size() + " DTMF tone"
                                                + (command.tones().size() == 1 ? "" : "s"))
                                    .setTonesSent(command.tones().value())
                                    .setCorrelationId(nullToEmpty(outcome.correlationId()))
                                    .setAttempts(outcome.attempts())
                                    .setLatencyMs((int) Math.min(Integer.MAX_VALUE, outcome.latency().toMillis()))
                                    .build(), command -> "tones=" + command.tones().size());
    }

    @Override
    public void setVolume(SetVolumeRequest request, StreamObserver<SetVolumeResponse> observer) {
        run("SetVolume", "set_volume", request.getSessionId(), observer, () -> {
            if (!request.hasVolume()) {
                throw new InvalidArgumentException("volume", "<missing>", "0.0..1.0");
            }
            return new VolumeCommand(request.getSessionId(), request.getVolume());
        }, (port, command, deadline) -> port.setVolume(command, deadline), (command, outcome) ->
                    SetVolumeResponse.newBuilder()
                                     .setSuccess(true)
                                     .setMessage(String.format(Locale.ROOT, "volume set to %.2f", command.volume()))
                                     .setVolume(command.volume())
                                     .setCorrelationId(nullToEmpty(outcome.correlationId()))
                                     .setAttempts(outcome.attempts())
                                     .setLatencyMs((int) Math.min(Integer.MAX_VALUE, outcome.latency().toMillis()))
                                     .build(), CallControlService::volumeDetail);
    }

    @Override
    public void executeCommand(CallCommandRequest request, StreamObserver<CallCommandResponse> observer) {
        if (request.getIsDtmf()) {
            run("ExecuteCommand", "send_dtmf", request.getSessionId(), observer,
                () -> DtmfCommand.of(request.getSessionId(), DtmfTones.parse("tone", request.getTone())),
                (port, command, deadline) -> port.sendDtmf(command, deadline),
                (command, outcome) -> CallCommandResponse.newBuilder().setSuccess(true)
                                                         .setMessage("DTMF tone " + command.tones().value()
                                                                     + " injected successfully")
                                                         .build(),
                command -> "tones=" + command.tones().size());
        } else {
            run("ExecuteCommand", "set_volume", request.getSessionId(), observer,
                () -> new VolumeCommand(request.getSessionId(), request.getVolume()),
                (port, command, deadline) -> port.setVolume(command, deadline),
                (command, outcome) -> CallCommandResponse.newBuilder().setSuccess(true)
                                                         .setMessage(String.format(Locale.ROOT, "Volume set to %.2f",
                                                                                   command.volume()))
                                                         .build(),
                CallControlService::volumeDetail);
        }
    }

    private static String volumeDetail(VolumeCommand command) {
        return String.format(Locale.ROOT, "volume=%.2f", command.volume());
    }

    /** Builds a validated command from the request; throws {@link InvalidArgumentException}. */
    private interface Validation<C> {
        C command();
    }

    /** Sends a command to the platform. */
    private interface Dispatch<C> {
        CompletableFuture<CommandOutcome> send(CallControlPort port, C command, Instant deadline);
    }

    /** Builds the answer to a command that succeeded. */
    private interface Answer<C, R> {
        R answer(C command, CommandOutcome outcome);
    }

    /** What one command is, for its metric, log line and audit record. */
    private record Command(ServiceRequestContext ctx, String operation, String action, String sessionId,
                           long startNanos) {}

    private <C, R> void run(String operation, String action, String sessionId, StreamObserver<R> observer,
                            Validation<C> validation, Dispatch<C> dispatch, Answer<C, R> answer,
                            Function<C, String> detail) {
        final ServiceRequestContext ctx = ServiceRequestContext.current();
        final Command cmd = new Command(ctx, operation, action, sessionId, System.nanoTime());
        if (observer instanceof ServerCallStreamObserver<R> server) {
            // A caller that went away must not make the late answer throw.
            server.setOnCancelHandler(() -> {});
        }
        final C command;
        try {
            command = validation.command();
        } catch (InvalidArgumentException e) {
            finish(cmd, observer, null, null, e, null);
            return;
        }
        final CallControlPort target = port;
        if (target == null) {
            finish(cmd, observer, null, null,
                   Status.UNAVAILABLE.withDescription("the gateway is starting").asRuntimeException(),
                   detail.apply(command));
            return;
        }
        final Instant deadline = Deadlines.deadline(clock.instant(), commandTimeout,
                                                    ctx.request().headers().get("grpc-timeout"));
        final CompletableFuture<CommandOutcome> sent;
        try {
            sent = dispatch.send(target, command, deadline);
        } catch (RuntimeException e) {
            finish(cmd, observer, null, null, e, detail.apply(command));
            return;
        }
        sent.whenCompleteAsync((outcome, error) -> {
            if (error != null) {
                finish(cmd, observer, null, null, error, detail.apply(command));
                return;
            }
            final R response;
            try {
                response = answer.answer(command, outcome);
            } catch (RuntimeException e) {
                finish(cmd, observer, null, outcome, e, detail.apply(command));
                return;
            }
            finish(cmd, observer, response, outcome, null, detail.apply(command));
        }, ctx.eventLoop());
    }

    private <R> void finish(Command cmd, StreamObserver<R> observer, @Nullable R response,
                            @Nullable CommandOutcome outcome, @Nullable Throwable error, @Nullable String detail) {
        final ServiceRequestContext ctx = cmd.ctx();
        final String operation = cmd.operation();
        final long latencyNanos = System.nanoTime() - cmd.startNanos();
        final String code;
        String correlationId = outcome != null ? outcome.correlationId() : null;
        if (response != null) {
            code = "OK";
            observer.onNext(response);
            observer.onCompleted();
        } else {
            final StatusRuntimeException status = StatusMapping.toStatus(requireNonNull(error, "error"));
            code = status.getStatus().getCode().name();
            if (status.getTrailers() != null) {
                correlationId = status.getTrailers().get(MetadataKeys.SWITCHBOARD_CORRELATION_ID);
            }
            if (status.getStatus().getCode() == Status.Code.INTERNAL) {
                logger.error("{} failed unexpectedly ({})", operation, kv("requestId", RequestIds.of(ctx)), error);
            } else {
                logger.info("{} failed ({}, {}, {}): {}", operation, kv("requestId", RequestIds.of(ctx)),
                            kv("caller", Principal.of(ctx).name()), kv("status", code),
                            status.getStatus().getDescription());
            }
            observer.onError(status);
        }
        timers.computeIfAbsent(operation + '|' + code, key ->
                      Timer.builder("switchboard.commands")
                           .description("Call-control commands: time from receipt to answer, by outcome")
                           .tag("operation", operation).tag("status", code)
                           .publishPercentileHistogram()
                           .register(meters))
              .record(latencyNanos, TimeUnit.NANOSECONDS);
        audit.append(new AuditRecord(clock.instant(), "call_control", cmd.action(), code, null, null,
                                     cmd.sessionId().isEmpty() ? null : cmd.sessionId(),
                                     TimeUnit.NANOSECONDS.toMillis(latencyNanos), RequestIds.of(ctx), correlationId,
                                     Principal.of(ctx).name(), detail))
             .exceptionally(e -> {
                 auditFailures.increment();
                 logger.error("{} could not be audited ({})", operation, kv("requestId", RequestIds.of(ctx)), e);
                 return null;
             });
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
