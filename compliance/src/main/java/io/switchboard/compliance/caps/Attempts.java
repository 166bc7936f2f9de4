package io.switchboard.compliance.caps;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.rules.DialMethod;
import io.switchboard.compliance.rules.FrequencyCap;

/**
 * What every ledger shares: subjects, attempt ids, and the judgement of a subject's attempts
 * against its caps.
 *
 * <p>An attempt id is {@code <subject, base64url>.<random>.<method>}: it names the subject, so
 * that a release finds the attempt without an index, and ends with the dial method's letter
 * ({@code m}anual, {@code a}utomated, {@code p}rerecorded, {@code x} not said), so that a cap
 * limited to some methods counts only their attempts (and those whose method was not said).
 */
public final class Attempts {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private Attempts() {}

    /**
     * Returns the subject of attempts on {@code campaignId}: the contact id when given (a cap
     * counts calls to a person, whatever number is used), else the number's digits.
     */
    public static String subject(String campaignId, @Nullable String contactId, long e164) {
        requireNonNull(campaignId, "campaignId");
        return contactId != null && !contactId.isEmpty() ? campaignId + "\u0000c:" + contactId
                                                         : campaignId + "\u0000n:" + e164;
    }

    /** Returns the subject's part of ids and keys: base64url, no padding. */
    public static String encoded(String subject) {
        return B64.encodeToString(subject.getBytes(UTF_8));
    }

    /** Returns a new attempt id on {@code subject} placed by {@code method} (null: not said). */
    public static String newId(String subject, @Nullable DialMethod method) {
        final byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return encoded(subject) + '.' + B64.encodeToString(random) + '.' + letter(method);
    }

    /** Returns the subject an attempt id names, or null when {@code id} is not an attempt id. */
    public static @Nullable String subjectOf(String id) {
        final String[] parts = id.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].length() != 16 || parts[2].length() != 1
            || "mapx".indexOf(parts[2].charAt(0)) < 0) {
            return null;
        }
        try {
            final String subject = new String(B64_DECODE.decode(parts[0]), UTF_8);
            return subject.indexOf('\u0000') > 0 ? subject : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Returns the letter of {@code method} in attempt ids. */
    static char letter(@Nullable DialMethod method) {
        if (method == null) {
            return 'x';
        }
        return switch (method) {
            case MANUAL -> 'm';
            case AUTOMATED -> 'a';
            case PRERECORDED -> 'p';
        };
    }

    /** Returns the methods a cap counts as letters, for the Redis script. */
    static String letters(FrequencyCap cap) {
        final StringBuilder out = new StringBuilder();
        for (DialMethod m : DialMethod.values()) {
            if (cap.dialMethods().contains(m)) {
                out.append(letter(m));
            }
        }
        return out.toString();
    }

    /** Returns whether attempt {@code id} counts toward {@code cap}: its method is one the cap counts, or not said. */
    static boolean counts(FrequencyCap cap, String id) {
        final char m = id.charAt(id.length() - 1);
        return m == 'x' || letters(cap).indexOf(m) >= 0;
    }

    /**
     * Judges a subject's recorded attempts (oldest first) against {@code caps} for an attempt
     * judged at {@code at}: refused when any cap is reached, naming the one that frees a slot last
     * and when (a slot is free only when every cap has one); else granted, naming the cap with
     * the least room left.
     */
    public static Verdict judge(List<Entry> attempts, Instant at, List<FrequencyCap> caps) {
        final long t = at.toEpochMilli();
        FrequencyCap tightest = null;
        int tightestCount = 0;
        int tightestRoom = Integer.MAX_VALUE;
        FrequencyCap reached = null;
        int reachedCount = 0;
        long reachedFrees = Long.MIN_VALUE;
        for (FrequencyCap cap : caps) {
            final long from = t - cap.window().toMillis();
            int count = 0;
            for (Entry e : attempts) {
                if (e.atMillis() > from && counts(cap, e.id())) {
                    count++;
                }
            }
            if (count >= cap.limit()) {
                // The attempts in the window, oldest first: the slot frees when the one that
                // leaves the count below the limit falls out of the window.
                int seen = 0;
                long frees = t;
                for (Entry e : attempts) {
                    if (e.atMillis() > from && counts(cap, e.id()) && ++seen == count - cap.limit() + 1) {
                        frees = e.atMillis() + cap.window().toMillis();
                        break;
                    }
                }
                if (frees > reachedFrees) {
                    reached = cap;
                    reachedCount = count;
                    reachedFrees = frees;
                }
                continue;
            }
            final int room = cap.limit() - count;
            if (room < tightestRoom) {
                tightest = cap;
                tightestCount = count;
                tightestRoom = room;
            }
        }
        if (reached != null) {
            return Verdict.refused(reached, reachedCount, Instant.ofEpochMilli(reachedFrees));
        }
        return new Verdict(true, null, tightest, tightestCount, null);
    }

    /** Returns how long attempts counted by {@code caps} must be kept: the longest window, at least a day. */
    public static Duration keep(java.util.Collection<FrequencyCap> caps) {
        Duration keep = Duration.ofDays(1);
        for (FrequencyCap c : caps) {
            if (c.window().compareTo(keep) > 0) {
                keep = c.window();
            }
        }
        return keep;
    }

    /**
     * One recorded attempt.
     *
     * @param id its id (whose last letter is its dial method)
     * @param atMillis when it was placed, epoch milliseconds
     */
    public record Entry(String id, long atMillis) {}

    /**
     * A ledger's answer.
     *
     * @param granted whether the attempt may be dialled (and, for a reservation, is recorded)
     * @param id the attempt's id when a reservation was granted; else null
     * @param cap granted: the cap with the least room left (null when none applies); refused: the cap reached
     * @param count the attempts in that cap's window: granted, counting this one; refused, those already there
     * @param nextAllowedAt refused: when the cap frees a slot; else null
     */
    public record Verdict(boolean granted, @Nullable String id, @Nullable FrequencyCap cap, int count,
                          @Nullable Instant nextAllowedAt) {

        static Verdict refused(FrequencyCap cap, int count, Instant frees) {
            return new Verdict(false, null, cap, count, frees);
        }

        /** Returns this granted verdict as the reservation {@code id}, counting it. */
        Verdict reserved(String attemptId) {
            return new Verdict(true, attemptId, cap, cap == null ? 0 : count + 1, null);
        }
    }
}
