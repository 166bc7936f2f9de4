package io.switchboard.core.audit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * An append-only audit trail: one JSON object per line, each carrying the SHA-256 of the line
 * before it ({@code prev_hash}) and its own ({@code hash}, computed over the line's text up to
 * the hash), so that an edited, inserted or deleted line breaks the chain. See
 * {@link AuditVerifier}.
 *
 * <p>Durability: {@link #append} completes only after the line is written and fsync'd. Lines
 * are written by one thread in group commits: every record waiting when a write starts goes
 * out with a single fsync, so a burst costs one disk flush, not one per record.
 *
 * <p>Failures: a record that cannot be written (a full disk, a closed trail) is logged and
 * counted here, as {@code switchboard_audit_failures_total} when the trail was opened with a
 * meter registry, and its future fails. Callers need not report it again.
 *
 * <p>Threading: {@link #append} never blocks; the writer is a dedicated daemon thread, which
 * is the only one touching the file.
 */
public final class AuditTrail implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(AuditTrail.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The previous hash of the first line. */
    static final String GENESIS = "0".repeat(64);

    private record Pending(AuditRecord record, CompletableFuture<Void> written) {}

    private static final Pending STOP = new Pending(
            new AuditRecord(java.time.Instant.EPOCH, "stop", "stop", "stop", null, null, null, 0, null, null, null, null),
            new CompletableFuture<>());

    private final Path file;
    private final FileChannel channel;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final @Nullable Counter failures;
    private String lastHash;
    private volatile boolean closed;

    /**
     * Opens (or creates) the trail at {@code file}, continuing its chain.
     *
     * @throws UncheckedIOException if the file cannot be opened for appending
     */
    public static AuditTrail open(Path file) {
        return open(file, null);
    }

    /**
     * Opens (or creates) the trail at {@code file}, continuing its chain, and counts the records
     * it cannot write in {@code meters}.
     *
     * @throws UncheckedIOException if the file cannot be opened for appending
     */
    public static AuditTrail open(Path file, @Nullable MeterRegistry meters) {
        requireNonNull(file, "file");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return new AuditTrail(file, meters == null ? null
                                                       : Counter.builder("switchboard.audit.failures")
                                                                .description("Audit records that could not be written")
                                                                .register(meters));
        } catch (IOException e) {
            throw new UncheckedIOException("audit trail " + file + ": cannot open for appending: " + e.getMessage(), e);
        }
    }

    private AuditTrail(Path file, @Nullable Counter failures) throws IOException {
        this.file = file;
        this.failures = failures;
        lastHash = lastHashOf(file);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                   StandardOpenOption.APPEND);
        if (channel.size() > 0 && !endsWithNewline(file)) {
            // A torn last line (a crash mid-write): end it, so the next line starts clean.
            // The verifier reports the torn line; the chain continues from the last whole one.
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        writer = new Thread(this::writeLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Returns the trail's file. */
    public Path file() {
        return file;
    }

    /**
     * Appends {@code record}. The future completes once the line is on disk, or fails with
     * {@link UncheckedIOException} if it could not be written.
     */
    public CompletableFuture<Void> append(AuditRecord record) {
        requireNonNull(record, "record");
        final CompletableFuture<Void> written = new CompletableFuture<>();
        if (closed) {
            logger.error("Audit trail {} is closed: a {} {} record is not written", file, record.event(),
                         record.action());
            countFailures(1);
            written.completeExceptionally(new IllegalStateException("audit trail " + file + " is closed"));
            return written;
        }
        queue.add(new Pending(record, written));
        return written;
    }

    private void writeLoop() {
        final List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch);
            final boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        final StringBuilder text = new StringBuilder();
        String hash = lastHash;
        for (Pending p : batch) {
            final String line = line(p.record(), hash);
            hash = line.substring(line.length() - 66, line.length() - 2);
            text.append(line).append('\n');
        }
        try {
            final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
            lastHash = hash;
            batch.forEach(p -> p.written().complete(null));
        } catch (IOException e) {
            logger.error("Audit trail {}: cannot write {} record(s)", file, batch.size(), e);
            countFailures(batch.size());
            final UncheckedIOException failure =
                    new UncheckedIOException("audit trail " + file + ": write failed: " + e.getMessage(), e);
            batch.forEach(p -> p.written().completeExceptionally(failure));
        }
    }

    private void countFailures(int records) {
        if (failures != null) {
            failures.increment(records);
        }
    }

    /** Returns the line for {@code record} chained to {@code prevHash}, ending with its own hash. */
    static String line(AuditRecord r, String prevHash) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("timestamp", r.timestamp().toString());
        node.put("event", r.event());
        node.put("action", r.action());
        node.put("status", r.status());
        putIfPresent(node, "conversation_id", r.conversationId());
        putIfPresent(node, "participant_id", r.participantId());
        putIfPresent(node, "session_id", r.sessionId());
        node.put("latency_ms", r.latencyMs());
        putIfPresent(node, "request_id", r.requestId());
        putIfPresent(node, "correlation_id", r.correlationId());
        putIfPresent(node, "actor", r.actor());
        putIfPresent(node, "detail", r.detail());
        node.put("prev_hash", prevHash);
        final String body = node.toString();
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + sha256(body) + "\"}";
    }

    /** Returns the hex SHA-256 of {@code text}'s UTF-8 bytes. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String lastHashOf(Path file) throws IOException {
        if (!Files.exists(file)) {
            return GENESIS;
        }
        String last = null;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    final JsonNode node = JSON.readTree(line);
                    if (node.hasNonNull("hash")) {
                        last = node.get("hash").asText();
                    }
                } catch (IOException ignored) {
                    // A torn or foreign line: the verifier reports it.
                }
            }
        }
        return last != null ? last : GENESIS;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() == 0) {
                return true;
            }
            final ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, ch.size() - 1);
            return last.get(0) == '\n';
        }
    }

    /** Writes what is pending, stops the writer and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            writer.join();
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
