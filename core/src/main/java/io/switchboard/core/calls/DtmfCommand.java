package io.switchboard.core.calls;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import io.switchboard.core.InvalidArgumentException;

/**
 * Sends DTMF tones into a media session, one upstream command per tone, in order.
 * The next tone is sent once the previous one has played ({@code toneDuration}) and the
 * {@code gap} of silence has passed.
 *
 * @param sessionId the platform's media session
 * @param tones the tones to send
 * @param toneDuration how long each tone plays; 40 ms to 2 s, default 100 ms
 * @param gap the silence between tones; 0 to 5 s, default 60 ms
 */
public record DtmfCommand(String sessionId, DtmfTones tones, Duration toneDuration, Duration gap) {

    /** The default tone length. */
    public static final Duration DEFAULT_TONE_DURATION = Duration.ofMillis(100);
    /** The default silence between tones. */
    public static final Duration DEFAULT_GAP = Duration.ofMillis(60);

    static final int MIN_DURATION_MS = 40;
    static final int MAX_DURATION_MS = 2000;
    static final int MAX_GAP_MS = 5000;

    /** Checks every component; field names in messages follow the API. */
    public DtmfCommand {
        SessionId.check("session_id", sessionId);
        requireNonNull(tones, "tones");
        requireNonNull(toneDuration, "toneDuration");
        requireNonNull(gap, "gap");
        final long durationMs = toneDuration.toMillis();
        if (durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) {
            throw new InvalidArgumentException("duration_ms", durationMs,
                                               MIN_DURATION_MS + ".." + MAX_DURATION_MS);
        }
        final long gapMs = gap.toMillis();
        if (gapMs < 0 || gapMs > MAX_GAP_MS) {
            throw new InvalidArgumentException("gap_ms", gapMs, "0.." + MAX_GAP_MS);
        }
    }

    /** Returns a command with the default tone duration and gap. */
    public static DtmfCommand of(String sessionId, DtmfTones tones) {
        return new DtmfCommand(sessionId, tones, DEFAULT_TONE_DURATION, DEFAULT_GAP);
    }

    /** Returns a copy that plays each tone for {@code toneDuration}. */
    public DtmfCommand withToneDuration(Duration toneDuration) {
        return new DtmfCommand(sessionId, tones, toneDuration, gap);
    }

    /** Returns a copy with {@code gap} of silence between tones. */
    public DtmfCommand withGap(Duration gap) {
        return new DtmfCommand(sessionId, tones, toneDuration, gap);
    }
}
