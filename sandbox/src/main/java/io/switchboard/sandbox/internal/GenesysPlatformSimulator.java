package io.switchboard.sandbox.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import com.linecorp.armeria.server.annotation.Put;

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

    /** {@code POST /api/v2/outbound/dnclists}: creates a list. */
    @Post("/api/v2/outbound/dnclists")
    public HttpResponse createDncList(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        return serve(ctx, req, () -> {
            final JsonNode body = parse(req);
            final String name = body != null ? body.path("name").asText("") : "";
            if (name.isBlank()) {
                return error(HttpStatus.BAD_REQUEST, "bad.request", "The DNC list needs a name.");
            }
            final String source = body.path("dncSourceType").asText("rds");
            return json(HttpStatus.OK, listView(state.outbound().createList(name, source, Long.MAX_VALUE,
                                                                            state.clock().instant()), true));
        });
    }

    /** {@code GET /api/v2/outbound/dnclists/{dncListId}}: a list, with its size when {@code includeSize=true}. */
    @Get("/api/v2/outbound/dnclists/{dncListId}")
    public HttpResponse dncList(ServiceRequestContext ctx, AggregatedHttpRequest req, @Param String dncListId) {
        final boolean includeSize = "true".equals(ctx.queryParam("includeSize"));
        return serve(ctx, req, () -> state.outbound().list(dncListId).map(list -> {
            synchronized (list) {
                return json(HttpStatus.OK, listView(list, includeSize));
            }
        }).orElseGet(() -> error(HttpStatus.NOT_FOUND, "not.found", "The requested DNC list was not found.")));
    }

    /** {@code POST /api/v2/outbound/dnclists/{dncListId}/phonenumbers}: adds numbers; 204. */
    @Post("/api/v2/outbound/dnclists/{dncListId}/phonenumbers")
    public HttpResponse addPhoneNumbers(ServiceRequestContext ctx, AggregatedHttpRequest req,
                                        @Param String dncListId) {
        return serve(ctx, req, () -> {
            final JsonNode body = parse(req, true);
            if (body == null || !body.isArray()) {
                return error(HttpStatus.BAD_REQUEST, "bad.request", "The body must be an array of phone numbers.");
            }
            final List<String> numbers = new ArrayList<>();
            body.forEach(n -> numbers.add(n.asText()));
            return changeNumbers(dncListId, "Add", numbers, ctx.queryParam("expirationDateTime"));
        });
    }

    /** {@code PATCH /api/v2/outbound/dnclists/{dncListId}/phonenumbers}: {@code {action, phoneNumbers, expirationDateTime}}; 204. */
    @Patch("/api/v2/outbound/dnclists/{dncListId}/phonenumbers")
    public HttpResponse patchPhoneNumbers(ServiceRequestContext ctx, AggregatedHttpRequest req,
                                          @Param String dncListId) {
        return serve(ctx, req, () -> {
            final JsonNode body = parse(req);
            final String action = body != null ? body.path("action").asText("") : "";
            if (body == null || !body.path("phoneNumbers").isArray() || !("Add".equals(action)
                                                                         || "Remove".equals(action))) {
                return error(HttpStatus.BAD_REQUEST, "bad.request",
                             "The body must be {action: Add|Remove, phoneNumbers: [...]}.");
            }
            final List<String> numbers = new ArrayList<>();
            body.get("phoneNumbers").forEach(n -> numbers.add(n.asText()));
            final JsonNode expiry = body.get("expirationDateTime");
            return changeNumbers(dncListId, action, numbers, expiry == null || expiry.isNull() ? null : expiry.asText());
        });
    }

    private HttpResponse changeNumbers(String listId, String action, List<String> numbers, @Nullable String expiry) {
        final GenesysOutbound.DncList list = state.outbound().list(listId).orElse(null);
        if (list == null) {
            return error(HttpStatus.NOT_FOUND, "not.found", "The requested DNC list was not found.");
        }
        Instant expires = null;
        if (expiry != null) {
            try {
                expires = java.time.OffsetDateTime.parse(expiry.endsWith("Z") && expiry.length() == 17
                                                         ? expiry.replace("Z", ":00Z") : expiry).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                return error(HttpStatus.BAD_REQUEST, "bad.request", "expirationDateTime must be yyyy-MM-ddTHH:mmZ.");
            }
            if (expires.isAfter(state.clock().instant().plus(java.time.Duration.ofDays(180)))) {
                return error(HttpStatus.BAD_REQUEST, "bad.request",
                             "expirationDateTime cannot be more than 180 days in the future.");
            }
        }
        synchronized (list) {
            if (!"rds".equals(list.dncSourceType)) {
                return error(HttpStatus.BAD_REQUEST, "dnc.source.operation.not.supported",
                             "Phone numbers can only be changed on internal (rds) DNC lists.");
            }
            if ("Add".equals(action)) {
                final long newOnes = numbers.stream().distinct().filter(n -> !list.numbers.contains(n)).count();
                if (list.numbers.size() + newOnes > list.maxSize) {
                    return error(HttpStatus.BAD_REQUEST, "dnc.phone.numbers.per.list.limit.exceeded",
                                 "The DNC list would exceed its limit of " + list.maxSize + " phone numbers.");
                }
                for (String n : numbers) {
                    list.numbers.add(n);
                    if (expires != null) {
                        list.expiries.put(n, expires);
                    }
                }
            } else {
                numbers.forEach(n -> {
                    list.numbers.remove(n);
                    list.expiries.remove(n);
                });
            }
            list.version++;
        }
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    /** {@code GET /api/v2/outbound/campaigns/{campaignId}}. */
    @Get("/api/v2/outbound/campaigns/{campaignId}")
    public HttpResponse campaign(ServiceRequestContext ctx, AggregatedHttpRequest req, @Param String campaignId) {
        return serve(ctx, req, () -> state.outbound().campaign(campaignId).map(c -> {
            synchronized (c) {
                return json(HttpStatus.OK, c.json);
            }
        }).orElseGet(() -> error(HttpStatus.NOT_FOUND, "not.found", "The requested campaign was not found.")));
    }

    /** {@code PUT /api/v2/outbound/campaigns/{campaignId}}: the whole campaign with its current version; 409 when stale. */
    @Put("/api/v2/outbound/campaigns/{campaignId}")
    public HttpResponse putCampaign(ServiceRequestContext ctx, AggregatedHttpRequest req, @Param String campaignId) {
        return serve(ctx, req, () -> {
            final JsonNode body = parse(req);
            if (body == null || !body.has("version") || !body.has("name")) {
                return error(HttpStatus.BAD_REQUEST, "bad.request", "The campaign needs its name and version.");
            }
            final GenesysOutbound.Campaign c = state.outbound().campaign(campaignId).orElse(null);
            if (c == null) {
                return error(HttpStatus.NOT_FOUND, "not.found", "The requested campaign was not found.");
            }
            synchronized (c) {
                if (c.conflictsToInject > 0) {
                    // Someone else saved the campaign just before this request.
                    c.conflictsToInject--;
                    c.json.put("version", c.json.get("version").asLong() + 1);
                }
                final long current = c.json.get("version").asLong();
                if (body.get("version").asLong() != current) {
                    return error(HttpStatus.CONFLICT, "conflict", "The campaign was changed by someone else "
                                                                  + "(version " + current + "); read it again.");
                }
                for (JsonNode ref : body.path("dncLists")) {
                    if (state.outbound().list(ref.path("id").asText()).isEmpty()) {
                        return error(HttpStatus.BAD_REQUEST, "invalid.property",
                                     "DNC list " + ref.path("id").asText() + " does not exist.");
                    }
                }
                final ObjectNode stored = ((ObjectNode) body).deepCopy();
                stored.put("id", campaignId).put("version", current + 1);
                c.json = stored;
                return json(HttpStatus.OK, stored);
            }
        });
    }

    private static Map<String, Object> listView(GenesysOutbound.DncList list, boolean includeSize) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", list.id);
        m.put("name", list.name);
        m.put("dateCreated", list.created.toString());
        m.put("version", list.version);
        m.put("dncSourceType", list.dncSourceType);
        m.put("contactMethod", "Phone");
        if (includeSize) {
            m.put("size", list.numbers.size());
        }
        m.put("selfUri", "/api/v2/outbound/dnclists/" + list.id);
        return m;
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
        return parse(req, false);
    }

    private static @Nullable JsonNode parse(AggregatedHttpRequest req, boolean arrayAllowed) {
        try {
            final JsonNode node = Json.MAPPER.readTree(req.contentUtf8());
            return node != null && (node.isObject() || arrayAllowed && node.isArray()) ? node : null;
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
