package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether numbers may be called, with a risk level: a blocked number's reason is
 * {@code geo_blocked_<riskLevel>}.
 *
 * @param allowed whether the numbers may be called
 * @param riskLevel a lower-case word such as {@code high}; letters, digits and {@code _}
 */
public record GeoRule(boolean allowed, String riskLevel) {

    private static final Pattern RISK = Pattern.compile("[a-z0-9_]{1,32}");

    /** Checks the risk level, lower-casing it. */
    public GeoRule {
        requireNonNull(riskLevel, "riskLevel");
        riskLevel = riskLevel.toLowerCase(Locale.ROOT);
        if (!RISK.matcher(riskLevel).matches()) {
            throw new IllegalArgumentException("riskLevel: \"" + riskLevel
                                               + "\" (expected: 1..32 of a-z 0-9 _, e.g. high)");
        }
    }

    /** Returns the reason a number blocked by this rule gets. */
    public String reason() {
        return "geo_blocked_" + riskLevel;
    }
}
