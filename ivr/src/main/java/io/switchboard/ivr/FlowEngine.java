package io.switchboard.ivr;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.calls.MediaPort;

/**
 * Runs flows on live calls, each on a virtual thread of its own. Before every step that reaches
 * the platform it checks that the call is still active or ringing, and ends the run with
 * {@code hangup} when it is not. A cancelled run sends nothing more. Every step, digit result
 * and outcome is an event of the run and a line of the audit trail; digits of a collection
 * marked {@code sensitive} are redacted in both.
 */
public final class FlowEngine {

    private static final Logger logger = LoggerFactory.getLogger(FlowEngine.class);

    private final MediaPort media;
    private final @Nullable AuditTrail audit;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Map<String, FlowRun> runs = new ConcurrentHashMap<>();
    private final @Nullable MeterRegistry meters;
    private final @Nullable OptOutPort optOuts;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Creates an engine.
     *
     * @param requestTimeout how long one platform request may take, beyond a collection's own timeout
     */
    public FlowEngine(MediaPort media, @Nullable AuditTrail audit, Clock clock, Duration requestTimeout) {
        this(media, audit, clock, requestTimeout, null);
    }

    /**
     * Creates an engine that also counts runs in {@code meters}: {@code switchboard_flow_runs_total}
     * by flow and outcome, and {@code switchboard_flow_runs_active}.
     */
    public FlowEngine(MediaPort media, @Nullable AuditTrail audit, Clock clock, Duration requestTimeout,
                      @Nullable MeterRegistry meters) {
        this(media, audit, clock, requestTimeout, meters, null);
    }

    /**
     * Creates an engine whose {@code optOut} nodes record opt-outs through {@code optOuts}; without
     * one, such a node cannot record and takes its {@code failed} path.
     */
    public FlowEngine(MediaPort media, @Nullable AuditTrail audit, Clock clock, Duration requestTimeout,
                      @Nullable MeterRegistry meters, @Nullable OptOutPort optOuts) {
        this.optOuts = optOuts;
        this.meters = meters;
        if (meters != null) {
            Gauge.builder("switchboard.flow.runs.active", running, java.util.concurrent.atomic.AtomicInteger::get)
                 .description("IVR flow runs going now")
                 .register(meters);
        }
        this.media = requireNonNull(media, "media");
        this.audit = audit;
        this.clock = requireNonNull(clock, "clock");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout");
    }

    /** How long an ended run can still be read. */
    public static final Duration RETENTION = Duration.ofHours(1);

    /** Starts {@code flow} on call {@code callId}; returns the run at once. */
    public FlowRun start(Flow flow, String callId) {
        return start(flow, callId, null);
    }

    /**
     * Starts {@code flow} on call {@code callId}, whose other end is {@code phoneNumber} (null:
     * not known; an {@code optOut} node then cannot record); returns the run at once.
     */
    public FlowRun start(Flow flow, String callId, @Nullable String phoneNumber) {
        forgetOldRuns();
        final FlowRun run = new FlowRun(UUID.randomUUID().toString(), callId, flow.name(), phoneNumber);
        runs.put(run.id(), run);
        running.incrementAndGet();
        Thread.ofVirtual().name("flow-" + run.id()).start(() -> {
            run.runOn(Thread.currentThread());
            String outcome;
            try {
                outcome = execute(flow, run);
            } catch (InterruptedException e) {
                outcome = "cancelled";
            } catch (RuntimeException e) {
                logger.warn("flow {} on call {} failed", flow.name(), callId, e);
                event(run, "error", null, String.valueOf(e.getMessage()));
                outcome = "failed";
            }
            if (run.cancelled()) {
                outcome = "cancelled";
            }
            event(run, "outcome", null, outcome);
            run.end(outcome, clock.instant());
            running.decrementAndGet();
            if (meters != null) {
                meters.counter("switchboard.flow.runs", "flow", flow.name(), "outcome", outcome).increment();
            }
        });
        return run;
    }

    /** Forgets runs that ended more than {@link #RETENTION} ago, now and then, so that memory stays bounded. */
    private void forgetOldRuns() {
        if ((starts.incrementAndGet() & 1023) != 0) {
            return;
        }
        final java.time.Instant before = clock.instant().minus(RETENTION);
        runs.values().removeIf(r -> r.endedAt() != null && r.endedAt().isBefore(before));
    }

    private final java.util.concurrent.atomic.AtomicLong starts = new java.util.concurrent.atomic.AtomicLong();

    /** Cancels every run still going, as at shutdown; returns how many there were. */
    public int cancelAll() {
        int cancelled = 0;
        for (FlowRun run : runs.values()) {
            if (run.state() == FlowRun.State.RUNNING) {
                run.cancel();
                cancelled++;
            }
        }
        return cancelled;
    }

    /** Returns the run {@code id}, if this engine started it and it ended less than {@link #RETENTION} ago. */
    public Optional<FlowRun> run(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** The last collection's result, as branches and retries see it. */
    private enum Result { NONE, DIGITS, NO_INPUT, NO_MATCH }

    private String execute(Flow flow, FlowRun run) throws InterruptedException {
        final Map<String, String> variables = new HashMap<>();
        final Map<String, Integer> attempts = new HashMap<>();
        Result last = Result.NONE;
        String current = flow.start();
        while (true) {
            if (run.cancelled()) {
                return "cancelled";
            }
            final Flow.Node node = flow.nodes().get(current);
            event(run, "step", node.id(), null);
            switch (node) {
                case Flow.Hangup h -> {
                    return h.outcome();
                }
                case Flow.Transfer t -> {
                    event(run, "transfer", t.id(), t.to());
                    return t.outcome();
                }
                case Flow.OptOut o -> {
                    final String failure = optOut(flow, run, o);
                    if (failure == null) {
                        current = o.next();
                    } else {
                        event(run, "error", o.id(), failure);
                        if (o.failed() == null) {
                            return "failed";
                        }
                        current = o.failed();
                    }
                }
                case Flow.SetVariables s -> {
                    variables.putAll(s.values());
                    current = s.next();
                }
                case Flow.Branch b -> {
                    current = branch(b, last, variables.getOrDefault(b.on(), ""));
                }
                case Flow.Retry r -> {
                    final int n = attempts.merge(r.id(), 1, Integer::sum);
                    if (n >= r.maxAttempts()) {
                        event(run, "retry", r.id(), "attempts exhausted (" + n + " of " + r.maxAttempts() + ')');
                        current = r.exhausted();
                        continue;
                    }
                    event(run, "retry", r.id(), "attempt " + (n + 1) + " of " + r.maxAttempts());
                    final String prompt = last == Result.NO_INPUT ? r.noInputPrompt() : r.noMatchPrompt();
                    if (prompt != null) {
                        if (!live(run)) {
                            return "hangup";
                        }
                        await(run, media.play(run.callId(), new MediaPort.Prompt(prompt, false, true), deadline(null)),
                              null);
                        event(run, "play", r.id(), prompt);
                    }
                    current = r.next();
                }
                case Flow.Play p -> {
                    if (!live(run)) {
                        return "hangup";
                    }
                    await(run, media.play(run.callId(), new MediaPort.Prompt(p.mediaUrl(), false, p.interruptible()),
                                          deadline(null)), null);
                    event(run, "play", p.id(), p.mediaUrl());
                    current = p.next();
                }
                case Flow.Collect c -> {
                    if (!live(run)) {
                        return "hangup";
                    }
                    final MediaPort.Collected got = await(run, media.collect(
                            run.callId(), new MediaPort.Collection(
                                    c.maxDigits(), c.timeout(), c.terminators(),
                                    c.prompt() == null ? null : new MediaPort.Prompt(c.prompt(), false, true)),
                            deadline(c.timeout())), c.timeout());
                    if ("hangup".equals(got.reason()) || "failed".equals(got.status())) {
                        if (!live(run)) {
                            return "hangup";
                        }
                    }
                    last = judge(c, got);
                    variables.put(c.into(), last == Result.DIGITS ? got.digits() : "");
                    final String shown = c.sensitive() ? "<redacted " + got.digits().length() + " digits>" : got.digits();
                    event(run, last == Result.NO_INPUT ? "no_input" : last == Result.NO_MATCH ? "no_match" : "digits",
                          c.id(), last == Result.NO_INPUT ? null : shown);
                    current = c.next();
                }
            }
        }
    }

    /** Records the run's opt-out; returns null when it is durable, else why it is not recorded. */
    private @Nullable String optOut(Flow flow, FlowRun run, Flow.OptOut o) throws InterruptedException {
        final String number = run.phoneNumber();
        if (number == null) {
            return "the opt-out was not recorded: the run was started without the call's phoneNumber";
        }
        if (optOuts == null) {
            return "the opt-out was not recorded: this gateway keeps no opt-out lists";
        }
        try {
            await(run, optOuts.optOut(number, o.scope(), "ivr:" + flow.name(), run.id()), null);
        } catch (IllegalStateException e) {
            return "the opt-out was not recorded: " + e.getMessage();
        }
        event(run, "opt_out", o.id(), o.scope());
        return null;
    }

    private static Result judge(Flow.Collect c, MediaPort.Collected got) {
        final String digits = got.digits();
        if (got.timedOut() || digits.isEmpty()) {
            return Result.NO_INPUT;
        }
        if (digits.length() < c.minDigits()
            || c.regex() != null && !c.regex().matcher(digits).matches()
            || c.digitSet() != null && digits.chars().anyMatch(ch -> c.digitSet().indexOf(ch) < 0)) {
            return Result.NO_MATCH;
        }
        return Result.DIGITS;
    }

    private static String branch(Flow.Branch b, Result last, String value) {
        if (last == Result.NO_INPUT && b.noInput() != null) {
            return b.noInput();
        }
        if (last == Result.NO_MATCH && b.noMatch() != null) {
            return b.noMatch();
        }
        if (last == Result.DIGITS || last == Result.NONE) {
            for (Flow.Case c : b.cases()) {
                if (c.matches(value)) {
                    return c.next();
                }
            }
        }
        return b.otherwise();
    }

    /** Whether the call still takes media; a check the platform answers. */
    private boolean live(FlowRun run) throws InterruptedException {
        return await(run, media.status(run.callId(), deadline(null)), null).live();
    }

    private java.time.Instant deadline(@Nullable Duration extra) {
        return clock.instant().plus(requestTimeout).plus(extra == null ? Duration.ZERO : extra);
    }

    /** Waits for a platform answer, interruptibly: a cancel stops the wait at once. */
    private <T> T await(FlowRun run, CompletableFuture<T> answer, @Nullable Duration extra) throws InterruptedException {
        if (run.cancelled()) {
            answer.cancel(false);
            throw new InterruptedException("cancelled");
        }
        try {
            return answer.get(requestTimeout.plus(extra == null ? Duration.ZERO : extra).toMillis() + 1000,
                              TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.toString(),
                                            e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the platform did not answer in time", e);
        } catch (InterruptedException e) {
            answer.cancel(false);
            throw e;
        }
    }

    private void event(FlowRun run, String type, @Nullable String node, @Nullable String detail) {
        run.add(new FlowRun.Event(clock.instant(), type, node, detail));
        if (audit != null) {
            audit.append(new AuditRecord(clock.instant(), "ivr", type, "OK", null, null, run.callId(), 0, run.id(),
                                         null, null, (node == null ? "" : "node=" + node + ' ')
                                                     + "flow=" + run.flow()
                                                     + (detail == null ? "" : " " + detail)));
        }
    }
}
