package io.switchboard.gateway.internal;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;

import io.grpc.Status;

/**
 * Answers failed REST (transcoded) calls with a JSON body
 * {@code {"code", "grpc-code", "message", "details"}} and the HTTP status of
 * {@link StatusMapping}; a rate limit also gets the {@code Retry-After} header.
 * FAILED_PRECONDITION answers 409 (the call's state forbids it) or, when marked unsupported,
 * 422 (the platform cannot do it at all).
 */
public final class RestErrorHandler implements UnframedGrpcErrorHandler {

    /** FAILED_PRECONDITION is a conflict with the call's state (409) unless marked unsupported (422). */
    private final UnframedGrpcErrorHandler json = UnframedGrpcErrorHandler.ofJson(
            (ctx, status, cause) -> status.getCode() == Status.Code.FAILED_PRECONDITION ? HttpStatus.CONFLICT : null);
    private final UnframedGrpcErrorHandler unsupported = UnframedGrpcErrorHandler.ofJson(
            (ctx, status, cause) -> status.getCode() == Status.Code.FAILED_PRECONDITION
                                    ? HttpStatus.UNPROCESSABLE_ENTITY : null);

    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        final HttpResponse answer = header(response, StatusMapping.UNSUPPORTED.name()) != null
                                    ? unsupported.handle(ctx, status, response)
                                    : json.handle(ctx, status, response);
        final String retryAfter = header(response, "retry-after");
        if (retryAfter == null) {
            return answer;
        }
        return answer.mapHeaders(h -> h.toBuilder().set(HttpHeaderNames.RETRY_AFTER, retryAfter).build());
    }

    private static @Nullable String header(AggregatedHttpResponse response, String name) {
        final String inTrailers = response.trailers().get(name);
        return inTrailers != null ? inTrailers : response.headers().get(name);
    }
}
