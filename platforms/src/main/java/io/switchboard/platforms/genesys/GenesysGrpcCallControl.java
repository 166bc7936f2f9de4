package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.util.SafeCloseable;

import io.switchboard.api.upstream.callcontrol.v1.CallControlServiceGrpc.CallControlServiceStub;
import io.switchboard.api.upstream.callcontrol.v1.SendDtmfRequest;
import io.switchboard.api.upstream.callcontrol.v1.SendDtmfResponse;
import io.switchboard.api.upstream.callcontrol.v1.SetVolumeRequest;
import io.switchboard.api.upstream.callcontrol.v1.SetVolumeResponse;
import io.switchboard.core.auth.Authorization;
import io.switchboard.platforms.UpstreamAddress;
import io.switchboard.core.calls.CallControlPort;
import io.switchboard.core.calls.CommandOutcome;
import io.switchboard.core.calls.DtmfCommand;
import io.switchboard.core.calls.VolumeCommand;
import io.switchboard.core.resilience.Idempotency;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.core.resilience.UpstreamException;
import io.switchboard.platforms.grpc.CorrelationCapture;
import io.switchboard.platforms.grpc.UnaryCalls;

/**
 * Speaks the gRPC call-control contract ({@code genesyscloud.callcontrol.v1.CallControlService}):
 * one upstream {@code SendDtmf} per tone, in order, and {@code SetVolume}.
 *
 * <p>Every request carries {@code authorization: Bearer <token>} from the invoker's token
 * source. The connection is HTTP/2 (TLS for {@code https} targets) with a keep-alive PING
 * every 30 s, so idle connections survive cloud load balancers.
 *
 * <p>Threading: nothing blocks. Tones after the first are scheduled on {@code scheduler}
 * once the previous tone has played and the gap has passed.
 */
public final class GenesysGrpcCallControl implements CallControlPort {

    /** The keep-alive PING interval of the upstream connection. */
    public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(30);

    /** Returns a builder for the call-control service at {@code target}, e.g. {@code https://acme.mypurecloud.com:443}. */
    public static Builder builder(UpstreamAddress target, ResilientInvoker invoker) {
        return new Builder(target, invoker);
    }

    /**
     * Returns the standard target for a Genesys Cloud organisation's subdomain:
     * {@code https://<subdomain>.mypurecloud.com:443}.
     */
    public static URI targetForSubdomain(String subdomain) {
        requireNonNull(subdomain, "subdomain");
        if (!subdomain.matches("[A-Za-z0-9-]{1,63}")) {
            throw new IllegalArgumentException("subdomain: \"" + subdomain + "\" (expected: a DNS label)");
        }
        return URI.create("https://" + subdomain + ".mypurecloud.com:443");
    }

    private final CallControlServiceStub stub;
    private final ResilientInvoker invoker;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private GenesysGrpcCallControl(Builder b) {
        invoker = b.invoker;
        clock = b.clock;
        scheduler = b.scheduler != null ? b.scheduler : CommonPools.workerGroup();
        final ClientFactory factory = b.factory != null ? b.factory : defaultFactory();
        stub = b.target.grpcClient(factory)
                          // The invoker sets each attempt's deadline; Armeria's own timeout must not cut it short.
                          .responseTimeout(Duration.ZERO)
                          .intercept(new CorrelationCapture())
                          .build(CallControlServiceStub.class);
    }

    private static ClientFactory defaultFactory() {
        return ClientFactory.builder()
                            .pingInterval(KEEPALIVE_INTERVAL)
                            .build();
    }

    @Override
    public CompletableFuture<CommandOutcome> sendDtmf(DtmfCommand command, Instant deadline) {
        requireNonNull(command, "command");
        requireNonNull(deadline, "deadline");
        return new DtmfRun(command, deadline).start();
    }

    @Override
    public CompletableFuture<CommandOutcome> setVolume(VolumeCommand command, Instant deadline) {
        requireNonNull(command, "command");
        requireNonNull(deadline, "deadline");
        final SetVolumeRequest request = SetVolumeRequest.newBuilder()
                                                         .setSessionId(command.sessionId())
                                                         .setVolume(command.volume())
                                                         .build();
        return invoker.invoke("SetVolume", Idempotency.IDEMPOTENT, deadline, (token, timeout) -> {
            final CorrelationCapture.Holder correlation = new CorrelationCapture.Holder();
            return UnaryCalls.<SetVolumeRequest, SetVolumeResponse>call(request, (req, observer) -> {
                try (SafeCloseable ignored = withBearer(token)) {
                    prepare(correlation, timeout).setVolume(req, observer);
                }
            }).thenApply(response -> correlation);
        }).thenApply(result -> new CommandOutcome(result.value().value(), result.attempts(), result.latency()));
    }

    private CallControlServiceStub prepare(CorrelationCapture.Holder correlation, Duration timeout) {
        return stub.withOption(CorrelationCapture.HOLDER, correlation)
                   .withDeadlineAfter(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    private static SafeCloseable withBearer(Authorization token) {
        return Clients.withHeader(HttpHeaderNames.AUTHORIZATION, token.header());
    }

    /** Sends one command's tones one after another. Each step runs after the previous one completed. */
    private final class DtmfRun {
        final DtmfCommand command;
        final Instant deadline;
        final Instant start;
        final CompletableFuture<CommandOutcome> result = new CompletableFuture<>();
        int attempts;
        @Nullable String correlationId;

        DtmfRun(DtmfCommand command, Instant deadline) {
            this.command = command;
            this.deadline = deadline;
            start = clock.instant();
        }

        CompletableFuture<CommandOutcome> start() {
            send(0);
            return result;
        }

        void send(int index) {
            // A tone needs its whole duration to play: one the deadline cannot cover is not started.
            final Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.compareTo(command.toneDuration()) < 0) {
                fail(index, new UpstreamException(
                        UpstreamException.Kind.DEADLINE_EXCEEDED, invoker.upstream(), "SendDtmf",
                        "the deadline leaves " + Math.max(0, remaining.toMillis()) + " ms, less than the tone's "
                        + command.toneDuration().toMillis() + " ms", 0, null, null, null));
                return;
            }
            final SendDtmfRequest request = SendDtmfRequest.newBuilder()
                                                           .setSessionId(command.sessionId())
                                                           .setTone(command.tones().tone(index))
                                                           .setDurationMs((int) command.toneDuration().toMillis())
                                                           .build();
            invoker.invoke("SendDtmf", Idempotency.NOT_IDEMPOTENT, deadline, (token, timeout) -> {
                final CorrelationCapture.Holder correlation = new CorrelationCapture.Holder();
                return UnaryCalls.<SendDtmfRequest, SendDtmfResponse>call(request, (req, observer) -> {
                    try (SafeCloseable ignored = withBearer(token)) {
                        prepare(correlation, timeout).sendDtmf(req, observer);
                    }
                }).thenApply(response -> correlation);
            }).whenComplete((sent, error) -> {
                if (error != null) {
                    fail(index, error);
                    return;
                }
                attempts += sent.attempts();
                if (sent.value().value() != null) {
                    correlationId = sent.value().value();
                }
                if (index + 1 == command.tones().size()) {
                    result.complete(new CommandOutcome(correlationId, attempts,
                                                       Duration.between(start, clock.instant())));
                    return;
                }
                final long pauseNanos = command.toneDuration().plus(command.gap()).toNanos();
                scheduler.schedule(() -> send(index + 1), pauseNanos, TimeUnit.NANOSECONDS);
            });
        }

        void fail(int index, Throwable error) {
            final Throwable cause = error.getCause() != null && !(error instanceof UpstreamException)
                                    ? error.getCause() : error;
            if (!(cause instanceof UpstreamException upstream)) {
                result.completeExceptionally(cause);
                return;
            }
            final String tones = command.tones().value();
            // Never "not sent" for a tone the platform may have played: a caller would send it again.
            final String current = "tone " + (index + 1) + " of " + tones.length() + " ('" + tones.charAt(index) + "') "
                                   + (upstream.mayHaveActed() ? "may have been played" : "not sent");
            final String context = index == 0 ? current
                                              : "sent " + index + " of " + tones.length() + " tones (\""
                                                + tones.substring(0, index) + "\"); " + current;
            final UpstreamException failed = upstream.withContext(context).withAttemptsAdded(attempts);
            result.completeExceptionally(index == 0 ? failed : failed.withPartlyApplied());
        }
    }

    /** Builds a {@link GenesysGrpcCallControl}. */
    public static final class Builder {
        private final UpstreamAddress target;
        private final ResilientInvoker invoker;
        private Clock clock = Clock.systemUTC();
        private @Nullable ScheduledExecutorService scheduler;
        private @Nullable ClientFactory factory;

        private Builder(UpstreamAddress target, ResilientInvoker invoker) {
            this.target = requireNonNull(target, "target");
            this.invoker = requireNonNull(invoker, "invoker");
        }

        /** Sets the clock for latency. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Sets where the pauses between tones are scheduled. Default: Armeria's shared event loops. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Sets the client factory (connection pool, TLS, keep-alive). Default: one with a 30 s PING. */
        public Builder clientFactory(ClientFactory factory) {
            this.factory = requireNonNull(factory, "factory");
            return this;
        }

        /** Returns the adapter. */
        public GenesysGrpcCallControl build() {
            return new GenesysGrpcCallControl(this);
        }
    }
}
