package io.switchboard.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.switchboard.core.Durations;

/**
 * Loads a {@link GatewayConfig}: defaults, then the YAML file if one is given, then the
 * environment variables below. Command-line flags are applied on top by the caller.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@code SWITCHBOARD_DATA_DIR}</td><td>dataDir</td></tr>
 *   <tr><td>{@code SWITCHBOARD_REDIS_URL}</td><td>redis.url</td></tr>
 *   <tr><td>{@code SWITCHBOARD_REDIS_LAYOUT}</td><td>redis.layout</td></tr>
 *   <tr><td>{@code GENESYS_CLOUD_REGION}</td><td>genesys.region</td></tr>
 *   <tr><td>{@code GENESYS_SUBDOMAIN}</td><td>genesys.subdomain</td></tr>
 *   <tr><td>{@code GENESYS_CLIENT_ID}, {@code GENESYS_CLIENT_SECRET} (or {@code GENESYS_CLOUD_CLIENT_ID},
 *       {@code GENESYS_CLOUD_CLIENT_SECRET}; the former win)</td><td>genesys.clientId, clientSecret</td></tr>
 *   <tr><td>{@code GENESYS_OAUTH_URL}</td><td>genesys.oauthUrl</td></tr>
 *   <tr><td>{@code GENESYS_CALLCONTROL_TARGET}</td><td>genesys.callControlTarget</td></tr>
 * </table>
 */
public final class ConfigLoader {

    /** Applied in this order, so that a later variable wins over an earlier one for the same setting. */
    private static final List<Map.Entry<String, String>> ENVIRONMENT = List.of(
            Map.entry("SWITCHBOARD_DATA_DIR", "dataDir"),
            Map.entry("SWITCHBOARD_REDIS_URL", "redis.url"),
            Map.entry("SWITCHBOARD_REDIS_LAYOUT", "redis.layout"),
            Map.entry("SWITCHBOARD_RECORDING_WEBHOOK_URL", "recordingSync.url"),
            Map.entry("SWITCHBOARD_RECORDING_WEBHOOK_SECRET", "recordingSync.secret"),
            Map.entry("GENESYS_CLOUD_REGION", "genesys.region"),
            Map.entry("GENESYS_CLOUD_CLIENT_ID", "genesys.clientId"),
            Map.entry("GENESYS_CLOUD_CLIENT_SECRET", "genesys.clientSecret"),
            Map.entry("GENESYS_SUBDOMAIN", "genesys.subdomain"),
            Map.entry("GENESYS_CLIENT_ID", "genesys.clientId"),
            Map.entry("GENESYS_CLIENT_SECRET", "genesys.clientSecret"),
            Map.entry("GENESYS_OAUTH_URL", "genesys.oauthUrl"),
            Map.entry("GENESYS_CALLCONTROL_TARGET", "genesys.callControlTarget"),
            Map.entry("CXONE_TENANT", "cxone.tenant"),
            Map.entry("CXONE_BASE_URL", "cxone.baseUrl"),
            Map.entry("CXONE_CLIENT_ID", "cxone.clientId"),
            Map.entry("CXONE_CLIENT_SECRET", "cxone.clientSecret"));

    private final ObjectMapper yaml;

    /** Creates a loader. */
    public ConfigLoader() {
        final SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return Durations.parse(p.getValueAsString(""));
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage(), e);
                }
            }
        });
        durations.addDeserializer(LocalTime.class, new JsonDeserializer<>() {
            @Override
            public LocalTime deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                final String text = p.getValueAsString("");
                try {
                    return LocalTime.parse(text);
                } catch (DateTimeParseException e) {
                    throw JsonMappingException.from(p, "\"" + text + "\" (expected: a time of day, e.g. 08:00)", e);
                }
            }
        });
        yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * Loads the configuration.
     *
     * @param file the YAML file, or {@code null} for none
     * @param env the environment, usually {@link System#getenv()}
     * @throws ConfigException naming the file, the field and what was expected
     */
    public GatewayConfig load(@Nullable Path file, Map<String, String> env) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        final String source = file != null ? file.toString() : "environment";
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(file + ": no such file");
            }
            try {
                final JsonNode read = yaml.readTree(file.toFile());
                if (read != null && !read.isMissingNode() && !read.isNull()) {
                    if (!read.isObject()) {
                        throw new ConfigException(file + ": (expected: a YAML mapping at the top level)");
                    }
                    tree = (ObjectNode) read;
                }
            } catch (JsonProcessingException e) {
                throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage()
                                          + location(e));
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot read: " + e.getMessage());
            }
        }
        for (Map.Entry<String, String> e : ENVIRONMENT) {
            final String value = env.get(e.getKey());
            if (value != null && !value.isBlank()) {
                put(tree, e.getValue(), value.trim());
            }
        }
        try {
            return yaml.treeToValue(tree, GatewayConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": " + path(e) + ": unknown setting (expected one of: "
                                      + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                                         .collect(Collectors.joining(", ")) + ')');
        } catch (JsonMappingException e) {
            final Throwable cause = e.getCause();
            final String message = cause instanceof IllegalArgumentException && cause.getMessage() != null
                                   ? cause.getMessage() : e.getOriginalMessage();
            throw new ConfigException(source + ": " + path(e) + ": " + message);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
    }

    private static void put(ObjectNode tree, String dottedPath, String value) {
        final String[] parts = dottedPath.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            final JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ')' : "";
    }

    /** Reports a configuration that cannot be used; the message says where and why. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }
}
