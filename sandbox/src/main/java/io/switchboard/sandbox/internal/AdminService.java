package io.switchboard.sandbox.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;
import com.linecorp.armeria.server.annotation.Put;

import io.grpc.Status;

/**
 * The sandbox's admin API under {@code /sandbox/v1}: sessions, what they received, faults
 * and counters. Documented in {@code docs/sandbox.md}.
 */
public final class AdminService {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final SandboxState state;

    /** Creates the admin API over {@code state}. */
    public AdminService(SandboxState state) {
        this.state = state;
    }

    record CreateSession(@Nullable String sessionId) {}

    record SessionView(String sessionId, String state, float volume, Instant createdAt, @Nullable Instant endedAt,
                       long commandsReceived) {}

    record EventsView(String sessionId, long commandsReceived, List<MediaSession.Event> events) {}

    /** Creates a media session: body {@code {}} or {@code {"sessionId": "..."}}. */
    @Post("/sandbox/v1/sessions")
    public HttpResponse createSession(AggregatedHttpRequest request) {
        final CreateSession body = Json.read(request, CreateSession.class, new CreateSession(null));
        final String id = body.sessionId() != null ? body.sessionId() : UUID.randomUUID().toString();
        if (!SESSION_ID.matcher(id).matches()) {
            return Json.error(HttpStatus.BAD_REQUEST, "invalid_argument",
                              "sessionId: \"" + id + "\" (expected: 1..128 characters of A-Z a-z 0-9 . _ : -)");
        }
        try {
            return Json.of(HttpStatus.CREATED, view(state.createSession(id)));
        } catch (IllegalStateException e) {
            return Json.error(HttpStatus.CONFLICT, "conflict", "sessionId: \"" + id + "\" exists already");
        }
    }

    /** Returns a session's state. */
    @Get("/sandbox/v1/sessions/{id}")
    public HttpResponse session(@Param String id) {
        return state.session(id).map(s -> Json.ok(view(s))).orElseGet(() -> notFound(id));
    }

    /** Returns the commands a session received, oldest first. */
    @Get("/sandbox/v1/sessions/{id}/events")
    public HttpResponse events(@Param String id) {
        return state.session(id)
                    .map(s -> Json.ok(new EventsView(s.id(), s.received(), s.events())))
                    .orElseGet(() -> notFound(id));
    }

    /** Ends a session; later commands to it get NOT_FOUND. */
    @Delete("/sandbox/v1/sessions/{id}")
    public HttpResponse endSession(@Param String id) {
        if (state.session(id).isEmpty()) {
            return notFound(id);
        }
        state.endSession(id);
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    record RateLimitFault(int count, @Nullable Long retryAfterMs) {}

    record FailureFault(int count, @Nullable String status, @Nullable Boolean afterActing, @Nullable Integer after) {}

    record FaultRequest(@Nullable RateLimitFault rateLimit, @Nullable FailureFault failure, @Nullable Long latencyMs,
                        @Nullable Integer tokenFailures, @Nullable Boolean revokeTokens,
                        @Nullable Boolean expireTokens, @Nullable Long limitPerMinute) {}

    /** Sets faults; the parts given replace the pending ones of their kind. */
    @Put("/sandbox/v1/faults")
    public HttpResponse putFaults(AggregatedHttpRequest request) {
        final FaultRequest body = Json.read(request, FaultRequest.class, null);
        final Faults faults = state.faults();
        if (body.rateLimit() != null) {
            final RateLimitFault r = body.rateLimit();
            final long retryAfterMs = r.retryAfterMs() != null ? r.retryAfterMs() : 1000;
            if (r.count() < 0 || retryAfterMs < 0) {
                return invalid("rateLimit", "count >= 0 and retryAfterMs >= 0");
            }
            faults.rateLimit(r.count(), Duration.ofMillis(retryAfterMs));
        }
        if (body.failure() != null) {
            final FailureFault f = body.failure();
            final Status.Code code = Faults.statusNamed(f.status() != null ? f.status() : "UNAVAILABLE");
            if (code == null || code == Status.Code.OK || f.count() < 0) {
                return invalid("failure", "count >= 0 and status a gRPC status name other than OK, e.g. UNAVAILABLE");
            }
            final int after = f.after() == null ? 0 : f.after();
            if (after < 0) {
                return invalid("failure.after", ">= 0");
            }
            faults.fail(f.count(), code, Boolean.TRUE.equals(f.afterActing()), after);
        }
        if (body.latencyMs() != null) {
            if (body.latencyMs() < 0 || body.latencyMs() > 60_000) {
                return invalid("latencyMs", "0..60000");
            }
            faults.latency(Duration.ofMillis(body.latencyMs()));
        }
        if (body.tokenFailures() != null) {
            if (body.tokenFailures() < 0) {
                return invalid("tokenFailures", ">= 0");
            }
            faults.failTokenRequests(body.tokenFailures());
        }
        if (body.limitPerMinute() != null) {
            if (body.limitPerMinute() < 0) {
                return invalid("limitPerMinute", ">= 0 (0 removes the limit)");
            }
            faults.limitPerMinute(body.limitPerMinute());
        }
        if (Boolean.TRUE.equals(body.revokeTokens())) {
            state.revokeTokens();
        }
        if (Boolean.TRUE.equals(body.expireTokens())) {
            state.expireTokens();
        }
        return Json.ok(faults.view());
    }

    /** Returns the pending faults. */
    @Get("/sandbox/v1/faults")
    public HttpResponse faults() {
        return Json.ok(state.faults().view());
    }

    /** Clears every pending fault. */
    @Delete("/sandbox/v1/faults")
    public HttpResponse clearFaults() {
        state.faults().clear();
        return HttpResponse.of(HttpStatus.NO_CONTENT);
    }

    /** Returns the sandbox's counters: token requests, tokens issued, call-control requests. */
    @Get("/sandbox/v1/stats")
    public HttpResponse stats() {
        return Json.ok(state.stats());
    }

    private static SessionView view(MediaSession s) {
        final Instant ended = s.endedAt();
        return new SessionView(s.id(), ended == null ? "active" : "ended", s.volume(), s.createdAt(), ended,
                               s.received());
    }

    private static HttpResponse notFound(String id) {
        return Json.error(HttpStatus.NOT_FOUND, "not_found", "session " + id + " not found");
    }

    private static HttpResponse invalid(String field, String expected) {
        return Json.error(HttpStatus.BAD_REQUEST, "invalid_argument", field + ": (expected: " + expected + ')');
    }
}
