package io.switchboard.core.auth;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Supplies access tokens for one upstream and one client.
 *
 * <p>Implementations are thread-safe and never block the caller.
 */
public interface TokenSource extends Credential {

    /**
     * Returns a token that is valid now. Completes at once when a cached token is fresh;
     * otherwise with the one token request under way, shared by every caller waiting for it.
     * Fails with {@link TokenRequestException} when no token could be had.
     */
    CompletableFuture<AccessToken> token();

    /**
     * Drops {@code rejected} after the upstream refused it (HTTP 401, gRPC UNAUTHENTICATED), so
     * that the next {@link #token()} requests a new one. Tokens are compared by value. Does nothing if a newer token is
     * already cached, so that many callers rejected together cause one renewal.
     */
    void invalidate(AccessToken rejected);

    /** Returns {@code Bearer <token>} for the token {@link #token()} gives. */
    @Override
    default CompletableFuture<Authorization> authorization() {
        return token().thenApply(Authorization::bearer);
    }

    /** Drops the rejected token (compared by value) so that the next one is requested anew. */
    @Override
    default boolean rejected(Authorization rejected) {
        invalidate(new AccessToken(rejected.credentials(), Instant.EPOCH));
        return true;
    }
}
