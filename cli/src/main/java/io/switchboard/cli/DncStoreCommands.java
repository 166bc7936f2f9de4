package io.switchboard.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.QueryParamsBuilder;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;

import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.gateway.DncStores;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.internal.DncAdminService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard dnc import|add|remove|check|stats}: the gateway's own DNC store, either
 * through a running gateway's admin API ({@code --gateway}) or straight in a data directory
 * that no gateway holds (the store's lock says so if one does).
 */
final class DncStoreCommands {

    /** Where the store is: a gateway, or a data directory. */
    static final class Access {
        @Option(names = "--gateway", paramLabel = "URL",
                description = "Go through this running gateway's admin API, e.g. http://127.0.0.1:8080. "
                              + "Without it, the store in the data directory is used directly.")
        @Nullable URI gateway;

        @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SWITCHBOARD_API_KEY}",
                description = "API key with dnc:read or dnc:write, if the gateway requires one "
                              + "(default: $SWITCHBOARD_API_KEY).")
        @Nullable String apiKey;

        @Mixin
        ConfigOptions configuration = new ConfigOptions();

        GatewayConfig load() {
            return configuration.load();
        }

        GatewayClient client(CommandSpec spec) {
            return new GatewayClient(gateway, apiKey, spec.commandLine().getErr());
        }

        /** Opens the store directly, or prints why not and returns null. */
        @Nullable DncStore open(GatewayConfig cfg, PrintWriter err) {
            try {
                return DncStores.open(cfg);
            } catch (IllegalStateException e) {
                err.println("switchboard: " + e.getMessage() + " (through a running gateway: --gateway URL)");
                return null;
            } catch (RuntimeException e) {
                err.println("switchboard: cannot open the DNC store: " + GatewayClient.rootMessage(e));
                return null;
            }
        }
    }

    /** Returns whether {@code file} starts with gzip's magic number. */
    static boolean gzip(Path file) throws java.io.IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            final byte[] magic = in.readNBytes(2);
            return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {
                    "Load a CSV of numbers into the gateway's own DNC store.",
                    "",
                    "The CSV is phone_number[,reason,source], or a registry's plain format:",
                    "one number a line, or area code and number (201,2345678). A header is",
                    "detected, extra columns are ignored, quoted fields are fine, and a",
                    "gzip-compressed file is read as its content. Every row is normalised to",
                    "E.164; invalid rows are listed with their line numbers and kept in a",
                    "rejects file beside the report. Directly, it resumes an interrupted",
                    "import of the same file (--restart starts over) and shows progress on a",
                    "terminal; through --gateway the file is streamed to POST /v1/dnc/import.",
                    "",
                    "A registry's monthly copy replaces its list whole with --replace: the new",
                    "version loads beside the current one, which scrubs go on using, and they",
                    "all switch to it once every row is in. Numbers that left the registry are",
                    "then gone. A run that fails or is interrupted leaves the current version,",
                    "and starts over when run again. A new version with no numbers, or with",
                    "fewer than half the current one's, is refused unless --allow-shrink.",
                    "",
                    "Exit status: 0 imported, 1 refused, 3 gateway or store unavailable.",
                    ""})
    static final class Import implements Callable<Integer> {
        @Mixin
        Access access;

        @Parameters(paramLabel = "FILE.csv", description = "The CSV file (or FILE.csv.gz).")
        Path file;

        @Option(names = "--restart", description = "Start over instead of resuming (directly only).")
        boolean restart;

        @Mixin
        ListOptions list = new ListOptions();

        @Option(names = "--refreshed-at", paramLabel = "INSTANT",
                description = "With --kind registry (required there): when the registry published this copy, "
                              + "e.g. 2026-11-15T00:00:00Z. A copy older than compliance.registryMaxAge blocks "
                              + "every number it judges.")
        @Nullable String refreshedAt;

        @Option(names = "--expires-at", paramLabel = "INSTANT",
                description = "When the imported entries stop blocking: an ISO date-time (2027-06-01T00:00Z) or a "
                              + "duration from now (90d); default never. An entry already on the list for good "
                              + "stays so.")
        @Nullable String expiresAt;

        @Option(names = "--replace",
                description = "With --kind registry: the file is the list's new version, which replaces the "
                              + "current one once every row is in (it starts over rather than resuming).")
        boolean replace;

        @Option(names = "--allow-shrink", description = DncCommand.Sync.ALLOW_SHRINK)
        boolean allowShrink;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                err.println("switchboard: " + file + ": no such file");
                return 2;
            }
            if (access.gateway == null) {
                final DncCommand.Sync sync = new DncCommand.Sync();
                sync.spec = spec;
                sync.source = file.toString();
                sync.to = "store";
                sync.restart = restart;
                sync.scope = list.scope;
                sync.kind = list.kind;
                sync.refreshedAt = refreshedAt;
                sync.expires = expiresAt;
                sync.replace = replace;
                sync.allowShrink = allowShrink;
                sync.configuration = access.configuration;
                return sync.call();
            }
            final GatewayClient client = access.client(spec);
            final QueryParamsBuilder query = QueryParams.builder();
            if (list.scope != null) {
                query.add("scope", list.scope);
            }
            if (list.kind != null) {
                query.add("kind", list.kind);
            }
            if (refreshedAt != null) {
                query.add("refreshedAt", refreshedAt);
            }
            if (expiresAt != null) {
                query.add("expiresAt", expiresAt);
            }
            if (replace) {
                query.add("replace", "true");
            }
            if (allowShrink) {
                query.add("allowShrink", "true");
            }
            final String path = "/v1/dnc/import" + (query.isEmpty() ? "" : "?" + query.toQueryString());
            final var builder = RequestHeaders.builder(HttpMethod.POST, path)
                                              .contentType(MediaType.CSV_UTF_8)
                                              .contentLength(Files.size(file));
            if (gzip(file)) {
                // Sent as it is; the gateway decompresses it.
                builder.set(com.linecorp.armeria.common.HttpHeaderNames.CONTENT_ENCODING, "gzip");
            }
            final RequestHeaders headers = builder.build();
            err.println("dnc import: sending " + file + " (" + Files.size(file) / 1024 + " KiB) to " + access.gateway);
            final JsonNode answer = client.send(HttpRequest.of(headers, StreamMessage.of(file)));
            if (answer == null) {
                return client.lastStatus();
            }
            out.printf(Locale.ROOT, "%s: %d rows, %d valid, %d rejected, %d duplicates%nreport: %s%nrejects: %s%n",
                       answer.path("status").asText(), answer.path("rows").asLong(), answer.path("valid").asLong(),
                       answer.path("invalid").asLong(), answer.path("duplicates").asLong(),
                       answer.path("report").asText(), answer.path("rejectsFile").asText());
            if (answer.path("replaced").asBoolean()) {
                out.println("list " + answer.path("list").asText() + ": replaced by this version");
            }
            for (JsonNode reject : answer.path("rejects")) {
                out.printf(Locale.ROOT, "  line %d: %s%n", reject.path("line").asLong(), reject.path("reason").asText());
            }
            if (answer.path("invalid").asLong() > answer.path("rejects").size()) {
                out.println("  ... the rest are in the rejects file (on the gateway's machine)");
            }
            return 0;
        }
    }

    /** What add and remove share. */
    abstract static class Change implements Callable<Integer> {
        @Mixin
        Access access;

        @Parameters(paramLabel = "NUMBER", arity = "1..*", description = "Phone numbers, in any usual format.")
        List<String> numbers;

        @Mixin
        ListOptions list = new ListOptions();

        @Spec
        CommandSpec spec;

        abstract boolean adding();

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final String verb = adding() ? "added" : "removed";
            if (access.gateway != null) {
                final GatewayClient client = access.client(spec);
                final JsonNode answer = client.send(HttpRequest.builder()
                        .post(adding() ? "/v1/dnc/numbers" : "/v1/dnc/numbers/remove")
                        .content(MediaType.JSON_UTF_8, list.body(numbers)).build());
                if (answer != null) {
                    out.printf(Locale.ROOT, "%s %d of %d numbers (%s)%n", verb, answer.path(verb).asLong(),
                               answer.path("submitted").asLong(), answer.path("list").asText());
                }
                return client.lastStatus();
            }
            final GatewayConfig cfg = access.load();
            final long[] digits = normalise(cfg, numbers, err);
            if (digits == null) {
                return GatewayClient.REJECTED;
            }
            final io.switchboard.compliance.dnc.DncList target;
            try {
                target = io.switchboard.compliance.dnc.DncList.named(list.scope, list.kind,
                                                                      cfg.compliance().brands().keySet());
            } catch (InvalidArgumentException e) {
                err.println("switchboard: --" + e.getMessage());
                return GatewayClient.REJECTED;
            }
            try (DncStore store = access.open(cfg, err)) {
                if (store == null) {
                    return GatewayClient.UNAVAILABLE;
                }
                try (ListStore lists = DncStores.lists(cfg, store)) {
                    final long changed = (adding() ? lists.add(target, digits, null)
                                                   : lists.remove(target, digits)).join();
                    out.printf(Locale.ROOT, "%s %d of %d numbers (%s)%n", verb, changed, digits.length, target.name());
                }
                return 0;
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add numbers to the gateway's own DNC store.",
                    "Every number is checked first: one invalid number changes nothing.", ""})
    static final class Add extends Change {
        @Override
        boolean adding() {
            return true;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove numbers from the gateway's own DNC store.",
                    "Every number is checked first: one invalid number changes nothing.", ""})
    static final class Remove extends Change {
        @Override
        boolean adding() {
            return false;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Say which of the gateway's own DNC lists each number is on (global,",
                    "campaign and brand lists of every kind, with expiries), and its own",
                    "geographic rule. (POST /validate judges the calling window, prefix rules",
                    "and caps too.)", ""})
    static final class Check implements Callable<Integer> {
        @Mixin
        Access access;

        @Mixin
        OutputFormat output;

        @Parameters(paramLabel = "NUMBER", arity = "1..*", description = "Phone numbers, in any usual format.")
        List<String> numbers;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            if (access.gateway != null) {
                final GatewayClient client = access.client(spec);
                final JsonNode answer = client.send(HttpRequest.builder().post("/v1/dnc/check")
                                                               .content(MediaType.JSON_UTF_8, numbersBody(numbers)).build());
                if (answer != null) {
                    show(out, answer);
                }
                return client.lastStatus();
            }
            final GatewayConfig cfg = access.load();
            final long[] digits = normalise(cfg, numbers, err);
            if (digits == null) {
                return GatewayClient.REJECTED;
            }
            try (DncStore store = access.open(cfg, err)) {
                if (store == null) {
                    return GatewayClient.UNAVAILABLE;
                }
                try (ListStore lists = DncStores.lists(cfg, store)) {
                    show(out, GatewayClient.JSON.valueToTree(
                            DncAdminService.checkAnswer(store, lists, numbers, digits, Instant.now()).join()));
                }
                return 0;
            }
        }

        /** Prints {@code POST /v1/dnc/check}'s answer: as it is with --output json, else a line a number. */
        private void show(PrintWriter out, JsonNode answer) {
            if (output.json()) {
                OutputFormat.print(out, answer);
                return;
            }
            for (JsonNode r : answer.path("results")) {
                final JsonNode rule = r.path("geoRule");
                final List<String> on = new ArrayList<>();
                for (JsonNode l : r.path("lists")) {
                    on.add(entry(l.path("list").asText(), l.path("expiresAt").isTextual()
                                                          ? Instant.parse(l.path("expiresAt").asText()) : null));
                }
                print(out, r.path("e164").asText(), on,
                      rule.isObject() ? new GeoRule(rule.path("allowed").asBoolean(), rule.path("riskLevel").asText())
                                      : null);
            }
        }

        private static String entry(String list, @Nullable Instant expiresAt) {
            return expiresAt == null ? list : list + (expiresAt.isAfter(Instant.now()) ? " until " : " expired ")
                                              + expiresAt;
        }

        private static void print(PrintWriter out, String e164, List<String> lists, @Nullable GeoRule rule) {
            out.printf(Locale.ROOT, "%-16s %s%s%n", e164, lists.isEmpty() ? "not listed" : "listed: "
                                                                                    + String.join(", ", lists),
                       rule == null ? "" : rule.allowed() ? ", geo rule: allowed (" + rule.riskLevel() + ')'
                                                          : ", geo rule: blocked (" + rule.reason() + ')');
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Show what the gateway's own DNC store holds.", ""})
    static final class Stats implements Callable<Integer> {
        @Mixin
        Access access;

        @Mixin
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            if (access.gateway != null) {
                final GatewayClient client = access.client(spec);
                final JsonNode answer = client.send(HttpRequest.of(HttpMethod.GET, "/v1/dnc/stats"));
                if (answer != null && output.json()) {
                    OutputFormat.print(out, answer);
                } else if (answer != null) {
                    print(out, answer.path("store").asText(), answer.path("numbers").asLong(),
                          answer.path("geoRules").asLong(), answer.path("memoryBytes").asLong());
                }
                return client.lastStatus();
            }
            try (DncStore store = access.open(access.load(), err)) {
                if (store == null) {
                    return GatewayClient.UNAVAILABLE;
                }
                final DncStore.Stats s = store.stats().join();
                if (output.json()) {
                    OutputFormat.print(out, GatewayClient.JSON.valueToTree(DncAdminService.statsAnswer(s)));
                } else {
                    print(out, s.kind(), s.numbers(), s.geoRules(), s.memoryBytes());
                }
                return 0;
            }
        }

        private static void print(PrintWriter out, String kind, long numbers, long rules, long bytes) {
            out.printf(Locale.ROOT, "store:     %s%nnumbers:   %,d%ngeo rules: %,d%nmemory:    %s%n", kind, numbers,
                       rules, bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%,d bytes%s", bytes,
                               numbers == 0 ? "" : String.format(Locale.ROOT, " (%.2f a number)",
                                                                 (double) bytes / numbers)));
        }
    }

    /** Which list: {@code --scope} and {@code --kind}. */
    static final class ListOptions {
        @Option(names = "--scope", paramLabel = "SCOPE",
                description = "The list's scope: global (default), campaign:<id> or brand:<name> (a brand of "
                              + "compliance.brands).")
        @Nullable String scope;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "internal (default; nothing overrides it) or registry (a national or state "
                              + "registry's copy, which recorded consent may override).")
        @Nullable String kind;

        /** Returns the admin API's body for {@code numbers} on this list. */
        String body(List<String> numbers) {
            final ObjectNode body = GatewayClient.JSON.createObjectNode();
            final ArrayNode list = body.putArray("phoneNumbers");
            numbers.forEach(list::add);
            if (scope != null) {
                body.put("scope", scope);
            }
            if (kind != null) {
                body.put("kind", kind);
            }
            return body.toString();
        }
    }

    /** Returns the admin API's body for {@code numbers}: {@code {"phoneNumbers": [...]}}. */
    private static String numbersBody(List<String> numbers) {
        final ObjectNode body = GatewayClient.JSON.createObjectNode();
        final ArrayNode list = body.putArray("phoneNumbers");
        numbers.forEach(list::add);
        return body.toString();
    }

    /** Returns the numbers' digits, or null after naming every invalid one. */
    private static long @Nullable [] normalise(GatewayConfig cfg, List<String> numbers, PrintWriter err) {
        final PhoneNumbers parser = new PhoneNumbers(cfg.compliance().defaultRegion());
        final long[] digits = new long[numbers.size()];
        final List<String> bad = new ArrayList<>();
        for (int i = 0; i < digits.length; i++) {
            try {
                digits[i] = parser.toDigits("NUMBER[" + (i + 1) + ']', numbers.get(i));
            } catch (InvalidArgumentException e) {
                bad.add(e.getMessage());
            }
        }
        if (!bad.isEmpty()) {
            bad.forEach(m -> err.println("switchboard: " + m));
            err.println("switchboard: nothing was changed");
            return null;
        }
        return digits;
    }

    private DncStoreCommands() {}
}
