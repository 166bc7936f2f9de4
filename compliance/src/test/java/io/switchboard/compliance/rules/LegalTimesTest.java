package io.switchboard.compliance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden cases: each jurisdiction's window just inside and just outside, weekdays, Sundays,
 * holidays, a DST change, pinned zones, and strictest-wins; then a property over random numbers
 * and instants: a number is allowed exactly when the instant is inside an interval that
 * {@link LegalTimes#day} answers.
 */
class LegalTimesTest {

    private static final LegalTimes TIMES = LegalTimes.shipped();

    // Tuesday 2026-12-01, Saturday 2026-12-05, Sunday 2026-12-06.
    @ParameterizedTest(name = "{0} at {1} {2}: {3}")
    @CsvSource({
        // Florida, Oklahoma, Maryland, Washington: the window ends at 20:00.
        "+13055550100, 2026-12-01T19:59, America/New_York,    allowed",
        "+13055550100, 2026-12-01T20:30, America/New_York,    US-FL-window",
        "+13055550100, 2026-12-01T07:59, America/New_York,    US-FL-window",
        "+14055550100, 2026-12-01T19:30, America/Chicago,     allowed",
        "+14055550100, 2026-12-01T20:30, America/Chicago,     US-OK-tsa-window",
        "+13015550100, 2026-12-01T19:30, America/New_York,    allowed",
        "+13015550100, 2026-12-01T20:30, America/New_York,    US-MD-window",
        "+12065550100, 2026-12-01T19:30, America/Los_Angeles, allowed",
        "+12065550100, 2026-12-01T20:30, America/Los_Angeles, US-WA-commercial-solicitor-window",
        // Louisiana, Alabama, Rhode Island, Utah: no Sunday calls; Texas: none on Sunday morning.
        "+15045550100, 2026-12-01T12:00, America/Chicago,     allowed",
        "+15045550100, 2026-12-06T12:00, America/Chicago,     US-LA-window",
        "+12055550100, 2026-12-01T12:00, America/Chicago,     allowed",
        "+12055550100, 2026-12-06T12:00, America/Chicago,     US-AL-automated-window",
        "+14015550100, 2026-12-06T12:00, America/New_York,    US-RI-hours-of-operation",
        "+18015550100, 2026-12-01T12:00, America/Denver,      allowed",
        "+18015550100, 2026-12-06T12:00, America/Denver,      US-UT-window",
        "+12145550100, 2026-12-06T10:00, America/Chicago,     US-TX-window",
        "+12145550100, 2026-12-06T13:00, America/Chicago,     allowed",
        // Rhode Island: weekdays 09:00-18:00, Saturdays 10:00-17:00.
        "+14015550100, 2026-12-01T17:30, America/New_York,    allowed",
        "+14015550100, 2026-12-01T18:30, America/New_York,    US-RI-hours-of-operation",
        "+14015550100, 2026-12-01T08:30, America/New_York,    US-RI-hours-of-operation",
        "+14015550100, 2026-12-05T16:30, America/New_York,    allowed",
        "+14015550100, 2026-12-05T17:30, America/New_York,    US-RI-hours-of-operation",
        // Canada (CRTC): 09:00-21:30 on weekdays, 10:00-18:00 at weekends; the operator's default
        // window (08:00-21:00, for every call) closes weekdays at 21:00.
        "+14165550100, 2026-12-01T20:59, America/Toronto,     allowed",
        "+14165550100, 2026-12-01T21:00, America/Toronto,     house-window",
        "+14165550100, 2026-12-01T09:00, America/Toronto,     allowed",
        "+14165550100, 2026-12-01T08:30, America/Toronto,     CA-crtc-telemarketing-window",
        "+14165550100, 2026-12-01T21:30, America/Toronto,     CA-crtc-telemarketing-window",
        "+14165550100, 2026-12-05T17:30, America/Toronto,     allowed",
        "+14165550100, 2026-12-05T18:30, America/Toronto,     CA-crtc-telemarketing-window",
        // California: only the federal window.
        "+12135550100, 2026-12-01T20:30, America/Los_Angeles, allowed",
        "+12135550100, 2026-12-01T21:00, America/Los_Angeles, US-CA-adad-window",
        "+12135550100, 2026-12-01T07:59, America/Los_Angeles, US-CA-adad-window",
        // Holidays: Rhode Island on Thanksgiving (federal), Louisiana on Christmas (state).
        "+14015550100, 2026-11-26T12:00, America/New_York,    US-RI-hours-of-operation",
        "+15045550100, 2026-12-25T12:00, America/Chicago,     US-LA-window",
        "+12135550100, 2026-12-25T12:00, America/Los_Angeles, allowed",
        // Across the DST change (2026-11-01 in the US): the window follows the local clock.
        "+12125550199, 2026-10-31T08:00, America/New_York,    allowed",
        "+12125550199, 2026-11-02T07:59, America/New_York,    US-tcpa-window",
        "+12125550199, 2026-11-02T08:00, America/New_York,    allowed",
        // Mississippi pins Central Standard Time: in summer its 20:00 is 21:00 on the local clock.
        "+16015550100, 2026-07-14T20:30, America/Chicago,     allowed",
        "+16015550100, 2026-07-14T08:30, America/Chicago,     US-MS-window",
    })
    void goldenCases(String number, String local, String zone, String expected) {
        final Instant at = LocalDateTime.parse(local).atZone(ZoneId.of(zone)).toInstant();
        final LegalTimes.Verdict v = TIMES.judge(TIMES.place(digits(number), null, null), CallContext.DEFAULT, at);
        assertThat(v.allowed() ? "allowed" : v.rule().id()).isEqualTo(expected);
        if (!v.allowed()) {
            assertThat(v.nextAllowedAt()).isAfter(at);
            assertThat(TIMES.judge(TIMES.place(digits(number), null, null), CallContext.DEFAULT, v.nextAllowedAt())
                            .allowed()).as("allowed at nextAllowedAt").isTrue();
        }
    }

    @Test
    void rhodeIslandOnASaturdayIsTenToFiveLocal() {
        final ZoneId ny = ZoneId.of("America/New_York");
        final LegalTimes.Day day = TIMES.day(TIMES.place(digits("+14015550100"), null, null), CallContext.DEFAULT,
                                             LocalDate.parse("2026-12-05"), ny);
        assertThat(day.intervals()).containsExactly(new LegalTimes.Interval(
                LocalDateTime.parse("2026-12-05T10:00").atZone(ny).toInstant(),
                LocalDateTime.parse("2026-12-05T17:00").atZone(ny).toInstant()));
    }

    @Test
    void aStateFieldThatDiffersFromTheAreaCodeAddsItsRulesAndTheStrictestWins() {
        final Instant at = LocalDateTime.parse("2026-12-01T20:30").atZone(ZoneId.of("America/Los_Angeles")).toInstant();
        final LegalTimes.Place california = TIMES.place(digits("+12135550100"), null, null);
        assertThat(TIMES.judge(california, CallContext.DEFAULT, at).allowed()).isTrue();
        final LegalTimes.Place movedToFlorida = TIMES.place(digits("+12135550100"), null, "FL");
        assertThat(TIMES.judge(movedToFlorida, CallContext.DEFAULT, at).rule().id()).isEqualTo("US-FL-window");
        final LegalTimes.Place zipInFlorida = TIMES.place(digits("+12135550100"), "33101", null);
        assertThat(TIMES.judge(zipInFlorida, CallContext.DEFAULT, at).rule().id()).isEqualTo("US-FL-window");
    }

    @Test
    void aZipOrStateElsewhereIsJudgedOnThatPlacesClockToo() {
        // A New York number whose owner lives in Los Angeles: 08:30 in New York is 05:30 there.
        final Instant at = LocalDateTime.parse("2026-12-01T08:30").atZone(ZoneId.of("America/New_York")).toInstant();
        assertThat(TIMES.judge(TIMES.place(digits("+12125550100"), null, null), CallContext.DEFAULT, at).allowed())
                .isTrue();
        final LegalTimes.Place inLosAngeles = TIMES.place(digits("+12125550100"), "90012", null);
        assertThat(inLosAngeles.zones()).contains(ZoneId.of("America/Los_Angeles"));
        final LegalTimes.Verdict v = TIMES.judge(inLosAngeles, CallContext.DEFAULT, at);
        assertThat(v.allowed()).isFalse();
        assertThat(v.nextAllowedAt()).isEqualTo(
                LocalDateTime.parse("2026-12-01T09:00").atZone(ZoneId.of("America/Los_Angeles")).toInstant());
    }

    @Test
    void aHolidayNeverWidensTheDaysHours() {
        assertThat(DayHours.parse("08:00-20:00").intersect(DayHours.parse("13:00-21:00")))
                .isEqualTo(DayHours.parse("13:00-20:00"));
        assertThat(DayHours.NONE.intersect(DayHours.parse("12:00-17:00")).none()).isTrue();
        assertThat(DayHours.parse("08:00-10:00").intersect(DayHours.parse("12:00-17:00")).none()).isTrue();
    }

    @Test
    void aNumberInTwoZonesMayBeCalledOnlyWhenEveryZoneIsInside() {
        // 605 (South Dakota) spans Central and Mountain: 19:30 Mountain is 20:30 Central, inside both;
        // 20:30 Mountain is inside Mountain's window but 21:30 in Central, outside.
        final LegalTimes.Place place = TIMES.place(digits("+16055550100"), null, null);
        assertThat(place.zones()).hasSizeGreaterThan(1);
        final ZoneId denver = ZoneId.of("America/Denver");
        assertThat(TIMES.judge(place, CallContext.DEFAULT,
                               LocalDateTime.parse("2026-12-01T19:30").atZone(denver).toInstant()).allowed()).isTrue();
        assertThat(TIMES.judge(place, CallContext.DEFAULT,
                               LocalDateTime.parse("2026-12-01T20:30").atZone(denver).toInstant()).allowed()).isFalse();
    }

    @Test
    void consentExemptsOnlyFromRulesThatSaySoAndOnlyWhileInForce() {
        final Instant sunday = LocalDateTime.parse("2026-12-06T12:00").atZone(ZoneId.of("America/Denver")).toInstant();
        final LegalTimes.Place utah = TIMES.place(digits("+18015550100"), null, null);
        final CallContext consented = new CallContext(Purpose.TELEPHONE_SOLICITATION, null,
                new Consent(Consent.Type.PRIOR_EXPRESS_WRITTEN, Instant.parse("2026-01-01T00:00:00Z"), null));
        assertThat(TIMES.judge(utah, consented, sunday).allowed()).isTrue();
        final CallContext notYet = new CallContext(Purpose.TELEPHONE_SOLICITATION, null,
                new Consent(Consent.Type.PRIOR_EXPRESS_WRITTEN, Instant.parse("2026-12-31T00:00:00Z"), null));
        assertThat(TIMES.judge(utah, notYet, sunday).allowed()).isFalse();
        // Louisiana's Sunday ban has no consent exemption.
        final Instant laSunday = LocalDateTime.parse("2026-12-06T12:00").atZone(ZoneId.of("America/Chicago")).toInstant();
        assertThat(TIMES.judge(TIMES.place(digits("+15045550100"), null, null), consented, laSunday).allowed()).isFalse();
    }

    @Test
    void aRuleForAutomatedDiallingSparesAManualCallButNotOneWhoseMethodIsNotSaid() {
        final Instant saturday = LocalDateTime.parse("2026-12-05T12:00").atZone(ZoneId.of("America/New_York")).toInstant();
        final LegalTimes.Place maine = TIMES.place(digits("+12075550100"), null, null);
        assertThat(TIMES.judge(maine, new CallContext(Purpose.TELEPHONE_SOLICITATION, DialMethod.MANUAL, null), saturday)
                        .allowed()).isTrue();
        assertThat(TIMES.judge(maine, new CallContext(Purpose.TELEPHONE_SOLICITATION, DialMethod.AUTOMATED, null),
                               saturday).rule().id()).isEqualTo("US-ME-automated-window");
        assertThat(TIMES.judge(maine, CallContext.DEFAULT, saturday).allowed()).isFalse();
    }

    @Test
    void aTollFreeNumberGetsTheStrictestOfEveryJurisdiction() {
        final LegalTimes.Place tollFree = TIMES.place(digits("+18005550100"), null, null);
        assertThat(tollFree.unlocated()).isTrue();
        final Instant sunday = LocalDateTime.parse("2026-12-06T14:00").atZone(ZoneId.of("America/Chicago")).toInstant();
        assertThat(TIMES.judge(tollFree, CallContext.DEFAULT, sunday).allowed()).isFalse();
    }

    @Test
    void allowedExactlyInsideTheDaysIntervals() {
        final Random random = new Random(20261129);
        final List<String> prefixes = List.of("+1305", "+1405", "+1401", "+1801", "+1214", "+1416", "+1604", "+1907",
                                              "+1808", "+1601", "+1605", "+1207", "+1504", "+1205", "+1212", "+1800",
                                              "+1514", "+1902", "+44207", "+61290");
        final Purpose[] purposes = Purpose.values();
        for (int i = 0; i < 3_000; i++) {
            final String prefix = prefixes.get(random.nextInt(prefixes.size()));
            final long number = digits(prefix + String.format("%07d", random.nextInt(10_000_000)).substring(0,
                                       prefix.startsWith("+1") ? 7 : 6));
            final Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(2 * 365 * 86_400));
            final CallContext call = new CallContext(purposes[random.nextInt(purposes.length)],
                                                     random.nextBoolean() ? null : DialMethod.values()[random.nextInt(3)],
                                                     null);
            final LegalTimes.Place place = TIMES.place(number, null, null);
            final LegalTimes.Verdict v = TIMES.judge(place, call, at);
            if (place.zones().length == 0) {
                assertThat(v.allowed()).isFalse();
                continue;
            }
            final ZoneId zone = place.zones()[0];
            final LegalTimes.Day day = TIMES.day(place, call, at.atZone(zone).toLocalDate(), zone);
            final boolean inside = day.intervals().stream()
                                      .anyMatch(in -> !at.isBefore(in.start()) && at.isBefore(in.end()));
            assertThat(v.allowed()).as("%s at %s for %s", prefix, at, call).isEqualTo(inside);
        }
    }

    private static long digits(@Nullable String e164) {
        return Long.parseLong(e164.substring(1));
    }
}
