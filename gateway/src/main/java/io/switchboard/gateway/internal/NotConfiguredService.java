package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Status;

/**
 * Serves the routes of a capability that no platform serves as configured: every request,
 * REST or gRPC, answers at once that it is not configured, with the reason (what to set). Over
 * REST that is 422 with the gateway's JSON error; over gRPC, FAILED_PRECONDITION.
 */
public final class NotConfiguredService implements HttpService {

    private final String reason;

    /** Creates the service answering {@code reason}. */
    public NotConfiguredService(String reason) {
        this.reason = requireNonNull(reason, "reason");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        final MediaType type = req.contentType();
        if (type != null && type.subtype().startsWith("grpc")) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                                                  .contentType(type)
                                                  .set("grpc-status",
                                                       Integer.toString(Status.Code.FAILED_PRECONDITION.value()))
                                                  .set("grpc-message", percentEncoded(reason))
                                                  .set(StatusMapping.UNSUPPORTED.name(), "true")
                                                  .build());
        }
        return JsonErrorHandler.body(HttpStatus.UNPROCESSABLE_ENTITY, reason).toHttpResponse();
    }

    /** Encodes a grpc-message as the gRPC HTTP/2 protocol asks (percent-encoding outside printable ASCII). */
    private static String percentEncoded(String message) {
        final StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= ' ' && b <= '~' && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "NotConfiguredService{" + reason + '}';
    }
}
