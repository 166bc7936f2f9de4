package io.switchboard.core.audit;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks an audit trail's hash chain: every line must carry the hash of the line before it
 * and a hash of its own text that matches. Reads the file in one pass, in constant memory.
 */
public final class AuditVerifier {

    private static final Pattern HASH_SUFFIX = Pattern.compile(",\"hash\":\"([0-9a-f]{64})\"}$");

    /**
     * The outcome of a verification.
     *
     * @param lines the lines checked
     * @param brokenLine the first line that breaks the chain (1-based), or 0 if none does
     * @param reason why that line breaks it
     */
    public record Result(long lines, long brokenLine, String reason) {
        /** Returns whether the whole chain holds. */
        public boolean intact() {
            return brokenLine == 0;
        }
    }

    /** Verifies the trail at {@code file}. */
    public static Result verify(Path file) throws IOException {
        requireNonNull(file, "file");
        String previous = AuditTrail.GENESIS;
        long number = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                final Matcher m = HASH_SUFFIX.matcher(line);
                if (!m.find()) {
                    return new Result(number, number, "no hash at the end of the line (torn or edited)");
                }
                final String body = line.substring(0, m.start()) + '}';
                final JsonNode node;
                try {
                    node = AuditTrail.JSON.readTree(body);
                } catch (IOException e) {
                    return new Result(number, number, "not a JSON object");
                }
                final String prev = node.path("prev_hash").asText("");
                if (!prev.equals(previous)) {
                    return new Result(number, number, "prev_hash does not match line " + (number - 1)
                                                      + "'s hash (a line was removed, inserted or reordered)");
                }
                if (!AuditTrail.sha256(body).equals(m.group(1))) {
                    return new Result(number, number, "the line's content does not match its hash (it was edited)");
                }
                previous = m.group(1);
            }
        }
        return new Result(number, 0, "");
    }

    private AuditVerifier() {}
}
