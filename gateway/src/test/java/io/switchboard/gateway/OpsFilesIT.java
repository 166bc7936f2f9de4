package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;

import io.switchboard.gateway.config.GatewayConfig;

/**
 * The operators' files in {@code ops/} use only metrics that a gateway exports: a gateway on the
 * sandbox is driven through a command, a scrub, an attempt and an IVR flow (and one on Redis is
 * scraped for the Redis settings' gauges), and every metric the
 * alert rules and the dashboard name must be on its {@code /metrics}. The rules are also checked
 * with {@code promtool} when it is installed.
 */
class OpsFilesIT {

    private static final Path OPS = Path.of("..", "ops");
    private static final Path RULES = OPS.resolve("prometheus/switchboard.rules.yml");
    private static final Path DASHBOARD = OPS.resolve("grafana/switchboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bswitchboard_[a-z0-9_]+\\b");

    private static Set<String> exported;

    @BeforeAll
    static void scrapeADrivenGateway() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            assertThat(f.post("/v1/sessions/" + session + "/dtmf", "{\"tones\":\"1\"}").status()).isEqualTo(HttpStatus.OK);
            assertThat(f.post("/validate", "[{\"phoneNumber\":\"+14155550100\"}]").status()).isEqualTo(HttpStatus.OK);
            assertThat(f.post("/v1/attempts", "{\"phoneNumber\":\"+13055550100\",\"campaignId\":\"c1\"}").status())
                    .isEqualTo(HttpStatus.OK);
            final String call = GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/cxone/calls",
                                                                        "{\"answers\":[\"100\"]}")).get("callId").asText();
            final AggregatedHttpResponse started = f.post("/v1/calls/" + call + "/flows",
                                                          "{\"flow\":\"outbound-verification\"}");
            assertThat(started.status()).isEqualTo(HttpStatus.CREATED);
            final String run = GatewayFixture.json(started).get("runId").asText();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> "ended".equals(
                    GatewayFixture.json(f.rest.get("/v1/flow-runs/" + run)).get("state").asText()));
            // A registry copy, so that its age is exported; readiness asked, so that it is read.
            final AggregatedHttpResponse imported = f.rest.execute(
                    com.linecorp.armeria.common.HttpRequest.builder()
                            .post("/v1/dnc/import?kind=registry&refreshedAt="
                                  + java.time.Instant.now().minus(java.time.Duration.ofDays(1)))
                            .content(com.linecorp.armeria.common.MediaType.CSV_UTF_8, "phoneNumber\n+14155550199\n")
                            .build());
            assertThat(imported.status()).as(imported.contentUtf8()).isEqualTo(HttpStatus.OK);
            assertThat(f.rest.get("/health/ready").status()).isEqualTo(HttpStatus.OK);
            // Registry ages are measured every 5 s.
            final String[] scraped = new String[1];
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                scraped[0] = f.rest.get("/metrics").contentUtf8();
                return scraped[0].contains("switchboard_dnc_registry_age_seconds{");
            });
            exported = new TreeSet<>(names(scraped[0]));
        }
        // A gateway on Redis exports the Redis settings' gauges as well.
        try (io.switchboard.core.testing.TestRedis redis = io.switchboard.core.testing.TestRedis.start();
             GatewayFixture f = new GatewayFixture(c -> c.withRedis(new GatewayConfig.Redis(redis.uri(), "sharded")))) {
            exported.addAll(names(f.rest.get("/metrics").contentUtf8()));
        }
        assertThat(exported).contains("switchboard_dnc_redis_noeviction", "switchboard_dnc_redis_compact_sets");
    }

    private static Set<String> names(String metrics) {
        final Set<String> out = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line.split("[{ ]", 2)[0]);
            }
        }
        return out;
    }

    @Test
    void everyAlertRuleIsCompleteAndUsesExportedMetrics() throws Exception {
        final JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
        final List<String> alerts = new ArrayList<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                final String alert = rule.path("alert").asText();
                alerts.add(alert);
                assertThat(alert).as("alert name").matches("Switchboard[A-Za-z]+");
                assertThat(rule.path("labels").path("severity").asText()).as(alert + " severity")
                                                                         .isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(alert + " summary").isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(alert + " description").isNotBlank();
                assertThat(metricsIn(rule.path("expr").asText())).as(alert + " uses a gateway metric").isNotEmpty()
                                                                 .allSatisfy(m -> assertThat(exported).as(alert)
                                                                                                      .contains(m));
            }
        }
        assertThat(alerts).doesNotHaveDuplicates()
                          .contains("SwitchboardNotReady", "SwitchboardCircuitBreakerOpen", "SwitchboardTokenFailures",
                                    "SwitchboardDncStoreUnavailable", "SwitchboardScrubDncUnavailable",
                                    "SwitchboardAuditWriteFailures", "SwitchboardFlowFailures");
    }

    @Test
    void promtoolAcceptsTheRulesWhenInstalled() throws Exception {
        final Path promtool = GatewayFixture.onPath("promtool");
        if (promtool == null) {
            System.err.println("OpsFilesIT: SKIPPED promtool check, promtool is not installed (Debian: apt-get install "
                               + "prometheus); the rules were checked by this suite's own reading only");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus)");
        final Path out = Files.createTempFile("promtool", ".txt");
        final Process p = new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        final boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("promtool ends").isTrue();
        assertThat(p.exitValue()).as(Files.readString(out)).isZero();
    }

    @Test
    void everyDashboardQueryUsesExportedMetrics() throws Exception {
        final JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("title").asText()).isEqualTo("Switchboard");
        final List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.get("panels"), panels);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode panel : panels) {
            final String title = panel.path("title").asText();
            assertThat(title).as("panel title").isNotBlank();
            assertThat(panel.path("targets")).as(title + " queries").isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(metricsIn(target.path("expr").asText())).as(title + " uses a gateway metric").isNotEmpty()
                                                                   .allSatisfy(m -> assertThat(exported).as(title)
                                                                                                        .contains(m));
                assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            }
        }
    }

    private static void collectPanels(JsonNode list, List<JsonNode> into) {
        for (JsonNode panel : list) {
            if ("row".equals(panel.path("type").asText())) {
                collectPanels(panel.path("panels"), into);
            } else {
                into.add(panel);
            }
        }
    }

    private static Set<String> metricsIn(String expr) {
        final Set<String> found = new TreeSet<>();
        final Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
