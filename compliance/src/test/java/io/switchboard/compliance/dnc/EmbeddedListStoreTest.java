package io.switchboard.compliance.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded lists keep everything across a reopen: each list's numbers, entries' expiries,
 * a registry's publication date and numbers' records; a torn last line of the records file is
 * ignored.
 */
class EmbeddedListStoreTest {

    private static final DncList CAMPAIGN = new DncList("campaign:c1", DncList.Kind.INTERNAL);
    private static final DncList REGISTRY = new DncList("global", DncList.Kind.REGISTRY);
    private static final Instant END = Instant.parse("2027-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void everythingSurvivesAReopen() throws Exception {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            lists.add(CAMPAIGN, new long[] {14155550100L, 14155550101L}, END).join();
            lists.add(CAMPAIGN, new long[] {14155550101L}, null).join(); // listed again: no expiry
            lists.add(REGISTRY, new long[] {14155550102L}, null).join();
            lists.refreshed(REGISTRY, Instant.parse("2026-11-15T00:00:00Z")).join();
            // The seed's list has no expiries: removing from it is a plain removal.
            store.add(new long[] {14155550103L});
            assertThat(lists.remove(DncList.GLOBAL, new long[] {14155550103L}).join()).isEqualTo(1);
            final Map<String, @Nullable String> records = new HashMap<>();
            records.put("consent|global|ebr_purchase", "{\"type\":\"ebr_purchase\"}");
            lists.changeRecords(14155550102L, records).join();
        }
        Files.writeString(dir.resolve("lists").resolve("records"), "P\tr|1|torn", StandardCharsets.UTF_8,
                          StandardOpenOption.APPEND);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            final boolean[][] on = lists.contains(List.of(CAMPAIGN, REGISTRY, DncList.GLOBAL),
                                                  new long[] {14155550100L, 14155550101L, 14155550102L, 14155550103L})
                                        .join();
            assertThat(on[0]).containsExactly(true, true, false, false);
            assertThat(on[1]).containsExactly(false, false, true, false);
            assertThat(on[2]).containsExactly(false, false, false, false);
            assertThat(lists.expiries(List.of(CAMPAIGN), List.of(new long[] {14155550100L, 14155550101L})).join().get(0))
                    .containsExactly(Map.entry(14155550100L, END));
            assertThat(lists.lists()).contains(new ListStore.ListInfo(CAMPAIGN, null, true),
                                               new ListStore.ListInfo(REGISTRY, Instant.parse("2026-11-15T00:00:00Z"),
                                                                      false));
            assertThat(lists.records(new long[] {14155550102L, 1L}).join())
                    .containsExactly(Map.of("consent|global|ebr_purchase", "{\"type\":\"ebr_purchase\"}"), Map.of());
            assertThat(lists.size(CAMPAIGN).join()).isEqualTo(2);
            assertThat(lists.remove(CAMPAIGN, new long[] {14155550100L}).join()).isEqualTo(1);
            assertThat(lists.expiries(List.of(CAMPAIGN), List.of(new long[] {14155550100L})).join().get(0)).isEmpty();
        }
    }

    @Test
    void aListThatOutgrowsTheFilterIsAskedDirectlyInEveryVersionAndAfterAReopen() throws Exception {
        final long[] large = new long[1_500];
        for (int i = 0; i < large.length; i++) {
            large[i] = 12015550000L + i * 3L;
        }
        final long[] asked = {large[0], large[1_499], large[0] + 1, 14155550100L};
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir);
             EmbeddedListStore lists = new EmbeddedListStore(dir, store, 1_000)) {
            lists.add(CAMPAIGN, new long[] {14155550100L}, null).join();
            for (int from = 0; from < large.length; from += 500) {
                lists.add(REGISTRY, java.util.Arrays.copyOfRange(large, from, from + 500), null).join();
            }
            assertThat(lists.contains(List.of(REGISTRY, CAMPAIGN), asked).join())
                    .isDeepEqualTo(new boolean[][] {{true, true, false, false}, {false, false, false, true}});
            // A new version that outgrows it while it loads.
            final ListStore.Replacement r = lists.replace(REGISTRY).join();
            for (int from = 0; from < large.length; from += 500) {
                r.add(java.util.Arrays.copyOfRange(large, from, from + 500)).join();
            }
            r.add(new long[] {large[0] + 1}).join();
            r.commit(Instant.parse("2026-11-15T00:00:00Z")).join();
            assertThat(lists.contains(List.of(REGISTRY, CAMPAIGN), asked).join())
                    .isDeepEqualTo(new boolean[][] {{true, true, true, false}, {false, false, false, true}});
        }
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir);
             EmbeddedListStore lists = new EmbeddedListStore(dir, store, 1_000)) {
            assertThat(lists.contains(List.of(REGISTRY, CAMPAIGN), asked).join())
                    .isDeepEqualTo(new boolean[][] {{true, true, true, false}, {false, false, false, true}});
        }
    }

    @Test
    void aDirectoryThatIsNotAVersionIsLeftAloneAndAnUnfinishedVersionIsDeleted() throws Exception {
        final Path stray = Files.createDirectories(dir.resolve("lists").resolve("global+registry~backup"));
        final Path unfinished = Files.createDirectories(dir.resolve("lists").resolve("global+registry~7"));
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            lists.add(REGISTRY, new long[] {14155550102L}, null).join();
            assertThat(lists.contains(List.of(REGISTRY), new long[] {14155550102L}).join()[0]).containsExactly(true);
        }
        assertThat(stray).isDirectory();
        assertThat(unfinished).doesNotExist();
    }

    @Test
    void aNumberOnTwoListsIsStillFoundOnOneWhenRemovedFromTheOther() {
        final DncList brand = new DncList("brand:acme", DncList.Kind.INTERNAL);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            final long[] n = {14155550100L};
            lists.add(CAMPAIGN, n, null).join();
            lists.add(brand, n, null).join();
            lists.remove(CAMPAIGN, n).join();
            assertThat(lists.contains(List.of(CAMPAIGN, brand), n).join()).isDeepEqualTo(new boolean[][] {{false}, {true}});
            lists.remove(brand, n).join();
            assertThat(lists.contains(List.of(CAMPAIGN, brand), n).join()).isDeepEqualTo(new boolean[][] {{false}, {false}});
            lists.add(brand, n, null).join();
            assertThat(lists.contains(List.of(brand), n).join()).isDeepEqualTo(new boolean[][] {{true}});
        }
    }

    @Test
    void numbersStayFoundWhenTheListsOutgrowTheirFilterAndItIsBuiltAgain() {
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            final long[] batch = new long[100_000];
            for (int b = 0; b < 13; b++) { // 1.3 million: past the first filter's million
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = 12_000_000_000L + b * 1_000_000L + i * 7L;
                }
                lists.add(CAMPAIGN, batch, null).join();
            }
            final long[] asked = {12_000_000_000L, 12_000_000_007L + 12 * 1_000_000L, 12_000_000_001L};
            assertThat(lists.contains(List.of(CAMPAIGN), asked).join()[0]).containsExactly(true, true, false);
        }
    }

    @Test
    void aListWhoseSettingsLineWasLostStillBlocks() throws Exception {
        final DncList optOuts = new DncList("campaign:c1", DncList.Kind.OPT_OUT);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            lists.add(optOuts, new long[] {14155550100L}, null).join();
        }
        final Path records = dir.resolve("lists").resolve("records");
        final List<String> kept = Files.readAllLines(records).stream().filter(l -> !l.startsWith("P\tlist|")).toList();
        Files.write(records, kept);
        try (EmbeddedDncStore store = EmbeddedDncStore.open(dir); EmbeddedListStore lists = new EmbeddedListStore(dir, store)) {
            assertThat(lists.lists()).extracting(ListStore.ListInfo::list).contains(optOuts);
            assertThat(lists.contains(List.of(optOuts), new long[] {14155550100L}).join()[0]).containsExactly(true);
        }
    }
}
