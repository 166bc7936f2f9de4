package io.switchboard.gateway.internal;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.switchboard.api.v1.CallControlGrpc;
import io.switchboard.core.calls.MuteVerifier;
import io.switchboard.core.resilience.RetryScheduler;
import io.switchboard.core.webhook.WebhookSender;
import io.switchboard.core.webhook.WebhookSignature;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.ivr.MediaUrls;
import io.switchboard.platforms.Capability;

/**
 * {@code switchboard.v1.CallControl} over gRPC and REST: DTMF and volume on the
 * {@code callControl} route, mute on {@code conversations} (with its timed unmutes, resumed
 * from the data directory once the gateway listens), Play and Collect on {@code media}.
 */
public final class CallControlApi implements ApiCapability {

    /** The pending timed unmutes' file name in the data directory. */
    public static final String PENDING_UNMUTES_FILE = "pending-unmutes.json";

    private static final String SERVICE_PREFIX = '/' + CallControlGrpc.SERVICE_NAME + '/';

    private final CallControlService service;
    private final @Nullable TimedUnmutes unmutes;

    /** Builds the capability from {@code w}. */
    public CallControlApi(Wiring w) {
        final GatewayConfig config = w.config();
        final CallControlService.Mutes mutes;
        final Routed<io.switchboard.core.calls.ConversationPort> conversations = w.route(Capability.CONVERSATIONS);
        if (conversations.served()) {
            final GatewayConfig.Mute m = config.mute();
            final MuteVerifier verifier = new MuteVerifier(conversations.port(), w.clock(),
                                                           RetryScheduler.on(CommonPools.workerGroup()),
                                                           m.pollInterval(), m.readBackTimeout());
            final RecordingSync sync = recordingSync(w);
            unmutes = new TimedUnmutes(
                    config.dataDir().resolve(PENDING_UNMUTES_FILE), w.clock(), CommonPools.workerGroup(),
                    (conversationId, participantId) -> verifier.setMuted(
                            conversationId, participantId, false, w.clock().instant().plus(config.commandTimeout())),
                    w.audit(), m.unmuteRetry(), sync);
            mutes = new CallControlService.Mutes.Served(verifier, unmutes, m.defaultMaxDuration(), sync);
        } else {
            unmutes = null;
            mutes = new CallControlService.Mutes.Unavailable(conversations.unavailable());
        }
        service = new CallControlService(w.clock(), config.commandTimeout(), w.meters(), w.audit(),
                                         w.route(Capability.CALL_CONTROL).port(), w.route(Capability.MEDIA).port(),
                                         new MediaUrls(config.ivr().mediaHosts()), mutes,
                                         config.mute().warnLatency(),
                                         w.resources().add("idempotency keys", IdempotencyKeys.create(w.redis(), w.clock())));
    }

    private static RecordingSync recordingSync(Wiring w) {
        final GatewayConfig.RecordingSync r = w.config().recordingSync();
        if (r.url() == null || r.secret() == null) {
            return RecordingSync.disabled();
        }
        return new RecordingSync(new WebhookSender("recording-sync", r.url(), new WebhookSignature(r.secret()),
                                                   w.config().retry().toPolicy(), r.timeout(), w.upstreamClients(),
                                                   RetryScheduler.on(CommonPools.workerGroup()), w.clock(),
                                                   w.meters()),
                                 w.clock());
    }

    @Override
    public void mount(ServerBuilder sb) {
        sb.service(GrpcServices.transcoded(service), delegate -> delegate.decorate(new JsonBodies()));
    }

    @Override
    public Optional<String> scopeOf(ServiceRequestContext ctx) {
        final String path = ctx.path();
        if (path.startsWith(SERVICE_PREFIX) || path.startsWith("/v1/sessions/")
            || path.startsWith("/v1/conversations/") || path.startsWith("/v1/calls/") || path.equals("/v1/commands")) {
            return Optional.of(Scopes.CALLS_WRITE);
        }
        return Optional.empty();
    }

    @Override
    public void started() {
        // Pending unmutes left by a previous run go out once the platform is reachable.
        if (unmutes != null) {
            unmutes.resume();
        }
    }

    @Override
    public void stopping() {
        if (unmutes != null) {
            unmutes.close();
        }
    }
}
