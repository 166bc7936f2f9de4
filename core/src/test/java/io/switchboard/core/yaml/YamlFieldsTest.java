package io.switchboard.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class YamlFieldsTest {

    @Test
    void aFieldGivenTwiceIsRefusedNamingItsLine() {
        // JSON is YAML: the parser keeps both entries, so the reader must refuse the second.
        assertThatThrownBy(() -> new YamlFields("body", "", YamlFields.parse("body", "{\"a\": 1,\n \"a\": 2}")))
                .isInstanceOf(YamlProblem.class)
                .hasMessage("body:2: a: given twice (expected: each field once)");
    }

    @Test
    void anUnknownFieldAndAMalformedValueNameFileLineAndField() {
        final YamlFields f = new YamlFields("rules/X.yaml", "", YamlFields.parse("rules/X.yaml", "name: ok\nnmae: typo\n"));
        assertThat(f.string("name", Pattern.compile("[a-z]+"), "letters")).isEqualTo("ok");
        assertThatThrownBy(f::done).hasMessageContaining("rules/X.yaml:2: nmae: unknown field (expected one of: [name])");
        final YamlFields g = new YamlFields("f", "", YamlFields.parse("f", "count: many\n"));
        assertThatThrownBy(() -> g.integer("count", 1, 10, null)).hasMessage("f:1: count: many (expected: 1..10)");
    }
}
