package io.switchboard.gateway.logging;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonStreamContext;

import io.switchboard.core.Secrets;
import net.logstash.logback.mask.ValueMasker;

/**
 * Masks every configured secret ({@link Secrets}) in every string value of every JSON log line,
 * messages and stack traces included, wherever it came from: the last line of defence behind
 * the rule that secrets are never passed to a logger. Named in {@code logback.xml}.
 */
public final class SecretMasker implements ValueMasker {

    @Override
    public @Nullable Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            final String original = text.toString();
            final String redacted = Secrets.redact(original);
            return redacted.equals(original) ? null : redacted;
        }
        return null;
    }
}
