package io.switchboard.core;

import static java.util.Objects.requireNonNull;

/**
 * Reports a request field that failed validation. The message always has the form
 * {@code field: value (expected: what)}, and that same text reaches the API caller.
 *
 * <p>Rejections happen on the request path, so this exception carries no stack trace.
 */
public final class InvalidArgumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The value of a required field that is absent: shown as {@code <missing>}, unquoted. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    private final String field;

    /**
     * Creates an exception for {@code field}, quoting the rejected {@code value} and saying
     * what was {@code expected}.
     */
    public InvalidArgumentException(String field, Object value, String expected) {
        super(requireNonNull(field, "field") + ": " + render(value) + " (expected: "
              + requireNonNull(expected, "expected") + ')', null, false, false);
        this.field = field;
    }

    /** Returns the name of the rejected field, as the API spells it. */
    public String field() {
        return field;
    }

    private static String render(Object value) {
        if (value instanceof CharSequence s) {
            return '"' + s.toString() + '"';
        }
        return String.valueOf(value);
    }
}
