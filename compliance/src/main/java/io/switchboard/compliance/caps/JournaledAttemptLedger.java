package io.switchboard.compliance.caps;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.compliance.rules.FrequencyCap;

/**
 * The embedded attempt ledger: attempts in memory, kept in a journal in the data directory
 * ({@code attempts/journal}) so that a restart, or a crash, never resets a count.
 *
 * <ul>
 *   <li>A reservation is decided and recorded in memory under one lock (exact counts), then
 *       answered once its journal line is on disk: lines written together share one fsync
 *       (group commit), so that reservations from many callers cost one disk flush a batch.</li>
 *   <li>A reservation whose line could not be written is refused ({@code caps_unavailable}) but
 *       still counted: a count is never lower than the attempts that may have been dialled. After
 *       a write failure the ledger refuses every reservation until it is opened again.</li>
 *   <li>At open the journal is replayed, attempts past their keeping are dropped, and the rest is
 *       written as a new journal; so too while running, past 64 MiB.</li>
 *   <li>One process at a time: the directory is locked for as long as the ledger is open.</li>
 * </ul>
 *
 * <p>Journal lines: {@code R <id> <at ms> <drop-after ms>} for a reservation, {@code D <id>} for
 * a release. A torn last line (a crash mid-write) is ignored.
 */
public final class JournaledAttemptLedger implements AttemptLedger {

    private static final Logger logger = LoggerFactory.getLogger(JournaledAttemptLedger.class);
    private static final long COMPACT_AFTER_BYTES = 64L << 20;

    private final Path dir;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, List<Held>> bySubject = new HashMap<>();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private FileChannel journal;
    private volatile @Nullable IOException broken;
    private volatile boolean closed;
    /** The journal's size past which it is rewritten: twice what the last rewrite left, at least 64 MiB. */
    private long compactAfter;
    private final long compactFloor;

    /** An attempt held in memory: its entry and when it may be forgotten. */
    private record Held(Attempts.Entry entry, long dropAfterMillis) {}

    /** A line waiting for the disk, and who waits for it. */
    private record Pending(byte[] line, CompletableFuture<Void> written) {}

    /** Queued by {@link #close}: the writer stops after what came before it. */
    private static final Pending STOP = new Pending(new byte[0], new CompletableFuture<>());

    /**
     * Opens (or creates) the ledger in {@code dir}.
     *
     * @throws IllegalStateException if another process holds it
     * @throws UncheckedIOException if its files cannot be read or written
     */
    public static JournaledAttemptLedger open(Path dir, Clock clock) {
        return open(dir, clock, COMPACT_AFTER_BYTES);
    }

    /** Opens the ledger, rewriting its journal past {@code compactAfterBytes} at least (tests use a small one). */
    static JournaledAttemptLedger open(Path dir, Clock clock, long compactAfterBytes) {
        requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
            return new JournaledAttemptLedger(dir, requireNonNull(clock, "clock"), compactAfterBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("attempt ledger " + dir + ": " + e.getMessage(), e);
        }
    }

    private JournaledAttemptLedger(Path dir, Clock clock, long compactAfterBytes) throws IOException {
        this.dir = dir;
        this.clock = clock;
        this.compactFloor = compactAfterBytes;
        lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            held = null;
        }
        if (held == null) {
            lockChannel.close();
            throw new IllegalStateException("the attempt ledger in " + dir.toAbsolutePath() + " is held by another "
                                            + "process (a running gateway?)");
        }
        lock = held;
        final long replayed;
        try {
            replayed = replay();
            journal = rewrite(retained());
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
        compactAfter = Math.max(compactFloor, 2 * journal.size());
        logger.info("Attempt ledger {}: {} attempts kept ({} journal lines replayed)", dir, held(), replayed);
        writer = new Thread(this::writeLoop, "attempt-ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public CompletableFuture<Attempts.Verdict> reserve(String subject, String id, Instant at, List<FrequencyCap> caps,
                                                       Instant now, Duration keep) {
        final Attempts.Verdict verdict;
        final Pending pending;
        synchronized (bySubject) {
            final IOException failed = broken;
            if (failed != null || closed) {
                return CompletableFuture.failedFuture(new IOException("the attempt ledger cannot write its journal"
                                                                      + (failed == null ? "" : ": " + failed.getMessage()),
                                                                      failed));
            }
            final List<Held> held = bySubject.computeIfAbsent(subject, s -> new ArrayList<>(4));
            forget(held, now.toEpochMilli());
            final List<Attempts.Entry> entries = new ArrayList<>(held.size());
            held.forEach(h -> entries.add(h.entry()));
            final Attempts.Verdict judged = Attempts.judge(entries, at, caps);
            if (!judged.granted()) {
                if (held.isEmpty()) {
                    bySubject.remove(subject);
                }
                return CompletableFuture.completedFuture(judged);
            }
            final long dropAfter = now.toEpochMilli() + keep.toMillis();
            insert(held, new Held(new Attempts.Entry(id, now.toEpochMilli()), dropAfter));
            verdict = judged.reserved(id);
            pending = new Pending(("R " + id + ' ' + now.toEpochMilli() + ' ' + dropAfter + '\n').getBytes(UTF_8),
                                  new CompletableFuture<>());
            queue.add(pending);
        }
        return pending.written().thenApply(written -> verdict);
    }

    @Override
    public CompletableFuture<Release> release(String id, Instant now, Duration grace) {
        final String subject = Attempts.subjectOf(id);
        if (subject == null) {
            return CompletableFuture.completedFuture(Release.UNKNOWN);
        }
        final Pending pending;
        synchronized (bySubject) {
            if (broken != null || closed) {
                return CompletableFuture.failedFuture(new IOException("the attempt ledger cannot write its journal"));
            }
            final List<Held> held = bySubject.get(subject);
            Held found = null;
            if (held != null) {
                for (Held h : held) {
                    if (h.entry().id().equals(id)) {
                        found = h;
                        break;
                    }
                }
            }
            if (found == null) {
                return CompletableFuture.completedFuture(Release.UNKNOWN);
            }
            if (now.toEpochMilli() - found.entry().atMillis() > grace.toMillis()) {
                return CompletableFuture.completedFuture(Release.TOO_LATE);
            }
            held.remove(found);
            pending = new Pending(("D " + id + '\n').getBytes(UTF_8), new CompletableFuture<>());
            queue.add(pending);
        }
        return pending.written().thenApply(written -> Release.RELEASED);
    }

    @Override
    public CompletableFuture<List<List<Attempts.Entry>>> attempts(List<String> subjects, Instant since) {
        final long from = since.toEpochMilli();
        final List<List<Attempts.Entry>> out = new ArrayList<>(subjects.size());
        synchronized (bySubject) {
            if (broken != null || closed) {
                return CompletableFuture.failedFuture(new IOException("the attempt ledger cannot write its journal"));
            }
            for (String s : subjects) {
                final List<Held> held = bySubject.get(s);
                if (held == null) {
                    out.add(List.of());
                    continue;
                }
                final List<Attempts.Entry> entries = new ArrayList<>(held.size());
                for (Held h : held) {
                    if (h.entry().atMillis() > from) {
                        entries.add(h.entry());
                    }
                }
                out.add(entries);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public String kind() {
        return "embedded";
    }

    /** Returns how many attempts are held. */
    public long held() {
        synchronized (bySubject) {
            long n = 0;
            for (List<Held> h : bySubject.values()) {
                n += h.size();
            }
            return n;
        }
    }

    @Override
    public void close() {
        synchronized (bySubject) {
            if (closed) {
                return;
            }
            // Everything queued before this is written first; nothing is queued after it.
            closed = true;
            queue.add(STOP);
        }
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            journal.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            logger.warn("Attempt ledger {}: closing: {}", dir, e.toString());
        }
    }

    /** Keeps {@code held} oldest first (an attempt may be reserved at an instant before the last). */
    private static void insert(List<Held> held, Held h) {
        int i = held.size();
        while (i > 0 && held.get(i - 1).entry().atMillis() > h.entry().atMillis()) {
            i--;
        }
        held.add(i, h);
    }

    private static void forget(List<Held> held, long nowMillis) {
        held.removeIf(h -> h.dropAfterMillis() < nowMillis);
    }

    private Path journalFile() {
        return dir.resolve("journal");
    }

    /** Reads the journal into memory; returns the lines read. */
    private long replay() throws IOException {
        if (!Files.exists(journalFile())) {
            return 0;
        }
        long lines = 0;
        final long now = clock.millis();
        final byte[] bytes = Files.readAllBytes(journalFile());
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            final String line = new String(bytes, start, i - start, UTF_8);
            start = i + 1;
            lines++;
            apply(line, now);
        }
        if (start < bytes.length) {
            logger.warn("Attempt ledger {}: journal ends in an incomplete line ({} bytes); ignored", dir,
                        bytes.length - start);
        }
        return lines;
    }

    private void apply(String line, long now) {
        final String[] f = line.split(" ");
        final String subject = f.length >= 2 ? Attempts.subjectOf(f[1]) : null;
        if (subject == null) {
            logger.warn("Attempt ledger {}: unreadable journal line ignored", dir);
            return;
        }
        final List<Held> held = bySubject.computeIfAbsent(subject, s -> new ArrayList<>(4));
        if (f[0].equals("R") && f.length == 4) {
            held.removeIf(h -> h.entry().id().equals(f[1]));
            final long dropAfter = Long.parseLong(f[3]);
            if (dropAfter >= now) {
                insert(held, new Held(new Attempts.Entry(f[1], Long.parseLong(f[2])), dropAfter));
            }
        } else if (f[0].equals("D") && f.length == 2) {
            held.removeIf(h -> h.entry().id().equals(f[1]));
        } else {
            logger.warn("Attempt ledger {}: unreadable journal line ignored", dir);
        }
        if (held.isEmpty()) {
            bySubject.remove(subject);
        }
    }

    /**
     * Drops what is past its keeping and returns every attempt still held. Under the lock, or at
     * open: in memory only, so that scrubs, which read under the same lock, never wait for a disk.
     */
    private List<Held> retained() {
        final long now = clock.millis();
        final List<Held> out = new ArrayList<>();
        for (Iterator<List<Held>> it = bySubject.values().iterator(); it.hasNext(); ) {
            final List<Held> held = it.next();
            forget(held, now);
            if (held.isEmpty()) {
                it.remove();
            } else {
                out.addAll(held);
            }
        }
        return out;
    }

    /**
     * Writes {@code held} as a new journal, atomically, and opens it for appending. Lines queued
     * after {@code held} was taken are appended to the new journal afterwards; one that repeats
     * what {@code held} has already changes nothing when replayed.
     */
    private FileChannel rewrite(List<Held> held) throws IOException {
        final Path tmp = dir.resolve("journal.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                                StandardOpenOption.TRUNCATE_EXISTING)) {
            final StringBuilder sb = new StringBuilder();
            for (Held h : held) {
                sb.append("R ").append(h.entry().id()).append(' ').append(h.entry().atMillis()).append(' ')
                  .append(h.dropAfterMillis()).append('\n');
                if (sb.length() > (1 << 20)) {
                    writeFully(out, sb.toString().getBytes(UTF_8));
                    sb.setLength(0);
                }
            }
            writeFully(out, sb.toString().getBytes(UTF_8));
            out.force(true);
        }
        Files.move(tmp, journalFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        final FileChannel opened = FileChannel.open(journalFile(), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be synced
        }
        return opened;
    }

    private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** The group commit: whatever lines wait are written together, then flushed once. */
    private void writeLoop() {
        final List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, by queueing STOP
            }
            queue.drainTo(batch);
            stop = batch.remove(STOP);
            final IOException failed = broken;
            if (failed != null) {
                batch.forEach(p -> p.written().completeExceptionally(failed));
                batch.clear();
                continue;
            }
            try {
                int size = 0;
                for (Pending p : batch) {
                    size += p.line().length;
                }
                final ByteBuffer all = ByteBuffer.allocate(size);
                batch.forEach(p -> all.put(p.line()));
                all.flip();
                while (all.hasRemaining()) {
                    journal.write(all);
                }
                journal.force(false);
                batch.forEach(p -> p.written().complete(null));
                if (journal.size() > compactAfter) {
                    final List<Held> held;
                    synchronized (bySubject) {
                        held = retained();
                    }
                    // Only this thread writes the journal: reservations queue their lines meanwhile.
                    final FileChannel old = journal;
                    journal = rewrite(held);
                    old.close();
                    compactAfter = Math.max(compactFloor, 2 * journal.size());
                }
            } catch (IOException e) {
                broken = e;
                logger.error("Attempt ledger {}: cannot write the journal ({}); every reservation is refused until "
                             + "the gateway is restarted", dir, e.toString());
                batch.forEach(p -> p.written().completeExceptionally(e));
            }
            batch.clear();
        }
    }
}
