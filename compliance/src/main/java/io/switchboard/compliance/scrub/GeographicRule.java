package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

import io.switchboard.compliance.dnc.DncStore;

/**
 * Geographic rules: a number's own rule (from the store), else its longest prefix's (from
 * configuration); a rule that blocks gives {@code geo_blocked_<risk>}. Runs after
 * {@link DncListRule}, whose answer carries the numbers' own rules.
 */
public final class GeographicRule implements ScrubRule {

    private final GeoRules prefixes;

    /** Creates the rule with configured prefix rules {@code prefixes}. */
    public GeographicRule(GeoRules prefixes) {
        this.prefixes = requireNonNull(prefixes, "prefixes");
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        final DncStore.Lookup found = batch.lookup();
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.undecided(i)) {
                continue;
            }
            final GeoRule own = found == null ? null : found.geoRules()[i];
            final GeoRule rule = own != null ? own : prefixes.ruleFor(batch.digits(i));
            if (rule != null && !rule.allowed()) {
                batch.decide(i, new ScrubEngine.Decision(true, rule.reason(), null));
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
