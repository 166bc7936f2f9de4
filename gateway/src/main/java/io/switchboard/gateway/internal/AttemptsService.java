package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.annotation.Delete;
import com.linecorp.armeria.server.annotation.Description;
import com.linecorp.armeria.server.annotation.Param;
import com.linecorp.armeria.server.annotation.Post;

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
 * Reservations of dial attempts against frequency caps, and their release: over gRPC
 * ({@code switchboard.v1.Attempts}) and over REST ({@code POST /v1/attempts},
 * {@code DELETE /v1/attempts/{id}}), served by hand rather than transcoded, since a dialer
 * reserves every attempt and the transcoding would cost more than the reservation. Counts
 * reservations by outcome in {@code switchboard_attempts_total}.
 */
@Description("Attempts reserved before dialling, counted against the frequency caps (POST /v1/attempts), and released when the dial never left.")
public final class AttemptsService {

    private static final Logger logger = LoggerFactory.getLogger(AttemptsService.class);
    /** How far from now a reservation's instant may be. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final Pattern NAME = Pattern.compile(GatewayConfig.Compliance.NAME);
    private static final Pattern CONTACT_ID = Pattern.compile("\\S{1,256}");
    /** Field names over gRPC: the proto's. */
    private static final UnaryOperator<String> PROTO = UnaryOperator.identity();
    /** Field names over REST: lower camel case. */
    private static final UnaryOperator<String> JSON = JsonBodies::camel;

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

    /** The gRPC service. */
    public AttemptsGrpc.AttemptsImplBase grpc() {
        return new AttemptsGrpc.AttemptsImplBase() {
            @Override
            public void reserveAttempt(ReserveAttemptRequest r, StreamObserver<ReserveAttemptResponse> observer) {
                final CompletableFuture<Answer> answer;
                try {
                    answer = reserve(new Ask(r.getPhoneNumber(), r.getCampaignId(), r.getContactId(), r.getDialMethod(),
                                             r.hasAt() ? Instant.ofEpochSecond(r.getAt().getSeconds(), r.getAt().getNanos())
                                                       : null, r.getPurpose(), r.getZip(), r.getState()), PROTO);
                } catch (InvalidArgumentException e) {
                    observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                    return;
                } catch (java.time.DateTimeException e) {
                    observer.onError(Status.INVALID_ARGUMENT.withDescription(
                            "at: " + r.getAt().getSeconds() + " s (expected: an instant within 5 minutes of now)")
                                                         .asRuntimeException());
                    return;
                }
                answer.thenAccept(a -> {
                    final ReserveAttemptResponse.Builder out = ReserveAttemptResponse.newBuilder()
                            .setGranted(a.granted()).setCount(a.count()).setLimit(a.limit()).setWindow(a.window());
                    if (a.attemptId() != null) {
                        out.setAttemptId(a.attemptId());
                    }
                    if (a.reason() != null) {
                        out.setReason(a.reason());
                    }
                    if (a.cap() != null && !a.granted()) {
                        out.setRule(a.cap().id()).setJurisdiction(a.cap().jurisdiction() == null ? "" : a.cap().jurisdiction())
                           .setCitation(a.cap().citation());
                    }
                    if (a.nextAllowedAt() != null) {
                        out.setNextAllowedAt(com.google.protobuf.Timestamp.newBuilder()
                                                     .setSeconds(a.nextAllowedAt().getEpochSecond())
                                                     .setNanos(a.nextAllowedAt().getNano()));
                    }
                    observer.onNext(out.build());
                    observer.onCompleted();
                });
            }

            @Override
            public void releaseAttempt(ReleaseAttemptRequest r, StreamObserver<ReleaseAttemptResponse> observer) {
                final String id = r.getAttemptId();
                if (Attempts.subjectOf(id) == null) {
                    observer.onError(Status.INVALID_ARGUMENT.withDescription(badId("attempt_id", id)).asRuntimeException());
                    return;
                }
                caps.release(id, clock.instant()).whenComplete((release, failure) -> {
                    if (failure == null && release == AttemptLedger.Release.RELEASED) {
                        observer.onNext(ReleaseAttemptResponse.newBuilder().setAttemptId(id).setReleased(true).build());
                        observer.onCompleted();
                        return;
                    }
                    final Status status = failure != null ? Status.UNAVAILABLE
                            : release == AttemptLedger.Release.TOO_LATE ? Status.FAILED_PRECONDITION : Status.NOT_FOUND;
                    observer.onError(status.withDescription(releaseProblem(failure, release)).asRuntimeException());
                });
            }
        };
    }

    /** {@code {"phoneNumber", "campaignId", "contactId"?, "dialMethod"?, "at"?, "purpose"?, "zip"?, "state"?}}. */
    record Body(@Nullable String phoneNumber, @Nullable String campaignId, @Nullable String contactId,
                @Nullable String dialMethod, @Nullable String at, @Nullable String purpose, @Nullable String zip,
                @Nullable String state) {}

    /** {@code POST /v1/attempts}. */
    @Description("Reserve a dial attempt against the frequency caps")
    @Post("/v1/attempts")
    public CompletableFuture<HttpResponse> reserve(AggregatedHttpRequest req) {
        final Body b = RequestBodies.read(req.content().array(), Body.class);
        return reserve(new Ask(orEmpty(b.phoneNumber()), orEmpty(b.campaignId()), orEmpty(b.contactId()),
                               orEmpty(b.dialMethod()), b.at() == null ? null : at(b.at()), orEmpty(b.purpose()),
                               orEmpty(b.zip()), orEmpty(b.state())), JSON)
                .thenApply(a -> {
                    final java.util.Map<String, @Nullable Object> out = DncAdminService.fields(
                            "granted", a.granted(), "attemptId", a.attemptId(), "count", a.count(), "limit", a.limit(),
                            "window", a.window());
                    if (!a.granted()) {
                        out.remove("attemptId");
                        out.put("reason", a.reason());
                        if (a.cap() != null) {
                            out.put("rule", a.cap().id());
                            if (a.cap().jurisdiction() != null) {
                                out.put("jurisdiction", a.cap().jurisdiction());
                            }
                            out.put("citation", a.cap().citation());
                            out.put("nextAllowedAt", a.nextAllowedAt().toString());
                        }
                    }
                    return DncAdminService.json(out);
                });
    }

    /** {@code DELETE /v1/attempts/{attemptId}}. */
    @Description("Release a reservation whose dial never left")
    @Delete("/v1/attempts/{attemptId}")
    public CompletableFuture<HttpResponse> release(@Param("attemptId") String id) {
        if (Attempts.subjectOf(id) == null) {
            return CompletableFuture.completedFuture(JsonErrorHandler.body(HttpStatus.BAD_REQUEST, badId("attemptId", id))
                                                                     .toHttpResponse());
        }
        return caps.release(id, clock.instant()).handle((release, failure) -> {
            if (failure == null && release == AttemptLedger.Release.RELEASED) {
                return DncAdminService.json(DncAdminService.fields("attemptId", id, "released", true));
            }
            final HttpStatus status = failure != null ? HttpStatus.SERVICE_UNAVAILABLE
                    : release == AttemptLedger.Release.TOO_LATE ? HttpStatus.CONFLICT : HttpStatus.NOT_FOUND;
            return JsonErrorHandler.body(status, releaseProblem(failure, release)).toHttpResponse();
        });
    }

    /** What a reservation asks, with the field names of either protocol. */
    private record Ask(String phoneNumber, String campaignId, String contactId, String dialMethod, @Nullable Instant at,
                       String purpose, String zip, String state) {}

    /**
     * A reservation's answer.
     *
     * @param reason null when granted; {@code frequency_cap} or {@code caps_unavailable}
     * @param cap the cap with the least room left (granted) or reached (refused), or null
     */
    private record Answer(boolean granted, @Nullable String attemptId, int count, int limit, String window,
                          @Nullable String reason, @Nullable FrequencyCap cap, @Nullable Instant nextAllowedAt) {}

    /**
     * Checks {@code ask} and reserves; never fails: a ledger that does not answer is a refusal,
     * {@code caps_unavailable}.
     *
     * @throws InvalidArgumentException naming the field, as {@code name} spells it
     */
    private CompletableFuture<Answer> reserve(Ask ask, UnaryOperator<String> name) {
        final Instant now = clock.instant();
        final long number = engine.phoneNumbers().toDigits(name.apply("phone_number"), ask.phoneNumber());
        final String campaign = ask.campaignId();
        if (!NAME.matcher(campaign).matches()) {
            throw new InvalidArgumentException(name.apply("campaign_id"),
                                               campaign.isEmpty() ? InvalidArgumentException.MISSING : campaign,
                                               "a campaign id, 1-128 letters, digits, '.', '_' or '-'");
        }
        final String contact = ask.contactId();
        if (!contact.isEmpty() && !CONTACT_ID.matcher(contact).matches()) {
            throw new InvalidArgumentException(name.apply("contact_id"), contact, "1-256 characters without spaces");
        }
        final CallContext call = new CallContext(
                ValidateService.purpose("purpose", ask.purpose(), Purpose.TELEPHONE_SOLICITATION),
                ValidateService.dialMethod(name.apply("dial_method"), ask.dialMethod(), null), null);
        final Instant at = ask.at() == null ? now : ask.at();
        if (Duration.between(now, at).abs().compareTo(MAX_SKEW) > 0) {
            throw new InvalidArgumentException("at", at.toString(), "an instant within 5 minutes of now (" + now
                                                                    + "): an attempt is reserved as it is dialled");
        }
        final LegalTimes times = engine.times();
        final String zip = ask.zip().isEmpty() ? null : ask.zip();
        final String state = ask.state().isEmpty() ? null : ask.state();
        if (zip != null) {
            times.locator().ofZip("zip", zip);
        }
        if (state != null) {
            times.locator().ofState("state", state);
        }
        final List<FrequencyCap> governing = caps.governing(times.pack(), times.place(number, zip, state).jurisdictions(),
                                                            campaign, call);
        final String subject = Attempts.subject(campaign, contact.isEmpty() ? null : contact, number);
        return caps.reserve(subject, call, governing, times.pack(), at, now).handle((verdict, failure) -> {
            if (failure != null) {
                unavailable.increment();
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause() : failure;
                logger.warn("Attempt ledger did not answer a reservation ({}); refused as {}",
                            cause instanceof TimeoutException ? "deadline passed" : cause.toString(),
                            FrequencyCaps.UNAVAILABLE);
                return new Answer(false, null, 0, 0, "", FrequencyCaps.UNAVAILABLE, null, null);
            }
            (verdict.granted() ? granted : reached).increment();
            final FrequencyCap cap = verdict.cap();
            return new Answer(verdict.granted(), verdict.id(), verdict.count(), cap == null ? 0 : cap.limit(),
                              cap == null ? "" : cap.windowText(), verdict.granted() ? null : FrequencyCaps.REACHED,
                              cap, verdict.nextAllowedAt());
        });
    }

    private String releaseProblem(@Nullable Throwable failure, AttemptLedger.@Nullable Release release) {
        if (failure != null) {
            return "the attempt ledger did not answer; the attempt still counts";
        }
        return release == AttemptLedger.Release.TOO_LATE
               ? "attempt reserved more than " + io.switchboard.core.Durations.format(caps.grace())
                 + " ago (compliance.attemptReleaseGrace): the dial may have left, and the attempt counts"
               : "no such reservation (released already, or never made)";
    }

    private static String badId(String field, String id) {
        return field + ": \"" + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
               + "\" (expected: an attemptId as POST /v1/attempts answered it)";
    }

    private static Instant at(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidArgumentException("at", text, "an ISO-8601 instant, e.g. 2026-12-01T15:00:00Z");
        }
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
