package io.switchboard.core.webhook;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Signs and checks webhook bodies. The header is
 * {@code Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}:
 * the timestamp is signed with the body, so a receiver that rejects old timestamps is safe
 * from replays. {@link #toString()} never shows the secret.
 */
public final class WebhookSignature {

    /** The header that carries the signature. */
    public static final String HEADER = "Switchboard-Signature";

    private final byte[] secret;

    /** Creates a signer with {@code secret}, which must be at least 16 bytes. */
    public WebhookSignature(String secret) {
        requireNonNull(secret, "secret");
        if (secret.length() < 16) {
            throw new IllegalArgumentException("secret: <redacted> (expected: at least 16 characters)");
        }
        io.switchboard.core.Secrets.register(secret);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the header value for {@code body} sent at {@code at}. */
    public String sign(byte[] body, Instant at) {
        final long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(t, body));
    }

    /**
     * Returns whether {@code header} is a valid signature of {@code body} made within
     * {@code tolerance} of {@code now}. Compares in constant time.
     */
    public boolean verify(@Nullable String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        long t = -1;
        byte[] v1 = null;
        for (String part : header.split(",")) {
            final String p = part.trim();
            try {
                if (p.startsWith("t=")) {
                    t = Long.parseLong(p.substring(2));
                } else if (p.startsWith("v1=")) {
                    v1 = HexFormat.of().parseHex(p.substring(3));
                }
            } catch (IllegalArgumentException malformed) {
                return false;
            }
        }
        if (t < 0 || v1 == null) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        return MessageDigest.isEqual(mac(t, body), v1);
    }

    private byte[] mac(long t, byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature{secret=<redacted>}";
    }
}
