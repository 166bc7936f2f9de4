package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.PrototypeMarshaller;

/**
 * Reads REST bodies as docs/api.md says: every field's JSON type must be the documented one,
 * or the request is a 400 naming the field ({@code tones: 123 (expected: a string)}). The
 * proto3 JSON mapping that the transcoder uses is lenient (a number for a string, {@code "0.5"}
 * for a float, {@code "true"} for a bool); this check runs first, on the message's descriptor,
 * then the configured marshaller reads the body. Well-known types ({@code google.protobuf.*},
 * such as a Timestamp written as a string) and 64-bit integers (written as strings by the
 * mapping) keep the mapping's own forms.
 */
final class StrictJsonMarshaller implements GrpcJsonMarshaller {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GrpcJsonMarshaller delegate;

    StrictJsonMarshaller(GrpcJsonMarshaller delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os) throws IOException {
        delegate.serializeMessage(marshaller, message, os);
    }

    @Override
    public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
        if (!(marshaller instanceof PrototypeMarshaller<T> prototype
              && prototype.getMessagePrototype() instanceof Message message)) {
            return delegate.deserializeMessage(marshaller, is);
        }
        final byte[] body = is.readAllBytes();
        final JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException notJson) {
            // The marshaller names what is wrong with it.
            return delegate.deserializeMessage(marshaller, new ByteArrayInputStream(body));
        }
        if (tree != null && tree.isObject()) {
            check(message.getDescriptorForType(), tree, "");
        }
        return delegate.deserializeMessage(marshaller, new ByteArrayInputStream(body));
    }

    private static void check(Descriptor type, JsonNode object, String prefix) throws InvalidProtocolBufferException {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            final Map.Entry<String, JsonNode> e = it.next();
            final FieldDescriptor field = field(type, e.getKey());
            if (field == null || e.getValue().isNull()) {
                continue; // unknown fields are the marshaller's to refuse; null means the default
            }
            final String name = prefix + e.getKey();
            if (field.isMapField()) {
                expect(name, e.getValue(), e.getValue().isObject(), "a JSON object");
            } else if (field.isRepeated()) {
                expect(name, e.getValue(), e.getValue().isArray(), "an array");
                for (int i = 0; i < e.getValue().size(); i++) {
                    value(field, e.getValue().get(i), name + '[' + i + ']');
                }
            } else {
                value(field, e.getValue(), name);
            }
        }
    }

    private static void value(FieldDescriptor field, JsonNode v, String name) throws InvalidProtocolBufferException {
        switch (field.getJavaType()) {
            case STRING, BYTE_STRING -> expect(name, v, v.isTextual(), "a string");
            case BOOLEAN -> expect(name, v, v.isBoolean(), "true or false");
            case INT, FLOAT, DOUBLE -> expect(name, v, v.isNumber(), "a number");
            case LONG -> expect(name, v, v.isNumber() || v.isTextual(), "a number");
            case ENUM -> expect(name, v, v.isTextual() || v.isIntegralNumber(), "one of the names listed in docs/api.md");
            case MESSAGE -> {
                final Descriptor nested = field.getMessageType();
                if (!nested.getFullName().startsWith("google.protobuf.")) {
                    expect(name, v, v.isObject(), "a JSON object");
                    check(nested, v, name + '.');
                }
            }
        }
    }

    private static void expect(String name, JsonNode value, boolean ok, String expected)
            throws InvalidProtocolBufferException {
        if (!ok) {
            final String shown = value.isContainerNode() ? (value.isArray() ? "an array" : "an object")
                                                         : value.toString();
            // Read by BodyErrors as every unreadable body is: INVALID_ARGUMENT, "body: ...".
            throw new InvalidProtocolBufferException(
                    name + ": " + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + " (expected: "
                    + expected + ')');
        }
    }

    private static @Nullable FieldDescriptor field(Descriptor type, String jsonName) {
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJsonName().equals(jsonName) || f.getName().equals(jsonName)) {
                return f;
            }
        }
        return null;
    }
}
