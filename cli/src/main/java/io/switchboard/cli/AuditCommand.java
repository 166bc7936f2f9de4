package io.switchboard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.audit.AuditVerifier;
import io.switchboard.gateway.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard audit ...}: the audit trail. */
@Command(name = "audit",
        mixinStandardHelpOptions = true,
        description = {"Work with the audit trail.", ""},
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the audit trail's hash chain and name the first broken line.",
                    "Exit status: 0 intact, 1 broken, 2 unreadable.", ""})
    static final class Verify implements Callable<Integer> {

        @Parameters(arity = "0..1", paramLabel = "FILE",
                description = "The trail (default: audit.jsonl in the data directory).")
        @Nullable Path file;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The data directory (default: $SWITCHBOARD_DATA_DIR, else ./data).")
        @Nullable Path dataDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            final Path trail = file != null ? file : dataDirectory().resolve(Gateway.AUDIT_FILE);
            if (!Files.isRegularFile(trail)) {
                spec.commandLine().getErr().println("switchboard: " + trail + ": no such file");
                return 2;
            }
            final AuditVerifier.Result result;
            try {
                result = AuditVerifier.verify(trail);
            } catch (IOException e) {
                spec.commandLine().getErr().println("switchboard: " + trail + ": cannot read: " + e.getMessage());
                return 2;
            }
            if (result.intact()) {
                spec.commandLine().getOut().println(trail + ": intact, " + result.lines() + " line"
                                                    + (result.lines() == 1 ? "" : "s") + " checked");
                return 0;
            }
            spec.commandLine().getOut().println(trail + ": BROKEN at line " + result.brokenLine() + ": "
                                                + result.reason());
            return 1;
        }

        private Path dataDirectory() {
            if (dataDir != null) {
                return dataDir;
            }
            final String env = System.getenv("SWITCHBOARD_DATA_DIR");
            return Path.of(env != null && !env.isBlank() ? env : "data");
        }
    }
}
