package io.switchboard.gateway.internal;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Reads the body of every REST call as JSON, whatever its {@code Content-Type} says: the REST
 * API speaks only JSON, and callers such as {@code curl -d} send a form type by default.
 * gRPC requests ({@code application/grpc*}) pass untouched.
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
