package io.switchboard.core.yaml;

/**
 * A YAML document that cannot be used. The message names the source, the line and the field,
 * and says what was expected: {@code rules/US-FL.yaml:12: rules[0].hours.sat: 8-20 (expected: HH:MM-HH:MM or none)}.
 */
public final class YamlProblem extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String field;
    private final String problem;

    /** Creates a problem at {@code line} (1-based) of {@code source}, in {@code field}. */
    public YamlProblem(String source, int line, String field, String problem) {
        super(source + ':' + line + ": " + field + ": " + problem);
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    /** Returns the document's name, e.g. its file. */
    public String source() {
        return source;
    }

    /** Returns the line the problem is on (1-based). */
    public int line() {
        return line;
    }

    /** Returns the field's path, e.g. {@code rules[0].hours.sat}. */
    public String field() {
        return field;
    }

    /** Returns what is wrong and what was expected, without the place. */
    public String problem() {
        return problem;
    }
}
