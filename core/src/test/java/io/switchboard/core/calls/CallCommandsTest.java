package io.switchboard.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.switchboard.core.InvalidArgumentException;

class CallCommandsTest {

    @Test
    void acceptsEveryRfc4733EventAndUpperCasesLetters() {
        assertThat(DtmfTones.parse("tones", "0123456789*#abcdABCD").value()).isEqualTo("0123456789*#ABCDABCD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12X", "1 2", "E", "٣"})
    void rejectsCharactersOutsideRfc4733NamingTheFieldAndPosition(String tones) {
        assertThatThrownBy(() -> DtmfTones.parse("tones", tones))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("tones: \"" + tones + "\" (expected: 1..32 of 0-9 * # A-D")
                .hasMessageContaining("at position");
    }

    @Test
    void rejectsEmptyAndOverlongToneStrings() {
        assertThatThrownBy(() -> DtmfTones.parse("tones", ""))
                .hasMessage("tones: \"\" (expected: 1..32 of 0-9 * # A-D)");
        assertThatThrownBy(() -> DtmfTones.parse("tones", "1".repeat(33)))
                .hasMessageStartingWith("tones: \"111");
        assertThat(DtmfTones.parse("tones", "1".repeat(32)).size()).isEqualTo(32);
    }

    @Test
    void dtmfCommandDefaultsTo100msTonesAnd60msGaps() {
        final DtmfCommand command = DtmfCommand.of("s-1", DtmfTones.parse("tones", "12#"));
        assertThat(command.toneDuration()).isEqualTo(Duration.ofMillis(100));
        assertThat(command.gap()).isEqualTo(Duration.ofMillis(60));
    }

    @Test
    void dtmfCommandBoundsDurationAndGap() {
        final DtmfCommand command = DtmfCommand.of("s-1", DtmfTones.parse("tones", "1"));
        assertThat(command.withToneDuration(Duration.ofMillis(40)).toneDuration()).hasMillis(40);
        assertThat(command.withToneDuration(Duration.ofMillis(2000)).toneDuration()).hasMillis(2000);
        assertThatThrownBy(() -> command.withToneDuration(Duration.ofMillis(39)))
                .hasMessage("duration_ms: 39 (expected: 40..2000)");
        assertThatThrownBy(() -> command.withToneDuration(Duration.ofMillis(2001)))
                .hasMessage("duration_ms: 2001 (expected: 40..2000)");
        assertThatThrownBy(() -> command.withGap(Duration.ofMillis(-1)))
                .hasMessage("gap_ms: -1 (expected: 0..5000)");
    }

    @ParameterizedTest
    @ValueSource(floats = {-0.01f, 1.01f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void volumeOutsideZeroToOneIsRejectedNamingTheField(float volume) {
        assertThatThrownBy(() -> new VolumeCommand("s-1", volume))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("volume: " + volume + " (expected: 0.0..1.0)");
    }

    @Test
    void volumeBoundsAreInclusive() {
        assertThat(new VolumeCommand("s-1", 0.0f).volume()).isZero();
        assertThat(new VolumeCommand("s-1", 1.0f).volume()).isEqualTo(1.0f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/inside", "quote\"", "ü"})
    void sessionIdsOutsideTheSafeCharacterSetAreRejected(String id) {
        assertThatThrownBy(() -> new VolumeCommand(id, 0.5f))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("session_id: \"" + id + "\" (expected: 1..128 characters");
    }

    @Test
    void sessionIdsUpTo128SafeCharactersAreAccepted() {
        assertThat(SessionId.check("session_id", "a".repeat(128))).hasSize(128);
        assertThat(SessionId.check("session_id", "webrtc:3f2a-11.b_c")).isEqualTo("webrtc:3f2a-11.b_c");
        assertThatThrownBy(() -> SessionId.check("session_id", "a".repeat(129)))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
