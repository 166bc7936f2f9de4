package io.switchboard.compliance.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.campaigns.DncListPort;
import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Streams a DNC CSV ({@code phone_number,reason,source}, or a registry's {@code area_code,number}
 * or one number a line; a header is detected, extra columns are ignored, fields may be quoted)
 * into a platform DNC list:
 * <ul>
 *   <li>every row is normalised to E.164; an invalid row goes to the rejects file with its line
 *       and reason and is counted, never dropped silently; a number seen earlier in the run is
 *       counted as a duplicate and not sent again;</li>
 *   <li>valid numbers go in batches (default 200, at most 1,000) through the {@link DncListPort},
 *       which waits out rate limits and backs off on server errors; any other refusal stops the
 *       sync with the platform's error;</li>
 *   <li>a checkpoint is written atomically before each batch is sent and after it is
 *       acknowledged, so that a sync that stops (or is killed) resumes where it was, sending at
 *       most the one batch in flight again, which it counts; a source whose content changed since
 *       the checkpoint is refused unless restarted;</li>
 *   <li>memory stays small whatever the file's size: rows are streamed, and duplicates are
 *       tracked in a compressed bitmap of the numbers seen.</li>
 * </ul>
 *
 * <p>Threading: {@link #run()} blocks the calling thread until the sync ends.
 */
public final class DncListSync {

    /** The largest batch the Genesys Cloud DNC endpoints take. */
    public static final int MAX_BATCH = 1000;
    /**
     * The numbers a batch into Switchboard's own store holds: a platform takes at most
     * {@value #MAX_BATCH} a request, the store far more, and each batch costs a durable write
     * (journal and checkpoint), so that larger batches load faster.
     */
    public static final int STORE_BATCH = 20_000;

    /** The largest a rejects file grows by default: 16 MiB; later rejected rows are counted, not listed. */
    public static final long DEFAULT_MAX_REJECTS_BYTES = 16L << 20;

    /** How much of a rejected value a rejects row quotes. */
    private static final int REJECTED_VALUE_CHARS = 100;

    /** How much of a rejection's reason a rejects row keeps. */
    private static final int REASON_CHARS = 300;

    /** Numbers sent a batch by default: 200. */
    public static final int DEFAULT_BATCH_SIZE = 200;

    /** Reports progress as rows are read. Called on the syncing thread. */
    @FunctionalInterface
    public interface Progress {
        /** Called every {@code n} rows and at the end. */
        void update(long bytesRead, long totalBytes, SyncCounts counts);
    }

    /** Stops a sync with a reason an operator can act on. */
    public static final class SyncException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyncException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** Returns a builder for a sync of {@code source} into the list {@code listId} behind {@code lists}. */
    public static Builder builder(DncSource source, DncListPort lists, String listId, String target) {
        return new Builder(source, lists, listId, target);
    }

    private final Builder config;

    private DncListSync(Builder b) {
        config = b;
    }

    /** Returns the checkpoint file of this sync. */
    public Path checkpointFile() {
        return config.workDir.resolve(config.name + ".checkpoint.json");
    }

    /**
     * Returns the file that says which batch is being sent: {@code <offset> <until>}, the
     * committed offset it follows and where the rows after it start. It only serves the
     * report's {@code sentAgain} count, so it is written without an fsync: a power cut may lose
     * it (and the count), a crashed process does not, and the checkpoint never depends on it.
     */
    Path inFlightFile() {
        return config.workDir.resolve(config.name + ".inflight");
    }

    /** Notes that the batch from {@code offset} up to {@code until} is being sent. */
    private void markInFlight(long offset, long until) throws IOException {
        final Path tmp = inFlightFile().resolveSibling(inFlightFile().getFileName() + ".tmp");
        Files.writeString(tmp, offset + " " + until + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, inFlightFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                   java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Returns where the batch sent after the committed {@code offset} ended, if it was in flight; else -1. */
    private long inFlightSince(long offset) {
        try {
            final String[] parts = Files.readString(inFlightFile(), StandardCharsets.US_ASCII).trim().split(" ");
            return parts.length == 2 && Long.parseLong(parts[0]) == offset ? Long.parseLong(parts[1]) : -1;
        } catch (IOException | NumberFormatException unreadable) {
            return -1; // absent or torn: nothing is known to have been in flight
        }
    }

    /** Returns the rejects file of this sync. */
    public Path rejectsFile() {
        return config.workDir.resolve(config.name + ".rejects.csv");
    }

    /** Returns where the report goes. */
    public Path reportFile() {
        return config.reportFile != null ? config.reportFile : config.workDir.resolve(config.name + ".report.json");
    }

    /**
     * Runs the sync to its end and writes the report.
     *
     * @throws SyncException if the source changed since the checkpoint, or the platform refused a batch
     * @throws IOException if the source, checkpoint or rejects file cannot be read or written
     */
    public SyncReport run() throws IOException {
        Files.createDirectories(config.workDir);
        final String version = config.source.version();
        final long size = config.source.size();
        if (config.restart) {
            Files.deleteIfExists(checkpointFile());
            Files.deleteIfExists(rejectsFile());
            Files.deleteIfExists(inFlightFile());
        }
        final SyncCheckpoint previous = SyncCheckpoint.read(checkpointFile()).orElse(null);
        if (previous == null && !config.restart) {
            // The same source, already synced to the same list to its end: nothing to send again.
            final SyncReport done = SyncReport.read(reportFile()).orElse(null);
            if (done != null && done.status().equals("completed") && done.sourceVersion().equals(version)
                && done.target().equals(config.target) && done.dncListId().equals(config.listId)) {
                return done;
            }
        }
        if (previous != null && !previous.sourceVersion().equals(version)) {
            throw new SyncException(config.source.describe() + " changed since the checkpoint (it was "
                                    + previous.sourceVersion() + ", it is " + version + "): run again with "
                                    + "--restart to sync it from the start", null);
        }
        final Run run = new Run(previous, version, size);
        return run.go();
    }

    /** One run's state. */
    private final class Run {
        final String version;
        final long size;
        final Instant runStart;
        final Instant startedAt;
        final long resendUntil;
        // High 32 bits to a 32-bit bitmap: E.164 numbers share a few, and a number's membership
        // is then a search among sorted 16-bit keys, faster than a 64-bit bitmap's tree here.
        final Roaring64NavigableMap seen = new Roaring64NavigableMap();
        SyncCounts counts;
        long offset;
        long line;
        SyncCheckpoint.Columns columns;
        long rowsThisRun;
        /** The last checkpoint of acknowledged rows: what a resume starts from. */
        SyncCheckpoint committed;

        Run(@Nullable SyncCheckpoint previous, String version, long size) {
            this.version = version;
            this.size = size;
            runStart = config.clock.instant();
            startedAt = previous != null ? previous.startedAt() : runStart;
            counts = previous != null ? previous.counts() : SyncCounts.zero();
            offset = previous != null ? previous.offset() : 0;
            line = previous != null ? previous.line() : 0;
            columns = previous != null ? previous.columns() : SyncCheckpoint.Columns.POSITIONAL;
            resendUntil = previous == null ? -1
                          : previous.inFlightUntil() != null ? previous.inFlightUntil()
                          : inFlightSince(previous.offset());
            this.previousRejects = previous != null ? previous.rejectsLength() : 0;
            committed = new SyncCheckpoint(config.source.describe(), version, config.target, offset, line, counts,
                                           previousRejects, null, startedAt, columns);
            successfulBatches = counts.successfulBatches();
            failedBatches = counts.failedBatches();
            sentAgain = counts.sentAgain();
        }

        final long previousRejects;
        /** Batch tallies: only the I/O thread changes them, one batch at a time. */
        long successfulBatches;
        long failedBatches;
        long sentAgain;
        /** About how large the rejects file is, and whether it has reached its limit. */
        long rejectsBytes;
        boolean rejectsFull;
        /** The batch the I/O thread is sending, if any. */
        @Nullable CompletableFuture<Void> sending;
        final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "dnc-sync-io");
            t.setDaemon(true);
            return t;
        });

        /** A batch as it was when sealed: what its send and checkpoint need. */
        private record Sealed(long[] numbers, long resent, long next, long lastLine, SyncCounts rows,
                              long rejectsLength, SyncCheckpoint.Columns columns) {}

        SyncReport go() throws IOException {
            try (FileChannel rejectsChannel = openRejects();
                 Writer rejectsWriter = Channels.newWriter(rejectsChannel, StandardCharsets.UTF_8);
                 CSVPrinter rejects = new CSVPrinter(rejectsWriter, CSVFormat.DEFAULT);
                 // Record positions come in characters; the reader maps them to the byte offsets a
                 // resume seeks to.
                 Utf8PositionReader in = new Utf8PositionReader(config.source.open(offset));
                 CSVParser parser = CSVParser.builder()
                                             .setReader(in)
                                             .setFormat(CSVFormat.DEFAULT.builder().setTrim(true)
                                                                         .setIgnoreEmptyLines(true).get())
                                             .get()) {
                if (rejectsChannel.size() == 0) {
                    rejects.printRecord("line", "phone_number", "reason");
                }
                rejectsBytes = rejectsChannel.size();
                rejectsFull = rejectsBytes >= config.maxRejectsBytes;
                final List<Row> batch = new ArrayList<>(config.batchSize);
                // The parser starts where the checkpoint left off: its byte positions and record numbers
                // are relative to that point (offset moves on as batches are acknowledged; base does not).
                final long base = offset;
                long recordNumber = line;
                final Iterator<CSVRecord> records = parser.iterator();
                while (true) {
                    final CSVRecord record;
                    try {
                        if (!records.hasNext()) {
                            break;
                        }
                        record = records.next();
                    } catch (UncheckedIOException e) {
                        if (e.getCause() instanceof CSVException malformed) {
                            throw stopAtMalformedCsv(recordNumber + 1, malformed);
                        }
                        throw e;
                    }
                    recordNumber++;
                    final long start = base + in.byteOffset(record.getCharacterPosition());
                    if (recordNumber == 1 && isHeader(record)) {
                        columns = columnsOf(record);
                        line = 1;
                        continue;
                    }
                    if (batch.size() == config.batchSize) {
                        flush(batch, start, recordNumber - 1, rejects, rejectsChannel);
                    }
                    process(record, recordNumber, start, batch, rejects);
                    if (++rowsThisRun % config.progressEvery == 0) {
                        config.progress.update(start, size, counts);
                    }
                }
                awaitSending();
                flush(batch, size >= 0 ? size : offset, recordNumber, rejects, rejectsChannel);
                awaitSending();
                config.progress.update(size, size, merged(counts));
                final SyncReport done = report("completed", null, counts);
                // Nothing is left to resume: the report and the rejects are what a finished run
                // leaves, and the report says the source is synced. Best effort: a checkpoint left
                // behind only makes the next run resume at the end.
                try {
                    Files.deleteIfExists(checkpointFile());
                    Files.deleteIfExists(inFlightFile());
                } catch (IOException ignored) {
                    // the run is complete all the same
                }
                return done;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                // A failure while reading leaves the batch in flight to finish: its checkpoint stays whole.
                final CompletableFuture<Void> s = sending;
                if (s != null) {
                    s.exceptionally(e -> null).join();
                }
                io.shutdown();
            }
        }

        private record Row(long e164, long start) {}

        /**
         * Lists a rejected row, its value and reason shortened, until the rejects file reaches
         * {@link Builder#maxRejectsBytes}; then one last row says so, and later rejections are only
         * counted (the report's {@code invalidRecords}). A file of huge malformed lines thus costs
         * a few hundred bytes a line, never a copy of itself.
         */
        void reject(CSVPrinter rejects, long recordNumber, String raw, @Nullable String reason) throws IOException {
            if (rejectsFull) {
                return;
            }
            final String value = shorten(raw, REJECTED_VALUE_CHARS);
            final String why = shorten(reason == null ? "" : reason, REASON_CHARS);
            // Characters, not bytes: close enough for a limit on disk use (UTF-8 is at most 4 a char).
            final long row = 24 + 4L * (value.length() + why.length());
            if (rejectsBytes + row > config.maxRejectsBytes) {
                rejects.printRecord(recordNumber, "", "the rejects file reached its " + config.maxRejectsBytes
                                                      + "-byte limit: later rejected rows are counted in the "
                                                      + "report (invalidRecords), not listed");
                rejectsFull = true;
                return;
            }
            rejects.printRecord(recordNumber, value, why);
            rejectsBytes += row;
        }

        private static String shorten(String text, int max) {
            return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " characters)";
        }

        void process(CSVRecord record, long recordNumber, long start, List<Row> batch, CSVPrinter rejects)
                throws IOException {
            counts = counts.plusRecord();
            final String raw = number(record, columns);
            final long e164;
            try {
                if (raw.isEmpty()) {
                    throw new InvalidArgumentException("phone_number", raw, "a phone number; the row has none");
                }
                e164 = config.phoneNumbers.toDigits("phone_number", raw);
            } catch (InvalidArgumentException e) {
                reject(rejects, recordNumber, raw, e.getMessage());
                counts = counts.plusInvalid();
                return;
            }
            if (!seen.contains(e164)) {
                seen.addLong(e164);
                batch.add(new Row(e164, start));
                counts = counts.plusValid();
            } else {
                counts = counts.plusDuplicate();
            }
        }

        /**
         * Stops a sync at a CSV that cannot be read on (an unbalanced quote, say): a client error,
         * not an outage. The batches already acknowledged stay stored, the rows read since are not
         * sent, and the report and the exception say exactly what was stored.
         */
        SyncException stopAtMalformedCsv(long atLine, CSVException malformed) throws IOException {
            awaitSending();
            final SyncCheckpoint stored = committed;
            final String why = "line " + atLine + ": the CSV cannot be read on ("
                               + shorten(String.valueOf(malformed.getMessage()), 200) + ')';
            report("failed", why, stored.counts());
            return new SyncException(why + "; stored " + stored.counts().validRecords() + " valid numbers from lines "
                                     + "1 to " + stored.line() + " before it, and nothing after; see the report "
                                     + reportFile(), malformed);
        }

        /**
         * Seals {@code batch} ({@code next} is where the rows after it start) and hands it to the
         * I/O thread, which sends it and writes its checkpoints while this thread reads on; at most
         * one batch is in the hands of the I/O thread, so checkpoints stay in order.
         */
        void flush(List<Row> batch, long next, long lastLine, CSVPrinter rejects, FileChannel rejectsChannel)
                throws IOException {
            rejects.flush();
            final long rejectsLength = rejectsChannel.size();
            final long[] numbers = new long[batch.size()];
            long resent = 0;
            for (int i = 0; i < numbers.length; i++) {
                final Row r = batch.get(i);
                numbers[i] = r.e164();
                resent += resendUntil >= 0 && r.start() < resendUntil ? 1 : 0;
            }
            batch.clear();
            final Sealed sealed = new Sealed(numbers, resent, next, lastLine, counts, rejectsLength, columns);
            awaitSending();
            sending = CompletableFuture.runAsync(() -> {
                try {
                    send(sealed, rejectsChannel);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, io);
        }

        /** Waits for the batch the I/O thread has, if any; rethrows its failure. */
        void awaitSending() throws IOException {
            final CompletableFuture<Void> s = sending;
            if (s == null) {
                return;
            }
            sending = null;
            try {
                s.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof SyncException stop) {
                    throw stop;
                }
                if (e.getCause() instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                throw e;
            }
        }

        /** On the I/O thread: sends one sealed batch and writes its checkpoints. */
        private void send(Sealed b, FileChannel rejectsChannel) throws IOException {
            rejectsChannel.force(false);
            if (b.numbers().length > 0) {
                markInFlight(committed.offset(), b.next());
                try {
                    config.lists.addDigits(config.listId, b.numbers(), config.expires,
                                            config.clock.instant().plus(config.batchTimeout)).join();
                } catch (CompletionException e) {
                    failedBatches++;
                    // The refusal stays on record: the resume starts from the committed rows, plus this.
                    final SyncCheckpoint c = committed;
                    write(new SyncCheckpoint(c.source(), c.sourceVersion(), c.target(), c.offset(), c.line(),
                                             c.counts().plusBatch(false, 0), c.rejectsLength(), b.next(),
                                             c.startedAt(), b.columns()));
                    final String why = describe(e.getCause());
                    report("failed", why, b.rows());
                    throw new SyncException("the platform refused a batch of " + b.numbers().length + " numbers "
                                            + "ending at line " + b.lastLine() + ": " + why + "; the sync stopped at "
                                            + "byte " + offset + " and resumes there when run again", e.getCause());
                }
                successfulBatches++;
                sentAgain += b.resent();
            }
            offset = b.next();
            line = b.lastLine();
            committed = new SyncCheckpoint(config.source.describe(), version, config.target, offset, line,
                                           merged(b.rows()), b.rejectsLength(), null, startedAt, b.columns());
            write(committed);
        }

        /** {@code rows}' row tallies with the batch tallies so far. */
        SyncCounts merged(SyncCounts rows) {
            return new SyncCounts(rows.totalRecords(), rows.validRecords(), rows.invalidRecords(), rows.duplicates(),
                                  successfulBatches, failedBatches, sentAgain);
        }

        void write(SyncCheckpoint checkpoint) throws IOException {
            checkpoint.write(checkpointFile());
        }

        FileChannel openRejects() throws IOException {
            final FileChannel ch = FileChannel.open(rejectsFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                                    StandardOpenOption.READ);
            // Rows after the checkpoint are read again, and rejected again: drop what they left.
            ch.truncate(previousRejects);
            ch.position(previousRejects);
            return ch;
        }

        SyncReport report(String status, @Nullable String error, SyncCounts rows) throws IOException {
            final SyncCounts counts = merged(rows);
            final Instant end = config.clock.instant();
            final long ms = Duration.between(runStart, end).toMillis();
            final SyncReport report = new SyncReport(
                    end, status, error, config.source.describe(), version, config.target, config.listId,
                    counts.totalRecords(), counts.validRecords(), counts.invalidRecords(), counts.duplicates(),
                    counts.invalidRecords() + counts.duplicates(), counts.successfulBatches(),
                    counts.failedBatches(), counts.sentAgain(), offset, startedAt, end, ms,
                    ms == 0 ? rowsThisRun : rowsThisRun * 1000.0 / ms, rejectsFile().toString());
            report.write(reportFile());
            return report;
        }
    }

    private static String describe(@Nullable Throwable cause) {
        if (cause instanceof UpstreamException u) {
            return u.upstream() + ' ' + u.operation() + ": " + u.getMessage()
                   + u.correlationId().map(id -> " (correlation id " + id + ')').orElse("");
        }
        return String.valueOf(cause);
    }

    /** Returns a row's number: its phone number's field, after its area code's if it has one. */
    private static String number(CSVRecord record, SyncCheckpoint.Columns columns) {
        final String number = record.size() > columns.phoneNumber() ? record.get(columns.phoneNumber()) : "";
        if (columns.areaCode() != null) {
            return (record.size() > columns.areaCode() ? record.get(columns.areaCode()) : "") + number;
        }
        // A registry's area_code,number rows (no phone number is three digits long); a number of the
        // wrong length is then rejected whole.
        if (columns.phoneNumber() == 0 && record.size() >= 2 && AREA_CODE.matcher(number).matches()
            && LOCAL_NUMBER.matcher(record.get(1)).matches()) {
            return number + record.get(1);
        }
        return number;
    }

    private static final java.util.regex.Pattern AREA_CODE = java.util.regex.Pattern.compile("[0-9]{3}");
    private static final java.util.regex.Pattern LOCAL_NUMBER = java.util.regex.Pattern.compile("[0-9]+");

    private static boolean isHeader(CSVRecord record) {
        final String first = record.get(0).toLowerCase(Locale.ROOT);
        return !first.isEmpty() && first.chars().noneMatch(Character::isDigit);
    }

    private static SyncCheckpoint.Columns columnsOf(CSVRecord header) {
        int phone = -1;
        int reason = -1;
        int source = -1;
        Integer area = null;
        for (int i = 0; i < header.size(); i++) {
            final String name = header.get(i).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            if (area == null && List.of("areacode", "npa").contains(name)) {
                area = i;
            } else if (phone < 0 && List.of("phonenumber", "phone", "number", "e164").contains(name)) {
                phone = i;
            } else if (reason < 0 && "reason".equals(name)) {
                reason = i;
            } else if (source < 0 && "source".equals(name)) {
                source = i;
            }
        }
        if (phone < 0) {
            throw new SyncException("the CSV header (" + String.join(",", header.values())
                                    + ") has no phone_number column", null);
        }
        return new SyncCheckpoint.Columns(phone, reason, source, area);
    }

    /** Builds a {@link DncListSync}. */
    public static final class Builder {
        private final DncSource source;
        private final DncListPort lists;
        private final String listId;
        private final String target;
        private final String name;
        private PhoneNumbers phoneNumbers = new PhoneNumbers("US");
        private int batchSize = DEFAULT_BATCH_SIZE;
        private long maxRejectsBytes = DEFAULT_MAX_REJECTS_BYTES;
        private @Nullable Instant expires;
        private Path workDir = Path.of("data", "sync");
        private @Nullable Path reportFile;
        private boolean restart;
        private Progress progress = (read, total, counts) -> {};
        private long progressEvery = 10_000;
        private Clock clock = Clock.systemUTC();
        private Duration batchTimeout = Duration.ofMinutes(5);

        /**
         * Sets how large the rejects file may grow; later rejected rows are counted, not listed.
         * Default {@link #DEFAULT_MAX_REJECTS_BYTES} (16 MiB).
         */
        public Builder maxRejectsBytes(long maxRejectsBytes) {
            if (maxRejectsBytes < 1024) {
                throw new IllegalArgumentException("maxRejectsBytes: " + maxRejectsBytes + " (expected: >= 1024)");
            }
            this.maxRejectsBytes = maxRejectsBytes;
            return this;
        }

        private Builder(DncSource source, DncListPort lists, String listId, String target) {
            this.source = requireNonNull(source, "source");
            this.lists = requireNonNull(lists, "lists");
            this.listId = requireNonNull(listId, "listId");
            this.target = requireNonNull(target, "target");
            name = "sync-" + shortHash(source.describe() + " -> " + target);
        }

        /** Sets how numbers without a country code are read. Default: US. */
        public Builder phoneNumbers(PhoneNumbers phoneNumbers) {
            this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
            return this;
        }

        /**
         * Sets the numbers per request, 1..{@value #MAX_BATCH} (a platform's limit), or
         * {@value #STORE_BATCH} for Switchboard's own store. Default 200.
         */
        public Builder batchSize(int batchSize) {
            if ((batchSize < 1 || batchSize > MAX_BATCH) && batchSize != STORE_BATCH) {
                throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: 1.." + MAX_BATCH + ')');
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Sets when the numbers leave the list again. Default: never. */
        public Builder expires(@Nullable Instant expires) {
            this.expires = expires;
            return this;
        }

        /** Sets where the checkpoint, rejects and report live. Default {@code data/sync}. */
        public Builder workDir(Path workDir) {
            this.workDir = requireNonNull(workDir, "workDir");
            return this;
        }

        /** Sets where the report goes instead of beside the checkpoint. */
        public Builder reportFile(@Nullable Path reportFile) {
            this.reportFile = reportFile;
            return this;
        }

        /** Starts over, ignoring (and removing) any checkpoint. Default: resume. */
        public Builder restart(boolean restart) {
            this.restart = restart;
            return this;
        }

        /** Sets who hears about progress, every {@code everyRows} rows. */
        public Builder progress(Progress progress, long everyRows) {
            this.progress = requireNonNull(progress, "progress");
            progressEvery = Math.max(1, everyRows);
            return this;
        }

        /** Sets the clock for the report's times. Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Returns the sync. */
        public DncListSync build() {
            return new DncListSync(this);
        }

        private static String shortHash(String text) {
            try {
                return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                                                            .digest(text.getBytes(
                                                                                    StandardCharsets.UTF_8)), 0, 8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
