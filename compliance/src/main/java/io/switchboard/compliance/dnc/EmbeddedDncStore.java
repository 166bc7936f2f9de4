package io.switchboard.compliance.dnc;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

import org.roaringbitmap.longlong.Roaring64Bitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.core.io.AtomicFiles;
import io.switchboard.compliance.scrub.GeoRule;

/**
 * The embedded DNC store: numbers in E.164, held as a compressed bitmap of {@code long}s in
 * memory and kept in a directory as a snapshot plus an append-only journal.
 *
 * <ul>
 *   <li>Every change is appended to the journal and fsync'd before it takes effect, so a change
 *       that was acknowledged survives a crash. The journal's records are checksummed: at open,
 *       a torn tail (a crash mid-write) is cut off and the rest replayed.</li>
 *   <li>{@link #compact()} writes the whole set as a new snapshot ({@link AtomicFiles})
 *       and empties the journal; a crash between the two replays the journal on the new
 *       snapshot, which changes nothing, since adds and removes replayed in order are idempotent.</li>
 *   <li>One process at a time: the directory is locked for as long as the store is open.</li>
 * </ul>
 *
 * <p>Per-number geographic rules, which are few, live in {@code geo-rules.json} (the JSON of
 * Redis's {@code dnc:geo_rules} hash: number to {@code {"Allowed": bool, "RiskLevel": "..."}}),
 * rewritten atomically on each change.
 *
 * <p>Threading: lookups run concurrently. Changes queue for the journal one at a time, and
 * block lookups only for the in-memory update, never for the fsync. Compaction, every 64 MiB of
 * journal, blocks them only while the bitmap is re-packed in memory, not while the snapshot is
 * written: a lookup never waits for the disk.
 */
public final class EmbeddedDncStore implements DncStore {

    private static final Logger logger = LoggerFactory.getLogger(EmbeddedDncStore.class);
    private static final byte ADD = 1;
    private static final byte REMOVE = 2;
    /** Journal size past which a change triggers compaction. */
    private static final long COMPACT_AFTER_BYTES = 64L << 20;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel journal;
    private final Roaring64Bitmap numbers;
    private final ReadWriteLock rw = new ReentrantReadWriteLock();
    private final GeoRuleFile geoRules;

    /**
     * Opens (or creates) the store in {@code dir}.
     *
     * @throws IllegalStateException if another process holds the store
     * @throws UncheckedIOException if the files cannot be read or written
     */
    public static EmbeddedDncStore open(Path dir) {
        requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
            return new EmbeddedDncStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("DNC store " + dir + ": " + e.getMessage(), e);
        }
    }

    private EmbeddedDncStore(Path dir) throws IOException {
        this.dir = dir;
        lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException heldHere) {
            held = null; // this very process holds it already
        }
        if (held == null) {
            lockChannel.close();
            throw new IllegalStateException("the DNC store in " + dir.toAbsolutePath() + " is held by another process "
                                            + "(a running gateway?); go through it, or stop it first");
        }
        lock = held;
        numbers = loadSnapshot();
        geoRules = GeoRuleFile.open(dir.resolve("geo-rules.json"));
        journal = FileChannel.open(journalFile(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                                   StandardOpenOption.WRITE);
        final long replayed = replay();
        journal.position(journal.size());
        logger.info("DNC store {}: {} numbers ({} journal records replayed)", dir, numbers.getLongCardinality(),
                    replayed);
    }

    /** Returns whether each of {@code numbers} (E.164 digits as longs) is listed. */
    public boolean[] contains(long[] e164) {
        requireNonNull(e164, "e164");
        final boolean[] listed = new boolean[e164.length];
        rw.readLock().lock();
        try {
            for (int i = 0; i < e164.length; i++) {
                listed[i] = numbers.contains(e164[i]);
            }
        } finally {
            rw.readLock().unlock();
        }
        return listed;
    }

    @Override
    public CompletableFuture<Lookup> lookup(long[] e164) {
        try {
            final boolean[] listed = contains(e164);
            return CompletableFuture.completedFuture(new Lookup(listed, geoRules.get(e164)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Long> addAll(long[] e164) {
        return completed(() -> add(e164));
    }

    @Override
    public CompletableFuture<Long> removeAll(long[] e164) {
        return completed(() -> remove(e164));
    }

    @Override
    public CompletableFuture<Void> putGeoRule(long e164, GeoRule rule) {
        return completed(() -> {
            geoRules.put(e164, rule);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> removeGeoRule(long e164) {
        return completed(() -> geoRules.remove(e164));
    }

    @Override
    public CompletableFuture<Stats> stats() {
        return completed(() -> new Stats("embedded", size(), geoRules.size(), sizeInBytes()));
    }

    private static <T> CompletableFuture<T> completed(Supplier<T> action) {
        try {
            return CompletableFuture.completedFuture(action.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Adds {@code e164}; returns how many were not listed before. Durable when it returns. */
    public long add(long[] e164) {
        return change(ADD, e164);
    }

    /** Removes {@code e164}; returns how many were listed. Durable when it returns. */
    public long remove(long[] e164) {
        return change(REMOVE, e164);
    }

    /** Hands every listed number to {@code each}, in order. */
    public void forEach(java.util.function.LongConsumer each) {
        rw.readLock().lock();
        try {
            numbers.forEach(each::accept);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Returns how many numbers are listed. */
    public long size() {
        rw.readLock().lock();
        try {
            return numbers.getLongCardinality();
        } finally {
            rw.readLock().unlock();
        }
    }

    /** Returns the bytes the in-memory set takes, as the bitmap counts them. */
    public long sizeInBytes() {
        rw.readLock().lock();
        try {
            return numbers.getLongSizeInBytes();
        } finally {
            rw.readLock().unlock();
        }
    }

    private long change(byte op, long[] e164) {
        requireNonNull(e164, "e164");
        if (e164.length == 0) {
            return 0;
        }
        // Writers queue here for the journal; lookups wait only for the in-memory update.
        synchronized (journal) {
            try {
                append(op, e164);
            } catch (IOException e) {
                throw new UncheckedIOException("DNC store " + dir + ": cannot write the journal: " + e.getMessage(),
                                               e);
            }
            final long changed = apply(op, e164);
            try {
                if (journal.size() > COMPACT_AFTER_BYTES) {
                    compactUnderJournalLock();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("DNC store " + dir + ": cannot compact: " + e.getMessage(), e);
            }
            return changed;
        }
    }

    private long apply(byte op, long[] e164) {
        // In order, so that consecutive numbers reach the same parts of the bitmap while they are
        // in cache; sorted before the lock is taken, which lookups wait for.
        final long[] sorted = e164.clone();
        java.util.Arrays.sort(sorted);
        rw.writeLock().lock();
        try {
            long changed = 0;
            for (long n : sorted) {
                if (op == ADD) {
                    if (!numbers.contains(n)) {
                        numbers.addLong(n);
                        changed++;
                    }
                } else if (numbers.contains(n)) {
                    numbers.removeLong(n);
                    changed++;
                }
            }
            return changed;
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** A record: op (1 byte), count (4), numbers (8 each), CRC32C of all that (4). */
    private void append(byte op, long[] e164) throws IOException {
        final ByteBuffer record = ByteBuffer.allocate(1 + 4 + 8 * e164.length + 4);
        record.put(op).putInt(e164.length);
        for (long n : e164) {
            record.putLong(n);
        }
        final CRC32C crc = new CRC32C();
        crc.update(record.array(), 0, record.position());
        record.putInt((int) crc.getValue());
        record.flip();
        while (record.hasRemaining()) {
            journal.write(record);
        }
        journal.force(false);
    }

    /** Replays whole records and cuts off a torn tail; returns the records replayed. */
    private long replay() throws IOException {
        long records = 0;
        long good = 0;
        // A channel of its own: closing the stream closes its channel, and the journal stays open.
        try (FileChannel reader = FileChannel.open(journalFile(), StandardOpenOption.READ);
             DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(reader),
                                                                             1 << 16))) {
            while (true) {
                final int op = in.read();
                if (op < 0) {
                    break;
                }
                final int count;
                final long[] batch;
                final int stored;
                try {
                    count = in.readInt();
                    if (count < 0 || count > (1 << 24) || op != ADD && op != REMOVE) {
                        break;
                    }
                    batch = new long[count];
                    for (int i = 0; i < count; i++) {
                        batch[i] = in.readLong();
                    }
                    stored = in.readInt();
                } catch (java.io.EOFException torn) {
                    break;
                }
                final ByteBuffer check = ByteBuffer.allocate(1 + 4 + 8 * count);
                check.put((byte) op).putInt(count);
                for (long n : batch) {
                    check.putLong(n);
                }
                final CRC32C crc = new CRC32C();
                crc.update(check.array());
                if ((int) crc.getValue() != stored) {
                    break;
                }
                for (long n : batch) {
                    if (op == ADD) {
                        numbers.addLong(n);
                    } else {
                        numbers.removeLong(n);
                    }
                }
                records++;
                good += 1 + 4 + 8L * count + 4;
            }
        }
        if (good < journal.size()) {
            logger.warn("DNC store {}: journal ends in an incomplete record ({} bytes); cut off", dir,
                        journal.size() - good);
            journal.truncate(good);
            journal.force(true);
        }
        return records;
    }

    private Roaring64Bitmap loadSnapshot() throws IOException {
        final Roaring64Bitmap set = new Roaring64Bitmap();
        if (Files.exists(snapshotFile())) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                    Files.newInputStream(snapshotFile()), 1 << 16))) {
                set.deserialize(in);
            }
        }
        return set;
    }

    /** Writes the set as a snapshot and empties the journal. */
    public void compact() {
        synchronized (journal) {
            compactUnderJournalLock();
        }
    }

    /**
     * Compacts while this thread holds the journal's monitor, so that no change comes in between.
     * Lookups wait only while the bitmap's containers are re-chosen in memory ({@code runOptimize}):
     * the snapshot is written under the read lock, alongside them.
     */
    private void compactUnderJournalLock() {
        rw.writeLock().lock();
        try {
            numbers.runOptimize();
            rw.readLock().lock(); // held on from the write lock, which is let go below
        } finally {
            rw.writeLock().unlock();
        }
        try {
            AtomicFiles.write(snapshotFile(), out -> numbers.serialize(new DataOutputStream(out)));
            journal.truncate(0);
            journal.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("DNC store " + dir + ": cannot compact: " + e.getMessage(), e);
        } finally {
            rw.readLock().unlock();
        }
    }

    private Path snapshotFile() {
        return dir.resolve("numbers.snapshot");
    }

    private Path journalFile() {
        return dir.resolve("numbers.journal");
    }

    /** Closes the files and releases the directory; a second call does nothing. Changes are durable already. */
    @Override
    public synchronized void close() {
        if (!journal.isOpen()) {
            return;
        }
        try {
            journal.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
