package io.switchboard.platforms.cxone;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;

import io.switchboard.core.auth.Authorization;
import io.switchboard.core.Secrets;
import io.switchboard.platforms.UpstreamAddress;
import io.switchboard.core.calls.CallIds;
import io.switchboard.core.calls.MediaPort;
import io.switchboard.core.resilience.Idempotency;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.core.resilience.RetryAfter;
import io.switchboard.platforms.http.HttpFailures;
import io.switchboard.platforms.http.JsonCalls;

/**
 * The CXone call-control REST contract ({@code /api/v2/callcontrol/calls/...}): call status,
 * play and collect. Tokens come from the contract's token endpoint (a JSON body with the
 * scopes in {@link #SCOPE}, renewed a minute before expiry, dropped and renewed once on a 401:
 * build the invoker's token source so). Each attempt builds its request afresh, so a retry
 * never reuses a body that was already read. 429 waits out Retry-After; play and collect are
 * not idempotent, so they are retried only when CXone surely did not act.
 *
 * <p>Threading: nothing blocks; futures complete on Armeria's event loops.
 */
public final class CxoneCallControl implements MediaPort {

    /** The scopes the token must carry. */
    public static final String SCOPE = "callcontrol:calls:read callcontrol:calls:write callcontrol:media:read";
    /** How long before expiry tokens are renewed. */
    public static final Duration TOKEN_REFRESH_MARGIN = Duration.ofMinutes(1);

    private static final ObjectMapper JSON = JsonMapper.builder()
                                                       .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                                       .build();

    private final WebClient client;
    private final ResilientInvoker invoker;
    private final Clock clock;

    /** Returns a classifier for this API's failures, to build its invoker with. */
    public static HttpFailures failures() {
        return new HttpFailures(t -> t instanceof CxoneApiException e
                                     ? new HttpFailures.Answer(e.status(), e.getMessage(), e.retryAfter().orElse(null),
                                                               null)
                                     : null);
    }

    /** Returns the base URL of a tenant: {@code https://<tenant>.api.cxone.com}. */
    public static URI tenantBase(String tenant) {
        if (!tenant.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("cxone.tenant: \"" + tenant + "\" (expected: a tenant name such as acme)");
        }
        return URI.create("https://" + tenant + ".api.cxone.com");
    }

    /** Returns the token endpoint under {@code base}. */
    public static URI tokenUri(URI base) {
        return base.resolve("/api/v2/oauth2/token");
    }

    /**
     * Creates a client of the API at {@code base}; {@link CxonePlatform} builds one with
     * everything it needs.
     *
     * @param invoker built with {@link #failures()} and a JSON-style token source for
     *        {@link #tokenUri(URI)} with scope {@link #SCOPE}
     */
    public CxoneCallControl(UpstreamAddress base, ResilientInvoker invoker, ClientFactory factory, Clock clock) {
        this.invoker = requireNonNull(invoker, "invoker");
        this.clock = requireNonNull(clock, "clock");
        client = requireNonNull(base, "base").webClient(factory)
                          .responseTimeout(Duration.ZERO) // the invoker sets each attempt's deadline
                          .build();
    }

    @Override
    public CompletableFuture<CallStatus> status(String callId, Instant deadline) {
        final String path = path(callId, "");
        return invoker.invoke("GetCall", Idempotency.IDEMPOTENT, deadline, (token, timeout) ->
                send(token, timeout, HttpMethod.GET, path, null).thenApply(r -> {
                    final String status = body(r).path("status").asText("");
                    try {
                        return CallStatus.valueOf(status.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new CxoneApiException(r.status().code(), "unknown call status \"" + status + '"', null);
                    }
                })).thenApply(ResilientInvoker.Result::value);
    }

    @Override
    public CompletableFuture<Played> play(String callId, Prompt prompt, Instant deadline) {
        final String path = path(callId, "/play");
        return invoker.invoke("Play", Idempotency.NOT_IDEMPOTENT, deadline, (token, timeout) -> {
            final ObjectNode body = JSON.createObjectNode().put("mediaUrl", prompt.mediaUrl())
                                        .put("loop", prompt.loop()).put("interruptible", prompt.interruptible());
            return send(token, timeout, HttpMethod.POST, path, body).thenApply(r -> {
                final JsonNode answer = body(r);
                return new Played(answer.path("status").asText(""), answer.path("mediaUrl").asText(prompt.mediaUrl()));
            });
        }).thenApply(ResilientInvoker.Result::value);
    }

    @Override
    public CompletableFuture<Collected> collect(String callId, Collection collection, Instant deadline) {
        final String path = path(callId, "/collect");
        return invoker.invoke("Collect", Idempotency.NOT_IDEMPOTENT, deadline, (token, timeout) -> {
            final ObjectNode body = JSON.createObjectNode().put("maxDigits", collection.maxDigits())
                                        .put("timeout", collection.timeout().toMillis());
            collection.terminators().forEach(body.putArray("terminatingDigits")::add);
            if (collection.prompt() != null) {
                body.putObject("playPrompt").put("mediaUrl", collection.prompt().mediaUrl())
                    .put("interruptible", collection.prompt().interruptible());
            }
            return send(token, timeout, HttpMethod.POST, path, body).thenApply(r -> {
                final JsonNode answer = body(r);
                return new Collected(answer.path("status").asText(""), answer.path("digits").asText(""),
                                     answer.path("timeout").asBoolean(false), answer.path("reason").asText(""));
            });
        }).thenApply(ResilientInvoker.Result::value);
    }

    private static String path(String callId, String suffix) {
        return "/api/v2/callcontrol/calls/" + CallIds.check("callId", callId) + suffix;
    }

    /** One attempt: a request built afresh, so that a retry never reuses a consumed body. */
    private CompletableFuture<AggregatedHttpResponse> send(Authorization token, Duration timeout, HttpMethod method,
                                                           String path, @Nullable ObjectNode json) {
        return JsonCalls.send(client, token, timeout, method, path, json == null ? null : json.toString())
                     .thenApply(this::checkStatus);
    }

    private AggregatedHttpResponse checkStatus(AggregatedHttpResponse response) {
        if (response.status().isSuccess()) {
            return response;
        }
        String message = response.status().reasonPhrase();
        try {
            message = Secrets.excerpt(JSON.readTree(response.contentUtf8()).path("message").asText(message), 300);
        } catch (Exception notJson) {
            // keep the status line
        }
        throw new CxoneApiException(response.status().code(), message,
                                    RetryAfter.parse(response.headers().get(HttpHeaderNames.RETRY_AFTER), clock)
                                              .orElse(null));
    }

    private static JsonNode body(AggregatedHttpResponse response) {
        try {
            return JSON.readTree(response.contentUtf8());
        } catch (Exception e) {
            throw new CxoneApiException(response.status().code(), "the answer is not JSON", null);
        }
    }
}
