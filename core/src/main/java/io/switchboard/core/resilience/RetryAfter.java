package io.switchboard.core.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Parses the {@code Retry-After} header of
 * <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110, section 10.2.3</a>:
 * either a number of seconds or an HTTP-date.
 */
public final class RetryAfter {

    /**
     * Returns how long to wait, measured from {@code clock}'s now for the HTTP-date form.
     * A date in the past means no wait. Malformed values are ignored, as RFC 9110 allows.
     */
    public static Optional<Duration> parse(@Nullable String value, Clock clock) {
        if (value == null) {
            return Optional.empty();
        }
        final String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (Character.isDigit(v.charAt(0))) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            final ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            final Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Formats {@code wait} as whole seconds, rounded up, for a {@code Retry-After} header. */
    public static String format(Duration wait) {
        final long millis = Math.max(0, wait.toMillis());
        return Long.toString((millis + 999) / 1000);
    }

    private RetryAfter() {}
}
