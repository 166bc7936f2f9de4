package io.switchboard.core.calls;

import static java.util.Objects.requireNonNull;

import io.switchboard.core.InvalidArgumentException;

/**
 * A validated sequence of DTMF events as defined by
 * <a href="https://www.rfc-editor.org/rfc/rfc4733#section-3.2">RFC 4733, section 3.2</a>:
 * the digits 0-9, {@code *}, {@code #} and A-D. Letters are accepted in either case and
 * held in upper case.
 *
 * @param value the tones, upper case, 1 to {@value #MAX_TONES} characters
 */
public record DtmfTones(String value) {

    /** The most tones one command may carry. */
    public static final int MAX_TONES = 32;

    static final String EXPECTED = "1.." + MAX_TONES + " of 0-9 * # A-D";

    /** Checks {@code value}; use {@link #parse(String, String)} for caller input. */
    public DtmfTones {
        requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_TONES) {
            throw new IllegalArgumentException("value: " + value + " (expected: " + EXPECTED + ')');
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isTone(value.charAt(i))) {
                throw new IllegalArgumentException("value: " + value + " (expected: " + EXPECTED + ')');
            }
        }
    }

    /**
     * Parses caller input, accepting lower-case A-D.
     *
     * @param field the field name to report when {@code raw} is rejected
     * @throws InvalidArgumentException naming {@code field} and the first bad character
     */
    public static DtmfTones parse(String field, String raw) {
        requireNonNull(field, "field");
        requireNonNull(raw, "raw");
        if (raw.isEmpty() || raw.length() > MAX_TONES) {
            throw new InvalidArgumentException(field, raw, EXPECTED);
        }
        final char[] tones = new char[raw.length()];
        for (int i = 0; i < tones.length; i++) {
            final char c = Character.toUpperCase(raw.charAt(i));
            if (!isTone(c)) {
                throw new InvalidArgumentException(
                        field, raw, EXPECTED + "; '" + raw.charAt(i) + "' at position " + (i + 1) + " is not");
            }
            tones[i] = c;
        }
        return new DtmfTones(new String(tones));
    }

    /** Returns the number of tones. */
    public int size() {
        return value.length();
    }

    /** Returns the tone at {@code index}, as a one-character string. */
    public String tone(int index) {
        return String.valueOf(value.charAt(index));
    }

    private static boolean isTone(char c) {
        return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
    }
}
