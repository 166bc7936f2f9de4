package io.switchboard.platforms.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;

import io.switchboard.core.auth.Authorization;

/**
 * One attempt of a JSON REST call with a bearer token: the request built afresh (so that a
 * retry never reuses a body already read), the attempt's own response timeout, the answer
 * aggregated. The adapters read the answer and its errors their own way.
 */
public final class JsonCalls {

    /**
     * Sends {@code json} (or no body) to {@code path} with {@code token}, waiting at most
     * {@code timeout} for the answer.
     */
    public static CompletableFuture<AggregatedHttpResponse> send(WebClient client, Authorization token, Duration timeout,
                                                                 HttpMethod method, String path,
                                                                 @Nullable String json) {
        final RequestHeadersBuilder headers = RequestHeaders.builder(method, path)
                                                            .set(HttpHeaderNames.AUTHORIZATION, token.header())
                                                            .set(HttpHeaderNames.ACCEPT, "application/json");
        final HttpRequest request = json == null
                                    ? HttpRequest.of(headers.build())
                                    : HttpRequest.of(headers.contentType(MediaType.JSON_UTF_8).build(),
                                                     HttpData.ofUtf8(json));
        final Duration responseTimeout = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
        return client.execute(request, RequestOptions.builder().responseTimeout(responseTimeout).build()).aggregate();
    }

    private JsonCalls() {}
}
