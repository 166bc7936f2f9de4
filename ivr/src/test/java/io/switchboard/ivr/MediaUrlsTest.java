package io.switchboard.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prompt URLs: every form an internal address can take is refused; public hosts pass. */
class MediaUrlsTest {

    private final MediaUrls open = new MediaUrls(List.of());

    @ParameterizedTest
    @ValueSource(strings = {
            "https://localhost/a.wav", "https://localhost./a.wav", "https://LOCALHOST../a.wav",
            "https://x.localhost/a.wav", "https://media.local/a.wav", "https://media.internal./a.wav",
            "https://printer.home.arpa/a.wav",
            "https://127.0.0.1/a.wav", "https://127.1/a.wav", "https://2130706433/a.wav", "https://0x7f000001/a.wav",
            "https://0x7f.0x0.0x0.0x1/a.wav", "https://0177.0.0.1/a.wav", "https://0177.1/a.wav",
            "https://127.0.0.1./a.wav", "https://0/a.wav", "https://0.0.0.0/a.wav",
            "https://10.1.2.3/a.wav", "https://172.16.0.1/a.wav", "https://192.168.1.1/a.wav",
            "https://100.64.0.1/a.wav", "https://100.127.255.255/a.wav", "https://169.254.169.254/a.wav",
            "https://192.0.2.10/a.wav", "https://198.18.0.1/a.wav", "https://224.0.0.1/a.wav",
            "https://255.255.255.255/a.wav", "https://240.0.0.1/a.wav",
            "https://[::1]/a.wav", "https://[::]/a.wav", "https://[::ffff:127.0.0.1]/a.wav",
            "https://[::ffff:7f00:1]/a.wav", "https://[::127.0.0.1]/a.wav", "https://[64:ff9b::a00:1]/a.wav",
            "https://[fd00::1]/a.wav", "https://[fe80::1]/a.wav", "https://[ff02::1]/a.wav",
            "https://[2001:db8::1]/a.wav",
            "https://999.1.1.1/a.wav", "https://1.2.3.4.5/a.wav", "https://0x1ffffffff/a.wav",
            "http://media.example.com/a.wav", "https://user:pw@media.example.com/a.wav", "ftp://x/a.wav",
            "not a url"})
    void refuses(String url) {
        assertThat(open.problem(url)).as(url).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://media.example.com/a.wav", "https://media.example.com./a.wav",
                            "https://8.8.8.8/a.wav", "https://100.63.255.255/a.wav", "https://100.128.0.1/a.wav",
                            "https://[2606:4700::1111]/a.wav", "https://cdn1.example.com/a.wav",
                            "https://0day.example.com/a.wav"})
    void allowsPublicHosts(String url) {
        assertThat(open.problem(url)).as(url).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://media.example.com./a.wav", "https://EU.Media.Example.com/a.wav"})
    void anAllowListMatchesTheCanonicalHost(String url) {
        assertThat(new MediaUrls(List.of("media.example.com")).problem(url)).isNull();
        assertThat(new MediaUrls(List.of("media.example.com")).problem("https://evil.example.com/a.wav"))
                .contains("not in the allowed media hosts");
    }
}
