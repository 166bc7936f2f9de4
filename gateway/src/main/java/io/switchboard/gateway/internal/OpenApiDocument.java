package io.switchboard.gateway.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;

/**
 * {@code GET /openapi.json}: the REST API's OpenAPI 3.1 document, {@code docs/openapi.yaml} in
 * the source tree, carried in the jar and served as JSON, for client generators and API
 * gateways. A test keeps it true to the routes the gateway serves.
 */
public final class OpenApiDocument {

    /** Where the document is served; public, like the API page. */
    public static final String PATH = "/openapi.json";
    private static final String RESOURCE = "/io/switchboard/gateway/openapi.yaml";

    /**
     * Returns the service. The document is read on the first request, not at start-up, and kept;
     * a build without it answers 404 and says so.
     */
    public static HttpService service() {
        final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<AggregatedHttpResponse>>
                answer = new java.util.concurrent.atomic.AtomicReference<>();
        return (ctx, req) -> {
            if (answer.get() == null) {
                final java.util.concurrent.CompletableFuture<AggregatedHttpResponse> first =
                        new java.util.concurrent.CompletableFuture<>();
                if (answer.compareAndSet(null, first)) {
                    // Reading and converting the YAML blocks: never on an event loop.
                    java.util.concurrent.CompletableFuture.supplyAsync(OpenApiDocument::read, ctx.blockingTaskExecutor())
                                                          .whenComplete((read, failure) -> first.complete(
                                                                  failure == null ? read : unreadable(failure)));
                }
            }
            return com.linecorp.armeria.common.HttpResponse.of(
                    answer.get().thenApply(AggregatedHttpResponse::toHttpResponse));
        };
    }

    private static AggregatedHttpResponse read() {
        try {
            return AggregatedHttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
                                                            .contentType(MediaType.JSON_UTF_8)
                                                            .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                                                            .build(),
                                             com.linecorp.armeria.common.HttpData.ofUtf8(json()));
        } catch (IllegalStateException missing) {
            org.slf4j.LoggerFactory.getLogger(OpenApiDocument.class).warn("{}: {} answers 404", missing.getMessage(), PATH);
            return JsonErrorHandler.body(HttpStatus.NOT_FOUND, missing.getMessage());
        }
    }

    /** The answer, for good, when the document cannot be read: said in the log and in the answer. */
    private static AggregatedHttpResponse unreadable(Throwable failure) {
        final Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
        org.slf4j.LoggerFactory.getLogger(OpenApiDocument.class).error("the OpenAPI document cannot be read", cause);
        return JsonErrorHandler.body(HttpStatus.INTERNAL_SERVER_ERROR,
                                     "the OpenAPI document cannot be read: " + cause.getMessage());
    }

    /** Returns the document as JSON. */
    public static String json() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the build");
            }
            return new ObjectMapper().writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document: " + e.getMessage(), e);
        }
    }

    private OpenApiDocument() {}
}
