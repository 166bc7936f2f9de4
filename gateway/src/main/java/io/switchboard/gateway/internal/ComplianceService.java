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
import io.switchboard.api.v1.GetLegalCallTimesRequest;
import io.switchboard.api.v1.GetLegalCallTimesResponse;
import io.switchboard.api.v1.LegalInterval;
import io.switchboard.api.v1.ShapingRule;
import io.switchboard.api.v1.ValidateContactsRequest;
import io.switchboard.api.v1.ValidateContactsResponse;
import io.switchboard.compliance.rules.CallContext;
import io.switchboard.compliance.rules.Consent;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.compliance.rules.Purpose;
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
        final List<io.switchboard.compliance.scrub.Contact> contacts = new ArrayList<>(request.getContactsCount());
        try {
            final CallContext defaults = new CallContext(
                    ValidateService.purpose("purpose", request.getPurpose(), Purpose.TELEPHONE_SOLICITATION),
                    ValidateService.dialMethod("dial_method", request.getDialMethod(), null), null);
            for (int i = 0; i < request.getContactsCount(); i++) {
                contacts.add(contact(request.getContacts(i), "contacts[" + i + "].", defaults, s.engine()));
            }
        } catch (InvalidArgumentException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
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
                () -> s.engine().scrubContacts(contacts, at, window, s.timeout()).thenAccept(decisions -> {
                    s.metrics().record(decisions);
                    final ValidateContactsResponse.Builder answer = ValidateContactsResponse.newBuilder();
                    int blocked = 0;
                    for (int i = 0; i < decisions.length; i++) {
                        final ScrubEngine.Decision d = decisions[i];
                        blocked += d.blocked() ? 1 : 0;
                        final ContactDecision.Builder decision = ContactDecision.newBuilder()
                                .setPhoneNumber(request.getContacts(i).getPhoneNumber())
                                .setBlocked(d.blocked())
                                .setReason(d.reason())
                                .setDetail(d.detail() == null ? "" : d.detail());
                        if (d.rule() != null) {
                            decision.setRule(d.rule().id())
                                    .setJurisdiction(d.rule().jurisdiction() == null ? "" : d.rule().jurisdiction())
                                    .setCitation(d.rule().citation());
                        }
                        if (d.nextAllowedAt() != null) {
                            decision.setNextAllowedAt(timestamp(d.nextAllowedAt()));
                        }
                        answer.addDecisions(decision);
                    }
                    observer.onNext(answer.setTotal(decisions.length).setBlocked(blocked)
                                          .setAllowed(decisions.length - blocked).build());
                    observer.onCompleted();
                }));
    }

    /** Reads one gRPC contact, checking its optional fields; {@code at} prefixes field names. */
    private static io.switchboard.compliance.scrub.Contact contact(Contact c, String at, CallContext defaults,
                                                                   ScrubEngine engine) {
        final String zip = c.getZip().isEmpty() ? null : c.getZip();
        final String state = c.getState().isEmpty() ? null : c.getState();
        if (zip != null) {
            engine.times().locator().ofZip(at + "zip", zip);
        }
        if (state != null) {
            engine.times().locator().ofState(at + "state", state);
        }
        Consent consent = null;
        if (c.hasConsent()) {
            final Consent.Type type = Consent.Type.of(c.getConsent().getType());
            if (type == null) {
                throw new InvalidArgumentException(at + "consent.type", c.getConsent().getType(),
                                                   "one of " + Consent.Type.expected());
            }
            if (!c.getConsent().hasGrantedAt()) {
                throw new InvalidArgumentException(at + "consent.granted_at", InvalidArgumentException.MISSING,
                                                   "when consent was given, or the transaction or inquiry date");
            }
            consent = new Consent(type, judgeable(at + "consent.granted_at", c.getConsent().getGrantedAt()),
                                  c.getConsent().hasExpiresAt()
                                  ? judgeable(at + "consent.expires_at", c.getConsent().getExpiresAt()) : null);
        }
        return new io.switchboard.compliance.scrub.Contact(
                c.getPhoneNumber(), zip, state,
                new CallContext(ValidateService.purpose(at + "purpose", c.getPurpose(), defaults.purpose()),
                                ValidateService.dialMethod(at + "dial_method", c.getDialMethod(), defaults.dialMethod()),
                                consent),
                c.getCampaignId().isBlank() ? null : c.getCampaignId(),
                c.getContactId().isBlank() ? null : c.getContactId());
    }

    /** Returns {@code t} as an instant, if it is one a scrub can be judged at; else a 400 naming the field. */
    private static Instant judgeable(String field, com.google.protobuf.Timestamp t) {
        final long earliest = ScrubEngine.EARLIEST_AT.getEpochSecond();
        final long latest = ScrubEngine.LATEST_AT.getEpochSecond();
        if (t.getSeconds() < earliest || t.getSeconds() > latest || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
            throw new InvalidArgumentException(field, t.getSeconds() + " s", ScrubEngine.AT_RANGE);
        }
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static com.google.protobuf.Timestamp timestamp(Instant i) {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    @Override
    public void getLegalCallTimes(GetLegalCallTimesRequest request, StreamObserver<GetLegalCallTimesResponse> observer) {
        final ScrubEngine engine = scrubbing.engine();
        final LegalTimes times = engine.times();
        try {
            final long number = engine.phoneNumbers().toDigits("phone_number", request.getPhoneNumber());
            final java.time.LocalDate date;
            try {
                date = java.time.LocalDate.parse(request.getDate());
            } catch (java.time.format.DateTimeParseException e) {
                throw new InvalidArgumentException("date", request.getDate(), "a local date YYYY-MM-DD, e.g. 2026-12-05");
            }
            if (date.getYear() < 1971 || date.getYear() > 9998) {
                throw new InvalidArgumentException("date", request.getDate(), "a date from 1971 to 9998");
            }
            final CallContext call = new CallContext(
                    ValidateService.purpose("purpose", request.getPurpose(), Purpose.TELEPHONE_SOLICITATION),
                    ValidateService.dialMethod("dial_method", request.getDialMethod(), null), null);
            final String zip = request.getZip().isEmpty() ? null : request.getZip();
            final String state = request.getState().isEmpty() ? null : request.getState();
            if (zip != null) {
                times.locator().ofZip("zip", zip);
            }
            if (state != null) {
                times.locator().ofState("state", state);
            }
            final LegalTimes.Place place = times.place(number, zip, state);
            final java.time.ZoneId zone;
            if (!request.getZone().isEmpty()) {
                try {
                    zone = java.time.ZoneId.of(request.getZone());
                } catch (java.time.DateTimeException e) {
                    throw new InvalidArgumentException("zone", request.getZone(), "a zone such as America/Chicago");
                }
            } else if (place.zones().length > 0) {
                zone = place.zones()[0];
            } else {
                throw new InvalidArgumentException("phone_number", request.getPhoneNumber(),
                                                   "a number whose time zone is known, or a zone field");
            }
            final LegalTimes.Day day = times.day(place, call, date, zone);
            final GetLegalCallTimesResponse.Builder answer = GetLegalCallTimesResponse.newBuilder()
                    .setPhoneNumber(request.getPhoneNumber()).setDate(date.toString()).setZone(zone.getId())
                    .addAllJurisdictions(place.jurisdictionList()).setRulePack(times.pack().version());
            for (LegalTimes.Interval in : day.intervals()) {
                answer.addIntervals(LegalInterval.newBuilder().setStart(timestamp(in.start())).setEnd(timestamp(in.end()))
                                                 .setLocalStart(local(in.start(), date, zone))
                                                 .setLocalEnd(local(in.end(), date, zone)));
            }
            for (LegalTimes.Shaping r : day.rules()) {
                answer.addRules(ShapingRule.newBuilder().setRule(r.rule().id()).setJurisdiction(r.rule().jurisdiction())
                                           .setCitation(r.rule().citation()).setConfidence(r.rule().confidence())
                                           .setZone(r.zone().getId())
                                           .setHours(r.hours() == io.switchboard.compliance.rules.DayHours.ALL_DAY
                                                     ? "all day (not in force)" : r.hours().toString())
                                           .setHoliday(r.holiday() == null ? "" : r.holiday()));
            }
            observer.onNext(answer.build());
            observer.onCompleted();
        } catch (InvalidArgumentException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    /** Returns {@code instant} as HH:MM on {@code date}'s clock in {@code zone}; 24:00 for the next midnight. */
    private static String local(Instant instant, java.time.LocalDate date, java.time.ZoneId zone) {
        final java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(instant, zone);
        if (t.toLocalDate().isAfter(date)) {
            return "24:00";
        }
        return String.format("%02d:%02d", t.getHour(), t.getMinute());
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
