package io.switchboard.gateway.internal;

import java.util.concurrent.CompletionException;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.ExceptionHandlerFunction;

import io.switchboard.core.InvalidArgumentException;

/**
 * Answers a request the hand-written REST services could not use as 400, with the exception's
 * message, which names the field ({@link InvalidArgumentException}, and the
 * {@link IllegalArgumentException}s that flows, configuration and bodies throw). Anything else
 * falls through to the next handler.
 */
public final class BadRequests implements ExceptionHandlerFunction {

    @Override
    public HttpResponse handleException(ServiceRequestContext ctx, HttpRequest req, Throwable cause) {
        final Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause()
                                                                                             : cause;
        if (c instanceof InvalidArgumentException || c instanceof IllegalArgumentException) {
            return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, String.valueOf(c.getMessage())).toHttpResponse();
        }
        return ExceptionHandlerFunction.fallthrough();
    }
}
