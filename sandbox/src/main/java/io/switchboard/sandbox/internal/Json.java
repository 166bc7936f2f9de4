package io.switchboard.sandbox.internal;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpResponseException;

/** JSON answers of the sandbox's HTTP endpoints. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
                                                 .addModule(new JavaTimeModule())
                                                 .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                                                 .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                                 .build();

    static HttpResponse ok(Object body) {
        return of(HttpStatus.OK, body);
    }

    static HttpResponse of(HttpStatus status, Object body) {
        try {
            return HttpResponse.of(status, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
    }

    /** Answers {@code {"error": code, "message": message}}. */
    static HttpResponse error(HttpStatus status, String code, String message) {
        return of(status, new ErrorBody(code, message));
    }

    record ErrorBody(String error, String message) {}

    /**
     * Reads a request body as {@code type}; an empty body gives {@code whenEmpty}, or is read as JSON
     * when that is null. A body that does not parse ends the request with a 400 that names the
     * unknown field or the syntax error.
     */
    static <T> T read(AggregatedHttpRequest request, Class<T> type, @Nullable T whenEmpty) {
        if (whenEmpty != null && request.content().isEmpty()) {
            return whenEmpty;
        }
        try {
            return MAPPER.readValue(request.contentUtf8(), type);
        } catch (UnrecognizedPropertyException e) {
            throw HttpResponseException.of(error(HttpStatus.BAD_REQUEST, "invalid_argument",
                    e.getPropertyName() + ": unknown field (expected one of: " + e.getKnownPropertyIds() + ')'));
        } catch (JsonProcessingException e) {
            throw HttpResponseException.of(error(HttpStatus.BAD_REQUEST, "invalid_json",
                                                 "body is not valid JSON: " + e.getOriginalMessage()));
        }
    }

    private Json() {}
}
