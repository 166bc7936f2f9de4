package io.switchboard.platforms.testing;

import java.time.Clock;
import java.time.Duration;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.resilience.RetryPolicy;
import io.switchboard.platforms.PlatformContext;

/** Platform contexts for tests. */
public final class Contexts {

    /** Returns a context with the system clock, the default client factory and a 20 ms retry backoff. */
    public static PlatformContext fast(MeterRegistry meters) {
        return new PlatformContext(Clock.systemUTC(), meters, ClientFactory.ofDefault(),
                                   RetryPolicy.builder().jitter(0)
                                              .backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2).build(),
                                   CircuitBreaker::of, null);
    }

    private Contexts() {}
}
