package io.switchboard.core.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Plays prompts and collects digits on live calls on one platform, and says how a call stands.
 * Implementations live with the platform adapters; callers never see a vendor type.
 *
 * <p>Methods never block. A future fails with {@link io.switchboard.core.resilience.UpstreamException}
 * when the platform refused or could not be reached in time.
 */
public interface MediaPort {

    /** How a call stands. Media commands are sent only while it is active or ringing. */
    enum CallStatus {
        ACTIVE, RINGING, COMPLETED, FAILED;

        /** Returns whether media commands may be sent. */
        public boolean live() {
            return this == ACTIVE || this == RINGING;
        }
    }

    /** Returns how call {@code callId} stands now. Safe to retry. */
    CompletableFuture<CallStatus> status(String callId, Instant deadline);

    /** Plays {@code prompt} on the call. Not idempotent: retried only when the platform surely did not act. */
    CompletableFuture<Played> play(String callId, Prompt prompt, Instant deadline);

    /** Collects digits from the caller, after an optional prompt. Not idempotent. */
    CompletableFuture<Collected> collect(String callId, Collection collection, Instant deadline);

    /**
     * A recorded prompt.
     *
     * @param mediaUrl where the audio is: https, on an allowed host
     * @param loop whether it repeats until interrupted
     * @param interruptible whether the caller's keypress stops it
     */
    record Prompt(String mediaUrl, boolean loop, boolean interruptible) {}

    /**
     * What to collect.
     *
     * @param maxDigits stop after this many digits
     * @param timeout how long to wait for input
     * @param terminators keys that end the input, e.g. {@code #}; not part of the digits
     * @param prompt played first, if any
     */
    record Collection(int maxDigits, Duration timeout, List<String> terminators, @Nullable Prompt prompt) {
        /** Copies the terminators. */
        public Collection {
            terminators = List.copyOf(terminators);
        }
    }

    /** The platform played the prompt. */
    record Played(String status, String mediaUrl) {}

    /**
     * What the caller keyed.
     *
     * @param status the platform's status for the collection
     * @param digits the digits, without a terminator; empty on a timeout
     * @param timedOut whether no input came in time
     * @param reason why collection ended, as the platform says, e.g. {@code max_digits}, {@code timeout}
     */
    record Collected(String status, String digits, boolean timedOut, String reason) {}
}
