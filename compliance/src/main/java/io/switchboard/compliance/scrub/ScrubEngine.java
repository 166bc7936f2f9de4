package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.rules.Cited;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Decides, for each contact of a batch, whether it may be dialled and why not. Contacts go
 * through the engine's {@link ScrubRule}s in order, each deciding what no earlier rule decided:
 * <ol>
 *   <li>{@link ValidityRule}: not a valid phone number, {@code invalid_number} with the cause;</li>
 *   <li>{@link DncListRule}: on a DNC list, {@code dnc_blacklist}, {@code dnc_campaign} or
 *       {@code dnc_brand}; a registry copy too old, {@code dnc_registry_stale}; the store failing
 *       or late, {@code dnc_unavailable}; on a registry list but exempted by a recorded consent,
 *       allowed as {@code allowed_exemption} if no later rule blocks it;</li>
 *   <li>{@link GeographicRule}: a geographic rule that blocks it, {@code geo_blocked_<risk>};</li>
 *   <li>{@link CallingTimesRule}: outside what every applicable calling rule permits,
 *       {@code outside_calling_window} with the rule, its jurisdiction and citation, and the next
 *       allowed instant;</li>
 *   <li>{@link FrequencyCapRule}, when the engine has caps: a contact of a campaign whose cap is
 *       reached, {@code frequency_cap} with the cap and when it frees a slot; the ledger failing,
 *       {@code caps_unavailable};</li>
 * </ol>
 * and otherwise allowed ({@code allowed}). Every rule fails closed. Thread-safe.
 */
public final class ScrubEngine {

    /** The default deadline of one batch: 5 s. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    /** The earliest instant a scrub is judged at: 1970-01-01T00:00:00Z. */
    public static final Instant EARLIEST_AT = Instant.EPOCH;

    /** The latest instant a scrub is judged at: 9999-12-31T23:59:59Z. */
    public static final Instant LATEST_AT = Instant.parse("9999-12-31T23:59:59Z");

    /** What callers are told an instant must be. */
    public static final String AT_RANGE = "an ISO-8601 instant from " + EARLIEST_AT + " to " + LATEST_AT
                                          + ", e.g. 2026-11-21T15:00:00Z";

    /** Returns whether a scrub can be judged at {@code at}: between {@link #EARLIEST_AT} and {@link #LATEST_AT}. */
    public static boolean judgeable(Instant at) {
        return !at.isBefore(EARLIEST_AT) && !at.isAfter(LATEST_AT);
    }

    /** The most contacts one batch may carry by default: 10,000. */
    public static final int DEFAULT_MAX_BATCH = 10_000;

    /** A clean number. */
    public static final Decision ALLOWED = new Decision(false, "allowed", null);
    /** A number on the DNC list. */
    public static final Decision DNC_LISTED = new Decision(true, "dnc_blacklist", null);
    /** A number the store could not judge. */
    public static final Decision UNAVAILABLE = new Decision(true, "dnc_unavailable", null);

    /**
     * Every reason a decision can carry, as documented in docs/api.md; {@code geo_blocked_<risk>}
     * stands for each configured risk level.
     */
    public static final List<String> REASONS = List.of("allowed", DncListRule.EXEMPTED, "invalid_number",
                                                       "invalid_contact", "dnc_blacklist", "dnc_campaign", "dnc_brand",
                                                       DncListRule.STALE, "dnc_unavailable", "geo_blocked_<risk>",
                                                       LegalTimes.OUTSIDE, LegalTimes.UNKNOWN_JURISDICTION,
                                                       "rules_unavailable", FrequencyCaps.REACHED,
                                                       FrequencyCaps.UNAVAILABLE);

    private final PhoneNumbers phoneNumbers;
    private final List<ScrubRule> rules;
    private final CallingTimesRule times;
    private final @Nullable FrequencyCaps caps;
    private final DncListRule.@Nullable Scoping scoping;

    /** Creates an engine that judges numbers against {@code store}, {@code geoRules} and {@code times}. */
    public ScrubEngine(PhoneNumbers phoneNumbers, DncStore store, GeoRules geoRules, LegalTimes times) {
        this(phoneNumbers, store, null, geoRules, times, null);
    }

    /**
     * Creates an engine that also judges the lists beside the seed's when {@code scoping} is not
     * null, and frequency caps when {@code caps} is not null (for the contacts that carry a
     * campaign).
     */
    public ScrubEngine(PhoneNumbers phoneNumbers, DncStore store, DncListRule.@Nullable Scoping scoping,
                       GeoRules geoRules, LegalTimes times, @Nullable FrequencyCaps caps) {
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.times = new CallingTimesRule(times);
        this.caps = caps;
        this.scoping = scoping;
        final List<ScrubRule> all = new ArrayList<>(List.of(new ValidityRule(phoneNumbers),
                                                            new DncListRule(store, scoping),
                                                            new GeographicRule(geoRules), this.times));
        if (caps != null) {
            all.add(new FrequencyCapRule(caps, this.times::times));
        }
        this.rules = List.copyOf(all);
    }

    /** Returns the lists beside the seed's that the engine judges, or null. */
    public DncListRule.@Nullable Scoping scoping() {
        return scoping;
    }

    /** Returns the frequency caps the engine judges, or null. */
    public @Nullable FrequencyCaps caps() {
        return caps;
    }

    /** Returns how numbers are read: the gateway's other number fields read them the same way. */
    public PhoneNumbers phoneNumbers() {
        return phoneNumbers;
    }

    /** Returns the calling times the engine judges by. */
    public LegalTimes times() {
        return times.times();
    }

    /** Judges calling times by {@code pack} from now on: the shipped one with overrides declared at run time. */
    public void rules(io.switchboard.compliance.rules.RulePack pack) {
        times.times(times.times().withPack(pack));
    }

    /**
     * Judges {@code phoneNumbers}, as given by the caller, as plain telephone solicitations.
     *
     * @see #scrubContacts
     */
    public CompletableFuture<Decision[]> scrub(List<String> phoneNumbers, Instant at, boolean checkWindow,
                                               Duration timeout) {
        requireNonNull(phoneNumbers, "phoneNumbers");
        final List<Contact> contacts = new ArrayList<>(phoneNumbers.size());
        for (String n : phoneNumbers) {
            contacts.add(Contact.of(n));
        }
        return scrubContacts(contacts, at, checkWindow, timeout);
    }

    /**
     * Judges {@code contacts}.
     *
     * @param at the instant at which to judge calling times
     * @param checkTimes whether to judge calling times at all
     * @param timeout how long the store may take; past it, numbers are {@code dnc_unavailable}
     * @return one decision per contact, in order; never fails
     */
    public CompletableFuture<Decision[]> scrubContacts(List<Contact> contacts, Instant at, boolean checkTimes,
                                                       Duration timeout) {
        requireNonNull(contacts, "contacts");
        requireNonNull(at, "at");
        final int n = contacts.size();
        final Decision[] decisions = new Decision[n];
        final long[] digits = new long[n];
        final ScrubBatch batch = new ScrubBatch(contacts, at, checkTimes, timeout, digits, decisions);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (ScrubRule rule : rules) {
            chain = chain.thenCompose(done -> applyClosed(rule, batch));
        }
        return chain.thenApply(done -> batch.decisions());
    }

    /** Runs {@code rule}; a rule that throws blocks every contact it left undecided. */
    private static CompletableFuture<Void> applyClosed(ScrubRule rule, ScrubBatch batch) {
        CompletableFuture<Void> applied;
        try {
            applied = rule.apply(batch);
        } catch (RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        return applied.exceptionally(failure -> {
            final Decision failed = new Decision(true, "rules_unavailable",
                                                 rule.getClass().getSimpleName() + " could not judge the batch");
            for (int i = 0; i < batch.size(); i++) {
                if (batch.undecided(i)) {
                    batch.decide(i, failed);
                }
            }
            return null;
        });
    }

    /**
     * One contact's verdict.
     *
     * @param blocked whether the number must not be dialled
     * @param reason one of {@link #REASONS}
     * @param detail why a number or contact is invalid; otherwise null
     * @param rule the calling rule or frequency cap that blocked it, or null
     * @param nextAllowedAt the next instant every calling rule permits, or null
     */
    public record Decision(boolean blocked, String reason, @Nullable String detail, @Nullable Cited rule,
                           @Nullable Instant nextAllowedAt) {

        /** A decision without a rule. */
        public Decision(boolean blocked, String reason, @Nullable String detail) {
            this(blocked, reason, detail, null, null);
        }
    }
}
