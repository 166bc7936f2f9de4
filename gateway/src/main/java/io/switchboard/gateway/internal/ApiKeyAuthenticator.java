package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.Secrets;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.switchboard.gateway.config.GatewayConfig;

/**
 * Checks {@code Authorization: Bearer <api key>} and the scope a route needs. Answers 401
 * for a missing or unknown key and 403 for a key without the scope (gRPC clients see
 * UNAUTHENTICATED and PERMISSION_DENIED). Keys are held only as SHA-256 digests; a key never
 * appears in a log or an answer.
 *
 * <p>With no keys configured every request passes as {@link Principal#LOOPBACK}: the gateway
 * then refuses to bind anything but loopback.
 */
public final class ApiKeyAuthenticator {

    private final Map<String, Principal> byDigest;
    private final AuthFailures failures;

    /** Creates an authenticator for {@code keys}, recording refusals in {@code failures}. */
    public ApiKeyAuthenticator(List<GatewayConfig.ApiKey> keys, AuthFailures failures) {
        requireNonNull(keys, "keys");
        this.failures = requireNonNull(failures, "failures");
        final Map<String, Principal> map = new HashMap<>();
        for (GatewayConfig.ApiKey key : keys) {
            Secrets.register(key.key());
            final String digest = key.sha256() != null ? key.sha256().toLowerCase(Locale.ROOT) : sha256(key.key());
            map.put(digest, new Principal(key.name(), Set.copyOf(key.scopes())));
        }
        byDigest = Map.copyOf(map);
    }

    /** Returns whether any key is configured. */
    public boolean enabled() {
        return !byDigest.isEmpty();
    }

    /** Returns a decorator that admits only keys holding {@code scope}. */
    public DecoratingHttpServiceFunction requiring(String scope) {
        requireNonNull(scope, "scope");
        return requiring(ctx -> scope);
    }

    /** The scope {@code scopeOf} gives for a route that any known key may use. */
    public static final String ANY_KEY = "*";

    /**
     * Returns a decorator that admits only keys holding the scope that {@code scopeOf} gives for
     * each request: {@link #ANY_KEY} for any known key, {@code null} for a public route.
     */
    public DecoratingHttpServiceFunction requiring(Function<ServiceRequestContext, @Nullable String> scopeOf) {
        requireNonNull(scopeOf, "scopeOf");
        return (HttpService delegate, ServiceRequestContext ctx, HttpRequest req) -> {
            final String scope = scopeOf.apply(ctx);
            if (scope == null) {
                return delegate.serve(ctx, req);
            }
            if (byDigest.isEmpty()) {
                ctx.setAttr(Principal.KEY, Principal.LOOPBACK);
                return delegate.serve(ctx, req);
            }
            final String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            final Principal principal = lookup(authorization);
            if (principal == null) {
                failures.refused(ctx, authorization == null ? AuthFailures.Reason.MISSING_KEY
                                                            : AuthFailures.Reason.UNKNOWN_KEY, null, scope);
                return HttpResponse.builder()
                                   .status(HttpStatus.UNAUTHORIZED)
                                   .header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"switchboard\"")
                                   .content(MediaType.JSON_UTF_8,
                                            "{\"error\":\"unauthenticated\",\"message\":\"Authorization: Bearer "
                                            + "<api key> is missing or not a known key\"}")
                                   .build();
            }
            if (!ANY_KEY.equals(scope) && !principal.has(scope)) {
                failures.refused(ctx, AuthFailures.Reason.MISSING_SCOPE, principal.name(), scope);
                return HttpResponse.of(HttpStatus.FORBIDDEN, MediaType.JSON_UTF_8,
                                       "{\"error\":\"permission_denied\",\"message\":\"API key '" + principal.name()
                                       + "' lacks scope " + scope + "\"}");
            }
            ctx.setAttr(Principal.KEY, principal);
            return delegate.serve(ctx, req);
        };
    }

    private @Nullable Principal lookup(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        // Keys are looked up by digest: how long the lookup takes says nothing about the key itself.
        return byDigest.get(sha256(authorization.substring(7).trim()));
    }

    /** Returns the lower-case hex SHA-256 of {@code key}. */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                         .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
