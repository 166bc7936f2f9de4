package io.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * How requests to one upstream authenticate: what goes into each request's
 * {@code Authorization} header, and what happens when the upstream rejects it. OAuth 2.0
 * tokens ({@link OAuth2TokenSource}) are one kind; fixed credentials such as HTTP Basic
 * ({@link #basic(ClientCredentials)}) are another.
 *
 * <p>Implementations are thread-safe and never block the caller.
 */
public interface Credential {

    /**
     * Returns the authorization for the next request. Completes at once when it is at hand;
     * fails with {@link TokenRequestException} when none could be had.
     */
    CompletableFuture<Authorization> authorization();

    /**
     * Tells the credential that the upstream refused {@code rejected} (HTTP 401, gRPC
     * UNAUTHENTICATED).
     *
     * @return whether a later {@link #authorization()} may give a different one, so that one
     *         more attempt is worth making; {@code false} for fixed credentials
     */
    boolean rejected(Authorization rejected);

    /**
     * Returns fixed HTTP Basic credentials (RFC 7617): the same header on every request, and
     * nothing to renew when the upstream refuses it.
     */
    static Credential basic(ClientCredentials client) {
        requireNonNull(client, "client");
        final CompletableFuture<Authorization> header = CompletableFuture.completedFuture(Authorization.basic(client));
        return new Credential() {
            @Override
            public CompletableFuture<Authorization> authorization() {
                return header;
            }

            @Override
            public boolean rejected(Authorization rejected) {
                return false;
            }

            @Override
            public String toString() {
                return "Credential{basic, client=" + client.clientId() + '}';
            }
        };
    }
}
