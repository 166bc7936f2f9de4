package io.switchboard.compliance.sync;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A gzip-compressed source, read as its content: registries publish their copies compressed.
 * Offsets (a checkpoint's, a resume's) count bytes of the content, not of the file; a resume
 * decompresses from the start and skips to its offset, since gzip cannot seek. The content's
 * size is not known before it has been read.
 */
public final class GzipSource implements DncSource {

    private final DncSource compressed;

    private GzipSource(DncSource compressed) {
        this.compressed = compressed;
    }

    /**
     * Returns {@code source} read through gzip when its first bytes are gzip's magic number
     * ({@code 1f 8b}), else {@code source} itself.
     *
     * @throws IOException if its first bytes cannot be read
     */
    public static DncSource detect(DncSource source) throws IOException {
        requireNonNull(source, "source");
        try (InputStream in = source.open(0)) {
            final byte[] magic = in.readNBytes(2);
            if (magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new GzipSource(source);
            }
        }
        return source;
    }

    @Override
    public String describe() {
        return compressed.describe();
    }

    @Override
    public String version() throws IOException {
        return compressed.version();
    }

    /** Unknown: -1. */
    @Override
    public long size() {
        return -1;
    }

    @Override
    public InputStream open(long offset) throws IOException {
        final InputStream in = new BufferedInputStream(new GZIPInputStream(compressed.open(0), 1 << 16), 1 << 16);
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }
}
