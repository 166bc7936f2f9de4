package io.switchboard.gateway.internal;

import java.util.regex.Pattern;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.netty.util.AttributeKey;

/**
 * Gives every request an id: the caller's {@code x-request-id} when it is well-formed,
 * otherwise Armeria's own. The id is echoed in the {@code x-request-id} response header and
 * appears in every log line about the request.
 */
public final class RequestIds implements DecoratingHttpServiceFunction {

    /** The header that carries the id both ways. */
    public static final String HEADER = "x-request-id";

    private static final AttributeKey<String> KEY = AttributeKey.valueOf(RequestIds.class, "requestId");
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String inbound = req.headers().get(HEADER);
        final String id = inbound != null && WELL_FORMED.matcher(inbound).matches() ? inbound : ctx.id().text();
        ctx.setAttr(KEY, id);
        ctx.addAdditionalResponseHeader(HEADER, id);
        return delegate.serve(ctx, req);
    }

    /** Returns the id of the request {@code ctx} serves. */
    public static String of(ServiceRequestContext ctx) {
        final String id = ctx.attr(KEY);
        return id != null ? id : ctx.id().text();
    }
}
