package io.switchboard.compliance.sync;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A DNC CSV in S3 (or an S3-compatible store). Its version is the object's ETag. Reads are
 * ranged GETs from the checkpoint's byte offset, made with {@code If-Match} on that ETag, so
 * that content replaced during a sync is refused rather than mixed with the old.
 */
public final class S3Source implements DncSource {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private @Nullable HeadObjectResponse head;

    /** Creates a source for {@code s3://bucket/key}. */
    public S3Source(S3Client s3, String bucket, String key) {
        this.s3 = requireNonNull(s3, "s3");
        this.bucket = requireNonNull(bucket, "bucket");
        this.key = requireNonNull(key, "key");
    }

    /**
     * Returns the source for an {@code s3://bucket/key} URI.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static S3Source of(URI uri, S3Client s3) {
        requireNonNull(uri, "uri");
        final String path = uri.getPath() == null ? "" : uri.getPath();
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || path.length() <= 1) {
            throw new IllegalArgumentException("source: \"" + uri + "\" (expected: s3://bucket/key)");
        }
        return new S3Source(s3, uri.getHost(), path.substring(1));
    }

    @Override
    public String describe() {
        return "s3://" + bucket + '/' + key;
    }

    @Override
    public String version() throws IOException {
        return head().eTag();
    }

    @Override
    public long size() throws IOException {
        return head().contentLength();
    }

    @Override
    public InputStream open(long offset) throws IOException {
        if (offset >= size()) {
            return new ByteArrayInputStream(new byte[0]);
        }
        try {
            return s3.getObject(GetObjectRequest.builder()
                                                .bucket(bucket)
                                                .key(key)
                                                .range("bytes=" + offset + '-')
                                                .ifMatch(version())
                                                .build());
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new IOException(describe() + " changed while it was being read (ETag is no longer "
                                      + version() + ')', e);
            }
            throw new IOException(describe() + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkException e) {
            throw new IOException(describe() + ": " + e.getMessage(), e);
        }
    }

    private HeadObjectResponse head() throws IOException {
        if (head == null) {
            try {
                head = s3.headObject(b -> b.bucket(bucket).key(key));
            } catch (S3Exception e) {
                throw new IOException(describe() + ": " + (e.statusCode() == 404 ? "no such object"
                                                                                 : e.getMessage()), e);
            } catch (SdkException e) {
                throw new IOException(describe() + ": " + e.getMessage(), e);
            }
        }
        return head;
    }
}
