package io.switchboard.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import io.switchboard.core.Durations;

/** {@code switchboard call ...}: sends call-control commands to a running gateway. */
@Command(name = "call",
        mixinStandardHelpOptions = true,
        description = {"Send call-control commands through a running gateway.", ""},
        subcommands = {CallCommand.Dtmf.class, CallCommand.Volume.class, CallCommand.Mute.class,
                CallCommand.Unmute.class})
final class CallCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--gateway", paramLabel = "URL", defaultValue = "${env:SWITCHBOARD_GATEWAY:-http://127.0.0.1:8080}",
            description = "The gateway (default: $SWITCHBOARD_GATEWAY, else http://127.0.0.1:8080).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    URI gateway = URI.create("http://127.0.0.1:8080");

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SWITCHBOARD_API_KEY}",
            description = "API key, if the gateway requires one (default: $SWITCHBOARD_API_KEY).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    @Nullable String apiKey;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "text (default: the answer as indented JSON) or json (the answer on one line, for scripts and jq).")
    OutputFormat.Format output = OutputFormat.Format.text;

    @Spec
    CommandSpec spec;

    /** Posts {@code body} to {@code path} and prints the answer; returns the exit status. */
    int post(String path, ObjectNode body) {
        final GatewayClient client = new GatewayClient(gateway, apiKey, spec.commandLine().getErr());
        final JsonNode answer = client.send(HttpRequest.builder().post(path)
                                                       .content(MediaType.JSON_UTF_8, body.toString()).build());
        if (answer != null) {
            if (output == OutputFormat.Format.json) {
                OutputFormat.print(spec.commandLine().getOut(), answer);
            } else {
                spec.commandLine().getOut().println(GatewayClient.pretty(answer));
            }
        }
        return client.lastStatus();
    }

    @Command(name = "dtmf", mixinStandardHelpOptions = true,
            description = {"Send DTMF tones (0-9 * # A-D) into a media session, in order.",
                    "Exit status: 0 sent, 1 rejected, 3 gateway or platform unavailable.", ""})
    static final class Dtmf implements Callable<Integer> {
        @ParentCommand
        CallCommand parent;

        @Option(names = "--session", required = true, paramLabel = "ID", description = "Media session id.")
        String session;

        @Option(names = "--tones", required = true, paramLabel = "TONES", description = "Tones, e.g. 123#.")
        String tones;

        @Option(names = "--duration-ms", paramLabel = "MS", description = "Tone length, 40..2000 (default: 100).")
        @Nullable Integer durationMs;

        @Option(names = "--gap-ms", paramLabel = "MS", description = "Silence between tones (default: 60).")
        @Nullable Integer gapMs;

        @Override
        public Integer call() {
            final ObjectNode body = JSON.createObjectNode().put("tones", tones);
            if (durationMs != null) {
                body.put("durationMs", durationMs);
            }
            if (gapMs != null) {
                body.put("gapMs", gapMs);
            }
            return parent.post("/v1/sessions/" + encode(session) + "/dtmf", body);
        }
    }

    @Command(name = "volume", mixinStandardHelpOptions = true,
            description = {"Set a media session's volume, 0.0 (silent) to 1.0 (full).",
                    "Exit status: 0 set, 1 rejected, 3 gateway or platform unavailable.", ""})
    static final class Volume implements Callable<Integer> {
        @ParentCommand
        CallCommand parent;

        @Option(names = "--session", required = true, paramLabel = "ID", description = "Media session id.")
        String session;

        @Option(names = "--level", required = true, paramLabel = "LEVEL", description = "0.0..1.0, e.g. 0.4.")
        float level;

        @Override
        public Integer call() {
            return parent.post("/v1/sessions/" + encode(session) + "/volume",
                               JSON.createObjectNode().put("volume", level));
        }
    }

    @Command(name = "mute", mixinStandardHelpOptions = true,
            description = {"Mute a conversation participant, confirmed by reading it back.",
                    "The mute ends by itself after --for (default 2h, at most 2h).",
                    "Exit status: 0 muted, 1 rejected, 3 gateway or platform unavailable.", ""})
    static final class Mute implements Callable<Integer> {
        @ParentCommand
        CallCommand parent;

        @Mixin
        Participant who;

        @Option(names = "--for", paramLabel = "DURATION",
                description = "Unmute after this long, e.g. 90s, 10m, 2h (default: 2h).")
        @Nullable String duration;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail, e.g. pci.")
        @Nullable String reason;

        @Override
        public Integer call() {
            final ObjectNode body = JSON.createObjectNode().put("muted", true);
            if (duration != null) {
                final java.time.Duration d;
                try {
                    d = Durations.parse(duration);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(parent.spec.commandLine(),
                                                                     "--for: " + e.getMessage());
                }
                body.put("maxDurationSeconds", d.toSeconds());
            }
            if (reason != null) {
                body.put("reason", reason);
            }
            return parent.post(who.mutePath(), body);
        }
    }

    @Command(name = "unmute", mixinStandardHelpOptions = true,
            description = {"Unmute a conversation participant, confirmed by reading it back.",
                    "Exit status: 0 unmuted, 1 rejected, 3 gateway or platform unavailable.", ""})
    static final class Unmute implements Callable<Integer> {
        @ParentCommand
        CallCommand parent;

        @Mixin
        Participant who;

        @Override
        public Integer call() {
            return parent.post(who.mutePath(), JSON.createObjectNode().put("muted", false));
        }
    }

    /** The options that name a conversation participant. */
    static final class Participant {
        @Option(names = "--conversation", required = true, paramLabel = "ID", description = "Conversation id (UUID).")
        String conversation;

        @Option(names = "--participant", required = true, paramLabel = "ID", description = "Participant id (UUID).")
        String participant;

        String mutePath() {
            return "/v1/conversations/" + encode(conversation) + "/participants/" + encode(participant) + "/mute";
        }
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
