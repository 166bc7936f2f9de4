package io.switchboard.compliance.dnc;

import static io.switchboard.compliance.dnc.SpreadNumbers.concat;
import static io.switchboard.compliance.dnc.SpreadNumbers.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups that run while a registry list is replaced, many times over: each sees the old
 * version or the new one whole. (A lookup that read the filter before a version was switched to
 * and the version after it once missed what the version got meanwhile; it showed within a few
 * dozen rounds.)
 */
class EmbeddedListStoreRaceTest {

    private static final DncList REGISTRY = new DncList("global", DncList.Kind.REGISTRY);

    @TempDir
    Path dir;



    @Test
    void lookupsDuringAReplacementSeeOneWholeVersion() throws Exception {
        final List<String> wrong = new CopyOnWriteArrayList<>();
        for (int round = 0; round < 150 && wrong.isEmpty(); round++) {
            final Random random = new Random(round);
            final Set<Long> taken = new HashSet<>();
            final long[] both = numbers(random, 300, taken);
            final long[] onlyOld = numbers(random, 1_000, taken);
            final long[] onlyNew = numbers(random, 1_000, taken);
            final long[] asked = concat(both, onlyOld, onlyNew);
            final Path at = Files.createDirectories(dir.resolve("round" + round));
            try (EmbeddedDncStore global = EmbeddedDncStore.open(at);
                 EmbeddedListStore lists = new EmbeddedListStore(at, global)) {
                lists.add(REGISTRY, concat(both, onlyOld), null).join();
                final AtomicBoolean stop = new AtomicBoolean();
                final java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();
                final int r = round;
                final Runnable reader = () -> {
                    while (!stop.get()) {
                        final boolean[] on;
                        try {
                            on = lists.contains(List.of(REGISTRY), asked).join()[0];
                        } catch (RuntimeException e) {
                            wrong.add("round " + r + ": a lookup failed: " + e);
                            return;
                        }
                        lookups.incrementAndGet();
                        final int[] counts = new int[3];
                        for (int i = 0; i < on.length; i++) {
                            counts[i < 300 ? 0 : i < 1_300 ? 1 : 2] += on[i] ? 1 : 0;
                        }
                        if (!(counts[0] == 300 && (counts[1] == 1_000 && counts[2] == 0
                                                   || counts[1] == 0 && counts[2] == 1_000))) {
                            wrong.add("round " + r + ": " + Arrays.toString(counts));
                        }
                    }
                };
                final List<Thread> readers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    readers.add(Thread.ofPlatform().start(reader));
                }
                final ListStore.Replacement replacement = lists.replace(REGISTRY).join();
                final long[] next = concat(both, onlyNew);
                for (int from = 0; from < next.length; from += 250) {
                    replacement.add(Arrays.copyOfRange(next, from, Math.min(next.length, from + 250))).join();
                }
                replacement.commit(Instant.now()).join();
                // A few lookups that start after the switch, then stop.
                final long after = lookups.get() + 4;
                while (lookups.get() < after && wrong.isEmpty() && readers.stream().anyMatch(Thread::isAlive)) {
                    Thread.onSpinWait();
                }
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
