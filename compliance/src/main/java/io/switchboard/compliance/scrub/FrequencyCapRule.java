package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.switchboard.compliance.caps.Attempts;
import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.core.InvalidArgumentException;

/**
 * Frequency caps, judged without reserving: a contact of a campaign whose caps are reached is
 * {@code frequency_cap}, with the cap and the instant it frees a slot. Only contacts that carry a
 * campaign are counted (caps count per campaign). The ledger is asked once per batch; when it
 * fails or is late, every contact it was asked about is {@code caps_unavailable}.
 */
public final class FrequencyCapRule implements ScrubRule {

    private final FrequencyCaps caps;
    private final Supplier<LegalTimes> times;

    /** Creates the rule over {@code caps}, locating contacts with the current {@code times}. */
    public FrequencyCapRule(FrequencyCaps caps, Supplier<LegalTimes> times) {
        this.caps = requireNonNull(caps, "caps");
        this.times = requireNonNull(times, "times");
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        final LegalTimes legal = times.get();
        final List<Integer> index = new ArrayList<>();
        final List<String> subjects = new ArrayList<>();
        final List<List<FrequencyCap>> governing = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            final Contact c = batch.contact(i);
            if (!batch.undecided(i) || c.campaignId() == null) {
                continue;
            }
            final String[] jurisdictions;
            try {
                jurisdictions = legal.place(batch.digits(i), c.zip(), c.state()).jurisdictions();
            } catch (InvalidArgumentException e) {
                batch.decide(i, new ScrubEngine.Decision(true, "invalid_contact", e.getMessage()));
                continue;
            }
            final List<FrequencyCap> found = caps.governing(legal.pack(), jurisdictions, c.campaignId(), c.call());
            if (!found.isEmpty()) {
                index.add(i);
                subjects.add(FrequencyCaps.subject(c.campaignId(), c.contactId(), batch.digits(i)));
                governing.add(found);
            }
        }
        if (index.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return caps.check(subjects, governing, batch.at()).handle((verdicts, failure) -> {
            for (int k = 0; k < index.size(); k++) {
                final int i = index.get(k);
                if (failure != null) {
                    batch.decide(i, new ScrubEngine.Decision(true, FrequencyCaps.UNAVAILABLE,
                                                             "the attempt ledger did not answer"));
                    continue;
                }
                final Attempts.Verdict v = verdicts[k];
                if (!v.granted()) {
                    batch.decide(i, new ScrubEngine.Decision(true, FrequencyCaps.REACHED,
                                                             v.count() + " attempts in " + v.cap().windowText()
                                                             + " (limit " + v.cap().limit() + ')',
                                                             v.cap(), v.nextAllowedAt()));
                }
            }
            return null;
        });
    }
}
