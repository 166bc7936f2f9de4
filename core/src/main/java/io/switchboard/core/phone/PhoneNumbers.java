package io.switchboard.core.phone;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.switchboard.core.InvalidArgumentException;

/**
 * Parses phone numbers as people write them (E.164, national formats in a default region,
 * separators, full-width digits) into canonical E.164 ({@code +14155552671}), accepting only
 * numbers that libphonenumber's metadata says are valid.
 *
 * <p>Input already in strict E.164 ({@code +} and 3 to 18 ASCII digits) takes a fast path that
 * skips libphonenumber's {@code parse}, its costliest step, but gives its answers exactly: it
 * extracts the country code as {@code parse} does (the first known 1-, 2- or 3-digit prefix),
 * keeps leading zeros as {@code parse} does, and hands any number that {@code parse} might
 * change (one whose national part starts with a national prefix it would strip) to
 * {@code parse} after all. Validity is libphonenumber's {@code isValidNumber}, compiled from its
 * metadata into one automaton per calling code ({@link ValidityAutomata}).
 * {@code PhoneNumbersTest} compares both paths on random and edge-case input.
 *
 * <p>Thread-safe; one instance serves every caller.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** libphonenumber's bounds on a national significant number's length. */
    private static final int MIN_NSN = 2;
    private static final int MAX_NSN = 17;
    /**
     * Per country calling code: the national prefix that {@code parse} would strip (matched at
     * the start of the national number), {@code NONE} where there is none, or absent where the
     * code is unknown. Built once.
     */
    private static final Pattern NONE = Pattern.compile("(?!)");
    private static final Pattern[] NATIONAL_PREFIX = nationalPrefixes();
    /** The prefixes of {@link #NATIONAL_PREFIX} that are plain digits, such as NANP's {@code 1}: no regex needed. */
    private static final String[] LITERAL_PREFIX = literalPrefixes();
    private static final ValidityAutomata AUTOMATA = new ValidityAutomata();

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
        this.nanp = UTIL.getCountryCodeForRegion(region) == 1;
    }

    /** Whether numbers without a country code are NANP numbers (+1): US, CA and the other NANP regions. */
    private final boolean nanp;

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
        if (nanp && nanpNational(raw)) {
            // Ten digits, the first 2-9, in a NANP region: parse reads them as +1 and these ten
            // digits (no national or international prefix can start with 2-9), so the strict
            // E.164 path decides exactly as the slow one would. Registries publish this form.
            final String e164 = "+1" + raw;
            if (strictE164Valid(e164)) {
                return e164;
            }
            throw new InvalidArgumentException(field, raw, "a valid phone number; +1 has no number like it");
        }
        final Boolean fast = strictE164Valid(raw);
        if (fast != null) {
            if (fast) {
                return raw;
            }
            throw new InvalidArgumentException(field, raw, "a valid phone number; " + raw.substring(0, 2)
                                                           + "… has no number like it");
        }
        return slowPath(field, raw);
    }

    /**
     * Returns {@code raw} in E.164 as a number: its digits without the {@code +}
     * ({@code +14155552671} is {@code 14155552671L}); E.164 numbers never start with 0, so
     * nothing is lost.
     *
     * @throws InvalidArgumentException naming {@code field} and why the number is not valid
     */
    public long toDigits(String field, String raw) {
        final String e164 = toE164(field, raw);
        return Long.parseLong(e164, 1, e164.length(), 10);
    }

    /** Returns {@code digits} (as from {@link #toDigits}) written in E.164, e.g. {@code +14155552671}. */
    public static String e164(long digits) {
        return "+" + digits;
    }

    /** Returns the answer of libphonenumber's own parse and validation, for any input: the baseline of the fast path. */
    public String slowPath(String field, String raw) {
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

    /** Returns whether {@code raw} is ten ASCII digits, the first 2-9: a NANP number written nationally. */
    static boolean nanpNational(String raw) {
        if (raw.length() != 10 || raw.charAt(0) < '2' || raw.charAt(0) > '9') {
            return false;
        }
        for (int i = 1; i < 10; i++) {
            final char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * For strict E.164 input, returns whether it is valid, exactly as the slow path would decide;
     * {@code null} when the input is not strict E.164 or {@code parse} might rewrite it.
     */
    static @Nullable Boolean strictE164Valid(String raw) {
        final int length = raw.length();
        if (length < 4 || length > 1 + 3 + MAX_NSN || raw.charAt(0) != '+' || raw.charAt(1) == '0') {
            return null;
        }
        for (int i = 1; i < length; i++) {
            final char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        // parse: the country code is the first 1-, 2- or 3-digit prefix that is a known code.
        int cc = 0;
        int ccLength = 0;
        for (int i = 1; i <= 3 && i < length; i++) {
            final int candidate = Integer.parseInt(raw, 1, 1 + i, 10);
            if (candidate < NATIONAL_PREFIX.length && NATIONAL_PREFIX[candidate] != null) {
                cc = candidate;
                ccLength = i;
                break;
            }
        }
        if (cc == 0) {
            return false; // parse: INVALID_COUNTRY_CODE
        }
        final String nsn = raw.substring(1 + ccLength);
        if (nsn.length() < MIN_NSN || nsn.length() > MAX_NSN) {
            return false; // parse: TOO_SHORT_NSN, TOO_LONG
        }
        final String literal = LITERAL_PREFIX[cc];
        if (literal != null ? nsn.startsWith(literal)
                            : NATIONAL_PREFIX[cc] != NONE && NATIONAL_PREFIX[cc].matcher(nsn).lookingAt()) {
            return null; // parse might strip a national prefix: let it decide
        }
        final Boolean compiled = AUTOMATA.valid(cc, nsn);
        if (compiled != null) {
            return compiled;
        }
        final PhoneNumber number = new PhoneNumber().setCountryCode(cc).setNationalNumber(Long.parseLong(nsn));
        // parse keeps leading zeros (Italian numbers and the like), all but a lone last digit.
        if (nsn.length() > 1 && nsn.charAt(0) == '0') {
            number.setItalianLeadingZero(true);
            int zeros = 1;
            while (zeros < nsn.length() - 1 && nsn.charAt(zeros) == '0') {
                zeros++;
            }
            if (zeros != 1) {
                number.setNumberOfLeadingZeros(zeros);
            }
        }
        return UTIL.isValidNumber(number);
    }

    private static Pattern[] nationalPrefixes() {
        // The same metadata PhoneNumberUtil.getInstance() reads.
        final MetadataSource source = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
        final Pattern[] prefixes = new Pattern[1000];
        for (int cc : UTIL.getSupportedCallingCodes()) {
            final String region = UTIL.getRegionCodeForCountryCode(cc);
            final Phonemetadata.PhoneMetadata metadata =
                    "001".equals(region) ? source.getMetadataForNonGeographicalRegion(cc)
                                         : source.getMetadataForRegion(region);
            final String prefix = metadata == null ? "" : metadata.getNationalPrefixForParsing();
            prefixes[cc] = prefix.isEmpty() ? NONE : Pattern.compile(prefix);
        }
        return prefixes;
    }

    private static String[] literalPrefixes() {
        final String[] literals = new String[NATIONAL_PREFIX.length];
        for (int cc = 0; cc < literals.length; cc++) {
            final Pattern p = NATIONAL_PREFIX[cc];
            if (p != null && p != NONE && p.pattern().matches("[0-9]+")) {
                literals[cc] = p.pattern();
            }
        }
        return literals;
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
