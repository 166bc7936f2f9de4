package io.switchboard.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.client.ClientFactory;

import io.lettuce.core.AbstractRedisClient;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.compliance.dnc.StoreDncList;
import io.switchboard.compliance.sync.DncListSync;
import io.switchboard.compliance.sync.DncSource;
import io.switchboard.compliance.sync.FileSource;
import io.switchboard.compliance.sync.GzipSource;
import io.switchboard.compliance.sync.S3Source;
import io.switchboard.compliance.sync.SyncReport;
import io.switchboard.core.campaigns.DncListPort;
import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.gateway.DncStores;
import io.switchboard.gateway.Platforms;
import io.switchboard.platforms.Capability;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.platforms.genesys.GenesysPlatform;
import io.switchboard.core.Durations;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.sandbox.Sandbox;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** {@code switchboard dnc ...}: Do-Not-Call lists. */
@Command(name = "dnc",
        mixinStandardHelpOptions = true,
        description = {"Work with Do-Not-Call lists and the gateway's DNC store.",
                "sync streams a CSV into a platform list (or the store); import, add,",
                "remove, check and stats manage the gateway's own DNC store; migrate",
                "copies it on Redis from the legacy layout into the sharded one.", ""},
        subcommands = {DncCommand.Sync.class, DncStoreCommands.Import.class, DncStoreCommands.Add.class,
                DncStoreCommands.Remove.class, DncStoreCommands.Check.class, DncStoreCommands.Stats.class,
                DncMigrateCommand.class})
final class DncCommand {

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {
                    "Stream a DNC CSV, from a file or S3, into a Genesys Cloud DNC list or",
                    "the embedded DNC store.",
                    "",
                    "The CSV is phone_number,reason,source, or a registry's plain format: one",
                    "number a line, or area code and number (201,2345678). A header is",
                    "detected, extra columns are ignored, and a gzip-compressed file is read",
                    "as its content. Every row is normalised to E.164; invalid rows",
                    "go to a rejects file with their line and reason. A checkpoint after",
                    "every acknowledged batch lets an interrupted sync resume where it was",
                    "(the default); a source that changed since then is refused unless",
                    "--restart. The report is written beside the checkpoint.",
                    "Exit status: 0 completed, 1 stopped (see the report), 2 usage.",
                    ""})
    static final class Sync implements Callable<Integer> {

        @Option(names = "--source", required = true, paramLabel = "FILE|s3://BUCKET/KEY",
                description = "The CSV: a file, or an S3 object (standard AWS credential chain).")
        String source;

        @Option(names = "--s3-region", paramLabel = "REGION",
                description = "The S3 region (default: AWS_REGION, else AWS_DEFAULT_REGION).")
        @Nullable String s3Region;

        @Option(names = "--s3-endpoint", paramLabel = "URL",
                description = "An S3-compatible store's endpoint, instead of AWS's (path-style access).")
        @Nullable URI s3Endpoint;

        @Option(names = "--to", required = true, paramLabel = "genesys:LIST_ID|store",
                description = "A Genesys Cloud DNC list (an internal one), or the embedded DNC store in the "
                              + "data directory (no gateway may hold it).")
        String to;

        @Option(names = "--expires", paramLabel = "WHEN",
                description = "When the numbers leave the list: a duration (90d) or an ISO date-time "
                              + "(2027-01-31T00:00Z); at most 180 days ahead.")
        @Nullable String expires;

        @Option(names = "--scope", paramLabel = "SCOPE",
                description = "With --to store: the list's scope, global (default), campaign:<id> or brand:<name>.")
        @Nullable String scope;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "With --to store: internal (default; nothing overrides it) or registry (a national "
                              + "or state registry's copy, which recorded consent may override).")
        @Nullable String kind;

        @Option(names = "--refreshed-at", paramLabel = "INSTANT",
                description = "With --kind registry (required there): when the registry published this copy, "
                              + "e.g. 2026-11-15T00:00:00Z. A copy older than compliance.registryMaxAge blocks "
                              + "every number it judges.")
        @Nullable String refreshedAt;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + DncListSync.DEFAULT_BATCH_SIZE,
                description = "Numbers per request to a platform, 1..1000 (default: ${DEFAULT-VALUE}); the store "
                              + "takes 20,000 a batch.")
        int batchSize = DncListSync.DEFAULT_BATCH_SIZE;

        @Option(names = "--restart", description = "Start over instead of resuming from the checkpoint.")
        boolean restart;

        @Option(names = "--replace",
                description = "With --to store and --kind registry: the source is the list's new version, loaded "
                              + "beside the current one, which scrubs use until every row is in; then it replaces "
                              + "it whole. A failed or interrupted run leaves the current version (and starts over "
                              + "when run again).")
        boolean replace;

        /** What {@code --allow-shrink} does, for every command that has it. */
        static final String ALLOW_SHRINK = "With --replace: replace the list even if the new version holds fewer than "
                                           + "half the current one's numbers (refused otherwise: a truncated or wrong "
                                           + "file would make every number it lacks callable).";

        @Option(names = "--allow-shrink", description = ALLOW_SHRINK)
        boolean allowShrink;

        @Option(names = "--report", paramLabel = "FILE", description = "Where to write the report.")
        @Nullable Path report;

        @Mixin
        ConfigOptions configuration = new ConfigOptions();

        @Option(names = "--genesys-base-url", paramLabel = "URL",
                description = "A sandbox's base URL; client id and secret 'sandbox' unless credentials "
                              + "are configured.")
        @Nullable URI genesysBaseUrl;

        @Spec
        CommandSpec spec;

        /** The valid numbers of the last run, which a replacement loaded. */
        private long lastLoaded;

        @Override
        public Integer call() throws Exception {
            final boolean toStore = "store".equals(to);
            if (!toStore && (!to.startsWith("genesys:") || to.length() <= "genesys:".length())) {
                throw new ParameterException(spec.commandLine(),
                                             "--to: \"" + to + "\" (expected: genesys:<dncListId> or store)");
            }
            if (allowShrink && !replace) {
                throw new ParameterException(spec.commandLine(), "--allow-shrink: (expected: only with --replace)");
            }
            if (!toStore && (scope != null || kind != null || refreshedAt != null || replace)) {
                throw new ParameterException(spec.commandLine(), "--scope, --kind, --refreshed-at and --replace: "
                                                                 + "(expected: only with --to store)");
            }
            final Instant expiry = expiry();
            final GatewayConfig cfg = configuration.load();
            final Path root = cfg.dataDir();
            if (toStore) {
                final io.switchboard.compliance.dnc.DncList list;
                final Instant published;
                try {
                    list = io.switchboard.compliance.dnc.DncList.named(scope, kind, cfg.compliance().brands().keySet());
                } catch (InvalidArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
                }
                published = refreshedAt(list);
                if (replace && list.kind() != io.switchboard.compliance.dnc.DncList.Kind.REGISTRY) {
                    throw new ParameterException(spec.commandLine(), "--replace: (expected: only with --kind registry: "
                                                                     + "a registry list is replaced whole)");
                }
                if (replace && expiry != null) {
                    throw new ParameterException(spec.commandLine(), "--expires: (expected: none with --replace: a "
                                                                     + "registry's entries do not expire)");
                }
                final DncStore store;
                try {
                    store = DncStores.open(cfg);
                } catch (IllegalStateException e) {
                    spec.commandLine().getErr().println("switchboard: " + e.getMessage());
                    return 1;
                }
                try (store; ListStore lists = DncStores.lists(cfg, store)) {
                    if (replace) {
                        return replace(lists, list, requireNonNull(published, "published"), root, cfg);
                    }
                    final int status = run(new StoreDncList(lists, list, expiry), StoreDncList.ID, null,
                                           root.resolve("sync"), cfg);
                    if (status == 0 && published != null) {
                        lists.refreshed(list, published).join();
                        spec.commandLine().getOut().println("list " + list.name() + ": published " + published);
                    }
                    return status;
                }
            }
            final String listId = to.substring("genesys:".length());
            GenesysOptions g = cfg.genesys();
            if (genesysBaseUrl != null) {
                // A separate sandbox: its own client unless credentials are configured.
                g = g.withRegion(genesysBaseUrl.toString());
                if (!g.hasCredentials()) {
                    g = g.withClient(Sandbox.DEFAULT_CLIENT);
                }
            } else if (!g.hasCredentials()) {
                // Never the simulator's client against a real login host.
                throw new ParameterException(spec.commandLine(), "no Genesys Cloud credentials: set "
                                                                 + "GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (with "
                                                                 + "GENESYS_CLOUD_REGION), or --genesys-base-url for a "
                                                                 + "sandbox");
            }
            if (g.region() == null) {
                throw new ParameterException(spec.commandLine(), "no Genesys Cloud organisation: set "
                                                                 + "GENESYS_CLOUD_REGION, or --genesys-base-url for a sandbox");
            }
            final ClientFactory factory = ClientFactory.builder().build();
            final AbstractRedisClient redis = cfg.redis().endpoint() != null
                                              ? cfg.redis().endpoint().newClient(cfg.commandTimeout()) : null;
            try {
                final GenesysPlatform genesys;
                try {
                    // The Platform API alone: call control is not used here.
                    genesys = GenesysPlatform.connect(
                            g.withCallControl(GenesysOptions.CallControlApi.PLATFORM_API),
                            Platforms.context(cfg, Clock.systemUTC(), new CompositeMeterRegistry(), factory, redis));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                return run(genesys.port(Capability.DNC_LISTS).orElseThrow(), listId, expiry, root.resolve("sync"),
                           cfg);
            } finally {
                factory.close();
                if (redis != null) {
                    io.switchboard.core.redis.RedisEndpoint.shutdown(redis);
                }
            }
        }

        /** Loads a new version of {@code list} and puts it in place once every row is in; returns the exit status. */
        private int replace(ListStore lists, io.switchboard.compliance.dnc.DncList list, Instant published, Path root,
                            GatewayConfig cfg) throws Exception {
            final ListStore.Replacement replacement;
            try {
                replacement = lists.replace(list).join();
            } catch (java.util.concurrent.CompletionException e) {
                spec.commandLine().getErr().println("switchboard: " + message(e));
                return 1;
            }
            // A new version starts from the first row: what an earlier run loaded is gone with it.
            restart = true;
            boolean committed = false;
            try {
                final int status = run(new StoreDncList(replacement), StoreDncList.ID, null, root.resolve("sync"), cfg);
                if (status != 0) {
                    spec.commandLine().getErr().println("switchboard: list " + list.name()
                                                        + ": the current version stays in place");
                    return status;
                }
                final String refused = ListStore.refusal(lastLoaded, lists.size(list).join(), allowShrink);
                if (refused != null) {
                    spec.commandLine().getErr().println("switchboard: list " + list.name() + ": " + refused);
                    return 1;
                }
                final long loaded;
                try {
                    loaded = replacement.commit(published).join();
                } catch (java.util.concurrent.CompletionException e) {
                    spec.commandLine().getErr().println("switchboard: list " + list.name() + ": " + message(e));
                    return 1;
                }
                committed = true;
                spec.commandLine().getOut().println("list " + list.name() + ": replaced by a version of " + loaded
                                                    + " numbers, published " + published);
                return 0;
            } finally {
                if (!committed) {
                    replacement.abort().join();
                }
            }
        }

        private static String message(java.util.concurrent.CompletionException e) {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.getMessage() != null ? cause.getMessage() : cause.toString();
        }

        /** Returns {@code --refreshed-at}: required for a registry list, refused for others. */
        private @Nullable Instant refreshedAt(io.switchboard.compliance.dnc.DncList list) {
            final Instant at;
            try {
                at = refreshedAt == null ? null : Instant.parse(refreshedAt);
            } catch (java.time.format.DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), "--refreshed-at: \"" + refreshedAt
                                                                 + "\" (expected: an ISO-8601 instant, e.g. "
                                                                 + "2026-11-15T00:00:00Z)");
            }
            if (at != null && at.isAfter(Instant.now())) {
                throw new ParameterException(spec.commandLine(), "--refreshed-at: \"" + refreshedAt
                                                                 + "\" (expected: when the copy was published, not "
                                                                 + "a time still to come)");
            }
            if (list.kind() == io.switchboard.compliance.dnc.DncList.Kind.REGISTRY && at == null) {
                throw new ParameterException(spec.commandLine(), "--refreshed-at: missing (expected: with --kind "
                                                                 + "registry, when the registry published this copy)");
            }
            if (list.kind() != io.switchboard.compliance.dnc.DncList.Kind.REGISTRY && at != null) {
                throw new ParameterException(spec.commandLine(), "--refreshed-at: (expected: only with --kind registry)");
            }
            return at;
        }

        /** Runs the sync into {@code lists}, with a progress bar on a terminal; returns the exit status. */
        private int run(DncListPort lists, String listId, @Nullable Instant expiry, Path workDir, GatewayConfig cfg)
                throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            try {
                final DncSource file = GzipSource.detect(source.startsWith("s3://")
                                                         ? S3Source.of(URI.create(source), s3())
                                                         : new FileSource(Path.of(source)));
                final DncListSync.Builder builder =
                        DncListSync.builder(file, lists, listId, to)
                                   .phoneNumbers(new PhoneNumbers(cfg.compliance().defaultRegion()))
                                   .batchSize("store".equals(to) ? DncListSync.STORE_BATCH : batchSize)
                                   .maxRejectsBytes(cfg.compliance().maxRejectsBytes())
                                   .expires(expiry)
                                   .workDir(workDir)
                                   .reportFile(report)
                                   .restart(restart);
                final SyncReport result;
                final DncListSync sync;
                if (System.console() != null) {
                    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("dnc sync").setInitialMax(file.size())
                                                                   .setStyle(ProgressBarStyle.ASCII).setUnit(" KiB", 1024)
                                                                   .build()) {
                        sync = builder.progress((read, total, counts) -> {
                            bar.stepTo(Math.max(0, read));
                            bar.setExtraMessage(counts.validRecords() + " valid, " + counts.invalidRecords()
                                                + " rejected");
                        }, 1_000).build();
                        result = sync.run();
                    }
                } else {
                    sync = builder.progress((read, total, counts) -> err.printf(
                            Locale.ROOT, "dnc sync: %d rows read (%d valid, %d rejected, %d duplicates)%s%n",
                            counts.totalRecords(), counts.validRecords(), counts.invalidRecords(),
                            counts.duplicates(), total > 0 ? ", " + read * 100 / total + "%" : ""), 100_000).build();
                    result = sync.run();
                }
                out.printf(Locale.ROOT, "%s: %d rows, %d valid, %d rejected, %d duplicates, %d batches, %d sent again "
                                        + "(%.0f rows/s)%nreport: %s%nrejects: %s%n",
                           result.status(), result.totalRecords(), result.validRecords(), result.invalidRecords(),
                           result.duplicates(), result.successfulBatches(), result.sentAgain(),
                           result.ratePerSecond(), sync.reportFile(), result.rejectsFile());
                printRejects(out, Path.of(result.rejectsFile()), result.invalidRecords());
                lastLoaded = result.validRecords();
                return 0;
            } catch (DncListSync.SyncException e) {
                err.println("switchboard: dnc sync stopped: " + e.getMessage());
                return 1;
            }
        }

        /** Prints the first rejected rows with their lines; the rest are in the file. */
        private static void printRejects(PrintWriter out, Path file, long invalid) throws java.io.IOException {
            if (invalid == 0 || !java.nio.file.Files.exists(file)) {
                return;
            }
            final int shown = 10;
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(file);
                 org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder()
                         .setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                int n = 0;
                for (org.apache.commons.csv.CSVRecord r : parser) {
                    if (n++ == shown) {
                        out.println("  ... " + (invalid - shown) + " more in the rejects file");
                        break;
                    }
                    out.println("  line " + r.get("line") + ": " + r.get("reason"));
                }
            }
        }

        private S3Client s3() {
            final S3ClientBuilder builder = S3Client.builder()
                                                    // S3-compatible stores do not all speak the SDK's default
                                                    // flexible checksums; S3 itself needs them only on some calls.
                                                    .requestChecksumCalculation(
                                                            RequestChecksumCalculation.WHEN_REQUIRED)
                                                    .responseChecksumValidation(
                                                            ResponseChecksumValidation.WHEN_REQUIRED);
            // The region is resolved here, not by the SDK's chain, which would ask the EC2 metadata service.
            String region = s3Region;
            for (String variable : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
                if (region == null || region.isBlank()) {
                    region = System.getenv(variable);
                }
            }
            if (region == null || region.isBlank()) {
                throw new ParameterException(spec.commandLine(),
                                             "--s3-region: <missing> (expected: the bucket's region, e.g. us-east-1, "
                                             + "or AWS_REGION)");
            }
            builder.region(Region.of(region));
            if (s3Endpoint != null) {
                builder.endpointOverride(s3Endpoint).forcePathStyle(true);
            }
            return builder.build();
        }

        private @Nullable Instant expiry() {
            if (expires == null) {
                return null;
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(expires).toInstant();
            } catch (DateTimeParseException notADate) {
                try {
                    at = Instant.now().plus(Durations.parse(expires));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--expires: \"" + expires
                                                                     + "\" (expected: a duration such as 90d, or an ISO date-time)");
                }
            }
            if (!at.isAfter(Instant.now())) {
                throw new ParameterException(spec.commandLine(), "--expires: \"" + expires
                                                                 + "\" (expected: a time still to come)");
            }
            if (!"store".equals(to) && at.isAfter(Instant.now().plus(Duration.ofDays(180)))) {
                throw new ParameterException(spec.commandLine(), "--expires: \"" + expires
                                                                 + "\" (expected: at most 180 days ahead, Genesys Cloud's "
                                                                 + "limit)");
            }
            return at;
        }
    }
}
