package io.switchboard.gateway.internal;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;

import io.switchboard.api.v1.FlowsGrpc;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.ivr.FlowEngine;
import io.switchboard.ivr.FlowLibrary;
import io.switchboard.ivr.FlowLoader;
import io.switchboard.ivr.MediaUrls;
import io.switchboard.platforms.Capability;

/**
 * IVR flows over REST ({@code POST /v1/calls/{callId}/flows}, {@code /v1/flow-runs/{runId}})
 * and gRPC ({@code switchboard.v1.Flows}), run by the engine on the {@code media} route. When
 * no platform serves media, the same routes answer that it is not configured (HTTP 422,
 * FAILED_PRECONDITION), before any flow is read or run.
 */
public final class FlowsApi implements ApiCapability {

    private static final Logger logger = LoggerFactory.getLogger(FlowsApi.class);
    private static final String SERVICE_PREFIX = '/' + FlowsGrpc.SERVICE_NAME + '/';

    private final @Nullable FlowEngine engine;
    private final @Nullable FlowRuns runs;
    private final @Nullable String unavailable;

    /** Builds the capability from {@code w}; {@code optOuts} records what flows' optOut nodes capture, if given. */
    public FlowsApi(Wiring w, io.switchboard.ivr.@Nullable OptOutPort optOuts) {
        final Routed<MediaPort> media = w.route(Capability.MEDIA);
        final GatewayConfig config = w.config();
        if (media.served()) {
            final FlowLoader loader = new FlowLoader(new MediaUrls(config.ivr().mediaHosts()));
            engine = new FlowEngine(media.port(), w.audit(), w.clock(), config.commandTimeout(), w.meters(), optOuts);
            runs = new FlowRuns(engine, new FlowLibrary(loader, config.ivr().flowsDir()), loader,
                                new io.switchboard.core.phone.PhoneNumbers(config.compliance().defaultRegion()));
            unavailable = null;
        } else {
            engine = null;
            runs = null;
            unavailable = media.unavailable();
        }
    }

    @Override
    public void mount(ServerBuilder sb) {
        if (runs != null) {
            sb.annotatedService().exceptionHandlers(new BadRequests()).build(new FlowsService(runs));
            sb.service(GrpcService.builder().addService(new FlowsGrpcService(runs)).enableUnframedRequests(true).build());
            return;
        }
        final NotConfiguredService notConfigured = new NotConfiguredService(unavailable);
        sb.service("/v1/calls/{callId}/flows", notConfigured)
          .serviceUnder("/v1/flow-runs/", notConfigured)
          .serviceUnder(SERVICE_PREFIX, notConfigured);
    }

    @Override
    public Optional<String> scopeOf(ServiceRequestContext ctx) {
        final String path = ctx.path();
        if (path.startsWith(SERVICE_PREFIX) || path.startsWith("/v1/flow-runs/")
            || path.startsWith("/v1/calls/") && path.endsWith("/flows")) {
            return Optional.of(Scopes.CALLS_WRITE);
        }
        return Optional.empty();
    }

    @Override
    public void stopping() {
        // Flows do not outlive the gateway: a run cut off mid-call is cancelled, and says so.
        if (engine != null) {
            final int cancelled = engine.cancelAll();
            if (cancelled > 0) {
                logger.warn("shutting down: cancelled {} IVR flow runs still going", cancelled);
            }
        }
    }
}
