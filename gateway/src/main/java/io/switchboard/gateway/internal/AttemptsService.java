package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.api.v1.AttemptsGrpc;
import io.switchboard.api.v1.ReleaseAttemptRequest;
import io.switchboard.api.v1.ReleaseAttemptResponse;
import io.switchboard.api.v1.ReserveAttemptRequest;
import io.switchboard.api.v1.ReserveAttemptResponse;
import io.switchboard.compliance.caps.AttemptLedger;
import io.switchboard.compliance.caps.Attempts;
import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.rules.CallContext;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.compliance.rules.Purpose;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.core.InvalidArgumentException;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Serves {@code switchboard.v1.Attempts}: reservations of dial attempts against frequency caps
 * ({@code POST /v1/attempts}) and their release ({@code DELETE /v1/attempts/{id}}). Counts
 * reservations by outcome in {@code switchboard_attempts_total}.
 */
public final class AttemptsService extends AttemptsGrpc.AttemptsImplBase {

    private static final Logger logger = LoggerFactory.getLogger(AttemptsService.class);
    /** How far from now a reservation's instant may be. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern NAME = Pattern.compile(GatewayConfig.Compliance.NAME);
    private static final Pattern CONTACT_ID = Pattern.compile("\\S{1,256}");

    private final ScrubEngine engine;
    private final FrequencyCaps caps;
    private final Clock clock;
    private final Counter granted;
    private final Counter reached;
    private final Counter unavailable;

    /** Creates the service over the engine's caps. */
    public AttemptsService(ScrubEngine engine, FrequencyCaps caps, Clock clock, MeterRegistry meters) {
        this.engine = requireNonNull(engine, "engine");
        this.caps = requireNonNull(caps, "caps");
        this.clock = requireNonNull(clock, "clock");
        granted = outcome(meters, "granted");
        reached = outcome(meters, FrequencyCaps.REACHED);
        unavailable = outcome(meters, FrequencyCaps.UNAVAILABLE);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("switchboard.attempts").description("Attempt reservations, by outcome")
                      .tag("outcome", outcome).register(meters);
    }

    @Override
    public void reserveAttempt(ReserveAttemptRequest request, StreamObserver<ReserveAttemptResponse> observer) {
        final Instant now = clock.instant();
        final String subject;
        final CallContext call;
        final List<FrequencyCap> governing;
        final Instant at;
        try {
            final long number = engine.phoneNumbers().toDigits("phone_number", request.getPhoneNumber());
            final String campaign = request.getCampaignId();
            if (!NAME.matcher(campaign).matches()) {
                throw new InvalidArgumentException("campaign_id", campaign.isEmpty() ? InvalidArgumentException.MISSING
                                                                                     : campaign,
                                                   "a campaign id, 1-128 letters, digits, '.', '_' or '-'");
            }
            final String contact = request.getContactId();
            if (!contact.isEmpty() && !CONTACT_ID.matcher(contact).matches()) {
                throw new InvalidArgumentException("contact_id", contact, "1-256 characters without spaces");
            }
            call = new CallContext(
                    ValidateService.purpose("purpose", request.getPurpose(), Purpose.TELEPHONE_SOLICITATION),
                    ValidateService.dialMethod("dial_method", request.getDialMethod(), null), null);
            at = request.hasAt() ? Instant.ofEpochSecond(request.getAt().getSeconds(), request.getAt().getNanos())
                                 : now;
            if (Duration.between(now, at).abs().compareTo(MAX_SKEW) > 0) {
                throw new InvalidArgumentException("at", at.toString(), "an instant within 5 minutes of now (" + now
                                                                        + "): an attempt is reserved as it is dialled");
            }
            final LegalTimes times = engine.times();
            final String zip = request.getZip().isEmpty() ? null : request.getZip();
            final String state = request.getState().isEmpty() ? null : request.getState();
            if (zip != null) {
                times.locator().ofZip("zip", zip);
            }
            if (state != null) {
                times.locator().ofState("state", state);
            }
            governing = caps.governing(times.pack(), times.place(number, zip, state).jurisdictions(), campaign, call);
            subject = FrequencyCaps.subject(campaign, contact.isEmpty() ? null : contact, number);
        } catch (InvalidArgumentException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        caps.reserve(subject, call, governing, at, now).whenComplete((verdict, failure) -> {
            final ReserveAttemptResponse.Builder answer = ReserveAttemptResponse.newBuilder();
            if (failure != null) {
                unavailable.increment();
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause() : failure;
                logger.warn("Attempt ledger did not answer a reservation ({}); refused as {}",
                            cause instanceof TimeoutException ? "deadline passed" : cause.toString(),
                            FrequencyCaps.UNAVAILABLE);
                answer.setGranted(false).setReason(FrequencyCaps.UNAVAILABLE);
            } else {
                (verdict.granted() ? granted : reached).increment();
                answer.setGranted(verdict.granted()).setCount(verdict.count());
                if (verdict.id() != null) {
                    answer.setAttemptId(verdict.id());
                }
                final FrequencyCap cap = verdict.cap();
                if (cap != null) {
                    answer.setLimit(cap.limit()).setWindow(cap.windowText());
                }
                if (!verdict.granted()) {
                    answer.setReason(FrequencyCaps.REACHED).setRule(cap.id())
                          .setJurisdiction(cap.jurisdiction() == null ? "" : cap.jurisdiction())
                          .setCitation(cap.citation())
                          .setNextAllowedAt(com.google.protobuf.Timestamp.newBuilder()
                                                    .setSeconds(verdict.nextAllowedAt().getEpochSecond())
                                                    .setNanos(verdict.nextAllowedAt().getNano()));
                }
            }
            observer.onNext(answer.build());
            observer.onCompleted();
        });
    }

    @Override
    public void releaseAttempt(ReleaseAttemptRequest request, StreamObserver<ReleaseAttemptResponse> observer) {
        final String id = request.getAttemptId();
        if (Attempts.subjectOf(id) == null) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(
                    "attempt_id: \"" + id + "\" (expected: an attemptId as POST /v1/attempts answered it)")
                                                     .asRuntimeException());
            return;
        }
        caps.release(id, clock.instant()).whenComplete((release, failure) -> {
            if (failure != null) {
                observer.onError(Status.UNAVAILABLE.withDescription("the attempt ledger did not answer; the attempt "
                                                                    + "still counts").asRuntimeException());
            } else if (release == AttemptLedger.Release.RELEASED) {
                observer.onNext(ReleaseAttemptResponse.newBuilder().setAttemptId(id).setReleased(true).build());
                observer.onCompleted();
            } else if (release == AttemptLedger.Release.TOO_LATE) {
                observer.onError(Status.FAILED_PRECONDITION.withDescription(
                        "attempt_id: reserved more than " + io.switchboard.core.Durations.format(caps.grace())
                        + " ago (compliance.attemptReleaseGrace): the dial may have left, and the attempt counts")
                                                           .asRuntimeException());
            } else {
                observer.onError(Status.NOT_FOUND.withDescription(
                        "attempt_id: no such reservation (released already, or never made)").asRuntimeException());
            }
        });
    }
}
