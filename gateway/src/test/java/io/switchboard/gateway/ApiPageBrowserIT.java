package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;

/**
 * The API page in a real browser: headless Chromium, driven over its DevTools protocol, opens
 * SendDtmf on {@code /docs} with a sandbox session's id, presses SUBMIT, and the tone reaches
 * the sandbox; then SUBMIT on {@code POST /validate} shows its decisions; the page asks nothing
 * of any host but the gateway. Needs Chromium
 * ({@code chromium}, {@code chromium-browser} or {@code google-chrome} on PATH, or
 * {@code SWITCHBOARD_CHROMIUM}); without it the test is reported as skipped, with the reason.
 */
class ApiPageBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path profile;

    @Test
    void submitOnSendDtmfReachesTheSandboxAndOnValidateShowsDecisions() throws Exception {
        final Path chromium = chromium();
        if (chromium == null) {
            System.err.println("ApiPageBrowserIT: SKIPPED, no Chromium found (Debian: apt-get install chromium; or set "
                               + "SWITCHBOARD_CHROMIUM): the API page was not tried in a browser");
        }
        Assumptions.assumeTrue(chromium != null, "no Chromium on PATH (apt-get install chromium)");

        try (Gateway gateway = Gateway.builder(GatewayFixture.baseConfig()).simulator(GatewayFixture.simulator()).start()) {
            final BlockingWebClient http = WebClient.of(gateway.uri()).blocking();
            final String session = JSON.readTree(http.post("/sandbox/v1/sessions", "").contentUtf8())
                                       .get("sessionId").asText();
            final Process browser = new ProcessBuilder(chromium.toString(), "--headless=new", "--no-sandbox",
                                                       "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                                                       "--remote-debugging-port=0",
                                                       "--user-data-dir=" + profile, "about:blank")
                    .redirectErrorStream(true).start();
            try (DevTools page = DevTools.connect(browser)) {
                page.call("Network.enable", JSON.createObjectNode());
                final String body = "{\"sessionId\":\"" + session + "\",\"tones\":\"9\"}";
                page.call("Page.navigate", JSON.createObjectNode().put("url", gateway.uri()
                        + "/docs/#/methods/switchboard.v1.CallControl/SendDtmf/POST?debug_form_is_open=true&request_body="
                        + URLEncoder.encode(body, StandardCharsets.UTF_8)));
                // Wait for the page to render its form, then press SUBMIT.
                final String clicked = page.await(Duration.ofSeconds(30), """
                        (() => {
                          const submit = [...document.querySelectorAll('button')]
                              .find(b => b.textContent.trim().toLowerCase() === 'submit');
                          if (!submit) return null;
                          submit.click();
                          return 'clicked';
                        })()""");
                assertThat(clicked).as("a SUBMIT button on the page").isEqualTo("clicked");
                final String answer = page.await(Duration.ofSeconds(20), """
                        (() => document.body.innerText.includes('tonesSent') ? document.body.innerText : null)()""");
                assertThat(answer).as("the answer shown on the page").contains("tonesSent").contains("\"9\"");

                final JsonNode events = JSON.readTree(http.get("/sandbox/v1/sessions/" + session + "/events").contentUtf8())
                                            .path("events");
                assertThat(events).extracting(e -> e.path("tone").asText()).containsExactly("9");
                // SUBMIT on POST /validate, the page's REST form.
                final String contacts = "[{\"phoneNumber\":\"+14155550100\"}]";
                page.call("Page.navigate", JSON.createObjectNode().put("url", gateway.uri()
                        + "/docs/#/methods/io.switchboard.gateway.internal.ValidateRoute/validate/POST"
                        + "?debug_form_is_open=true&request_body=" + URLEncoder.encode(contacts, StandardCharsets.UTF_8)));
                assertThat(page.await(Duration.ofSeconds(30), """
                        (() => {
                          if (document.body.innerText.includes('tonesSent')) return null; // the last page still
                          const submit = [...document.querySelectorAll('button')]
                              .find(b => b.textContent.trim().toLowerCase() === 'submit');
                          if (!submit) return null;
                          submit.click();
                          return 'clicked';
                        })()""")).as("a SUBMIT button on /validate's page").isEqualTo("clicked");
                final String scrubbed = page.await(Duration.ofSeconds(20), """
                        (() => document.body.innerText.includes('decisions') ? document.body.innerText : null)()""");
                assertThat(scrubbed).as("/validate's answer shown on the page").contains("decisions")
                                    .contains("+14155550100").contains("\"total\"");

                assertThat(page.requestedUrls()).as("every request the page made").isNotEmpty()
                                                .allSatisfy(url -> assertThat(url).matches(
                                                        "(" + Pattern.quote(gateway.uri().toString()) + "/|data:|blob:).*"));
            } finally {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Returns the browser to use, or null. */
    private static Path chromium() {
        final String configured = System.getenv("SWITCHBOARD_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return GatewayFixture.onPath("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    }

    /** One page of a browser, over the DevTools protocol's WebSocket. */
    private static final class DevTools implements AutoCloseable, WebSocket.Listener {

        private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");

        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final List<String> urls = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;
        private HttpClient client;

        static DevTools connect(Process browser) throws Exception {
            final BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                                                                                StandardCharsets.UTF_8));
            // Read on a thread of its own, to the end, so that neither a silent browser nor a full
            // pipe can hang the test.
            final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> out.lines().forEach(lines::add));
            final List<String> seen = new ArrayList<>();
            String endpoint = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (endpoint == null && System.nanoTime() < deadline) {
                final String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                seen.add(line);
                final Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    endpoint = m.group(1);
                }
            }
            assertThat(endpoint).as("Chromium's DevTools endpoint; it printed: " + seen).isNotNull();
            final URI browserUri = URI.create(endpoint);
            final HttpClient client = HttpClient.newHttpClient();
            final DevTools devTools = new DevTools();
            devTools.client = client;
            final JsonNode targets = JSON.readTree(client.send(HttpRequest.newBuilder(
                    URI.create("http://" + browserUri.getAuthority() + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String pageSocket = null;
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    pageSocket = t.path("webSocketDebuggerUrl").asText();
                }
            }
            assertThat(pageSocket).as("a page in " + targets).isNotNull();
            devTools.socket = client.newWebSocketBuilder().buildAsync(URI.create(pageSocket), devTools)
                                    .get(10, TimeUnit.SECONDS);
            return devTools;
        }

        JsonNode call(String method, ObjectNode params) throws Exception {
            final int id = ids.incrementAndGet();
            final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            final ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", params);
            socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
            final JsonNode result = answer.get(30, TimeUnit.SECONDS);
            assertThat(result.has("error")).as(method + ": " + result).isFalse();
            return result.path("result");
        }

        /** Evaluates {@code expression} until it yields a string, or {@code limit} passes (then null). */
        String await(Duration limit, String expression) throws Exception {
            final long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                final JsonNode value = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                                                                    .put("returnByValue", true))
                        .path("result").path("value");
                if (value.isTextual()) {
                    return value.asText();
                }
                Thread.sleep(200);
            }
            return null;
        }

        List<String> requestedUrls() {
            return List.copyOf(urls);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    final JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        final CompletableFuture<JsonNode> answer = pending.remove(message.path("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    } else if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                        urls.add(message.path("params").path("request").path("url").asText());
                    }
                } catch (Exception e) {
                    pending.values().forEach(p -> p.completeExceptionally(e));
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
            client.close();
        }
    }
}
