package io.switchboard.compliance.rules;

import org.jspecify.annotations.Nullable;

/**
 * How a call is placed. A rule may govern only some methods (Maine's hours cover automated
 * calling devices only). A call whose method is not given is judged by every rule, whatever
 * methods it names: the strictest reading.
 */
public enum DialMethod {
    /** Dialled by a person. */
    MANUAL,
    /** Dialled by equipment: a predictive or progressive dialer, an automatic dialing device. */
    AUTOMATED,
    /** A prerecorded or artificial-voice message. */
    PRERECORDED;

    /** Returns the name on the wire and in rule files, e.g. {@code automated}. */
    public String wire() {
        return WireNames.of(this);
    }

    /** Returns the constant named {@code wire}, or null. */
    public static @Nullable DialMethod of(String wire) {
        return WireNames.find(DialMethod.class, wire);
    }

    /** Returns the wire names, for messages. */
    public static String expected() {
        return WireNames.expected(DialMethod.class);
    }
}
