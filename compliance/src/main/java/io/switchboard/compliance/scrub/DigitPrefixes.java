package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A map from digit prefixes of E.164 numbers to values, answering the longest prefix of a number
 * that it holds: {@code 1} for North America, {@code 1808} for Hawaii, and so on. Numbers and
 * prefixes are held as {@code long}s; no strings are made on lookup. Immutable and thread-safe.
 *
 * @param <V> the values
 */
public final class DigitPrefixes<V> {

    /** E.164 numbers have at most 15 digits; libphonenumber accepts up to 3 + 17. */
    private static final int MAX_DIGITS = 19;
    private static final long[] POWERS = new long[MAX_DIGITS + 1];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    /**
     * An open-addressing table: key = prefix value * 32 + prefix length (so that "1" and "01"
     * differ), 0 for an empty slot; lookups make no objects.
     */
    private final long[] keys;
    private final Object[] values;
    private final int mask;
    private final int longest;

    /**
     * Creates a map from {@code prefixes}, each 1 to 18 ASCII digits.
     *
     * @throws IllegalArgumentException naming a prefix that is not digits
     */
    public DigitPrefixes(Map<String, V> prefixes) {
        requireNonNull(prefixes, "prefixes");
        final Map<Long, V> keyed = new HashMap<>();
        int max = 0;
        for (Map.Entry<String, V> e : prefixes.entrySet()) {
            final String prefix = e.getKey();
            if (!isDigits(prefix)) {
                throw new IllegalArgumentException("prefix: \"" + prefix + "\" (expected: 1..18 digits)");
            }
            keyed.put(key(Long.parseLong(prefix), prefix.length()), requireNonNull(e.getValue(), prefix));
            max = Math.max(max, prefix.length());
        }
        int capacity = 16;
        while (capacity < keyed.size() * 2) {
            capacity <<= 1;
        }
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (Map.Entry<Long, V> e : keyed.entrySet()) {
            int slot = slot(e.getKey());
            while (keys[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = e.getKey();
            values[slot] = e.getValue();
        }
        longest = max;
    }

    /** Returns whether {@code s} is 1 to 18 ASCII digits. */
    public static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Returns the value of the longest prefix of {@code e164} (its digits as a number), or null. */
    public @Nullable V longest(long e164) {
        if (longest == 0) {
            return null;
        }
        final int digits = digits(e164);
        for (int length = Math.min(digits, longest); length >= 1; length--) {
            final V value = get(key(e164 / POWERS[digits - length], length));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private @Nullable V get(long key) {
        for (int slot = slot(key); keys[slot] != 0; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return (V) values[slot];
            }
        }
        return null;
    }

    private int slot(long key) {
        return (int) (key ^ (key >>> 29) ^ (key >>> 41)) * 0x9E3779B1 >>> 7 & mask;
    }

    private static long key(long prefix, int length) {
        return prefix * 32 + length;
    }

    private static int digits(long n) {
        int d = 1;
        while (d < MAX_DIGITS && n >= POWERS[d]) {
            d++;
        }
        return d;
    }
}
