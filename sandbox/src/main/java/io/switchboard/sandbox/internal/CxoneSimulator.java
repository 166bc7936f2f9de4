package io.switchboard.sandbox.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;

/**
 * The CXone call-control REST contract: its token endpoint (JSON body with scopes), call
 * status, play and collect, on simulated calls with scripted callers ({@link CxoneCalls}), and
 * the admin API that creates calls and reads back what happened on them.
 */
public final class CxoneSimulator {

    /** The scopes a token request must ask for. */
    static final List<String> SCOPES = List.of("callcontrol:calls:read", "callcontrol:calls:write",
                                               "callcontrol:media:read");

    private final SandboxState state;
    private final CxoneCalls calls;

    /** Creates the simulator over {@code state}. */
    public CxoneSimulator(SandboxState state) {
        this.state = state;
        this.calls = state.cxone();
    }

    record TokenRequest(@JsonProperty("grant_type") String grantType, @JsonProperty("client_id") String clientId,
                        @JsonProperty("client_secret") String clientSecret, String scope) {}

    /** {@code POST /api/v2/oauth2/token}: the client-credentials grant with a JSON body. */
    @Post("/api/v2/oauth2/token")
    public HttpResponse token(AggregatedHttpRequest request) {
        state.countTokenRequest();
        final TokenRequest body = Json.read(request, TokenRequest.class, null);
        if (body == null || !"client_credentials".equals(body.grantType())) {
            return Json.of(HttpStatus.BAD_REQUEST, Map.of("error", "unsupported_grant_type",
                                                          "error_description", "grant_type must be client_credentials"));
        }
        if (body.clientId() == null || body.clientSecret() == null
            || !state.isClient(body.clientId(), body.clientSecret())) {
            return Json.of(HttpStatus.UNAUTHORIZED, Map.of("error", "invalid_client",
                                                           "error_description", "client authentication failed"));
        }
        final List<String> asked = body.scope() == null ? List.of() : List.of(body.scope().trim().split("\\s+"));
        if (!asked.containsAll(SCOPES)) {
            return Json.of(HttpStatus.BAD_REQUEST, Map.of("error", "invalid_scope",
                                                          "error_description", "scope must include " + SCOPES));
        }
        final SandboxState.IssuedToken token = state.issueToken();
        return Json.ok(Map.of("access_token", token.value(), "token_type", "bearer",
                              "expires_in", token.lifetime().toSeconds()));
    }

    /** {@code GET /api/v2/callcontrol/calls/{callId}}: the call's status. */
    @Get("/api/v2/callcontrol/calls/{callId}")
    public HttpResponse status(@Param("callId") String callId, AggregatedHttpRequest request) {
        return withCall(callId, request, call -> Json.ok(Map.of("callId", call.id(), "status", call.status())));
    }

    record Play(String mediaUrl, @Nullable Boolean loop, @Nullable Boolean interruptible) {}

    /** {@code POST .../play}: plays a prompt while the call is active or ringing. */
    @Post("/api/v2/callcontrol/calls/{callId}/play")
    public HttpResponse play(@Param("callId") String callId, AggregatedHttpRequest request) {
        return withCall(callId, request, call -> {
            final Play body = Json.read(request, Play.class, null);
            if (body == null || body.mediaUrl() == null || !body.mediaUrl().startsWith("https://")) {
                return error(HttpStatus.BAD_REQUEST, "mediaUrl must be an https URL");
            }
            if (!call.live()) {
                return error(HttpStatus.CONFLICT, "call " + callId + " is " + call.status());
            }
            call.played(body.mediaUrl(), state.clock().instant());
            return Json.ok(Map.of("status", "playing", "mediaUrl", body.mediaUrl()));
        });
    }

    record Prompt(String mediaUrl, @Nullable Boolean interruptible) {}

    record Collect(Integer maxDigits, Long timeout, @Nullable List<String> terminatingDigits,
                   @Nullable Prompt playPrompt) {}

    /** {@code POST .../collect}: the scripted caller's next answer. */
    @Post("/api/v2/callcontrol/calls/{callId}/collect")
    public HttpResponse collect(@Param("callId") String callId, AggregatedHttpRequest request) {
        return withCall(callId, request, call -> {
            final Collect body = Json.read(request, Collect.class, null);
            if (body == null || body.maxDigits() == null || body.maxDigits() < 1 || body.timeout() == null
                || body.timeout() < 1) {
                return error(HttpStatus.BAD_REQUEST, "maxDigits and timeout (milliseconds) are required");
            }
            if (!call.live()) {
                return error(HttpStatus.CONFLICT, "call " + callId + " is " + call.status());
            }
            final CxoneCalls.Collected c = call.collect(
                    body.maxDigits(), body.terminatingDigits() == null ? List.of() : body.terminatingDigits(),
                    body.playPrompt() == null ? null : body.playPrompt().mediaUrl(), state.clock().instant());
            return Json.ok(Map.of("status", c.status(), "digits", c.digits(), "timeout", c.timeout(),
                                  "reason", c.reason()));
        });
    }

    record NewCall(List<String> answers) {}

    /** Admin: {@code POST /sandbox/v1/cxone/calls} {@code {"answers": ["999", "", "100"]}} -> {@code {"callId"}}. */
    @Post("/sandbox/v1/cxone/calls")
    public HttpResponse createCall(AggregatedHttpRequest request) {
        final NewCall body = Json.read(request, NewCall.class, new NewCall(List.of()));
        final List<String> answers = body.answers() == null ? List.of() : body.answers();
        for (int i = 0; i < answers.size(); i++) {
            final String a = answers.get(i);
            if (a == null || !(a.isEmpty() || CxoneCalls.HANG_UP.equals(a) || a.matches("[0-9*#]{1,32}"))) {
                return error(HttpStatus.BAD_REQUEST, "answers[" + i + "]: \"" + a + "\" (expected: digits 0-9 * #, "
                                                     + "\"\" for no input, or \"hangup\")");
            }
        }
        return Json.of(HttpStatus.CREATED, Map.of("callId", calls.create(answers)));
    }

    /** Admin: the call's status, the answers left and what happened on it. */
    @Get("/sandbox/v1/cxone/calls/{callId}")
    public HttpResponse readCall(@Param("callId") String callId) {
        return calls.call(callId)
                    .map(call -> Json.ok(Map.of("callId", call.id(), "status", call.status(),
                                                "answersLeft", call.answersLeft(), "events", call.events())))
                    .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no call " + callId));
    }

    /** Admin: the far end hangs up. */
    @Post("/sandbox/v1/cxone/calls/{callId}/hangup")
    public HttpResponse hangUp(@Param("callId") String callId) {
        return calls.call(callId).map(call -> {
            call.hangUp();
            return Json.ok(Map.of("callId", call.id(), "status", call.status()));
        }).orElseGet(() -> error(HttpStatus.NOT_FOUND, "no call " + callId));
    }

    record RateLimit(Integer count, @Nullable Long retryAfterSeconds) {}

    /** Admin: the next {@code count} call-control requests answer 429 with Retry-After. */
    @Post("/sandbox/v1/cxone/faults")
    public HttpResponse faults(AggregatedHttpRequest request) {
        final RateLimit body = Json.read(request, RateLimit.class, null);
        if (body == null || body.count() == null || body.count() < 0) {
            return error(HttpStatus.BAD_REQUEST, "count: (expected: the requests to rate-limit, >= 0)");
        }
        calls.rateLimitNext(body.count(), body.retryAfterSeconds() == null ? 1 : body.retryAfterSeconds());
        return Json.ok(Map.of("rateLimited", body.count()));
    }

    private HttpResponse withCall(String callId, AggregatedHttpRequest request,
                                  Function<CxoneCalls.Call, HttpResponse> action) {
        state.countPlatformRequest();
        final Optional<String> refused = state.checkBearer(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (refused.isPresent()) {
            return error(HttpStatus.UNAUTHORIZED, refused.get());
        }
        final Long retryAfter = calls.takeRateLimit();
        if (retryAfter != null) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
                                                  .contentType(MediaType.JSON_UTF_8)
                                                  .set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfter))
                                                  .build(),
                                   com.linecorp.armeria.common.HttpData.ofUtf8(
                                           "{\"message\":\"sandbox fault: rate limited\"}"));
        }
        return calls.call(callId).map(action).orElseGet(() -> error(HttpStatus.NOT_FOUND, "no call " + callId));
    }

    private static HttpResponse error(HttpStatus status, String message) {
        return Json.of(status, Map.of("message", message));
    }
}
