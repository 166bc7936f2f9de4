package io.switchboard.compliance.rules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.scrub.DigitPrefixes;
import io.switchboard.core.InvalidArgumentException;

/**
 * Which jurisdictions a contact is in: from the number's NANP area code
 * ({@code areacodes.txt}, generated from libphonenumber's geocoding data by
 * {@code tools/generate-areacodes.sh}), from a US ZIP code's first three digits
 * ({@code zip3.txt}) or a Canadian postal code's first letter, and from a state or province
 * code. Immutable and thread-safe.
 */
public final class Locator {

    private static final String BASE = "/io/switchboard/compliance/rules/";
    private static final java.util.regex.Pattern US_ZIP = java.util.regex.Pattern.compile("\\d{5}(-\\d{4})?");
    private static final java.util.regex.Pattern CA_POSTAL = java.util.regex.Pattern.compile("[A-Z]\\d[A-Z] ?\\d[A-Z]\\d");
    private static final Locator DEFAULT = new Locator();

    private final DigitPrefixes<Integer> byAreaCode;
    private final List<String[]> areaSets;
    private final Map<String, String> byZip3;
    private final Map<Character, String[]> byPostalLetter;
    private final Set<String> subdivisions;
    private final Map<String, String[]> areas;

    private Locator() {
        final Map<String, String[]> areas = new HashMap<>();
        read("areacodes.txt", '|', (prefix, ids) -> areas.put(prefix, ids.split("&")));
        final Map<String, Integer> setIndex = new HashMap<>();
        final Map<String, Integer> byPrefix = new HashMap<>();
        final List<String[]> sets = new ArrayList<>();
        areas.forEach((prefix, ids) -> byPrefix.put(prefix, setIndex.computeIfAbsent(String.join("&", ids), k -> {
            sets.add(ids);
            return sets.size() - 1;
        })));
        byAreaCode = new DigitPrefixes<>(byPrefix);
        this.areas = Map.copyOf(areas);
        areaSets = List.copyOf(sets);
        final Map<String, String> zips = new HashMap<>();
        read("zip3.txt", '\t', (zip3, state) -> zips.put(zip3, "US-" + state));
        byZip3 = Map.copyOf(zips);
        final Map<Character, String[]> letters = new HashMap<>();
        read("postal-ca.txt", '\t', (letter, provinces) -> {
            final String[] ids = provinces.split(" ");
            for (int i = 0; i < ids.length; i++) {
                ids[i] = "CA-" + ids[i];
            }
            letters.put(letter.charAt(0), ids);
        });
        byPostalLetter = Map.copyOf(letters);
        final Set<String> all = new TreeSet<>(byZip3.values());
        areas.values().forEach(ids -> all.addAll(List.of(ids)));
        letters.values().forEach(ids -> all.addAll(List.of(ids)));
        subdivisions = Set.copyOf(all);
    }

    /** Returns the shipped maps, loaded once. */
    public static Locator shipped() {
        return DEFAULT;
    }

    /** Returns the jurisdictions of a NANP number's area code (e.g. {@code US-FL}), or null when not known. */
    public String @Nullable [] ofNumber(long e164) {
        final int area = areaOf(e164);
        return area == UNKNOWN ? null : areaSets.get(area).clone();
    }

    /** The area index of a number whose area code is not known. */
    public static final int UNKNOWN = -1;

    /**
     * Returns the index of the set of jurisdictions of {@code e164}'s area code, from 0 to
     * {@link #areaCount()} (exclusive), or {@link #UNKNOWN}: numbers of one index share their
     * jurisdictions, so that a caller can judge each index once.
     */
    public int areaOf(long e164) {
        final Integer area = byAreaCode.longest(e164);
        return area == null ? UNKNOWN : area;
    }

    /** Returns how many distinct sets of area-code jurisdictions there are. */
    public int areaCount() {
        return areaSets.size();
    }

    /** Returns the jurisdictions of area index {@code area}. */
    public String[] area(int area) {
        return areaSets.get(area).clone();
    }

    /**
     * Returns the jurisdictions of a postal code: a US ZIP ({@code 33101}, {@code 33101-1234}) or
     * a Canadian postal code ({@code K1A 0B1}).
     *
     * @param field the field's name in messages, e.g. {@code [3].zip}
     * @throws InvalidArgumentException naming the field and what was expected, when it is neither or not known
     */
    public String[] ofZip(String field, String zip) {
        final String z = zip.strip().toUpperCase(Locale.ROOT);
        if (US_ZIP.matcher(z).matches()) {
            final String state = byZip3.get(z.substring(0, 3));
            if (state == null) {
                throw new InvalidArgumentException(field, zip, "a ZIP code in use; " + z.substring(0, 3)
                                                               + " is no state's prefix");
            }
            return new String[] {state};
        }
        if (CA_POSTAL.matcher(z).matches()) {
            final String[] provinces = byPostalLetter.get(z.charAt(0));
            if (provinces == null) {
                throw new InvalidArgumentException(field, zip, "a Canadian postal code; no province's codes start "
                                                               + "with " + z.charAt(0));
            }
            return provinces.clone();
        }
        throw new InvalidArgumentException(field, zip, "a US ZIP code such as 33101 or 33101-1234, or a Canadian "
                                                       + "postal code such as K1A 0B1");
    }

    /**
     * Returns the jurisdiction of a state or province code ({@code FL}, {@code US-FL}, {@code ON}).
     *
     * @param field the field's name in messages, e.g. {@code [3].state}
     * @throws InvalidArgumentException naming the field and what was expected, when it is not one
     */
    public String ofState(String field, String state) {
        final String s = state.strip().toUpperCase(Locale.ROOT);
        if (subdivisions.contains(s)) {
            return s;
        }
        final boolean us = subdivisions.contains("US-" + s);
        final boolean ca = subdivisions.contains("CA-" + s);
        if (us != ca) {
            return us ? "US-" + s : "CA-" + s;
        }
        throw new InvalidArgumentException(field, state, "a US state or Canadian province code such as FL, DC, ON "
                                                         + "or US-FL");
    }

    /** Returns a US ZIP code's five digits ({@code 36602} of {@code 36602-1234}), for ZIP-scoped rules; else null. */
    public static @Nullable String zipPrefix(@Nullable String zip) {
        if (zip == null) {
            return null;
        }
        final String z = zip.strip();
        return US_ZIP.matcher(z).matches() ? z.substring(0, 5) : null;
    }

    /** Returns every area code (E.164 digits, e.g. {@code 1305}) with its jurisdictions. */
    public Map<String, String[]> areaCodes() {
        return areas;
    }

    /** Returns every subdivision the maps know, e.g. {@code US-FL}, {@code CA-ON}. */
    public Set<String> subdivisions() {
        return subdivisions;
    }

    private static void read(String name, char separator, BiConsumer<String, String> into) {
        final InputStream in = Locator.class.getResourceAsStream(BASE + name);
        if (in == null) {
            throw new IllegalStateException("rules/" + name + " is missing from the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                final int at = line.indexOf(separator);
                if (at <= 0) {
                    throw new IllegalStateException("rules/" + name + " line " + number + ": \"" + line
                                                    + "\" (expected: key" + separator + "value)");
                }
                final String value = line.substring(at + 1);
                final int extra = value.indexOf(separator);
                into.accept(line.substring(0, at), extra < 0 ? value : value.substring(0, extra));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules/" + name, e);
        }
    }
}
