package io.switchboard.compliance.dnc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small durable map of strings, in memory and in an append-only file: the embedded store's
 * list settings, entry expiries, consents and opt-out records. Every change is written and
 * fsync'd before it returns; at open the file is replayed (a torn last line, from a crash
 * mid-write, is ignored) and written again without what was overwritten or removed, as it is
 * when it outgrows 64 MiB. Keys and values are single lines without tabs.
 *
 * <p>Thread-safe: changes are serialised; reads see every change that has returned.
 */
final class KeyValueJournal implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(KeyValueJournal.class);
    private static final long COMPACT_AFTER_BYTES = 64L << 20;

    private final Path file;
    private final Map<String, String> map = new HashMap<>();
    private FileChannel out;
    private long compactAfter;
    /** Set when a write or a rewrite failed: the file may not hold what memory does, so nothing more is written. */
    private @Nullable IOException broken;

    KeyValueJournal(Path file) {
        this.file = requireNonNull(file, "file");
        try {
            Files.createDirectories(file.getParent());
            replay();
            out = rewrite();
            compactAfter = Math.max(COMPACT_AFTER_BYTES, 2 * out.size());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Returns the value of {@code key}, or null. */
    synchronized @Nullable String get(String key) {
        return map.get(key);
    }

    /** Returns every entry whose key starts with {@code prefix}, by key. */
    synchronized Map<String, String> withPrefix(String prefix) {
        final Map<String, String> found = new TreeMap<>();
        map.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                found.put(k, v);
            }
        });
        return found;
    }

    /** Sets and removes entries (a null value removes its key), durably, as one write. */
    synchronized void apply(Map<String, @Nullable String> changes) {
        if (changes.isEmpty()) {
            return;
        }
        final StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, @Nullable String> c : changes.entrySet()) {
            check(c.getKey());
            if (c.getValue() == null) {
                lines.append("X\t").append(c.getKey()).append('\n');
            } else {
                check(c.getValue());
                lines.append("P\t").append(c.getKey()).append('\t').append(c.getValue()).append('\n');
            }
        }
        if (broken != null) {
            throw new UncheckedIOException(file + ": an earlier write failed (" + broken.getMessage() + "); nothing "
                                           + "more is written until the store is opened again", broken);
        }
        long before = -1;
        try {
            before = out.size();
            write(out, lines.toString());
            out.force(false);
        } catch (IOException e) {
            // A partial line would swallow the next one at replay: cut it off, or stop writing.
            try {
                if (before >= 0) {
                    out.truncate(before);
                    out.force(false);
                } else {
                    broken = e;
                }
            } catch (IOException cut) {
                broken = e;
            }
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
        changes.forEach((k, v) -> {
            if (v == null) {
                map.remove(k);
            } else {
                map.put(k, v);
            }
        });
        try {
            if (out.size() > compactAfter) {
                final FileChannel old = out;
                out = rewrite();
                old.close();
                compactAfter = Math.max(COMPACT_AFTER_BYTES, 2 * out.size());
            }
        } catch (IOException e) {
            // The change is durable in the old file; a rewrite that failed half way may have
            // replaced it, so nothing more is written to either.
            broken = e;
            logger.error("{}: cannot rewrite ({}); changes are refused until the store is opened again", file,
                         e.toString());
        }
    }

    /** Sets {@code key}, durably. */
    void put(String key, String value) {
        final Map<String, @Nullable String> one = new HashMap<>();
        one.put(key, value);
        apply(one);
    }

    /** Removes {@code key}, durably; returns whether it was there. */
    synchronized boolean remove(String key) {
        if (!map.containsKey(key)) {
            return false;
        }
        final Map<String, @Nullable String> one = new HashMap<>();
        one.put(key, null);
        apply(one);
        return true;
    }

    private static void check(String s) {
        if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a tab or line break in a stored key or value");
        }
    }

    private void replay() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        final byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            final String[] f = new String(bytes, start, i - start, UTF_8).split("\t", -1);
            start = i + 1;
            if (f[0].equals("P") && f.length == 3) {
                map.put(f[1], f[2]);
            } else if (f[0].equals("X") && f.length == 2) {
                map.remove(f[1]);
            } else {
                logger.warn("{}: unreadable line ignored", file);
            }
        }
        if (start < bytes.length) {
            logger.warn("{}: ends in an incomplete line ({} bytes, a crash mid-write); ignored", file,
                        bytes.length - start);
        }
    }

    private FileChannel rewrite() throws IOException {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel w = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                              StandardOpenOption.TRUNCATE_EXISTING)) {
            final StringBuilder sb = new StringBuilder();
            final List<String> keys = new ArrayList<>(map.keySet());
            for (String k : keys) {
                sb.append("P\t").append(k).append('\t').append(map.get(k)).append('\n');
                if (sb.length() > (1 << 20)) {
                    write(w, sb.toString());
                    sb.setLength(0);
                }
            }
            write(w, sb.toString());
            w.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void write(FileChannel channel, String text) throws IOException {
        final ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            logger.warn("{}: closing: {}", file, e.toString());
        }
    }
}
