package io.switchboard.cli;

import static io.switchboard.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/** {@code switchboard dnc import|add|remove|check|stats}: straight on a data directory, and through a gateway. */
class DncStoreCommandsTest {

    @TempDir
    Path dir;

    private Path csv() throws Exception {
        final Path csv = dir.resolve("dnc.csv");
        Files.writeString(csv, "phone_number,reason,source\n+14155552671,a,web\nnope,b,web\n\"(415) 555-2672\",c,call\n"
                               + "+1415555267,d,web\n+14155552671,e,web\n");
        return csv;
    }

    @Test
    void worksStraightOnTheDataDirectory() throws Exception {
        final String data = dir.resolve("data").toString();
        final String imported = run(0, "dnc", "import", csv().toString(), "--data-dir", data);
        assertThat(imported).contains("completed: 5 rows, 2 valid, 2 rejected, 1 duplicates")
                            .contains("line 3: phone_number: \"nope\"")
                            .contains("line 5: phone_number: \"+1415555267\"");

        assertThat(run(0, "dnc", "add", "+1 212 555 0100", "--data-dir", data)).contains("added 1 of 1 numbers");
        final String refused = run(1, "dnc", "add", "+12125550101", "12", "--data-dir", data);
        assertThat(refused).contains("NUMBER[2]: \"12\"").contains("nothing was changed");

        final String checked = run(0, "dnc", "check", "(415) 555-2672", "+12125550101", "--data-dir", data);
        assertThat(checked).containsPattern("\\+14155552672 +listed").containsPattern("\\+12125550101 +not listed");
        assertThat(run(0, "dnc", "remove", "+14155552672", "--data-dir", data)).contains("removed 1 of 1 numbers");
        assertThat(run(0, "dnc", "stats", "--data-dir", data)).containsPattern("numbers: +2");
    }

    /** A registry's copy as published: area code and number, or one number a line, gzip-compressed. */
    private Path registryGz(String name, String content) throws Exception {
        final Path gz = dir.resolve(name);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return gz;
    }

    @Test
    void readsARegistrysPlainFormatsCompressedStraightAndThroughAGateway() throws Exception {
        final Path twoColumns = registryGz("registry.csv.gz", "201,2345678\n415,5552671\n415,555267\n");
        final Path oneALine = registryGz("numbers.txt.gz", "2125550100\n12125550101\n");
        final String data = dir.resolve("data").toString();
        assertThat(run(0, "dnc", "import", twoColumns.toString(), "--kind", "registry", "--refreshed-at",
                       java.time.Instant.now().toString(), "--data-dir", data))
                .contains("completed: 3 rows, 2 valid, 1 rejected, 0 duplicates")
                .contains("line 3: phone_number: \"415555267\"");
        assertThat(run(0, "dnc", "import", oneALine.toString(), "--data-dir", data))
                .contains("completed: 2 rows, 2 valid, 0 rejected");
        assertThat(run(0, "dnc", "check", "+12012345678", "+14155552671", "+12125550101", "+12125550102",
                       "--data-dir", data))
                .containsPattern("\\+12012345678 +listed").containsPattern("\\+14155552671 +listed")
                .containsPattern("\\+12125550101 +listed").containsPattern("\\+12125550102 +not listed");

        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(dir.resolve("data2"))).simulator(new io.switchboard.gateway.Simulator(io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT, sb -> io.switchboard.sandbox.Sandbox.builder().build().mountOn(sb), io.switchboard.sandbox.Sandbox.PLATFORM_PATHS)).start()) {
            final String url = gateway.uri().toString();
            assertThat(run(0, "dnc", "import", twoColumns.toString(), "--gateway", url))
                    .contains("completed: 3 rows, 2 valid, 1 rejected, 0 duplicates");
            assertThat(run(0, "dnc", "check", "+12012345678", "--gateway", url))
                    .containsPattern("\\+12012345678 +listed");
        }
    }

    @Test
    void replaceSwapsARegistryListForItsNewCopyStraightAndThroughAGateway() throws Exception {
        final Path v1 = registryGz("v1.csv.gz", "201,2345678\n415,5552671\n");
        final Path v2 = registryGz("v2.txt.gz", "4155552671\n2125550100\n2125550101\n");
        final String published = java.time.Instant.now().minus(Duration.ofDays(3)).toString();
        final String data = dir.resolve("data").toString();
        run(0, "dnc", "import", v1.toString(), "--kind", "registry", "--refreshed-at", published, "--data-dir", data);
        assertThat(run(0, "dnc", "import", v2.toString(), "--kind", "registry", "--refreshed-at",
                       java.time.Instant.now().toString(), "--replace", "--data-dir", data))
                .contains("completed: 3 rows, 3 valid").contains("list global/registry: replaced by a version of 3 numbers");
        assertThat(run(0, "dnc", "check", "+12012345678", "+14155552671", "+12125550100", "--data-dir", data))
                .containsPattern("\\+12012345678 +not listed").containsPattern("\\+14155552671 +listed")
                .containsPattern("\\+12125550100 +listed");
        assertThat(run(2, "dnc", "import", v2.toString(), "--replace", "--data-dir", data))
                .contains("--replace: (expected: only with --kind registry");
        // A copy of less than half the list, or of nothing, is taken for a wrong file.
        final Path one = registryGz("one.txt.gz", "4155552671\n");
        final Path none = registryGz("none.txt.gz", "phone_number\n");
        final String now = java.time.Instant.now().toString();
        assertThat(run(1, "dnc", "import", one.toString(), "--kind", "registry", "--refreshed-at", now, "--replace",
                       "--data-dir", data)).contains("fewer than half the current version's 3").contains("--allow-shrink");
        assertThat(run(1, "dnc", "import", none.toString(), "--kind", "registry", "--refreshed-at", now, "--replace",
                       "--allow-shrink", "--data-dir", data)).contains("the new version holds no numbers");
        assertThat(run(0, "dnc", "check", "+12125550101", "--data-dir", data)).containsPattern("\\+12125550101 +listed");
        assertThat(run(0, "dnc", "import", one.toString(), "--kind", "registry", "--refreshed-at", now, "--replace",
                       "--allow-shrink", "--data-dir", data)).contains("replaced by a version of 1 numbers");
        assertThat(run(0, "dnc", "check", "+12125550101", "--data-dir", data)).containsPattern("\\+12125550101 +not listed");

        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(dir.resolve("data2"))).simulator(new io.switchboard.gateway.Simulator(io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT, sb -> io.switchboard.sandbox.Sandbox.builder().build().mountOn(sb), io.switchboard.sandbox.Sandbox.PLATFORM_PATHS)).start()) {
            final String url = gateway.uri().toString();
            run(0, "dnc", "import", v1.toString(), "--kind", "registry", "--refreshed-at", published, "--gateway", url);
            assertThat(run(0, "dnc", "import", v2.toString(), "--kind", "registry", "--refreshed-at",
                           java.time.Instant.now().toString(), "--replace", "--gateway", url))
                    .contains("list global/registry: replaced by this version");
            assertThat(run(0, "dnc", "check", "+12012345678", "+12125550101", "--gateway", url))
                    .containsPattern("\\+12012345678 +not listed").containsPattern("\\+12125550101 +listed");
        }
    }

    @Test
    void worksThroughARunningGatewayWhichHoldsTheStore() throws Exception {
        final Path data = dir.resolve("data");
        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(data)).simulator(new io.switchboard.gateway.Simulator(io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT, sb -> io.switchboard.sandbox.Sandbox.builder().build().mountOn(sb), io.switchboard.sandbox.Sandbox.PLATFORM_PATHS)).start()) {
            final String url = gateway.uri().toString();
            assertThat(run(3, "dnc", "stats", "--data-dir", data.toString()))
                    .contains("is held by another process").contains("--gateway URL");

            final String imported = run(0, "dnc", "import", csv().toString(), "--gateway", url);
            assertThat(imported).contains("completed: 5 rows, 2 valid, 2 rejected, 1 duplicates")
                                .contains("line 3: phone_number: \"nope\"");
            assertThat(run(0, "dnc", "add", "+12125550100", "--gateway", url)).contains("added 1 of 1 numbers");
            assertThat(run(1, "dnc", "add", "12", "--gateway", url)).contains("400 Bad Request")
                                                                    .contains("phoneNumbers[0]: \"12\"");
            assertThat(run(0, "dnc", "check", "+12125550100", "+12125550101", "--gateway", url))
                    .containsPattern("\\+12125550100 +listed").containsPattern("\\+12125550101 +not listed");
            assertThat(run(0, "dnc", "remove", "+12125550100", "--gateway", url)).contains("removed 1 of 1");
            assertThat(run(0, "dnc", "stats", "--gateway", url)).containsPattern("numbers: +2")
                                                                 .contains("store:     embedded");
        }
    }

    @Test
    void jsonOutputIsTheApisShapeWhetherLocalOrThroughAGateway() throws Exception {
        final Path data = dir.resolve("data");
        run(0, "dnc", "add", "+12125550100", "--data-dir", data.toString());
        run(0, "dnc", "add", "+12125550100", "--scope", "campaign:c1", "--data-dir", data.toString());
        final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        final String localCheck = run(0, "dnc", "check", "+12125550100", "+12125550101", "--output", "json",
                                      "--data-dir", data.toString());
        final String localStats = run(0, "dnc", "stats", "--output", "json", "--data-dir", data.toString());
        assertThat(localCheck.strip()).doesNotContain("\n");
        final com.fasterxml.jackson.databind.JsonNode local = json.readTree(localCheck);
        assertThat(local.path("results").get(0).path("listed").asBoolean()).isTrue();
        assertThat(local.path("results").get(0).path("lists")).extracting(l -> l.path("list").asText())
                                                              .containsExactly("global/internal", "campaign:c1/internal");
        assertThat(local.path("results").get(1).path("lists")).isEmpty();
        assertThat(json.readTree(localStats).path("numbers").asLong()).isEqualTo(1);
        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(data)).start()) {
            final String url = gateway.uri().toString();
            final com.fasterxml.jackson.databind.JsonNode remote = json.readTree(
                    run(0, "dnc", "check", "+12125550100", "+12125550101", "--output", "json", "--gateway", url));
            assertThat(remote).isEqualTo(local);
            final com.fasterxml.jackson.databind.JsonNode remoteStats = json.readTree(
                    run(0, "dnc", "stats", "--output", "json", "--gateway", url));
            assertThat(remoteStats.path("numbers")).isEqualTo(json.readTree(localStats).path("numbers"));
            assertThat(remoteStats.path("store").asText()).isEqualTo("embedded");
        }
    }
}
