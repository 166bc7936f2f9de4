package io.switchboard.sandbox.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Simulated CXone calls, each with a scripted caller: at each digit collection the caller gives
 * the next answer ({@code ""} says nothing, so the collection times out; {@code "hangup"} hangs
 * up). A call whose script is used up answers every further collection with silence.
 */
public final class CxoneCalls {

    /** The answer that makes the caller hang up. */
    public static final String HANG_UP = "hangup";

    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final int maxCalls;
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile long retryAfterSeconds = 1;

    /** Creates the calls, holding at most {@code maxCalls}. */
    CxoneCalls(int maxCalls) {
        this.maxCalls = maxCalls;
    }

    /** Creates a call, active, whose caller answers {@code answers} in turn; returns its id. */
    public String create(List<String> answers) {
        SandboxFull.check("CXone calls", calls.size(), maxCalls);
        final String id = UUID.randomUUID().toString();
        calls.put(id, new Call(id, new ArrayDeque<>(answers)));
        return id;
    }

    /** Returns the call {@code id}. */
    public Optional<Call> call(String id) {
        return Optional.ofNullable(calls.get(id));
    }

    /** Makes the next {@code count} call-control requests answer 429 with Retry-After {@code seconds}. */
    public void rateLimitNext(int count, long seconds) {
        retryAfterSeconds = seconds;
        rateLimited.set(count);
    }

    /** Returns the Retry-After to answer with if this request is to be rate-limited, else null. */
    @Nullable Long takeRateLimit() {
        return rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? retryAfterSeconds : null;
    }

    /** One simulated call. Thread-safe. */
    public static final class Call {
        private final String id;
        private final Deque<String> answers;
        private final List<Event> events = new ArrayList<>();
        private String status = "active";

        Call(String id, Deque<String> answers) {
            this.id = id;
            this.answers = answers;
        }

        public String id() {
            return id;
        }

        public synchronized String status() {
            return status;
        }

        /** Whether media commands are accepted: the call is active or ringing. */
        public synchronized boolean live() {
            return "active".equals(status) || "ringing".equals(status);
        }

        synchronized void played(String mediaUrl, Instant at) {
            events.add(new Event(at, "play", mediaUrl, null, null));
        }

        /**
         * The caller answers a collection: the next scripted answer, cut at a terminator or at
         * {@code maxDigits}. Returns the digits and why collection ended.
         */
        synchronized Collected collect(int maxDigits, List<String> terminators, @Nullable String prompt, Instant at) {
            if (prompt != null) {
                events.add(new Event(at, "play", prompt, null, null));
            }
            final String answer = answers.isEmpty() ? "" : answers.poll();
            final Collected result;
            if (HANG_UP.equals(answer)) {
                status = "completed";
                result = new Collected("failed", "", false, "hangup");
            } else if (answer.isEmpty()) {
                result = new Collected("completed", "", true, "timeout");
            } else {
                String digits = answer;
                String reason = "max_digits";
                for (int i = 0; i < answer.length(); i++) {
                    if (terminators.contains(String.valueOf(answer.charAt(i)))) {
                        digits = answer.substring(0, i);
                        reason = "terminator";
                        break;
                    }
                }
                if (digits.length() > maxDigits) {
                    digits = digits.substring(0, maxDigits);
                    reason = "max_digits";
                } else if ("max_digits".equals(reason) && digits.length() < maxDigits) {
                    reason = "inter_digit_timeout";
                }
                result = new Collected("completed", digits, false, reason);
            }
            events.add(new Event(at, "collect", null, result.digits(), result.reason()));
            return result;
        }

        /** Ends the call as the far end would. */
        public synchronized void hangUp() {
            status = "completed";
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        public synchronized int answersLeft() {
            return answers.size();
        }
    }

    /** What a collection gave: the contract's answer. */
    public record Collected(String status, String digits, boolean timeout, String reason) {}

    /** Something that happened on a call, for the admin API. */
    public record Event(Instant at, String type, @Nullable String mediaUrl, @Nullable String digits,
                        @Nullable String reason) {}
}
