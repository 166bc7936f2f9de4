package io.switchboard.core.phone;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.switchboard.core.InvalidArgumentException;

/**
 * Parses phone numbers as people write them (E.164, national formats in a default region,
 * separators, full-width digits) into canonical E.164 ({@code +14155552671}), accepting only
 * numbers that libphonenumber's metadata says are valid.
 *
 * <p>Thread-safe; one instance serves every caller.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    /**
     * Creates a parser that reads numbers without a country code as numbers of {@code defaultRegion}.
     *
     * @param defaultRegion an ISO 3166-1 alpha-2 code, e.g. {@code US}
     * @throws IllegalArgumentException if libphonenumber does not know the region
     */
    public PhoneNumbers(String defaultRegion) {
        requireNonNull(defaultRegion, "defaultRegion");
        final String region = defaultRegion.toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("defaultRegion: \"" + defaultRegion
                                               + "\" (expected: an ISO 3166-1 alpha-2 region, e.g. US)");
        }
        this.defaultRegion = region;
    }

    /** Returns the region that numbers without a country code belong to. */
    public String defaultRegion() {
        return defaultRegion;
    }

    /**
     * Returns {@code raw} in E.164.
     *
     * @param field the field name to report when {@code raw} is rejected, e.g. {@code blockedNumbers[3]}
     * @throws InvalidArgumentException naming {@code field} and why the number is not valid
     */
    public String toE164(String field, String raw) {
        requireNonNull(field, "field");
        requireNonNull(raw, "raw");
        final PhoneNumber number;
        try {
            number = UTIL.parse(raw, defaultRegion);
        } catch (NumberParseException e) {
            throw new InvalidArgumentException(field, raw, "a phone number; " + reason(e));
        }
        if (!UTIL.isValidNumber(number)) {
            throw new InvalidArgumentException(field, raw, "a valid phone number; +" + number.getCountryCode()
                                                           + " has no number like it");
        }
        return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static String reason(NumberParseException e) {
        return switch (e.getErrorType()) {
            case INVALID_COUNTRY_CODE -> "unknown country code";
            case NOT_A_NUMBER -> "not a number";
            case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "too short";
            case TOO_LONG -> "too long";
        };
    }
}
