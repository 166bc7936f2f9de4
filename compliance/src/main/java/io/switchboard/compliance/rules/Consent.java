package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a caller holds for one contact: a consent or a business relationship, from when, and
 * until when. It exempts a call from the rules that name its {@link Exemption} only while it is
 * in force: from {@code grantedAt} to {@code expiresAt}, or for a business relationship, 18
 * months after the last purchase or transaction and 3 months after an inquiry or application
 * (16 CFR 310.2(q)) unless an earlier end is given.
 *
 * @param type what is held
 * @param grantedAt when consent was given, or the date of the transaction or inquiry
 * @param expiresAt when it ends (a revocation, a policy), or null
 */
public record Consent(Type type, Instant grantedAt, @Nullable Instant expiresAt) {

    /** Checks the fields. */
    public Consent {
        requireNonNull(type, "type");
        requireNonNull(grantedAt, "grantedAt");
    }

    /** Returns the exemptions this consent gives at {@code at}: none before it is granted or after it ends. */
    public Set<Exemption> exemptionsAt(Instant at) {
        if (at.isBefore(grantedAt) || !at.isBefore(endsAt())) {
            return EnumSet.noneOf(Exemption.class);
        }
        return switch (type) {
            // Written consent is also consent: a rule exempting any prior express consent accepts it.
            case PRIOR_EXPRESS_WRITTEN -> EnumSet.of(Exemption.PRIOR_EXPRESS_WRITTEN, Exemption.PRIOR_EXPRESS);
            case PRIOR_EXPRESS -> EnumSet.of(Exemption.PRIOR_EXPRESS);
            case EBR_PURCHASE, EBR_INQUIRY -> EnumSet.of(Exemption.EBR);
        };
    }

    /** Returns when this consent stops exempting calls. */
    public Instant endsAt() {
        final Instant natural = switch (type) {
            case EBR_PURCHASE -> grantedAt.atOffset(ZoneOffset.UTC).plusMonths(18).toInstant();
            case EBR_INQUIRY -> grantedAt.atOffset(ZoneOffset.UTC).plusMonths(3).toInstant();
            default -> Instant.MAX;
        };
        return expiresAt != null && expiresAt.isBefore(natural) ? expiresAt : natural;
    }

    /** The kinds of consent and relationship a contact may carry. */
    public enum Type {
        /** Prior express written consent. */
        PRIOR_EXPRESS_WRITTEN,
        /** Prior express consent, not in writing. */
        PRIOR_EXPRESS,
        /** A purchase or transaction: an established business relationship for 18 months. */
        EBR_PURCHASE,
        /** An inquiry or application: an established business relationship for 3 months. */
        EBR_INQUIRY;

        /** Returns the name on the wire, e.g. {@code prior_express_written}. */
        public String wire() {
            return WireNames.of(this);
        }

        /** Returns the type named {@code wire}, or null. */
        public static @Nullable Type of(String wire) {
            return WireNames.find(Type.class, wire);
        }

        /** Returns the wire names, for messages. */
        public static String expected() {
            return WireNames.expected(Type.class);
        }
    }
}
