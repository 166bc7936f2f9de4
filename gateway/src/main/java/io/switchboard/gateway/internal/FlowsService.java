package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;

import io.switchboard.ivr.FlowRun;

/**
 * IVR flows on calls: {@code POST /v1/calls/{callId}/flows} starts one ({@code {"flow": "name"}},
 * or {@code {"yaml": "..."}} for a flow sent whole; {@code "phoneNumber"}, the call's other end,
 * for {@code optOut} nodes), {@code GET /v1/flow-runs/{runId}} reads its
 * state, outcome and events, {@code DELETE /v1/flow-runs/{runId}} cancels it.
 */
@Description("IVR flows on calls: start a flow, read a run with its events, cancel it (/v1/calls/{callId}/flows, /v1/flow-runs).")
public final class FlowsService {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final FlowRuns runs;

    /** Creates the service over {@code runs}. */
    public FlowsService(FlowRuns runs) {
        this.runs = requireNonNull(runs, "runs");
    }

    record Start(@Nullable String flow, @Nullable String yaml, @Nullable String phoneNumber) {}

    /** Starts a flow on the call. */
    @Description("Start an IVR flow on a call")
    @Post("/v1/calls/{callId}/flows")
    public HttpResponse start(@Param("callId") String callId, AggregatedHttpRequest request) {
        final Start body = RequestBodies.read(request.content().array(), Start.class);
        final FlowRun run = runs.start(callId, body == null ? null : body.flow(), body == null ? null : body.yaml(),
                                       body == null ? null : body.phoneNumber());
        return json(HttpStatus.CREATED, Map.of("runId", run.id(), "callId", callId, "flow", run.flow()));
    }

    /** The run's state, outcome and events. */
    @Description("A flow run's state, outcome and events")
    @Get("/v1/flow-runs/{runId}")
    public HttpResponse read(@Param("runId") String runId) {
        return runs.run(runId).map(run -> json(HttpStatus.OK, view(run)))
                     .orElseGet(() -> JsonErrorHandler.body(HttpStatus.NOT_FOUND, "no flow run " + runId)
                                                      .toHttpResponse());
    }

    /** Cancels the run; no request reaches the platform after the answer. */
    @Description("Cancel a flow run")
    @Delete("/v1/flow-runs/{runId}")
    public HttpResponse cancel(@Param("runId") String runId) throws InterruptedException {
        final FlowRun run = runs.run(runId).orElse(null);
        if (run == null) {
            return JsonErrorHandler.body(HttpStatus.NOT_FOUND, "no flow run " + runId).toHttpResponse();
        }
        run.cancel();
        run.await(2_000);
        return json(HttpStatus.OK, view(run));
    }

    private static Map<String, Object> view(FlowRun run) {
        final java.util.LinkedHashMap<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("runId", run.id());
        view.put("callId", run.callId());
        view.put("flow", run.flow());
        view.put("state", run.state().name().toLowerCase(java.util.Locale.ROOT));
        view.put("outcome", run.outcome());
        final List<FlowRun.Event> events = run.events();
        view.put("events", events);
        return view;
    }

    private static HttpResponse json(HttpStatus status, Object body) {
        try {
            return HttpResponse.of(status, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
