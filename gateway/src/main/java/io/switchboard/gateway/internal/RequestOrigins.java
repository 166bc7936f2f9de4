package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Keeps web pages of other origins from commanding the gateway through a user's browser.
 * <ul>
 *   <li><b>Host.</b> The {@code Host} (or {@code :authority}) must name the gateway: one of
 *       {@code server.hostnames} when they are set, else a loopback name when the gateway
 *       listens on loopback. Otherwise 421 Misdirected Request: a page that rebinds its own
 *       DNS name to 127.0.0.1 reaches nothing. Probes and metrics are exempt.</li>
 *   <li><b>Content-Type.</b> A REST call that sends a body must say it is JSON
 *       ({@code text/csv} for DNC imports), else 415: the types a page may send across origins
 *       without a CORS preflight ({@code text/plain}, forms) are refused. A call without a
 *       body needs none. gRPC requests carry {@code application/grpc} and pass.</li>
 * </ul>
 */
public final class RequestOrigins implements DecoratingHttpServiceFunction {

    /** The names that mean this machine's loopback interface. */
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final @Nullable Set<String> hostnames;
    private final Predicate<String> exempt;
    private final Predicate<ServiceRequestContext> bodyChecked;

    /**
     * Creates the check.
     *
     * @param hostnames the names callers reach the gateway by ({@code server.hostnames}); empty
     *        for the loopback names when {@code loopback}, or any name otherwise
     * @param loopback whether the gateway listens on loopback only
     * @param exempt paths whose Host is not checked (probes, metrics)
     * @param bodyChecked requests whose bodies must be JSON (the gateway's own REST API and the
     *        simulator's admin API); others (the simulator's emulated platform APIs) speak
     *        their platform's contract, and a path that is no route answers 404
     */
    public RequestOrigins(List<String> hostnames, boolean loopback, Predicate<String> exempt,
                          Predicate<ServiceRequestContext> bodyChecked) {
        if (!hostnames.isEmpty()) {
            this.hostnames = hostnames.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        } else {
            this.hostnames = loopback ? LOOPBACK_NAMES : null;
        }
        this.exempt = requireNonNull(exempt, "exempt");
        this.bodyChecked = requireNonNull(bodyChecked, "bodyChecked");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String path = ctx.path();
        if (hostnames != null && !exempt.test(path)) {
            final String host = hostOf(req.headers().authority());
            if (host == null || !hostnames.contains(host)) {
                return JsonErrorHandler.body(HttpStatus.MISDIRECTED_REQUEST,
                                             "Host: " + (host == null ? "<missing>" : '"' + host + '"')
                                             + " (expected: one of " + new java.util.TreeSet<>(hostnames)
                                             + "; set server.hostnames to the names callers use)")
                                       .toHttpResponse();
            }
        }
        if (hasBody(req) && bodyChecked.test(ctx)) {
            final MediaType type = req.contentType();
            final boolean csv = path.equals("/v1/dnc/import");
            final boolean accepted = type != null && (type.subtype().startsWith("grpc")
                                                      || (csv ? type.is(MediaType.CSV_UTF_8.withoutParameters())
                                                              : type.isJson()));
            if (!accepted) {
                return JsonErrorHandler.body(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                                             "Content-Type: " + (type == null ? "<missing>" : '"' + type.toString() + '"')
                                             + " (expected: " + (csv ? "text/csv" : "application/json")
                                             + "; with curl, add -H 'Content-Type: "
                                             + (csv ? "text/csv" : "application/json") + "')")
                                       .toHttpResponse();
            }
        }
        return delegate.serve(ctx, req);
    }

    /** Returns whether the request says it carries a body: a method that has one, and a length or chunks. */
    private static boolean hasBody(HttpRequest req) {
        final HttpMethod method = req.method();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return false;
        }
        final long length = req.headers().contentLength();
        return length > 0 || req.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
               || length < 0 && req.contentType() != null;
    }

    /** Returns the host of an authority, lower case, without the port: {@code [::1]:8080} is {@code [::1]}. */
    static @Nullable String hostOf(@Nullable String authority) {
        if (authority == null || authority.isEmpty()) {
            return null;
        }
        final String a = authority.toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            final int end = a.indexOf(']');
            return end < 0 ? a : a.substring(0, end + 1);
        }
        final int colon = a.lastIndexOf(':');
        String host = colon < 0 ? a : a.substring(0, colon);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }
}
