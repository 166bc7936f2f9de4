package io.switchboard.cli;

import static io.switchboard.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/** {@code switchboard scrub}: a contact file, counts by reason, and the suppressed rows beside it. */
class ScrubCommandTest {

    /** Tuesday 2026-12-01 20:30 in New York: after Florida's 20:00, before the federal 21:00. */
    private static final String EVENING_EAST = "2026-12-02T01:30:00Z";

    @TempDir
    Path dir;

    private Path contacts() throws Exception {
        final Path csv = dir.resolve("campaign.csv");
        Files.writeString(csv, """
                id,phone,state,note
                1,+13055550100,,Miami
                2,+12125550100,,listed in the store
                3,+12125550123,,New York
                4,+12125550124,FL,moved to Florida
                5,12,,typo
                6,+12125550125,ZZ,bad state
                """);
        return csv;
    }

    @Test
    void printsCountsByReasonAndWritesTheSuppressedRowsBesideTheFile() throws Exception {
        final String data = dir.resolve("data").toString();
        run(0, "dnc", "add", "+12125550100", "--data-dir", data);
        final Path csv = contacts();
        final String printed = run(0, "scrub", csv.toString(), "--at", EVENING_EAST, "--data-dir", data);
        assertThat(printed).contains("6 rows: 1 allowed, 5 suppressed")
                           .containsPattern("outside_calling_window +2")
                           .containsPattern("dnc_blacklist +1")
                           .containsPattern("invalid_number +1")
                           .containsPattern("invalid_contact +1")
                           .containsPattern("allowed +1");
        final String suppressed = Files.readString(dir.resolve("campaign.suppressed.csv"));
        assertThat(suppressed.lines().findFirst().orElseThrow())
                .isEqualTo("id,phone,state,note,reason,rule,jurisdiction,citation,nextAllowedAt,detail");
        assertThat(suppressed).contains("1,+13055550100,,Miami,outside_calling_window,US-FL-window,US-FL,")
                              .contains("4,+12125550124,FL,moved to Florida,outside_calling_window,US-FL-window")
                              .contains("2026-12-02T13:00:00Z")
                              .contains("2,+12125550100,,listed in the store,dnc_blacklist")
                              .contains("6,+12125550125,ZZ,bad state,invalid_contact")
                              .doesNotContain("3,+12125550123");
    }

    @Test
    void givesTheSameAnswersThroughAGateway() throws Exception {
        final Path data = dir.resolve("data");
        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(data)).start()) {
            final String url = gateway.uri().toString();
            run(0, "dnc", "add", "+12125550100", "--gateway", url);
            final Path out = dir.resolve("out.csv");
            final String printed = run(0, "scrub", contacts().toString(), "--at", EVENING_EAST, "--gateway", url,
                                       "--out", out.toString());
            assertThat(printed).contains("6 rows: 1 allowed, 5 suppressed").containsPattern("dnc_blacklist +1");
            assertThat(Files.readString(out)).contains("US-FL-window").contains("invalid_contact");
        }
    }

    @Test
    void aFileWithoutAPhoneColumnIsRefusedSayingWhatWasExpected() throws Exception {
        final Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "id,name\n1,Ann\n");
        assertThat(run(1, "scrub", csv.toString(), "--data-dir", dir.resolve("data").toString()))
                .contains("no phone column").contains("phoneNumber, phone_number or phone");
        assertThat(run(2, "scrub", csv.toString(), "--at", "tomorrow")).contains("--at: \"tomorrow\"");
    }
}
