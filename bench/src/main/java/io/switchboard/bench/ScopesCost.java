package io.switchboard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Measures what DNC scopes and exemptions cost {@code POST /validate}: the same contacts, batches
 * of 1,000 with {@code inFlight} requests outstanding, sent to two gateways on copies of one
 * embedded store of {@code numbers} numbers, one with the seed's list alone and one with lists of
 * every scope and kind beside it (as {@code bench validate}'s fifth path has them: a global
 * registry copy holding a tenth of the batches' clean numbers, half of those with a business
 * relationship recorded for the campaign, the campaign's and its brand's internal lists, global
 * opt-outs).
 *
 * <p>Only these two gateways run, and they take turns in short legs, in pairs whose order
 * alternates (AB, BA, AB, ...), so that the machine's drift, which on a shared machine moves a
 * path's rate by 20 % from one minute to the next, falls on both alike. Each pair gives one cost,
 * {@code 1 - scoped / seed-only}; the median of the pairs is the figure, and the spread between
 * the quartiles says how far it can be trusted.
 *
 * <p>Usage: {@code ./switchboard bench scopes-cost [numbers] [pairs] [seconds] [inFlight]}; defaults
 * 10,000,000, 20, 3, 16. Prints a Markdown table for {@code docs/benchmarks.md}.
 */
public final class ScopesCost {

    public static void main(String[] args) throws Exception {
        final int numbers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        if (numbers < 1 || pairs < 1 || seconds < 1 || inFlight < 1) {
            System.err.println("usage: ./switchboard bench scopes-cost [numbers] [pairs] [seconds] [inFlight], each at "
                               + "least 1");
            System.exit(2);
        }

        final SplittableRandom random = new SplittableRandom(2026);
        final long[] areaCodes = UsNumbers.areaCodesInService(random, 300);
        final long[] listed = new long[100_000];
        final Path plainData = ValidateLoad.embeddedStore("switchboard-scopes-plain", numbers, areaCodes, random,
                                                          listed);
        final byte[][] bodies = ValidateLoad.bodies(listed, areaCodes, random);
        final Path scopedData = Files.createTempDirectory("switchboard-scopes-scoped");
        ValidateLoad.copy(plainData, scopedData);
        ValidateLoad.fillScopes(scopedData, bodies, areaCodes, random);

        final GatewayConfig base = GatewayConfig.defaults()
                                                .withServer(GatewayConfig.Server.defaults()
                                                                                .withAddress("127.0.0.1", 0));
        try (Gateway plain = Gateway.start(base.withDataDir(plainData));
             Gateway scoped = Gateway.start(base.withDataDir(scopedData).withCompliance(
                     GatewayConfig.Compliance.defaults().withBrands(Map.of("brand", List.of("bench")))));
             ClientFactory factory = ClientFactory.builder().build()) {
            final ValidateLoad.Target a = new ValidateLoad.Target(
                    WebClient.builder(plain.uri()).factory(factory).build(), bodies);
            final ValidateLoad.Target b = new ValidateLoad.Target(
                    WebClient.builder(scoped.uri()).factory(factory).build(), bodies);
            ValidateLoad.check("the seed's list alone", a);
            ValidateLoad.check("scopes and exemptions on", b);
            System.err.println("warming up: 10 s each, not counted...");
            a.run(10, inFlight);
            b.run(10, inFlight);
            a.reset();
            b.reset();

            final List<Double> costs = new ArrayList<>(pairs);
            for (int p = 0; p < pairs; p++) {
                final double seedOnly;
                final double withScopes;
                if (p % 2 == 0) {
                    seedOnly = a.run(seconds, inFlight);
                    withScopes = b.run(seconds, inFlight);
                } else {
                    withScopes = b.run(seconds, inFlight);
                    seedOnly = a.run(seconds, inFlight);
                }
                costs.add(100 * (1 - withScopes / seedOnly));
                System.err.printf(Locale.ROOT, "pair %d: seed's list alone %,.0f, scopes and exemptions on %,.0f "
                                               + "numbers/s: %.1f %%%n", p + 1, seedOnly, withScopes,
                                  costs.get(costs.size() - 1));
            }
            final List<Double> sorted = new ArrayList<>(costs);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "%n#### POST %s, batches of 1,000, %d in flight, %d pairs of %d s legs, "
                                           + "%,d numbers, JDK %s, %d cores%n%n", ValidateLoad.path(), inFlight,
                              pairs, seconds, numbers, Runtime.version(),
                              Runtime.getRuntime().availableProcessors());
            System.out.println("| path | numbers/s | requests | errors |");
            System.out.println("|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| the seed's list alone | %,.0f | %,d | %d |%n", a.rate(), a.requests.get(),
                              a.errors.get());
            System.out.printf(Locale.ROOT, "| scopes and exemptions on | %,.0f | %,d | %d |%n", b.rate(),
                              b.requests.get(), b.errors.get());
            System.out.printf(Locale.ROOT, "%ncost over the whole run: %.1f %%; pair by pair: median %.1f %%, "
                                           + "quartiles %.1f %% and %.1f %% (the goal: at most 15 %%)%n",
                              100 * (1 - b.rate() / a.rate()), quantile(sorted, 0.5), quantile(sorted, 0.25),
                              quantile(sorted, 0.75));
            System.out.printf(Locale.ROOT, "pairs: %s%n", costs.stream()
                                                             .map(c -> String.format(Locale.ROOT, "%.1f", c))
                                                             .toList());
        }
        BenchFiles.deleteTree(plainData);
        BenchFiles.deleteTree(scopedData);
        System.exit(0);
    }

    /** The {@code q} quantile of {@code sorted}, by linear interpolation between the nearest ranks. */
    private static double quantile(List<Double> sorted, double q) {
        final double at = q * (sorted.size() - 1);
        final int low = (int) Math.floor(at);
        final int high = (int) Math.ceil(at);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (at - low);
    }

    private ScopesCost() {}
}
