package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.compliance.dnc.EmbeddedDncStore;
import picocli.CommandLine;

/** {@code switchboard dnc sync --to store}: the same pipeline, into the embedded store in the data directory. */
class DncSyncToStoreTest {

    @TempDir
    Path dir;

    private int run(StringWriter out, String... args) {
        final CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void loadsTheValidNumbersIntoTheStore() throws Exception {
        final Path csv = dir.resolve("dnc.csv");
        Files.writeString(csv, "phone_number,reason\n+14155552671,a\nnope,b\n(415) 555-2672,c\n");
        final StringWriter out = new StringWriter();
        assertThat(run(out, "dnc", "sync", "--source", csv.toString(), "--to", "store", "--data-dir",
                       dir.resolve("data").toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("completed: 3 rows, 2 valid, 1 rejected");
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir.resolve("data").resolve("dnc"))) {
            assertThat(store.contains(new long[] {14155552671L, 14155552672L, 14155552673L}))
                    .containsExactly(true, true, false);
        }
    }

    @Test
    void aStoreHeldElsewhereIsReportedNotWaitedFor() throws Exception {
        final Path csv = dir.resolve("dnc.csv");
        Files.writeString(csv, "+14155552671\n");
        try (EmbeddedDncStore held = EmbeddedDncStore.open(dir.resolve("data").resolve("dnc"))) {
            final StringWriter out = new StringWriter();
            assertThat(run(out, "dnc", "sync", "--source", csv.toString(), "--to", "store", "--data-dir",
                           dir.resolve("data").toString())).isEqualTo(1);
            assertThat(out.toString()).contains("is held by another process");
        }
    }

    @Test
    void expiryIsRefusedForTheStore() {
        final StringWriter out = new StringWriter();
        assertThat(run(out, "dnc", "sync", "--source", "x.csv", "--to", "store", "--expires", "30d")).isEqualTo(2);
        assertThat(out.toString()).contains("--expires: (expected: only with genesys:<dncListId>");
    }
}
