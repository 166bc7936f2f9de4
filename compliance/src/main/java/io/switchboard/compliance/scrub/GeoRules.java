package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Geographic rules by number prefix: a country code ({@code +44}), a NANP area code
 * ({@code +1808}) or any longer prefix. The longest prefix that matches a number wins, so
 * {@code +1 allow} and {@code +1900 block} block only the 900 numbers. Immutable and thread-safe.
 */
public final class GeoRules {

    private static final GeoRules NONE = new GeoRules(new DigitPrefixes<>(Map.of()));

    private final DigitPrefixes<GeoRule> byPrefix;

    private GeoRules(DigitPrefixes<GeoRule> byPrefix) {
        this.byPrefix = byPrefix;
    }

    /** Returns no rules: every number is allowed as far as prefixes go. */
    public static GeoRules none() {
        return NONE;
    }

    /**
     * Returns the rules {@code byPrefix}, each prefix written {@code +<digits>} or {@code <digits>}.
     *
     * @throws IllegalArgumentException naming a prefix that is not 1 to 18 digits
     */
    public static GeoRules of(Map<String, GeoRule> byPrefix) {
        requireNonNull(byPrefix, "byPrefix");
        final Map<String, GeoRule> digits = new LinkedHashMap<>();
        for (Map.Entry<String, GeoRule> e : byPrefix.entrySet()) {
            final String prefix = e.getKey().startsWith("+") ? e.getKey().substring(1) : e.getKey();
            if (!DigitPrefixes.isDigits(prefix)) {
                throw new IllegalArgumentException("prefix: \"" + e.getKey() + "\" (expected: + and 1..18 digits, "
                                                   + "e.g. +1808)");
            }
            if (digits.put(prefix, e.getValue()) != null) {
                throw new IllegalArgumentException("prefix: \"" + e.getKey() + "\" (expected: each prefix once)");
            }
        }
        return new GeoRules(new DigitPrefixes<>(digits));
    }

    /** Returns the rule of the longest prefix of {@code e164} (its digits as a number), or null. */
    public @Nullable GeoRule ruleFor(long e164) {
        return byPrefix.longest(e164);
    }
}
