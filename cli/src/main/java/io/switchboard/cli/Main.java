package io.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command. */
@Command(name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
                "Vendor-neutral call control and outbound compliance for contact centers.",
                "",
                "Start the gateway with 'switchboard serve'. With no platform credentials",
                "it serves a built-in sandbox of the platform APIs: no set-up needed.",
                ""
        },
        footer = {"", "Documentation: README.md and docs/ in the source tree."},
        subcommands = {ServeCommand.class, SandboxCommand.class, CallCommand.class, IvrCommand.class, DncCommand.class,
                ScrubCommand.class, AuditCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Returns the configured command line; tests run it without exiting. */
    static CommandLine commandLine() {
        final CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("switchboard: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return cli;
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (v != null ? v : "development build")};
        }
    }
}
