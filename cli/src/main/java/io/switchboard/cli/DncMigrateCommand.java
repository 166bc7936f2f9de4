package io.switchboard.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.compliance.dnc.RedisLayoutMigration;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard dnc migrate --to sharded}: copies the legacy Redis keys into the sharded layout. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
                "Copy the DNC lists on Redis from the legacy layout (the seed's keys,",
                "dnc:blacklist and dnc:geo_rules, and one SET a list) into the sharded",
                "layout (one compact SET per number prefix), on the same server.",
                "",
                "Every list, every entry's expiry and every geographic rule is copied, a",
                "page at a time (SSCAN, HSCAN), so Redis keeps serving; running it again",
                "is safe. It ends with each list's count in both layouts.",
                "",
                "Steps: run the gateways with SWITCHBOARD_REDIS_LAYOUT=dual (writes both,",
                "blocks a number either lists); run this; when every count matches, switch",
                "them to sharded. See docs/operations.md.",
                "Exit status: 0 copied and every count matches, 1 a count differs or the",
                "setting is wrong, 3 Redis unavailable.",
                ""})
final class DncMigrateCommand implements Callable<Integer> {

    @Option(names = "--to", required = true, paramLabel = "LAYOUT",
            description = "The layout to copy into: sharded (the only one).")
    String to;

    @Mixin
    ConfigOptions configuration = new ConfigOptions();

    @Mixin
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!"sharded".equals(to)) {
            err.println("switchboard: --to " + to + " (expected: sharded)");
            return 1;
        }
        final GatewayConfig cfg = configuration.load();
        final RedisEndpoint endpoint = cfg.redis().endpoint();
        if (endpoint == null) {
            err.println("switchboard: no Redis is configured: set SWITCHBOARD_REDIS_URL (redis.url) to the server "
                        + "that holds the legacy keys");
            return 1;
        }
        if (endpoint.cluster()) {
            err.println("switchboard: redis.url names a cluster; the legacy layout is kept on one server, and the copy "
                        + "is made on that server");
            return 1;
        }
        final RedisLayoutMigration.Report report;
        final long[] lastShown = {0};
        try (RedisEndpoint.Connection connection = endpoint.connect(cfg.compliance().scrubTimeout())) {
            report = new RedisLayoutMigration(connection, line -> {
                final long now = System.nanoTime();
                if (now - lastShown[0] > 1_000_000_000L) {
                    lastShown[0] = now;
                    err.println("  " + line);
                    err.flush();
                }
            }).toSharded();
        } catch (RuntimeException e) {
            err.println("switchboard: Redis at " + endpoint.redacted() + " cannot be used: "
                        + GatewayClient.rootMessage(e));
            return GatewayClient.UNAVAILABLE;
        }
        if (output.json()) {
            final ObjectNode answer = GatewayClient.JSON.createObjectNode();
            answer.put("matches", report.matches());
            final ArrayNode counts = answer.putArray("counts");
            report.counts().forEach(c -> counts.addObject().put("list", c.what()).put("legacy", c.legacy())
                                                .put("sharded", c.sharded()).put("unreadable", c.unreadable()));
            OutputFormat.print(out, answer);
        } else {
            out.printf(Locale.ROOT, "%-40s %15s %15s  %s%n", "list", "legacy", "sharded", "");
            for (RedisLayoutMigration.Count c : report.counts()) {
                out.printf(Locale.ROOT, "%-40s %,15d %,15d  %s%n", c.what(), c.legacy(), c.sharded(),
                           (c.matches() ? "ok" : "DIFFERS")
                           + (c.unreadable() == 0 ? "" : ", " + c.unreadable() + " members not E.164, not copied"));
            }
            out.println(report.matches() ? "every count matches: the gateways may switch to SWITCHBOARD_REDIS_LAYOUT=sharded"
                                         : "a count differs: see docs/operations.md before switching layouts");
        }
        return report.matches() ? 0 : 1;
    }
}
