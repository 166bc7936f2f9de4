package io.switchboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * docs/configuration.md shows "the file, with every setting at its default". It must stay
 * true: loaded as a configuration, it equals the defaults the code states (so a documented
 * default that differs from its constant fails here), and it names every setting there is.
 */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String HEADING = "## The file, with every setting at its default";

    @TempDir
    Path dir;

    private static String documentedFile() throws IOException {
        final String doc = Files.readString(DOC);
        final int heading = doc.indexOf(HEADING);
        assertThat(heading).as("docs/configuration.md has the section '%s'", HEADING).isNotNegative();
        final int start = doc.indexOf("```yaml\n", heading) + "```yaml\n".length();
        final int end = doc.indexOf("```", start);
        return doc.substring(start, end);
    }

    @Test
    void theDocumentedDefaultsAreTheCodesDefaults() throws IOException {
        final Path file = dir.resolve("documented.yaml");
        Files.writeString(file, documentedFile());
        final GatewayConfig documented = new ConfigLoader().load(file, Map.of());
        assertThat(documented).usingRecursiveComparison().isEqualTo(GatewayConfig.defaults());
    }

    @Test
    void everySettingIsDocumented() throws IOException {
        final JsonNode documented = new ObjectMapper(new YAMLFactory()).readTree(documentedFile());
        final List<String> missing = new ArrayList<>();
        collect(GatewayConfig.class, documented, "", missing);
        assertThat(missing).as("settings missing from docs/configuration.md").isEmpty();
    }

    /** Adds to {@code missing} every component of {@code type} (and of nested config records) not in {@code node}. */
    private static void collect(Class<?> type, JsonNode node, String prefix, List<String> missing) {
        for (RecordComponent c : type.getRecordComponents()) {
            final String path = prefix + c.getName();
            if (!node.has(c.getName())) {
                missing.add(path);
                continue;
            }
            final Class<?> child = c.getType();
            if (child.isRecord() && node.get(c.getName()).isObject()) {
                collect(child, node.get(c.getName()), path + '.', missing);
            }
        }
    }
}
