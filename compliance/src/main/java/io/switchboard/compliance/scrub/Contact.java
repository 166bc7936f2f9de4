package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.rules.CallContext;

/**
 * One contact to scrub: the number as given, where the contact is (optional ZIP or postal code,
 * optional state or province), and what the call is.
 *
 * @param phoneNumber as the caller wrote it; an invalid one is decided {@code invalid_number}
 * @param zip a US ZIP or Canadian postal code, or null
 * @param state a state or province code, or null
 * @param call purpose, dial method and consent
 * @param campaignId the campaign it is dialled for, or null: its scoped lists and caps apply
 * @param contactId the person, as the caller identifies them, or null: caps count by it
 */
public record Contact(@Nullable String phoneNumber, @Nullable String zip, @Nullable String state, CallContext call,
                      @Nullable String campaignId, @Nullable String contactId) {

    /** Checks the call. */
    public Contact {
        requireNonNull(call, "call");
    }

    /** A contact outside any campaign. */
    public Contact(@Nullable String phoneNumber, @Nullable String zip, @Nullable String state, CallContext call) {
        this(phoneNumber, zip, state, call, null, null);
    }

    /** Returns a contact with only a number: a telephone solicitation, nothing else known. */
    public static Contact of(@Nullable String phoneNumber) {
        return new Contact(phoneNumber, null, null, CallContext.DEFAULT);
    }

    /** Returns whether the contact carries anything beyond its number. */
    boolean plain() {
        return zip == null && state == null && call.equals(CallContext.DEFAULT);
    }
}
