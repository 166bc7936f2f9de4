package io.switchboard.gateway;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreakerBuilder;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreakerListener;
import com.linecorp.armeria.client.circuitbreaker.CircuitState;
import com.linecorp.armeria.client.circuitbreaker.EventCount;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An upstream's circuit breaker with its metrics, all tagged {@code name}:
 * <ul>
 *   <li>{@code switchboard_circuit_breaker_requests_total{result}}: each request's outcome,
 *       {@code success} or {@code failure}, counted as it happens;</li>
 *   <li>{@code switchboard_circuit_breaker_rejected_requests_total}: requests refused while open;</li>
 *   <li>{@code switchboard_circuit_breaker_state}: 1 closed, 0.5 half-open, 0 open, read live;</li>
 *   <li>{@code switchboard_circuit_breaker_transitions_total{state}}: changes of state.</li>
 * </ul>
 * Armeria's own metric listener reports requests only as its sliding window turns, which a
 * quiet upstream never does, so its figures could stay at 0; these move with every request.
 */
final class CountingCircuitBreaker implements CircuitBreaker {

    private static final String PREFIX = "switchboard.circuit.breaker.";

    private final CircuitBreaker delegate;
    private final Counter successes;
    private final Counter failures;
    private final Counter rejected;

    private CountingCircuitBreaker(CircuitBreaker delegate, MeterRegistry meters) {
        this.delegate = requireNonNull(delegate, "delegate");
        successes = requests(meters, "success");
        failures = requests(meters, "failure");
        rejected = Counter.builder(PREFIX + "rejected.requests")
                          .description("Requests refused by an upstream's open circuit breaker")
                          .tag("name", delegate.name()).register(meters);
        Gauge.builder(PREFIX + "state", delegate, b -> switch (b.circuitState()) {
                 case CLOSED -> 1.0;
                 case HALF_OPEN -> 0.5;
                 default -> 0.0;
             })
             .description("An upstream's circuit breaker: 1 closed, 0.5 half-open, 0 open")
             .tag("name", delegate.name()).register(meters);
    }

    /** Builds the breaker of {@code builder}, counting into {@code meters}. */
    static CircuitBreaker build(CircuitBreakerBuilder builder, MeterRegistry meters) {
        builder.listener(new CircuitBreakerListener() {
            @Override
            public void onInitialized(String breaker, CircuitState state) {
                // The state it starts in is no change of state.
            }

            @Override
            public void onStateChanged(String breaker, CircuitState state) {
                Counter.builder(PREFIX + "transitions")
                       .description("Changes of state of an upstream's circuit breaker, by the state entered")
                       .tag("name", breaker).tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                       .register(meters).increment();
            }

            @Override
            public void onEventCountUpdated(String breaker, EventCount count) {
                // Counted per request instead: see the class comment.
            }

            @Override
            public void onRequestRejected(String breaker) {
                // Counted in tryRequest.
            }
        });
        return new CountingCircuitBreaker(builder.build(), meters);
    }

    private Counter requests(MeterRegistry meters, String result) {
        return Counter.builder(PREFIX + "requests")
                      .description("Requests through an upstream's circuit breaker, by outcome")
                      .tag("name", delegate.name()).tag("result", result)
                      .register(meters);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void onSuccess() {
        successes.increment();
        delegate.onSuccess();
    }

    @Override
    public void onFailure() {
        failures.increment();
        delegate.onFailure();
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean canRequest() {
        return delegate.canRequest();
    }

    @Override
    public boolean tryRequest() {
        final boolean allowed = delegate.tryRequest();
        if (!allowed) {
            rejected.increment();
        }
        return allowed;
    }

    @Override
    public CircuitState circuitState() {
        return delegate.circuitState();
    }

    @Override
    public void enterState(CircuitState state) {
        delegate.enterState(state);
    }
}
