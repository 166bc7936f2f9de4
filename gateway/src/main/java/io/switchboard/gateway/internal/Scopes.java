package io.switchboard.gateway.internal;

/** The API-key scopes, as written in {@code auth.apiKeys[].scopes}. */
public final class Scopes {

    /** Call-control commands, mute, play, collect and flows. */
    public static final String CALLS_WRITE = "calls:write";

    /** Campaign DNC rules. */
    public static final String CAMPAIGNS_WRITE = "campaigns:write";

    /** Contact scrubs ({@code /validate}) and DNC lookups. */
    public static final String DNC_READ = "dnc:read";

    /** Changes to the DNC store. */
    public static final String DNC_WRITE = "dnc:write";

    /** Reserving and releasing dial attempts ({@code /v1/attempts}). */
    public static final String ATTEMPTS_WRITE = "attempts:write";

    private Scopes() {}
}
