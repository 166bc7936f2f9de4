package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.rules.CallContext;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.compliance.rules.Locator;

/**
 * Calling times: the rule pack's state, provincial and federal rules and the operator's window
 * (for every call, or for numbers outside the pack, as configured), through {@link LegalTimes}. A number outside what every applicable rule permits is
 * {@code outside_calling_window}, naming the rule and the next allowed instant.
 *
 * <p>Verdicts are a function of where a contact is, what the call is, and the second judged, so
 * they are worked out once per (area code's jurisdictions, zones, call) within a second and shared
 * by every batch of that second.
 */
public final class CallingTimesRule implements ScrubRule {

    private volatile LegalTimes times;
    private final TimeZones zones;
    private final Locator locator;
    private volatile Verdicts recent;

    /** Creates the rule over {@code times}. */
    public CallingTimesRule(LegalTimes times) {
        this.times = requireNonNull(times, "times");
        this.zones = times.zones();
        this.locator = times.locator();
        this.recent = new Verdicts(Long.MIN_VALUE, times);
    }

    /** Judges by {@code next} from now on: a pack with overrides declared at run time. */
    void times(LegalTimes next) {
        times = requireNonNull(next, "next");
    }

    /** Returns the calling times this rule judges by. */
    public LegalTimes times() {
        return times;
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        if (!batch.checkTimes()) {
            return CompletableFuture.completedFuture(null);
        }
        final long second = batch.at().getEpochSecond();
        final LegalTimes current = times;
        Verdicts verdicts = recent;
        if (verdicts.second != second || verdicts.times != current) {
            verdicts = new Verdicts(second, current);
            recent = verdicts;
        }
        final Map<Object, ScrubEngine.Decision> local = new HashMap<>();
        final int zoneSets = zones.setCount() + 1;
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.undecided(i)) {
                continue;
            }
            final Contact contact = batch.contact(i);
            final long number = batch.digits(i);
            // Area UNKNOWN (-1) is a number outside the NANP; -2 a NANP number of no known state or province.
            final int area = locator.areaOf(number) == Locator.UNKNOWN && isNanp(number) ? -2 : locator.areaOf(number);
            final Object key = contact.plain()
                               ? (long) (area + 2) * zoneSets + zones.setOf(number) + 1
                               : new Key(contact.zip(), contact.state(), contact.call(), area,
                                         zones.setOf(number), contact.call().exemptionsAt(batch.at()));
            ScrubEngine.Decision decision = local.get(key);
            if (decision == null) {
                final Verdicts of = verdicts;
                decision = of.byKey.computeIfAbsent(key, k -> decide(of.times, number, contact, batch));
                local.put(key, decision);
            }
            if (decision != ScrubEngine.ALLOWED) {
                batch.decide(i, decision);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    private static boolean isNanp(long e164) {
        return e164 >= 1_000_000_0000L && e164 < 2_000_000_0000L;
    }

    private static ScrubEngine.Decision decide(LegalTimes times, long number, Contact contact, ScrubBatch batch) {
        final LegalTimes.Place place;
        try {
            place = times.place(number, contact.zip(), contact.state());
        } catch (io.switchboard.core.InvalidArgumentException e) {
            // The API checks these fields first; a contact that reaches here unchecked is not called.
            return new ScrubEngine.Decision(true, "invalid_contact", e.getMessage());
        }
        final LegalTimes.Verdict v = times.judge(place, contact.call(), batch.at());
        if (v.allowed()) {
            return ScrubEngine.ALLOWED;
        }
        return new ScrubEngine.Decision(true, v.reason(), null, v.rule(), v.nextAllowedAt());
    }

    /** A contact with more than a number: where it is and what the call is, as verdicts depend on them. */
    private record Key(@Nullable String zip, @Nullable String state, CallContext call, int area, int zoneSet,
                       java.util.Set<io.switchboard.compliance.rules.Exemption> exemptions) {
        Key {
            // The consent itself differs contact by contact; what it exempts at the instant is what matters.
            call = new CallContext(call.purpose(), call.dialMethod(), null);
        }
    }

    /** The verdicts of one second under one rule pack. */
    private static final class Verdicts {
        final long second;
        final LegalTimes times;
        final Map<Object, ScrubEngine.Decision> byKey = new ConcurrentHashMap<>();

        Verdicts(long second, LegalTimes times) {
            this.second = second;
            this.times = times;
        }
    }
}
