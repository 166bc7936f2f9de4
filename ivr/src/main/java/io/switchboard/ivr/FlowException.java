package io.switchboard.ivr;

/**
 * A flow that cannot be used. The message names the file, the line and the field, and says what
 * was expected: {@code flows/verify.yaml:12: nodes.ask.collect.maxDigits: 40 (expected: 1..32)}.
 */
public final class FlowException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;

    FlowException(String source, int line, String field, String problem) {
        super(source + ':' + line + ": " + field + ": " + problem);
        this.line = line;
    }

    /** Returns the line the problem is on (1-based). */
    public int line() {
        return line;
    }
}
