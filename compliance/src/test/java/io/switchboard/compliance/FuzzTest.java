package io.switchboard.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.StoreDncList;
import io.switchboard.compliance.rules.RuleFiles;
import io.switchboard.compliance.sync.DncListSync;
import io.switchboard.compliance.sync.FileSource;
import io.switchboard.compliance.sync.SyncReport;
import io.switchboard.core.yaml.YamlProblem;

/**
 * Fuzzing compliance's parsers of outside input: DNC CSV files (imports and syncs) and rule files.
 * A CSV is stored with a report that accounts for every row, or stopped with a message naming
 * its line; a rule file is read or refused naming its line and field; nothing else comes out.
 */
class FuzzTest {

    private static Path dir;
    private static EmbeddedDncStore store;

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("switchboard-fuzz");
        store = EmbeddedDncStore.open(dir.resolve("dnc"));
    }

    @AfterContainer
    static void close() {
        store.close();
    }

    private static int run;

    @Property
    void aCsvIsStoredWithAReportOfEveryRowOrStoppedNamingItsLine(@ForAll("csvLike") String csv) throws Exception {
        final Path file = dir.resolve("in-" + (++run) + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        final DncListSync sync = DncListSync.builder(new FileSource(file), new StoreDncList(store), StoreDncList.ID,
                                                     "store")
                                            .workDir(dir.resolve("work-" + run)).batchSize(7).build();
        try {
            final SyncReport report = sync.run();
            assertThat(report.validRecords() + report.invalidRecords() + report.duplicates())
                    .as("every row accounted for: %s", report).isEqualTo(report.totalRecords());
            assertThat(report.skippedRecords()).isEqualTo(report.invalidRecords() + report.duplicates());
        } catch (DncListSync.SyncException e) {
            assertThat(e.getMessage()).startsWith("line ").contains("stored");
        }
    }

    @Provide
    Arbitrary<String> csvLike() {
        final Arbitrary<String> row = Arbitraries.oneOf(
                Arbitraries.of("+14155552671", "(415) 555-2672", "4155552673,opt-out,web", "\"+14155552674\",a,b",
                               "not-a-number", "", ",,,", "\"unbalanced", "a\"b", "\"\"\"", "+1415555267１",
                               "\ufeffphone_number", "phone_number,reason,source"),
                Arbitraries.strings().withChars("+0123456789,\" -()\r\tab").ofMaxLength(30));
        return row.list().ofMaxSize(40).map(rows -> "phone_number,reason,source\n" + String.join("\n", rows));
    }

    @Property
    void aRuleFileIsReadOrRefusedNamingLineAndField(@ForAll("ruleFileLike") String yaml) {
        try {
            RuleFiles.read("rules/US-XX.yaml", yaml);
        } catch (YamlProblem e) {
            assertThat(e.line()).isPositive();
            assertThat(e.field()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> ruleFileLike() {
        final String valid = """
                jurisdiction: US-XX
                name: Test
                checked: 2026-11-29
                holidays:
                  - {name: Day, rule: third monday of january, observed: true}
                rules:
                  - id: US-XX-window
                    summary: a window
                    purposes: [telephone_solicitation]
                    dialMethods: [automated]
                    exemptWith: [ebr]
                    zone: "-06:00"
                    hours: {mon-fri: "09:00-18:00", sat: "10:00-17:00", sun: none, holiday: none}
                    zips: ["365"]
                    effective: {from: 2026-01-01, until: 2027-01-01}
                    citation: Test 1
                    url: https://example.org/
                    confidence: H
                """;
        final List<String> lines = valid.lines().toList();
        final Arbitrary<String> dropped = Arbitraries.integers().between(0, lines.size() - 1).map(i -> {
            final java.util.ArrayList<String> l = new java.util.ArrayList<>(lines);
            l.remove((int) i);
            return String.join("\n", l);
        });
        final Arbitrary<String> replaced = Arbitraries.integers().between(0, valid.length() - 1).flatMap(
                i -> Arbitraries.of(':', '-', '[', ']', '{', '}', '"', ' ', '\n', '0', '9', 'x', ',').map(
                        c -> valid.substring(0, i) + c + valid.substring(i + 1)));
        final Arbitrary<String> values = Arbitraries.of("25:00-26:00", "09:00-08:00", "24:00-24:00", "fifth monday of may",
                                                        "easter+999", "02-30", "2026-02-29", "America/Nowhere",
                                                        "+99:00", "L", "ftp://x").map(v -> valid.replace("09:00-18:00", v)
                                                                                                 .replace("third monday of january", v));
        return Arbitraries.oneOf(dropped, replaced, values, Arbitraries.strings().all().ofMaxLength(100));
    }
}
