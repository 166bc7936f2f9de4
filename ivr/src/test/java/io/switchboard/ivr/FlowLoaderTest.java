package io.switchboard.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class FlowLoaderTest {

    private final FlowLoader loader = new FlowLoader(new MediaUrls(List.of()));
    private final FlowLibrary library = new FlowLibrary(loader, null);

    private static final String HEAD = """
            name: test
            start: a
            nodes:
            """;

    private FlowException rejected(String nodes) {
        try {
            loader.load("test.yaml", HEAD + nodes);
        } catch (FlowException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + nodes);
    }

    @Test
    void theShippedExampleLoadsByName() {
        final Flow flow = library.load("outbound-verification");
        assertThat(flow.name()).isEqualTo("outbound-verification");
        assertThat(flow.start()).isEqualTo("greeting");
        assertThat(flow.nodes()).containsKeys("ask-code", "route", "try-again", "verified", "agent", "no-answer",
                                              "too-many-attempts");
        final Flow.Collect ask = (Flow.Collect) flow.nodes().get("ask-code");
        assertThat(ask.maxDigits()).isEqualTo(3);
        assertThat(ask.timeout()).hasSeconds(5);
        assertThat(((Flow.Retry) flow.nodes().get("try-again")).maxAttempts()).isEqualTo(3);
    }

    @Test
    void invalidYamlNamesTheLine() {
        final FlowException e = rejected("  a:\n    play: {url: [unclosed\n");
        assertThat(e.getMessage()).startsWith("test.yaml:").contains("not valid YAML");
        assertThat(e.line()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void badFieldsAreNamedWithTheirLine() {
        assertThat(rejected("""
                  a:
                    collect: {maxDigits: 40}
                    next: a
                """).getMessage()).isEqualTo("test.yaml:5: nodes.a.collect.maxDigits: 40 (expected: 1..32)");
        assertThat(rejected("""
                  a:
                    hangup: {outcome: done}
                    nxet: b
                """).getMessage()).startsWith("test.yaml:6: nodes.a.nxet: unknown field");
        assertThat(rejected("""
                  a:
                    next: b
                """).getMessage()).startsWith("test.yaml:4: nodes.a.(kind): none (expected: exactly one of");
        assertThat(rejected("""
                  a:
                    play: {url: "http://media.example.com/a.wav"}
                    next: b
                """).getMessage()).isEqualTo("test.yaml:5: nodes.a.play.url: \"http://media.example.com/a.wav\" "
                                             + "(expected: a media URL; an https URL is required)");
        assertThat(rejected("""
                  a:
                    play: {url: "https://169.254.169.254/latest/meta-data"}
                    next: b
                """).getMessage()).contains("address 169.254.169.254 is internal");
        assertThat(rejected("""
                  a:
                    collect: {maxDigits: 3, timeout: soon}
                    next: b
                """).getMessage()).contains("nodes.a.collect.timeout: soon (expected: a duration");
    }

    @Test
    void referencesMustResolveAndEveryNodeBeReached() {
        assertThat(rejected("""
                  a:
                    play: {url: "https://media.example.com/a.wav"}
                    next: nowhere
                """).getMessage()).isEqualTo("test.yaml:6: nodes.a: goes to \"nowhere\" (expected: one of the nodes "
                                             + "[a])");
        assertThat(rejected("""
                  a:
                    hangup: {outcome: done}
                  orphan:
                    hangup: {}
                """).getMessage()).startsWith("test.yaml:6: nodes.orphan: never reached from start \"a\"");
    }

    @Test
    void aFlowThatCouldLoopForEverIsRejected() {
        final FlowException e = rejected("""
                  a:
                    collect: {maxDigits: 1, into: choice}
                    next: b
                  b:
                    branch:
                      on: choice
                      cases:
                        - {equals: "1", next: done}
                      default: a
                  done:
                    hangup: {outcome: success}
                """);
        assertThat(e.getMessage()).isEqualTo("test.yaml:12: nodes.b: goes to \"a\", which loops for ever (a -> b -> a; "
                                             + "expected: every loop to pass through a retry node, whose maxAttempts "
                                             + "ends it)");
        // The same loop through a retry is bounded, and loads.
        loader.load("test.yaml", HEAD + """
                  a:
                    collect: {maxDigits: 1, into: choice}
                    next: b
                  b:
                    branch:
                      on: choice
                      cases:
                        - {equals: "1", next: done}
                      default: again
                  again:
                    retry: {maxAttempts: 3, next: a, exhausted: done}
                  done:
                    hangup: {outcome: success}
                """);
    }

    @Test
    void aLongFlowIsWalkedWithoutExhaustingTheStack() {
        final StringBuilder nodes = new StringBuilder("  a: {set: {step: \"0\"}, next: n1}\n");
        final int length = 5_000;
        for (int i = 1; i < length; i++) {
            nodes.append("  n").append(i).append(": {set: {step: \"").append(i).append("\"}, next: n").append(i + 1)
                 .append("}\n");
        }
        nodes.append("  n").append(length).append(": {hangup: {outcome: success}}\n");
        assertThat(loader.load("long.yaml", HEAD + nodes).nodes()).hasSize(length + 1);
        // The same flow closed into a loop is refused, by line and field, not by a stack overflow.
        final String looped = (HEAD + nodes).replace("n" + length + ": {hangup: {outcome: success}}",
                                                     "n" + length + ": {set: {step: \"end\"}, next: a}");
        assertThatThrownBy(() -> loader.load("long.yaml", looped)).isInstanceOf(FlowException.class)
                                                                 .hasMessageContaining("which loops for ever");
    }

    @Test
    void unknownFlowsAreNamed() {
        assertThatThrownBy(() -> library.load("no-such-flow")).hasMessageContaining("flow: \"no-such-flow\"");
        // Never a path: nothing outside the flows directory and the shipped flows is read.
        for (String path : new String[] {"/etc/passwd", "../../../../etc/passwd", "flows/../x", "/nowhere/x.yaml",
                                         "x.yaml", "a\\b"}) {
            assertThatThrownBy(() -> library.load(path)).isInstanceOf(IllegalArgumentException.class)
                                                        .hasMessageStartingWith("flow: not a flow name")
                                                        .hasMessageNotContaining(path);
        }
    }
}
