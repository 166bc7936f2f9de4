package io.switchboard.compliance.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.InvalidArgumentException;

/**
 * The names that the closed sets of the rules ({@link Purpose}, {@link DialMethod},
 * {@link Exemption}, {@link Consent.Type}) have on the wire and in rule files: the constant's
 * name in lower case, e.g. {@code telephone_solicitation}.
 */
public final class WireNames {

    private WireNames() {}

    /** Returns {@code value}'s name on the wire. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Returns the constant of {@code type} named {@code wire}, or null. */
    public static <E extends Enum<E>> @Nullable E find(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(wire)) {
                return e;
            }
        }
        return null;
    }

    /** Returns every name of {@code type}, for messages: {@code manual, automated, prerecorded}. */
    public static String expected(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", "));
    }

    /**
     * Returns the constant of {@code type} that request field {@code field} names, or
     * {@code otherwise} when it is absent or empty.
     *
     * @throws InvalidArgumentException naming the field and every accepted name
     */
    public static <E extends Enum<E>> @Nullable E parse(Class<E> type, String field, @Nullable String value,
                                                       @Nullable E otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        final E found = find(type, value);
        if (found == null) {
            throw new InvalidArgumentException(field, value, "one of " + expected(type));
        }
        return found;
    }
}
