package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.Post;

import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.dnc.StoreDncList;
import io.switchboard.compliance.sync.DncListSync;
import io.switchboard.compliance.sync.SyncReport;
import io.switchboard.compliance.sync.UploadSource;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * {@code POST /v1/dnc/import}: a CSV stream into the DNC store, through the same pipeline as
 * {@code dnc sync}: read as it arrives (an upload may be far larger than any request the gateway
 * buffers), every row normalised, valid rows stored in batches, invalid ones written to a
 * rejects file with their line numbers, a report beside it. Audited.
 */
@Description("Streams a CSV of numbers into a DNC list (POST /v1/dnc/import?scope=&kind=&expiresAt=&refreshedAt=).")
public final class DncImportService {

    /** How many rejected rows an import's answer lists; all of them are in its rejects file. */
    static final int REJECTS_SHOWN = 100;

    private final ListStore lists;
    private final java.util.Set<String> brands;
    private final PhoneNumbers phoneNumbers;
    private final AuditTrail audit;
    private final Clock clock;
    private final Path importDir;

    private final long maxRejectsBytes;

    /** Creates the service; imports keep their reports and rejects in {@code importDir}. */
    public DncImportService(ListStore lists, java.util.Set<String> brands, PhoneNumbers phoneNumbers, AuditTrail audit,
                            Clock clock, Path importDir, long maxRejectsBytes) {
        this.maxRejectsBytes = maxRejectsBytes;
        this.lists = requireNonNull(lists, "lists");
        this.brands = java.util.Set.copyOf(brands);
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
        this.importDir = requireNonNull(importDir, "importDir");
    }

    /**
     * {@code POST /v1/dnc/import[?scope=&kind=&expiresAt=&refreshedAt=&replace=]}: streams a CSV
     * ({@code phone_number[,reason,source]}, header optional) onto a list (default the global
     * internal one); answers the report and the first rejected rows. A registry list's import
     * must say when its source was published ({@code refreshedAt}), which is recorded once every
     * row is in. With {@code replace=true} a registry list's import is its new version, loaded
     * beside the current one and switched to once every row is in; one that fails leaves the
     * current version.
     */
    @Description("Stream a CSV of numbers onto a DNC list")
    @Post("/v1/dnc/import")
    @Blocking
    public HttpResponse importCsv(ServiceRequestContext ctx, HttpRequest req) throws IOException {
        // The upload may be far larger than any request the gateway buffers: it is read as it arrives.
        ctx.setRequestTimeout(java.time.Duration.ofHours(1));
        final String id = RequestIds.of(ctx);
        final io.switchboard.compliance.dnc.DncList list;
        final java.time.Instant expiresAt;
        final java.time.Instant refreshedAt;
        final boolean replace;
        final boolean allowShrink;
        try {
            list = io.switchboard.compliance.dnc.DncList.named(ctx.queryParam("scope"), ctx.queryParam("kind"), brands);
            expiresAt = DncAdminService.future("expiresAt", ctx.queryParam("expiresAt"), clock.instant());
            refreshedAt = refreshedAt(list, ctx.queryParam("refreshedAt"), clock.instant());
            replace = replace(list, ctx.queryParam("replace"), expiresAt);
            allowShrink = flag("allowShrink", ctx.queryParam("allowShrink"));
            if (allowShrink && !replace) {
                throw new io.switchboard.core.InvalidArgumentException("allowShrink", "true", "only with replace=true");
            }
        } catch (io.switchboard.core.InvalidArgumentException e) {
            return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, e.getMessage()).toHttpResponse();
        }
        final InputStream raw = req.toInputStream(o -> o instanceof HttpData d ? d : HttpData.empty());
        // A registry's copy may come compressed, as published: Content-Encoding: gzip.
        final boolean gzip = "gzip".equalsIgnoreCase(req.headers().get(com.linecorp.armeria.common.HttpHeaderNames.CONTENT_ENCODING));
        final InputStream body;
        try {
            body = gzip ? new java.util.zip.GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, "the body is not gzip (Content-Encoding: gzip): "
                                                                 + e.getMessage()).toHttpResponse();
        }
        final ListStore.Replacement replacement;
        try {
            replacement = replace ? lists.replace(list).join() : null;
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IllegalStateException busy) {
                return JsonErrorHandler.body(HttpStatus.CONFLICT, busy.getMessage()).toHttpResponse();
            }
            throw e;
        }
        final DncListSync sync;
        final SyncReport report;
        boolean committed = false;
        try {
            final StoreDncList target = replacement != null ? new StoreDncList(replacement)
                                                            : new StoreDncList(lists, list, expiresAt);
            sync = DncListSync.builder(new UploadSource(id, body, gzip ? -1 : req.headers().contentLength()), target,
                                       StoreDncList.ID, "store")
                              .phoneNumbers(phoneNumbers)
                              .batchSize(DncListSync.STORE_BATCH)
                              .maxRejectsBytes(maxRejectsBytes)
                              .workDir(importDir)
                              .restart(true)
                              .clock(clock)
                              .build();
            try {
                report = sync.run();
            } catch (DncListSync.SyncException e) {
                DncAdminService.audit(audit, clock, ctx, "dnc_import", "failed: " + e.getMessage()
                                                                       + (replace ? " (the current version stays)" : ""));
                return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, e.getMessage()).toHttpResponse();
            }
            if (replacement != null) {
                // completed: every row is in
                final String refused = ListStore.refusal(report.validRecords(), lists.size(list).join(), allowShrink);
                if (refused != null) {
                    DncAdminService.audit(audit, clock, ctx, "dnc_import", "refused: list=" + list.name() + ": "
                                                                           + refused);
                    return JsonErrorHandler.body(HttpStatus.CONFLICT, refused).toHttpResponse();
                }
                try {
                    replacement.commit(requireNonNull(refreshedAt, "refreshedAt")).join();
                    committed = true;
                } catch (java.util.concurrent.CompletionException e) {
                    if (!(e.getCause() instanceof IllegalStateException newer)) {
                        throw e;
                    }
                    DncAdminService.audit(audit, clock, ctx, "dnc_import", "failed: " + newer.getMessage());
                    return JsonErrorHandler.body(HttpStatus.CONFLICT, newer.getMessage()).toHttpResponse();
                }
            } else if (refreshedAt != null && report.status().equals("completed")) {
                lists.refreshed(list, refreshedAt).join();
            }
        } finally {
            if (replacement != null && !committed) {
                // Whatever stopped it; a version that may have been switched to is kept.
                replacement.abort();
            }
        }
        DncAdminService.audit(audit, clock, ctx, "dnc_import", "list=" + list.name() + (replace ? " replaced" : "")
                                 + (refreshedAt == null ? "" : " refreshedAt=" + refreshedAt)
                                 + (expiresAt == null ? "" : " expiresAt=" + expiresAt) + " rows=" + report.totalRecords() + " valid=" + report.validRecords() + " invalid="
                                 + report.invalidRecords() + " duplicates=" + report.duplicates());
        final Map<String, @Nullable Object> answer = DncAdminService.fields(
                "status", report.status(), "list", list.name(), "replaced", replace, "rows", report.totalRecords(), "valid", report.validRecords(),
                "invalid", report.invalidRecords(), "duplicates", report.duplicates(), "durationMs", report.durationMs(),
                "report", sync.reportFile().toString(), "rejectsFile", report.rejectsFile(),
                "rejects", firstRejects(Path.of(report.rejectsFile())),
                "rejectsShown", Math.min(report.invalidRecords(), REJECTS_SHOWN));
        return DncAdminService.json(answer);
    }

    /**
     * Returns whether the import replaces registry list {@code list} ({@code replace=true}); a
     * new version's entries do not expire, and only a registry list is replaced.
     *
     * @throws io.switchboard.core.InvalidArgumentException naming the field
     */
    static boolean replace(io.switchboard.compliance.dnc.DncList list, @Nullable String value,
                           java.time.@Nullable Instant expiresAt) {
        if (!flag("replace", value)) {
            return false;
        }
        if (list.kind() != io.switchboard.compliance.dnc.DncList.Kind.REGISTRY) {
            throw new io.switchboard.core.InvalidArgumentException("replace", value, "only with kind=registry: a "
                                                                                      + "registry list is replaced whole");
        }
        if (expiresAt != null) {
            throw new io.switchboard.core.InvalidArgumentException("expiresAt", expiresAt.toString(),
                                                                   "none with replace=true: a registry's entries do "
                                                                   + "not expire");
        }
        return true;
    }

    private static boolean flag(String field, @Nullable String value) {
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (!value.equals("true")) {
            throw new io.switchboard.core.InvalidArgumentException(field, value, "true or false");
        }
        return true;
    }

    /**
     * Returns the publication date of a registry import, which it must give; other lists take none.
     *
     * @throws io.switchboard.core.InvalidArgumentException naming the field
     */
    static java.time.@Nullable Instant refreshedAt(io.switchboard.compliance.dnc.DncList list, @Nullable String value,
                                                   java.time.Instant now) {
        final java.time.Instant at = DncAdminService.past("refreshedAt", value, now);
        if (list.kind() == io.switchboard.compliance.dnc.DncList.Kind.REGISTRY && at == null) {
            throw new io.switchboard.core.InvalidArgumentException(
                    "refreshedAt", io.switchboard.core.InvalidArgumentException.MISSING,
                    "when the registry published this copy, e.g. 2026-11-15T00:00:00Z: a registry copy older than "
                    + "compliance.registryMaxAge blocks every number it judges");
        }
        if (list.kind() != io.switchboard.compliance.dnc.DncList.Kind.REGISTRY && at != null) {
            throw new io.switchboard.core.InvalidArgumentException("refreshedAt", value, "only with kind=registry");
        }
        return at;
    }

    private static List<Map<String, @Nullable Object>> firstRejects(Path file) throws IOException {
        final List<Map<String, @Nullable Object>> rejects = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                                                 .parse(reader)) {
            for (CSVRecord r : parser) {
                if (rejects.size() == REJECTS_SHOWN) {
                    break;
                }
                rejects.add(DncAdminService.fields("line", Long.parseLong(r.get("line")), "phoneNumber", r.get("phone_number"),
                                   "reason", r.get("reason")));
            }
        }
        return rejects;
    }

}
