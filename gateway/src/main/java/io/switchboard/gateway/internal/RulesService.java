package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;

import io.switchboard.compliance.rules.CallingRule;
import io.switchboard.compliance.rules.DayHours;
import io.switchboard.compliance.rules.Jurisdiction;
import io.switchboard.compliance.rules.RuleOverrides;
import io.switchboard.compliance.rules.RulePack;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.core.audit.AuditRecord;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.yaml.YamlProblem;

/**
 * The calling rules' API, under {@code /v1/rules}: the rule pack in force (every jurisdiction,
 * rule and source), and dated overrides declared at run time (an emergency ban, a proclaimed
 * holiday), kept in the data directory and audited. An override takes effect for the next
 * request.
 */
@Description("The calling rules in force (the rule pack with the operator's files) and dated overrides declared at run time (/v1/rules).")
public final class RulesService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScrubEngine engine;
    private final RuleOverrides overrides;
    private final AuditTrail audit;
    private final Clock clock;

    /** Creates the API; {@code overrides} hold the rules declared at run time. */
    public RulesService(ScrubEngine engine, RuleOverrides overrides, AuditTrail audit, Clock clock) {
        this.engine = requireNonNull(engine, "engine");
        this.overrides = requireNonNull(overrides, "overrides");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
    }

    /** {@code GET /v1/rules}: the pack's version and every jurisdiction with its rules and sources. */
    @Description("The rule pack in force")
    @Get("/v1/rules")
    public HttpResponse pack() {
        final RulePack pack = engine.times().pack();
        final List<Object> jurisdictions = new ArrayList<>();
        for (Jurisdiction j : pack.jurisdictions().values()) {
            jurisdictions.add(jurisdiction(j));
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", pack.version());
        body.put("replacedByOperator", pack.replaced());
        body.put("jurisdictions", jurisdictions);
        return json(HttpStatus.OK, body);
    }

    /** {@code GET /v1/rules/{jurisdiction}}: one jurisdiction. */
    @Description("One jurisdiction's rules")
    @Get("/v1/rules/{jurisdiction}")
    public HttpResponse one(@Param("jurisdiction") String id) {
        final Jurisdiction j = engine.times().pack().jurisdiction(id.toUpperCase(Locale.ROOT));
        if (j == null) {
            return JsonErrorHandler.body(HttpStatus.NOT_FOUND, "jurisdiction: \"" + id + "\" (expected: one of the "
                                                               + "rule pack's, e.g. US-FL or CA-ON; GET /v1/rules "
                                                               + "lists them)").toHttpResponse();
        }
        return json(HttpStatus.OK, jurisdiction(j));
    }

    /** {@code GET /v1/rules/overrides}: the rules declared at run time. */
    @Description("The rules declared at run time")
    @Get("/v1/rules/overrides")
    public HttpResponse overrides() {
        final List<Object> all = new ArrayList<>();
        overrides.list().forEach(d -> all.add(rule(d.rule())));
        return json(HttpStatus.OK, Map.of("overrides", all));
    }

    /** {@code POST /v1/rules/overrides}: declares a dated rule; 201 with the rule as read. */
    @Description("Declare a dated rule at run time")
    @Post("/v1/rules/overrides")
    public HttpResponse declare(ServiceRequestContext ctx, AggregatedHttpRequest req) {
        final CallingRule added;
        try {
            added = overrides.add(req.contentUtf8(), engine::rules);
        } catch (YamlProblem e) {
            // The body is the caller's own: its line and field are worth saying; "body" names it.
            return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, e.field() + ": " + e.problem() + " (line " + e.line()
                                                                 + " of the body)").toHttpResponse();
        }
        audit(ctx, "rule_override_add", added.id() + " (" + added.jurisdiction() + ", " + added.from() + " to "
                                        + (added.until() == null ? "open" : added.until()) + ")");
        return json(HttpStatus.CREATED, rule(added));
    }

    /** {@code DELETE /v1/rules/overrides/{id}}: withdraws a rule declared at run time. */
    @Description("Withdraw a rule declared at run time")
    @Delete("/v1/rules/overrides/{id}")
    public HttpResponse withdraw(ServiceRequestContext ctx, @Param("id") String id) {
        if (!overrides.remove(id, engine::rules)) {
            return JsonErrorHandler.body(HttpStatus.NOT_FOUND, "id: \"" + id + "\" (expected: a rule declared at run "
                                                               + "time; GET /v1/rules/overrides lists them)")
                                   .toHttpResponse();
        }
        audit(ctx, "rule_override_remove", id);
        return json(HttpStatus.OK, Map.of("removed", id));
    }

    private void audit(ServiceRequestContext ctx, String action, String detail) {
        audit.append(new AuditRecord(clock.instant(), "calling_rules", action, "OK", null, null, null, 0,
                                     RequestIds.of(ctx), null, Principal.of(ctx).name(), detail));
    }

    private static Map<String, Object> jurisdiction(Jurisdiction j) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", j.id());
        out.put("name", j.name());
        out.put("checked", j.checked().toString());
        final List<Object> rules = new ArrayList<>();
        j.rules().forEach(r -> rules.add(rule(r)));
        out.put("rules", rules);
        if (j.noStricterRule() != null) {
            final Map<String, Object> none = new LinkedHashMap<>();
            none.put("summary", j.noStricterRule().summary());
            none.put("sources", j.noStricterRule().sources());
            none.put("confidence", j.noStricterRule().confidence());
            out.put("noStricterRule", none);
        }
        final List<Object> holidays = new ArrayList<>();
        j.holidays().holidays().forEach(h -> holidays.add(Map.of("name", h.name(), "day", h.spec(),
                                                                  "observed", h.observed())));
        out.put("holidays", holidays);
        return out;
    }

    /** Returns a rule as the API shows it. */
    static Map<String, Object> rule(CallingRule r) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("jurisdiction", r.jurisdiction());
        out.put("summary", r.summary());
        out.put("purposes", r.purposes().stream().map(p -> p.wire()).sorted().toList());
        out.put("dialMethods", r.dialMethods().stream().map(m -> m.wire()).sorted().toList());
        out.put("exemptWith", r.exemptWith().stream().map(e -> e.wire()).sorted().toList());
        if (r.zone() != null) {
            out.put("zone", r.zone().getId());
        }
        final Map<String, String> hours = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            hours.put(d.name().substring(0, 3).toLowerCase(Locale.ROOT), r.hours().get(d).toString());
        }
        if (r.holidayHours() != null) {
            hours.put("holiday", r.holidayHours().toString());
            out.put("holidays", r.holidayCalendars());
        }
        out.put("hours", hours);
        if (!r.zips().isEmpty()) {
            out.put("zips", r.zips());
        }
        if (r.from() != null || r.until() != null) {
            final Map<String, String> effective = new LinkedHashMap<>();
            if (r.from() != null) {
                effective.put("from", r.from().toString());
            }
            if (r.until() != null) {
                effective.put("until", r.until().toString());
            }
            out.put("effective", effective);
        }
        out.put("citation", r.citation());
        out.put("url", r.url());
        out.put("confidence", r.confidence());
        if (r.notes() != null) {
            out.put("notes", r.notes());
        }
        out.put("source", r.source());
        return out;
    }

    private static HttpResponse json(HttpStatus status, Object body) {
        try {
            return HttpResponse.of(status, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the hours as the API shows them, for callers outside this class. */
    static String hours(DayHours h) {
        return h == DayHours.ALL_DAY ? "all day (not in force)" : h.toString();
    }
}
