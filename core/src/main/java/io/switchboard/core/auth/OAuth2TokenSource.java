package io.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.QueryParamsBuilder;
import com.linecorp.armeria.common.HttpData;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.Secrets;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Obtains access tokens with the OAuth 2.0 client-credentials grant
 * (<a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.4">RFC 6749, section 4.4</a>).
 *
 * <ul>
 *   <li>Cached: a token is reused until {@link Builder#refreshMargin(Duration) refreshMargin}
 *       before it expires (default 30 s). Within the margin the cached token is still handed
 *       out while one renewal runs in the background, so callers do not wait.</li>
 *   <li>Single-flight: however many callers arrive while no valid token is cached, one request
 *       is made and they all get its answer.</li>
 *   <li>Client-credentials tokens cannot be refreshed with a refresh token, so renewal is a
 *       new grant request.</li>
 * </ul>
 *
 * <p>Threading: {@link #token()} never blocks. The lock guards only the cache fields and is
 * never held across I/O.
 */
public final class OAuth2TokenSource implements TokenSource {

    private static final Logger logger = LoggerFactory.getLogger(OAuth2TokenSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    /** How the client authenticates to the token endpoint. */
    public enum Style {
        /**
         * {@code Authorization: Basic} with the id and secret, form body {@code grant_type}
         * (RFC 6749 2.3.1; Genesys Cloud's login host).
         */
        BASIC,
        /** Form body {@code grant_type, client_id, client_secret} (the gRPC call-control contract). */
        FORM,
        /** JSON body {@code grant_type, client_id, client_secret, scope} (the CXone contract). */
        JSON,
    }

    /** Returns a builder for tokens from {@code tokenUri} for {@code credentials}. */
    public static Builder builder(URI tokenUri, ClientCredentials credentials) {
        return new Builder(tokenUri, credentials);
    }

    private final URI tokenUri;
    private final ClientCredentials credentials;
    private final Style style;
    private final @Nullable String scope;
    private final Duration refreshMargin;
    private final Clock clock;
    private final WebClient client;
    private final String name;
    private final MeterRegistry meters;

    private final Object lock = new Object();
    private volatile @Nullable AccessToken cached;
    private @Nullable CompletableFuture<AccessToken> inFlight;

    private OAuth2TokenSource(Builder b) {
        tokenUri = b.tokenUri;
        credentials = b.credentials;
        style = b.style;
        scope = b.scope;
        refreshMargin = b.refreshMargin;
        clock = b.clock;
        name = b.name != null ? b.name : tokenUri.getHost();
        meters = b.meters;
        client = b.client != null ? b.client
                                  : WebClient.builder(tokenUri.getScheme() + "://" + tokenUri.getRawAuthority())
                                             .responseTimeout(b.requestTimeout)
                                             .build();
    }

    @Override
    public CompletableFuture<AccessToken> token() {
        final AccessToken current = cached;
        final Instant now = clock.instant();
        if (current != null && now.isBefore(renewAt(current))) {
            return CompletableFuture.completedFuture(current);
        }
        final CompletableFuture<AccessToken> renewal = renew();
        if (current != null && now.isBefore(current.expiresAt())) {
            // Still valid: hand it out while the renewal runs.
            return CompletableFuture.completedFuture(current);
        }
        return renewal.thenApply(t -> t);
    }

    @Override
    public void invalidate(AccessToken rejected) {
        requireNonNull(rejected, "rejected");
        synchronized (lock) {
            final AccessToken current = cached;
            if (current != null && current.value().equals(rejected.value())) {
                cached = null;
                logger.info("Access token from {} was rejected; it will be renewed", name);
            }
        }
    }

    /** Returns the token endpoint this source calls. */
    public URI tokenUri() {
        return tokenUri;
    }

    private Instant renewAt(AccessToken token) {
        return token.expiresAt().minus(refreshMargin);
    }

    private CompletableFuture<AccessToken> renew() {
        final CompletableFuture<AccessToken> request;
        synchronized (lock) {
            final AccessToken current = cached;
            if (current != null && clock.instant().isBefore(renewAt(current))) {
                return CompletableFuture.completedFuture(current);
            }
            if (inFlight != null) {
                return inFlight;
            }
            request = new CompletableFuture<>();
            inFlight = request;
        }
        // The request starts outside the lock: its callbacks may run on this thread.
        final Instant requestedAt = clock.instant();
        requestToken().handle((response, error) -> {
            final AccessToken token;
            try {
                if (error != null) {
                    throw new TokenRequestException(
                            "token request to " + name + " failed: " + rootMessage(error), 0, error);
                }
                token = parse(response, requestedAt);
            } catch (RuntimeException e) {
                // Whatever went wrong, the shared request must complete: callers are waiting on it.
                final TokenRequestException failure = e instanceof TokenRequestException t
                                                      ? t : new TokenRequestException(
                                                              "token endpoint " + name + " answered something "
                                                              + "unusable: " + rootMessage(e), 0, e);
                finish(request, null);
                countRequest("failure");
                logger.warn("{}", failure.getMessage());
                request.completeExceptionally(failure);
                return null;
            }
            finish(request, token);
            countRequest("success");
            request.complete(token);
            return null;
        });
        return request;
    }

    private void finish(CompletableFuture<AccessToken> request, @Nullable AccessToken token) {
        synchronized (lock) {
            if (inFlight == request) {
                inFlight = null;
            }
            if (token != null) {
                cached = token;
            }
        }
    }

    private CompletableFuture<AggregatedHttpResponse> requestToken() {
        final String path = tokenUri.getRawPath() + (tokenUri.getRawQuery() != null ? '?' + tokenUri.getRawQuery()
                                                                                      : "");
        final RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path)
                                                            .set(HttpHeaderNames.ACCEPT, "application/json");
        final String body;
        switch (style) {
            case BASIC -> {
                final String basic = Base64.getEncoder().encodeToString(
                        (credentials.clientId() + ':' + credentials.clientSecret()).getBytes(StandardCharsets.UTF_8));
                headers.set(HttpHeaderNames.AUTHORIZATION, "Basic " + basic)
                       .contentType(MediaType.FORM_DATA);
                final QueryParamsBuilder form = QueryParams.builder().add("grant_type", "client_credentials");
                if (scope != null) {
                    form.add("scope", scope);
                }
                body = form.toQueryString();
            }
            case FORM -> {
                headers.contentType(MediaType.FORM_DATA);
                final QueryParamsBuilder form = QueryParams.builder()
                                                            .add("grant_type", "client_credentials")
                                                            .add("client_id", credentials.clientId())
                                                            .add("client_secret", credentials.clientSecret());
                if (scope != null) {
                    form.add("scope", scope);
                }
                body = form.toQueryString();
            }
            case JSON -> {
                headers.contentType(MediaType.JSON_UTF_8);
                final ObjectNode json = JSON.createObjectNode()
                                            .put("grant_type", "client_credentials")
                                            .put("client_id", credentials.clientId())
                                            .put("client_secret", credentials.clientSecret());
                if (scope != null) {
                    json.put("scope", scope);
                }
                body = json.toString();
            }
            default -> throw new IllegalStateException("unknown style " + style);
        }
        return client.execute(HttpRequest.of(headers.build(), HttpData.ofUtf8(body)))
                     .aggregate();
    }

    private AccessToken parse(AggregatedHttpResponse response, Instant requestedAt) {
        final int status = response.status().code();
        final JsonNode json;
        try {
            json = JSON.readTree(response.contentUtf8());
        } catch (Exception e) {
            throw new TokenRequestException("token endpoint " + name + " answered " + status
                                            + " with a body that is not JSON", status);
        }
        if (status != 200) {
            // RFC 6749 5.2: {error, error_description}. Upstream text: excerpted, secrets redacted.
            final String error = Secrets.excerpt(json.path("error").asText(""), 64);
            final String description = Secrets.excerpt(
                    json.path("error_description").asText(json.path("message").asText("")), 200);
            throw new TokenRequestException("token endpoint " + name + " refused the client '"
                                            + credentials.clientId() + "': HTTP " + status
                                            + (error.isEmpty() ? "" : ' ' + error)
                                            + (description.isEmpty() ? "" : " (" + description + ')'), status);
        }
        final String value = json.path("access_token").asText("");
        if (value.isEmpty()) {
            throw new TokenRequestException("token endpoint " + name + " answered without an access_token", status);
        }
        final long expiresIn = json.path("expires_in").asLong(0);
        final Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_LIFETIME;
        return new AccessToken(value, requestedAt.plus(lifetime));
    }

    private void countRequest(String outcome) {
        meters.counter("switchboard.token.requests", "endpoint", name, "outcome", outcome).increment();
    }

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "");
    }

    @Override
    public String toString() {
        return "OAuth2TokenSource{uri=" + tokenUri + ", style=" + style + ", client=" + credentials.clientId() + '}';
    }

    /** Builds an {@link OAuth2TokenSource}. */
    public static final class Builder {
        private final URI tokenUri;
        private final ClientCredentials credentials;
        private Style style = Style.BASIC;
        private @Nullable String scope;
        private Duration refreshMargin = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private Clock clock = Clock.systemUTC();
        private @Nullable WebClient client;
        private @Nullable String name;
        private MeterRegistry meters = new CompositeMeterRegistry();

        private Builder(URI tokenUri, ClientCredentials credentials) {
            this.tokenUri = requireNonNull(tokenUri, "tokenUri");
            this.credentials = requireNonNull(credentials, "credentials");
            // An endpoint that echoes its request must not carry the secret into answers or logs.
            Secrets.registerClient(credentials.clientId(), credentials.clientSecret());
            final String scheme = tokenUri.getScheme();
            if (!"https".equals(scheme) && !"http".equals(scheme) || tokenUri.getHost() == null) {
                throw new IllegalArgumentException("tokenUri: " + tokenUri + " (expected: an http(s) URL)");
            }
        }

        /** Sets how the client authenticates. Default {@link Style#BASIC}. */
        public Builder style(Style style) {
            this.style = requireNonNull(style, "style");
            return this;
        }

        /** Sets the space-separated scopes to request. Default: none. */
        public Builder scope(@Nullable String scope) {
            this.scope = scope;
            return this;
        }

        /** Sets how long before expiry a token is renewed. Default 30 s. */
        public Builder refreshMargin(Duration refreshMargin) {
            requireNonNull(refreshMargin, "refreshMargin");
            if (refreshMargin.isNegative()) {
                throw new IllegalArgumentException("refreshMargin: " + refreshMargin + " (expected: >= 0)");
            }
            this.refreshMargin = refreshMargin;
            return this;
        }

        /** Sets how long one token request may take. Default 15 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** Sets the clock that judges expiry. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the HTTP client for the token endpoint; its base URI must be the endpoint's origin. */
        public Builder webClient(WebClient client) {
            this.client = requireNonNull(client, "client");
            return this;
        }

        /** Sets the name used in errors, logs and metrics. Default: the endpoint's host. */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        /** Sets where the token-request counter is registered. Default: nowhere. */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = requireNonNull(meters, "meters");
            return this;
        }

        /** Returns the token source. */
        public OAuth2TokenSource build() {
            return new OAuth2TokenSource(this);
        }
    }
}
