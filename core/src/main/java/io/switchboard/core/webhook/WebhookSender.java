package io.switchboard.core.webhook;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.util.Exceptions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.resilience.RetryAfter;
import io.switchboard.core.resilience.RetryPolicy;
import io.switchboard.core.resilience.RetryScheduler;

/**
 * Delivers signed JSON webhooks to one URL, in the background. A delivery is retried with
 * backoff and jitter, honouring {@code Retry-After}, on 429, 5xx and connection failures, as
 * the {@link RetryPolicy} allows; each attempt is a fresh request with a fresh signature.
 * Other 4xx answers are final. Whatever happens, {@link #send} returns at once: callers are
 * never held up by a slow or failing receiver.
 *
 * <p>Deliveries that fail for good are logged and counted ({@code switchboard.webhook.failures}).
 */
public final class WebhookSender {

    private static final Logger logger = LoggerFactory.getLogger(WebhookSender.class);

    /** How a delivery ended. */
    public record Delivery(boolean delivered, int attempts, @Nullable Integer lastStatus) {}

    private final URI url;
    private final WebClient client;
    private final WebhookSignature signature;
    private final RetryPolicy policy;
    private final RetryScheduler scheduler;
    private final Clock clock;
    private final String name;
    private final Counter failures;
    private final Counter delivered;

    /**
     * Creates a sender.
     *
     * @param name what the webhook is for, in logs and metrics, e.g. {@code recording-sync}
     * @param timeout how long one attempt may take
     */
    public WebhookSender(String name, URI url, WebhookSignature signature, RetryPolicy policy, Duration timeout,
                         ClientFactory factory, RetryScheduler scheduler, Clock clock, MeterRegistry meters) {
        this.name = requireNonNull(name, "name");
        this.url = requireNonNull(url, "url");
        this.signature = requireNonNull(signature, "signature");
        this.policy = requireNonNull(policy, "policy");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.clock = requireNonNull(clock, "clock");
        client = WebClient.builder(url.getScheme() + "://" + url.getRawAuthority())
                          .factory(requireNonNull(factory, "factory"))
                          .responseTimeout(requireNonNull(timeout, "timeout"))
                          .build();
        failures = Counter.builder("switchboard.webhook.failures").tag("webhook", name)
                          .description("Webhook deliveries that failed for good").register(meters);
        delivered = Counter.builder("switchboard.webhook.deliveries").tag("webhook", name)
                           .description("Webhook deliveries acknowledged with 2xx").register(meters);
    }

    /** Starts delivering {@code json}; the future tells how it ended and never fails. */
    public CompletableFuture<Delivery> send(String json) {
        requireNonNull(json, "json");
        final CompletableFuture<Delivery> done = new CompletableFuture<>();
        attempt(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, clock.instant(), done);
        return done;
    }

    private void attempt(byte[] body, int retries, java.time.Instant start, CompletableFuture<Delivery> done) {
        final String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath()
                                                             + (url.getRawQuery() != null ? '?' + url.getRawQuery() : "");
        final HttpRequest request = HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, path)
                                                                 .contentType(MediaType.JSON_UTF_8)
                                                                 .set(WebhookSignature.HEADER,
                                                                      signature.sign(body, clock.instant()))
                                                                 .build(),
                                                   HttpData.wrap(body));
        client.execute(request).aggregate().whenComplete((response, error) -> {
            final int status = response != null ? response.status().code() : 0;
            if (error == null && response.status().isSuccess()) {
                delivered.increment();
                done.complete(new Delivery(true, retries + 1, status));
                return;
            }
            final boolean retriable = error != null || status == 429 || status >= 500;
            final String what = error != null ? Exceptions.peel(error).toString() : "HTTP " + status;
            if (retriable) {
                final RetryPolicy.Decision decision = policy.decide(
                        retries, retryAfter(response), java.time.Duration.between(start, clock.instant()),
                        java.time.Duration.ofDays(1));
                if (decision instanceof RetryPolicy.Decision.Retry retry) {
                    logger.debug("Webhook {} attempt {} failed ({}); retrying in {} ms", name, retries + 1, what,
                                 retry.delay().toMillis());
                    scheduler.schedule(retry.delay(), () -> attempt(body, retries + 1, start, done));
                    return;
                }
            }
            failures.increment();
            logger.warn("Webhook {} not delivered to {} after {} attempt(s): {}", name, url.getHost(), retries + 1,
                        what);
            done.complete(new Delivery(false, retries + 1, status == 0 ? null : status));
        });
    }

    private java.time.@Nullable Duration retryAfter(@Nullable AggregatedHttpResponse response) {
        if (response == null) {
            return null;
        }
        return RetryAfter.parse(response.headers().get("retry-after"), clock).orElse(null);
    }
}
