package io.switchboard.compliance.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Utf8PositionReaderTest {

    /** Reads all of {@code text} through buffers of {@code chunk} chars; checks every position's byte offset. */
    private static void check(String text, int chunk) throws IOException {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final Utf8PositionReader reader = new Utf8PositionReader(new ByteArrayInputStream(utf8));
        final StringBuilder read = new StringBuilder();
        final char[] buf = new char[chunk];
        int n;
        while ((n = reader.read(buf, 0, chunk)) > 0) {
            read.append(buf, 0, n);
        }
        assertThat(read.toString()).isEqualTo(text);
        for (int p = 0; p <= text.length(); p++) {
            if (p > 0 && p < text.length() && Character.isLowSurrogate(text.charAt(p))) {
                continue; // never a record boundary
            }
            assertThat(reader.byteOffset(p)).as("position %d of %s", p, text)
                                            .isEqualTo(text.substring(0, p).getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void mapsPositionsToByteOffsetsForEveryWidth() throws IOException {
        check("+14155552671,a\n", 8192);
        check("Zoë,Ünïcödé\n+14155552671,日本語\n😀,x\r\n", 8192);
        check("😀😀a😀", 1); // a surrogate pair split across calls
        final SplittableRandom random = new SplittableRandom(5);
        final String[] pieces = {"a", ",", "\n", "é", "€", "😀", "+1415555", "\"q\""};
        for (int round = 0; round < 200; round++) {
            final StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(1, 300); i > 0; i--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            check(text.toString(), random.nextInt(1, 64));
        }
    }

    @Test
    void malformedBytesBecomeReplacementCharactersCountedExactly() throws IOException {
        final byte[] bytes = {'a', (byte) 0xff, 'b', (byte) 0xe2, (byte) 0x82, 'c'};
        final Utf8PositionReader reader = new Utf8PositionReader(new ByteArrayInputStream(bytes));
        final char[] buf = new char[16];
        final int n = reader.read(buf, 0, 16);
        assertThat(new String(buf, 0, n)).isEqualTo("a\ufffdb\ufffd\ufffdc");
        assertThat(reader.byteOffset(n)).isEqualTo(bytes.length);
    }
}
