package io.switchboard.compliance.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class CallingWindowTest {

    private static final long NEW_YORK = 12125550100L;
    private static final long LOS_ANGELES = 12135550100L;
    private static final long HONOLULU = 18085550100L;
    private static final long ALASKA = 19075550100L; // 907: Anchorage and Adak, an hour apart
    private static final long LONDON = 442079460000L;

    private final CallingWindow window = CallingWindow.tcpa();

    @Test
    void mapsNumbersToTheirZonesByLongestPrefix() {
        final TimeZones zones = TimeZones.libphonenumber();
        assertThat(zones.zones(zones.setOf(NEW_YORK))).containsExactly(ZoneId.of("America/New_York"));
        assertThat(zones.zones(zones.setOf(HONOLULU))).containsExactly(ZoneId.of("Pacific/Honolulu"));
        assertThat(zones.zones(zones.setOf(ALASKA)))
                .containsExactlyInAnyOrder(ZoneId.of("America/Adak"), ZoneId.of("America/Anchorage"));
        assertThat(zones.zones(zones.setOf(LONDON))).containsExactly(ZoneId.of("Europe/London"));
    }

    @Test
    void judgesEachNumberInItsOwnLocalTime() {
        // 15:00 UTC in November: 10:00 in New York, 07:00 in Los Angeles, 15:00 in London.
        final CallingWindow.Judge judge = window.at(Instant.parse("2026-11-21T15:00:00Z"));
        assertThat(judge.inside(NEW_YORK)).isTrue();
        assertThat(judge.inside(LOS_ANGELES)).isFalse();
        assertThat(judge.inside(LONDON)).isTrue();
    }

    @Test
    void startIsInsideAndEndIsOutside() {
        // New York is UTC-5 in November.
        assertThat(window.at(Instant.parse("2026-11-21T13:00:00Z")).inside(NEW_YORK)).isTrue();  // 08:00
        assertThat(window.at(Instant.parse("2026-11-21T12:59:59Z")).inside(NEW_YORK)).isFalse(); // 07:59:59
        assertThat(window.at(Instant.parse("2026-11-22T01:59:59Z")).inside(NEW_YORK)).isTrue();  // 20:59:59
        assertThat(window.at(Instant.parse("2026-11-22T02:00:00Z")).inside(NEW_YORK)).isFalse(); // 21:00
    }

    @Test
    void theStrictestOfSeveralZonesWins() {
        // 17:30 UTC in November: 08:30 in Anchorage (UTC-9) but 07:30 in Adak (UTC-10).
        assertThat(window.at(Instant.parse("2026-11-21T17:30:00Z")).inside(ALASKA)).isFalse();
        // An hour later both are inside.
        assertThat(window.at(Instant.parse("2026-11-21T18:30:00Z")).inside(ALASKA)).isTrue();
    }

    @Test
    void followsDaylightSavingTime() {
        // 12:30 UTC is 08:30 in New York in July (UTC-4), 07:30 in January (UTC-5).
        assertThat(window.at(Instant.parse("2026-07-01T12:30:00Z")).inside(NEW_YORK)).isTrue();
        assertThat(window.at(Instant.parse("2026-01-05T12:30:00Z")).inside(NEW_YORK)).isFalse();
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThatThrownBy(() -> new CallingWindow(LocalTime.of(21, 0), LocalTime.of(8, 0),
                                                   TimeZones.libphonenumber()))
                .hasMessageContaining("expected: a start before the end");
    }
}
