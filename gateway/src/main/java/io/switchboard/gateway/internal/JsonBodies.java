package io.switchboard.gateway.internal;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Marks a REST call without a body as JSON, so that transcoding reads it as an empty object
 * (and names the missing fields). A call with a body has already been refused by
 * {@link RequestOrigins} unless it said it was JSON. gRPC requests ({@code application/grpc*})
 * pass untouched.
 */
public final class JsonBodies implements DecoratingHttpServiceFunction {

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final MediaType type = req.contentType();
        final boolean grpc = type != null && type.subtype().startsWith("grpc");
        if (grpc || req.method() == HttpMethod.GET || (type != null && type.isJson())) {
            return delegate.serve(ctx, req);
        }
        final HttpRequest json = req.withHeaders(req.headers().toBuilder().contentType(MediaType.JSON_UTF_8));
        ctx.updateRequest(json);
        return delegate.serve(ctx, json);
    }
}
