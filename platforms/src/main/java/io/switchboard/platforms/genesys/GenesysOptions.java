package io.switchboard.platforms.genesys;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.switchboard.core.auth.ClientCredentials;

/**
 * The Genesys Cloud organisation. Environment: {@code GENESYS_SUBDOMAIN},
 * {@code GENESYS_CLIENT_ID}, {@code GENESYS_CLIENT_SECRET}, {@code GENESYS_OAUTH_URL},
 * {@code GENESYS_CLOUD_REGION}. A {@code null} component means its default.
 *
 * @param region the organisation's region for the Platform API (mute, DNC lists, campaigns): a
 *        region name such as {@code us_east_1}, a domain, or a base URL
 * @param subdomain the organisation's subdomain; the call-control target is
 *        {@code https://<subdomain>.mypurecloud.com:443}
 * @param callControlTarget a full call-control URI instead, e.g. a separate sandbox's {@code http://127.0.0.1:9090}
 * @param oauthUrl the gRPC contract's token endpoint
 * @param clientId the OAuth client id
 * @param clientSecret the OAuth client secret; never logged
 * @param tokenRefreshMargin how long before expiry a token is renewed. Default {@link #DEFAULT_TOKEN_REFRESH_MARGIN}
 * @param callControl which API carries DTMF and volume. Default {@link #DEFAULT_CALL_CONTROL}
 * @param requestsPerMinute the Platform API requests a minute for this OAuth client, shared by
 *        every replica when Redis is configured. Default {@link #DEFAULT_REQUESTS_PER_MINUTE}
 */
public record GenesysOptions(@Nullable String region, @Nullable String subdomain, @Nullable URI callControlTarget,
                             @Nullable URI oauthUrl, @Nullable String clientId, @Nullable String clientSecret,
                             Duration tokenRefreshMargin, CallControlApi callControl, Integer requestsPerMinute) {

    /** How long before expiry a token is renewed: 30 s. */
    public static final Duration DEFAULT_TOKEN_REFRESH_MARGIN = Duration.ofSeconds(30);

    /** Which API carries DTMF and volume: the gRPC contract. */
    public static final CallControlApi DEFAULT_CALL_CONTROL = CallControlApi.GRPC;

    /** Platform API requests a minute per OAuth client: 300, Genesys Cloud's documented limit. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 300;

    /** Fills in defaults and checks ranges. */
    public GenesysOptions {
        tokenRefreshMargin = Objects.requireNonNullElse(tokenRefreshMargin, DEFAULT_TOKEN_REFRESH_MARGIN);
        callControl = Objects.requireNonNullElse(callControl, DEFAULT_CALL_CONTROL);
        requestsPerMinute = Objects.requireNonNullElse(requestsPerMinute, DEFAULT_REQUESTS_PER_MINUTE);
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("genesys.requestsPerMinute: " + requestsPerMinute + " (expected: >= 1)");
        }
        if (tokenRefreshMargin.isNegative()) {
            throw new IllegalArgumentException("genesys.tokenRefreshMargin: " + tokenRefreshMargin
                                               + " (expected: >= 0)");
        }
    }

    /** Returns an unconfigured organisation. */
    public static GenesysOptions none() {
        return new GenesysOptions(null, null, null, null, null, null, null, null, null);
    }

    /**
     * Returns an organisation whose every API is at {@code base} (a separate simulator, or a
     * test double), reached with {@code client}.
     */
    public static GenesysOptions at(URI base, ClientCredentials client) {
        return new GenesysOptions(base.toString(), null, base, base.resolve("/oauth/token"), client.clientId(),
                                  client.clientSecret(), null, null, null);
    }

    /** Returns a copy that sends at most {@code requestsPerMinute} Platform API requests a minute. */
    public GenesysOptions withRequestsPerMinute(int requestsPerMinute) {
        return new GenesysOptions(region, subdomain, callControlTarget, oauthUrl, clientId, clientSecret,
                                  tokenRefreshMargin, callControl, requestsPerMinute);
    }

    /** Returns a copy whose DTMF and volume commands use {@code callControl}. */
    public GenesysOptions withCallControl(CallControlApi callControl) {
        return new GenesysOptions(region, subdomain, callControlTarget, oauthUrl, clientId, clientSecret,
                                  tokenRefreshMargin, callControl, requestsPerMinute);
    }

    /** Returns a copy whose Platform API is at {@code region} (a region name, domain or base URL). */
    public GenesysOptions withRegion(String region) {
        return new GenesysOptions(region, subdomain, callControlTarget, oauthUrl, clientId, clientSecret,
                                  tokenRefreshMargin, callControl, requestsPerMinute);
    }

    /** Returns a copy that authenticates as {@code client}. */
    public GenesysOptions withClient(ClientCredentials client) {
        return new GenesysOptions(region, subdomain, callControlTarget, oauthUrl, client.clientId(),
                                  client.clientSecret(), tokenRefreshMargin, callControl, requestsPerMinute);
    }

    /** Returns whether credentials are configured. */
    public boolean hasCredentials() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isEmpty();
    }

    /** Returns the configured client; call only when {@link #hasCredentials()}. */
    public ClientCredentials client() {
        if (!hasCredentials()) {
            throw new IllegalStateException(GenesysPlatform.NOT_CONFIGURED);
        }
        return new ClientCredentials(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
    }

    @Override
    public String toString() {
        return "GenesysOptions{region=" + region + ", subdomain=" + subdomain + ", callControlTarget="
               + callControlTarget + ", oauthUrl=" + oauthUrl + ", clientId=" + clientId + ", clientSecret="
               + (clientSecret == null ? null : "<redacted>") + ", tokenRefreshMargin=" + tokenRefreshMargin
               + ", callControl=" + callControl + ", requestsPerMinute=" + requestsPerMinute + '}';
    }

    /** Which Genesys Cloud API carries DTMF and volume commands. */
    public enum CallControlApi {
        /** The gRPC call-control contract ({@code genesyscloud.callcontrol.v1}): DTMF per tone, and volume. */
        @JsonProperty("grpc")
        GRPC,
        /**
         * The Platform API: DTMF through {@code POST .../participants/{id}/digits}, sessions written
         * {@code <conversationId>:<participantId>}; no volume control.
         */
        @JsonProperty("platform-api")
        PLATFORM_API,
    }
}
