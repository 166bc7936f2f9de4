package io.switchboard.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the IVR's parsers of outside input: flow YAML (a file, or inline YAML sent over the
 * API) and prompt URLs. A flow is loaded or refused with a {@link FlowException} naming its line;
 * a URL is accepted or refused with a reason; nothing else ever comes out.
 */
class FuzzTest {

    private static final MediaUrls URLS = new MediaUrls(List.of());
    private static final FlowLoader LOADER = new FlowLoader(URLS);
    private static final String EXAMPLE = read();

    private static String read() {
        try {
            return Files.readString(Path.of("..", "examples", "flows", "outbound-verification.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Property
    void aFlowIsLoadedOrRefusedNamingItsLine(@ForAll("flowLike") String yaml) {
        try {
            final Flow flow = LOADER.load("fuzz.yaml", yaml);
            assertThat(flow.nodes()).containsKey(flow.start());
        } catch (FlowException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.getMessage()).startsWith("fuzz.yaml:");
        }
    }

    @Provide
    Arbitrary<String> flowLike() {
        // Mutations of a real flow: a line dropped or doubled, a span cut, characters replaced.
        final List<String> lines = EXAMPLE.lines().toList();
        final Arbitrary<String> dropped = Arbitraries.integers().between(0, lines.size() - 1).map(i -> {
            final java.util.ArrayList<String> l = new java.util.ArrayList<>(lines);
            l.remove((int) i);
            return String.join("\n", l);
        });
        final Arbitrary<String> doubled = Arbitraries.integers().between(0, lines.size() - 1).map(i -> {
            final java.util.ArrayList<String> l = new java.util.ArrayList<>(lines);
            l.add(i, lines.get(i));
            return String.join("\n", l);
        });
        final Arbitrary<String> cut = Arbitraries.integers().between(0, EXAMPLE.length()).map(i -> EXAMPLE.substring(0, i));
        final Arbitrary<String> replaced = Arbitraries.integers().between(0, EXAMPLE.length() - 1).flatMap(
                i -> Arbitraries.of(':', '-', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '"', '\'', ' ', '\n', '\t', '0', 'a', '%').map(
                        c -> EXAMPLE.substring(0, i) + c + EXAMPLE.substring(i + 1)));
        final Arbitrary<String> seeds = Arbitraries.of(
                "", "name: x\nstart: a\nnodes: {}\n", "name: x\nstart: a\nnodes:\n  a: {hangup: {}, play: {url: x}}\n",
                "name: x\nstart: a\nnodes:\n  a: {set: {k: v}, next: a}\n", linear(5_000),
                "name: x\nstart: a\nnodes:\n  a: {collect: {maxDigits: 99999999999}, next: a}\n",
                "name: x\nstart: a\nnodes:\n  a: {play: {url: \"https://0x7f000001/a.wav\"}, next: b}\n  b: {hangup: {}}\n");
        return Arbitraries.oneOf(dropped, doubled, cut, replaced, seeds, Arbitraries.strings().all().ofMaxLength(200));
    }

    private static String linear(int n) {
        final StringBuilder b = new StringBuilder("name: long\nstart: n0\nnodes:\n");
        for (int i = 0; i < n; i++) {
            b.append("  n").append(i).append(": {set: {k: v}, next: n").append(i + 1).append("}\n");
        }
        return b.append("  n").append(n).append(": {hangup: {}}\n").toString();
    }

    @Property
    void aPromptUrlIsAcceptedOrRefusedWithAReason(@ForAll("urlLike") String url) {
        final String problem = URLS.problem(url);
        if (problem != null) {
            assertThat(problem).isNotBlank();
        } else {
            assertThat(url.toLowerCase(java.util.Locale.ROOT)).startsWith("https://"); // schemes are case-insensitive
        }
    }

    @Provide
    Arbitrary<String> urlLike() {
        final Arbitrary<String> hosts = Arbitraries.oneOf(
                Arbitraries.of("localhost", "localhost.", "127.0.0.1", "0x7f000001", "0177.0.0.1", "100.64.0.1", "[::1]",
                               "[::ffff:127.0.0.1]", "169.254.169.254", "2130706433", "media.example.com",
                               "xn--e1afmkfd.xn--p1ai", "例え.jp", "a..b", "-a.com", ""),
                Arbitraries.strings().withChars("abc0123456789.:-[]%x@").ofMaxLength(30));
        final Arbitrary<String> built = net.jqwik.api.Combinators.combine(
                Arbitraries.of("https://", "http://", "HTTPS://", "file://", "", "https:/", "https:///"), hosts,
                Arbitraries.of("", ":443", ":0", ":99999", ":-1"), Arbitraries.of("/a.wav", "", "/../x", "?q=1#f", "/%00"))
                .as((scheme, host, port, path) -> scheme + host + port + path);
        return Arbitraries.oneOf(built, Arbitraries.strings().all().ofMaxLength(100));
    }
}
