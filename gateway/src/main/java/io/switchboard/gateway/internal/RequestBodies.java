package io.switchboard.gateway.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.switchboard.core.InvalidArgumentException;

/**
 * Reads the JSON bodies of the hand-written REST services strictly, as docs/api.md says: a
 * value of the wrong JSON type ({@code "flow": 5}, {@code "allowed": "true"}) is a 400, never
 * coerced; an unknown field is a 400. Every message names the field and what was expected in
 * the API's own words, never a Java type.
 */
final class RequestBodies {

    private static final ObjectMapper STRICT = strict();

    private static ObjectMapper strict() {
        final JsonMapper mapper = JsonMapper.builder()
                                            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                                            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                                            .build();
        // Numbers and booleans never become strings (Jackson allows that by default).
        mapper.coercionConfigFor(LogicalType.Textual)
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /**
     * Reads {@code body} as a {@code type}.
     *
     * @throws IllegalArgumentException naming the field and what was expected
     */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            final T value = STRICT.readValue(body, type);
            if (value == null) {
                throw new InvalidArgumentException("body", "null", "a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("body." + path(e) + ": unknown field (expected one of: "
                                               + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                                                  .collect(Collectors.joining(", ")) + ')');
        } catch (MismatchedInputException e) {
            final String field = path(e);
            throw new IllegalArgumentException((field.isEmpty() ? "body" : "body." + field) + ": (expected: "
                                               + expected(e.getTargetType()) + ')');
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(ValidateService.malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns where in the body the problem is, e.g. {@code phoneNumbers[2]}. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Returns a JSON type in the API's words. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a JSON value of another type";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "a JSON value of another type";
    }

    private RequestBodies() {}
}
