package io.switchboard.compliance.dnc;

import java.util.Locale;

/**
 * How the DNC lists are keyed on Redis.
 */
public enum RedisLayout {
    /** The seed's keys: a list is one SET of E.164 strings ({@code dnc:blacklist}). One server only. */
    LEGACY,
    /** One SET of compact integers per number prefix ({@link ShardedSets}): a cluster spreads it over its nodes. */
    SHARDED,
    /**
     * Both, for moving from {@link #LEGACY} to {@link #SHARDED}: every write goes to both, and a
     * number is listed when either layout lists it, so that a sharded copy still being filled
     * never lets a call through.
     */
    DUAL;

    /** Returns the layout named {@code name} ({@code legacy}, {@code sharded}, {@code dual}). */
    public static RedisLayout of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Returns the name in settings. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
