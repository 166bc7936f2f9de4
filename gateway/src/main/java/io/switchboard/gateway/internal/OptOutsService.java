package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;

import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.dnc.Records;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Opt-outs captured where they happen, under {@code /v1/dnc/opt-outs}: an agent's click, a bot, a
 * "press 9" in an IVR flow. An opt-out puts the number on its scope's opt-out list (consulted by
 * {@code /validate} at once), keeps who captured it and when, revokes the consents recorded in
 * its scope, and is audited. It is sticky: imports, syncs and {@code /v1/dnc/numbers/remove}
 * never touch opt-out lists; only {@code DELETE /v1/dnc/opt-outs/{number}} with a reason does.
 */
@Description("Opt-outs captured where they happen: recorded at once, sticky, audited; lifted only with a reason (/v1/dnc/opt-outs).")
public final class OptOutsService {

    /** What a source or reason may be: one line of text, no tabs. */
    static final Pattern TEXT = Pattern.compile("[^\\t\\r\\n]{1,256}");

    private final ListStore lists;
    private final Set<String> brands;
    private final PhoneNumbers phoneNumbers;
    private final AuditTrail audit;
    private final Clock clock;

    /** Creates the API over {@code lists}; {@code brands} are the configured ones. */
    public OptOutsService(ListStore lists, Set<String> brands, PhoneNumbers phoneNumbers, AuditTrail audit, Clock clock) {
        this.lists = requireNonNull(lists, "lists");
        this.brands = Set.copyOf(brands);
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
    }

    /** {@code {"phoneNumber", "scope"?, "source", "reason"?, "at"?}}. */
    record OptOut(String phoneNumber, @Nullable String scope, String source, @Nullable String reason,
                  @Nullable String at) {}

    /** {@code POST /v1/dnc/opt-outs}: records an opt-out; 201 with what was recorded. */
    @Description("Record an opt-out")
    @Post("/v1/dnc/opt-outs")
    public CompletableFuture<HttpResponse> optOut(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        final OptOut body = RequestBodies.read(req.content().array(), OptOut.class);
        if (body.phoneNumber() == null) {
            throw new InvalidArgumentException("phoneNumber", InvalidArgumentException.MISSING, "a phone number");
        }
        final long number = phoneNumbers.toDigits("phoneNumber", body.phoneNumber());
        final String scope = scope(body.scope(), brands);
        final String source = requireNonNull(text("source", body.source(), true));
        final String reason = text("reason", body.reason(), false);
        final Instant now = clock.instant();
        final Instant given = DncAdminService.past("at", body.at(), now.plusSeconds(60));
        final Instant at = given == null ? now : given;
        return record(ctx, number, scope, source, reason, at, now).thenApply(revoked -> DncAdminService.json(
                HttpStatus.CREATED,
                DncAdminService.fields("phoneNumber", PhoneNumbers.e164(number), "scope", scope,
                                       "list", new DncList(scope, DncList.Kind.OPT_OUT).name(), "source", source,
                                       "reason", reason, "at", at.toString(), "consentsRevoked", revoked)));
    }

    /**
     * Records an opt-out of {@code e164} in {@code scope}: on its list first (so that it blocks
     * even if what follows fails), then its record, without the scope's consents; audited.
     * Completes with how many consents were revoked.
     */
    CompletableFuture<Integer> record(@Nullable ServiceRequestContext ctx, long e164, String scope, String source,
                                      @Nullable String reason, Instant at, Instant now) {
        final DncList list = new DncList(scope, DncList.Kind.OPT_OUT);
        return lists.add(list, new long[] {e164}, null)
                    .thenCompose(added -> lists.records(new long[] {e164}))
                    .thenCompose(records -> {
                        final Map<String, @Nullable String> changes = new HashMap<>();
                        int revoked = 0;
                        for (String field : records.get(0).keySet()) {
                            if (Records.isConsentIn(field, scope)) {
                                changes.put(field, null);
                                revoked++;
                            }
                        }
                        changes.put(Records.optOutField(scope), Records.write(new Records.StoredOptOut(
                                scope, source, reason, at.toString(), now.toString())));
                        final int count = revoked;
                        return lists.changeRecords(e164, changes).thenApply(done -> count);
                    })
                    .thenApply(revoked -> {
                        DncAdminService.audit(audit, clock, ctx, "dnc_opt_out",
                                              PhoneNumbers.e164(e164) + " scope=" + scope + " source=" + source
                                              + (reason == null ? "" : " reason=" + reason) + " at=" + at
                                              + " consentsRevoked=" + revoked);
                        return revoked;
                    });
    }

    /** {@code GET /v1/dnc/opt-outs/{number}}: the number's opt-outs, scope by scope. */
    @Description("A number's opt-outs")
    @Get("/v1/dnc/opt-outs/{number}")
    public CompletableFuture<HttpResponse> optOuts(@Param("number") String raw) {
        final long number = phoneNumbers.toDigits("number", raw);
        return lists.records(new long[] {number}).thenApply(records -> {
            final List<Object> found = new ArrayList<>();
            records.get(0).forEach((field, json) -> {
                if (field.startsWith("opt_out|")) {
                    final Records.StoredOptOut o = Records.read(json, Records.StoredOptOut.class);
                    found.add(o != null ? o : DncAdminService.fields("scope", field.substring("opt_out|".length()),
                                                                     "unreadable", json));
                }
            });
            return DncAdminService.json(DncAdminService.fields("phoneNumber", PhoneNumbers.e164(number),
                                                               "optOuts", found));
        });
    }

    /**
     * {@code DELETE /v1/dnc/opt-outs/{number}?scope=&reason=}: withdraws an opt-out (the person
     * asked to be called again), saying why; audited. 404 when there is none in that scope.
     */
    @Description("Withdraw an opt-out")
    @Delete("/v1/dnc/opt-outs/{number}")
    public CompletableFuture<HttpResponse> withdraw(ServiceRequestContext ctx, @Param("number") String raw) {
        final long number = phoneNumbers.toDigits("number", raw);
        final String scope = scope(ctx.queryParam("scope"), brands);
        final String reason = requireNonNull(text("reason", ctx.queryParam("reason"), true));
        final DncList list = new DncList(scope, DncList.Kind.OPT_OUT);
        return lists.remove(list, new long[] {number}).thenCompose(removed -> {
            final Map<String, @Nullable String> changes = new HashMap<>();
            changes.put(Records.optOutField(scope), null);
            return lists.changeRecords(number, changes).thenApply(done -> removed);
        }).thenApply(removed -> {
            if (removed == 0) {
                return JsonErrorHandler.body(HttpStatus.NOT_FOUND, "phoneNumber: " + PhoneNumbers.e164(number)
                                                                   + " has no opt-out in scope " + scope
                                                                   + " (GET /v1/dnc/opt-outs/{number} lists them)")
                                       .toHttpResponse();
            }
            DncAdminService.audit(audit, clock, ctx, "dnc_opt_out_remove",
                                  PhoneNumbers.e164(number) + " scope=" + scope + " reason=" + reason);
            return DncAdminService.json(DncAdminService.fields("phoneNumber", PhoneNumbers.e164(number), "scope", scope,
                                                               "removed", true));
        });
    }

    /** Returns the scope request field {@code scope} names (default global); a brand must be configured. */
    static String scope(@Nullable String scope, Set<String> brands) {
        return DncList.named(scope, null, brands).scope();
    }

    /** Returns text field {@code field}: one line, at most 256 characters; null when optional and absent. */
    static @Nullable String text(String field, @Nullable String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new InvalidArgumentException(field, InvalidArgumentException.MISSING,
                                                   field.equals("source") ? "where it was captured, e.g. ivr or agent-desktop"
                                                                          : "one line saying why");
            }
            return null;
        }
        if (!TEXT.matcher(value).matches()) {
            throw new InvalidArgumentException(field, value.length() > 40 ? value.substring(0, 40) + "..." : value,
                                               "one line of at most 256 characters, no tabs");
        }
        return value;
    }
}
