package io.switchboard.compliance.dnc;

import static io.switchboard.compliance.dnc.SpreadNumbers.concat;
import static io.switchboard.compliance.dnc.SpreadNumbers.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.core.testing.RedisServerAndCluster;

/**
 * A registry list replaced whole, in the embedded store and in each Redis layout (on one server
 * and on a real three-node cluster): readers that scrub all the while answer from the old version
 * or the new one, never from a mix or from a part of the new one; an abandoned replacement leaves
 * the current version; the old version's entries, and their expiries, are gone.
 */
class RegistryReplaceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final DncList REGISTRY = new DncList("global", DncList.Kind.REGISTRY);
    private static final DncList INTERNAL = new DncList("campaign:c1", DncList.Kind.INTERNAL);
    private static final Instant PUBLISHED = Instant.parse("2026-11-01T00:00:00Z");
    @RegisterExtension
    static final RedisServerAndCluster REDIS = new RedisServerAndCluster("set-max-intset-entries 10000");

    @TempDir
    Path dir;

    /** A list store and what else must be closed with it. */
    private record Opened(ListStore lists, AutoCloseable also) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                lists.close();
            } finally {
                also.close();
            }
        }
    }

    private Opened open(String where) {
        if (where.equals("embedded")) {
            final EmbeddedDncStore global = EmbeddedDncStore.open(dir);
            return new Opened(new EmbeddedListStore(dir, global), global);
        }
        final RedisLayout layout = switch (where) {
            case "legacy" -> RedisLayout.LEGACY;
            case "dual" -> RedisLayout.DUAL;
            default -> RedisLayout.SHARDED;
        };
        final String uri = where.equals("cluster") ? REDIS.cluster().uris() : REDIS.server().uri();
        return new Opened(new RedisListStore(RedisEndpoint.parse(uri).connect(TIMEOUT), layout), () -> { });
    }

    private static void flush() {
        REDIS.server().flushAll();
        REDIS.cluster().flushAll();
    }



    private static void load(ListStore.Replacement r, long[] numbers) {
        for (int from = 0; from < numbers.length; from += 250) {
            r.add(Arrays.copyOfRange(numbers, from, Math.min(numbers.length, from + 250))).join();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "legacy", "sharded", "dual", "cluster"})
    void scrubsRunningThroughAReplacementAnswerFromOneWholeVersion(String where) throws Exception {
        flush();
        final Random random = new Random(14);
        final Set<Long> taken = new LinkedHashSet<>();
        final long[] both = numbers(random, 300, taken);
        final long[] onlyOld = numbers(random, 1_000, taken);
        final long[] onlyNew = numbers(random, 1_000, taken);
        final long[] asked = concat(both, onlyOld, onlyNew);
        try (Opened opened = open(where)) {
            final ListStore lists = opened.lists();
            lists.add(REGISTRY, concat(both, onlyOld), null).join();
            lists.refreshed(REGISTRY, PUBLISHED.minus(Duration.ofDays(30))).join();
            // An entry of the old version that has expired; the new version lists it for good.
            lists.add(REGISTRY, new long[] {onlyNew[0]}, Instant.now().minusSeconds(1)).join();

            final AtomicBoolean stop = new AtomicBoolean();
            final List<String> wrong = new CopyOnWriteArrayList<>();
            final AtomicInteger oldSeen = new AtomicInteger();
            final AtomicInteger newSeen = new AtomicInteger();
            final List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                final Thread reader = new Thread(() -> {
                    while (!stop.get() && wrong.size() < 5) {
                        final boolean[] on;
                        try {
                            on = lists.currentLists().thenCompose(l -> lists.contains(List.of(REGISTRY), asked))
                                      .get(10, TimeUnit.SECONDS)[0];
                        } catch (Exception e) {
                            wrong.add("a lookup failed: " + e);
                            continue;
                        }
                        final String seen = version(on, both.length, onlyOld.length);
                        switch (seen) {
                            case "old" -> oldSeen.incrementAndGet();
                            case "new" -> newSeen.incrementAndGet();
                            default -> wrong.add(seen);
                        }
                    }
                }, "reader-" + t);
                reader.start();
                readers.add(reader);
            }
            final long loaded;
            final int newBefore;
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> oldSeen.get() > 5);
                final ListStore.Replacement r = lists.replace(REGISTRY).join();
                load(r, concat(both, onlyNew));
                // Loaded but not yet switched to: readers still see the old version only.
                newBefore = newSeen.get();
                loaded = r.commit(PUBLISHED).join();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> newSeen.get() > 5 || !wrong.isEmpty());
            } finally {
                stop.set(true);
                for (Thread t : readers) {
                    t.join();
                }
            }
            assertThat(wrong).isEmpty();
            assertThat(newBefore).isZero();
            assertThat(loaded).isEqualTo(both.length + onlyNew.length);
            assertThat(lists.size(REGISTRY).join()).isEqualTo(both.length + onlyNew.length);
            assertThat(lists.currentLists().join()).contains(new ListStore.ListInfo(REGISTRY, PUBLISHED, false));
            // The old version's expiry went with it.
            assertThat(lists.expiries(List.of(REGISTRY), List.of(new long[] {onlyNew[0]})).join().get(0)).isEmpty();
            // Changes go to the new version.
            lists.add(REGISTRY, new long[] {onlyOld[0]}, null).join();
            assertThat(lists.contains(List.of(REGISTRY), new long[] {onlyOld[0], onlyOld[1]}).join()[0])
                    .containsExactly(true, false);
            assertOldVersionDeleted(where);
        }
        if (where.equals("embedded")) {
            try (Opened again = open(where)) {
                assertThat(again.lists().lists()).contains(new ListStore.ListInfo(REGISTRY, PUBLISHED, false));
                assertThat(again.lists().size(REGISTRY).join()).isEqualTo(both.length + onlyNew.length + 1);
                assertThat(again.lists().contains(List.of(REGISTRY), onlyOld).join()[0]).containsOnlyOnce(true);
            }
        }
    }

    /** Returns {@code old} or {@code new} if {@code on} is one version's answer, else what it is. */
    private static String version(boolean[] on, int both, int onlyOld) {
        int common = 0;
        int old = 0;
        int fresh = 0;
        for (int i = 0; i < on.length; i++) {
            if (on[i]) {
                if (i < both) {
                    common++;
                } else if (i < both + onlyOld) {
                    old++;
                } else {
                    fresh++;
                }
            }
        }
        final int onlyNew = on.length - both - onlyOld;
        if (common == both && old == onlyOld && fresh == 1) { // the old version lists one new number, expired
            return "old";
        }
        if (common == both && old == 0 && fresh == onlyNew) {
            return "new";
        }
        return "a mix: " + common + " of " + both + " common, " + old + " of " + onlyOld + " old, " + fresh + " of "
               + onlyNew + " new";
    }

    private void assertOldVersionDeleted(String where) throws Exception {
        switch (where) {
            case "embedded" -> Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (var listed = Files.list(dir.resolve("lists"))) {
                    assertThat(listed.map(p -> p.getFileName().toString()).filter(n -> n.contains("+registry")))
                            .containsExactly("global+registry~1");
                }
            });
            default -> Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                final List<String> keys = where.equals("cluster") ? REDIS.cluster().keys("dnc:*registry*")
                                                                  : REDIS.server().keys("dnc:*registry*");
                assertThat(keys).isNotEmpty().allMatch(k -> k.endsWith("registry@1"), "keys of version 1 only");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "legacy", "sharded", "cluster"})
    void anAbandonedReplacementLeavesTheCurrentVersion(String where) throws Exception {
        flush();
        final long[] current = {12015550100L, 12015550101L};
        final long[] partial = {13125550142L, 12015550100L};
        try (Opened opened = open(where)) {
            final ListStore lists = opened.lists();
            lists.add(REGISTRY, current, null).join();
            final ListStore.Replacement r = lists.replace(REGISTRY).join();
            r.add(partial).join();
            r.abort().join();
            assertThat(lists.contains(List.of(REGISTRY), concat(current, partial)).join()[0])
                    .containsExactly(true, true, false, true);
            assertThat(lists.size(REGISTRY).join()).isEqualTo(2);
            assertThatThrownBy(() -> lists.replace(INTERNAL).join()).hasCauseInstanceOf(IllegalArgumentException.class)
                                                                   .hasMessageContaining("only a registry list");
            // Interrupted: the store closes with a replacement loading.
            lists.replace(REGISTRY).join().add(partial).join();
        }
        try (Opened opened = open(where)) {
            assertThat(opened.lists().contains(List.of(REGISTRY), concat(current, partial)).join()[0])
                    .containsExactly(true, true, false, true);
            if (where.equals("embedded")) {
                try (var listed = Files.list(dir.resolve("lists"))) {
                    assertThat(listed.map(p -> p.getFileName().toString()).filter(n -> n.contains("+registry")))
                            .containsExactly("global+registry");
                }
            }
            // A later replacement deletes what the interrupted one left.
            final ListStore.Replacement r = opened.lists().replace(REGISTRY).join();
            r.add(new long[] {14155550100L}).join();
            r.commit(PUBLISHED).join();
            assertThat(opened.lists().contains(List.of(REGISTRY), concat(current, partial, new long[] {14155550100L}))
                             .join()[0]).containsExactly(false, false, false, false, true);
            if (!where.equals("embedded")) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    final List<String> keys = where.equals("cluster") ? REDIS.cluster().keys("dnc:*registry*")
                                                                      : REDIS.server().keys("dnc:*registry*");
                    assertThat(keys).isNotEmpty().allMatch(k -> k.endsWith("registry@3"), "keys of version 3 only");
                });
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "cluster"})
    void ofTwoReplacementsTheLaterStartedWinsWhateverOrderTheyFinishIn(String where) throws Exception {
        flush();
        try (Opened opened = open(where)) {
            final ListStore lists = opened.lists();
            final ListStore.Replacement first = lists.replace(REGISTRY).join();
            final ListStore.Replacement second = lists.replace(REGISTRY).join();
            first.add(new long[] {12015550100L}).join();
            second.add(new long[] {12015550101L}).join();
            second.commit(PUBLISHED).join();
            assertThatThrownBy(() -> first.commit(PUBLISHED.minusSeconds(60)).join())
                    .hasMessageContaining("a newer version of global/registry");
            assertThat(lists.contains(List.of(REGISTRY), new long[] {12015550100L, 12015550101L}).join()[0])
                    .containsExactly(false, true);
            // Once switched to, a version is never deleted by its own replacement: not by an
            // abort (a caller that saw the commit fail), nor by a commit sent again.
            second.abort().join();
            assertThat(second.commit(PUBLISHED).join()).isEqualTo(1);
            Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                      .until(() -> lists.contains(List.of(REGISTRY), new long[] {12015550101L}).join()[0][0]);
            assertThat(lists.currentLists().join()).contains(new ListStore.ListInfo(REGISTRY, PUBLISHED, false));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded"})
    void theEmbeddedStoreLoadsOneReplacementOfAListAtATime(String where) throws Exception {
        try (Opened opened = open(where)) {
            final ListStore.Replacement first = opened.lists().replace(REGISTRY).join();
            assertThatThrownBy(() -> opened.lists().replace(REGISTRY).join())
                    .hasMessageContaining("already being loaded");
            first.abort().join();
            assertThat(opened.lists().replace(REGISTRY).join().list()).isEqualTo(REGISTRY);
        }
    }
}
