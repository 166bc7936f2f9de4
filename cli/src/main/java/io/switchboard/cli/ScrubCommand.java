package io.switchboard.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.rules.CallContext;
import io.switchboard.compliance.rules.Consent;
import io.switchboard.compliance.rules.DialMethod;
import io.switchboard.compliance.rules.Locator;
import io.switchboard.compliance.rules.Purpose;
import io.switchboard.compliance.rules.WireNames;
import io.switchboard.compliance.scrub.Contact;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.gateway.DncStores;
import io.switchboard.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard scrub FILE.csv}: a campaign's contact file through the same engine as
 * {@code /validate}, before launch: counts by reason on stdout, and the suppressed rows, with
 * their reasons, rules and next allowed times, in {@code FILE.suppressed.csv} beside it.
 */
@Command(name = "scrub", mixinStandardHelpOptions = true,
        description = {
                "Scrub a contact file as /validate would, before a campaign starts.",
                "",
                "FILE.csv has a header row with a phone column (phoneNumber, phone_number or",
                "phone) and optionally campaignId, contactId, zip, state, purpose, dialMethod",
                "(or dial_method), consentType, consentGrantedAt and consentExpiresAt (a",
                "revocation); other columns are kept as they are. Each row is judged against",
                "the DNC lists (its campaign's and brands' too), geographic rules, every",
                "calling rule that applies at --at (default now), and its campaign's frequency",
                "caps (counted, not reserved). Counts by reason go to stdout; the rows",
                "that may not be called go, with reason, rule, jurisdiction, citation and",
                "nextAllowedAt, to FILE.suppressed.csv (or --out). A row whose own fields are",
                "bad (an unknown state, say) is suppressed as invalid_contact, never allowed.",
                "",
                "Directly, the store in the data directory is used (no gateway may hold it);",
                "with --gateway URL the rows go to that gateway's /validate in batches.",
                "Exit status: 0 scrubbed, 1 refused, 2 usage, 3 gateway or store unavailable.",
                ""})
final class ScrubCommand implements Callable<Integer> {

    private static final int BATCH = 1000;

    @Mixin
    DncStoreCommands.Access access;

    @Parameters(paramLabel = "FILE.csv", description = "The contact file.")
    Path file;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "Judge calling times at this instant, e.g. 2026-12-05T15:00:00Z (default: now).")
    @Nullable String at;

    @Option(names = "--out", paramLabel = "FILE", description = "Where the suppressed rows go (default: FILE.suppressed.csv).")
    @Nullable Path out;

    @Option(names = "--purpose", paramLabel = "PURPOSE", defaultValue = "telephone_solicitation",
            description = "The calls' purpose where a row does not say: ${DEFAULT-VALUE}, debt_collection or informational.")
    String purpose;

    @Option(names = "--dial-method", paramLabel = "METHOD",
            description = "How the calls are placed where a row does not say: manual, automated or prerecorded "
                          + "(default: not said, so every rule applies).")
    @Nullable String dialMethod;

    @Spec
    CommandSpec spec;

    /** One row's verdict, however it was reached. */
    record Verdict(boolean blocked, String reason, String rule, String jurisdiction, String citation,
                   String nextAllowedAt, String detail) {}

    @Override
    public Integer call() throws IOException {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("switchboard: " + file + ": no such file");
            return 2;
        }
        final Instant when;
        final CallContext defaults;
        try {
            when = at == null ? Instant.now() : Instant.parse(at);
            defaults = new CallContext(purposeOf("--purpose", purpose, Purpose.TELEPHONE_SOLICITATION),
                                       methodOf("--dial-method", dialMethod, null), null);
        } catch (DateTimeParseException e) {
            err.println("switchboard: --at: \"" + at + "\" (expected: an ISO-8601 instant, e.g. 2026-12-05T15:00:00Z)");
            return 2;
        } catch (InvalidArgumentException e) {
            err.println("switchboard: " + e.getMessage());
            return 2;
        }
        final Path target = out != null ? out : suppressedBeside(file);
        if (access.gateway != null) {
            final GatewayClient client = access.client(spec);
            return run(stdout, err, target, when, defaults, batch -> viaGateway(client, batch, when),
                       () -> client.lastStatus());
        }
        final GatewayConfig cfg = access.load();
        try (DncStore store = access.open(cfg, err);
             ListStore lists = store == null ? null : DncStores.lists(cfg, store);
             FrequencyCaps caps = store == null ? null : DncStores.caps(cfg, java.time.Clock.systemUTC())) {
            if (store == null) {
                return GatewayClient.UNAVAILABLE;
            }
            final ScrubEngine engine = DncStores.engine(cfg, store, lists, caps);
            engine.rules(DncStores.overrides(cfg, engine.times().pack()).pack());
            try {
                err.println("scrub: rule pack " + engine.times().pack().version() + ", store "
                            + store.stats().join().kind() + ", judged at " + when);
                return run(stdout, err, target, when, defaults, batch -> direct(engine, batch, when, cfg), () -> 0);
            } catch (java.util.concurrent.CompletionException e) {
                err.println("switchboard: the DNC store did not answer: " + GatewayClient.rootMessage(e));
                return GatewayClient.UNAVAILABLE;
            }
        }
    }

    /** A batch of rows to judge. */
    private record Row(CSVRecord record, @Nullable Contact contact, @Nullable String problem) {}

    private interface Judge {
        @Nullable List<Verdict> judge(List<Row> rows);
    }

    private interface Status {
        int get();
    }

    private int run(PrintWriter stdout, PrintWriter err, Path target, Instant when, CallContext defaults, Judge judge,
                    Status failed) throws IOException {
        final Map<String, Long> byReason = new TreeMap<>();
        long rows = 0;
        long suppressed = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get()
                                              .parse(reader);
             BufferedWriter writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            final String phoneColumn = column(csv.getHeaderNames(), "phoneNumber", "phone_number", "phone");
            if (phoneColumn == null) {
                err.println("switchboard: " + file + ": no phone column in the header " + csv.getHeaderNames()
                            + " (expected: phoneNumber, phone_number or phone)");
                return 1;
            }
            final List<String> header = new ArrayList<>(csv.getHeaderNames());
            header.addAll(List.of("reason", "rule", "jurisdiction", "citation", "nextAllowedAt", "detail"));
            try (CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(
                    header.toArray(String[]::new)).get())) {
                final List<Row> batch = new ArrayList<>(BATCH);
                for (CSVRecord record : csv) {
                    batch.add(row(record, csv.getHeaderNames(), phoneColumn, defaults));
                    if (batch.size() == BATCH) {
                        final long[] counts = flush(batch, judge, printer, byReason);
                        if (counts == null) {
                            return failed.get();
                        }
                        rows += counts[0];
                        suppressed += counts[1];
                        if (rows % 100_000 == 0) {
                            err.println("scrub: " + rows + " rows");
                        }
                    }
                }
                final long[] counts = flush(batch, judge, printer, byReason);
                if (counts == null) {
                    return failed.get();
                }
                rows += counts[0];
                suppressed += counts[1];
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            err.println("switchboard: " + file + ": " + GatewayClient.rootMessage(e)
                        + " (expected: a CSV file with a header row)");
            return 1;
        }
        stdout.printf(Locale.ROOT, "%d rows: %d allowed, %d suppressed (judged at %s)%n", rows, rows - suppressed,
                      suppressed, when);
        byReason.forEach((reason, n) -> stdout.printf(Locale.ROOT, "  %-28s %d%n", reason, n));
        stdout.println("suppressed rows: " + target);
        return 0;
    }

    private static long @Nullable [] flush(List<Row> batch, Judge judge, CSVPrinter printer,
                                           Map<String, Long> byReason) throws IOException {
        if (batch.isEmpty()) {
            return new long[2];
        }
        final List<Verdict> verdicts = judge.judge(batch);
        if (verdicts == null) {
            return null;
        }
        long suppressed = 0;
        for (int i = 0; i < batch.size(); i++) {
            final Verdict v = verdicts.get(i);
            byReason.merge(v.reason(), 1L, Long::sum);
            if (v.blocked()) {
                suppressed++;
                final List<String> values = new ArrayList<>(batch.get(i).record().toList());
                values.addAll(List.of(v.reason(), v.rule(), v.jurisdiction(), v.citation(), v.nextAllowedAt(),
                                      v.detail()));
                printer.printRecord(values);
            }
        }
        final long[] counts = {batch.size(), suppressed};
        batch.clear();
        return counts;
    }

    private static Row row(CSVRecord r, List<String> header, String phoneColumn, CallContext defaults) {
        final String phone = r.isMapped(phoneColumn) && r.isSet(phoneColumn) ? r.get(phoneColumn) : null;
        try {
            final String zip = field(r, header, "zip");
            final String state = field(r, header, "state");
            // Checked here, as the API checks them, so that a bad row is reported, not the whole batch refused.
            if (zip != null) {
                Locator.shipped().ofZip("zip", zip);
            }
            if (state != null) {
                Locator.shipped().ofState("state", state);
            }
            final Purpose p = purposeOf("purpose", field(r, header, "purpose"), defaults.purpose());
            final DialMethod m = methodOf("dialMethod", field(r, header, "dialMethod", "dial_method"),
                                          defaults.dialMethod());
            Consent consent = null;
            final String type = field(r, header, "consentType", "consent_type");
            if (type != null) {
                final Consent.Type t = Consent.Type.of(type);
                if (t == null) {
                    throw new InvalidArgumentException("consentType", type, "one of " + Consent.Type.expected());
                }
                final String granted = field(r, header, "consentGrantedAt", "consent_granted_at");
                if (granted == null) {
                    throw new InvalidArgumentException("consentGrantedAt", InvalidArgumentException.MISSING,
                                                       "an ISO-8601 instant");
                }
                final String expires = field(r, header, "consentExpiresAt", "consent_expires_at");
                consent = new Consent(t, instant("consentGrantedAt", granted),
                                      expires == null ? null : instant("consentExpiresAt", expires));
            }
            return new Row(r, new Contact(phone, zip, state, new CallContext(p, m, consent),
                                          field(r, header, "campaignId", "campaign_id"),
                                          field(r, header, "contactId", "contact_id")), null);
        } catch (InvalidArgumentException e) {
            return new Row(r, null, e.getMessage());
        }
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException(field, value, "an ISO-8601 instant, e.g. 2026-01-15T00:00:00Z");
        }
    }

    private static @Nullable String field(CSVRecord r, List<String> header, String... names) {
        final String column = column(header, names);
        if (column == null || !r.isSet(column)) {
            return null;
        }
        final String value = r.get(column);
        return value.isEmpty() ? null : value;
    }

    private static @Nullable String column(List<String> header, String... names) {
        for (String name : names) {
            for (String h : header) {
                if (h.equalsIgnoreCase(name)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static List<Verdict> direct(ScrubEngine engine, List<Row> rows, Instant when, GatewayConfig cfg) {
        final List<Contact> contacts = new ArrayList<>();
        final List<Verdict> verdicts = new ArrayList<>();
        for (Row row : rows) {
            if (row.contact() != null) {
                contacts.add(row.contact());
            }
            verdicts.add(row.contact() != null ? null
                                               : new Verdict(true, "invalid_contact", "", "", "", "", row.problem()));
        }
        final ScrubEngine.Decision[] decisions = engine.scrubContacts(contacts, when, true,
                                                                      cfg.compliance().scrubTimeout()).join();
        int k = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i) == null) {
                final ScrubEngine.Decision d = decisions[k++];
                verdicts.set(i, new Verdict(d.blocked(), d.reason(), d.rule() == null ? "" : d.rule().id(),
                                            d.rule() == null || d.rule().jurisdiction() == null ? "" : d.rule().jurisdiction(),
                                            d.rule() == null ? "" : d.rule().citation(),
                                            d.nextAllowedAt() == null ? "" : d.nextAllowedAt().toString(),
                                            d.detail() == null ? "" : d.detail()));
            }
        }
        return verdicts;
    }

    private static @Nullable List<Verdict> viaGateway(GatewayClient client, List<Row> rows, Instant when) {
        final ArrayNode body = GatewayClient.JSON.createArrayNode();
        final List<Verdict> verdicts = new ArrayList<>();
        for (Row row : rows) {
            if (row.contact() == null) {
                verdicts.add(new Verdict(true, "invalid_contact", "", "", "", "", row.problem()));
                continue;
            }
            verdicts.add(null);
            final Contact c = row.contact();
            final ObjectNode o = body.addObject();
            o.put("phoneNumber", c.phoneNumber() == null ? "" : c.phoneNumber());
            if (c.campaignId() != null) {
                o.put("campaignId", c.campaignId());
            }
            if (c.contactId() != null) {
                o.put("contactId", c.contactId());
            }
            if (c.zip() != null) {
                o.put("zip", c.zip());
            }
            if (c.state() != null) {
                o.put("state", c.state());
            }
            o.put("purpose", c.call().purpose().wire());
            if (c.call().dialMethod() != null) {
                o.put("dialMethod", c.call().dialMethod().wire());
            }
            if (c.call().consent() != null) {
                final ObjectNode consent = o.putObject("consent").put("type", c.call().consent().type().wire())
                                            .put("grantedAt", c.call().consent().grantedAt().toString());
                if (c.call().consent().expiresAt() != null) {
                    consent.put("expiresAt", c.call().consent().expiresAt().toString());
                }
            }
        }
        final JsonNode answer = client.send(HttpRequest.builder().post("/validate?at=" + when)
                                                       .content(MediaType.JSON_UTF_8, body.toString()).build());
        if (answer == null) {
            return null;
        }
        int k = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            if (verdicts.get(i) == null) {
                final JsonNode d = answer.path("decisions").path(k++);
                verdicts.set(i, new Verdict(d.path("blocked").asBoolean(true), d.path("reason").asText(),
                                            d.path("rule").asText(""), d.path("jurisdiction").asText(""),
                                            d.path("citation").asText(""), d.path("nextAllowedAt").asText(""),
                                            d.path("detail").asText("")));
            }
        }
        return verdicts;
    }

    private static Purpose purposeOf(String name, @Nullable String value, Purpose otherwise) {
        return WireNames.parse(Purpose.class, name, value, otherwise);
    }

    private static @Nullable DialMethod methodOf(String name, @Nullable String value, @Nullable DialMethod otherwise) {
        return WireNames.parse(DialMethod.class, name, value, otherwise);
    }

    /** Returns {@code contacts.suppressed.csv} beside {@code contacts.csv}. */
    static Path suppressedBeside(Path file) {
        final String name = file.getFileName().toString();
        final String base = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return file.resolveSibling(base + ".suppressed.csv");
    }
}
