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

import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.EmbeddedListStore;
import io.switchboard.compliance.dnc.ListStore;
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
    void aListOtherThanTheSeedsTakesItsScopeKindExpiryAndPublicationDate() throws Exception {
        final Path csv = dir.resolve("registry.csv");
        Files.writeString(csv, "+14155552671\n+14155552672\n");
        final String data = dir.resolve("data").toString();
        final StringWriter refused = new StringWriter();
        assertThat(run(refused, "dnc", "sync", "--source", csv.toString(), "--to", "store", "--kind", "registry",
                       "--data-dir", data)).isEqualTo(2);
        assertThat(refused.toString()).contains("--refreshed-at: missing");
        final StringWriter out = new StringWriter();
        assertThat(run(out, "dnc", "sync", "--source", csv.toString(), "--to", "store", "--scope", "campaign:c1",
                       "--kind", "registry", "--refreshed-at", "2026-11-15T00:00:00Z", "--expires",
                       "2026-12-31T00:00:00Z", "--data-dir", data)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("list campaign:c1/registry: published 2026-11-15T00:00:00Z");
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir.resolve("data").resolve("dnc"));
             EmbeddedListStore lists = new EmbeddedListStore(dir.resolve("data").resolve("dnc"), store)) {
            final DncList list = new DncList("campaign:c1", DncList.Kind.REGISTRY);
            assertThat(store.contains(new long[] {14155552671L})).containsExactly(false);
            assertThat(lists.contains(List.of(list), new long[] {14155552671L, 14155552673L}).join()[0])
                    .containsExactly(true, false);
            assertThat(lists.expiries(List.of(list), List.of(new long[] {14155552671L})).join().get(0))
                    .containsEntry(14155552671L, Instant.parse("2026-12-31T00:00:00Z"));
            assertThat(lists.lists()).contains(new ListStore.ListInfo(list, Instant.parse("2026-11-15T00:00:00Z"), true));
        }
    }
}
