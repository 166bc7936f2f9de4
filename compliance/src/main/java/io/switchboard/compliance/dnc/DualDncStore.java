package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.scrub.GeoRule;

/**
 * The seed's list in both Redis layouts at once ({@link RedisLayout#DUAL}), while the legacy
 * keys are copied into the sharded ones: writes go to both, and a lookup asks both, so that a
 * number either lists is listed and a geographic rule either holds that blocks, blocks. A half
 * copied sharded layout therefore never lets a call through, and either failing fails the lookup.
 * A number's own allowing rule counts only when both layouts hold one.
 */
public final class DualDncStore implements DncStore {

    private final DncStore legacy;
    private final DncStore sharded;

    /** Writes to both and reads both; {@link #close} closes both. */
    public DualDncStore(DncStore legacy, DncStore sharded) {
        this.legacy = requireNonNull(legacy, "legacy");
        this.sharded = requireNonNull(sharded, "sharded");
    }

    @Override
    public CompletableFuture<Lookup> lookup(long[] e164) {
        return legacy.lookup(e164).thenCombine(sharded.lookup(e164), (l, s) -> {
            final boolean[] listed = new boolean[e164.length];
            final GeoRule[] geo = new GeoRule[e164.length];
            for (int i = 0; i < e164.length; i++) {
                listed[i] = l.listed()[i] || s.listed()[i];
                geo[i] = either(l.geoRules()[i], s.geoRules()[i]);
            }
            return new Lookup(listed, geo);
        });
    }

    /**
     * Returns a number's own rule from both layouts: a blocking rule either holds; an allowing
     * rule only if both hold one (one layout without it may be a copy not yet made, or a rule
     * removed after the other layout was read); otherwise none, so that the prefix rules judge.
     */
    static @Nullable GeoRule either(@Nullable GeoRule legacy, @Nullable GeoRule sharded) {
        if (legacy != null && !legacy.allowed()) {
            return legacy;
        }
        if (sharded != null && !sharded.allowed()) {
            return sharded;
        }
        return legacy != null && sharded != null ? legacy : null;
    }

    @Override
    public CompletableFuture<Long> addAll(long[] e164) {
        return legacy.addAll(e164).thenCombine(sharded.addAll(e164), (a, b) -> Math.min(a, b));
    }

    @Override
    public CompletableFuture<Long> removeAll(long[] e164) {
        return legacy.removeAll(e164).thenCombine(sharded.removeAll(e164), (a, b) -> Math.max(a, b));
    }

    @Override
    public CompletableFuture<Void> putGeoRule(long e164, GeoRule rule) {
        return CompletableFuture.allOf(legacy.putGeoRule(e164, rule), sharded.putGeoRule(e164, rule));
    }

    @Override
    public CompletableFuture<Boolean> removeGeoRule(long e164) {
        return legacy.removeGeoRule(e164).thenCombine(sharded.removeGeoRule(e164), Boolean::logicalOr);
    }

    /** The legacy layout's figures: it holds every number while the copy runs. */
    @Override
    public CompletableFuture<Stats> stats() {
        return legacy.stats();
    }

    /** Returns the store in the sharded layout. */
    public DncStore sharded() {
        return sharded;
    }

    @Override
    public CompletableFuture<String> health() {
        return legacy.health().thenCombine(sharded.health(), (l, s) -> "dual: " + l + "; " + s);
    }

    @Override
    public void close() {
        try {
            legacy.close();
        } finally {
            sharded.close();
        }
    }
}
