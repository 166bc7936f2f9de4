package io.switchboard.compliance.dnc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.io.AtomicFiles;

/**
 * Per-number geographic rules kept in one JSON file, in the layout of Redis's
 * {@code dnc:geo_rules} hash ({@code {"+14155552671": {"Allowed": false, "RiskLevel": "high"}}}),
 * so that the file can be loaded into Redis as it is. Every change rewrites the file atomically
 * ({@link AtomicFiles}). Thread-safe.
 */
final class GeoRuleFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, StoredGeoRule>> TYPE = new TypeReference<>() {};

    private final Path file;
    private volatile Map<Long, GeoRule> rules;

    private GeoRuleFile(Path file, Map<Long, GeoRule> rules) {
        this.file = file;
        this.rules = rules;
    }

    static GeoRuleFile open(Path file) throws IOException {
        final Map<Long, GeoRule> rules = new java.util.HashMap<>();
        if (Files.exists(file)) {
            final Map<String, StoredGeoRule> stored = JSON.readValue(file.toFile(), TYPE);
            for (Map.Entry<String, StoredGeoRule> e : stored.entrySet()) {
                rules.put(StoredGeoRule.digits(e.getKey()), e.getValue().toRule());
            }
        }
        return new GeoRuleFile(file, Map.copyOf(rules));
    }

    /** Returns each number's rule, or null, index by index. */
    @Nullable GeoRule[] get(long[] e164) {
        final Map<Long, GeoRule> current = rules;
        final GeoRule[] found = new GeoRule[e164.length];
        if (current.isEmpty()) {
            return found;
        }
        for (int i = 0; i < e164.length; i++) {
            found[i] = current.get(e164[i]);
        }
        return found;
    }

    synchronized void put(long e164, GeoRule rule) {
        final Map<Long, GeoRule> next = new java.util.HashMap<>(rules);
        next.put(e164, rule);
        write(next);
    }

    synchronized boolean remove(long e164) {
        if (!rules.containsKey(e164)) {
            return false;
        }
        final Map<Long, GeoRule> next = new java.util.HashMap<>(rules);
        next.remove(e164);
        write(next);
        return true;
    }

    int size() {
        return rules.size();
    }

    private void write(Map<Long, GeoRule> next) {
        final Map<String, StoredGeoRule> stored = new TreeMap<>();
        next.forEach((n, rule) -> stored.put("+" + n, StoredGeoRule.of(rule)));
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(stored));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        rules = Map.copyOf(next);
    }
}
