package io.switchboard.sandbox.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.annotation.Post;

/**
 * The OAuth 2.0 client-credentials token endpoint at Genesys Cloud's login path,
 * {@code POST /oauth/token} (RFC 6749 4.4). Accepts the client's id and secret as HTTP Basic
 * (RFC 6749 2.3.1) or in the form body; answers RFC 6749 5.1 / 5.2 JSON.
 */
public final class TokenEndpoint {

    private final SandboxState state;

    /** Creates the endpoint over {@code state}. */
    public TokenEndpoint(SandboxState state) {
        this.state = state;
    }

    /** Issues a token for the configured client. */
    @Post("/oauth/token")
    public HttpResponse token(AggregatedHttpRequest request) {
        state.countTokenRequest();
        if (state.faults().nextTokenRequestFails()) {
            return Json.error(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable",
                              "sandbox fault: token request failed");
        }
        final QueryParams form = QueryParams.fromQueryString(request.contentUtf8());
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return oauthError(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                              "grant_type must be client_credentials");
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            final String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                                     StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "malformed Basic credentials");
            }
            final int colon = decoded.indexOf(':');
            if (colon < 0) {
                return oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "malformed Basic credentials");
            }
            id = decoded.substring(0, colon);
            secret = decoded.substring(colon + 1);
        }
        if (id == null || secret == null || !state.isClient(id, secret)) {
            return oauthError(HttpStatus.UNAUTHORIZED, "invalid_client", "client authentication failed");
        }
        final SandboxState.IssuedToken token = state.issueToken();
        return Json.ok(new TokenResponse(token.value(), "bearer", token.lifetime().toSeconds()));
    }

    private static HttpResponse oauthError(HttpStatus status, String error, String description) {
        return Json.of(status, new OAuthError(error, description));
    }

    record TokenResponse(@com.fasterxml.jackson.annotation.JsonProperty("access_token") String accessToken,
                         @com.fasterxml.jackson.annotation.JsonProperty("token_type") String tokenType,
                         @com.fasterxml.jackson.annotation.JsonProperty("expires_in") long expiresIn) {}

    record OAuthError(String error,
                      @com.fasterxml.jackson.annotation.JsonProperty("error_description") String description) {}
}
