package io.switchboard.platforms.cxone;

import java.net.URI;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.auth.ClientCredentials;

/**
 * The NICE CXone tenant whose calls prompts, digit collection and IVR flows run on.
 * Environment: {@code CXONE_TENANT}, {@code CXONE_BASE_URL}, {@code CXONE_CLIENT_ID},
 * {@code CXONE_CLIENT_SECRET}.
 *
 * @param tenant the tenant: the API is at {@code https://<tenant>.api.cxone.com}
 * @param baseUrl the API's base URL instead, e.g. a separate sandbox's
 * @param clientId the OAuth client id
 * @param clientSecret the OAuth client secret; never logged
 */
public record CxoneOptions(@Nullable String tenant, @Nullable URI baseUrl, @Nullable String clientId,
                           @Nullable String clientSecret) {

    /** Returns an unconfigured tenant. */
    public static CxoneOptions none() {
        return new CxoneOptions(null, null, null, null);
    }

    /** Returns a tenant whose API is at {@code base} (a separate simulator), reached as {@code client}. */
    public static CxoneOptions at(URI base, ClientCredentials client) {
        return new CxoneOptions(null, base, client.clientId(), client.clientSecret());
    }

    /** Returns whether credentials are configured. */
    public boolean hasCredentials() {
        return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isEmpty();
    }

    /** Returns the configured client; call only when {@link #hasCredentials()}. */
    public ClientCredentials client() {
        if (!hasCredentials()) {
            throw new IllegalStateException(CxonePlatform.NOT_CONFIGURED);
        }
        return new ClientCredentials(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
    }

    @Override
    public String toString() {
        return "CxoneOptions{tenant=" + tenant + ", baseUrl=" + baseUrl + ", clientId=" + clientId + ", clientSecret="
               + (clientSecret == null ? null : "<redacted>") + '}';
    }
}
