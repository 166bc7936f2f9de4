package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.ExceptionHandlerFunction;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;
import com.linecorp.armeria.server.annotation.Put;

import io.switchboard.compliance.dnc.DncList;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * The DNC store's admin API, under {@code /v1/dnc}: add, remove and check numbers, per-number
 * geographic rules, and statistics ({@link DncImportService} imports CSVs). Every change is
 * audited.
 *
 * <p>Numbers in a request are all validated before any is stored: one invalid number answers
 * 400 naming its index, and nothing changes.
 */
@Description("The gateway's own DNC lists: add, remove, check numbers, list the lists, store statistics and per-number geographic rules (/v1/dnc).")
public final class DncAdminService {

    private static final Logger logger = LoggerFactory.getLogger(DncAdminService.class);
    /** Writes answers; bodies are read by {@link RequestBodies}. */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most numbers a JSON request may carry. */
    static final int MAX_NUMBERS = 10_000;

    private final DncStore store;
    private final ListStore lists;
    private final Set<String> brands;
    private final java.time.Duration registryMaxAge;
    private final PhoneNumbers phoneNumbers;
    private final AuditTrail audit;
    private final Clock clock;

    /** Creates the API over {@code store} and the {@code lists} beside it; {@code brands} are the configured ones. */
    public DncAdminService(DncStore store, ListStore lists, Set<String> brands, java.time.Duration registryMaxAge,
                           PhoneNumbers phoneNumbers,
                           AuditTrail audit, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.lists = requireNonNull(lists, "lists");
        this.brands = Set.copyOf(brands);
        this.registryMaxAge = requireNonNull(registryMaxAge, "registryMaxAge");
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * {@code {"phoneNumbers": [...], "scope"?, "kind"?, "expiresAt"?, "refreshedAt"?}}: the list is
     * the global internal one (the seed's) unless said.
     */
    record Numbers(List<String> phoneNumbers, @Nullable String scope, @Nullable String kind,
                   @Nullable String expiresAt, @Nullable String refreshedAt) {}

    /** {@code {"allowed": false, "riskLevel": "high"}}. */
    record Rule(Boolean allowed, String riskLevel) {}

    /**
     * {@code POST /v1/dnc/numbers}: puts the numbers on a list ({@code scope}, {@code kind};
     * default the global internal list), until {@code expiresAt} if given; for a registry list,
     * {@code refreshedAt} records when its source was published.
     */
    @Description("Put numbers on a DNC list")
    @Post("/v1/dnc/numbers")
    public CompletableFuture<HttpResponse> add(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        final Numbers body = read(req, Numbers.class);
        final DncList list = DncList.named(body.scope(), body.kind(), brands);
        final Instant now = clock.instant();
        final Instant expiresAt = future("expiresAt", body.expiresAt(), now);
        final Instant refreshedAt = past("refreshedAt", body.refreshedAt(), now);
        if (refreshedAt != null && list.kind() != DncList.Kind.REGISTRY) {
            throw new InvalidArgumentException("refreshedAt", body.refreshedAt(), "only with kind registry");
        }
        final long[] numbers = normalise(body.phoneNumbers());
        return lists.add(list, numbers, expiresAt)
                    .thenCompose(added -> refreshedAt == null ? CompletableFuture.completedFuture(added)
                                                              : lists.refreshed(list, refreshedAt).thenApply(v -> added))
                    .thenApply(added -> {
                        audit(ctx, "dnc_add", "list=" + list.name() + " numbers=" + numbers.length + " added=" + added
                                              + (expiresAt == null ? "" : " expiresAt=" + expiresAt)
                                              + (refreshedAt == null ? "" : " refreshedAt=" + refreshedAt));
                        return json(fields("list", list.name(), "submitted", numbers.length, "added", added));
                    });
    }

    /**
     * {@code POST /v1/dnc/numbers/remove}: takes the numbers off a list. Opt-outs are not
     * removed this way: only {@code DELETE /v1/dnc/opt-outs/{number}} with a reason does.
     */
    @Description("Take numbers off a DNC list")
    @Post("/v1/dnc/numbers/remove")
    public CompletableFuture<HttpResponse> remove(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        final Numbers body = read(req, Numbers.class);
        final DncList list = DncList.named(body.scope(), body.kind(), brands);
        if (body.expiresAt() != null || body.refreshedAt() != null) {
            throw new InvalidArgumentException(body.expiresAt() != null ? "expiresAt" : "refreshedAt",
                                               "given", "only when adding numbers");
        }
        final long[] numbers = normalise(body.phoneNumbers());
        return lists.remove(list, numbers).thenApply(removed -> {
            audit(ctx, "dnc_remove", "list=" + list.name() + " numbers=" + numbers.length + " removed=" + removed);
            return json(fields("list", list.name(), "submitted", numbers.length, "removed", removed));
        });
    }

    /** Returns request field {@code field}, an instant after {@code now}, or null when absent. */
    static @Nullable Instant future(String field, @Nullable String value, Instant now) {
        final Instant at = instant(field, value);
        if (at != null && !at.isAfter(now)) {
            throw new InvalidArgumentException(field, value, "a time still to come (now is " + now + ')');
        }
        return at;
    }

    /** Returns request field {@code field}, an instant no later than {@code now}, or null when absent. */
    static @Nullable Instant past(String field, @Nullable String value, Instant now) {
        final Instant at = instant(field, value);
        if (at != null && at.isAfter(now)) {
            throw new InvalidArgumentException(field, value, "a time already past (now is " + now + ')');
        }
        return at;
    }

    /** Returns request field {@code field} as an instant, or null when absent. */
    static @Nullable Instant instant(String field, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidArgumentException(field, value, "an ISO-8601 instant, e.g. 2026-12-01T00:00:00Z");
        }
    }

    /**
     * {@code POST /v1/dnc/check}: whether each number is on the seed's list ({@code listed}), its
     * own geographic rule, and every list it is on, with each entry's expiry.
     */
    @Description("Look numbers up in the DNC store")
    @Post("/v1/dnc/check")
    public CompletableFuture<HttpResponse> check(AggregatedHttpRequest req) {
        final List<String> raw = read(req, Numbers.class).phoneNumbers();
        final long[] numbers = normalise(raw);
        return checkAnswer(store, lists, raw, numbers, clock.instant()).thenApply(DncAdminService::json);
    }

    /**
     * Looks {@code numbers} ({@code raw} as given) up on the seed's list and on every list of
     * {@code lists}, with each entry's expiry as of {@code now}: {@code POST /v1/dnc/check}'s
     * answer, also what {@code switchboard dnc check} shows when it reads the store itself.
     */
    public static CompletableFuture<Map<String, @Nullable Object>> checkAnswer(DncStore store, ListStore lists,
                                                                              List<String> raw, long[] numbers,
                                                                              Instant now) {
        final List<DncList> names = lists.lists().stream().map(ListStore.ListInfo::list).toList();
        return store.lookup(numbers).thenCombine(lists.contains(names, numbers), (found, on) -> {
            final List<long[]> hits = new ArrayList<>();
            for (boolean[] row : on) {
                final List<Long> h = new ArrayList<>();
                for (int i = 0; i < numbers.length; i++) {
                    if (row[i]) {
                        h.add(numbers[i]);
                    }
                }
                hits.add(h.stream().mapToLong(Long::longValue).toArray());
            }
            return lists.expiries(names, hits).thenApply(expiries -> {
                final List<Map<String, @Nullable Object>> results = new ArrayList<>();
                for (int i = 0; i < numbers.length; i++) {
                    final GeoRule rule = found.geoRules()[i];
                    final List<Map<String, @Nullable Object>> onLists = new ArrayList<>();
                    for (int l = 0; l < names.size(); l++) {
                        if (on[l][i]) {
                            final Instant end = expiries.get(l).get(numbers[i]);
                            onLists.add(fields("list", names.get(l).name(), "scope", names.get(l).scope(),
                                           "kind", names.get(l).kind().wire(),
                                           "expiresAt", end == null ? null : end.toString(),
                                           "expired", end != null && !end.isAfter(now)));
                        }
                    }
                    results.add(fields("phoneNumber", raw.get(i), "e164", PhoneNumbers.e164(numbers[i]),
                                       "listed", found.listed()[i],
                                       "geoRule", rule == null ? null : fields("allowed", rule.allowed(),
                                                                               "riskLevel", rule.riskLevel()),
                                       "lists", onLists));
                }
                return fields("results", results);
            });
        }).thenCompose(answer -> answer);
    }

    /**
     * {@code GET /v1/dnc/lists}: every list written to, with its size and, for a registry copy,
     * when its source was published and whether it is past {@code compliance.registryMaxAge}.
     */
    @Description("List the DNC lists")
    @Get("/v1/dnc/lists")
    public CompletableFuture<HttpResponse> lists() {
        final List<ListStore.ListInfo> known = lists.lists();
        final List<CompletableFuture<Long>> sizes = new ArrayList<>();
        known.forEach(i -> sizes.add(lists.size(i.list())));
        final Instant now = clock.instant();
        return CompletableFuture.allOf(sizes.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<Map<String, @Nullable Object>> out = new ArrayList<>();
            for (int i = 0; i < known.size(); i++) {
                final ListStore.ListInfo info = known.get(i);
                final Map<String, @Nullable Object> entry = fields("list", info.list().name(),
                                                                   "scope", info.list().scope(),
                                                                   "kind", info.list().kind().wire(),
                                                                   "numbers", sizes.get(i).join());
                if (info.list().kind() == DncList.Kind.REGISTRY) {
                    entry.put("refreshedAt", info.refreshedAt() == null ? null : info.refreshedAt().toString());
                    entry.put("stale", io.switchboard.compliance.scrub.DncListRule.staleAt(info, now, registryMaxAge));
                }
                out.add(entry);
            }
            return json(fields("lists", out));
        });
    }

    /** {@code GET /v1/dnc/stats}. */
    @Description("DNC store statistics")
    @Get("/v1/dnc/stats")
    public CompletableFuture<HttpResponse> stats() {
        return store.stats().thenApply(s -> json(statsAnswer(s)));
    }

    /** {@code GET /v1/dnc/stats}'s answer, also what {@code switchboard dnc stats} shows when it reads the store itself. */
    public static Map<String, @Nullable Object> statsAnswer(DncStore.Stats s) {
        return fields("store", s.kind(), "numbers", s.numbers(), "geoRules", s.geoRules(), "memoryBytes", s.memoryBytes(),
                      "bytesPerNumber", s.numbers() == 0 || s.memoryBytes() < 0 ? null
                                        : Math.round(s.memoryBytes() * 100.0 / s.numbers()) / 100.0);
    }

    /** {@code PUT /v1/dnc/geo-rules/{number}}: sets one number's geographic rule. */
    @Description("Set one number's geographic rule")
    @Put("/v1/dnc/geo-rules/{number}")
    public CompletableFuture<HttpResponse> putGeoRule(ServiceRequestContext ctx, @Param("number") String number,
                                                      AggregatedHttpRequest req) {
        final long e164 = phoneNumbers.toDigits("number", number);
        final Rule body = read(req, Rule.class);
        if (body.allowed() == null) {
            throw new InvalidArgumentException("allowed", InvalidArgumentException.MISSING, "true or false");
        }
        final GeoRule rule;
        try {
            rule = new GeoRule(body.allowed(), body.riskLevel() == null ? "unspecified" : body.riskLevel());
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("riskLevel", String.valueOf(body.riskLevel()),
                                               "1..32 of a-z 0-9 _, e.g. high");
        }
        return store.putGeoRule(e164, rule).thenApply(ignored -> {
            audit(ctx, "dnc_geo_rule_put", "allowed=" + rule.allowed() + " risk=" + rule.riskLevel());
            return json(fields("phoneNumber", PhoneNumbers.e164(e164), "allowed", rule.allowed(),
                               "riskLevel", rule.riskLevel()));
        });
    }

    /** {@code DELETE /v1/dnc/geo-rules/{number}}. */
    @Description("Remove one number's geographic rule")
    @Delete("/v1/dnc/geo-rules/{number}")
    public CompletableFuture<HttpResponse> removeGeoRule(ServiceRequestContext ctx, @Param("number") String number) {
        final long e164 = phoneNumbers.toDigits("number", number);
        return store.removeGeoRule(e164).thenApply(removed -> {
            audit(ctx, "dnc_geo_rule_remove", "removed=" + removed);
            return json(fields("phoneNumber", PhoneNumbers.e164(e164), "removed", removed));
        });
    }

    private long[] numbers(AggregatedHttpRequest req) {
        return normalise(read(req, Numbers.class).phoneNumbers());
    }

    private long[] normalise(@Nullable List<String> raw) {
        if (raw == null) {
            throw new InvalidArgumentException("phoneNumbers", InvalidArgumentException.MISSING, "an array of phone numbers");
        }
        if (raw.size() > MAX_NUMBERS) {
            throw new InvalidArgumentException("phoneNumbers", raw.size() + " numbers",
                                               "at most " + MAX_NUMBERS + " a request; import a CSV for more");
        }
        final long[] numbers = new long[raw.size()];
        for (int i = 0; i < numbers.length; i++) {
            final String n = raw.get(i);
            numbers[i] = phoneNumbers.toDigits("phoneNumbers[" + i + ']', n == null ? "" : n);
        }
        return numbers;
    }

    private static <T> T read(AggregatedHttpRequest req, Class<T> type) {
        return RequestBodies.read(req.content().array(), type);
    }

    /** Returns {@code keysAndValues} as a map that keeps their order. */
    static Map<String, @Nullable Object> fields(@Nullable Object... keysAndValues) {
        final Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static HttpResponse json(Object body) {
        return json(HttpStatus.OK, body);
    }

    static HttpResponse json(HttpStatus status, Object body) {
        try {
            return HttpResponse.of(status, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void audit(ServiceRequestContext ctx, String action, String detail) {
        audit(audit, clock, ctx, action, detail);
    }

    /** Appends a record of a change to the store (the trail reports one it cannot write). */
    static void audit(AuditTrail audit, Clock clock, @Nullable ServiceRequestContext ctx, String action, String detail) {
        audit.append(new AuditRecord(clock.instant(), "dnc_store", action, "OK", null, null, null, 0,
                                     ctx == null ? null : RequestIds.of(ctx), null,
                                     ctx == null ? null : Principal.of(ctx).name(), detail));
    }

    /**
     * Answers the admin API's failures that are not bad requests ({@link BadRequests} takes
     * those first) as JSON: an upload over the limit is 413; a store that cannot answer is 503,
     * since nothing was changed that the caller can rely on.
     */
    public static final class StoreFailures implements ExceptionHandlerFunction {
        @Override
        public HttpResponse handleException(ServiceRequestContext ctx, HttpRequest req, Throwable cause) {
            final Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause()
                                                                                                 : cause;
            if (c instanceof com.linecorp.armeria.common.ContentTooLargeException
                || c.getCause() instanceof com.linecorp.armeria.common.ContentTooLargeException) {
                return JsonErrorHandler.body(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                                             "the upload exceeds the " + ctx.maxRequestLength() + "-byte limit "
                                             + "(compliance.maxImportBytes)").toHttpResponse();
            }
            logger.warn("DNC admin {} failed", ctx.path(), c);
            return JsonErrorHandler.body(HttpStatus.SERVICE_UNAVAILABLE,
                                         "the DNC store could not complete the request: " + c.getClass().getSimpleName()
                                         + (c.getMessage() == null ? "" : ": " + ErrorMessages.describe(c)))
                                   .toHttpResponse();
        }
    }
}
