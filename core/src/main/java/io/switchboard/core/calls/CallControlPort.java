package io.switchboard.core.calls;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.switchboard.core.resilience.UpstreamException;

/**
 * Controls the media of live calls on one platform. Implementations live with the platform
 * adapters; callers never see a vendor type.
 *
 * <p>Methods never block: they return at once and complete the future on an I/O thread.
 * A future fails with {@link UpstreamException} when the platform refused the command or
 * could not be reached in time.
 */
public interface CallControlPort {

    /**
     * Sends {@code command}'s tones in order. Tones are not idempotent: one is sent again
     * only when the platform surely did not receive it.
     *
     * @param deadline when the caller stops waiting; no request starts after it
     */
    CompletableFuture<CommandOutcome> sendDtmf(DtmfCommand command, Instant deadline);

    /**
     * Sets a session's volume. Idempotent, so transient failures are retried. On platforms
     * without server-side volume control the future fails with
     * {@link UpstreamException.Kind#UNSUPPORTED}.
     *
     * @param deadline when the caller stops waiting; no request starts after it
     */
    CompletableFuture<CommandOutcome> setVolume(VolumeCommand command, Instant deadline);
}
