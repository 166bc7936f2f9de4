package io.switchboard.gateway.internal;

import org.jspecify.annotations.Nullable;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Answers a request body that could not be read (a misspelt field, a string where a number
 * belongs; a gRPC frame cut short, bytes that are not the method's protobuf message) with
 * INVALID_ARGUMENT saying what was wrong, never a Java class. Everything else is left to the next
 * handler: chain it with {@link #orElse(GrpcExceptionHandlerFunction)}.
 */
public final class BodyErrors implements GrpcExceptionHandlerFunction {

    @Override
    public @Nullable Status apply(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        final InvalidProtocolBufferException unreadable = find(cause, status, InvalidProtocolBufferException.class);
        if (unreadable != null) {
            // Transcoded JSON says what is wrong in words; binary protobuf's message is the parser's.
            final boolean json = ctx.request() != null && ctx.request().contentType() != null
                                 && ctx.request().contentType().isJson();
            return Status.INVALID_ARGUMENT.withDescription(
                    json ? "body: " + unreadable.getMessage()
                         : "body: not a valid " + messageName(ctx) + " (the bytes do not parse as that protobuf message)");
        }
        final IndexOutOfBoundsException cut = find(cause, status, IndexOutOfBoundsException.class);
        if (cut != null && fromDeframer(cut)) {
            // Armeria's deframer reads past what came: the frame's header promised more bytes than followed.
            return Status.INVALID_ARGUMENT.withDescription("body: a gRPC frame ended before the length its header "
                                                           + "gave (expected: a 5-byte header, then that many bytes)");
        }
        return null;
    }

    /** Returns the first {@code type} among {@code cause}'s chain and {@code status}'s cause, or null. */
    private static <T extends Throwable> @Nullable T find(Throwable cause, Status status, Class<T> type) {
        for (Throwable start : new Throwable[] {cause, status.getCause()}) {
            for (Throwable c = start; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (type.isInstance(c)) {
                    return type.cast(c);
                }
            }
        }
        return null;
    }

    /** Returns whether {@code e} was thrown while reading gRPC frames, not by a service's own code. */
    private static boolean fromDeframer(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().contains("Deframer")) {
                return true;
            }
            if (frame.getClassName().startsWith("io.switchboard.")) {
                return false;
            }
        }
        return false;
    }

    /** Returns the request message's name, e.g. SendDtmfRequest, from the method's path. */
    private static String messageName(RequestContext ctx) {
        final String path = ctx.path();
        final int slash = path.lastIndexOf('/');
        return slash < 0 ? "request" : path.substring(slash + 1) + " request";
    }
}
