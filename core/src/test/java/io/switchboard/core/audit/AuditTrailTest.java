package io.switchboard.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AuditTrailTest {

    @TempDir
    Path dir;

    private static AuditRecord record(int i) {
        return new AuditRecord(Instant.parse("2026-11-21T10:00:00Z").plusSeconds(i), "call_control", "mute", "OK",
                               "conv-" + i, "part-" + i, null, 12, "req-" + i, "corr-" + i, "agent-desktop",
                               "muted=true");
    }

    private Path trailWith(int lines) {
        final Path file = dir.resolve("audit.jsonl");
        try (AuditTrail trail = AuditTrail.open(file)) {
            final List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 1; i <= lines; i++) {
                writes.add(trail.append(record(i)));
            }
            writes.forEach(CompletableFuture::join);
        }
        return file;
    }

    @Test
    void writesTheAuditFieldsChainedLineByLine() throws IOException {
        final Path file = trailWith(3);
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        final JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("event").asText()).isEqualTo("call_control");
        assertThat(first.get("conversation_id").asText()).isEqualTo("conv-1");
        assertThat(first.get("participant_id").asText()).isEqualTo("part-1");
        assertThat(first.get("action").asText()).isEqualTo("mute");
        assertThat(first.get("latency_ms").asLong()).isEqualTo(12);
        assertThat(first.get("timestamp").asText()).isEqualTo("2026-11-21T10:00:01Z");
        assertThat(first.get("status").asText()).isEqualTo("OK");
        assertThat(first.get("actor").asText()).isEqualTo("agent-desktop");
        assertThat(first.get("prev_hash").asText()).isEqualTo("0".repeat(64));
        final JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("prev_hash").asText()).isEqualTo(first.get("hash").asText());
        assertThat(AuditVerifier.verify(file).intact()).isTrue();
        assertThat(AuditVerifier.verify(file).lines()).isEqualTo(3);
    }

    @Test
    void concurrentAppendsAreAllWrittenAndTheChainHolds() throws Exception {
        final Path file = dir.resolve("audit.jsonl");
        try (AuditTrail trail = AuditTrail.open(file)) {
            final List<Thread> threads = new ArrayList<>();
            final List<CompletableFuture<Void>> writes = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                final int base = t * 250;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 250; i++) {
                        writes.add(trail.append(record(base + i)));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            writes.forEach(CompletableFuture::join);
        }
        assertThat(Files.readAllLines(file)).hasSize(2000);
        assertThat(AuditVerifier.verify(file).intact()).isTrue();
    }

    @Test
    void reopeningContinuesTheChain() throws IOException {
        final Path file = trailWith(2);
        try (AuditTrail trail = AuditTrail.open(file)) {
            trail.append(record(3)).join();
        }
        final AuditVerifier.Result result = AuditVerifier.verify(file);
        assertThat(result.intact()).isTrue();
        assertThat(result.lines()).isEqualTo(3);
    }

    @Test
    void anEditedLineIsNamed() throws IOException {
        final Path file = trailWith(4);
        final List<String> lines = Files.readAllLines(file);
        lines.set(2, lines.get(2).replace("\"status\":\"OK\"", "\"status\":\"NOT_FOUND\""));
        Files.write(file, lines);
        final AuditVerifier.Result result = AuditVerifier.verify(file);
        assertThat(result.intact()).isFalse();
        assertThat(result.brokenLine()).isEqualTo(3);
        assertThat(result.reason()).contains("edited");
    }

    @Test
    void aRemovedLineIsNamed() throws IOException {
        final Path file = trailWith(4);
        final List<String> lines = Files.readAllLines(file);
        lines.remove(1);
        Files.write(file, lines);
        final AuditVerifier.Result result = AuditVerifier.verify(file);
        assertThat(result.brokenLine()).isEqualTo(2);
        assertThat(result.reason()).contains("prev_hash");
    }

    @Test
    void aTornLastLineIsReportedAndTheTrailStillAppends() throws IOException {
        final Path file = trailWith(2);
        Files.writeString(file, "{\"timestamp\":\"2026-11-21T10:00", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(AuditVerifier.verify(file).brokenLine()).isEqualTo(3);
        try (AuditTrail trail = AuditTrail.open(file)) {
            trail.append(record(9)).join();
        }
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).contains("\"conversation_id\":\"conv-9\"");
        assertThat(AuditVerifier.verify(file).brokenLine()).as("the torn line stays visible").isEqualTo(3);
    }
}
