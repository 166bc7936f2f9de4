package io.switchboard.compliance.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Arrays;

/**
 * Decodes UTF-8 and maps character positions back to byte offsets, so that a CSV parser's record
 * positions (in characters) can be turned into the byte offsets a resume seeks to, without
 * re-encoding every character.
 *
 * <p>For ASCII the two are equal. For each character that took more than one byte, the reader
 * notes where it was and how many extra bytes the input has used up to then; positions must be
 * asked for in increasing order, and notes before the last position asked for are dropped, so
 * memory stays bounded by what the parser has read ahead. Malformed input decodes to U+FFFD,
 * one byte at a time, and is counted exactly.
 */
final class Utf8PositionReader extends Reader {

    private final InputStream in;
    private final byte[] bytes = new byte[1 << 16];
    private int start;
    private int end;
    private boolean eof;
    /** Characters delivered so far. */
    private long chars;
    /** Extra bytes (over one a character) used by all characters delivered so far. */
    private long extra;
    /** Pairs (character position after a multi-byte character, extra bytes up to it), oldest first. */
    private long[] notes = new long[64];
    private int head;
    private int tail;
    /** Extra bytes before every note still held. */
    private long extraBefore;
    /** The second half of a surrogate pair that did not fit the last call's buffer, or -1. */
    private int pendingLow = -1;

    Utf8PositionReader(InputStream in) {
        this.in = in;
    }

    /** Returns the byte offset of character position {@code position}; positions only grow. */
    long byteOffset(long position) {
        while (head < tail && notes[head] <= position) {
            extraBefore = notes[head + 1];
            head += 2;
        }
        return position + extraBefore;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        if (pendingLow >= 0) {
            buf[off + n++] = (char) pendingLow;
            pendingLow = -1;
            note(n, 2);
        }
        while (n < len) {
            if (end - start < 4 && !eof) {
                fill();
            }
            if (start == end) {
                break;
            }
            final int b = bytes[start] & 0xff;
            if (b < 0x80) {
                buf[off + n++] = (char) b;
                start++;
                continue;
            }
            final int length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
            int cp = length == 2 ? b & 0x1f : length == 3 ? b & 0x0f : b & 0x07;
            boolean ok = length != 0 && end - start >= length;
            for (int i = 1; ok && i < length; i++) {
                final int c = bytes[start + i] & 0xff;
                ok = (c & 0xc0) == 0x80;
                cp = cp << 6 | c & 0x3f;
            }
            ok = ok && (length != 3 || cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff))
                 && (length != 4 || cp >= 0x10000 && cp <= 0x10ffff);
            if (!ok) {
                buf[off + n++] = '\ufffd';
                start++;
                continue;
            }
            if (length == 4) {
                buf[off + n++] = Character.highSurrogate(cp);
                if (n == len) {
                    pendingLow = Character.lowSurrogate(cp); // the pair's second half opens the next call
                    start += length;
                    break;
                }
                buf[off + n++] = Character.lowSurrogate(cp);
                note(n, 2);
            } else {
                buf[off + n++] = (char) cp;
                note(n, length - 1);
            }
            start += length;
        }
        if (n == 0) {
            return -1;
        }
        chars += n;
        return n;
    }

    /** Notes that the character ending at {@code n} in this call's output used {@code more} extra bytes. */
    private void note(int n, int more) {
        extra += more;
        if (tail + 2 > notes.length) {
            if (head > 0) {
                System.arraycopy(notes, head, notes, 0, tail - head);
                tail -= head;
                head = 0;
            }
            if (tail + 2 > notes.length) {
                notes = Arrays.copyOf(notes, notes.length * 2);
            }
        }
        notes[tail++] = chars + n;
        notes[tail++] = extra;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(bytes, start, bytes, 0, end - start);
            end -= start;
            start = 0;
        }
        while (end < bytes.length) {
            final int r = in.read(bytes, end, bytes.length - end);
            if (r < 0) {
                eof = true;
                return;
            }
            end += r;
            if (end - start >= 4) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
