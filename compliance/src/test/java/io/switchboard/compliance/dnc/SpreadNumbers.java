package io.switchboard.compliance.dnc;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;

/** Distinct US numbers spread over 40 area codes and 60 exchanges of each, for the replacement tests. */
final class SpreadNumbers {

    /** Returns {@code count} numbers (E.164 digits) that {@code taken} does not hold yet, and adds them to it. */
    static long[] numbers(Random random, int count, Set<Long> taken) {
        final long[] out = new long[count];
        for (int i = 0; i < count; ) {
            final long n = 10_000_000_000L + (201 + random.nextInt(40)) * 10_000_000L
                           + (200 + random.nextInt(60)) * 10_000L + random.nextInt(10_000);
            if (taken.add(n)) {
                out[i++] = n;
            }
        }
        return out;
    }

    /** Returns the parts one after the other. */
    static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }

    private SpreadNumbers() {}
}
