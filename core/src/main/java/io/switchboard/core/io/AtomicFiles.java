package io.switchboard.core.io;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file's content atomically: the new content goes to {@code <file>.tmp}, which is
 * flushed to disk (fdatasync: the data and its length), renamed over the file, and the directory
 * flushed so that the rename is on disk when the call returns. A crash
 * at any point leaves the old file or the new one whole; a leftover temporary file is simply
 * overwritten next time.
 */
public final class AtomicFiles {

    /** Writes content to a stream. */
    @FunctionalInterface
    public interface Content {
        /** Writes the content to {@code out}; the caller flushes and closes it. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code file}'s content with {@code bytes}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        requireNonNull(bytes, "bytes");
        write(file, out -> out.write(bytes));
    }

    /** Replaces {@code file}'s content with what {@code content} writes, streamed (for large files). */
    public static void write(Path file, Content content) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(content, "content");
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                               StandardOpenOption.TRUNCATE_EXISTING)) {
            final OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            content.writeTo(out);
            out.flush(); // not closed: that would close the channel before the force
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename is durable only once the directory is: a caller may then drop what the new
        // content replaces (a journal the snapshot holds).
        final Path parent = file.toAbsolutePath().getParent();
        try (FileChannel dir = FileChannel.open(parent, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // not every file system lets a directory be synced (nor every platform opened)
        }
    }

    private AtomicFiles() {}
}
