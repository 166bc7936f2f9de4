package io.switchboard.bench;

import java.util.Locale;
import java.util.SplittableRandom;

import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Measures normalisation of strict E.164 input (or, with {@code national}, the same numbers as
 * ten national digits, as registries publish them) on one thread: {@link PhoneNumbers#toE164} (the
 * fast path) against libphonenumber's own parse and validation ({@link PhoneNumbers#slowPath}),
 * on the same numbers, in the same run. The numbers are US numbers over 300 area codes, 1 % of
 * them invalid.
 *
 * <p>Usage: {@code ./switchboard bench phone-numbers [numbers] [rounds] [national]}; defaults 1,000,000, 3.
 */
public final class PhoneNumbersLoad {

    public static void main(String[] args) {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // "national": the same numbers as registries publish them, ten digits without +1.
        final boolean national = args.length > 2 && args[2].equals("national");
        final SplittableRandom random = new SplittableRandom(7);
        final String[] numbers = new String[count];
        for (int i = 0; i < count; i++) {
            final long area = 201 + random.nextInt(780);
            numbers[i] = i % 100 == 0 ? "+1" + area + "0" + (100000 + random.nextInt(899999))
                                      : "+1" + area + (200 + random.nextInt(800)) + String.format(Locale.ROOT, "%04d",
                                                                                                   random.nextInt(10_000));
            if (national) {
                numbers[i] = numbers[i].substring(2);
            }
        }
        final PhoneNumbers phoneNumbers = new PhoneNumbers("US");
        double bestFast = 0;
        double bestSlow = 0;
        long fastValid = 0;
        long slowValid = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            fastValid = 0;
            for (String n : numbers) {
                try {
                    phoneNumbers.toE164("n", n);
                    fastValid++;
                } catch (InvalidArgumentException e) {
                    // counted below
                }
            }
            bestFast = Math.max(bestFast, count / ((System.nanoTime() - start) / 1e9));
            start = System.nanoTime();
            slowValid = 0;
            for (String n : numbers) {
                try {
                    phoneNumbers.slowPath("n", n);
                    slowValid++;
                } catch (InvalidArgumentException e) {
                    // counted below
                }
            }
            bestSlow = Math.max(bestSlow, count / ((System.nanoTime() - start) / 1e9));
            System.err.printf(Locale.ROOT, "round %d: fast %,.0f/s, libphonenumber %,.0f/s%n", r + 1, bestFast,
                              bestSlow);
        }
        if (fastValid != slowValid) {
            throw new IllegalStateException("the paths disagree: " + fastValid + " vs " + slowValid + " valid");
        }
        System.out.printf(Locale.ROOT, "%n### %s normalisation, one thread, %,d numbers, best of %d rounds, "
                                       + "JDK %s%n%n| path | numbers/s | valid |%n|---|---|---|%n",
                          national ? "Ten-digit national (US)" : "Strict E.164", count, rounds, Runtime.version());
        System.out.printf(Locale.ROOT, "| libphonenumber parse + isValidNumber (baseline) | %,.0f | %,d |%n", bestSlow,
                          slowValid);
        System.out.printf(Locale.ROOT, "| Switchboard fast path | %,.0f | %,d |%n", bestFast, fastValid);
        System.exit(0);
    }
}
