package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;

/**
 * {@code POST /validate} as an annotated route, so that the API page lists it with its query
 * parameters and an example: the request, unread, goes to {@link ValidateService}, which
 * streams the body and reads the parameters itself.
 */
@Description("The original service's contact scrub: POST /validate with a JSON array of contacts (each at least "
             + "{\"phoneNumber\"}; optionally campaignId, contactId, zip, state, purpose, dialMethod, consent). Answers "
             + "{total, blocked, allowed, decisions: [{phoneNumber, blocked, reason, detail?, rule?, jurisdiction?, "
             + "citation?, nextAllowedAt?}]}, one decision per contact in order. Scope dnc:read.")
public final class ValidateRoute {

    private final ValidateService validate;

    ValidateRoute(ValidateService validate) {
        this.validate = requireNonNull(validate, "validate");
    }

    /** Scrubs the batch; the parameters are named here for the page and read by {@link ValidateService}. */
    @Post("/validate")
    @Description("Judges each contact against the DNC lists, opt-outs, geographic rules, calling times and "
                 + "frequency caps; a store that does not answer blocks (dnc_unavailable), never allows.")
    public HttpResponse validate(ServiceRequestContext ctx, HttpRequest req,
                                 @Param("at") @Description("Judge calling times at this ISO-8601 instant (default: now)")
                                 Optional<String> at,
                                 @Param("callingWindow") @Description("false leaves calling times out (default true)")
                                 Optional<String> callingWindow,
                                 @Param("purpose") @Description("telephone_solicitation (default), debt_collection or "
                                                                + "informational, unless a contact says")
                                 Optional<String> purpose,
                                 @Param("dialMethod") @Description("manual, automated or prerecorded, unless a contact says")
                                 Optional<String> dialMethod) throws Exception {
        return validate.serve(ctx, req);
    }
}
