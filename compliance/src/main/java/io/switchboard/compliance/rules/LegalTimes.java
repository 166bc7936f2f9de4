package io.switchboard.compliance.rules;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.scrub.TimeZones;

/**
 * When a contact may be called: the intervals that every rule applying to it permits, and the
 * verdict at an instant, both computed from the same intervals, so that a number is allowed
 * exactly when it is inside an interval that {@link #day} answers.
 *
 * <p>The rules that apply to a contact are those of every jurisdiction it is in (its area code's,
 * its ZIP code's, its state field's, and their federal ones: every match applies, the strictest
 * wins) that govern the call ({@link CallingRule#governs}), and the operator's window (for every
 * call, or only for numbers no jurisdiction covers).
 * Each rule's hours are read in each of the number's possible zones, or in the zone the rule
 * pins. A NANP number whose jurisdiction is not known is judged by {@link Unknown}'s policy; a
 * number whose zone is not known is read in every zone of the NANP, or, outside it, blocked.
 *
 * <p>Immutable and thread-safe.
 */
public final class LegalTimes {

    private static final long DAY = 86_400;
    /** How far ahead the next permitted instant is looked for. */
    static final int HORIZON_DAYS = 400;
    private static final int CHUNK_DAYS = 16;

    /** The reason of a number blocked by a calling rule. */
    public static final String OUTSIDE = "outside_calling_window";
    /** The reason of a number whose jurisdiction is not known, under {@link Unknown#BLOCK}. */
    public static final String UNKNOWN_JURISDICTION = "jurisdiction_unknown";

    private final RulePack pack;
    private final Locator locator;
    private final TimeZones zones;
    private final CallingRule house;
    private final Unknown unknown;
    private final boolean houseEverywhere;
    private final ZoneId[] nanpZones;
    private final String[] everyNanpJurisdiction;
    private final java.util.Map<String, ZoneId[]> zonesOfJurisdiction;

    /**
     * What to do with a NANP number whose area code maps to no state or province (toll-free,
     * non-geographic, and the Caribbean members of the NANP).
     */
    public enum Unknown {
        /** Apply the rules of every US and Canadian jurisdiction of the pack: the strictest. */
        STRICTEST,
        /** Block it: {@code jurisdiction_unknown}. */
        BLOCK
    }

    /**
     * Creates the judge.
     *
     * @param house the operator's own window (see {@link #houseWindow})
     * @param houseEverywhere whether it applies to every call, as a floor under the pack's rules,
     *        or only to numbers that no jurisdiction of the pack covers
     */
    public LegalTimes(RulePack pack, Locator locator, TimeZones zones, CallingRule house, boolean houseEverywhere,
                      Unknown unknown) {
        this.pack = requireNonNull(pack, "pack");
        this.locator = requireNonNull(locator, "locator");
        this.zones = requireNonNull(zones, "zones");
        this.house = requireNonNull(house, "house");
        this.houseEverywhere = houseEverywhere;
        this.unknown = requireNonNull(unknown, "unknown");
        this.nanpZones = zones.zonesUnder("1");
        // Every zone of each state's and province's area codes: a contact placed there by its ZIP
        // or state field is judged in those zones too, not only in its number's.
        final java.util.Map<String, Set<ZoneId>> byJurisdiction = new java.util.HashMap<>();
        locator.areaCodes().forEach((prefix, ids) -> {
            final List<ZoneId> under = List.of(zones.zonesUnder(prefix));
            for (String id : ids) {
                byJurisdiction.computeIfAbsent(id, k -> new java.util.TreeSet<>(java.util.Comparator.comparing(
                        ZoneId::getId))).addAll(under);
            }
        });
        final java.util.Map<String, ZoneId[]> frozen = new java.util.HashMap<>();
        byJurisdiction.forEach((id, set) -> frozen.put(id, set.toArray(ZoneId[]::new)));
        this.zonesOfJurisdiction = java.util.Map.copyOf(frozen);
        final Set<String> every = new TreeSet<>();
        for (String id : pack.jurisdictions().keySet()) {
            if (id.equals("US") || id.equals("CA") || id.startsWith("US-") || id.startsWith("CA-")) {
                every.add(id);
            }
        }
        this.everyNanpJurisdiction = every.toArray(String[]::new);
    }

    /** The TCPA's hours, 08:00-21:00 (47 CFR 64.1200(c)(1)): the default house window. */
    public static final DayHours FEDERAL_HOURS = new DayHours(8 * 60, 21 * 60);

    /**
     * Returns the shipped rule pack with libphonenumber's zones, the TCPA's hours as house window,
     * and the strictest reading for numbers whose jurisdiction is not known.
     */
    public static LegalTimes shipped() {
        return new LegalTimes(RulePack.shipped(), Locator.shipped(), TimeZones.libphonenumber(),
                              houseWindow(FEDERAL_HOURS), true, Unknown.STRICTEST);
    }

    /** Returns the same judge over {@code other}: a pack with overrides declared at run time. */
    public LegalTimes withPack(RulePack other) {
        return new LegalTimes(other, locator, zones, house, houseEverywhere, unknown);
    }

    /** Returns the rule pack. */
    public RulePack pack() {
        return pack;
    }

    /** Returns the zones. */
    public TimeZones zones() {
        return zones;
    }

    /** Returns the locator. */
    public Locator locator() {
        return locator;
    }

    /** Returns the policy for numbers whose jurisdiction is not known. */
    public Unknown unknown() {
        return unknown;
    }

    /**
     * Returns the operator's window as a rule: {@code start}-{@code end} every day, for every
     * call, in the number's local time ({@code compliance.callingWindow}). It applies to every
     * call, or only to the numbers that no jurisdiction of the pack covers (outside the US and
     * Canada), as the judge is told.
     */
    public static CallingRule houseWindow(DayHours hours) {
        final java.util.Map<java.time.DayOfWeek, DayHours> week = new java.util.EnumMap<>(java.time.DayOfWeek.class);
        for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
            week.put(d, hours);
        }
        return new CallingRule("house-window", "house", "The operator's own calling window, " + hours + " local time",
                               Set.of(Purpose.values()), Set.of(DialMethod.values()), Set.of(), null, week, null,
                               List.of(), List.of(), null, null, "compliance.callingWindow (this gateway's configuration)",
                               "", "H", null, "configuration");
    }

    /**
     * Returns where a contact is.
     *
     * @param e164 the number's digits as a number
     * @param zip a ZIP or postal code, or null
     * @param state a state or province code, or null
     * @throws io.switchboard.core.InvalidArgumentException for a ZIP or state that is not one
     */
    public Place place(long e164, @Nullable String zip, @Nullable String state) {
        final Set<String> ids = new TreeSet<>();
        final boolean nanp = isNanp(e164);
        boolean located = false;
        if (nanp) {
            final String[] area = locator.ofNumber(e164);
            if (area != null) {
                ids.addAll(List.of(area));
                located = true;
            }
        }
        final Set<String> fromFields = new TreeSet<>();
        if (zip != null) {
            fromFields.addAll(List.of(locator.ofZip("zip", zip)));
        }
        if (state != null) {
            fromFields.add(locator.ofState("state", state));
        }
        if (!fromFields.isEmpty()) {
            ids.addAll(fromFields);
            located = true;
        }
        if (nanp && !located && unknown == Unknown.STRICTEST) {
            ids.addAll(List.of(everyNanpJurisdiction));
        }
        final Set<String> withParents = new TreeSet<>(ids);
        for (String id : ids) {
            final String parent = Jurisdiction.parentOf(id);
            if (parent != null) {
                withParents.add(parent);
            }
        }
        final int set = zones.setOf(e164);
        final Set<ZoneId> all = new java.util.LinkedHashSet<>(List.of(
                set == TimeZones.UNKNOWN ? (nanp ? nanpZones : new ZoneId[0]) : zones.zones(set)));
        for (String id : fromFields) {
            // Where the contact is, not only where its number was issued: both clocks must allow the call.
            all.addAll(List.of(zonesOfJurisdiction.getOrDefault(id, new ZoneId[0])));
        }
        return new Place(withParents.toArray(String[]::new), all.toArray(ZoneId[]::new), Locator.zipPrefix(zip),
                         nanp && !located);
    }

    private static boolean isNanp(long e164) {
        return e164 >= 1_000_000_0000L && e164 < 2_000_000_0000L;
    }

    /**
     * Returns the verdict on calling {@code place} for {@code call} at {@code at}.
     */
    public Verdict judge(Place place, CallContext call, Instant at) {
        if (place.unlocated() && unknown == Unknown.BLOCK) {
            return new Verdict(false, UNKNOWN_JURISDICTION, null, null);
        }
        final List<Constraint> constraints = constraints(place, call, at);
        final long t = at.getEpochSecond();
        if (constraints == null) {
            return new Verdict(false, OUTSIDE, house, null);
        }
        Constraint binding = null;
        long bindingNext = Long.MIN_VALUE;
        // Each constraint's intervals around t, kept: the next allowed instant starts from them.
        long[] all = {t - DAY, t + CHUNK_DAYS * DAY};
        for (Constraint c : constraints) {
            final long[] own = c.permitted(t - DAY, t + CHUNK_DAYS * DAY, pack);
            all = intersect(all, own);
            if (contains(own, t)) {
                continue;
            }
            final long next = nextStart(own, t);
            final long key = next < 0 ? Long.MAX_VALUE : next;
            if (binding == null || key > bindingNext) {
                binding = c;
                bindingNext = key;
            }
        }
        if (binding == null) {
            return Verdict.ALLOWED;
        }
        final long first = nextStart(all, t);
        return new Verdict(false, OUTSIDE, binding.rule(),
                           first >= 0 ? Instant.ofEpochSecond(first) : nextAllowed(constraints, t, t + CHUNK_DAYS * DAY));
    }

    /**
     * Returns the first instant after {@code t}, looking from {@code start} on, that every constraint
     * permits, within the horizon; else null.
     */
    private @Nullable Instant nextAllowed(List<Constraint> constraints, long t, long start) {
        for (long from = start; from < t + HORIZON_DAYS * DAY; from += CHUNK_DAYS * DAY) {
            final long to = from + CHUNK_DAYS * DAY;
            final long[] all = intersect(constraints, from, to);
            final long next = nextStart(all, t);
            if (next >= 0) {
                return Instant.ofEpochSecond(next);
            }
        }
        return null;
    }

    /**
     * Returns the intervals in which {@code place} may be called for {@code call} on local
     * {@code date} in {@code zone}, with the rules that shaped them.
     */
    public Day day(Place place, CallContext call, LocalDate date, ZoneId zone) {
        final long from = date.atStartOfDay(zone).toEpochSecond();
        final long to = date.plusDays(1).atStartOfDay(zone).toEpochSecond();
        if (place.unlocated() && unknown == Unknown.BLOCK) {
            return new Day(date, zone, List.of(), List.of(), UNKNOWN_JURISDICTION);
        }
        // Consent is judged at the start of the day: a consent granted during it exempts nothing that day.
        final List<Constraint> constraints = constraints(place, call, Instant.ofEpochSecond(from));
        if (constraints == null) {
            return new Day(date, zone, List.of(), List.of(), OUTSIDE);
        }
        final long[] all = intersect(constraints, from, to);
        final List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < all.length; i += 2) {
            intervals.add(new Interval(Instant.ofEpochSecond(all[i]), Instant.ofEpochSecond(all[i + 1])));
        }
        final List<Shaping> shaping = new ArrayList<>();
        for (Constraint c : constraints) {
            final LocalDate local = Instant.ofEpochSecond(from).atZone(c.zone()).toLocalDate();
            final java.util.function.Function<String, HolidayCalendar> calendars = pack::calendar;
            shaping.add(new Shaping(c.rule(), c.zone(), c.rule().hoursOn(local, calendars),
                                    c.rule().holidayHours() == null ? null : c.rule().holidayOn(local, calendars)));
        }
        return new Day(date, zone, intervals, shaping, null);
    }

    /**
     * Returns the (rule, zone) pairs that apply; null when the number's zone is not known and
     * no rule pins one (it cannot be judged, so it is blocked).
     */
    private @Nullable List<Constraint> constraints(Place place, CallContext call, Instant at) {
        final List<CallingRule> rules = new ArrayList<>();
        // States and provinces before federal rules: when two block equally long, the narrower one is named.
        final List<String> ordered = new ArrayList<>(List.of(place.jurisdictions()));
        ordered.sort(java.util.Comparator.comparing((String id) -> id.indexOf('-') < 0).thenComparing(id -> id));
        for (String id : ordered) {
            final Jurisdiction j = pack.jurisdiction(id);
            if (j == null) {
                continue; // a territory or subdivision without a file: its federal rules apply
            }
            for (CallingRule r : j.rules()) {
                if (r.governs(call, at, place.zip())) {
                    rules.add(r);
                }
            }
        }
        if (houseEverywhere || place.jurisdictions().length == 0) {
            rules.add(house);
        }
        final List<Constraint> constraints = new ArrayList<>();
        for (CallingRule r : rules) {
            if (r.zone() != null) {
                constraints.add(new Constraint(r, r.zone()));
                continue;
            }
            if (place.zones().length == 0) {
                return null;
            }
            for (ZoneId z : place.zones()) {
                constraints.add(new Constraint(r, z));
            }
        }
        return constraints;
    }

    private long[] intersect(List<Constraint> constraints, long from, long to) {
        long[] all = {from, to};
        for (Constraint c : constraints) {
            all = intersect(all, c.permitted(from, to, pack));
            if (all.length == 0) {
                break;
            }
        }
        return all;
    }

    /** Intersects two sorted lists of disjoint [start, end) pairs. */
    static long[] intersect(long[] a, long[] b) {
        final long[] out = new long[a.length + b.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            final long s = Math.max(a[i], b[j]);
            final long e = Math.min(a[i + 1], b[j + 1]);
            if (s < e) {
                out[n++] = s;
                out[n++] = e;
            }
            if (a[i + 1] < b[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean contains(long[] intervals, long t) {
        for (int i = 0; i < intervals.length; i += 2) {
            if (t >= intervals[i] && t < intervals[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** Returns the first start after {@code t}, or -1. */
    private static long nextStart(long[] intervals, long t) {
        for (int i = 0; i < intervals.length; i += 2) {
            if (intervals[i] > t) {
                return intervals[i];
            }
        }
        return -1;
    }

    /** One rule read in one zone. */
    private record Constraint(CallingRule rule, ZoneId zone) {
        /** Returns the sorted, merged [start, end) epoch-second pairs the rule permits within [from, to). */
        long[] permitted(long from, long to, RulePack pack) {
            final java.util.function.Function<String, HolidayCalendar> calendars = pack::calendar;
            LocalDate date = Instant.ofEpochSecond(from).atZone(zone).toLocalDate().minusDays(1);
            final LocalDate last = Instant.ofEpochSecond(to).atZone(zone).toLocalDate();
            long[] out = new long[16];
            int n = 0;
            for (; !date.isAfter(last); date = date.plusDays(1)) {
                final DayHours h = rule.hoursOn(date, calendars);
                if (h.none()) {
                    continue;
                }
                final long s = Math.max(from, h.startOn(date, zone));
                final long e = Math.min(to, h.endOn(date, zone));
                if (s >= e) {
                    continue;
                }
                if (n > 0 && s <= out[n - 1]) {
                    out[n - 1] = Math.max(out[n - 1], e);
                    continue;
                }
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = s;
                out[n++] = e;
            }
            return Arrays.copyOf(out, n);
        }
    }

    /**
     * Where a contact is.
     *
     * @param jurisdictions every jurisdiction that applies, federal ones included, sorted
     * @param zones the zones the number can be in
     * @param zip the contact's 5-digit ZIP, for ZIP-scoped rules, or null
     * @param unlocated whether a NANP number's jurisdiction is not known
     */
    public record Place(String[] jurisdictions, ZoneId[] zones, @Nullable String zip, boolean unlocated) {

        /** Returns the jurisdictions as a list. */
        public List<String> jurisdictionList() {
            return List.of(jurisdictions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Place p && Arrays.equals(jurisdictions, p.jurisdictions)
                   && Arrays.equals(zones, p.zones) && java.util.Objects.equals(zip, p.zip)
                   && unlocated == p.unlocated;
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(jurisdictions) * 31 + Arrays.hashCode(zones)) * 31
                   + java.util.Objects.hashCode(zip) + (unlocated ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Place" + Arrays.toString(jurisdictions) + Arrays.toString(zones) + (zip == null ? "" : " " + zip);
        }
    }

    /**
     * A verdict.
     *
     * @param allowed whether the call may be made now
     * @param reason when blocked: {@value #OUTSIDE} or {@value #UNKNOWN_JURISDICTION}; null when allowed
     * @param rule the rule that blocks it (the one that stays binding longest), or null
     * @param nextAllowedAt the next instant every rule permits, or null (allowed, or none within 400 days)
     */
    public record Verdict(boolean allowed, @Nullable String reason, @Nullable CallingRule rule,
                          @Nullable Instant nextAllowedAt) {
        /** Allowed. */
        public static final Verdict ALLOWED = new Verdict(true, null, null, null);
    }

    /**
     * One local day's permitted intervals.
     *
     * @param date the local date
     * @param zone the zone the day is in
     * @param intervals the permitted intervals, in order
     * @param rules each rule read in each zone, with its hours that day
     * @param blocked why the whole day is closed before any rule is read, or null
     */
    public record Day(LocalDate date, ZoneId zone, List<Interval> intervals, List<Shaping> rules,
                      @Nullable String blocked) {}

    /**
     * A permitted interval, [start, end).
     *
     * @param start first instant
     * @param end first instant after
     */
    public record Interval(Instant start, Instant end) {}

    /**
     * How one rule, read in one zone, shaped a day.
     *
     * @param rule the rule
     * @param zone the zone it was read in
     * @param hours its permitted hours that local day ({@link DayHours#ALL_DAY} when not in force)
     * @param holiday the holiday that set them, or null
     */
    public record Shaping(CallingRule rule, ZoneId zone, DayHours hours, @Nullable String holiday) {}
}
