package io.switchboard.gateway.internal;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.switchboard.core.InvalidArgumentException;

/**
 * Prepares a REST call for transcoding: a call without a body is marked JSON, so that it is
 * read as an empty object (and the missing fields are named); a body field that the path
 * also sets ({@code "sessionId"} in {@code POST /v1/sessions/{session_id}/dtmf}) must agree
 * with it, else 400 (it would otherwise be dropped without a word). A call with a body that is
 * not JSON was already refused by {@link RequestOrigins}. gRPC requests pass untouched.
 */
public final class JsonBodies implements DecoratingHttpServiceFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final MediaType type = req.contentType();
        final boolean grpc = type != null && type.subtype().startsWith("grpc");
        if (grpc || req.method() == HttpMethod.GET) {
            return delegate.serve(ctx, req);
        }
        if (type == null || !type.isJson()) {
            final HttpRequest json = req.withHeaders(req.headers().toBuilder().contentType(MediaType.JSON_UTF_8));
            ctx.updateRequest(json);
            return delegate.serve(ctx, json);
        }
        final Map<String, String> pathParams = ctx.pathParams();
        if (pathParams.isEmpty()) {
            return delegate.serve(ctx, req);
        }
        return HttpResponse.of(req.aggregate().thenApply(body -> {
            final ObjectNode tree = tree(body.contentUtf8());
            final int fields = tree == null ? 0 : tree.size();
            final String conflict = tree == null ? null : conflict(tree, pathParams);
            if (conflict != null) {
                return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, conflict).toHttpResponse();
            }
            // A body field equal to the path's is dropped (the transcoder would refuse it as set
            // twice); a body without one goes on as it came.
            final HttpRequest again = tree == null || tree.size() == fields
                                      ? body.toHttpRequest()
                                      : HttpRequest.of(body.headers(), HttpData.ofUtf8(tree.toString()));
            ctx.updateRequest(again);
            try {
                return delegate.serve(ctx, again);
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    /** Returns the body as a JSON object, or null when it is not one (the transcoder then names what is wrong). */
    private static @Nullable ObjectNode tree(String body) {
        try {
            return JSON.readTree(body) instanceof ObjectNode o ? o : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    /**
     * Returns why the body contradicts the path, or null when it does not; removes from
     * {@code tree} the fields that repeat the path's values.
     */
    private static @Nullable String conflict(ObjectNode tree, Map<String, String> pathParams) {
        for (Map.Entry<String, String> p : pathParams.entrySet()) {
            for (String name : new String[] {p.getKey(), camel(p.getKey())}) {
                final JsonNode value = tree.get(name);
                if (value == null || value.isNull()) {
                    continue;
                }
                if (!value.isTextual() || !value.asText().equals(p.getValue())) {
                    return new InvalidArgumentException(name, value.isTextual() ? value.asText() : value.toString(),
                                                        "absent, or the path's \"" + p.getValue() + '"').getMessage();
                }
                tree.remove(name);
            }
        }
        return null;
    }

    /** Returns {@code phone_number} as {@code phoneNumber}. */
    static String camel(String snake) {
        final StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
