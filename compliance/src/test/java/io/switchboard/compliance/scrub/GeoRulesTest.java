package io.switchboard.compliance.scrub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class GeoRulesTest {

    @Test
    void theLongestPrefixWins() {
        final GeoRules rules = GeoRules.of(Map.of("+1", new GeoRule(true, "low"),
                                                  "+1900", new GeoRule(false, "premium"),
                                                  "44", new GeoRule(false, "high")));
        assertThat(rules.ruleFor(12125550100L)).isEqualTo(new GeoRule(true, "low"));
        assertThat(rules.ruleFor(19005550100L)).isEqualTo(new GeoRule(false, "premium"));
        assertThat(rules.ruleFor(442079460000L)).isEqualTo(new GeoRule(false, "high"));
        assertThat(rules.ruleFor(33142685300L)).isNull();
        assertThat(GeoRules.none().ruleFor(12125550100L)).isNull();
    }

    @Test
    void aPrefixDoesNotMatchADifferentNumberOfTheSameValue() {
        // "1" and "01" have the same value; only digits at the start of the number count.
        final GeoRules rules = GeoRules.of(Map.of("+18", new GeoRule(false, "high")));
        assertThat(rules.ruleFor(18085550100L)).isNotNull();
        assertThat(rules.ruleFor(12125550100L)).isNull();
    }

    @Test
    void namesABadPrefixOrRiskLevel() {
        assertThatThrownBy(() -> GeoRules.of(Map.of("+1-808", new GeoRule(false, "high"))))
                .hasMessageContaining("prefix: \"+1-808\"");
        assertThatThrownBy(() -> new GeoRule(false, "very high"))
                .hasMessageContaining("riskLevel: \"very high\"");
        assertThat(new GeoRule(false, "HIGH").reason()).isEqualTo("geo_blocked_high");
    }
}
