package io.switchboard.compliance.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.core.phone.PhoneNumbers;

class ScrubEngineTest {

    /** 10:00 in New York, 07:00 in Los Angeles. */
    static final Instant MORNING_EAST = Instant.parse("2026-11-21T15:00:00Z");

    @TempDir
    Path dir;
    private EmbeddedDncStore store;
    private ScrubEngine engine;

    @BeforeEach
    void setUp() {
        store = EmbeddedDncStore.open(dir);
        engine = engineOver(store);
        ScrubFixture.load(store);
    }

    static ScrubEngine engineOver(io.switchboard.compliance.dnc.DncStore store) {
        return new ScrubEngine(new PhoneNumbers("US"), store,
                               GeoRules.of(Map.of("+1900", new GeoRule(false, "premium"))),
                               io.switchboard.compliance.rules.LegalTimes.shipped());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void givesEachNumberItsReason() {
        final List<String> reasons = reasons(engine, ScrubFixture.NUMBERS, MORNING_EAST, true);
        assertThat(reasons).containsExactlyElementsOf(ScrubFixture.REASONS_AT_MORNING_EAST);
    }

    @Test
    void theCallingWindowCanBeLeftOut() {
        final List<String> reasons = reasons(engine, List.of("+12135550100", "(212) 555-0199", "+19005550101"),
                                              MORNING_EAST, false);
        assertThat(reasons).containsExactly("allowed", "allowed", "allowed");
    }

    @Test
    void anInvalidNumberSaysWhy() {
        final ScrubEngine.Decision[] d = engine.scrub(Arrays.asList("12", "+999123", null), MORNING_EAST, true,
                                                      Duration.ofSeconds(5)).join();
        assertThat(d).allSatisfy(decision -> {
            assertThat(decision.blocked()).isTrue();
            assertThat(decision.reason()).isEqualTo("invalid_number");
        });
        assertThat(d[0].detail()).contains("phoneNumber: \"12\"").contains("expected:");
        assertThat(d[1].detail()).contains("+999123");
    }

    static List<String> reasons(ScrubEngine engine, List<String> numbers, Instant at, boolean window) {
        return Arrays.stream(engine.scrub(numbers, at, window, Duration.ofSeconds(5)).join())
                     .map(ScrubEngine.Decision::reason).toList();
    }
}
