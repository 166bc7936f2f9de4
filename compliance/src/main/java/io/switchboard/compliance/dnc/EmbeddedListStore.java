package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The embedded store's lists: each list but the seed's is an {@link EmbeddedDncStore} of its own
 * in {@code <dnc>/lists/<scope>+<kind>/}; list settings, entry expiries and per-number records
 * are kept in {@code <dnc>/lists/records}, a {@link KeyValueJournal}, and indexed in memory.
 *
 * <p>Every entry of every list but the seed's is also in a {@link NumberFilter}, a blocked Bloom
 * filter of (number, list) pairs (about 1 % false positives at 12 bits an entry): a lookup asks
 * it first, and asks each list only about the numbers the filter says it may hold. The filter
 * answers for every list from one 64-byte block a number (one or two cache lines), where each bitmap lookup walks a tree
 * through memory; a batch then costs little more than the seed's list alone, whatever the number
 * of lists. An entry taken off its list stays in the filter (a false positive, which costs a
 * lookup, never a wrong answer) until the filter is rebuilt: at open, and when the lists have
 * outgrown it.
 *
 * <p>Thread-safe: changes are serialised, lookups run alongside them.
 */
public final class EmbeddedListStore implements ListStore {

    private static final String LIST = "list|";
    private static final String EXPIRY = "exp|";
    private static final String RECORD = "r|";
    private static final String VERSION = "ver|";

    private final Path dir;
    private final EmbeddedDncStore global;
    private final KeyValueJournal journal;
    private final Map<DncList, EmbeddedDncStore> stores = new ConcurrentHashMap<>();
    /** Each replaced list's current version (0, the first, is absent). */
    private final Map<DncList, Long> versions = new ConcurrentHashMap<>();
    /** The new version of each list being replaced. */
    private final Map<DncList, Staged> staging = new HashMap<>();
    private final Map<DncList, ListInfo> infos = new ConcurrentHashMap<>();
    private final Map<DncList, Map<Long, Long>> expiries = new ConcurrentHashMap<>();
    /** Each number's records, sorted by field, so that they are answered without a copy. */
    private final Map<Long, java.util.NavigableMap<String, String>> records = new ConcurrentHashMap<>();
    /** Numbers on some list but the seed's, maybe; rebuilt when the lists outgrow what it was sized for. */
    private volatile NumberFilter filter = new NumberFilter(MIN_FILTER);
    /** The entries the filter holds: those of the lists when it was built, and each new one since (changes are serialised). */
    private long filterEntries;
    private static final long MIN_FILTER = 1_000_000;
    /**
     * Lists that hold more than this are left out of the filter and asked directly, as the seed's
     * list is: at 1.5 bytes an entry, a national registry's copy would need 480 MB of filter
     * (twice that while it is rebuilt), and a list that large holds too many of the numbers asked
     * for the filter to spare much.
     */
    static final long FILTER_LIST_MAX = 5_000_000;
    private final long filterListMax;
    /** The lists asked directly (their every version), published before a filter without them. */
    private volatile java.util.Set<DncList> direct = java.util.Set.of();

    /** Opens the lists kept beside {@code global}, the seed's list, in {@code dncDir}. */
    public EmbeddedListStore(Path dncDir, EmbeddedDncStore global) {
        this(dncDir, global, FILTER_LIST_MAX);
    }

    /** As above; lists of more than {@code filterListMax} entries are asked directly. */
    EmbeddedListStore(Path dncDir, EmbeddedDncStore global, long filterListMax) {
        this.filterListMax = filterListMax;
        this.dir = requireNonNull(dncDir, "dncDir").resolve("lists");
        this.global = requireNonNull(global, "global");
        this.journal = new KeyValueJournal(dir.resolve("records"));
        final Map<DncList, Instant> published = new HashMap<>();
        infos.put(DncList.GLOBAL, new ListInfo(DncList.GLOBAL, null, false));
        journal.withPrefix("").forEach((k, v) -> {
            if (k.startsWith(LIST)) {
                final DncList list = DncList.parse(k.substring(LIST.length()));
                if (list != null) {
                    infos.put(list, info(list, v));
                }
            } else if (k.startsWith(EXPIRY)) {
                final int bar = k.lastIndexOf('|');
                final DncList list = DncList.parse(k.substring(EXPIRY.length(), bar));
                if (list != null) {
                    expiries.computeIfAbsent(list, l -> new ConcurrentHashMap<>())
                            .put(Long.parseLong(k.substring(bar + 1)), Long.parseLong(v));
                }
            } else if (k.startsWith(VERSION)) {
                // "<version>|<publishedAt>"
                final DncList list = DncList.parse(k.substring(VERSION.length()));
                if (list != null) {
                    final int bar = v.indexOf('|');
                    versions.put(list, Long.parseLong(bar < 0 ? v : v.substring(0, bar)));
                    if (bar >= 0) {
                        published.put(list, Instant.parse(v.substring(bar + 1)));
                    }
                }
            } else if (k.startsWith(RECORD)) {
                final int bar = k.indexOf('|', RECORD.length());
                records.computeIfAbsent(Long.parseLong(k.substring(RECORD.length(), bar)), n -> new ConcurrentSkipListMap<>())
                       .put(k.substring(bar + 1), v);
            }
        });
        // A replaced list was published when its version's line says.
        published.forEach((list, at) -> {
            final ListInfo i = infos.get(list);
            infos.put(list, new ListInfo(list, at, i != null && i.expiring()));
        });
        // A list's directory counts even if its settings line was lost: its numbers still block.
        if (java.nio.file.Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> subdirs = java.nio.file.Files.list(dir)) {
                subdirs.filter(java.nio.file.Files::isDirectory).forEach(d -> {
                    String name = d.getFileName().toString();
                    final int tilde = name.lastIndexOf('~');
                    final long version = tilde < 0 ? 0 : RedisListStore.parseVersion(name.substring(tilde + 1));
                    if (version < 0) {
                        // Not a directory this store made: left as it is, and not read.
                        org.slf4j.LoggerFactory.getLogger(EmbeddedListStore.class)
                                               .warn("{} is not a list's directory; it is ignored", d);
                        return;
                    }
                    name = tilde < 0 ? name : name.substring(0, tilde);
                    final int plus = name.lastIndexOf('+');
                    final DncList list = plus < 0 ? null
                            : DncList.parse(name.substring(0, plus).replace('=', ':') + '/' + name.substring(plus + 1));
                    if (list != null && version != versions.getOrDefault(list, 0L)) {
                        // A replaced version, or one whose loading was interrupted.
                        delete(d);
                        return;
                    }
                    if (list != null && !infos.containsKey(list)) {
                        infos.put(list, new ListInfo(list, null, list.kind() == DncList.Kind.INTERNAL
                                                                 || list.kind() == DncList.Kind.REGISTRY));
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("DNC lists " + dir + ": " + e.getMessage(), e);
            }
        }
        rebuildFilter();
    }

    /**
     * Builds the filter again from every list but the seed's, and every new version being loaded,
     * sized for a quarter more than they hold.
     */
    private synchronized void rebuildFilter() {
        // Lists past filterListMax (in any version) are asked directly from now on: that is
        // published before a filter that no longer knows them.
        final java.util.Set<DncList> large = new java.util.HashSet<>(direct);
        for (DncList list : infos.keySet()) {
            if (!list.global() && store(list).size() > filterListMax) {
                large.add(list);
            }
        }
        for (Staged s : staging.values()) {
            if (s.store.size() > filterListMax) {
                large.add(s.list);
            }
        }
        direct = java.util.Set.copyOf(large);
        long total = 0;
        for (DncList list : infos.keySet()) {
            if (!list.global() && !large.contains(list)) {
                total += store(list).size();
            }
        }
        for (Staged s : staging.values()) {
            if (!large.contains(s.list)) {
                total += s.store.size();
            }
        }
        // The old filter may go before the new one is built: the two need not fit together.
        filter = NumberFilter.ALL;
        final NumberFilter next = new NumberFilter(Math.max(MIN_FILTER, total + total / 4));
        for (DncList list : infos.keySet()) {
            if (!list.global() && !large.contains(list)) {
                final long key = NumberFilter.key(list);
                store(list).forEach(n -> next.add(n, key));
            }
        }
        for (Staged s : staging.values()) {
            if (!large.contains(s.list)) {
                final long key = NumberFilter.key(s.list);
                s.store.forEach(n -> next.add(n, key));
            }
        }
        next.publish();
        filterEntries = total;
        filter = next;
    }

    /**
     * Adds {@code e164} to {@code store}, a version of {@code list}, and to the filter unless the
     * list is asked directly; rebuilds the filter when it is full or the list has outgrown it.
     * Changes are serialised by the caller.
     */
    private long addFiltered(DncList list, EmbeddedDncStore store, long[] e164) {
        if (direct.contains(list)) {
            return store.add(e164);
        }
        // Into the filter first: a number is never on a list that the filter says it is not on.
        final NumberFilter f = filter;
        final long key = NumberFilter.key(list);
        for (long n : e164) {
            f.add(n, key);
        }
        f.publish();
        final long added = store.add(e164);
        // Only entries new to their list load the filter: a list imported again adds no bits.
        filterEntries += added;
        if (filterEntries > f.capacity() || store.size() > filterListMax) {
            rebuildFilter(); // from the stores, which now hold these numbers too
        }
        return added;
    }

    private static ListInfo info(DncList list, String settings) {
        // "<refreshedAt or ->|<expiring 0 or 1>"
        final String[] f = settings.split("\\|", -1);
        return new ListInfo(list, f[0].equals("-") ? null : Instant.parse(f[0]), f.length > 1 && f[1].equals("1"));
    }

    private static String settings(ListInfo info) {
        return (info.refreshedAt() == null ? "-" : info.refreshedAt().toString()) + '|' + (info.expiring() ? '1' : '0');
    }

    private EmbeddedDncStore store(DncList list) {
        if (list.global()) {
            return global;
        }
        return stores.computeIfAbsent(list, l -> EmbeddedDncStore.open(directory(l, versions.getOrDefault(l, 0L))));
    }

    private Path directory(DncList list, long version) {
        return dir.resolve(list.scope().replace(':', '=') + '+' + list.kind().wire() + (version == 0 ? "" : "~" + version));
    }

    private static void delete(Path tree) {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(tree)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // What is left is deleted when the store is opened next.
            org.slf4j.LoggerFactory.getLogger(EmbeddedListStore.class)
                                   .warn("could not delete {} yet: {}", tree, e.toString());
        }
    }

    @Override
    public List<ListInfo> lists() {
        return new ArrayList<>(new TreeMap<>(infos).values());
    }

    @Override
    public CompletableFuture<boolean[][]> contains(List<DncList> lists, long[] e164) {
        return completed(() -> {
            while (true) {
                // A filter that stayed in place while the lists were read was given every entry
                // they got; after a rebuild, the lookup is done again.
                final NumberFilter f = filter;
                final java.util.Set<DncList> d = direct; // read after the filter: see rebuildFilter
                final boolean[][] out = contains(f, d, lists, e164);
                if (filter == f) {
                    return out;
                }
            }
        });
    }

    private boolean[][] contains(NumberFilter f, java.util.Set<DncList> direct, List<DncList> lists, long[] e164) {
        // The lists' current versions before the filter: a version switched to is then seen with
        // every entry it was given before the switch (they were published to the filter first).
        // The other way round, a lookup could pair a new version with the filter as it was
        // while that version loaded, and miss what it got since.
        final EmbeddedDncStore[] versions = new EmbeddedDncStore[lists.size()];
        for (int i = 0; i < versions.length; i++) {
            final DncList list = lists.get(i);
            versions[i] = list.global() ? global : infos.containsKey(list) ? store(list) : null;
        }
        // Each list but the seed's is asked only about the numbers the filter says it may hold.
        final long[] keys = new long[lists.size()];
        final int[][] at = new int[lists.size()][];
        final int[] found = new int[lists.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = NumberFilter.key(lists.get(i));
            at[i] = new int[e164.length];
        }
        f.mayHold(e164, keys, at, found);
        final boolean[][] out = new boolean[lists.size()][];
        for (int i = 0; i < out.length; i++) {
            final DncList list = lists.get(i);
            if (versions[i] == null) {
                out[i] = new boolean[e164.length];
                continue;
            }
            if (list.global() || direct.contains(list)) {
                out[i] = versions[i].contains(e164);
                continue;
            }
            out[i] = new boolean[e164.length];
            if (found[i] > 0) {
                final long[] candidates = new long[found[i]];
                for (int c = 0; c < candidates.length; c++) {
                    candidates[c] = e164[at[i][c]];
                }
                final boolean[] on = versions[i].contains(candidates);
                for (int c = 0; c < candidates.length; c++) {
                    out[i][at[i][c]] = on[c];
                }
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<List<Map<Long, Instant>>> expiries(List<DncList> lists, List<long[]> e164) {
        return completed(() -> {
            final List<Map<Long, Instant>> out = new ArrayList<>(lists.size());
            for (int i = 0; i < lists.size(); i++) {
                final Map<Long, Long> known = expiries.getOrDefault(lists.get(i), Map.of());
                final Map<Long, Instant> found = new HashMap<>();
                for (long n : e164.get(i)) {
                    final Long at = known.get(n);
                    if (at != null) {
                        found.put(n, Instant.ofEpochMilli(at));
                    }
                }
                out.add(found);
            }
            return out;
        });
    }

    @Override
    public synchronized CompletableFuture<Long> add(DncList list, long[] e164, @Nullable Instant expiresAt) {
        return completed(() -> {
            final ListInfo before = infos.get(list);
            final boolean expiring = expiresAt != null || (before != null && before.expiring());
            final Map<String, @Nullable String> changes = new HashMap<>();
            if (before == null || before.expiring() != expiring) {
                changes.put(LIST + list.name(), settings(new ListInfo(list, before == null ? null : before.refreshedAt(),
                                                                      expiring)));
            }
            final Map<Long, Long> known = expiries.getOrDefault(list, Map.of());
            // An expiry never shortens an entry: one on the list for good stays so, and of two
            // expiries the later holds.
            final boolean[] on = expiresAt == null ? null : store(list).contains(e164);
            final Map<Long, Long> ends = new HashMap<>();
            for (int k = 0; k < e164.length; k++) {
                final long n = e164[k];
                if (expiresAt == null) {
                    if (known.containsKey(n)) {
                        changes.put(EXPIRY + list.name() + '|' + n, null);
                    }
                    continue;
                }
                final Long current = known.get(n);
                if (on[k] && current == null) {
                    continue;
                }
                final long end = current == null ? expiresAt.toEpochMilli()
                                                 : Math.max(current, expiresAt.toEpochMilli());
                ends.put(n, end);
                changes.put(EXPIRY + list.name() + '|' + n, Long.toString(end));
            }
            // Settings and expiries first: a crash before the numbers are added leaves nothing that unblocks.
            journal.apply(changes);
            infos.put(list, new ListInfo(list, before == null ? null : before.refreshedAt(), expiring));
            final Map<Long, Long> index = expiries.computeIfAbsent(list, l -> new ConcurrentHashMap<>());
            if (expiresAt == null) {
                for (long n : e164) {
                    index.remove(n);
                }
            } else {
                index.putAll(ends);
            }
            if (list.global()) {
                return store(list).add(e164);
            }
            return addFiltered(list, store(list), e164);
        });
    }

    @Override
    public synchronized CompletableFuture<Long> remove(DncList list, long[] e164) {
        return completed(() -> {
            if (!infos.containsKey(list)) {
                return 0L;
            }
            final long removed = store(list).remove(e164);
            final Map<Long, Long> known = expiries.get(list);
            if (known != null) {
                final Map<String, @Nullable String> changes = new HashMap<>();
                for (long n : e164) {
                    if (known.containsKey(n)) {
                        changes.put(EXPIRY + list.name() + '|' + n, null);
                    }
                }
                journal.apply(changes);
                for (long n : e164) {
                    known.remove(n);
                }
            }
            return removed;
        });
    }

    @Override
    public synchronized CompletableFuture<Void> refreshed(DncList list, Instant publishedAt) {
        return completed(() -> {
            final ListInfo before = infos.get(list);
            final ListInfo after = new ListInfo(list, publishedAt, before != null && before.expiring());
            final Map<String, @Nullable String> changes = new HashMap<>();
            changes.put(LIST + list.name(), settings(after));
            if (versions.containsKey(list)) {
                // A replaced list's date is its version's: that line is what counts at open.
                changes.put(VERSION + list.name(), versions.get(list) + "|" + publishedAt);
            }
            journal.apply(changes);
            infos.put(list, after);
            store(list);
            return null;
        });
    }

    @Override
    public synchronized CompletableFuture<Replacement> replace(DncList list) {
        return completed(() -> {
            if (list.kind() != DncList.Kind.REGISTRY) {
                throw new IllegalArgumentException("only a registry list is replaced whole; " + list.name() + " is not one");
            }
            if (staging.containsKey(list)) {
                throw new IllegalStateException("a new version of " + list.name() + " is already being loaded");
            }
            long version = versions.getOrDefault(list, 0L) + 1;
            while (java.nio.file.Files.exists(directory(list, version))) {
                version++; // left by a loading that was interrupted, and not yet deleted
            }
            final Staged s = new Staged(list, version, EmbeddedDncStore.open(directory(list, version)));
            staging.put(list, s);
            return s;
        });
    }

    /** A new version being loaded in a directory of its own, {@code <scope>+<kind>~<version>}. */
    private final class Staged implements Replacement {
        private final DncList list;
        private final long version;
        private final EmbeddedDncStore store;
        private long loaded;
        private boolean commitStarted;

        Staged(DncList list, long version, EmbeddedDncStore store) {
            this.list = list;
            this.version = version;
            this.store = store;
        }

        @Override
        public DncList list() {
            return list;
        }

        @Override
        public CompletableFuture<Long> add(long[] e164) {
            synchronized (EmbeddedListStore.this) {
                return completed(() -> {
                    current();
                    // Into the filter as for any list: once readers switch, it must know these.
                    final long added = addFiltered(list, store, e164);
                    loaded += added;
                    return added;
                });
            }
        }

        @Override
        public CompletableFuture<Long> commit(Instant publishedAt) {
            synchronized (EmbeddedListStore.this) {
                return completed(() -> {
                    current();
                    commitStarted = true;
                    // Two writes, each safe if a crash ends there: the old version's expiries go
                    // first (its entries then never expire: they block), then one line names the
                    // new version with its publication date. A crash in a write keeps a prefix of
                    // its lines, so the version must be a line of its own, and the last.
                    final ListInfo before = infos.get(list);
                    final Map<String, @Nullable String> first = new HashMap<>();
                    first.put(LIST + list.name(), settings(new ListInfo(list, before == null ? null
                                                                                           : before.refreshedAt(), false)));
                    expiries.getOrDefault(list, Map.of()).keySet()
                            .forEach(n -> first.put(EXPIRY + list.name() + '|' + n, null));
                    journal.apply(first);
                    journal.put(VERSION + list.name(), version + "|" + publishedAt);
                    // In memory, the expiries go first: a reader still on the old version then sees
                    // its entries as never expiring, which blocks, never allows.
                    final ListInfo after = new ListInfo(list, publishedAt, false);
                    expiries.remove(list);
                    versions.put(list, version);
                    // The filter holds this version's numbers already, and the old one's. The new
                    // date goes after the new numbers: a scrub that reads the date, then the
                    // numbers, never pairs the new date with the old numbers.
                    final EmbeddedDncStore old = stores.put(list, store);
                    infos.put(list, after);
                    staging.remove(list);
                    if (old != null) {
                        // Lookups still running on it read memory, which close leaves.
                        old.close();
                    }
                    deleteOlder(list, version);
                    return loaded;
                });
            }
        }

        @Override
        public CompletableFuture<Void> abort() {
            synchronized (EmbeddedListStore.this) {
                if (staging.get(list) == this) {
                    staging.remove(list);
                    store.close();
                    // After a commit that failed part-way the journal may name this version: the
                    // next open decides which version stays, and deletes the other.
                    if (!commitStarted) {
                        delete(directory(list, version));
                    }
                }
                return CompletableFuture.completedFuture(null);
            }
        }

        private void current() {
            if (staging.get(list) != this) {
                throw new IllegalStateException("this new version of " + list.name() + " was committed or discarded");
            }
        }
    }

    /** Deletes every directory of {@code list}'s versions before {@code version}. */
    private void deleteOlder(DncList list, long version) {
        final String base = directory(list, 0).getFileName().toString();
        try (java.util.stream.Stream<Path> subdirs = java.nio.file.Files.list(dir)) {
            subdirs.filter(d -> {
                final String name = d.getFileName().toString();
                if (name.equals(base)) {
                    return true;
                }
                if (!name.startsWith(base + '~')) {
                    return false;
                }
                final long v = RedisListStore.parseVersion(name.substring(base.length() + 1));
                return v >= 0 && v < version;
            }).forEach(EmbeddedListStore::delete);
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(EmbeddedListStore.class)
                                   .warn("could not list {} to delete old versions of {}: {}", dir, list.name(), e.toString());
        }
    }

    @Override
    public CompletableFuture<Long> size(DncList list) {
        return completed(() -> infos.containsKey(list) ? store(list).size() : 0L);
    }

    @Override
    public CompletableFuture<List<Map<String, String>>> records(long[] e164) {
        return completed(() -> {
            final List<Map<String, String>> out = new ArrayList<>(e164.length);
            for (long n : e164) {
                final java.util.NavigableMap<String, String> r = records.get(n);
                out.add(r == null ? Map.of() : Collections.unmodifiableNavigableMap(r));
            }
            return out;
        });
    }

    @Override
    public synchronized CompletableFuture<Void> changeRecords(long e164, Map<String, @Nullable String> changes) {
        return completed(() -> {
            final Map<String, @Nullable String> keyed = new HashMap<>();
            changes.forEach((field, value) -> keyed.put(RECORD + e164 + '|' + field, value));
            journal.apply(keyed);
            final Map<String, String> r = records.computeIfAbsent(e164, n -> new ConcurrentSkipListMap<>());
            changes.forEach((field, value) -> {
                if (value == null) {
                    r.remove(field);
                } else {
                    r.put(field, value);
                }
            });
            if (r.isEmpty()) {
                records.remove(e164);
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        for (Staged s : List.copyOf(staging.values())) {
            s.abort();
        }
        stores.values().forEach(EmbeddedDncStore::close);
        journal.close();
    }

    private static <T> CompletableFuture<T> completed(Supplier<T> action) {
        try {
            return CompletableFuture.completedFuture(action.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
