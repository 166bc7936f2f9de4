package io.switchboard.cli;

import java.io.PrintWriter;
import java.net.URI;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;

/**
 * Talks to a running gateway for a command: adds the API key, and turns answers into output
 * and exit statuses the same way for every command (0 success, 1 rejected, 3 unreachable or
 * failing).
 */
final class GatewayClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Exit status of a request the gateway refused. */
    static final int REJECTED = 1;
    /** Exit status when the gateway (or what is behind it) could not answer. */
    static final int UNAVAILABLE = 3;

    private final URI gateway;
    private final @Nullable String apiKey;
    private final PrintWriter err;
    private final ClientFactory factory;

    GatewayClient(URI gateway, @Nullable String apiKey, PrintWriter err) {
        this(gateway, apiKey, err, ClientFactory.ofDefault());
    }

    /** Creates a client on {@code factory}: a factory of its own, for a shutdown hook, where the default one may be closing. */
    GatewayClient(URI gateway, @Nullable String apiKey, PrintWriter err, ClientFactory factory) {
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.err = err;
        this.factory = factory;
    }

    /**
     * Sends {@code request} (its path relative to the gateway) and returns the answer's JSON,
     * or null after printing why there is none; {@link #lastStatus()} then says the exit status.
     */
    @Nullable JsonNode send(HttpRequest request) {
        final HttpRequest withKey = apiKey == null || apiKey.isBlank()
                                    ? request
                                    : request.withHeaders(request.headers().toBuilder()
                                                                 .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey));
        final AggregatedHttpResponse response;
        try {
            response = WebClient.builder(gateway).factory(factory).responseTimeoutMillis(0).build().blocking()
                                .execute(withKey);
        } catch (Exception e) { // the client rethrows the transport's IOExceptions unchecked
            // A connection never made is "cannot reach"; one lost after the request left is "no answer".
            err.println("switchboard: " + (neverConnected(e) ? "cannot reach" : "no answer from") + " the gateway at "
                        + gateway + ": " + rootMessage(e));
            lastStatus = UNAVAILABLE;
            return null;
        }
        final String text = response.contentUtf8();
        JsonNode json = null;
        try {
            json = JSON.readTree(text);
        } catch (Exception notJson) {
            // Printed as it came, below.
        }
        if (response.status().isSuccess() && json != null) {
            lastStatus = 0;
            return json;
        }
        final String message = json != null ? json.path("message").asText(text) : text;
        final String retryAfter = response.headers().get(HttpHeaderNames.RETRY_AFTER);
        err.println("switchboard: " + response.status() + ": " + message
                    + (retryAfter != null ? " (retry after " + retryAfter + " s)" : ""));
        lastStatus = response.status().code() >= 500 ? UNAVAILABLE : REJECTED;
        return null;
    }

    private int lastStatus;

    /** Returns the exit status the last {@link #send} calls for. */
    int lastStatus() {
        return lastStatus;
    }

    static String pretty(JsonNode json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (Exception e) {
            return json.toString();
        }
    }

    private static boolean neverConnected(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Says in words what went wrong on the way to the gateway or the store: the network's and the
     * HTTP client's failures by what they mean, anything else by its innermost message.
     */
    static String rootMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                return "connection refused: nothing listens there (a gateway starts with ./switchboard serve)";
            }
            if (c instanceof java.net.UnknownHostException) {
                return "unknown host " + c.getMessage();
            }
            if (c instanceof com.linecorp.armeria.common.ClosedSessionException
                || c instanceof com.linecorp.armeria.common.stream.ClosedStreamException
                || c instanceof java.io.IOException && c.getMessage() != null
                   && (c.getMessage().contains("Broken pipe") || c.getMessage().contains("Connection reset"))) {
                return "the connection was closed before the answer came (the gateway may be stopping, or a "
                       + "proxy between cut it); the command may or may not have been carried out";
            }
            if (c instanceof com.linecorp.armeria.client.ResponseTimeoutException) {
                return "no answer in time";
            }
            if (c instanceof javax.net.ssl.SSLException) {
                return "TLS failed: " + c.getMessage();
            }
        }
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : "failed (" + cause.getClass().getSimpleName() + ")";
    }
}
