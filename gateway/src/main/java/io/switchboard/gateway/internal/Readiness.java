package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.circuitbreaker.CircuitBreaker;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.common.HttpRequest;

/**
 * Whether the gateway can serve, component by component, for {@code /health/ready} (and
 * {@code /health}, the same): not ready while starting (until every port is bound and the
 * server listens), while a component that decisions depend on fails (the DNC store), and from
 * the moment shutdown begins, so that load balancers stop sending requests before the server
 * stops taking them. Each upstream's breaker and the simulator's use are reported too; an open
 * breaker does not make the gateway unready, since every replica shares the upstream and
 * taking them all out of rotation would also stop what does not need it ({@code /validate}).
 *
 * <p>Threading: {@link #serve} runs on an event loop and never blocks: component checks
 * return futures, bounded by {@link #CHECK_TIMEOUT}.
 */
public final class Readiness implements HttpService {

    /** How long one component's check may take before it counts as failing. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The gateway's phase. */
    public enum Phase { STARTING, SERVING, DRAINING }

    /**
     * One component's check: completes with a short state ({@code "ok"}, {@code "closed"}, ...)
     * and whether the gateway can serve with it so; fails when the component cannot answer.
     */
    @FunctionalInterface
    public interface Check {
        CompletableFuture<State> check();
    }

    /** A component's state and whether it lets the gateway serve. */
    public record State(String state, boolean ready) {}

    private record Component(String name, Check check) {}

    private final List<Component> components = new ArrayList<>();
    private volatile Phase phase = Phase.STARTING;

    /** Adds a component to every answer; registered during start-up only. */
    public void add(String name, Check check) {
        components.add(new Component(requireNonNull(name, "name"), requireNonNull(check, "check")));
    }

    /** Reports {@code breaker}'s state; an open breaker is reported, not counted as unready. */
    public void add(CircuitBreaker breaker) {
        add("breaker:" + breaker.name(), () -> CompletableFuture.completedFuture(
                new State(breaker.circuitState().name().toLowerCase(java.util.Locale.ROOT), true)));
    }

    /** Moves to {@code phase}. */
    public void enter(Phase phase) {
        this.phase = requireNonNull(phase, "phase");
        if (phase != Phase.SERVING) {
            lastReady = false;
        }
    }

    /** Returns the phase. */
    public Phase phase() {
        return phase;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(evaluate(ctx.blockingTaskExecutor()).thenApply(body -> {
            final boolean ready = body.get("ready").asBoolean();
            return HttpResponse.of(ResponseHeaders.builder(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                                                  .contentType(MediaType.JSON_UTF_8)
                                                  .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                                                  .build(),
                                   com.linecorp.armeria.common.HttpData.ofUtf8(body.toString()));
        }));
    }

    /**
     * Exports {@code switchboard_ready}: 1 when the gateway is ready, 0 when not, as of the last
     * check; and {@code switchboard_component_ready{component}}, each component's. The gateway
     * is checked every {@code every} on {@code executor}, and whenever {@code /health/ready} is
     * asked, so that an alert sees what a load balancer sees.
     *
     * @return the periodic check, to cancel when the gateway stops
     */
    public java.util.concurrent.ScheduledFuture<?> export(io.micrometer.core.instrument.MeterRegistry meters,
                                                          java.util.concurrent.ScheduledExecutorService executor,
                                                          Duration every) {
        io.micrometer.core.instrument.Gauge.builder("switchboard.ready", this, r -> r.lastReady ? 1.0 : 0.0)
             .description("1 when the gateway is ready (as /health/ready answers), 0 when not; checked every "
                          + every.toSeconds() + " s")
             .register(meters);
        for (Component c : components) {
            io.micrometer.core.instrument.Gauge.builder("switchboard.component.ready", lastByComponent,
                                                        last -> Boolean.TRUE.equals(last.get(c.name())) ? 1.0 : 0.0)
                 .description("1 when a component lets the gateway serve (as /health/ready lists it), 0 when not")
                 .tag("component", c.name())
                 .register(meters);
        }
        // Each round waits for its checks (each bounded by CHECK_TIMEOUT): a check that hangs
        // never has rounds piling up behind it.
        return executor.scheduleWithFixedDelay(() -> {
            try {
                evaluate(executor).get(CHECK_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                lastReady = false;
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last check's answer: not ready until one says otherwise. */
    private volatile boolean lastReady;
    /** The last check's answer for each component. */
    private final java.util.Map<String, Boolean> lastByComponent = new java.util.concurrent.ConcurrentHashMap<>();

    /** Checks every component, without blocking the caller; the answer's body as {@code /health/ready} shows it. */
    private CompletableFuture<ObjectNode> evaluate(java.util.concurrent.Executor executor) {
        final Phase now = phase;
        final List<CompletableFuture<State>> checks = new ArrayList<>(components.size());
        for (Component c : components) {
            // Checks may do a little blocking work (the embedded store's count): never on the event loop.
            final CompletableFuture<State> f = CompletableFuture.supplyAsync(() -> {
                final CompletableFuture<State> answer = c.check().check();
                return answer != null ? answer : CompletableFuture.<State>failedFuture(
                        new IllegalStateException(c.name() + ": no answer"));
            }, executor).thenCompose(answer -> answer);
            checks.add(f.orTimeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(e -> new State("failing", false)));
        }
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            boolean ready = now == Phase.SERVING;
            final ObjectNode body = JSON.createObjectNode();
            final ArrayNode list = JSON.createArrayNode();
            for (int i = 0; i < components.size(); i++) {
                final State s = checks.get(i).join();
                ready &= s.ready();
                lastByComponent.put(components.get(i).name(), s.ready());
                list.addObject().put("name", components.get(i).name()).put("state", s.state())
                    .put("ready", s.ready());
            }
            body.put("ready", ready).put("phase", now.name().toLowerCase(java.util.Locale.ROOT)).set("components", list);
            // Shutdown may have begun while the checks ran: from then on, never ready.
            lastReady = ready && phase == Phase.SERVING;
            return body;
        });
    }
}
