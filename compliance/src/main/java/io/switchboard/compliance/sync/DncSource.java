package io.switchboard.compliance.sync;

import java.io.IOException;
import java.io.InputStream;

/** Where a DNC CSV comes from: a file, or an object in S3. */
public interface DncSource {

    /** Returns what the source is, e.g. {@code /data/dnc.csv} or {@code s3://bucket/key.csv}. */
    String describe();

    /**
     * Returns what identifies this version of the content (an S3 ETag; a file's size and
     * modification time), so that a checkpoint is never applied to different content.
     */
    String version() throws IOException;

    /** Returns the content's size in bytes, or -1 if unknown. */
    long size() throws IOException;

    /** Opens the content from byte {@code offset} on (a seek or a ranged GET). */
    InputStream open(long offset) throws IOException;
}
