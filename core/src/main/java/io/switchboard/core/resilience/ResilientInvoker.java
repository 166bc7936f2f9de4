package io.switchboard.core.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.util.Exceptions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.switchboard.core.auth.Authorization;
import io.switchboard.core.auth.Credential;
import io.switchboard.core.auth.TokenRequestException;

/**
 * Runs an upstream operation with everything a production call needs: an access token,
 * the circuit breaker, the caller's deadline and retries.
 *
 * <ul>
 *   <li>Rate limit: each attempt, retries included, first takes a permit from the
 *       {@link RateLimiter}, waiting for one no longer than the deadline allows.</li>
 *   <li>Credential: each attempt asks the {@link Credential} for its {@code Authorization};
 *       when the platform rejects a token, it is dropped and the attempt is made once more
 *       with a new one (fixed credentials such as Basic are not tried again).</li>
 *   <li>Breaker: an attempt is not made while the upstream's breaker is open; failures
 *       that say the upstream is unhealthy open it.</li>
 *   <li>Retries: a failure is retried only when the operation's {@link Idempotency} allows it
 *       and the {@link RetryPolicy} grants it.</li>
 *   <li>Deadline: no attempt starts after it, and each attempt's timeout is what is left.</li>
 * </ul>
 *
 * <p>Threading: {@link #invoke} never blocks. Delays between attempts are scheduled on
 * the {@link RetryScheduler} (by default Armeria's shared event loops), so a waiting retry holds
 * no thread.
 */
public final class ResilientInvoker {

    private static final Logger logger = LoggerFactory.getLogger(ResilientInvoker.class);

    /** One attempt at the upstream operation. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * Starts the request with {@code authorization} as its {@code Authorization} header; it
         * must give up after {@code timeout}. Called on the invoking thread or an event loop;
         * must not block.
         */
        CompletableFuture<T> run(Authorization authorization, Duration timeout);
    }

    /** The value of a successful invocation and how it was reached. */
    public record Result<T>(T value, int attempts, Duration latency) {}

    /** Returns a builder for an invoker calling the upstream named {@code upstream}. */
    public static Builder builder(String upstream) {
        return new Builder(upstream);
    }

    private final String upstream;
    private final Credential credential;
    private final FailureClassifier classifier;
    private final RetryPolicy policy;
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final RetryScheduler scheduler;
    private final MeterRegistry meters;
    private final RateLimiter limiter;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private ResilientInvoker(Builder b) {
        upstream = b.upstream;
        credential = requireNonNull(b.credential, "credential");
        classifier = requireNonNull(b.classifier, "classifier");
        policy = b.policy;
        breaker = b.breaker != null ? b.breaker : CircuitBreaker.of(upstream);
        clock = b.clock;
        scheduler = b.scheduler != null ? b.scheduler : RetryScheduler.on(CommonPools.workerGroup());
        meters = b.meters;
        limiter = b.limiter;
    }

    /** Returns the upstream's name, as used in errors and metrics. */
    public String upstream() {
        return upstream;
    }

    /** Returns the circuit breaker guarding this upstream. */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /**
     * Runs {@code attempt} until it succeeds or may not be retried.
     *
     * @param operation the upstream operation's name, for errors and metrics
     * @return a future that fails with {@link UpstreamException} only
     */
    public <T> CompletableFuture<Result<T>> invoke(String operation, Idempotency idempotency, Instant deadline,
                                                    Attempt<T> attempt) {
        requireNonNull(operation, "operation");
        requireNonNull(idempotency, "idempotency");
        requireNonNull(deadline, "deadline");
        requireNonNull(attempt, "attempt");
        final Run<T> run = new Run<>(operation, idempotency, deadline, attempt);
        run.next();
        return run.result;
    }

    /** One invocation's state. Its methods run one at a time: each attempt starts after the last ended. */
    private final class Run<T> {
        final String operation;
        final Idempotency idempotency;
        final Instant deadline;
        final Attempt<T> attempt;
        final Instant start;
        final CompletableFuture<Result<T>> result = new CompletableFuture<>();
        int attempts;
        int retries;
        boolean renewedToken;

        Run(String operation, Idempotency idempotency, Instant deadline, Attempt<T> attempt) {
            this.operation = operation;
            this.idempotency = idempotency;
            this.deadline = deadline;
            this.attempt = attempt;
            start = clock.instant();
        }

        void next() {
            final Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                fail(UpstreamException.Kind.DEADLINE_EXCEEDED, "the deadline passed before attempt "
                                                               + (attempts + 1), null, null);
                return;
            }
            // Every attempt, retries included, takes a permit: the upstream counts them all.
            limiter.acquire(remaining).whenComplete((permitted, error) -> {
                if (error != null) {
                    fail(UpstreamException.Kind.UNAVAILABLE,
                         "the shared rate limiter failed: " + Exceptions.peel(error).getMessage(), null, error);
                } else if (!permitted) {
                    count("throttled");
                    result.completeExceptionally(new UpstreamException(
                            UpstreamException.Kind.RATE_LIMITED, upstream, operation,
                            "the client's rate limit leaves no request free before the deadline", attempts, null,
                            Duration.ofSeconds(1), null));
                } else {
                    attempt();
                }
            });
        }

        void attempt() {
            if (!breaker.tryRequest()) {
                fail(UpstreamException.Kind.CIRCUIT_OPEN,
                     "circuit breaker open: " + upstream + " failed recently; not calling it for now", null, null);
                return;
            }
            credential.authorization().whenComplete((token, tokenError) -> {
                if (tokenError != null) {
                    onTokenFailure(Exceptions.peel(tokenError));
                    return;
                }
                attempts++;
                final CompletableFuture<T> future;
                try {
                    future = attempt.run(token, Duration.between(clock.instant(), deadline));
                } catch (RuntimeException e) {
                    onFailure(token, e);
                    return;
                }
                future.whenComplete((value, error) -> {
                    if (error == null) {
                        breaker.onSuccess();
                        count("success");
                        result.complete(new Result<>(value, attempts, Duration.between(start, clock.instant())));
                    } else {
                        onFailure(token, Exceptions.peel(error));
                    }
                });
            });
        }

        void onTokenFailure(Throwable cause) {
            // The token endpoint is part of the upstream: its outage counts against the breaker.
            breaker.onFailure();
            count("token_failure");
            final String message = cause instanceof TokenRequestException t ? t.getMessage()
                                                                             : "token request failed: " + cause;
            fail(UpstreamException.Kind.UNAVAILABLE, message, null, cause);
        }

        void onFailure(Authorization token, Throwable cause) {
            final Failure failure = classifier.classify(cause);
            if (failure.type().unhealthy()) {
                breaker.onFailure();
            } else {
                breaker.onSuccess();
            }
            count(failure.type().name().toLowerCase());

            if (failure.type() == Failure.Type.UNAUTHENTICATED) {
                final boolean renewable = credential.rejected(token);
                if (renewable && !renewedToken) {
                    renewedToken = true;
                    retryCounter("token_renewal").increment();
                    next();
                    return;
                }
                fail(UpstreamException.Kind.UNAUTHENTICATED,
                     (renewable ? "the platform rejected a freshly issued token"
                                : "the platform rejected the credentials")
                     + ": check the client's credentials and roles (" + failure.message() + ')', failure, cause);
                return;
            }
            if (!idempotency.allowsRetryAfter(failure.type())) {
                fail(kindOf(failure.type()), failure.message() + notRetriedBecause(failure.type()), failure, cause);
                return;
            }
            final Instant now = clock.instant();
            final RetryPolicy.Decision decision = policy.decide(retries, failure.retryAfter(),
                                                                Duration.between(start, now),
                                                                Duration.between(now, deadline));
            if (decision instanceof RetryPolicy.Decision.Retry retry) {
                retries++;
                retryCounter(failure.type().name().toLowerCase()).increment();
                logger.debug("Retrying {} {} in {} ms after attempt {}: {}", upstream, operation,
                             retry.delay().toMillis(), attempts, failure.message());
                scheduler.schedule(retry.delay(), this::next);
                return;
            }
            final RetryPolicy.Decision.GiveUp giveUp = (RetryPolicy.Decision.GiveUp) decision;
            final UpstreamException.Kind kind =
                    giveUp.reason() == RetryPolicy.Reason.DEADLINE ? UpstreamException.Kind.DEADLINE_EXCEEDED
                                                                   : kindOf(failure.type());
            fail(kind, failure.message() + "; " + giveUp.detail(), failure, cause);
        }

        void fail(UpstreamException.Kind kind, String message, @Nullable Failure failure, @Nullable Throwable cause) {
            final UpstreamException e = new UpstreamException(
                    kind, upstream, operation, message, attempts,
                    failure != null ? failure.correlationId() : null,
                    failure != null ? failure.retryAfter() : null, cause);
            // A lost answer or a timeout in flight: the platform may have done it.
            result.completeExceptionally(failure != null && mayHaveActed(failure.type()) ? e.withMayHaveActed() : e);
        }

        Counter retryCounter(String reason) {
            return counter("switchboard.upstream.retries",
                           "Upstream attempts repeated, by the failure that caused them", operation, "reason", reason);
        }

        void count(String outcome) {
            counter("switchboard.upstream.attempts", "Upstream attempts, by outcome", operation, "outcome", outcome)
                    .increment();
        }
    }

    /** Returns the counter for these tags, registering it on first use: this runs on every attempt. */
    private Counter counter(String name, String description, String operation, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + operation + '|' + value, key ->
                Counter.builder(name).description(description)
                       .tag("upstream", upstream).tag("operation", operation).tag(tag, value)
                       .register(meters));
    }

    private static boolean mayHaveActed(Failure.Type type) {
        return type == Failure.Type.TRANSIENT || type == Failure.Type.TIMED_OUT || type == Failure.Type.OTHER;
    }

    private static String notRetriedBecause(Failure.Type type) {
        return switch (type) {
            case TRANSIENT, TIMED_OUT, OTHER -> "; not retried: the platform may have acted on it";
            default -> "";
        };
    }

    private static UpstreamException.Kind kindOf(Failure.Type type) {
        return switch (type) {
            case RATE_LIMITED -> UpstreamException.Kind.RATE_LIMITED;
            case NOT_FOUND -> UpstreamException.Kind.NOT_FOUND;
            case REJECTED -> UpstreamException.Kind.REJECTED;
            case TIMED_OUT -> UpstreamException.Kind.DEADLINE_EXCEEDED;
            case UNAUTHENTICATED -> UpstreamException.Kind.UNAUTHENTICATED;
            case NOT_SENT, TRANSIENT, OTHER -> UpstreamException.Kind.UNAVAILABLE;
        };
    }

    /** Builds a {@link ResilientInvoker}. */
    public static final class Builder {
        private final String upstream;
        private @Nullable Credential credential;
        private @Nullable FailureClassifier classifier;
        private RetryPolicy policy = RetryPolicy.ofDefault();
        private @Nullable CircuitBreaker breaker;
        private Clock clock = Clock.systemUTC();
        private @Nullable RetryScheduler scheduler;
        private MeterRegistry meters = new CompositeMeterRegistry();
        private RateLimiter limiter = RateLimiter.unlimited();

        private Builder(String upstream) {
            this.upstream = requireNonNull(upstream, "upstream");
        }

        /**
         * Sets how requests authenticate: an OAuth 2.0 {@link io.switchboard.core.auth.TokenSource},
         * or fixed credentials such as {@link Credential#basic}. Required.
         */
        public Builder credential(Credential credential) {
            this.credential = requireNonNull(credential, "credential");
            return this;
        }

        /** Sets how the transport's failures are classified. Required. */
        public Builder classifier(FailureClassifier classifier) {
            this.classifier = requireNonNull(classifier, "classifier");
            return this;
        }

        /** Sets the retry policy. Default {@link RetryPolicy#ofDefault()}. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.policy = requireNonNull(policy, "policy");
            return this;
        }

        /** Sets the circuit breaker. Default: Armeria's defaults, named after the upstream. */
        public Builder circuitBreaker(CircuitBreaker breaker) {
            this.breaker = requireNonNull(breaker, "breaker");
            return this;
        }

        /** Sets the clock for deadlines, budgets and latency. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Sets where delayed retries are scheduled. Default: Armeria's shared event loops. */
        public Builder scheduler(RetryScheduler scheduler) {
            this.scheduler = requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Sets where attempt and retry counters are registered. Default: nowhere. */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = requireNonNull(meters, "meters");
            return this;
        }

        /** Sets the limiter every attempt takes a permit from. Default: unlimited. */
        public Builder rateLimiter(RateLimiter limiter) {
            this.limiter = requireNonNull(limiter, "limiter");
            return this;
        }

        /** Returns the invoker. */
        public ResilientInvoker build() {
            return new ResilientInvoker(this);
        }
    }
}
