package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A limit on how often one subject may be called: at most {@code limit} attempts in any rolling
 * {@code window}, counted per campaign and per person (the contact id when the caller gives one,
 * else the number). A cap of the rule pack belongs to a jurisdiction and applies to numbers
 * there; an operator's cap ({@code compliance.campaignCaps}) belongs to one campaign.
 *
 * @param id e.g. {@code US-FL-attempts}, or {@code campaign:<id>} for an operator's cap
 * @param jurisdiction e.g. {@code US-FL}; null for an operator's cap
 * @param summary one line for readers
 * @param limit the most attempts in a window, at least 1
 * @param window the rolling window, at least a second
 * @param purposes the purposes it governs
 * @param dialMethods the dial methods whose attempts it counts and limits
 * @param citation the primary text, or the setting that declared it
 * @param url where to read it, or null
 * @param confidence {@code H}, {@code M} or {@code L}
 * @param notes anything else a reader should know, or null
 * @param source the file (and line) it was read from, or the setting
 */
public record FrequencyCap(String id, @Nullable String jurisdiction, String summary, int limit, Duration window,
                           Set<Purpose> purposes, Set<DialMethod> dialMethods, String citation, @Nullable String url,
                           String confidence, @Nullable String notes, String source) implements Cited {

    /** Checks and copies the fields. */
    public FrequencyCap {
        requireNonNull(id, "id");
        requireNonNull(summary, "summary");
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: at least 1)");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("window: " + window + " (expected: at least a second)");
        }
        purposes = Set.copyOf(purposes);
        dialMethods = Set.copyOf(dialMethods);
        requireNonNull(citation, "citation");
        requireNonNull(confidence, "confidence");
        requireNonNull(source, "source");
    }

    /**
     * Returns whether the cap limits a call of {@code call}: its purpose is one the cap governs,
     * and its dial method is one the cap counts, or is not said (then every cap applies).
     */
    public boolean governs(CallContext call) {
        return purposes.contains(call.purpose())
               && (call.dialMethod() == null || dialMethods.contains(call.dialMethod()));
    }

    /** Returns whether an attempt placed by {@code method} counts toward the cap (not said: it counts). */
    public boolean counts(@Nullable DialMethod method) {
        return method == null || dialMethods.contains(method);
    }

    /** Returns the window as the API and the rule files write it: {@code 24h}, {@code 8h}, {@code 30d}, {@code 90s}. */
    public String windowText() {
        return text(window);
    }

    /** Returns {@code d} as {@code 30d}, {@code 24h}, {@code 15m} or {@code 90s}, whichever is whole. */
    public static String text(Duration d) {
        final long s = d.getSeconds();
        if (s % 86_400 == 0 && s >= 86_400 * 2) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** Reads {@code 24h}, {@code 8h}, {@code 30d}, {@code 15m} or {@code 90s}; null when it is not one. */
    public static @Nullable Duration parseWindow(String text) {
        if (!text.matches("[1-9][0-9]{0,6}[smhd]")) {
            return null;
        }
        final long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** What a window must look like, for messages. */
    public static final String WINDOW_EXPECTED = "a duration such as 24h, 8h, 30d, 15m or 90s";
}
