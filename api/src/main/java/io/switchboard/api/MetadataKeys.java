package io.switchboard.api;

import io.grpc.Metadata;

/**
 * The gRPC metadata that Switchboard reads from upstream platforms and sends to its own
 * callers, in one place so that client, server and sandbox agree on the names.
 */
public final class MetadataKeys {

    /** When to retry, in seconds or as an HTTP-date (RFC 9110, 10.2.3). */
    public static final Metadata.Key<String> RETRY_AFTER =
            Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
    /** When to retry, in milliseconds: gRPC's own retry pushback (gRFC A6). */
    public static final Metadata.Key<String> RETRY_PUSHBACK_MS =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);
    /** Genesys Cloud's correlation id for a request. */
    public static final Metadata.Key<String> ININ_CORRELATION_ID =
            Metadata.Key.of("inin-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
    /** The upstream platform's correlation id, passed on to Switchboard's callers. */
    public static final Metadata.Key<String> SWITCHBOARD_CORRELATION_ID =
            Metadata.Key.of("switchboard-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
    /** How many upstream requests a command made, in error trailers. */
    public static final Metadata.Key<String> SWITCHBOARD_ATTEMPTS =
            Metadata.Key.of("switchboard-attempts", Metadata.ASCII_STRING_MARSHALLER);

    private MetadataKeys() {}
}
