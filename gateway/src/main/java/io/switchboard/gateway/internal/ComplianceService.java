package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.api.v1.ApplyCampaignRulesRequest;
import io.switchboard.api.v1.ApplyCampaignRulesResponse;
import io.switchboard.api.v1.ComplianceGrpc;
import io.switchboard.api.v1.Contact;
import io.switchboard.api.v1.ContactDecision;
import io.switchboard.api.v1.ValidateContactsRequest;
import io.switchboard.api.v1.ValidateContactsResponse;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.compliance.campaign.CampaignDncRules;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.core.audit.AuditTrail;
import io.switchboard.core.phone.PhoneNumbers;

/**
 * Serves {@code switchboard.v1.Compliance}: contact scrubs and campaign DNC rules. Campaign rules validate everything before
 * anything reaches the platform: the ids must be UUIDs and every blocked number a valid phone
 * number, normalised to E.164; a bad one is named by its index.
 */
public final class ComplianceService extends ComplianceGrpc.ComplianceImplBase {

    /** The most blocked numbers one request may carry. */
    public static final int MAX_NUMBERS = 10_000;

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Commands commands;
    private final PhoneNumbers phoneNumbers;
    private final Clock clock;
    private final CampaignDncRules rules;
    private final Scrubbing scrubbing;

    /**
     * Creates the service.
     *
     * @param rules campaign DNC rules, on the platform's DNC lists and campaigns (ports that
     *        answer "not configured" when no platform serves them)
     */
    public ComplianceService(Clock clock, Duration commandTimeout, MeterRegistry meters, AuditTrail audit,
                             PhoneNumbers phoneNumbers, Scrubbing scrubbing, CampaignDncRules rules) {
        commands = new Commands(clock, commandTimeout, meters, audit);
        this.clock = requireNonNull(clock, "clock");
        this.phoneNumbers = requireNonNull(phoneNumbers, "phoneNumbers");
        this.scrubbing = requireNonNull(scrubbing, "scrubbing");
        this.rules = requireNonNull(rules, "rules");
    }

    /**
     * What {@code ValidateContacts} needs: the engine, the batch limit, the store's deadline.
     *
     * @param engine judges the contacts
     * @param maxBatch the most contacts a request may carry
     * @param timeout how long the store may take
     * @param metrics counts the decisions
     */
    public record Scrubbing(ScrubEngine engine, int maxBatch, Duration timeout, ScrubMetrics metrics) {}

    @Override
    public void validateContacts(ValidateContactsRequest request,
                                 StreamObserver<ValidateContactsResponse> observer) {
        final Scrubbing s = scrubbing;
        if (request.getContactsCount() > s.maxBatch()) {
            observer.onError(Status.INVALID_ARGUMENT
                                     .withDescription("contacts: " + request.getContactsCount() + " contacts (expected: "
                                                      + "at most " + s.maxBatch() + " a request; split the batch)")
                                     .asRuntimeException());
            return;
        }
        final List<String> numbers = new ArrayList<>(request.getContactsCount());
        for (Contact c : request.getContactsList()) {
            numbers.add(c.getPhoneNumber());
        }
        final Instant at = request.hasAt() ? Instant.ofEpochSecond(request.getAt().getSeconds(),
                                                                   request.getAt().getNanos())
                                           : clock.instant();
        if (!ScrubEngine.judgeable(at)) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("at: " + at + " (expected: " + ScrubEngine.AT_RANGE
                                                                     + ')').asRuntimeException());
            return;
        }
        final boolean window = !request.hasCallingWindow() || request.getCallingWindow();
        // Normalising thousands of numbers is CPU work: off the event loop.
        ServiceRequestContext.current().blockingTaskExecutor().execute(
                () -> s.engine().scrub(numbers, at, window, s.timeout()).thenAccept(decisions -> {
                    s.metrics().record(decisions);
                    final ValidateContactsResponse.Builder answer = ValidateContactsResponse.newBuilder();
                    int blocked = 0;
                    for (int i = 0; i < decisions.length; i++) {
                        final ScrubEngine.Decision d = decisions[i];
                        blocked += d.blocked() ? 1 : 0;
                        answer.addDecisions(ContactDecision.newBuilder()
                                                           .setPhoneNumber(numbers.get(i))
                                                           .setBlocked(d.blocked())
                                                           .setReason(d.reason())
                                                           .setDetail(d.detail() == null ? "" : d.detail()));
                    }
                    observer.onNext(answer.setTotal(decisions.length).setBlocked(blocked)
                                          .setAllowed(decisions.length - blocked).build());
                    observer.onCompleted();
                }));
    }

    @Override
    public void applyCampaignRules(ApplyCampaignRulesRequest request,
                                   StreamObserver<ApplyCampaignRulesResponse> observer) {
        commands.run(new Commands.Command(ServiceRequestContext.current(), "compliance", "ApplyCampaignRules",
                                          "apply_campaign_rules", null, null, null), observer, () -> {
            final String campaignId = uuid("campaign_id", request.getCampaignId(), true);
            final String contactListId = uuid("contact_list_id", request.getContactListId(), false);
            final String dncListId = uuid("dnc_list_id", request.getDncListId(), false);
            if (request.getBlockedNumbersCount() > MAX_NUMBERS) {
                throw new InvalidArgumentException("blocked_numbers", request.getBlockedNumbersCount() + " numbers",
                                                   "at most " + MAX_NUMBERS + " a request");
            }
            final Set<String> numbers = new LinkedHashSet<>();
            for (int i = 0; i < request.getBlockedNumbersCount(); i++) {
                numbers.add(phoneNumbers.toE164("blocked_numbers[" + i + ']', request.getBlockedNumbers(i)));
            }
            return new CampaignDncRules.Rules(campaignId, contactListId, dncListId, new ArrayList<>(numbers));
        }, (command, deadline) -> rules.apply(command, deadline), applied -> null,
            (command, applied) -> ApplyCampaignRulesResponse.newBuilder()
                    .setSuccess(true)
                    .setMessage(message(applied))
                    .setCampaignId(applied.campaignId())
                    .setDncListId(applied.dncListId())
                    .setListCreated(applied.listCreated())
                    .setNumbersSubmitted(applied.numbersSubmitted())
                    .setNumbersAdded((int) applied.numbersAdded())
                    .setCampaignUpdated(applied.campaignUpdated())
                    .setCampaignVersion((int) applied.campaignVersion())
                    .setConflicts(applied.conflicts())
                    .build(),
            command -> "campaign=" + command.campaignId() + " numbers=" + command.blockedNumbers().size());
    }

    private static String message(CampaignDncRules.Applied a) {
        final List<String> changes = new ArrayList<>();
        if (a.listCreated()) {
            changes.add("created DNC list " + a.dncListId());
        }
        if (a.numbersAdded() > 0) {
            changes.add("added " + a.numbersAdded() + " number" + (a.numbersAdded() == 1 ? "" : "s"));
        }
        if (a.campaignUpdated()) {
            changes.add("attached the list to the campaign");
        }
        return changes.isEmpty() ? "nothing to change: the campaign already follows these rules"
                                 : String.join(", ", changes);
    }

    private static @Nullable String uuid(String field, String value, boolean required) {
        if (value.isEmpty() && !required) {
            return null;
        }
        if (!UUID.matcher(value).matches()) {
            throw new InvalidArgumentException(field, value, "a UUID");
        }
        return value;
    }
}
