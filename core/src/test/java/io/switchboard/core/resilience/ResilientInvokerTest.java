package io.switchboard.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;

import io.switchboard.core.auth.AccessToken;
import io.switchboard.core.auth.Authorization;
import io.switchboard.core.auth.ClientCredentials;
import io.switchboard.core.auth.Credential;
import io.switchboard.core.auth.TokenRequestException;
import io.switchboard.core.auth.TokenSource;
import io.switchboard.core.testing.ManualScheduler;
import io.switchboard.core.testing.MutableClock;

class ResilientInvokerTest {

    private final MutableClock clock = new MutableClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final CountingTokens tokens = new CountingTokens();
    private final Instant farDeadline = clock.instant().plus(Duration.ofMinutes(5));

    /** An upstream failure that carries its own classification. */
    static final class Scripted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Failure failure;

        Scripted(Failure failure) {
            super(failure.message());
            this.failure = failure;
        }
    }

    /** Issues tokens t1, t2, ...; counts requests and invalidations. */
    static final class CountingTokens implements TokenSource {
        int issued;
        final List<String> invalidated = new ArrayList<>();
        AccessToken current;
        boolean failing;

        @Override
        public synchronized CompletableFuture<AccessToken> token() {
            if (failing) {
                return CompletableFuture.failedFuture(new TokenRequestException("token endpoint down", 503));
            }
            if (current == null) {
                current = new AccessToken("t" + ++issued, Instant.MAX);
            }
            return CompletableFuture.completedFuture(current);
        }

        @Override
        public synchronized void invalidate(AccessToken rejected) {
            invalidated.add(rejected.value());
            if (current != null && current.value().equals(rejected.value())) {
                current = null;
            }
        }
    }

    /** Answers attempts from a script: a failure, or null for success. Records the token each used. */
    static final class Script implements ResilientInvoker.Attempt<String> {
        final Deque<Failure> outcomes = new ArrayDeque<>();
        final List<String> tokensUsed = new ArrayList<>();

        Script then(Failure.Type type) {
            return then(Failure.of(type, type.name().toLowerCase()));
        }

        Script then(Failure failure) {
            outcomes.add(failure);
            return this;
        }

        @Override
        public CompletableFuture<String> run(Authorization authorization, Duration timeout) {
            tokensUsed.add(authorization.scheme().equals("Bearer") ? authorization.credentials()
                                                                   : authorization.header());
            final Failure next = outcomes.poll();
            return next == null ? CompletableFuture.completedFuture("done")
                                : CompletableFuture.failedFuture(new Scripted(next));
        }
    }

    private ResilientInvoker invoker() {
        return invoker(tokens);
    }

    private ResilientInvoker invoker(Credential credential) {
        return ResilientInvoker.builder("test-upstream")
                               .credential(credential)
                               .classifier(cause -> ((Scripted) cause).failure)
                               .retryPolicy(RetryPolicy.builder().jitter(0).build())
                               .circuitBreaker(CircuitBreaker.builder().minimumRequestThreshold(1000).build())
                               .clock(clock)
                               .scheduler(scheduler)
                               .build();
    }

    private ResilientInvoker.Result<String> succeed(Idempotency idempotency, Script script) {
        return invoker().invoke("Op", idempotency, farDeadline, script).join();
    }

    private UpstreamException fail(Idempotency idempotency, Instant deadline, Script script) {
        final CompletionException e = catchThrowableOfType(
                CompletionException.class,
                () -> invoker().invoke("Op", idempotency, deadline, script).join());
        assertThat(e.getCause()).isInstanceOf(UpstreamException.class);
        return (UpstreamException) e.getCause();
    }

    @Test
    void succeedsAtTheFirstAttempt() {
        final ResilientInvoker.Result<String> result = succeed(Idempotency.NOT_IDEMPOTENT, new Script());
        assertThat(result.value()).isEqualTo("done");
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void retriesARateLimitAfterTheHint() {
        final Script script = new Script().then(new Failure(Failure.Type.RATE_LIMITED, "slow down",
                                                            Duration.ofMillis(1500), "corr-1"));
        final ResilientInvoker.Result<String> result = succeed(Idempotency.NOT_IDEMPOTENT, script);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(1500));
        assertThat(result.latency()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void doesNotRetryANonIdempotentCommandOnceThePlatformMayHaveActed() {
        final UpstreamException e = fail(Idempotency.NOT_IDEMPOTENT, farDeadline,
                                         new Script().then(Failure.Type.TRANSIENT));
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).contains("not retried: the platform may have acted");
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void saysWhetherThePlatformMayHaveActed() {
        assertThat(fail(Idempotency.NOT_IDEMPOTENT, farDeadline, new Script().then(Failure.Type.TIMED_OUT))
                           .mayHaveActed()).as("a timeout in flight").isTrue();
        assertThat(fail(Idempotency.NOT_IDEMPOTENT, farDeadline, new Script().then(Failure.Type.TRANSIENT))
                           .mayHaveActed()).as("a lost answer").isTrue();
        assertThat(fail(Idempotency.NOT_IDEMPOTENT, farDeadline, new Script().then(Failure.Type.REJECTED))
                           .mayHaveActed()).as("a refusal").isFalse();
        assertThat(fail(Idempotency.NOT_IDEMPOTENT, clock.instant().minusSeconds(1), new Script()).mayHaveActed())
                .as("no attempt made").isFalse();
    }

    @Test
    void retriesANonIdempotentCommandThatNeverLeft() {
        final ResilientInvoker.Result<String> result =
                succeed(Idempotency.NOT_IDEMPOTENT, new Script().then(Failure.Type.NOT_SENT));
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void retriesAnIdempotentCommandWithExponentialBackoff() {
        final Script script = new Script().then(Failure.Type.TRANSIENT).then(Failure.Type.TRANSIENT);
        final ResilientInvoker.Result<String> result = succeed(Idempotency.IDEMPOTENT, script);
        assertThat(result.attempts()).isEqualTo(3);
        assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void exhaustedRateLimitRetriesReportTheLastHint() {
        final Script script = new Script();
        for (int i = 0; i < 4; i++) {
            script.then(new Failure(Failure.Type.RATE_LIMITED, "slow down", Duration.ofSeconds(2), "corr-" + i));
        }
        final UpstreamException e = fail(Idempotency.NOT_IDEMPOTENT, farDeadline, script);
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RATE_LIMITED);
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(e.correlationId()).contains("corr-3");
        assertThat(e.getMessage()).contains("gave up after 3 retries");
    }

    @Test
    void aRetryAfterOverTheLimitFailsAtOnce() {
        final UpstreamException e = fail(Idempotency.NOT_IDEMPOTENT, farDeadline, new Script().then(
                new Failure(Failure.Type.RATE_LIMITED, "daily limit", Duration.ofSeconds(3600), null)));
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RATE_LIMITED);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3600));
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void theCallersDeadlineStopsRetries() {
        final Instant deadline = clock.instant().plus(Duration.ofMillis(1500));
        final UpstreamException e = fail(Idempotency.NOT_IDEMPOTENT, deadline, new Script().then(
                new Failure(Failure.Type.RATE_LIMITED, "slow down", Duration.ofSeconds(2), null)));
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.DEADLINE_EXCEEDED);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void makesNoAttemptOnceTheDeadlinePassed() {
        final Script script = new Script();
        final UpstreamException e = fail(Idempotency.IDEMPOTENT, clock.instant(), script);
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.DEADLINE_EXCEEDED);
        assertThat(e.attempts()).isZero();
        assertThat(script.tokensUsed).isEmpty();
    }

    @Test
    void renewsARejectedTokenOnceAndSucceeds() {
        final Script script = new Script().then(Failure.Type.UNAUTHENTICATED);
        final ResilientInvoker.Result<String> result = succeed(Idempotency.NOT_IDEMPOTENT, script);
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(script.tokensUsed).containsExactly("t1", "t2");
        assertThat(tokens.invalidated).containsExactly("t1");
        assertThat(scheduler.delays()).as("a token renewal is not a backoff").isEmpty();
    }

    @Test
    void aSecondRejectedTokenIsReportedNotRetried() {
        final UpstreamException e = fail(Idempotency.NOT_IDEMPOTENT, farDeadline,
                                         new Script().then(Failure.Type.UNAUTHENTICATED)
                                                     .then(Failure.Type.UNAUTHENTICATED));
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAUTHENTICATED);
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(e.getMessage()).contains("freshly issued token");
    }

    @Test
    void sendsBasicCredentialsAsTheyAreAndDoesNotRetryWhenRefused() {
        final Script script = new Script().then(Failure.Type.UNAUTHENTICATED);
        final CompletionException e = catchThrowableOfType(
                CompletionException.class,
                () -> invoker(Credential.basic(new ClientCredentials("id", "secret")))
                        .invoke("Op", Idempotency.IDEMPOTENT, farDeadline, script).join());
        final UpstreamException failure = (UpstreamException) e.getCause();
        assertThat(failure.kind()).isEqualTo(UpstreamException.Kind.UNAUTHENTICATED);
        assertThat(failure.attempts()).as("fixed credentials are not tried twice").isEqualTo(1);
        assertThat(failure.getMessage()).contains("rejected the credentials").doesNotContain("secret");
        assertThat(script.tokensUsed).containsExactly("Basic aWQ6c2VjcmV0");
        assertThat(tokens.issued).as("no token is requested").isZero();
    }

    @Test
    void aFailingTokenEndpointMakesTheUpstreamUnavailable() {
        tokens.failing = true;
        final Script script = new Script();
        final UpstreamException e = fail(Idempotency.IDEMPOTENT, farDeadline, script);
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("token endpoint down");
        assertThat(script.tokensUsed).isEmpty();
    }

    @Test
    void aRefusedPermitMakesNoAttempt() {
        final Script script = new Script();
        final ResilientInvoker limited = ResilientInvoker.builder("test-upstream")
                                                         .credential(tokens)
                                                         .classifier(cause -> ((Scripted) cause).failure)
                                                         .rateLimiter(maxWait -> CompletableFuture.completedFuture(false))
                                                         .clock(clock)
                                                         .scheduler(scheduler)
                                                         .build();
        final CompletionException e = catchThrowableOfType(CompletionException.class,
                () -> limited.invoke("Op", Idempotency.IDEMPOTENT, farDeadline, script).join());
        final UpstreamException failure = (UpstreamException) e.getCause();
        assertThat(failure.kind()).isEqualTo(UpstreamException.Kind.RATE_LIMITED);
        assertThat(failure.getMessage()).contains("rate limit leaves no request free");
        assertThat(script.tokensUsed).isEmpty();
    }

    @Test
    void notFoundIsNeverRetried() {
        final UpstreamException e = fail(Idempotency.IDEMPOTENT, farDeadline,
                                         new Script().then(Failure.Type.NOT_FOUND));
        assertThat(e.kind()).isEqualTo(UpstreamException.Kind.NOT_FOUND);
        assertThat(e.attempts()).isEqualTo(1);
    }
}
