package io.switchboard.gateway.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

import io.switchboard.core.Secrets;

/**
 * The human-readable log layout (a terminal's), with every configured secret masked in the
 * whole line, message and stack trace alike: what {@link SecretMasker} does for JSON lines.
 * Named in {@code logback.xml}.
 */
public final class RedactingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return Secrets.redact(super.doLayout(event));
    }
}
