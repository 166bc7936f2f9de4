package io.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The secrets this process was configured with (client secrets, API keys, webhook secrets, and
 * the encoded forms they travel in), so that none of them reaches an answer, a log line or an
 * audit record even when an upstream echoes it back: {@link #redact} replaces each with
 * {@code <redacted>}, and {@link #excerpt} also shortens and cleans text that came from
 * outside before it is shown.
 *
 * <p>Process-wide, because the log encoder that masks log lines is built by the logging
 * framework, not by us. Thread-safe.
 */
public final class Secrets {

    /** What a redacted secret reads as. */
    public static final String REDACTED = "<redacted>";

    /**
     * Shorter values are not treated as secrets: they would redact ordinary words (the
     * sandbox's well-known secret, {@code sandbox}, among them). Real client secrets, API keys
     * (16 characters at least) and webhook secrets (16 at least) are longer.
     */
    private static final int MIN_LENGTH = 8;

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    /** {@link #KNOWN}, longest first: a secret inside a longer one must not leave the rest showing. */
    private static volatile List<String> longestFirst = List.of();

    /**
     * Registers {@code secret}, with its URL-encoded form (as it travels in a form body);
     * values shorter than 8 characters are ignored.
     */
    public static void register(@Nullable String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        KNOWN.add(secret);
        KNOWN.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        // Form bodies may also encode a space as %20 and leave ~ as it is.
        KNOWN.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~"));
        longestFirst = KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Registers a client's secret, and the {@code Basic} credentials (RFC 7617) made of its id and secret. */
    public static void registerClient(String clientId, String clientSecret) {
        requireNonNull(clientId, "clientId");
        register(clientSecret);
        register(Base64.getEncoder().encodeToString((clientId + ':' + clientSecret).getBytes(StandardCharsets.UTF_8)));
    }

    /** Returns {@code text} with every registered secret replaced by {@link #REDACTED}. */
    public static String redact(String text) {
        String out = text;
        for (String secret : longestFirst) {
            if (out.contains(secret)) {
                out = out.replace(secret, REDACTED);
            }
        }
        return out;
    }

    /**
     * Returns text that came from outside (an upstream's error message or body) fit to show:
     * secrets redacted, control characters replaced by spaces, at most {@code maxChars}
     * characters (then {@code …}). Null and blank give {@code ""}.
     */
    public static String excerpt(@Nullable String upstream, int maxChars) {
        if (upstream == null || upstream.isBlank()) {
            return "";
        }
        final String redacted = redact(upstream);
        final StringBuilder out = new StringBuilder(Math.min(redacted.length(), maxChars + 1));
        for (int i = 0; i < redacted.length() && out.length() < maxChars; i++) {
            final char c = redacted.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (redacted.length() > maxChars) {
            out.append('…');
        }
        return out.toString().strip();
    }

    private Secrets() {}
}
