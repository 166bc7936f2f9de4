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
 * Finds flows by name or file: {@code NAME} is {@code <flowsDir>/NAME.yaml} if there is one,
 * else a flow shipped with Switchboard ({@code outbound-verification}); anything with a
 * {@code /} or ending {@code .yaml} is a file. Each load checks the flow afresh.
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
     * Returns the flow {@code nameOrFile}, checked.
     *
     * @throws FlowException if it is not valid, naming the line and field
     * @throws IllegalArgumentException if there is no such flow
     */
    public Flow load(String nameOrFile) {
        try {
            if (nameOrFile.contains("/") || nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml")) {
                final Path file = Path.of(nameOrFile);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("flow: \"" + nameOrFile + "\" (expected: a flow file; "
                                                       + "there is none there)");
                }
                return loader.load(file);
            }
            if (!NAME.matcher(nameOrFile).matches()) {
                throw new IllegalArgumentException("flow: \"" + nameOrFile + "\" (expected: a flow name or file)");
            }
            if (flowsDir != null && Files.isRegularFile(flowsDir.resolve(nameOrFile + ".yaml"))) {
                return loader.load(flowsDir.resolve(nameOrFile + ".yaml"));
            }
            try (InputStream shipped = FlowLibrary.class.getResourceAsStream("flows/" + nameOrFile + ".yaml")) {
                if (shipped == null) {
                    throw new IllegalArgumentException(
                            "flow: \"" + nameOrFile + "\" (expected: a flow in " + (flowsDir == null ? "the flows "
                                                                                     + "directory" : flowsDir)
                            + " or a shipped one, such as outbound-verification)");
                }
                return loader.load("outbound-verification".equals(nameOrFile)
                                   ? "examples/flows/" + nameOrFile + ".yaml" : nameOrFile,
                                   new String(shipped.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read flow " + nameOrFile + ": " + e.getMessage(), e);
        }
    }
}
