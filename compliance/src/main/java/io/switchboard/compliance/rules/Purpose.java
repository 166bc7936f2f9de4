package io.switchboard.compliance.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/** What a call is for; a rule governs the purposes it names. */
public enum Purpose {
    /** Encouraging a purchase, rental or investment: the default. */
    TELEPHONE_SOLICITATION,
    /** Collecting a debt. */
    DEBT_COLLECTION,
    /** Informing, with nothing sold: reminders, notices. */
    INFORMATIONAL;

    /** Returns the name on the wire, e.g. {@code telephone_solicitation}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the purpose named {@code wire}, or null. */
    public static @Nullable Purpose of(String wire) {
        for (Purpose p : values()) {
            if (p.wire().equals(wire)) {
                return p;
            }
        }
        return null;
    }

    /** Returns the wire names, for messages: {@code telephone_solicitation, debt_collection, informational}. */
    public static String expected() {
        return Arrays.stream(values()).map(Purpose::wire).collect(Collectors.joining(", "));
    }
}
