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

import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.dnc.Records;
import io.switchboard.compliance.rules.Consent;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Consents and business relationships, under {@code /v1/consents}: what lets a number on a
 * registry list (never an internal list or an opt-out) be called in a scope. Prior express
 * written consent lasts until it is withdrawn or given an end; a business relationship ends 18
 * months after a purchase and 3 months after an inquiry unless an earlier end is given. One
 * consent per number, scope and type: recording it again replaces it. Audited.
 */
@Description("Prior express written consent and established business relationships that exempt a registry listing (/v1/consents).")
public final class ConsentsService {

    private static final Set<Consent.Type> ACCEPTED = Set.of(Consent.Type.PRIOR_EXPRESS_WRITTEN,
                                                             Consent.Type.EBR_PURCHASE, Consent.Type.EBR_INQUIRY);
    private static final String TYPES = "prior_express_written, ebr_purchase or ebr_inquiry";

    private final ListStore lists;
    private final Set<String> brands;
    private final PhoneNumbers phoneNumbers;
    private final AuditTrail audit;
    private final Clock clock;

    /** Creates the API over {@code lists}; {@code brands} are the configured ones. */
    public ConsentsService(ListStore lists, Set<String> brands, PhoneNumbers phoneNumbers, AuditTrail audit,
                           Clock clock) {
        this.lists = requireNonNull(lists, "lists");
        this.brands = Set.copyOf(brands);
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
    }

    /** {@code {"phoneNumber", "scope"?, "type", "grantedAt", "expiresAt"?, "source"}}. */
    record Given(String phoneNumber, @Nullable String scope, String type, String grantedAt, @Nullable String expiresAt,
                 String source) {}

    /** {@code POST /v1/consents}: records a consent; 201 with it and when it ends. */
    @Description("Record a consent or business relationship")
    @Post("/v1/consents")
    public CompletableFuture<HttpResponse> record(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        final Given body = RequestBodies.read(req.content().array(), Given.class);
        if (body.phoneNumber() == null) {
            throw new InvalidArgumentException("phoneNumber", InvalidArgumentException.MISSING, "a phone number");
        }
        final long number = phoneNumbers.toDigits("phoneNumber", body.phoneNumber());
        final String scope = OptOutsService.scope(body.scope(), brands);
        final Consent.Type type = body.type() == null ? null : Consent.Type.of(body.type());
        if (type == null || !ACCEPTED.contains(type)) {
            throw new InvalidArgumentException("type", body.type() == null ? InvalidArgumentException.MISSING : body.type(),
                                               TYPES + " (consent not in writing does not override a registry)");
        }
        final Instant grantedAt = DncAdminService.instant("grantedAt", body.grantedAt());
        if (grantedAt == null) {
            throw new InvalidArgumentException("grantedAt", InvalidArgumentException.MISSING,
                                               "when consent was given, or the purchase or inquiry, e.g. "
                                               + "2026-06-01T00:00:00Z");
        }
        final Instant expiresAt = DncAdminService.instant("expiresAt", body.expiresAt());
        if (expiresAt != null && !expiresAt.isAfter(grantedAt)) {
            throw new InvalidArgumentException("expiresAt", body.expiresAt(), "after grantedAt (" + grantedAt + ')');
        }
        final String source = requireNonNull(OptOutsService.text("source", body.source(), true));
        final Records.StoredConsent stored = new Records.StoredConsent(scope, type.wire(), grantedAt.toString(),
                                                                       expiresAt == null ? null : expiresAt.toString(),
                                                                       source, clock.instant().toString());
        final Map<String, @Nullable String> changes = new HashMap<>();
        changes.put(Records.consentField(scope, type), Records.write(stored));
        return lists.changeRecords(number, changes).thenApply(done -> {
            DncAdminService.audit(audit, clock, ctx, "consent_record",
                                  PhoneNumbers.e164(number) + " scope=" + scope + " type=" + type.wire()
                                  + " grantedAt=" + grantedAt + (expiresAt == null ? "" : " expiresAt=" + expiresAt)
                                  + " source=" + source);
            return DncAdminService.json(HttpStatus.CREATED, view(number, stored, clock.instant()));
        });
    }

    /** {@code GET /v1/consents/{number}}: the number's consents, each with when it ends and whether it is in force. */
    @Description("A number's consents")
    @Get("/v1/consents/{number}")
    public CompletableFuture<HttpResponse> consents(@Param("number") String raw) {
        final long number = phoneNumbers.toDigits("number", raw);
        final Instant now = clock.instant();
        return lists.records(new long[] {number}).thenApply(records -> {
            final List<Object> found = new ArrayList<>();
            records.get(0).forEach((field, json) -> {
                if (field.startsWith("consent|")) {
                    final Records.StoredConsent c = Records.read(json, Records.StoredConsent.class);
                    if (c != null) {
                        found.add(view(number, c, now));
                    }
                }
            });
            return DncAdminService.json(DncAdminService.fields("phoneNumber", PhoneNumbers.e164(number),
                                                               "consents", found));
        });
    }

    /** {@code DELETE /v1/consents/{number}?scope=&type=}: withdraws a consent; 404 when there is none. */
    @Description("Withdraw a consent")
    @Delete("/v1/consents/{number}")
    public CompletableFuture<HttpResponse> withdraw(ServiceRequestContext ctx, @Param("number") String raw) {
        final long number = phoneNumbers.toDigits("number", raw);
        final String scope = OptOutsService.scope(ctx.queryParam("scope"), brands);
        final String typeText = ctx.queryParam("type");
        final Consent.Type type = typeText == null ? null : Consent.Type.of(typeText);
        if (type == null || !ACCEPTED.contains(type)) {
            throw new InvalidArgumentException("type", typeText == null ? InvalidArgumentException.MISSING : typeText,
                                               TYPES);
        }
        final String field = Records.consentField(scope, type);
        return lists.records(new long[] {number}).thenCompose(records -> {
            if (!records.get(0).containsKey(field)) {
                return CompletableFuture.completedFuture(JsonErrorHandler.body(
                        HttpStatus.NOT_FOUND, "phoneNumber: " + PhoneNumbers.e164(number) + " has no " + type.wire()
                                              + " consent in scope " + scope).toHttpResponse());
            }
            final Map<String, @Nullable String> changes = new HashMap<>();
            changes.put(field, null);
            return lists.changeRecords(number, changes).thenApply(done -> {
                DncAdminService.audit(audit, clock, ctx, "consent_withdraw",
                                      PhoneNumbers.e164(number) + " scope=" + scope + " type=" + type.wire());
                return DncAdminService.json(DncAdminService.fields("phoneNumber", PhoneNumbers.e164(number),
                                                                   "scope", scope, "type", type.wire(),
                                                                   "removed", true));
            });
        });
    }

    private static Map<String, @Nullable Object> view(long number, Records.StoredConsent c, Instant now) {
        final Consent consent = c.consent();
        final Instant ends = consent.endsAt();
        return DncAdminService.fields("phoneNumber", PhoneNumbers.e164(number), "scope", c.scope(), "type", c.type(),
                                      "grantedAt", c.grantedAt(), "expiresAt", c.expiresAt(),
                                      "endsAt", ends.equals(Instant.MAX) ? null : ends.toString(),
                                      "inForce", !now.isBefore(consent.grantedAt()) && now.isBefore(ends),
                                      "source", c.source(), "recordedAt", c.recordedAt());
    }
}
