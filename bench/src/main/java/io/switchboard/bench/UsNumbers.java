package io.switchboard.bench;

import java.util.SplittableRandom;

import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.phone.PhoneNumbers;

/** Random US numbers over area codes in service, as real contact lists and registries hold. */
final class UsNumbers {

    private static final PhoneNumbers PARSER = new PhoneNumbers("US");

    /** Returns {@code count} area codes that libphonenumber knows to be in service, at random. */
    static long[] areaCodesInService(SplittableRandom random, int count) {
        final long[] areaCodes = new long[count];
        for (int i = 0; i < count; ) {
            final long area = 201 + random.nextInt(780);
            try {
                PARSER.toE164("area", "+1" + area + "2345678");
                areaCodes[i++] = area;
            } catch (InvalidArgumentException notInService) {
                // another
            }
        }
        return areaCodes;
    }

    /** Returns a random number in one of {@code areaCodes}, as E.164 digits. */
    static long number(long[] areaCodes, SplittableRandom random) {
        return 10_000_000_000L + areaCodes[random.nextInt(areaCodes.length)] * 10_000_000L
               + (200 + random.nextInt(800)) * 10_000L + random.nextInt(10_000);
    }

    private UsNumbers() {}
}
