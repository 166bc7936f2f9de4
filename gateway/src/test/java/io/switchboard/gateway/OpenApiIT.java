package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.QueryParamsBuilder;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * {@code docs/openapi.yaml} is valid OpenAPI 3.1, is what {@code /openapi.json} serves, names
 * every REST route the gateway serves and no other, and each operation's example request, sent
 * in the document's order to a gateway on the sandbox, gets the status the document gives it
 * ({@code x-example-status}). Ids of live objects in the examples (SESSION_ID, CALL_ID, ...) are
 * replaced with the sandbox's, or with what an earlier example created.
 */
class OpenApiIT {

    private static final Path DOCUMENT = Path.of("..", "docs", "openapi.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    }

    @Test
    void isValidOpenApi31AndIsWhatTheGatewayServes() throws Exception {
        final ParseOptions options = new ParseOptions();
        options.setResolve(true);
        final SwaggerParseResult parsed = new OpenAPIParser().readContents(
                Files.readString(DOCUMENT, StandardCharsets.UTF_8), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");

        try (GatewayFixture f = new GatewayFixture()) {
            final AggregatedHttpResponse served = f.rest.get("/openapi.json");
            assertThat(served.status()).isEqualTo(HttpStatus.OK);
            assertThat(served.contentType().isJson()).isTrue();
            assertThat(JSON.readTree(served.contentUtf8())).isEqualTo(document());
        }
    }

    @Test
    void documentsEveryRouteTheGatewayServesAndNoOther() throws Exception {
        final Set<String> documented = new TreeSet<>();
        final Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").properties().iterator();
        while (paths.hasNext()) {
            final Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase(java.util.Locale.ROOT) + ' ' + normalise(path.getKey()));
                }
            });
        }
        final Set<String> served = new TreeSet<>();
        try (GatewayFixture f = new GatewayFixture()) {
            for (String route : f.gateway.routes()) {
                final String method = route.substring(0, route.indexOf(' '));
                final String pattern = route.substring(route.indexOf(' ') + 1);
                if (pattern.startsWith("/switchboard.") || pattern.startsWith("/grpc.") || pattern.startsWith("/docs")
                    || pattern.startsWith("prefix:/docs") || method.equals("OPTIONS") || method.equals("HEAD")
                    || method.equals("TRACE") || method.equals("CONNECT") || method.equals("UNKNOWN")) {
                    continue; // gRPC methods, the API page, and methods every route answers
                }
                served.add(method + ' ' + normalise(pattern));
            }
        }
        assertThat(documented).as("documented routes").containsExactlyInAnyOrderElementsOf(served);
    }

    /** A route with its parameters unnamed: {@code /v1/attempts/{}}. */
    private static String normalise(String pattern) {
        return pattern.replaceAll("^(exact|glob|regex):", "")
                      .replaceAll("\\{[^}]*}", "{}").replaceAll(":[A-Za-z_][A-Za-z0-9_]*", "{}");
    }

    @Test
    void eachExampleRequestGetsItsDocumentedStatus() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            final Map<String, String> ids = new HashMap<>();
            ids.put("SESSION_ID", f.createSession());
            final JsonNode call = GatewayFixture.json(f.sandboxAdmin.post(
                    "/sandbox/v1/genesys/conversations",
                    "{\"participants\":[{\"purpose\":\"customer\",\"state\":\"connected\"}]}"));
            ids.put("CONVERSATION_ID", call.get("conversationId").asText());
            ids.put("PARTICIPANT_ID", call.get("participants").get(0).get("id").asText());
            ids.put("CALL_ID", GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/cxone/calls",
                                                                       "{\"answers\":[\"100\"]}")).get("callId").asText());

            final List<String> mismatches = new ArrayList<>();
            int sent = 0;
            final Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").properties().iterator();
            while (paths.hasNext()) {
                final Map.Entry<String, JsonNode> path = paths.next();
                final Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().properties().iterator();
                while (operations.hasNext()) {
                    final Map.Entry<String, JsonNode> op = operations.next();
                    if (op.getKey().equals("parameters")) {
                        continue;
                    }
                    final JsonNode operation = op.getValue();
                    final String name = op.getKey().toUpperCase(java.util.Locale.ROOT) + ' ' + path.getKey();
                    assertThat(operation.has("x-example-status")).as(name + " has x-example-status").isTrue();
                    final AggregatedHttpResponse answer = f.rest.execute(request(op.getKey(), path.getKey(), operation, ids));
                    sent++;
                    final int expected = operation.path("x-example-status").asInt();
                    if (answer.status().code() != expected) {
                        mismatches.add(name + ": " + answer.status().code() + " (documented " + expected + "): "
                                       + answer.contentUtf8());
                    } else if (!operation.path("responses").has(Integer.toString(expected))) {
                        mismatches.add(name + ": its example's status " + expected + " is not among its responses");
                    }
                    remember(answer, ids);
                }
            }
            assertThat(mismatches).as("examples answered otherwise than documented").isEmpty();
            assertThat(sent).isGreaterThanOrEqualTo(30);
        }
    }

    /** Keeps the ids an answer created, for the examples after it. */
    private static void remember(AggregatedHttpResponse answer, Map<String, String> ids) throws Exception {
        if (!answer.status().isSuccess() || answer.contentType() == null || !answer.contentType().isJson()) {
            return;
        }
        final JsonNode body = JSON.readTree(answer.contentUtf8());
        if (body.path("attemptId").isTextual()) {
            ids.put("ATTEMPT_ID", body.path("attemptId").asText());
        }
        if (body.path("runId").isTextual()) {
            ids.put("RUN_ID", body.path("runId").asText());
        }
        if (body.path("id").isTextual()) {
            ids.put("OVERRIDE_ID", body.path("id").asText());
        }
    }

    private static HttpRequest request(String method, String template, JsonNode operation, Map<String, String> ids) {
        String path = template;
        final QueryParamsBuilder query = QueryParams.builder();
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.has("example")) {
                continue;
            }
            final String value = substitute(parameter.path("example").asText(), ids);
            switch (parameter.path("in").asText()) {
                case "path" -> path = path.replace('{' + parameter.path("name").asText() + '}',
                                                   java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)
                                                                      .replace("+", "%20"));
                case "query" -> query.add(parameter.path("name").asText(), value);
                default -> { }
            }
        }
        final String target = query.isEmpty() ? path : path + '?' + query.build().toQueryString();
        final var builder = HttpRequest.builder().method(HttpMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT)))
                                       .path(target);
        final JsonNode content = operation.path("requestBody").path("content");
        if (content.has("application/json")) {
            final JsonNode example = content.path("application/json").path("example");
            builder.content(MediaType.JSON_UTF_8, substitute(example.isTextual() ? example.asText() : example.toString(), ids));
        } else if (content.has("text/csv")) {
            builder.content(MediaType.CSV_UTF_8, content.path("text/csv").path("example").asText());
        }
        return builder.build();
    }

    private static String substitute(String text, Map<String, String> ids) {
        String out = text;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            out = out.replace(id.getKey(), id.getValue());
        }
        return out;
    }
}
