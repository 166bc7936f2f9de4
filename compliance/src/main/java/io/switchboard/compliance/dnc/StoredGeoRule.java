package io.switchboard.compliance.dnc;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.switchboard.compliance.scrub.GeoRule;

/**
 * A geographic rule as stored: the JSON of Redis's {@code dnc:geo_rules} values,
 * {@code {"Allowed": false, "RiskLevel": "high"}}, with Go's field names.
 */
record StoredGeoRule(@JsonProperty("Allowed") boolean allowed, @JsonProperty("RiskLevel") String riskLevel) {

    @JsonCreator
    StoredGeoRule(@JsonProperty(value = "Allowed", required = true) boolean allowed,
                  @JsonProperty(value = "RiskLevel") String riskLevel) {
        this.allowed = allowed;
        this.riskLevel = riskLevel == null ? "" : riskLevel;
    }

    static StoredGeoRule of(GeoRule rule) {
        return new StoredGeoRule(rule.allowed(), rule.riskLevel());
    }

    /**
     * Returns the rule. Risk levels written by other tools are made to fit: lower case, anything
     * but letters, digits and {@code _} replaced by {@code _}, an empty one read as {@code unspecified}.
     */
    GeoRule toRule() {
        String risk = riskLevel.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (risk.isEmpty()) {
            risk = "unspecified";
        }
        if (risk.length() > 32) {
            risk = risk.substring(0, 32);
        }
        return new GeoRule(allowed, risk);
    }

    /** Returns the digits of a stored key, {@code +14155552671} or {@code 14155552671}. */
    static long digits(String key) {
        final String digits = key.startsWith("+") ? key.substring(1) : key;
        try {
            final long n = Long.parseLong(digits);
            if (n <= 0 || digits.length() > 18) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("geo rule key: \"" + key + "\" (expected: an E.164 number)");
        }
    }
}
