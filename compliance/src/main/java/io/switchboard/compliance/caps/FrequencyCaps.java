package io.switchboard.compliance.caps;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.rules.CallContext;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.RulePack;

/**
 * The caps that govern an attempt (its jurisdictions' caps from the rule pack, and its
 * campaign's own) and the ledger that counts attempts against them.
 *
 * <p>Thread-safe.
 */
public final class FrequencyCaps implements AutoCloseable {

    /** The reason of an attempt refused by a cap. */
    public static final String REACHED = "frequency_cap";
    /** The reason of an attempt refused because the ledger could not answer. */
    public static final String UNAVAILABLE = "caps_unavailable";

    private final Map<String, List<FrequencyCap>> byCampaign;
    private final AttemptLedger ledger;
    private final Duration grace;
    private final Duration timeout;

    /**
     * Creates the caps.
     *
     * @param campaignCaps each campaign's own caps, by campaign id
     * @param grace how long after its instant a reservation may be released
     * @param timeout how long the ledger may take to answer
     */
    public FrequencyCaps(Map<String, List<FrequencyCap>> campaignCaps, AttemptLedger ledger, Duration grace,
                         Duration timeout) {
        this.byCampaign = new HashMap<>();
        campaignCaps.forEach((campaign, caps) -> byCampaign.put(campaign, List.copyOf(caps)));
        this.ledger = requireNonNull(ledger, "ledger");
        this.grace = requireNonNull(grace, "grace");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** Returns the ledger. */
    public AttemptLedger ledger() {
        return ledger;
    }

    /** Returns how long after its instant a reservation may be released. */
    public Duration grace() {
        return grace;
    }

    /** Returns the campaigns' own caps. */
    public Map<String, List<FrequencyCap>> campaignCaps() {
        return Map.copyOf(byCampaign);
    }

    /**
     * Returns the caps that govern a call of {@code call} on {@code campaignId} to a contact in
     * {@code jurisdictions}: theirs from {@code pack}, then the campaign's own.
     */
    public List<FrequencyCap> governing(RulePack pack, String[] jurisdictions, String campaignId, CallContext call) {
        final List<FrequencyCap> all = new ArrayList<>(2);
        for (FrequencyCap c : pack.caps(jurisdictions)) {
            if (c.governs(call)) {
                all.add(c);
            }
        }
        for (FrequencyCap c : byCampaign.getOrDefault(campaignId, List.of())) {
            if (c.governs(call)) {
                all.add(c);
            }
        }
        return all;
    }

    /**
     * Reserves an attempt on {@code subject}, recorded at {@code now} and judged at the earlier of
     * {@code at} and {@code now} (a caller's instant never shortens a window); fails when the
     * ledger does not answer in time.
     *
     * @param pack the rule pack in force: every cap it has, whatever governs this attempt, sets how
     *        long the subject's attempts are kept
     */
    public CompletableFuture<Attempts.Verdict> reserve(String subject, CallContext call, List<FrequencyCap> caps,
                                                       RulePack pack, Instant at, Instant now) {
        final String id = Attempts.newId(subject, call.dialMethod());
        final Instant judged = at.isBefore(now) ? at : now;
        return bounded(ledger.reserve(subject, id, judged, caps, now, keep(pack)));
    }

    /**
     * Returns how long attempts are kept under {@code pack}: the longest window of any cap that
     * could count them (every cap of the pack and every campaign's), at least a day. One length for
     * every subject, so that no reservation forgets what another cap still counts.
     */
    public Duration keep(RulePack pack) {
        final Kept k = kept;
        if (k != null && k.pack == pack) {
            return k.keep;
        }
        final List<FrequencyCap> all = new ArrayList<>();
        for (io.switchboard.compliance.rules.Jurisdiction j : pack.jurisdictions().values()) {
            all.addAll(j.caps());
        }
        byCampaign.values().forEach(all::addAll);
        final Duration keep = Attempts.keep(all);
        kept = new Kept(pack, keep);
        return keep;
    }

    private record Kept(RulePack pack, Duration keep) {}

    private volatile @Nullable Kept kept;

    /** Releases attempt {@code id} if it is within the grace. */
    public CompletableFuture<AttemptLedger.Release> release(String id, Instant now) {
        return bounded(ledger.release(id, now, grace));
    }

    /**
     * Judges, without reserving, whether each subject may get an attempt at {@code at} under its
     * caps; a subject with no caps is granted without asking the ledger.
     */
    public CompletableFuture<Attempts.Verdict[]> check(List<String> subjects, List<List<FrequencyCap>> caps,
                                                      Instant at) {
        final Attempts.Verdict[] out = new Attempts.Verdict[subjects.size()];
        final List<String> asked = new ArrayList<>();
        final List<Integer> index = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (int i = 0; i < subjects.size(); i++) {
            if (caps.get(i).isEmpty()) {
                out[i] = new Attempts.Verdict(true, null, null, 0, null);
                continue;
            }
            asked.add(subjects.get(i));
            index.add(i);
            final Duration keep = Attempts.keep(caps.get(i));
            if (keep.compareTo(longest) > 0) {
                longest = keep;
            }
        }
        if (asked.isEmpty()) {
            return CompletableFuture.completedFuture(out);
        }
        return bounded(ledger.attempts(asked, at.minus(longest))).thenApply(found -> {
            for (int k = 0; k < asked.size(); k++) {
                final int i = index.get(k);
                out[i] = Attempts.judge(found.get(k), at, caps.get(i));
            }
            return out;
        });
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
        // A deadline costs a timer task per call: not set when the ledger has its own.
        return ledger.boundsItself() ? f : f.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
