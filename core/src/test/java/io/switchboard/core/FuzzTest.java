package io.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.core.yaml.YamlFields;
import io.switchboard.core.yaml.YamlProblem;

/**
 * Fuzzing the core's parsers of outside input: phone numbers and hand-written YAML. Whatever
 * comes in, the answer is a value or the documented refusal naming the field, never another
 * exception. A failure found here becomes an example below.
 */
class FuzzTest {

    private static final PhoneNumbers US = new PhoneNumbers("US");

    @Property
    void aPhoneNumberIsE164DigitsOrARefusalNamingTheField(@ForAll("phoneLike") String input) {
        try {
            final long digits = US.toDigits("phoneNumber", input);
            // Valid numbers run to 15 digits in E.164, a few more where libphonenumber accepts longer national ones.
            assertThat(digits).isBetween(1_000_000L, Long.MAX_VALUE);
            assertThat(US.toE164("phoneNumber", input)).isEqualTo("+" + digits);
        } catch (InvalidArgumentException e) {
            assertThat(e.field()).isEqualTo("phoneNumber");
            assertThat(e.getMessage()).startsWith("phoneNumber: ").contains("(expected: ");
        }
    }

    @Provide
    Arbitrary<String> phoneLike() {
        final Arbitrary<String> shaped = Arbitraries.strings().withChars("+0123456789 ()-.x#*\u0660\uff11")
                                                    .ofMinLength(0).ofMaxLength(40);
        final Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(64);
        final Arbitrary<String> seeds = Arbitraries.of("+14155552671", "(415) 555-2671", "+1 415 555 2671 x12", "",
                                                       "+", "++1", "+999123", "1".repeat(500), "\u0000", "+44 20 7946 0958",
                                                       "+1415555267１", "tel:+14155552671", "+1-800-FLOWERS");
        return Arbitraries.oneOf(shaped, anything, seeds);
    }

    @Property
    void yamlIsReadOrRefusedNamingALine(@ForAll("yamlLike") String input) {
        try {
            final var root = YamlFields.parse("fuzz.yaml", input);
            if (root == null) {
                return;
            }
            final YamlFields f = new YamlFields("fuzz.yaml", "", root);
            f.text("name", null);
            f.strings("list", java.util.List.of());
            f.integer("count", 0, 10, 0);
            f.done();
        } catch (YamlProblem e) {
            assertThat(e.line()).isPositive();
            assertThat(e.getMessage()).startsWith("fuzz.yaml:");
        }
    }

    @Provide
    Arbitrary<String> yamlLike() {
        final Arbitrary<String> yamlChars = Arbitraries.strings().withChars("abc:- \n\t[]{},&*!|>'\"#%@`?0123456789")
                                                       .ofMaxLength(120);
        final Arbitrary<String> seeds = Arbitraries.of("name: x\n", "name: x\nname: y\n", "[" .repeat(2000),
                                                       "a: &a [*a, *a]\n", "count: 99999999999999999999\n",
                                                       "list: {a: b}\n", "name: [1, 2]\n", "\ufeffname: x\n",
                                                       "!!java.lang.Runtime {}\n", "a: &x 1\nb: *x\n");
        return Arbitraries.oneOf(yamlChars, Arbitraries.strings().all().ofMaxLength(80), seeds);
    }
}
