package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;
import static net.logstash.logback.argument.StructuredArguments.kv;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.api.MetadataKeys;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;

/**
 * What every command the gateway serves goes through: validation, dispatch to the platform
 * with the caller's deadline, the answer, and, whatever the outcome, one metric sample
 * ({@code switchboard.commands}), one log line if it failed, and one audit record.
 *
 * <p>Threading: {@link #run} is called on the request's event loop and never blocks; the answer
 * is sent from that same event loop once the platform's future completes.
 */
final class Commands {

    private static final Logger logger = LoggerFactory.getLogger(Commands.class);

    private final Clock clock;
    private final Duration commandTimeout;
    private final MeterRegistry meters;
    /** Timers by operation and status: looked up on every answer, so registered once. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AuditTrail audit;

    Commands(Clock clock, Duration commandTimeout, MeterRegistry meters, AuditTrail audit) {
        this.clock = requireNonNull(clock, "clock");
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout");
        this.meters = requireNonNull(meters, "meters");
        this.audit = requireNonNull(audit, "audit");
    }

    /** Builds a validated command from the request; throws {@link InvalidArgumentException}. */
    interface Validation<C> {
        C command();
    }

    /** Sends a command to the platform. */
    interface Dispatch<C, O> {
        CompletableFuture<O> send(C command, Instant deadline);
    }

    /** Builds the answer to a command that succeeded. */
    interface Answer<C, O, R> {
        R answer(C command, O outcome);
    }

    /**
     * What one command is, for its metric, log line and audit record.
     *
     * @param event the audit event, e.g. {@code call_control}
     * @param operation the RPC, e.g. {@code SendDtmf}
     * @param action the audit action, e.g. {@code send_dtmf}
     */
    record Command(ServiceRequestContext ctx, String event, String operation, String action,
                   @Nullable String conversationId, @Nullable String participantId, @Nullable String sessionId) {}

    <C, O, R> void run(Command cmd, StreamObserver<R> observer, Validation<C> validation,
                               Dispatch<C, O> dispatch, Function<O, @Nullable String> correlation,
                               Answer<C, O, R> answer, Function<C, String> detail) {
        run(cmd, observer, validation, dispatch, correlation, answer, detail, outcome -> "");
    }

    /**
     * Runs a command as {@link #run(Command, StreamObserver, Validation, Dispatch, Function, Answer, Function)}
     * does; {@code outcomeDetail} adds to a successful command's audit detail what only its outcome
     * tells (e.g. that it repeated an earlier one and sent nothing).
     */
    <C, O, R> void run(Command cmd, StreamObserver<R> observer, Validation<C> validation,
                               Dispatch<C, O> dispatch, Function<O, @Nullable String> correlation,
                               Answer<C, O, R> answer, Function<C, String> detail, Function<O, String> outcomeDetail) {
        final long startNanos = System.nanoTime();
        if (observer instanceof ServerCallStreamObserver<R> server) {
            // A caller that went away must not make the late answer throw.
            server.setOnCancelHandler(() -> {});
        }
        final C command;
        try {
            command = validation.command();
        } catch (InvalidArgumentException e) {
            finish(cmd, startNanos, observer, null, null, e, null);
            return;
        }
        final Instant deadline = Deadlines.deadline(clock.instant(), commandTimeout,
                                                    cmd.ctx().request().headers().get("grpc-timeout"));
        final CompletableFuture<O> sent;
        try {
            sent = dispatch.send(command, deadline);
        } catch (RuntimeException e) {
            finish(cmd, startNanos, observer, null, null, e, detail.apply(command));
            return;
        }
        sent.whenCompleteAsync((outcome, error) -> {
            if (error != null) {
                finish(cmd, startNanos, observer, null, null, error, detail.apply(command));
                return;
            }
            final String correlationId = correlation.apply(outcome);
            final R response;
            try {
                response = answer.answer(command, outcome);
            } catch (RuntimeException e) {
                finish(cmd, startNanos, observer, null, correlationId, e, detail.apply(command));
                return;
            }
            finish(cmd, startNanos, observer, response, correlationId, null,
                   detail.apply(command) + outcomeDetail.apply(outcome));
        }, cmd.ctx().eventLoop());
    }

    private <R> void finish(Command cmd, long startNanos, StreamObserver<R> observer, @Nullable R response,
                            @Nullable String correlationId, @Nullable Throwable error, @Nullable String detail) {
        final ServiceRequestContext ctx = cmd.ctx();
        final long latencyNanos = System.nanoTime() - startNanos;
        final String code;
        if (response != null) {
            code = "OK";
            observer.onNext(response);
            observer.onCompleted();
        } else {
            final StatusRuntimeException status = StatusMapping.toStatus(requireNonNull(error, "error"));
            code = status.getStatus().getCode().name();
            if (status.getTrailers() != null && status.getTrailers().containsKey(
                    MetadataKeys.SWITCHBOARD_CORRELATION_ID)) {
                correlationId = status.getTrailers().get(MetadataKeys.SWITCHBOARD_CORRELATION_ID);
            }
            if (status.getStatus().getCode() == Status.Code.INTERNAL) {
                logger.error("{} failed unexpectedly ({})", cmd.operation(), kv("requestId", RequestIds.of(ctx)),
                             error);
            } else {
                logger.info("{} failed ({}, {}, {}): {}", cmd.operation(), kv("requestId", RequestIds.of(ctx)),
                            kv("caller", Principal.of(ctx).name()), kv("status", code),
                            status.getStatus().getDescription());
            }
            observer.onError(status);
        }
        timers.computeIfAbsent(cmd.operation() + '|' + code, key ->
                      Timer.builder("switchboard.commands")
                           .description("Call-control commands: time from receipt to answer, by outcome")
                           .tag("operation", cmd.operation()).tag("status", code)
                           .publishPercentileHistogram()
                           .register(meters))
              .record(latencyNanos, TimeUnit.NANOSECONDS);
        audit.append(new AuditRecord(clock.instant(), cmd.event(), cmd.action(), code,
                                     emptyToNull(cmd.conversationId()), emptyToNull(cmd.participantId()),
                                     emptyToNull(cmd.sessionId()), TimeUnit.NANOSECONDS.toMillis(latencyNanos),
                                     RequestIds.of(ctx), correlationId, Principal.of(ctx).name(), detail));
    }

    private static @Nullable String emptyToNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
