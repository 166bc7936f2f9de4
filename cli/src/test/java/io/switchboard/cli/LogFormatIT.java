package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The built CLI, run as a process: results on standard output and nothing else; logs on
 * standard error, JSON lines when it is not a terminal, readable lines with
 * {@code --log-format text}; a bad {@code SWITCHBOARD_LOG_FORMAT} refused by name.
 */
class LogFormatIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {}

    private Run run(Map<String, String> env, String... args) throws Exception {
        final Path jar = Path.of("target", "switchboard.jar").toAbsolutePath();
        assertThat(jar).as("the CLI jar is built in the package phase, before integration tests").exists();
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                                                                 .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("SWITCHBOARD_LOG_FORMAT");
        pb.environment().remove("SWITCHBOARD_LOG_LEVEL"); // the INFO lines are what is checked
        pb.environment().putAll(env);
        final Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the command ends").isTrue();
        return new Run(p.exitValue(), read("out.txt"), read("err.txt"));
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void resultsOnStdoutAndJsonLogsOnStderrWhenNotATerminal() throws Exception {
        final Run r = run(Map.of(), "dnc", "stats", "--data-dir", dir.resolve("data").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("store:", "numbers:").doesNotContain("{");
        final List<String> logs = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(logs).isNotEmpty().allSatisfy(line -> {
            assertThat(JSON.readTree(line).path("message").asText()).as(line).isNotEmpty();
        });
    }

    @Test
    void readableLogsWhenAskedForText() throws Exception {
        final Run r = run(Map.of(), "dnc", "stats", "--log-format", "text", "--data-dir", dir.resolve("data").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("store:").doesNotContain("{");
        final List<String> logs = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertThat(logs).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotStartWith("{")
                                                                          .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\w+ +.*"));
        assertThat(r.err()).contains("INFO  EmbeddedDncStore: DNC store");
    }

    @Test
    void theEnvironmentChoosesTooAndABadValueIsRefusedByName() throws Exception {
        final Run text = run(Map.of("SWITCHBOARD_LOG_FORMAT", "text"), "dnc", "stats", "--data-dir",
                             dir.resolve("data").toString());
        assertThat(text.err()).contains("INFO  EmbeddedDncStore: DNC store");

        final Run bad = run(Map.of("SWITCHBOARD_LOG_FORMAT", "yaml"), "dnc", "stats", "--data-dir",
                            dir.resolve("data").toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("SWITCHBOARD_LOG_FORMAT: \"yaml\" (expected: text or json)");

        final Run badFlag = run(Map.of(), "dnc", "stats", "--log-format", "yaml", "--data-dir",
                                dir.resolve("data").toString());
        assertThat(badFlag.status()).isEqualTo(2);
        assertThat(badFlag.err()).contains("--log-format").contains("yaml");
    }
}
