package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.protobuf.Timestamp;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.switchboard.api.v1.FlowEvent;
import io.switchboard.api.v1.FlowRunRequest;
import io.switchboard.api.v1.FlowRunState;
import io.switchboard.api.v1.FlowsGrpc;
import io.switchboard.api.v1.StartFlowRequest;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.ivr.FlowRun;

/** {@code switchboard.v1.Flows}: the flow API over gRPC, with the run's events as a stream. */
public final class FlowsGrpcService extends FlowsGrpc.FlowsImplBase {

    /** How often a stream looks for new events. */
    private static final long POLL_MILLIS = 50;

    private final FlowRuns runs;

    /** Creates the service over {@code runs}. */
    public FlowsGrpcService(FlowRuns runs) {
        this.runs = requireNonNull(runs, "runs");
    }

    @Override
    public void startFlow(StartFlowRequest request, StreamObserver<FlowRunState> observer) {
        final FlowRun run;
        try {
            run = runs.start(request.getCallId(), request.hasName() ? request.getName() : null,
                             request.hasYaml() ? request.getYaml() : null, request.getPhoneNumber());
        } catch (InvalidArgumentException | IllegalArgumentException e) { // a FlowException is one too
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        observer.onNext(state(run));
        observer.onCompleted();
    }

    @Override
    public void getFlowRun(FlowRunRequest request, StreamObserver<FlowRunState> observer) {
        final FlowRun run = find(request, observer);
        if (run != null) {
            observer.onNext(state(run));
            observer.onCompleted();
        }
    }

    @Override
    public void cancelFlowRun(FlowRunRequest request, StreamObserver<FlowRunState> observer) {
        final FlowRun run = find(request, observer);
        if (run == null) {
            return;
        }
        run.cancel();
        Thread.ofVirtual().start(() -> {
            try {
                run.await(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            observer.onNext(state(run));
            observer.onCompleted();
        });
    }

    @Override
    public void streamFlowEvents(FlowRunRequest request, StreamObserver<FlowEvent> observer) {
        final FlowRun run = find(request, observer);
        if (run == null) {
            return;
        }
        final ServerCallStreamObserver<FlowEvent> server = (ServerCallStreamObserver<FlowEvent>) observer;
        Thread.ofVirtual().name("flow-events-" + run.id()).start(() -> {
            int sent = 0;
            try {
                while (!server.isCancelled()) {
                    final boolean ended = run.state() == FlowRun.State.ENDED;
                    final List<FlowRun.Event> events = run.events();
                    for (; sent < events.size(); sent++) {
                        observer.onNext(event(events.get(sent)));
                    }
                    if (ended) {
                        observer.onCompleted();
                        return;
                    }
                    run.await(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException callerGone) {
                // the caller cancelled mid-send; nothing to do
            }
        });
    }

    private FlowRun find(FlowRunRequest request, StreamObserver<?> observer) {
        final FlowRun run = runs.run(request.getRunId()).orElse(null);
        if (run == null) {
            observer.onError(Status.NOT_FOUND.withDescription("no flow run " + request.getRunId()).asRuntimeException());
        }
        return run;
    }

    private static FlowRunState state(FlowRun run) {
        final FlowRunState.Builder state = FlowRunState.newBuilder()
                                                       .setRunId(run.id())
                                                       .setCallId(run.callId())
                                                       .setFlow(run.flow())
                                                       .setState(run.state() == FlowRun.State.ENDED ? "ended"
                                                                                                     : "running")
                                                       .setOutcome(run.outcome() == null ? "" : run.outcome());
        run.events().forEach(e -> state.addEvents(event(e)));
        return state.build();
    }

    private static FlowEvent event(FlowRun.Event e) {
        return FlowEvent.newBuilder()
                        .setAt(Timestamp.newBuilder().setSeconds(e.at().getEpochSecond()).setNanos(e.at().getNano()))
                        .setType(e.type())
                        .setNode(e.node() == null ? "" : e.node())
                        .setDetail(e.detail() == null ? "" : e.detail())
                        .build();
    }
}
