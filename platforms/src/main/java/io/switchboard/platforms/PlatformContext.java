package io.switchboard.platforms;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;

import io.lettuce.core.AbstractRedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.auth.Credential;
import io.switchboard.core.resilience.FailureClassifier;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.core.resilience.RetryPolicy;

/**
 * What every platform provider builds its clients with. The caller owns these resources and
 * closes them; platforms hold no resource of their own.
 *
 * @param clock judges deadlines, token expiry and backoff
 * @param meters where token, attempt, retry and breaker metrics go
 * @param clients the connection pool every upstream client shares
 * @param retry how upstream failures are retried
 * @param breakers makes the circuit breaker for an upstream name, e.g. {@code genesys-platform}
 * @param redis the Redis that replicas share rate limits through, if configured
 */
public record PlatformContext(Clock clock, MeterRegistry meters, ClientFactory clients, RetryPolicy retry,
                              Function<String, CircuitBreaker> breakers, @Nullable AbstractRedisClient redis) {

    /** Checks the components. */
    public PlatformContext {
        requireNonNull(clock, "clock");
        requireNonNull(meters, "meters");
        requireNonNull(clients, "clients");
        requireNonNull(retry, "retry");
        requireNonNull(breakers, "breakers");
    }

    /**
     * Returns a builder of the invoker for {@code upstream}: {@code credential}, {@code classifier},
     * this context's retry policy, clock and meters, and the breaker made for {@code upstream}
     * (also returned by the invoker's {@link ResilientInvoker#circuitBreaker()}).
     */
    public ResilientInvoker.Builder invoker(String upstream, Credential credential, FailureClassifier classifier) {
        return ResilientInvoker.builder(upstream)
                               .credential(credential)
                               .classifier(classifier)
                               .retryPolicy(retry)
                               .circuitBreaker(breakers.apply(upstream))
                               .clock(clock)
                               .meterRegistry(meters);
    }
}
