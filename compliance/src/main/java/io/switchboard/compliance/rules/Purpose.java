package io.switchboard.compliance.rules;

import org.jspecify.annotations.Nullable;

/** What a call is for; a rule governs the purposes it names. */
public enum Purpose {
    /** Encouraging a purchase, rental or investment: the default. */
    TELEPHONE_SOLICITATION,
    /** Collecting a debt. */
    DEBT_COLLECTION,
    /** Informing, with nothing sold: reminders, notices. */
    INFORMATIONAL;

    /** Returns the name on the wire and in rule files, e.g. {@code telephone_solicitation}. */
    public String wire() {
        return WireNames.of(this);
    }

    /** Returns the constant named {@code wire}, or null. */
    public static @Nullable Purpose of(String wire) {
        return WireNames.find(Purpose.class, wire);
    }

    /** Returns the wire names, for messages. */
    public static String expected() {
        return WireNames.expected(Purpose.class);
    }
}
