package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.calls.CallIds;
import io.switchboard.ivr.Flow;
import io.switchboard.ivr.FlowEngine;
import io.switchboard.ivr.FlowLibrary;
import io.switchboard.ivr.FlowLoader;
import io.switchboard.ivr.FlowRun;

/**
 * What the REST and gRPC flow APIs share: which flow a request means (a name, or a whole flow
 * in YAML), the call id's shape, and the engine's runs.
 */
public final class FlowRuns {

    private final FlowEngine engine;
    private final io.switchboard.core.phone.PhoneNumbers phoneNumbers;
    private final FlowLibrary library;
    private final FlowLoader loader;

    /** Creates the runs of {@code engine}, with flows from {@code library} or read by {@code loader}. */
    public FlowRuns(FlowEngine engine, FlowLibrary library, FlowLoader loader,
                    io.switchboard.core.phone.PhoneNumbers phoneNumbers) {
        this.engine = requireNonNull(engine, "engine");
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.library = requireNonNull(library, "library");
        this.loader = requireNonNull(loader, "loader");
    }

    /**
     * Starts a flow on {@code callId}: the flow {@code name}, or the flow written in {@code yaml};
     * {@code phoneNumber}, the call's other end, is what an {@code optOut} node records.
     *
     * @throws InvalidArgumentException for a bad call id, or not exactly one of name and yaml
     * @throws io.switchboard.ivr.FlowException for a flow that is not valid, naming line and field
     * @throws IllegalArgumentException for a flow that does not exist
     */
    FlowRun start(String callId, @Nullable String name, @Nullable String yaml, @Nullable String phoneNumber) {
        CallIds.check("callId", callId);
        final String number = phoneNumber == null || phoneNumber.isEmpty() ? null
                                                                           : phoneNumbers.toE164("phoneNumber", phoneNumber);
        if ((name == null) == (yaml == null)) {
            throw new InvalidArgumentException("flow", InvalidArgumentException.MISSING,
                                               "exactly one of flow (a name) and yaml (a whole flow)");
        }
        final Flow flow = name != null ? library.load(name) : loader.load("(request)", yaml);
        return engine.start(flow, callId, number);
    }

    /** Returns the run {@code runId}, if it is known. */
    Optional<FlowRun> run(String runId) {
        return engine.run(runId);
    }
}
