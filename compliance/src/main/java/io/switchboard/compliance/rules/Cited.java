package io.switchboard.compliance.rules;

import org.jspecify.annotations.Nullable;

/**
 * What a blocked decision names as its ground: a calling rule or a frequency cap, with its
 * jurisdiction and the law it comes from.
 */
public interface Cited {

    /** Returns its id, e.g. {@code US-FL-window} or {@code US-FL-attempts}. */
    String id();

    /** Returns its jurisdiction, e.g. {@code US-FL}; null for an operator's own cap. */
    @Nullable String jurisdiction();

    /** Returns the law it comes from, or the setting that declared it. */
    String citation();
}
