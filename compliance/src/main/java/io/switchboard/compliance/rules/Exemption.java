package io.switchboard.compliance.rules;

import org.jspecify.annotations.Nullable;

/** What can take a call out of a rule's reach, as a rule's {@code exemptWith} names it. */
public enum Exemption {
    /** Prior express written consent (47 CFR 64.1200(f)(9)). */
    PRIOR_EXPRESS_WRITTEN,
    /** Prior express invitation or permission, written or not. */
    PRIOR_EXPRESS,
    /** An established business relationship (16 CFR 310.2(q); 47 CFR 64.1200(f)(5)). */
    EBR;

    /** Returns the name on the wire and in rule files, e.g. {@code prior_express_written}. */
    public String wire() {
        return WireNames.of(this);
    }

    /** Returns the constant named {@code wire}, or null. */
    public static @Nullable Exemption of(String wire) {
        return WireNames.find(Exemption.class, wire);
    }

    /** Returns the wire names, for messages. */
    public static String expected() {
        return WireNames.expected(Exemption.class);
    }
}
