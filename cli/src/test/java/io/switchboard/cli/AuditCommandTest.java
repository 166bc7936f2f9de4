package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;
import picocli.CommandLine;

class AuditCommandTest {

    @TempDir
    Path dir;

    private int verify(StringWriter out, String... args) {
        final CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void passesAnIntactTrailAndNamesTheLineAfterAnEdit() throws Exception {
        final Path file = dir.resolve("audit.jsonl");
        try (AuditTrail trail = AuditTrail.open(file)) {
            for (int i = 0; i < 3; i++) {
                trail.append(new AuditRecord(Instant.now(), "call_control", "mute", "OK", "c", "p", null, 5, "r", null,
                                             "desk", null)).join();
            }
        }
        final StringWriter ok = new StringWriter();
        assertThat(verify(ok, "audit", "verify", file.toString())).isZero();
        assertThat(ok.toString()).contains("intact, 3 lines checked");

        final List<String> lines = Files.readAllLines(file);
        lines.set(1, lines.get(1).replace("\"actor\":\"desk\"", "\"actor\":\"someone-else\""));
        Files.write(file, lines);
        final StringWriter broken = new StringWriter();
        assertThat(verify(broken, "audit", "verify", file.toString())).isEqualTo(1);
        assertThat(broken.toString()).contains("BROKEN at line 2");
    }

    @Test
    void readsTheDataDirectorysTrailByDefault() {
        final StringWriter out = new StringWriter();
        assertThat(verify(out, "audit", "verify", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("audit.jsonl: no such file");
    }
}
