package io.switchboard.core.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.switchboard.core.InvalidArgumentException;

class PhoneNumbersTest {

    private final PhoneNumbers us = new PhoneNumbers("US");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+14155552671       | +14155552671",
            "(415) 555-2671     | +14155552671",
            "415.555.2671       | +14155552671",
            "+1 415 555 2671    | +14155552671",
            "＋１４１５５５５２６７１ | +14155552671",
            "+44 20 7946 0958   | +442079460958",
    })
    void normalisesWhatPeopleWrite(String raw, String e164) {
        assertThat(us.toE164("phoneNumber", raw)).isEqualTo(e164);
    }

    @Test
    void readsNationalNumbersInTheDefaultRegion() {
        assertThat(new PhoneNumbers("gb").toE164("phoneNumber", "020 7946 0958")).isEqualTo("+442079460958");
    }

    @Test
    void rejectsInvalidNumbersNamingTheFieldAndWhy() {
        assertThatThrownBy(() -> us.toE164("blockedNumbers[2]", "+1 555 0100"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("blockedNumbers[2]: \"+1 555 0100\" (expected: a valid phone number");
        assertThatThrownBy(() -> us.toE164("phoneNumber", "call me"))
                .hasMessage("phoneNumber: \"call me\" (expected: a phone number; not a number)");
        assertThatThrownBy(() -> us.toE164("phoneNumber", "+999 123456"))
                .hasMessageContaining("unknown country code");
    }

    /** What toE164 answers: the E.164 number, or "invalid". */
    private static String verdict(PhoneNumbers numbers, String raw) {
        try {
            return numbers.toE164("n", raw);
        } catch (InvalidArgumentException e) {
            return "invalid";
        }
    }

    /** What libphonenumber alone answers. */
    private static String slowVerdict(PhoneNumbers numbers, String raw) {
        try {
            return numbers.slowPath("n", raw);
        } catch (InvalidArgumentException e) {
            return "invalid";
        }
    }

    @Test
    void theStrictE164FastPathAnswersExactlyAsLibphonenumber() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(20261121);
        final int[] codes = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedCallingCodes()
                                                                            .stream().mapToInt(Integer::intValue)
                                                                            .toArray();
        int fast = 0;
        for (int i = 0; i < 300_000; i++) {
            final StringBuilder raw = new StringBuilder("+");
            switch (i % 4) {
                case 0 -> raw.append(codes[random.nextInt(codes.length)]); // a real country code
                case 1 -> raw.append(1 + random.nextInt(9));              // any first digit
                case 2 -> raw.append(codes[random.nextInt(codes.length)]).append('0'); // leading zero / prefix
                default -> raw.append(codes[random.nextInt(codes.length)]).append(random.nextBoolean() ? "00" : "1");
            }
            final int digits = random.nextInt(1, 16);
            for (int d = 0; d < digits; d++) {
                raw.append((char) ('0' + random.nextInt(10)));
            }
            final String number = raw.length() > 19 ? raw.substring(0, 19) : raw.toString();
            if (PhoneNumbers.strictE164Valid(number) != null) {
                fast++;
            }
            assertThat(verdict(us, number)).as(number).isEqualTo(slowVerdict(us, number));
        }
        assertThat(fast).as("most strict E.164 input takes the fast path").isGreaterThan(200_000);
    }

    @Test
    void tenDigitNationalNumbersInANanpRegionAnswerExactlyAsLibphonenumber() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(20261129);
        for (String region : java.util.List.of("US", "CA", "PR", "JM")) {
            final PhoneNumbers numbers = new PhoneNumbers(region);
            int valid = 0;
            for (int i = 0; i < 100_000; i++) {
                final StringBuilder raw = new StringBuilder();
                raw.append((char) ('2' + random.nextInt(8)));
                for (int d = 1; d < 10; d++) {
                    raw.append((char) ('0' + random.nextInt(10)));
                }
                final String number = raw.toString();
                assertThat(PhoneNumbers.nanpNational(number)).isTrue();
                final String verdict = verdict(numbers, number);
                assertThat(verdict).as(region + " " + number).isEqualTo(slowVerdict(numbers, number));
                valid += verdict.startsWith("+") ? 1 : 0;
            }
            assertThat(valid).as(region + ": both valid and invalid numbers are tried").isBetween(10_000, 90_000);
        }
        assertThat(PhoneNumbers.nanpNational("1212555010")).isFalse();
        assertThat(PhoneNumbers.nanpNational("212555010")).isFalse();
        assertThat(PhoneNumbers.nanpNational("212-555-01")).isFalse();
        // Outside NANP regions ten digits are read as the region's own.
        final PhoneNumbers de = new PhoneNumbers("DE");
        assertThat(verdict(de, "3012345678")).isEqualTo(slowVerdict(de, "3012345678"));
    }

    @Test
    void theCompiledValidityAgreesAroundEveryExampleNumber() {
        // Random digits are mostly invalid; libphonenumber's example numbers, and numbers one edit
        // away from them, put the valid side of every region's patterns to the test.
        final com.google.i18n.phonenumbers.PhoneNumberUtil util =
                com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        final java.util.List<com.google.i18n.phonenumbers.Phonenumber.PhoneNumber> examples = new java.util.ArrayList<>();
        for (String region : util.getSupportedRegions()) {
            for (var type : com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.values()) {
                final var example = util.getExampleNumberForType(region, type);
                if (example != null) {
                    examples.add(example);
                }
            }
        }
        for (int cc : util.getSupportedGlobalNetworkCallingCodes()) {
            final var example = util.getExampleNumberForNonGeoEntity(cc);
            if (example != null) {
                examples.add(example);
            }
        }
        int valid = 0;
        int checked = 0;
        for (var example : examples) {
            final String e164 = util.format(example, com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.E164);
            for (int m = 0; m < 40; m++) {
                final StringBuilder raw = new StringBuilder(e164);
                switch (m % 4) {
                    case 0 -> { } // the example itself, and below its neighbours
                    case 1 -> raw.setCharAt(2 + random.nextInt(raw.length() - 2), (char) ('0' + random.nextInt(10)));
                    case 2 -> raw.append((char) ('0' + random.nextInt(10)));
                    default -> raw.setLength(Math.max(3, raw.length() - 1));
                }
                final String number = raw.toString();
                final String verdict = verdict(us, number);
                assertThat(verdict).as(number).isEqualTo(slowVerdict(us, number));
                valid += verdict.startsWith("+") ? 1 : 0;
                checked++;
            }
        }
        assertThat(examples).hasSizeGreaterThan(1000);
        assertThat(valid).as("valid numbers among %d checked", checked).isGreaterThan(checked / 3);
    }

    @Test
    void theFastPathAgreesOnEdgeCases() {
        for (String raw : new String[] {"+14155552671", "+1415555267", "+141555526712", "+442079460958",
                "+4402079460958", "+390612345678", "+3900612345678", "+80012345678", "+8001234567",
                "+9999999999", "+10", "+1", "+79161234567", "+880123456789", "+52155512345678", "+5215551234567",
                "+000", "+0123456789", "+12025550123", "+12005550123", "+61491570156", "+6104915701567"}) {
            assertThat(verdict(us, raw)).as(raw).isEqualTo(slowVerdict(us, raw));
        }
    }

    @Test
    void refusesAnUnknownDefaultRegion() {
        assertThatThrownBy(() -> new PhoneNumbers("XX")).hasMessageContaining("defaultRegion: \"XX\"");
    }
}
