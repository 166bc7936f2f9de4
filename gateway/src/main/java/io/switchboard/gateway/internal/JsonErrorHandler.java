package io.switchboard.gateway.internal;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Renders the errors that Armeria itself answers (malformed JSON, body too large, no such
 * route) as JSON {@code {"code", "error", "message"}}, saying what was wrong, instead of a
 * plain-text status line.
 */
public final class JsonErrorHandler implements ServerErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public @Nullable HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null; // Armeria's default, which ends in renderStatus below.
    }

    @Override
    public AggregatedHttpResponse renderStatus(@Nullable ServiceRequestContext ctx, ServiceConfig config,
                                               @Nullable RequestHeaders headers, HttpStatus status,
                                               @Nullable String description, @Nullable Throwable cause) {
        String message = description != null ? description : ErrorMessages.describe(cause);
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            message = "the request body exceeds the " + config.maxRequestLength() + "-byte limit";
        } else if (status == HttpStatus.BAD_REQUEST && message != null && cause != null) {
            message = "body: not valid JSON: " + message;
        }
        return body(status, message != null ? message : status.reasonPhrase());
    }

    /** Returns the error answer {@code {"code", "error", "message"}} for {@code status}. */
    public static AggregatedHttpResponse body(HttpStatus status, String message) {
        final ObjectNode body = JSON.createObjectNode()
                                    .put("code", status.code())
                                    .put("error", status.reasonPhrase())
                                    .put("message", message);
        return AggregatedHttpResponse.of(status, MediaType.JSON_UTF_8, body.toString());
    }
}
