package io.switchboard.sandbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

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

    private Json() {}
}
