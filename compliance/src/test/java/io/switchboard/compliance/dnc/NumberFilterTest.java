package io.switchboard.compliance.dnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The filter of (number, list) pairs never forgets an entry, tells lists apart, and keeps its
 * false positives near the 1 % it is sized for.
 */
class NumberFilterTest {

    private static final DncList REGISTRY = new DncList("global", DncList.Kind.REGISTRY);
    private static final DncList CAMPAIGN = new DncList("campaign:c1", DncList.Kind.INTERNAL);
    private static final DncList OPT_OUT = new DncList("global", DncList.Kind.OPT_OUT);

    @Test
    void everyEntryIsFoundOnItsListAndOthersMostlyNot() {
        final int entries = 200_000;
        final NumberFilter filter = new NumberFilter(entries);
        final long[] keys = {NumberFilter.key(REGISTRY), NumberFilter.key(CAMPAIGN), NumberFilter.key(OPT_OUT)};
        final SplittableRandom random = new SplittableRandom(13);
        final long[] numbers = new long[entries];
        for (int i = 0; i < entries; i++) {
            numbers[i] = 12_000_000_000L + random.nextLong(8_000_000_000L);
            filter.add(numbers[i], keys[i % 2]); // registry and campaign only
        }
        filter.publish();

        final int[][] at = new int[3][entries];
        final int[] found = new int[3];
        filter.mayHold(numbers, keys, at, found);
        // No false negatives: each number is found on the list it was added to.
        final boolean[][] on = new boolean[3][entries];
        for (int list = 0; list < 3; list++) {
            for (int c = 0; c < found[list]; c++) {
                on[list][at[list][c]] = true;
            }
        }
        for (int i = 0; i < entries; i++) {
            assertThat(on[i % 2][i]).as("number %d on list %d", numbers[i], i % 2).isTrue();
        }
        // The list nothing was added to: only false positives, about 1 % at most.
        assertThat(found[2]).isLessThan(entries / 100);
        // Numbers never added, on either list: the same.
        final long[] others = new long[entries];
        for (int i = 0; i < entries; i++) {
            others[i] = 12_000_000_000L + random.nextLong(8_000_000_000L);
        }
        final int[] foundOthers = new int[3];
        filter.mayHold(others, keys, new int[3][entries], foundOthers);
        assertThat(foundOthers[0]).isLessThan(entries / 100);
        assertThat(foundOthers[1]).isLessThan(entries / 100);
    }

    @Test
    void anEmptyFilterHoldsNothingAndEqualListsHaveEqualKeys() {
        final NumberFilter filter = new NumberFilter(0);
        final int[] found = new int[1];
        filter.mayHold(new long[] {14155550100L}, new long[] {NumberFilter.key(REGISTRY)}, new int[1][1], found);
        assertThat(found[0]).isZero();
        assertThat(NumberFilter.key(new DncList("global", DncList.Kind.REGISTRY))).isEqualTo(NumberFilter.key(REGISTRY))
                                                                                  .isNotEqualTo(NumberFilter.key(OPT_OUT));
    }
}
