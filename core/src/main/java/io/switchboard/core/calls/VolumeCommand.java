package io.switchboard.core.calls;

import io.switchboard.core.InvalidArgumentException;

/**
 * Sets the playback volume of a media session.
 *
 * @param sessionId the platform's media session
 * @param volume 0.0 (silent) to 1.0 (full volume)
 */
public record VolumeCommand(String sessionId, float volume) {

    /** Checks both components; NaN and infinities are rejected. */
    public VolumeCommand {
        SessionId.check("session_id", sessionId);
        if (!(volume >= 0.0f && volume <= 1.0f)) {
            throw new InvalidArgumentException("volume", volume, "0.0..1.0");
        }
    }
}
