package io.switchboard.compliance.sync;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A DNC CSV in a local file. Its version is its size and modification time. */
public final class FileSource implements DncSource {

    private final Path file;

    /** Creates a source for {@code file}. */
    public FileSource(Path file) {
        this.file = requireNonNull(file, "file");
    }

    @Override
    public String describe() {
        return file.toAbsolutePath().toString();
    }

    @Override
    public String version() throws IOException {
        return "size=" + Files.size(file) + ",mtime=" + Files.getLastModifiedTime(file).toMillis();
    }

    @Override
    public long size() throws IOException {
        return Files.size(file);
    }

    @Override
    public InputStream open(long offset) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
    }
}
