package io.switchboard.compliance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class RulePackTest {

    private static final Set<String> US = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
            "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
            "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY");
    private static final Set<String> CA = Set.of("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK",
                                                 "YT");

    @Test
    void theShippedPackCoversEveryStateProvinceAndBothFederalJurisdictions() {
        final RulePack pack = RulePack.shipped();
        final Set<String> expected = new TreeSet<>(Set.of("US", "CA"));
        US.forEach(s -> expected.add("US-" + s));
        CA.forEach(p -> expected.add("CA-" + p));
        assertThat(pack.jurisdictions().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pack.version()).matches("\\d{4}\\.\\d{2}\\.\\d{2}");
        for (Jurisdiction j : pack.jurisdictions().values()) {
            // Every jurisdiction has rules with citations, or says which sources show it has none.
            if (j.rules().isEmpty()) {
                assertThat(j.noStricterRule()).as(j.id()).isNotNull();
                assertThat(j.noStricterRule().sources()).as(j.id()).isNotEmpty();
            }
            for (CallingRule r : j.rules()) {
                assertThat(r.citation()).as(r.id()).isNotBlank();
                assertThat(r.url()).as(r.id()).startsWith("http");
                assertThat(r.confidence()).as(r.id()).isIn("H", "M", "L");
            }
        }
    }
}
