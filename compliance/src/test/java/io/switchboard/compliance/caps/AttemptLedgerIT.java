package io.switchboard.compliance.caps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.lettuce.core.RedisClient;
import io.switchboard.compliance.rules.DialMethod;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.Purpose;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.core.testing.TestRedisCluster;

/**
 * Both attempt ledgers, on the same cases: caps reached and freed, release within and past the
 * grace, dial methods, concurrent reservations for the last slot; the embedded one across a
 * reopen and a torn journal, the Redis one from two connections (two replicas).
 */
class AttemptLedgerIT {

    private static final FrequencyCap THREE_A_DAY = cap("US-FL-attempts", 3, Duration.ofHours(24),
                                                        EnumSet.allOf(DialMethod.class));
    private static final FrequencyCap ONE_AUTOMATED = cap("US-ME-automated-attempts", 1, Duration.ofHours(8),
                                                          EnumSet.of(DialMethod.AUTOMATED, DialMethod.PRERECORDED));
    private static final Instant T0 = Instant.parse("2026-12-01T15:00:00Z");
    private static final Duration KEEP = Duration.ofDays(1);

    private static TestRedis redis;
    private static RedisClient client;

    @TempDir
    Path dir;

    private static TestRedisCluster cluster;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        client = RedisClient.create(redis.uri());
        cluster = TestRedisCluster.start();
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        try {
            redis.close();
        } finally {
            cluster.close();
        }
    }

    static FrequencyCap cap(String id, int limit, Duration window, Set<DialMethod> methods) {
        return new FrequencyCap(id, id.substring(0, 5), "test cap", limit, window, EnumSet.of(Purpose.TELEPHONE_SOLICITATION),
                                methods, "a statute", null, "H", null, "test");
    }

    private List<AttemptLedger> ledgers() {
        final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        return List.of(JournaledAttemptLedger.open(dir.resolve("embedded"), clock),
                       RedisAttemptLedger.connect(client, Duration.ofSeconds(5)),
                       RedisAttemptLedger.connect(cluster.uris(), Duration.ofSeconds(5)));
    }

    private static String subject() {
        return Attempts.subject("c1", null, 13055550100L + (long) (Math.random() * 1_000_000));
    }

    private static Attempts.Verdict reserve(AttemptLedger ledger, String subject, Instant at, DialMethod method,
                                            FrequencyCap... caps) {
        return ledger.reserve(subject, Attempts.newId(subject, method), at, List.of(caps), at, KEEP).join();
    }

    @Test
    void theFourthAttemptInADayIsRefusedUntilTheFirstLeavesTheWindow() {
        for (AttemptLedger ledger : ledgers()) {
            try (ledger) {
                final String s = subject();
                for (int i = 0; i < 3; i++) {
                    final Attempts.Verdict v = reserve(ledger, s, T0.plusSeconds(60L * i), null, THREE_A_DAY);
                    assertThat(v.granted()).as(ledger.kind()).isTrue();
                    assertThat(v.count()).as(ledger.kind()).isEqualTo(i + 1);
                    assertThat(Attempts.subjectOf(v.id())).isEqualTo(s);
                }
                final Attempts.Verdict fourth = reserve(ledger, s, T0.plusSeconds(600), null, THREE_A_DAY);
                assertThat(fourth.granted()).as(ledger.kind()).isFalse();
                assertThat(fourth.cap()).isEqualTo(THREE_A_DAY);
                assertThat(fourth.count()).isEqualTo(3);
                assertThat(fourth.nextAllowedAt()).as(ledger.kind()).isEqualTo(T0.plus(Duration.ofHours(24)));
                // The first attempt leaves the window at T0 + 24 h: one slot, no more.
                final Instant later = T0.plus(Duration.ofHours(24)).plusMillis(1);
                assertThat(reserve(ledger, s, later, null, THREE_A_DAY).granted()).as(ledger.kind()).isTrue();
                final Attempts.Verdict again = reserve(ledger, s, later, null, THREE_A_DAY);
                assertThat(again.granted()).as(ledger.kind()).isFalse();
                assertThat(again.nextAllowedAt()).isEqualTo(T0.plus(Duration.ofHours(24)).plusSeconds(60));
                // Judged without reserving, the same.
                final List<Attempts.Entry> recorded = ledger.attempts(List.of(s), later.minus(KEEP)).join().get(0);
                assertThat(Attempts.judge(recorded, later, List.of(THREE_A_DAY)).granted()).isFalse();
            }
        }
    }

    @Test
    void aReleaseWithinTheGraceFreesTheSlotAndALateOneDoesNot() {
        for (AttemptLedger ledger : ledgers()) {
            try (ledger) {
                final String s = subject();
                final Attempts.Verdict first = reserve(ledger, s, T0, null, ONE_AUTOMATED);
                assertThat(reserve(ledger, s, T0.plusSeconds(1), null, ONE_AUTOMATED).granted()).isFalse();
                assertThat(ledger.release(first.id(), T0.plusSeconds(30), Duration.ofSeconds(60)).join())
                        .as(ledger.kind()).isEqualTo(AttemptLedger.Release.RELEASED);
                assertThat(ledger.release(first.id(), T0.plusSeconds(31), Duration.ofSeconds(60)).join())
                        .as("released already").isEqualTo(AttemptLedger.Release.UNKNOWN);
                final Attempts.Verdict second = reserve(ledger, s, T0.plusSeconds(40), null, ONE_AUTOMATED);
                assertThat(second.granted()).as(ledger.kind()).isTrue();
                assertThat(ledger.release(second.id(), T0.plusSeconds(101), Duration.ofSeconds(60)).join())
                        .as(ledger.kind()).isEqualTo(AttemptLedger.Release.TOO_LATE);
                assertThat(reserve(ledger, s, T0.plusSeconds(120), null, ONE_AUTOMATED).granted()).isFalse();
            }
        }
    }

    @Test
    void aCapOnAutomatedDiallingCountsOnlyAutomatedAttemptsAndThoseWhoseMethodWasNotSaid() {
        for (AttemptLedger ledger : ledgers()) {
            try (ledger) {
                final String s = subject();
                // A manual attempt is not limited by the cap and does not count toward it.
                assertThat(reserve(ledger, s, T0, DialMethod.MANUAL).granted()).isTrue();
                assertThat(reserve(ledger, s, T0.plusSeconds(1), DialMethod.AUTOMATED, ONE_AUTOMATED).granted())
                        .as(ledger.kind()).isTrue();
                assertThat(reserve(ledger, s, T0.plusSeconds(2), DialMethod.PRERECORDED, ONE_AUTOMATED).granted())
                        .as(ledger.kind()).isFalse();
                final String other = subject();
                assertThat(reserve(ledger, other, T0, null).granted()).isTrue();
                assertThat(reserve(ledger, other, T0.plusSeconds(1), DialMethod.AUTOMATED, ONE_AUTOMATED).granted())
                        .as("an attempt whose method was not said counts toward every cap").isFalse();
            }
        }
    }

    @Test
    void fiftyConcurrentReservationsForTheLastSlotsGrantExactlyTheLimit() throws Exception {
        final List<AttemptLedger> all = new ArrayList<>(ledgers());
        all.add(RedisAttemptLedger.connect(client, Duration.ofSeconds(5))); // a second replica
        all.add(RedisAttemptLedger.connect(cluster.uris(), Duration.ofSeconds(5))); // and on the cluster
        try {
            for (List<AttemptLedger> replicas : List.of(List.of(all.get(0)), List.of(all.get(1), all.get(3)),
                                                        List.of(all.get(2), all.get(4)))) {
                final String s = subject();
                final ExecutorService pool = Executors.newFixedThreadPool(16);
                final CountDownLatch start = new CountDownLatch(1);
                final List<Future<Attempts.Verdict>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    final AttemptLedger ledger = replicas.get(i % replicas.size());
                    answers.add(pool.submit(() -> {
                        start.await();
                        return reserve(ledger, s, T0, null, THREE_A_DAY);
                    }));
                }
                start.countDown();
                int granted = 0;
                for (Future<Attempts.Verdict> f : answers) {
                    granted += f.get().granted() ? 1 : 0;
                }
                pool.shutdown();
                assertThat(granted).as(replicas.get(0).kind()).isEqualTo(3);
            }
        } finally {
            all.forEach(AttemptLedger::close);
        }
    }

    @Test
    void theEmbeddedLedgerKeepsItsCountsAcrossAReopenAndIgnoresATornLastLine() throws Exception {
        final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        final String s = subject();
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, clock)) {
            reserve(ledger, s, T0, null, THREE_A_DAY);
            reserve(ledger, s, T0.plusSeconds(1), null, THREE_A_DAY);
        }
        Files.writeString(dir.resolve("journal"), "R " + Attempts.newId(s, null) + " 17",
                          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, clock)) {
            assertThat(ledger.held()).isEqualTo(2);
            assertThat(reserve(ledger, s, T0.plusSeconds(2), null, THREE_A_DAY).count()).isEqualTo(3);
            assertThat(reserve(ledger, s, T0.plusSeconds(3), null, THREE_A_DAY).granted()).isFalse();
        }
        // A day and more later, nothing is kept.
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, Clock.fixed(T0.plus(Duration.ofDays(2)),
                                                                                           ZoneOffset.UTC))) {
            assertThat(ledger.held()).isZero();
        }
    }

    @Test
    void theEmbeddedJournalRewrittenWhileReservationsComeKeepsEveryOne() throws Exception {
        final io.switchboard.core.testing.MutableClock clock = new io.switchboard.core.testing.MutableClock(T0);
        final List<String> subjects = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            subjects.add(Attempts.subject("c1", null, 13055550100L + i));
        }
        // Past 2 KiB of journal, and twice what the last rewrite left, the journal is rewritten.
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, clock, 2048)) {
            final List<String> first = new java.util.ArrayList<>();
            for (String s : subjects) {
                first.add(reserve(ledger, s, T0, null, THREE_A_DAY).id());
            }
            // Past their keeping: the next rewrite leaves these out.
            clock.advance(KEEP.plusHours(1));
            final Instant later = T0.plus(KEEP).plus(Duration.ofHours(1));
            final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            final List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int from = t * 10;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < 2; round++) {
                        for (int i = from; i < from + 10; i++) {
                            assertThat(reserve(ledger, subjects.get(i), later.plusSeconds(round), null, THREE_A_DAY)
                                               .granted()).isTrue();
                        }
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(ledger.held()).isEqualTo(80);
            // Twice as many lines came after the last rewrite of the first ones: one more at least.
            final String journal = Files.readString(dir.resolve("journal"));
            assertThat(first).as("rewritten while reservations came").noneMatch(journal::contains);
        }
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, clock)) {
            assertThat(ledger.held()).isEqualTo(80);
            for (String s : subjects) {
                final Attempts.Verdict v = reserve(ledger, s, clock.instant(), null, THREE_A_DAY);
                assertThat(v.count()).as("the two kept and this one").isEqualTo(3);
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void scrubsReadTheEmbeddedLedgerWhileItsJournalIsRewritten() throws Exception {
        final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        final String s = subject();
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, clock, 2048)) {
            // The new journal goes to journal.tmp first: as a named pipe, the rewrite waits there.
            final Path pipe = dir.resolve("journal.tmp");
            assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor())
                    .as("mkfifo (coreutils) makes the pipe").isZero();
            while (Files.size(dir.resolve("journal")) <= 2048) {
                reserve(ledger, subject(), T0, null, THREE_A_DAY);
            }
            // Once the writer is in the rewrite (at the pipe), a scrub's read must not wait for it.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    Thread.getAllStackTraces().entrySet().stream().anyMatch(t ->
                            t.getKey().getName().equals("attempt-ledger-writer")
                            && java.util.Arrays.stream(t.getValue())
                                               .anyMatch(f -> f.getMethodName().equals("rewrite"))));
            final CompletableFuture<List<List<Attempts.Entry>>> read =
                    CompletableFuture.supplyAsync(() -> ledger.attempts(List.of(s), T0.minus(KEEP)).join());
            try {
                assertThat(read.get(30, TimeUnit.SECONDS)).containsExactly(List.of());
            } finally {
                try (java.io.InputStream in = Files.newInputStream(pipe)) {
                    in.readAllBytes(); // lets the rewrite go on
                }
            }
            // A pipe cannot be flushed to disk: the ledger can no longer write, and refuses.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThatThrownBy(() -> reserve(ledger, subject(), T0, null, THREE_A_DAY))
                            .hasMessageContaining("cannot write its journal"));
        }
    }

    @Test
    void aSecondProcessCannotOpenTheSameLedger() {
        final Clock clock = Clock.systemUTC();
        try (JournaledAttemptLedger ledger = JournaledAttemptLedger.open(dir, clock)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JournaledAttemptLedger.open(dir, clock))
                                           .hasMessageContaining("held by another process");
        }
    }

    @Test
    void aLedgerWithItsOwnClientFailsWhenRedisStallsOrStops() {
        try (TestRedis own = TestRedis.start();
             RedisAttemptLedger ledger = RedisAttemptLedger.connect(own.uri(), Duration.ofMillis(500))) {
            assertThat(ledger.boundsItself()).isTrue();
            final String s = "c1\u0000n:1";
            // Paused for 3 s: no answer within the 500 ms, so the reservation fails (and is refused).
            final RedisClient admin = RedisClient.create(own.uri());
            try (var c = admin.connect()) {
                c.sync().clientPause(3000);
            } finally {
                admin.shutdown();
            }
            final long start = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> ledger.reserve(s, Attempts.newId(s, null), T0, List.of(THREE_A_DAY), T0, KEEP).join())
                                           .hasRootCauseInstanceOf(io.lettuce.core.RedisCommandTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            own.close();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> ledger.reserve(s, Attempts.newId(s, null), T0, List.of(THREE_A_DAY), T0, KEEP).join())
                                           .isNotNull();
        }
    }

    private static final FrequencyCap WEEKLY_AUTOMATED = new FrequencyCap(
            "campaign:c1:5/7d", null, "test", 5, Duration.ofDays(7), EnumSet.allOf(Purpose.class),
            EnumSet.of(DialMethod.AUTOMATED), "compliance.campaignCaps", null, "H", null, "test");

    private static Attempts.Verdict reserve(FrequencyCaps caps, String subject, DialMethod method, Instant at,
                                            Instant now) {
        final io.switchboard.compliance.rules.RulePack pack = io.switchboard.compliance.rules.RulePack.shipped();
        final io.switchboard.compliance.rules.CallContext call = new io.switchboard.compliance.rules.CallContext(
                Purpose.TELEPHONE_SOLICITATION, method, null);
        final List<FrequencyCap> governing = caps.governing(pack, new String[] {"US", "US-FL"}, "c1", call);
        return caps.reserve(subject, call, governing, pack, at, now).join();
    }

    @Test
    void anAttemptNoCapGovernsNeverMakesALongerCapForgetAndRefusalsNameTheLastCapToFree() {
        for (AttemptLedger ledger : ledgers()) {
            final FrequencyCaps caps = new FrequencyCaps(java.util.Map.of("c1", List.of(WEEKLY_AUTOMATED)), ledger,
                                                         Duration.ofSeconds(60), Duration.ofSeconds(5));
            try (caps) {
                assertThat(caps.keep(io.switchboard.compliance.rules.RulePack.shipped())).isEqualTo(Duration.ofDays(7));
                final String s = subject();
                for (int day = 0; day < 5; day++) {
                    final Instant t = T0.plus(Duration.ofDays(day));
                    assertThat(reserve(caps, s, DialMethod.AUTOMATED, t, t).granted()).as(ledger.kind()).isTrue();
                }
                // Day 5: a manual attempt, which the weekly cap on automated calls does not govern...
                final Instant day5 = T0.plus(Duration.ofDays(5));
                assertThat(reserve(caps, s, DialMethod.MANUAL, day5, day5).granted()).as(ledger.kind()).isTrue();
                // ... and the next automated one is still refused: the manual one forgot nothing.
                final Attempts.Verdict refused = reserve(caps, s, DialMethod.AUTOMATED, day5.plusSeconds(1),
                                                         day5.plusSeconds(1));
                assertThat(refused.granted()).as(ledger.kind()).isFalse();
                assertThat(refused.cap()).isEqualTo(WEEKLY_AUTOMATED);
                assertThat(refused.nextAllowedAt()).isEqualTo(T0.plus(Duration.ofDays(7)));

                // Florida's 3 in 24 hours and the weekly cap both reached: the later slot is named.
                final String t = subject();
                final Instant base = T0.plus(Duration.ofDays(30));
                for (int i = 0; i < 5; i++) {
                    final Instant at = base.plus(Duration.ofHours(i < 2 ? i : 40 + i));
                    assertThat(reserve(caps, t, DialMethod.AUTOMATED, at, at).granted()).as(ledger.kind()).isTrue();
                }
                final Instant later = base.plus(Duration.ofHours(46));
                final Attempts.Verdict both = reserve(caps, t, DialMethod.AUTOMATED, later, later);
                assertThat(both.granted()).isFalse();
                assertThat(both.cap()).as("the weekly cap frees its slot after Florida's").isEqualTo(WEEKLY_AUTOMATED);
                assertThat(both.nextAllowedAt()).isEqualTo(base.plus(Duration.ofDays(7)));
            }
        }
    }

    @Test
    void aCallersEarlierInstantWidensTheWindowAndTheAttemptIsRecordedAtTheGatewaysClock() {
        for (AttemptLedger ledger : ledgers()) {
            final FrequencyCaps caps = new FrequencyCaps(java.util.Map.of(), ledger, Duration.ofSeconds(60),
                                                         Duration.ofSeconds(5));
            try (caps) {
                final String s = subject();
                final io.switchboard.compliance.rules.RulePack pack = io.switchboard.compliance.rules.RulePack.shipped();
                final io.switchboard.compliance.rules.CallContext call = new io.switchboard.compliance.rules.CallContext(
                        Purpose.TELEPHONE_SOLICITATION, DialMethod.AUTOMATED, null);
                final List<FrequencyCap> maine = caps.governing(pack, new String[] {"US", "US-ME"}, "c1", call);
                // Sent as five minutes earlier, recorded at the gateway's clock, T0.
                assertThat(caps.reserve(s, call, maine, pack, T0.minusSeconds(300), T0).join().granted()).isTrue();
                final Instant now = T0.plus(Duration.ofHours(8)).plusSeconds(60);
                assertThat(caps.reserve(s, call, maine, pack, now.minusSeconds(300), now).join().granted())
                        .as("judged from five minutes before now: T0 is still in the 8 hours").isFalse();
                assertThat(caps.reserve(s, call, maine, pack, now.plusSeconds(300), now).join().granted())
                        .as("a later instant is judged at now: T0 left the window a minute ago").isTrue();
            }
        }
    }
}
