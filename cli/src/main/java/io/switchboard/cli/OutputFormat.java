package io.switchboard.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Option;

/** {@code --output text|json}: what a read command prints on standard output. */
final class OutputFormat {

    enum Format { text, json }

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default: for people) or json (one JSON document on one line, the API's shape, "
                          + "for scripts and jq).")
    Format format = Format.text;

    /** Returns whether JSON was asked for. */
    boolean json() {
        return format == Format.json;
    }

    /** Prints {@code answer} as one line of JSON. */
    static void print(PrintWriter out, JsonNode answer) {
        out.println(answer.toString());
    }
}
