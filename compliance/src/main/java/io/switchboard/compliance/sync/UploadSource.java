package io.switchboard.compliance.sync;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A CSV that arrives once, as a stream (an HTTP upload): it can be read from the start, once,
 * and never resumed; its version is the upload's id.
 */
public final class UploadSource implements DncSource {

    private final String id;
    private final InputStream content;
    private final long size;
    private final AtomicBoolean opened = new AtomicBoolean();

    /** Creates a source for {@code content}, {@code size} bytes long (-1 if unknown), known as {@code id}. */
    public UploadSource(String id, InputStream content, long size) {
        this.id = requireNonNull(id, "id");
        this.content = requireNonNull(content, "content");
        this.size = size;
    }

    @Override
    public String describe() {
        return "upload " + id;
    }

    @Override
    public String version() {
        return id;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset) throws IOException {
        if (offset != 0 || !opened.compareAndSet(false, true)) {
            throw new IOException("an upload is read once, from the start; send it again");
        }
        return content;
    }
}
