package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.compliance.rules.Consent;

/**
 * The records a number may carry besides its list entries, as {@link ListStore#records} keeps
 * them: consents ({@code consent|<scope>|<type>}) and opt-outs ({@code opt_out|<scope>}), each
 * as compact JSON.
 */
public final class Records {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {}

    /** Returns the field of a consent of {@code type} in {@code scope}. */
    public static String consentField(String scope, Consent.Type type) {
        return "consent|" + scope + '|' + type.wire();
    }

    /** Returns the field of an opt-out in {@code scope}. */
    public static String optOutField(String scope) {
        return "opt_out|" + scope;
    }

    /** Returns whether {@code field} is a consent's in {@code scope}. */
    public static boolean isConsentIn(String field, String scope) {
        return field.startsWith("consent|" + scope + '|');
    }

    /**
     * A consent or business relationship recorded for a number.
     *
     * @param scope where it applies: {@code global}, {@code campaign:<id>} or {@code brand:<name>}
     * @param type {@code prior_express_written}, {@code ebr_purchase} or {@code ebr_inquiry}
     * @param grantedAt ISO-8601 instant
     * @param expiresAt ISO-8601 instant, or null for the type's own end
     * @param source who recorded it (a CRM, an agent desktop)
     * @param recordedAt when it was recorded
     */
    public record StoredConsent(String scope, String type, String grantedAt, @Nullable String expiresAt, String source,
                                String recordedAt) {

        /** Returns it as a {@link Consent}, whose {@code endsAt} applies the type's own end. */
        public Consent consent() {
            return new Consent(requireNonNull(Consent.Type.of(type), "type"), Instant.parse(grantedAt),
                               expiresAt == null ? null : Instant.parse(expiresAt));
        }
    }

    /**
     * An opt-out recorded for a number.
     *
     * @param scope where it applies
     * @param source where it was captured (ivr, agent, bot, ...)
     * @param reason what was said, or null
     * @param at when the person opted out
     * @param recordedAt when it was recorded
     */
    public record StoredOptOut(String scope, String source, @Nullable String reason, String at, String recordedAt) {}

    /** Returns {@code record} as compact JSON. */
    public static String write(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a record of {@code type}; null when it is not one. */
    public static <T> @Nullable T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
