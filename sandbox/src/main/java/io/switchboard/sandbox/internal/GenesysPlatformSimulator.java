package io.switchboard.sandbox.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Patch;
import com.linecorp.armeria.server.annotation.Post;

import io.grpc.Status;

/**
 * The Genesys Cloud Platform API v2 conversation endpoints, as the real service answers them:
 * bearer tokens, 202 with no body for commands, Genesys error bodies
 * {@code {message, code, status, contextId, details, errors}}, an {@code ININ-Correlation-ID}
 * on every answer, and 429 with {@code Retry-After} (seconds) under an injected rate limit.
 */
public final class GenesysPlatformSimulator {

    private final SandboxState state;

    /** Creates the simulator over {@code state}. */
    public GenesysPlatformSimulator(SandboxState state) {
        this.state = state;
    }

    /** {@code GET /api/v2/conversations/calls/{conversationId}}: the call and its participants. */
    @Get("/api/v2/conversations/calls/{conversationId}")
    public HttpResponse callConversation(ServiceRequestContext ctx, AggregatedHttpRequest req,
                                         @Param String conversationId) {
        return serve(ctx, req, () -> {
            final GenesysConversations.Conversation c = state.genesys().get(conversationId).orElse(null);
            if (c == null) {
                return error(HttpStatus.NOT_FOUND, "not.found", "The requested conversation was not found.");
            }
            synchronized (c) {
                return json(HttpStatus.OK, view(c));
            }
        });
    }

    /** {@code PATCH /api/v2/conversations/{conversationId}/participants/{participantId}}: 202, no body. */
    @Patch("/api/v2/conversations/{conversationId}/participants/{participantId}")
    public HttpResponse patchParticipant(ServiceRequestContext ctx, AggregatedHttpRequest req,
                                         @Param String conversationId, @Param String participantId) {
        return serve(ctx, req, () -> {
            final JsonNode body = parse(req);
            if (body == null) {
                return error(HttpStatus.BAD_REQUEST, "bad.request", "The request could not be understood.");
            }
            return withParticipant(conversationId, participantId, p -> {
                if (body.has("muted") && !"connected".equals(p.state)) {
                    return error(HttpStatus.BAD_REQUEST, "conversation.participant.not.connected",
                                 "Participant " + participantId + " is " + p.state + " and cannot be muted.");
                }
                if (body.has("muted")) {
                    p.muted = body.get("muted").asBoolean();
                }
                if (body.has("held")) {
                    p.held = body.get("held").asBoolean();
                }
                return accepted();
            });
        });
    }

    /** {@code POST /api/v2/conversations/{conversationId}/participants/{participantId}/digits}: 202. */
    @Post("/api/v2/conversations/{conversationId}/participants/{participantId}/digits")
    public HttpResponse digits(ServiceRequestContext ctx, AggregatedHttpRequest req, @Param String conversationId,
                               @Param String participantId) {
        return serve(ctx, req, () -> {
            final JsonNode body = parse(req);
            final String digits = body != null ? body.path("digits").asText("") : "";
            if (!digits.matches("[0-9*#A-Da-d]{1,128}")) {
                return error(HttpStatus.BAD_REQUEST, "bad.request", "digits must be 1 to 128 of 0-9 * # A-D.");
            }
            return withParticipant(conversationId, participantId, p -> {
                if (!"connected".equals(p.state)) {
                    return error(HttpStatus.BAD_REQUEST, "conversation.participant.not.connected",
                                 "Participant " + participantId + " is " + p.state + '.');
                }
                p.digits.add(digits);
                return accepted();
            });
        });
    }

    /**
     * Runs {@code action} on a participant with its conversation's monitor held, or answers the
     * Genesys 404 for a conversation or participant that does not exist.
     */
    private HttpResponse withParticipant(String conversationId, String participantId,
                                         Function<GenesysConversations.Participant, HttpResponse> action) {
        final GenesysConversations.Conversation c = state.genesys().get(conversationId).orElse(null);
        if (c == null) {
            return error(HttpStatus.NOT_FOUND, "not.found", "The requested conversation was not found.");
        }
        synchronized (c) {
            final GenesysConversations.Participant p = GenesysConversations.participant(c, participantId);
            if (p == null) {
                return error(HttpStatus.NOT_FOUND, "not.found", "The requested participant was not found.");
            }
            return action.apply(p);
        }
    }

    /** Applies authentication, injected faults and latency, then {@code action}. */
    private HttpResponse serve(ServiceRequestContext ctx, AggregatedHttpRequest req, Supplier<HttpResponse> action) {
        state.countPlatformRequest();
        final String correlationId = UUID.randomUUID().toString();
        ctx.addAdditionalResponseHeader("inin-correlation-id", correlationId);
        final Supplier<HttpResponse> guarded = () -> {
            if (state.checkBearer(req.headers().get(HttpHeaderNames.AUTHORIZATION)).isPresent()) {
                return error(HttpStatus.UNAUTHORIZED, "bad.credentials", "Invalid login credentials.");
            }
            final Faults.Verdict verdict = state.faults().next();
            if (verdict instanceof Faults.Verdict.RateLimit limit) {
                final long seconds = (limit.retryAfter().toMillis() + 999) / 1000;
                return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                                                      .contentType(MediaType.JSON_UTF_8)
                                                      .set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds))
                                                      .build(),
                                       com.linecorp.armeria.common.HttpData.ofUtf8(errorBody(
                                               429, "too.many.requests",
                                               "Rate limit exceeded the maximum. Retry the request in ["
                                               + seconds + "] seconds")));
            }
            if (verdict instanceof Faults.Verdict.Fail f) {
                if (f.afterActing()) {
                    action.get();
                }
                final HttpStatus status = httpStatusOf(f.status());
                return error(status, "sandbox.fault", "Injected fault: " + f.status());
            }
            return action.get();
        };
        final Duration latency = state.faults().latency();
        if (latency.isZero()) {
            return guarded.get();
        }
        // Scheduled on the event loop: injected latency never holds a thread.
        return HttpResponse.delayed(guarded, latency, ctx.eventLoop());
    }

    private static HttpStatus httpStatusOf(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID_ARGUMENT, FAILED_PRECONDITION -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            default -> HttpStatus.BAD_GATEWAY;
        };
    }

    private static Map<String, Object> view(GenesysConversations.Conversation c) {
        final List<Map<String, Object>> participants = new ArrayList<>();
        for (GenesysConversations.Participant p : c.participants.values()) {
            final Map<String, Object> m = GenesysConversations.view(p);
            m.put("confined", false);
            m.put("recording", false);
            m.put("direction", "outbound");
            participants.add(m);
        }
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id);
        m.put("startTime", c.startTime.toString());
        m.put("participants", participants);
        m.put("selfUri", "/api/v2/conversations/calls/" + c.id);
        return m;
    }

    private static @Nullable JsonNode parse(AggregatedHttpRequest req) {
        try {
            final JsonNode node = Json.MAPPER.readTree(req.contentUtf8());
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static HttpResponse accepted() {
        return HttpResponse.of(HttpStatus.ACCEPTED);
    }

    private static HttpResponse json(HttpStatus status, Object body) {
        return Json.of(status, body);
    }

    static HttpResponse error(HttpStatus status, String code, String message) {
        return HttpResponse.of(status, MediaType.JSON_UTF_8, errorBody(status.code(), code, message));
    }

    private static String errorBody(int status, String code, String message) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", code);
        body.put("status", status);
        body.put("messageWithParams", message);
        body.put("messageParams", Map.of());
        body.put("contextId", UUID.randomUUID().toString());
        body.put("details", List.of());
        body.put("errors", List.of());
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
