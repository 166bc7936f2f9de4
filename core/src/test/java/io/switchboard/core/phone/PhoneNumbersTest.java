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

    @Test
    void refusesAnUnknownDefaultRegion() {
        assertThatThrownBy(() -> new PhoneNumbers("XX")).hasMessageContaining("defaultRegion: \"XX\"");
    }
}
