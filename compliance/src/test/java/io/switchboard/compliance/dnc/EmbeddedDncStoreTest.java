package io.switchboard.compliance.dnc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDncStoreTest {

    private static final long A = 14155552671L;
    private static final long B = 14155552672L;
    private static final long C = 442079460958L;

    @TempDir
    Path dir;

    @Test
    void addsChecksAndRemovesInBatches() {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.add(new long[] {A, B, A})).isEqualTo(2);
            assertThat(store.contains(new long[] {A, B, C})).containsExactly(true, true, false);
            assertThat(store.remove(new long[] {B, C})).isEqualTo(1);
            assertThat(store.contains(new long[] {A, B})).containsExactly(true, false);
            assertThat(store.size()).isEqualTo(1);
        }
    }

    @Test
    void everyAcknowledgedChangeSurvivesAReopen() {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            store.add(new long[] {A, B, C});
            store.remove(new long[] {B});
        }
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.contains(new long[] {A, B, C})).containsExactly(true, false, true);
        }
    }

    @Test
    void aTornJournalTailIsCutOffAndTheRestKept() throws IOException {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            store.add(new long[] {A, B});
        }
        final Path journal = dir.resolve("numbers.journal");
        final long whole = Files.size(journal);
        // A crash in the middle of the next record: its op, its count, half a number.
        Files.write(journal, new byte[] {1, 0, 0, 0, 2, 0, 0, 0, 1}, StandardOpenOption.APPEND);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.contains(new long[] {A, B})).containsExactly(true, true);
            assertThat(Files.size(journal)).isEqualTo(whole);
            store.add(new long[] {C});
        }
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.contains(new long[] {A, B, C})).containsExactly(true, true, true);
        }
    }

    @Test
    void aCorruptRecordEndsTheReplay() throws IOException {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            store.add(new long[] {A});
            store.add(new long[] {B});
        }
        final Path journal = dir.resolve("numbers.journal");
        final byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length - 6] ^= 0x40; // a bit flipped in the second record's number
        Files.write(journal, bytes);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.contains(new long[] {A, B})).containsExactly(true, false);
        }
    }

    @Test
    void compactionKeepsEverythingAndEmptiesTheJournal() throws IOException {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            store.add(new long[] {A, B, C});
            store.remove(new long[] {A});
            store.compact();
            assertThat(Files.size(dir.resolve("numbers.journal"))).isZero();
            store.add(new long[] {A});
        }
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.contains(new long[] {A, B, C})).containsExactly(true, true, true);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void lookupsGoOnWhileCompactionWritesTheSnapshot() throws Exception {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            store.add(new long[] {A, B});
            // A snapshot of a few MB: more than the writer's buffer and the pipe's hold.
            final java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            store.add(random.longs(500_000, 10_000_000_000L, 20_000_000_000L).toArray());
            // The snapshot goes to numbers.snapshot.tmp first: as a named pipe, its writer waits
            // there, mid-snapshot, for as long as this test does not read it.
            final Path pipe = dir.resolve("numbers.snapshot.tmp");
            assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor())
                    .as("mkfifo (coreutils) makes the pipe").isZero();
            final CompletableFuture<Void> compaction = CompletableFuture.runAsync(store::compact);
            final CompletableFuture<boolean[]> lookup = new CompletableFuture<>();
            try (java.io.InputStream in = Files.newInputStream(pipe)) {
                assertThat(in.read()).as("the snapshot has begun").isNotNegative();
                // The compaction is now blocked writing: a lookup from another thread.
                Thread.ofPlatform().start(() -> lookup.complete(store.contains(new long[] {A, B, C})));
                try {
                    assertThat(lookup.get(30, TimeUnit.SECONDS)).containsExactly(true, true, false);
                } finally {
                    in.readAllBytes();
                }
            }
            // A pipe cannot be flushed to disk, so that compaction fails, and changes nothing.
            assertThatThrownBy(compaction::join).hasRootCauseInstanceOf(IOException.class);
            Files.delete(pipe);
            store.add(new long[] {C});
            store.compact();
        }
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThat(store.contains(new long[] {A, B, C})).containsExactly(true, true, true);
        }
    }

    @Test
    void oneProcessAtATime() {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir)) {
            assertThatThrownBy(() -> EmbeddedDncStore.open(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is held by another process");
        }
        EmbeddedDncStore.open(dir).close();
    }
}
