package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;

import io.switchboard.core.auth.Authorization;
import io.switchboard.core.Secrets;
import io.switchboard.platforms.UpstreamAddress;
import io.switchboard.core.resilience.Idempotency;
import io.switchboard.core.resilience.ResilientInvoker;
import io.switchboard.core.resilience.RetryAfter;
import io.switchboard.platforms.http.HttpFailures;
import io.switchboard.platforms.http.JsonCalls;

/**
 * The Genesys Cloud Platform API v2 operations Switchboard uses, spoken exactly as the API
 * defines them. Every call goes through a {@link ResilientInvoker}: bearer token, breaker,
 * deadline, and retries on 429 (honouring {@code Retry-After}) and, for idempotent
 * operations, on 502/503/504.
 *
 * <p>Threading: nothing blocks; futures complete on Armeria's event loops.
 */
public final class GenesysPlatformApi {

    static final ObjectMapper JSON = JsonMapper.builder()
                                               .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                               .build();

    /** Returns a classifier for this API's failures, to build its invoker with. */
    public static HttpFailures failures() {
        return new HttpFailures(t -> t instanceof GenesysApiException e
                                     ? new HttpFailures.Answer(e.status(), e.getMessage(), e.retryAfter().orElse(null),
                                                               e.correlationId().orElse(null))
                                     : null);
    }

    private final WebClient client;
    private final ResilientInvoker invoker;
    private final Clock clock;

    /**
     * Creates a client of the organisation's API at {@code api}; {@link GenesysPlatform} builds
     * one with everything it needs.
     *
     * @param invoker built with {@link #failures()} and a BASIC-style token source for the
     *        organisation's login host
     */
    public GenesysPlatformApi(UpstreamAddress api, ResilientInvoker invoker, ClientFactory factory, Clock clock) {
        requireNonNull(api, "api");
        this.invoker = requireNonNull(invoker, "invoker");
        this.clock = requireNonNull(clock, "clock");
        client = api.webClient(factory)
                          // The invoker sets each attempt's deadline.
                          .responseTimeout(Duration.ZERO)
                          .build();
    }

    /** Answers how a call and its participants stand now. Safe to retry. */
    public CompletableFuture<CallConversation> callConversation(String conversationId, Instant deadline) {
        final String path = "/api/v2/conversations/calls/" + conversationId;
        return invoker.invoke("GetCallConversation", Idempotency.IDEMPOTENT, deadline, (token, timeout) ->
                send(token, timeout, HttpMethod.GET, path, null).thenApply(r -> read(r, CallConversation.class)))
                      .thenApply(ResilientInvoker.Result::value);
    }

    /**
     * Mutes or unmutes a participant ({@code PATCH .../participants/{id}}, body {@code {"muted": b}}).
     * The API answers 202 before the change shows: read the conversation to confirm it.
     * Idempotent: setting the same state twice changes nothing.
     */
    public CompletableFuture<Answered> setMuted(String conversationId, String participantId, boolean muted,
                                                Instant deadline) {
        final String path = "/api/v2/conversations/" + conversationId + "/participants/" + participantId;
        final String body = "{\"muted\":" + muted + '}';
        return invoker.invoke("PatchParticipant", Idempotency.IDEMPOTENT, deadline, (token, timeout) ->
                send(token, timeout, HttpMethod.PATCH, path, body).thenApply(GenesysPlatformApi::correlation))
                      .thenApply(r -> new Answered(r.value(), r.attempts(), r.latency()));
    }

    /**
     * Sends DTMF digits from a participant ({@code POST .../participants/{id}/digits}). Not
     * idempotent: retried only when the platform surely did not act.
     */
    public CompletableFuture<Answered> sendDigits(String conversationId, String participantId, String digits,
                                                  Instant deadline) {
        final String path = "/api/v2/conversations/" + conversationId + "/participants/" + participantId + "/digits";
        final String body = JSON.createObjectNode().put("digits", digits).toString();
        return invoker.invoke("PostParticipantDigits", Idempotency.NOT_IDEMPOTENT, deadline, (token, timeout) ->
                send(token, timeout, HttpMethod.POST, path, body).thenApply(GenesysPlatformApi::correlation))
                      .thenApply(r -> new Answered(r.value(), r.attempts(), r.latency()));
    }

    /**
     * Sends a request and reads the answer as JSON ({@code null} for an empty answer). For the
     * Platform API operations that have no method of their own here.
     *
     * @param operation the operation's name, for errors and metrics, e.g. {@code PutCampaign}
     * @param json the body, or {@code null} for none
     */
    public CompletableFuture<@Nullable JsonNode> exchange(String operation, Idempotency idempotency, HttpMethod method,
                                                          String path, @Nullable String json, Instant deadline) {
        return invoker.invoke(operation, idempotency, deadline, (token, timeout) ->
                send(token, timeout, method, path, json).thenApply(GenesysPlatformApi::jsonOrNull))
                      .thenApply(ResilientInvoker.Result::value);
    }

    private static @Nullable JsonNode jsonOrNull(AggregatedHttpResponse response) {
        if (response.content().isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(response.contentUtf8());
        } catch (Exception e) {
            throw new GenesysApiException(response.status().code(), "unreadable.body",
                                          "the answer is not JSON: " + e.getMessage(), null,
                                          response.headers().get("inin-correlation-id"), null);
        }
    }

    /** What the API answered to a command: its correlation id, and how it was reached. */
    public record Answered(@Nullable String correlationId, int attempts, Duration latency) {}

    private CompletableFuture<AggregatedHttpResponse> send(Authorization token, Duration timeout, HttpMethod method,
                                                           String path, @Nullable String json) {
        return JsonCalls.send(client, token, timeout, method, path, json)
                     .thenApply(this::checkStatus);
    }

    private AggregatedHttpResponse checkStatus(AggregatedHttpResponse response) {
        if (response.status().isSuccess()) {
            return response;
        }
        final String correlationId = response.headers().get("inin-correlation-id");
        final Duration retryAfter = RetryAfter.parse(response.headers().get(HttpHeaderNames.RETRY_AFTER), clock)
                                              .orElse(null);
        String code = null;
        String message = response.status().reasonPhrase();
        String contextId = null;
        try {
            final JsonNode body = JSON.readTree(response.contentUtf8());
            if (body != null && body.isObject()) {
                code = textOrNull(body, "code");
                message = Secrets.excerpt(body.path("message").asText(message), 300);
                contextId = textOrNull(body, "contextId");
            }
        } catch (Exception ignored) {
            // Not JSON (a proxy's page): keep the status line.
        }
        throw new GenesysApiException(response.status().code(), code, message, contextId, correlationId, retryAfter);
    }

    private static @Nullable String correlation(AggregatedHttpResponse response) {
        return response.headers().get("inin-correlation-id");
    }

    private static <T> T read(AggregatedHttpResponse response, Class<T> type) {
        try {
            return JSON.readValue(response.contentUtf8(), type);
        } catch (Exception e) {
            throw new GenesysApiException(response.status().code(), "unreadable.body",
                                          "the answer is not a " + type.getSimpleName() + ": " + e.getMessage(),
                                          null, response.headers().get("inin-correlation-id"), null);
        }
    }

    private static @Nullable String textOrNull(JsonNode node, String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
