package io.switchboard.gateway.internal;

import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingQueryParamMatchRule;

import io.grpc.BindableService;

/** Builds the gateway's gRPC services the one way they are all served. */
final class GrpcServices {

    /**
     * Returns {@code service} served over gRPC and, through HTTP/JSON transcoding, over REST:
     * errors as JSON with the HTTP status of {@link StatusMapping}, unreadable bodies named,
     * unknown fields refused (a misspelt option is never dropped), and every field shown in
     * answers, {@code "muted": false} included; every field's JSON type as documented
     * ({@link StrictJsonMarshaller}).
     */
    static GrpcService transcoded(BindableService service) {
        return GrpcService.builder()
                          .addService(service)
                          // JSON without gRPC's framing: what the API page's SUBMIT sends.
                          .enableUnframedRequests(true)
                          .enableHttpJsonTranscoding(HttpJsonTranscodingOptions.builder()
                                                                               .errorHandler(new RestErrorHandler())
                                                                               .queryParamMatchRules(
                                                                                       HttpJsonTranscodingQueryParamMatchRule.LOWER_CAMEL_CASE,
                                                                                       HttpJsonTranscodingQueryParamMatchRule.ORIGINAL_FIELD)
                                                                               .build())
                          .exceptionHandler(new BodyErrors().orElse(GrpcExceptionHandlerFunction.of()))
                          .jsonMarshallerFactory(descriptor -> new StrictJsonMarshaller(GrpcJsonMarshaller.builder()
                                  .jsonMarshallerCustomizer(m -> m.ignoringUnknownFields(false)
                                                                  .includingDefaultValueFields(true))
                                  .build(descriptor)))
                          .build();
    }

    private GrpcServices() {}
}
