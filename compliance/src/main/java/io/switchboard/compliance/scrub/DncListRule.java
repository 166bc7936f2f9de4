package io.switchboard.compliance.scrub;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.dnc.Records;
import io.switchboard.compliance.rules.Exemption;

/**
 * The DNC lists. A number on the seed's global list is {@code dnc_blacklist}; with a
 * {@link ListStore}, the contact's other lists apply too: the global, its campaign's and its
 * brands' lists of every kind. Then, in this order:
 * <ol>
 *   <li>on an internal or opt-out list: blocked, {@code dnc_blacklist}, {@code dnc_campaign} or
 *       {@code dnc_brand} by the list's scope, with the list's name as detail;</li>
 *   <li>a registry list that applies is older than the registry's maximum age (or was never
 *       given its publication date): blocked, {@code dnc_registry_stale}, listed or not;</li>
 *   <li>on a registry list: blocked by its scope's reason, unless a consent recorded for the
 *       number (prior express written consent, or a business relationship in force) in the
 *       global scope, the campaign's or a brand's exempts it: then, if no later rule blocks it,
 *       {@code allowed_exemption} with the consent's type as detail.</li>
 * </ol>
 * An entry past its expiry is not on its list. The stores are asked once per batch (twice more
 * when some entries expire or a consent must be read); when one fails or does not answer in
 * time, every undecided number is {@code dnc_unavailable}. The store's answer (with each
 * number's own geographic rule) is kept on the batch for the rules after this one.
 */
public final class DncListRule implements ScrubRule {

    private static final Logger logger = LoggerFactory.getLogger(DncListRule.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The scopes of a contact without a campaign: one set, so that a batch works its lists out once. */
    private static final Set<String> GLOBAL_ONLY = Set.of("global");

    /** The reason of a number that a registry list too old to use would have to judge. */
    public static final String STALE = "dnc_registry_stale";
    /** The reason of a number on a registry list that a recorded consent exempts. */
    public static final String EXEMPTED = "allowed_exemption";

    private final DncStore store;
    private final @Nullable Scoping scoping;
    /** Consents as read, by their stored text: the same numbers are scrubbed again and again. */
    private final Map<String, ReadConsent> consents = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CONSENTS = 100_000;
    private final AtomicLong unansweredSinceLog = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /**
     * The lists beside the seed's.
     *
     * @param lists where they are
     * @param brandsOf the brands a campaign belongs to
     * @param registryMaxAge how old a registry copy may be
     * @param clock what "now" is: a copy's age is judged at the later of now and the instant scrubbed
     */
    public record Scoping(ListStore lists, Function<String, List<String>> brandsOf, Duration registryMaxAge,
                          java.time.Clock clock) {

        /** Scoping on the system clock. */
        public Scoping(ListStore lists, Function<String, List<String>> brandsOf, Duration registryMaxAge) {
            this(lists, brandsOf, registryMaxAge, java.time.Clock.systemUTC());
        }
    }

    /** Creates the rule over the seed's list only. */
    public DncListRule(DncStore store) {
        this(store, null);
    }

    /** Creates the rule over the seed's list and, when {@code scoping} is given, every other list. */
    public DncListRule(DncStore store, @Nullable Scoping scoping) {
        this.store = requireNonNull(store, "store");
        this.scoping = scoping;
    }

    @Override
    public CompletableFuture<Void> apply(ScrubBatch batch) {
        final int n = batch.size();
        final int[] index = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (batch.undecided(i)) {
                index[count++] = i;
            }
        }
        if (count == 0) {
            return CompletableFuture.completedFuture(null);
        }
        final long[] numbers = new long[count];
        for (int k = 0; k < count; k++) {
            numbers[k] = batch.digits(index[k]);
        }
        final int asked = count;
        final CompletableFuture<Void> judged;
        try {
            judged = scoping == null ? seedOnly(batch, index, numbers) : scoped(batch, scoping, index, numbers);
        } catch (RuntimeException e) {
            unavailable(batch, index, asked, e);
            return CompletableFuture.completedFuture(null);
        }
        return judged.orTimeout(Math.max(1, batch.timeout().toMillis()), TimeUnit.MILLISECONDS)
                     .handle((done, failure) -> {
                         if (failure != null) {
                             unavailable(batch, index, asked, failure);
                         }
                         return null;
                     });
    }

    /** The seed's list alone: listed is blocked. */
    private CompletableFuture<Void> seedOnly(ScrubBatch batch, int[] index, long[] numbers) {
        return store.lookup(numbers).thenAccept(found -> {
            keep(batch, found, index, numbers.length);
            for (int k = 0; k < numbers.length; k++) {
                if (found.listed()[k]) {
                    batch.decide(index[k], ScrubEngine.DNC_LISTED);
                }
            }
        });
    }

    private static void keep(ScrubBatch batch, DncStore.Lookup found, int[] index, int count) {
        final int n = batch.size();
        batch.lookup(new DncStore.Lookup(spread(found.listed(), index, count, n),
                                         spread(found.geoRules(), index, count, n)));
    }

    private CompletableFuture<Void> scoped(ScrubBatch batch, Scoping s, int[] index, long[] numbers) {
        return s.lists().currentLists().thenCompose(current -> scoped(batch, s, index, numbers, current));
    }

    private CompletableFuture<Void> scoped(ScrubBatch batch, Scoping s, int[] index, long[] numbers,
                                           List<ListStore.ListInfo> current) {
        final int count = numbers.length;
        final Map<DncList, ListStore.ListInfo> known = new HashMap<>();
        for (ListStore.ListInfo info : current) {
            known.put(info.list(), info);
        }
        // The scopes each contact's lists come from, and every list that some contact needs.
        final List<Set<String>> scopes = new ArrayList<>(count);
        final Map<String, Set<String>> byCampaign = new HashMap<>();
        final List<DncList> others = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            final String campaign = batch.contact(index[k]).campaignId();
            final Set<String> contactScopes = campaign == null ? GLOBAL_ONLY
                    : byCampaign.computeIfAbsent(campaign, c -> scopesOf(c, s.brandsOf()));
            scopes.add(contactScopes);
        }
        final Set<String> anyContacts = new HashSet<>();
        anyContacts.add("global");
        byCampaign.values().forEach(anyContacts::addAll);
        for (DncList list : known.keySet()) {
            if (!list.global() && anyContacts.contains(list.scope())) {
                others.add(list);
            }
        }
        final ListStore.ListInfo seedInfo = known.get(DncList.GLOBAL);
        if (others.isEmpty() && (seedInfo == null || !seedInfo.expiring())) {
            // Only the seed's list applies, and none of its entries expires: nothing more to ask.
            return seedOnly(batch, index, numbers);
        }
        Collections.sort(others);
        final List<DncList> all = new ArrayList<>(1 + others.size());
        all.add(DncList.GLOBAL);
        all.addAll(others);
        final CompletableFuture<DncStore.Lookup> seed = store.lookup(numbers);
        final CompletableFuture<boolean[][]> rest = others.isEmpty() ? CompletableFuture.completedFuture(new boolean[0][])
                                                                     : s.lists().contains(others, numbers);
        return seed.thenCombine(rest, (found, more) -> {
            keep(batch, found, index, count);
            final boolean[][] on = new boolean[all.size()][];
            on[0] = found.listed().clone();
            System.arraycopy(more, 0, on, 1, more.length);
            return on;
        }).thenCompose(on -> dropExpired(s.lists(), known, all, on, numbers, batch.at()))
          .thenCompose(on -> decide(batch, s, known, all, on, scopes, index, numbers));
    }

    /** The scopes whose lists apply to a contact of {@code campaign}: global, the campaign's, its brands'. */
    private static Set<String> scopesOf(String campaign, Function<String, List<String>> brandsOf) {
        final Set<String> out = new HashSet<>();
        out.add("global");
        out.add(DncList.campaign(campaign));
        for (String b : brandsOf.apply(campaign)) {
            out.add(DncList.brand(b));
        }
        return out;
    }

    /** Takes off {@code on} the entries of expiring lists whose expiry is not after {@code at}. */
    private static CompletableFuture<boolean[][]> dropExpired(ListStore lists, Map<DncList, ListStore.ListInfo> known,
                                                             List<DncList> all, boolean[][] on, long[] numbers,
                                                             Instant at) {
        final List<DncList> expiring = new ArrayList<>();
        final List<Integer> rows = new ArrayList<>();
        final List<long[]> hits = new ArrayList<>();
        for (int j = 0; j < all.size(); j++) {
            final ListStore.ListInfo info = known.get(all.get(j));
            if (info == null || !info.expiring()) {
                continue;
            }
            final long[] found = hitsOf(on[j], numbers);
            if (found.length > 0) {
                expiring.add(all.get(j));
                rows.add(j);
                hits.add(found);
            }
        }
        if (expiring.isEmpty()) {
            return CompletableFuture.completedFuture(on);
        }
        return lists.expiries(expiring, hits).thenApply(expiries -> {
            for (int e = 0; e < expiring.size(); e++) {
                final boolean[] row = on[rows.get(e)];
                final Map<Long, Instant> ends = expiries.get(e);
                for (int k = 0; k < numbers.length; k++) {
                    final Instant end = row[k] ? ends.get(numbers[k]) : null;
                    if (end != null && !end.isAfter(at)) {
                        row[k] = false;
                    }
                }
            }
            return on;
        });
    }

    private static long[] hitsOf(boolean[] row, long[] numbers) {
        int n = 0;
        for (boolean b : row) {
            n += b ? 1 : 0;
        }
        final long[] out = new long[n];
        int o = 0;
        for (int k = 0; k < row.length; k++) {
            if (row[k]) {
                out[o++] = numbers[k];
            }
        }
        return out;
    }

    private CompletableFuture<Void> decide(ScrubBatch batch, Scoping s, Map<DncList, ListStore.ListInfo> known,
                                                  List<DncList> all, boolean[][] on, List<Set<String>> scopes,
                                                  int[] index, long[] numbers) {
        final Instant at = batch.at();
        // A registry copy's age is judged now, or later when the scrub is for later: never earlier.
        final Instant now = s.clock().instant();
        final Instant aged = at.isAfter(now) ? at : now;
        // Per list, once a batch: its kind, whether it is stale, and the decision it blocks with.
        final int lists = all.size();
        final boolean[] registryList = new boolean[lists];
        final boolean[] staleList = new boolean[lists];
        final ScrubEngine.Decision[] blocks = new ScrubEngine.Decision[lists];
        for (int j = 0; j < lists; j++) {
            final DncList list = all.get(j);
            registryList[j] = list.kind() == DncList.Kind.REGISTRY;
            if (registryList[j] && staleAt(known.get(list), aged, s.registryMaxAge())) {
                staleList[j] = true;
                final ListStore.ListInfo info = known.get(list);
                blocks[j] = new ScrubEngine.Decision(true, STALE, list.name() + (info == null || info.refreshedAt() == null
                        ? " was never given its publication date (refreshedAt)"
                        : " was published " + info.refreshedAt() + ", more than " + text(s.registryMaxAge())
                          + " before"));
            } else {
                blocks[j] = list.global() ? ScrubEngine.DNC_LISTED
                                          : new ScrubEngine.Decision(true, list.reason(), list.name());
            }
        }
        // Per set of scopes (one a campaign), the lists that apply, once a batch.
        final Map<Set<String>, int[]> applying = new java.util.IdentityHashMap<>();
        final List<Integer> candidates = new ArrayList<>();
        final List<Integer> registryHit = new ArrayList<>();
        for (int k = 0; k < numbers.length; k++) {
            final int[] mine = applying.computeIfAbsent(scopes.get(k), set -> {
                final int[] found = new int[lists];
                int n = 0;
                for (int j = 0; j < lists; j++) {
                    if (set.contains(all.get(j).scope())) {
                        found[n++] = j;
                    }
                }
                return java.util.Arrays.copyOf(found, n);
            });
            int blocking = -1;
            int stale = -1;
            int registry = -1;
            for (int j : mine) {
                if (!registryList[j]) {
                    if (on[j][k] && blocking < 0) {
                        blocking = j;
                    }
                    continue;
                }
                if (staleList[j] && stale < 0) {
                    stale = j;
                }
                if (on[j][k] && registry < 0) {
                    registry = j;
                }
            }
            final int i = index[k];
            if (blocking >= 0) {
                batch.decide(i, blocks[blocking]);
            } else if (stale >= 0) {
                batch.decide(i, blocks[stale]);
            } else if (registry >= 0) {
                candidates.add(k);
                registryHit.add(registry);
            }
        }
        if (candidates.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        final long[] asked = new long[candidates.size()];
        for (int c = 0; c < asked.length; c++) {
            asked[c] = numbers[candidates.get(c)];
        }
        final Map<String, ScrubEngine.Decision> exempted = new HashMap<>();
        return s.lists().records(asked).handle((records, failure) -> {
            for (int c = 0; c < asked.length; c++) {
                final int k = candidates.get(c);
                if (failure != null) {
                    batch.decide(index[k], ScrubEngine.UNAVAILABLE);
                    continue;
                }
                final String type = exemption(records.get(c), scopes.get(k), at);
                if (type != null) {
                    batch.allowAs(index[k], exempted.computeIfAbsent(type, t -> new ScrubEngine.Decision(false, EXEMPTED, t)));
                } else {
                    batch.decide(index[k], blocks[registryHit.get(c)]);
                }
            }
            return null;
        });
    }

    /** Returns whether a registry list is too old to use at {@code at}: never dated, or dated before {@code at - maxAge}. */
    public static boolean staleAt(ListStore.@Nullable ListInfo info, Instant at, Duration maxAge) {
        return info == null || info.refreshedAt() == null || info.refreshedAt().plus(maxAge).isBefore(at);
    }

    /**
     * Returns the type of a consent in {@code scopes} that exempts a registry listing at
     * {@code at} (prior express written consent, or a business relationship in force), or null.
     */
    private @Nullable String exemption(Map<String, String> records, Set<String> scopes, Instant at) {
        for (Map.Entry<String, String> r : records.entrySet()) {
            if (!r.getKey().startsWith("consent|")) {
                continue;
            }
            ReadConsent read = consents.get(r.getValue());
            if (read == null) {
                read = ReadConsent.of(r.getValue());
                if (consents.size() >= MAX_CONSENTS) {
                    consents.clear();
                }
                consents.put(r.getValue(), read);
            }
            if (read.consent() == null || !scopes.contains(read.scope())) {
                continue;
            }
            try {
                final Set<Exemption> given = read.consent().exemptionsAt(at);
                if (given.contains(Exemption.PRIOR_EXPRESS_WRITTEN) || given.contains(Exemption.EBR)) {
                    return read.type();
                }
            } catch (RuntimeException unreadable) {
                // A consent that cannot be judged exempts nothing.
            }
        }
        return null;
    }

    /** A stored consent as read: its scope, type and terms; no terms when it cannot be read (it exempts nothing). */
    private record ReadConsent(@Nullable String scope, @Nullable String type, io.switchboard.compliance.rules.@Nullable Consent consent) {

        static ReadConsent of(String json) {
            final Records.StoredConsent stored = Records.read(json, Records.StoredConsent.class);
            if (stored == null) {
                return new ReadConsent(null, null, null);
            }
            try {
                return new ReadConsent(stored.scope(), stored.type(), stored.consent());
            } catch (RuntimeException unreadable) {
                return new ReadConsent(null, null, null);
            }
        }
    }

    private static String text(Duration d) {
        return io.switchboard.compliance.rules.FrequencyCap.text(d);
    }

    /** Returns the answers laid out by contact index, so that later rules read them by contact. */
    private static boolean[] spread(boolean[] answers, int[] index, int count, int n) {
        final boolean[] out = new boolean[n];
        for (int k = 0; k < count; k++) {
            out[index[k]] = answers[k];
        }
        return out;
    }

    private static GeoRule[] spread(GeoRule[] answers, int[] index, int count, int n) {
        final GeoRule[] out = new GeoRule[n];
        for (int k = 0; k < count; k++) {
            out[index[k]] = answers[k];
        }
        return out;
    }

    private void unavailable(ScrubBatch batch, int[] index, int count, Throwable failure) {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
        // During an outage every batch fails: one line every 10 s says how many, not one a batch.
        final long unanswered = unansweredSinceLog.addAndGet(count);
        final long now = System.nanoTime();
        final long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            unansweredSinceLog.addAndGet(-unanswered);
            logger.warn("DNC store did not answer for {} numbers since the last report ({}); all blocked as "
                        + "dnc_unavailable", unanswered,
                        cause instanceof TimeoutException ? "deadline passed" : cause.toString());
        }
        for (int k = 0; k < count; k++) {
            batch.decide(index[k], ScrubEngine.UNAVAILABLE);
        }
    }
}
