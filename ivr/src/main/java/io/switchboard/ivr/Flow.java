package io.switchboard.ivr;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A checked flow: every node reachable from {@code start}, every reference resolved, every
 * cycle bounded by a {@link Retry}. Build one with {@link FlowLoader}.
 *
 * @param name what the flow is called
 * @param source where it was loaded from, for messages
 * @param start the first node's id
 * @param nodes by id
 */
public record Flow(String name, String source, String start, Map<String, Node> nodes) {

    /** Copies the nodes, keeping their order. */
    public Flow {
        nodes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nodes));
    }

    /** One step of a flow. */
    public sealed interface Node permits Play, Collect, Branch, Retry, Transfer, Hangup, SetVariables, OptOut {
        /** Returns the node's id. */
        String id();

        /** Returns the line it starts on in its file. */
        int line();

        /** Returns the ids of the nodes it may go to. */
        List<String> successors();
    }

    /** Plays a prompt, then goes on. */
    public record Play(String id, int line, String mediaUrl, boolean interruptible, String next) implements Node {
        @Override
        public List<String> successors() {
            return List.of(next);
        }
    }

    /**
     * Collects digits into the variable {@code into}. The result is no input (nothing keyed in
     * time), no match (fewer than {@code minDigits}, or failing the regex or digit set), or the
     * digits.
     */
    public record Collect(String id, int line, @Nullable String prompt, int maxDigits, int minDigits,
                          Duration timeout, Duration interDigitTimeout, List<String> terminators,
                          @Nullable Pattern regex, @Nullable String digitSet, boolean sensitive, String into,
                          String next) implements Node {
        @Override
        public List<String> successors() {
            return List.of(next);
        }
    }

    /** Goes where the last collection's result says: the first matching case, else noInput, noMatch or default. */
    public record Branch(String id, int line, String on, List<Case> cases, @Nullable String noInput,
                         @Nullable String noMatch, String otherwise) implements Node {
        @Override
        public List<String> successors() {
            final java.util.ArrayList<String> all = new java.util.ArrayList<>();
            cases.forEach(c -> all.add(c.next()));
            if (noInput != null) {
                all.add(noInput);
            }
            if (noMatch != null) {
                all.add(noMatch);
            }
            all.add(otherwise);
            return all;
        }
    }

    /** A branch case: exact digits, or a regex over them. */
    public record Case(@Nullable String equals, @Nullable Pattern regex, String next) {
        /** Returns whether {@code digits} match. */
        public boolean matches(String digits) {
            return equals != null ? equals.equals(digits) : regex != null && regex.matcher(digits).matches();
        }
    }

    /**
     * Counts attempts: below {@code maxAttempts} it plays the prompt for the last result (no input
     * or no match) and goes to {@code next}; at {@code maxAttempts} it goes to {@code exhausted}.
     */
    public record Retry(String id, int line, int maxAttempts, @Nullable String noInputPrompt,
                        @Nullable String noMatchPrompt, String next, String exhausted) implements Node {
        @Override
        public List<String> successors() {
            return List.of(next, exhausted);
        }
    }

    /** Ends the flow by handing the call to {@code to}. */
    public record Transfer(String id, int line, String to, String outcome) implements Node {
        @Override
        public List<String> successors() {
            return List.of();
        }
    }

    /** Ends the flow with {@code outcome}. */
    public record Hangup(String id, int line, String outcome) implements Node {
        @Override
        public List<String> successors() {
            return List.of();
        }
    }

    /**
     * Records that the called number opted out in {@code scope}, then goes to {@code next}; when
     * it cannot be recorded (the run has no number, or the store did not answer), goes to
     * {@code failed}, or without one ends the run as {@code failed}.
     */
    public record OptOut(String id, int line, String scope, String next, @Nullable String failed) implements Node {
        @Override
        public List<String> successors() {
            return failed == null ? List.of(next) : List.of(next, failed);
        }
    }

    /** Sets variables, then goes on. */
    public record SetVariables(String id, int line, Map<String, String> values, String next) implements Node {
        /** Copies the values. */
        public SetVariables {
            values = Map.copyOf(values);
        }

        @Override
        public List<String> successors() {
            return List.of(next);
        }
    }
}
