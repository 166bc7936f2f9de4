package io.switchboard.sandbox.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.core.auth.ClientCredentials;

/** Everything the sandbox holds: clients, tokens, sessions, faults and counters. Thread-safe. */
public final class SandboxState {

    private final ClientCredentials client;
    private final Duration tokenLifetime;
    private final Clock clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();
    private final Faults faults = new Faults();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong callControlRequests = new AtomicLong();
    private final AtomicLong platformRequests = new AtomicLong();
    private final int maxObjects;
    private final GenesysConversations genesys;
    private final CxoneCalls cxone;
    private final GenesysOutbound outbound;

    /**
     * Creates the state for one client, issuing tokens valid for {@code tokenLifetime}, holding
     * at most {@code maxObjects} objects of each kind.
     */
    public SandboxState(ClientCredentials client, Duration tokenLifetime, Clock clock, int maxObjects) {
        this.client = requireNonNull(client, "client");
        this.tokenLifetime = requireNonNull(tokenLifetime, "tokenLifetime");
        this.clock = requireNonNull(clock, "clock");
        this.maxObjects = maxObjects;
        genesys = new GenesysConversations(maxObjects);
        cxone = new CxoneCalls(maxObjects);
        outbound = new GenesysOutbound(maxObjects);
    }

    /** Returns the client the sandbox accepts. */
    public ClientCredentials client() {
        return client;
    }

    /** Returns the clock the sandbox judges time by. */
    public Clock clock() {
        return clock;
    }

    /** Returns the faults to inject. */
    public Faults faults() {
        return faults;
    }

    /** Returns whether {@code id} and {@code secret} are the configured client's. */
    public boolean isClient(String id, String secret) {
        return client.clientId().equals(id) && client.clientSecret().equals(secret);
    }

    /** Counts a token request, whatever its outcome. */
    public void countTokenRequest() {
        tokenRequests.incrementAndGet();
    }

    /** Issues a new token; past the cap, expired tokens are forgotten first. */
    public IssuedToken issueToken() {
        if (tokens.size() >= maxObjects) {
            final Instant now = clock.instant();
            tokens.values().removeIf(expiry -> !now.isBefore(expiry));
        }
        SandboxFull.check("tokens", tokens.size(), maxObjects);
        final String value = "sbx-" + UUID.randomUUID();
        tokens.put(value, clock.instant().plus(tokenLifetime));
        tokensIssued.incrementAndGet();
        return new IssuedToken(value, tokenLifetime);
    }

    /** A token as issued. */
    public record IssuedToken(String value, Duration lifetime) {}

    /** Returns why {@code bearer} (an Authorization header value) is not accepted, or empty if it is. */
    public Optional<String> checkBearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of("missing bearer token");
        }
        final Instant expiry = tokens.get(authorization.substring(7).trim());
        if (expiry == null) {
            return Optional.of("invalid or revoked token");
        }
        if (!clock.instant().isBefore(expiry)) {
            return Optional.of("token expired");
        }
        return Optional.empty();
    }

    /** Revokes every token issued so far. */
    public void revokeTokens() {
        tokens.clear();
    }

    /** Makes every token issued so far expire now. */
    public void expireTokens() {
        final Instant now = clock.instant();
        tokens.replaceAll((token, expiry) -> now);
    }

    /** Creates a media session, with {@code id} or a random one. */
    public MediaSession createSession(String id) {
        SandboxFull.check("sessions", sessions.size(), maxObjects);
        final MediaSession session = new MediaSession(id, clock.instant());
        if (sessions.putIfAbsent(id, session) != null) {
            throw new IllegalStateException("session " + id + " exists");
        }
        return session;
    }

    /** Returns the session {@code id}, ended or not. */
    public Optional<MediaSession> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Ends session {@code id}; returns whether it was active. */
    public boolean endSession(String id) {
        final MediaSession session = sessions.get(id);
        return session != null && session.end(clock.instant());
    }

    /** Returns the simulated CXone calls. */
    public CxoneCalls cxone() {
        return cxone;
    }

    /** Returns the simulated Genesys Cloud conversations. */
    public GenesysConversations genesys() {
        return genesys;
    }

    /** Returns the simulated Genesys Cloud outbound objects: DNC lists and campaigns. */
    public GenesysOutbound outbound() {
        return outbound;
    }

    /** Counts a Platform API (REST) request. */
    public void countPlatformRequest() {
        platformRequests.incrementAndGet();
    }

    /** Counts a call-control request. */
    public void countCallControlRequest() {
        callControlRequests.incrementAndGet();
    }

    /** Returns the counters, for the admin API. */
    public Stats stats() {
        return new Stats(tokenRequests.get(), tokensIssued.get(), tokens.size(), callControlRequests.get(),
                         platformRequests.get(), sessions.size());
    }

    /** The sandbox's counters. */
    public record Stats(long tokenRequests, long tokensIssued, int activeTokens, long callControlRequests,
                        long platformRequests, int sessions) {}
}
