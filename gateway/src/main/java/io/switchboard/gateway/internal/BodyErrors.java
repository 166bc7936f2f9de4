package io.switchboard.gateway.internal;

import org.jspecify.annotations.Nullable;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Answers a request body that could not be read (a misspelt field, a string where a number
 * belongs) with INVALID_ARGUMENT saying what was wrong. Everything else is left to the next
 * handler: chain it with {@link #orElse(GrpcExceptionHandlerFunction)}.
 */
public final class BodyErrors implements GrpcExceptionHandlerFunction {

    @Override
    public @Nullable Status apply(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        if (!(cause instanceof InvalidProtocolBufferException unreadable)) {
            return null;
        }
        return Status.INVALID_ARGUMENT.withDescription("body: " + unreadable.getMessage());
    }
}
