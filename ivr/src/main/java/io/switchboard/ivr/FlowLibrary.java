package io.switchboard.ivr;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Finds flows by name: {@code NAME} is {@code <flowsDir>/NAME.yaml} if there is one, else a
 * flow shipped with Switchboard ({@code outbound-verification}, {@code opt-out}). A name is letters, digits,
 * {@code -} and {@code _}; never a path, so that a caller of the API cannot make the gateway
 * read any other file. Each load checks the flow afresh.
 */
public final class FlowLibrary {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private final FlowLoader loader;
    private final @Nullable Path flowsDir;

    /** Creates a library over {@code flowsDir} (may be null or absent) and the shipped flows. */
    public FlowLibrary(FlowLoader loader, @Nullable Path flowsDir) {
        this.loader = requireNonNull(loader, "loader");
        this.flowsDir = flowsDir;
    }

    /**
     * Returns the flow named {@code name}, checked.
     *
     * @throws FlowException if it is not valid, naming the line and field
     * @throws IllegalArgumentException if {@code name} is not a flow name, or there is no such flow
     */
    public Flow load(String name) {
        if (!NAME.matcher(name).matches()) {
            // The value is not echoed: it may be a path, and its shape is all the caller needs.
            throw new IllegalArgumentException("flow: not a flow name (expected: a name of letters, digits, - and _, "
                                               + "starting with a letter, such as outbound-verification; send a "
                                               + "flow of your own whole, as yaml)");
        }
        try {
            if (flowsDir != null && Files.isRegularFile(flowsDir.resolve(name + ".yaml"))) {
                return loader.load(flowsDir.resolve(name + ".yaml"));
            }
            try (InputStream shipped = FlowLibrary.class.getResourceAsStream("flows/" + name + ".yaml")) {
                if (shipped == null) {
                    throw new IllegalArgumentException(
                            "flow: \"" + name + "\" (expected: a flow in " + (flowsDir == null ? "the flows directory"
                                                                                              : flowsDir)
                            + " or a shipped one: outbound-verification or opt-out)");
                }
                return loader.load("examples/flows/" + name + ".yaml",
                                   new String(shipped.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read flow " + name + ": " + e.getMessage(), e);
        }
    }
}
