package io.switchboard.compliance.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every state and province, judged at its windows' edges on a weekday, a Saturday, a Sunday, a
 * holiday, and the days after both DST changes, against verdicts worked out from the rule files
 * by {@code tools/generate-golden-calling-times.py}, which shares no code with the engine.
 */
class GoldenCallingTimesTest {

    private static final LegalTimes TIMES = LegalTimes.shipped();

    /** One jurisdiction's cases. */
    record Jurisdiction(String id, List<String[]> cases) {
        @Override
        public String toString() {
            return id;
        }
    }

    static Stream<Jurisdiction> jurisdictions() throws Exception {
        final java.util.Map<String, List<String[]>> byId = new java.util.TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GoldenCallingTimesTest.class.getResourceAsStream("golden-calling-times.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("#")) {
                    final String[] f = line.split(",");
                    byId.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
                }
            }
        }
        return byId.entrySet().stream().map(e -> new Jurisdiction(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jurisdictions")
    void eachCaseIsDecidedAsTheRuleFilesSay(Jurisdiction j) {
        final List<String> wrong = new ArrayList<>();
        for (String[] c : j.cases()) {
            final long number = Long.parseLong(c[1].substring(1));
            final Instant at = LocalDateTime.parse(c[2]).atZone(ZoneId.of(c[3])).toInstant();
            final LegalTimes.Verdict v = TIMES.judge(TIMES.place(number, null, null), CallContext.DEFAULT, at);
            final String expected = c[4];
            if (expected.equals("allowed")) {
                if (!v.allowed()) {
                    wrong.add(c[2] + " " + c[3] + ": blocked by " + v.rule().id() + ", expected allowed");
                }
                continue;
            }
            final Set<String> rules = new TreeSet<>(List.of(expected.substring("blocked:".length()).split("\\|")));
            if (v.allowed()) {
                wrong.add(c[2] + " " + c[3] + ": allowed, expected blocked by " + rules);
            } else if (!rules.contains(v.rule().id())) {
                wrong.add(c[2] + " " + c[3] + ": blocked by " + v.rule().id() + ", expected one of " + rules);
            }
        }
        assertThat(wrong).as(j.id() + " (" + j.cases().size() + " cases)").isEmpty();
        assertThat(j.cases()).as("cases").hasSizeGreaterThan(20);
    }

    @org.junit.jupiter.api.Test
    void everyStateAndProvinceHasCases() throws Exception {
        final Set<String> covered = new TreeSet<>();
        jurisdictions().forEach(j -> covered.add(j.id()));
        final Set<String> subdivisions = new TreeSet<>();
        RulePack.shipped().jurisdictions().keySet().stream().filter(id -> id.contains("-")).forEach(subdivisions::add);
        assertThat(covered).isEqualTo(subdivisions);
    }
}
