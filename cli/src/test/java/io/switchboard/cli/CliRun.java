package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the command line in-process, as a user would type it, and captures what it prints. */
final class CliRun {

    /** Runs {@code args}, checks the exit status, and returns standard output and error together. */
    static String run(int expectedStatus, String... args) {
        final StringWriter out = new StringWriter();
        final CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        final int status = cli.execute(args);
        assertThat(status).as(out.toString()).isEqualTo(expectedStatus);
        return out.toString();
    }

    private CliRun() {}
}
