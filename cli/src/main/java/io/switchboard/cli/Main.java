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

    /** The system property {@code logback.xml} reads the log format from. */
    static final String LOG_FORMAT_PROPERTY = "switchboard.logFormat";
    /** Set by the {@code switchboard} launcher when standard error is a terminal. */
    static final String STDERR_TERMINAL_PROPERTY = "switchboard.stderrIsTerminal";

    /** The formats of the logs on standard error. */
    enum LogFormat { text, json }

    @CommandLine.Option(names = "--log-format", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Logs on standard error: text (one readable line each) or json (JSON lines). "
                          + "Default: $SWITCHBOARD_LOG_FORMAT, else text on a terminal and json otherwise.")
    LogFormat logFormat; // read from the arguments before logging starts: see main

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // Before anything logs: the first logger configures logging, and it reads this.
        try {
            System.setProperty(LOG_FORMAT_PROPERTY, logFormat(args, System.getenv("SWITCHBOARD_LOG_FORMAT"),
                                                              Boolean.getBoolean(STDERR_TERMINAL_PROPERTY)).name());
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard: " + e.getMessage());
            System.exit(2);
        }
        final int status = commandLine().execute(args);
        flushLogs();
        System.exit(status);
    }

    /** Writes out the log lines still queued (logging is asynchronous) and stops logging. */
    static void flushLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    /**
     * Returns the log format: {@code --log-format} among {@code args}, else {@code env}
     * ({@code SWITCHBOARD_LOG_FORMAT}), else text when standard error is a terminal and JSON
     * when it is not. An unknown {@code --log-format} is left to the command line to refuse.
     *
     * @throws IllegalArgumentException when {@code env} names no format
     */
    static LogFormat logFormat(String[] args, @org.jspecify.annotations.Nullable String env, boolean terminal) {
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            final String value = args[i].startsWith("--log-format=") ? args[i].substring("--log-format=".length())
                                 : args[i].equals("--log-format") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                return parse(value).orElse(LogFormat.json);
            }
        }
        if (env != null && !env.isBlank()) {
            return parse(env.strip()).orElseThrow(() -> new IllegalArgumentException(
                    "SWITCHBOARD_LOG_FORMAT: \"" + env + "\" (expected: text or json)"));
        }
        return terminal ? LogFormat.text : LogFormat.json;
    }

    private static java.util.Optional<LogFormat> parse(String value) {
        for (LogFormat f : LogFormat.values()) {
            if (f.name().equalsIgnoreCase(value)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
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
            return new String[] {"switchboard " + io.switchboard.gateway.Gateway.version()};
        }
    }
}
