package io.switchboard.sandbox.internal;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.ExceptionHandlerFunction;

/**
 * The sandbox holds as many objects of a kind (sessions, calls, conversations, DNC lists,
 * campaigns, tokens) as its cap allows, so that whoever can reach it cannot grow its memory
 * without bound. Past the cap, creating one more answers 429 saying so.
 */
public final class SandboxFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Throws if {@code held} objects of {@code kind} leave no room for one more under {@code cap}. */
    public static void check(String kind, int held, int cap) {
        if (held >= cap) {
            throw new SandboxFull("the sandbox holds " + held + ' ' + kind + ", its cap (Sandbox.Builder.maxObjects); "
                                  + "restart it to start afresh");
        }
    }

    private SandboxFull(String message) {
        super(message, null, false, false);
    }

    /** Answers {@link SandboxFull} with 429 and the sandbox's JSON error. */
    public static final class Handler implements ExceptionHandlerFunction {
        @Override
        public HttpResponse handleException(ServiceRequestContext ctx, HttpRequest req, Throwable cause) {
            if (cause instanceof SandboxFull full) {
                return Json.of(HttpStatus.TOO_MANY_REQUESTS,
                               java.util.Map.of("error", "sandbox_full", "message", full.getMessage()));
            }
            return ExceptionHandlerFunction.fallthrough();
        }
    }
}
