package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.caps.Attempts;
import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.rules.DialMethod;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.compliance.rules.Locator;
import io.switchboard.compliance.rules.Purpose;
import io.switchboard.core.InvalidArgumentException;

/**
 * Frequency caps, judged without reserving: a contact of a campaign whose caps are reached is
 * {@code frequency_cap}, with the cap and the instant it frees a slot. Only contacts that carry a
 * campaign are counted (caps count per campaign). The ledger is asked once per batch; when it
 * fails or is late, every contact it was asked about is {@code caps_unavailable}.
 */
public final class FrequencyCapRule implements ScrubRule {

    /** Caches no more keys than this; past it, the cache starts again. */
    private static final int MAX_KEYS = 100_000;

    private final FrequencyCaps caps;
    private final Supplier<LegalTimes> times;
    /** The caps that govern a contact, by what they depend on, under one rule pack. */
    private volatile Governing governing;

    /** Creates the rule over {@code caps}, locating contacts with the current {@code times}. */
    public FrequencyCapRule(FrequencyCaps caps, Supplier<LegalTimes> times) {
        this.caps = requireNonNull(caps, "caps");
        this.times = requireNonNull(times, "times");
        this.governing = new Governing(times.get());
    }

    /** What the caps that govern a contact depend on: the campaign, where it is, what the call is. */
    private record Key(String campaign, int area, @Nullable String zip, @Nullable String state, Purpose purpose,
                       @Nullable DialMethod method) {}

    /** The caps by key under one rule pack. */
    private static final class Governing {
        final LegalTimes times;
        final Map<Key, List<FrequencyCap>> byKey = new ConcurrentHashMap<>();

        Governing(LegalTimes times) {
            this.times = times;
        }
    }

    private static boolean isNanp(long e164) {
        return e164 >= 1_000_000_0000L && e164 < 2_000_000_0000L;
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        final LegalTimes legal = times.get();
        Governing known = governing;
        if (known.times != legal || known.byKey.size() > MAX_KEYS) {
            known = new Governing(legal);
            governing = known;
        }
        final Locator locator = legal.locator();
        final List<Integer> index = new ArrayList<>();
        final List<String> subjects = new ArrayList<>();
        final List<List<FrequencyCap>> governing = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            final Contact c = batch.contact(i);
            if (!batch.undecided(i) || c.campaignId() == null) {
                continue;
            }
            final long number = batch.digits(i);
            // Where a number is counts through its area code's jurisdictions (and the contact's ZIP and
            // state): every number of an area shares its caps.
            final Key key = new Key(c.campaignId(), locator.areaOf(number) == Locator.UNKNOWN && isNanp(number)
                                                    ? -2 : locator.areaOf(number),
                                    c.zip(), c.state(), c.call().purpose(), c.call().dialMethod());
            List<FrequencyCap> found = known.byKey.get(key);
            if (found == null) {
                try {
                    found = caps.governing(legal.pack(), legal.place(number, c.zip(), c.state()).jurisdictions(),
                                           c.campaignId(), c.call());
                } catch (InvalidArgumentException e) {
                    batch.decide(i, new ScrubEngine.Decision(true, "invalid_contact", e.getMessage()));
                    continue;
                }
                known.byKey.put(key, found);
            }
            if (!found.isEmpty()) {
                index.add(i);
                subjects.add(Attempts.subject(c.campaignId(), c.contactId(), batch.digits(i)));
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
