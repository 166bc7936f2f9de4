package io.switchboard.gateway.internal;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Turns parser exceptions into one-line messages fit for an API caller. */
final class ErrorMessages {

    /**
     * Returns the most specific message in {@code cause}'s chain, without the input excerpts
     * that parsers append, or {@code null} if there is none.
     */
    static @Nullable String describe(@Nullable Throwable cause) {
        String message = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            final String m = t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
            if (m != null && !m.isBlank()) {
                message = m;
            }
        }
        if (message == null) {
            return null;
        }
        // Jackson quotes the input after the message, or inside it for an unclosed object or array.
        int excerpt = message.indexOf("\n at [Source");
        final int marker = message.indexOf(" (start marker at [Source");
        if (marker >= 0 && (excerpt < 0 || marker < excerpt)) {
            excerpt = marker;
        }
        final String line = (excerpt >= 0 ? message.substring(0, excerpt) : message).replace('\n', ' ').trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private ErrorMessages() {}
}
