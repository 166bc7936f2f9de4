package io.switchboard.compliance.dnc;

/**
 * A blocked Bloom filter of (number, list) pairs. The number alone chooses a 512-bit block; the
 * pair sets one bit in each of the block's eight words. Asking which of several lists may hold a
 * number therefore reads one block, one or two cache lines, however many lists are asked, where a
 * classic Bloom filter reads a line per bit and per list. About 1 % false positives at 12 bits an
 * entry; never a false negative.
 *
 * <p>A list is named by a 64-bit key of its own ({@link #key}). Changes must be serialised by the
 * caller. Readers run alongside them: {@link #mayHold} sees every {@link #add} that a
 * {@link #publish} followed before it was called.
 */
final class NumberFilter {

    /** Bits per entry the filter is sized for: about 1 % false positives. */
    static final int BITS_PER_ENTRY = 12;
    private static final int WORDS_PER_BLOCK = 8;

    private final long[] words;
    private final int blocks;
    private final long capacity;
    private long adds;
    /** Written after each change: a reader that reads it sees the words as of that change. */
    private volatile long published;

    /** Creates an empty filter for {@code capacity} entries (at least one block). */
    NumberFilter(long capacity) {
        this.capacity = Math.max(1, capacity);
        final long blockCount = Math.max(1, (this.capacity * BITS_PER_ENTRY + 511) / 512);
        if (blockCount * WORDS_PER_BLOCK > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a filter for " + capacity + " entries is too large for one array");
        }
        this.blocks = (int) blockCount;
        this.words = new long[blocks * WORDS_PER_BLOCK];
    }

    /** A filter that may hold every pair: every list is asked about every number. */
    static final NumberFilter ALL = full();

    private static NumberFilter full() {
        final NumberFilter f = new NumberFilter(1);
        java.util.Arrays.fill(f.words, -1L);
        f.publish();
        return f;
    }

    /** Returns the key of a list, from its name: equal lists have equal keys. */
    static long key(DncList list) {
        long h = 1125899906842597L;
        final String name = list.name();
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return mix(h);
    }

    /** Returns how many entries it was sized for. */
    long capacity() {
        return capacity;
    }

    /** Adds {@code number} on the list of {@code key}. Readers see it once {@link #publish} has been called. */
    void add(long number, long key) {
        final long h = mix(number);
        final int base = block(h) * WORDS_PER_BLOCK;
        final int bits = bits(h, key);
        for (int w = 0; w < WORDS_PER_BLOCK; w++) {
            words[base + w] |= 1L << bit(bits, w);
        }
        adds++;
    }

    /** Makes every entry added so far visible to readers from now on. */
    void publish() {
        published = adds;
    }

    /**
     * For each list of {@code keys}, writes into {@code at[list]} the indexes of the numbers that
     * may be on it, in order, and into {@code found[list]} how many there are. Sees every entry
     * published before the call.
     */
    void mayHold(long[] numbers, long[] keys, int[][] at, int[] found) {
        if (published < 0) { // the volatile read that orders the words' reads after the last publish
            throw new IllegalStateException("published " + published);
        }
        // Two passes: the first only reads each number's block, so that the processor waits for
        // many blocks at once rather than for one after the other; the second finds them cached.
        final int n = numbers.length;
        final long[] hashes = new long[n];
        final int[] bases = new int[n];
        final long[] first = new long[n];
        final long[] last = new long[n];
        for (int k = 0; k < n; k++) {
            final long h = mix(numbers[k]);
            final int base = block(h) * WORDS_PER_BLOCK;
            hashes[k] = h;
            bases[k] = base;
            first[k] = words[base];
            last[k] = words[base + WORDS_PER_BLOCK - 1];
        }
        for (int k = 0; k < n; k++) {
            if (first[k] == 0 && last[k] == 0) {
                continue; // an empty block holds nothing
            }
            for (int list = 0; list < keys.length; list++) {
                if (set(bases[k], bits(hashes[k], keys[list]))) {
                    at[list][found[list]++] = k;
                }
            }
        }
    }

    private boolean set(int base, int bits) {
        for (int w = 0; w < WORDS_PER_BLOCK; w++) {
            if ((words[base + w] & (1L << bit(bits, w))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The block of a number's hash: its high 32 bits, reduced to the block count by multiplication. */
    private int block(long h) {
        return (int) (((h >>> 32) * blocks) >>> 32);
    }

    /** The 32 bits that choose a pair's bits in its block: the number's low half and the list's. */
    private static int bits(long h, long key) {
        return (int) (h ^ key);
    }

    /** The bit in word {@code w}: six bits, remixed for each word. */
    private static int bit(int bits, int w) {
        return (bits * SALT[w]) >>> 26;
    }

    /** Odd constants, one per word (as in the split-block Bloom filters of Parquet and Impala). */
    private static final int[] SALT = {
        0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31,
    };

    /** A 64-bit finaliser (MurmurHash3's): neighbouring numbers land in unrelated blocks. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}
