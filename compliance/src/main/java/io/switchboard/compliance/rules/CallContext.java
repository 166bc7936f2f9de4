package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a call is, as far as the rules care: its purpose, how it is dialled (null: not said, so
 * every rule applies whatever method it names) and the consent held for the contact.
 *
 * @param purpose what the call is for
 * @param dialMethod how it is placed, or null when not said
 * @param consent the consent or relationship held, or null
 */
public record CallContext(Purpose purpose, @Nullable DialMethod dialMethod, @Nullable Consent consent) {

    /** A telephone solicitation, method not said, no consent: what a contact without fields is. */
    public static final CallContext DEFAULT = new CallContext(Purpose.TELEPHONE_SOLICITATION, null, null);

    /** Checks the fields. */
    public CallContext {
        requireNonNull(purpose, "purpose");
    }

    /** Returns the exemptions in force at {@code at}. */
    public Set<Exemption> exemptionsAt(Instant at) {
        return consent == null ? Set.of() : consent.exemptionsAt(at);
    }
}
