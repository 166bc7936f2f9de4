package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.roaringbitmap.longlong.Roaring64Bitmap;

/**
 * The embedded store's lists: each list but the seed's is an {@link EmbeddedDncStore} of its own
 * in {@code <dnc>/lists/<scope>+<kind>/}; list settings, entry expiries and per-number records
 * are kept in {@code <dnc>/lists/records}, a {@link KeyValueJournal}, and indexed in memory.
 *
 * <p>Every number on some list but the seed's is also in one more bitmap, their union: a lookup
 * asks it first, and asks the lists themselves only about the numbers it holds, so that a batch
 * costs one lookup a number more than the seed's list alone, whatever the number of lists. The
 * union takes about as much memory as those lists together.
 *
 * <p>Thread-safe: changes are serialised, lookups run alongside them.
 */
public final class EmbeddedListStore implements ListStore {

    private static final String LIST = "list|";
    private static final String EXPIRY = "exp|";
    private static final String RECORD = "r|";

    private final Path dir;
    private final EmbeddedDncStore global;
    private final KeyValueJournal journal;
    private final Map<DncList, EmbeddedDncStore> stores = new ConcurrentHashMap<>();
    private final Map<DncList, ListInfo> infos = new ConcurrentHashMap<>();
    private final Map<DncList, Map<Long, Long>> expiries = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, String>> records = new ConcurrentHashMap<>();
    private final Roaring64Bitmap union = new Roaring64Bitmap();
    private final ReadWriteLock unionLock = new ReentrantReadWriteLock();

    /** Opens the lists kept beside {@code global}, the seed's list, in {@code dncDir}. */
    public EmbeddedListStore(Path dncDir, EmbeddedDncStore global) {
        this.dir = requireNonNull(dncDir, "dncDir").resolve("lists");
        this.global = requireNonNull(global, "global");
        this.journal = new KeyValueJournal(dir.resolve("records"));
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
            } else if (k.startsWith(RECORD)) {
                final int bar = k.indexOf('|', RECORD.length());
                records.computeIfAbsent(Long.parseLong(k.substring(RECORD.length(), bar)), n -> new ConcurrentHashMap<>())
                       .put(k.substring(bar + 1), v);
            }
        });
        // A list's directory counts even if its settings line was lost: its numbers still block.
        if (java.nio.file.Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> subdirs = java.nio.file.Files.list(dir)) {
                subdirs.filter(java.nio.file.Files::isDirectory).forEach(d -> {
                    final String name = d.getFileName().toString();
                    final int plus = name.lastIndexOf('+');
                    final DncList list = plus < 0 ? null
                            : DncList.parse(name.substring(0, plus).replace('=', ':') + '/' + name.substring(plus + 1));
                    if (list != null && !infos.containsKey(list)) {
                        infos.put(list, new ListInfo(list, null, list.kind() == DncList.Kind.INTERNAL
                                                                 || list.kind() == DncList.Kind.REGISTRY));
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("DNC lists " + dir + ": " + e.getMessage(), e);
            }
        }
        for (DncList list : infos.keySet()) {
            if (!list.global()) {
                store(list).addTo(union);
            }
        }
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
        return stores.computeIfAbsent(list, l -> EmbeddedDncStore.open(
                dir.resolve(l.scope().replace(':', '=') + '+' + l.kind().wire())));
    }

    @Override
    public List<ListInfo> lists() {
        return new ArrayList<>(new TreeMap<>(infos).values());
    }

    @Override
    public CompletableFuture<boolean[][]> contains(List<DncList> lists, long[] e164) {
        return completed(() -> {
            // The numbers on some list but the seed's: only they are looked up list by list.
            int onSome = 0;
            final int[] at = new int[e164.length];
            unionLock.readLock().lock();
            try {
                for (int k = 0; k < e164.length; k++) {
                    if (union.contains(e164[k])) {
                        at[onSome++] = k;
                    }
                }
            } finally {
                unionLock.readLock().unlock();
            }
            final long[] candidates = new long[onSome];
            for (int c = 0; c < onSome; c++) {
                candidates[c] = e164[at[c]];
            }
            final boolean[][] out = new boolean[lists.size()][];
            for (int i = 0; i < out.length; i++) {
                final DncList list = lists.get(i);
                if (list.global()) {
                    out[i] = global.contains(e164);
                    continue;
                }
                out[i] = new boolean[e164.length];
                if (onSome > 0 && infos.containsKey(list)) {
                    final boolean[] found = store(list).contains(candidates);
                    for (int c = 0; c < onSome; c++) {
                        out[i][at[c]] = found[c];
                    }
                }
            }
            return out;
        });
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
            final long added = store(list).add(e164);
            if (!list.global()) {
                unionLock.writeLock().lock();
                try {
                    for (long n : e164) {
                        union.addLong(n);
                    }
                } finally {
                    unionLock.writeLock().unlock();
                }
            }
            return added;
        });
    }

    @Override
    public synchronized CompletableFuture<Long> remove(DncList list, long[] e164) {
        return completed(() -> {
            if (!infos.containsKey(list)) {
                return 0L;
            }
            final long removed = store(list).remove(e164);
            if (!list.global()) {
                // A number leaves the union only when no list but the seed's still has it.
                final boolean[] elsewhere = new boolean[e164.length];
                for (Map.Entry<DncList, EmbeddedDncStore> other : stores.entrySet()) {
                    final boolean[] on = other.getValue().contains(e164);
                    for (int k = 0; k < e164.length; k++) {
                        elsewhere[k] |= on[k];
                    }
                }
                unionLock.writeLock().lock();
                try {
                    for (int k = 0; k < e164.length; k++) {
                        if (!elsewhere[k]) {
                            union.removeLong(e164[k]);
                        }
                    }
                } finally {
                    unionLock.writeLock().unlock();
                }
            }
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
            journal.put(LIST + list.name(), settings(after));
            infos.put(list, after);
            store(list);
            return null;
        });
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
                final Map<String, String> r = records.get(n);
                out.add(r == null ? Map.of() : new TreeMap<>(r));
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
            final Map<String, String> r = records.computeIfAbsent(e164, n -> new ConcurrentHashMap<>());
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
    public void close() {
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
