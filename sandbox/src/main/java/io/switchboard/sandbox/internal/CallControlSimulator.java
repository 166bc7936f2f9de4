package io.switchboard.sandbox.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.switchboard.api.MetadataKeys;
import io.switchboard.api.upstream.callcontrol.v1.CallControlServiceGrpc;
import io.switchboard.api.upstream.callcontrol.v1.SendDtmfRequest;
import io.switchboard.api.upstream.callcontrol.v1.SendDtmfResponse;
import io.switchboard.api.upstream.callcontrol.v1.SetVolumeRequest;
import io.switchboard.api.upstream.callcontrol.v1.SetVolumeResponse;

/**
 * Serves {@code genesyscloud.callcontrol.v1.CallControlService} as the contract describes it:
 * bearer-token metadata, RFC 4733 tones, volume 0.0..1.0, NOT_FOUND for unknown or ended
 * sessions, RESOURCE_EXHAUSTED with a retry hint when rate-limited. Every answer carries an
 * {@code inin-correlation-id}.
 *
 * <p>Threading: runs on the request's event loop; injected latency is scheduled there, never slept.
 */
public final class CallControlSimulator extends CallControlServiceGrpc.CallControlServiceImplBase {

    private final SandboxState state;

    /** Creates the simulator over {@code state}. */
    public CallControlSimulator(SandboxState state) {
        this.state = state;
    }

    @Override
    public void sendDtmf(SendDtmfRequest request, StreamObserver<SendDtmfResponse> observer) {
        handle(observer, SendDtmfResponse.getDefaultInstance(), request.getSessionId(), session -> {
            if (request.getTone().length() != 1 || "0123456789*#ABCD".indexOf(request.getTone().charAt(0)) < 0) {
                return Optional.of(Status.INVALID_ARGUMENT.withDescription(
                        "tone: \"" + request.getTone() + "\" (expected: one of 0-9 * # A-D)"));
            }
            if (request.getDurationMs() < 0 || request.getDurationMs() > 10_000) {
                return Optional.of(Status.INVALID_ARGUMENT.withDescription(
                        "duration_ms: " + request.getDurationMs() + " (expected: 0..10000)"));
            }
            session.recordTone(request.getTone(), request.getDurationMs(), state.clock().instant());
            return Optional.empty();
        });
    }

    @Override
    public void setVolume(SetVolumeRequest request, StreamObserver<SetVolumeResponse> observer) {
        handle(observer, SetVolumeResponse.getDefaultInstance(), request.getSessionId(), session -> {
            final float volume = request.getVolume();
            if (!(volume >= 0.0f && volume <= 1.0f)) {
                return Optional.of(Status.INVALID_ARGUMENT.withDescription(
                        "volume: " + volume + " (expected: 0.0..1.0)"));
            }
            session.recordVolume(volume, state.clock().instant());
            return Optional.empty();
        });
    }

    /** The command itself: acts on the session, or answers why it cannot. */
    private interface Action {
        Optional<Status> apply(MediaSession session);
    }

    private <R> void handle(StreamObserver<R> observer, R response, String sessionId, Action action) {
        state.countCallControlRequest();
        final ServiceRequestContext ctx = ServiceRequestContext.current();
        final String correlationId = UUID.randomUUID().toString();
        ctx.addAdditionalResponseHeader(MetadataKeys.ININ_CORRELATION_ID.name(), correlationId);
        final Runnable serve = () -> serve(ctx, observer, response, sessionId, action, correlationId);
        final Duration latency = state.faults().latency();
        if (latency.isZero()) {
            serve.run();
        } else {
            ctx.eventLoop().schedule(serve, latency.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private <R> void serve(ServiceRequestContext ctx, StreamObserver<R> observer, R response, String sessionId,
                           Action action, String correlationId) {
        final Consumer<Status> fail = status -> {
            final Metadata trailers = new Metadata();
            trailers.put(MetadataKeys.ININ_CORRELATION_ID, correlationId);
            observer.onError(status.asRuntimeException(trailers));
        };
        final Optional<String> authProblem =
                state.checkBearer(ctx.request().headers().get(HttpHeaderNames.AUTHORIZATION));
        if (authProblem.isPresent()) {
            fail.accept(Status.UNAUTHENTICATED.withDescription(authProblem.get()));
            return;
        }
        final Faults.Verdict verdict = state.faults().next();
        if (verdict instanceof Faults.Verdict.RateLimit limit) {
            final Metadata trailers = new Metadata();
            trailers.put(MetadataKeys.ININ_CORRELATION_ID, correlationId);
            trailers.put(MetadataKeys.RETRY_PUSHBACK_MS, Long.toString(limit.retryAfter().toMillis()));
            trailers.put(MetadataKeys.RETRY_AFTER, Long.toString((limit.retryAfter().toMillis() + 999) / 1000));
            observer.onError(Status.RESOURCE_EXHAUSTED.withDescription("rate limit exceeded")
                                                      .asRuntimeException(trailers));
            return;
        }
        if (verdict instanceof Faults.Verdict.Fail f && !f.afterActing()) {
            fail.accept(Status.fromCode(f.status()).withDescription("sandbox fault"));
            return;
        }
        final MediaSession session = state.session(sessionId).orElse(null);
        if (session == null) {
            fail.accept(Status.NOT_FOUND.withDescription("session " + sessionId + " not found"));
            return;
        }
        if (session.endedAt() != null) {
            fail.accept(Status.NOT_FOUND.withDescription("session " + sessionId + " has ended"));
            return;
        }
        final Optional<Status> rejected = action.apply(session);
        if (rejected.isPresent()) {
            fail.accept(rejected.get());
            return;
        }
        if (verdict instanceof Faults.Verdict.Fail f) {
            // Acted, but the answer is "lost": the client cannot know the command took effect.
            fail.accept(Status.fromCode(f.status()).withDescription("sandbox fault after acting"));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}
