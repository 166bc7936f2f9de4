package io.switchboard.gateway.internal;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.switchboard.compliance.rules.CallContext;
import io.switchboard.compliance.rules.Consent;
import io.switchboard.compliance.rules.DialMethod;
import io.switchboard.compliance.rules.Purpose;
import io.switchboard.compliance.rules.WireNames;
import io.switchboard.compliance.scrub.Contact;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.core.InvalidArgumentException;

/**
 * {@code POST /validate}: the contact scrub, with the original service's body and answer.
 *
 * <pre>
 * POST /validate?at=2026-11-21T15:00:00Z&amp;callingWindow=false
 * [{"phoneNumber": "+14155552671", "campaignId": "..."}, ...]
 *
 * {"total": 2, "blocked": 1, "allowed": 1,
 *  "decisions": [{"phoneNumber": "+14155552671", "blocked": true, "reason": "dnc_blacklist"}, ...]}
 * </pre>
 *
 * <p>Each contact needs a string {@code phoneNumber}; it may say where it is ({@code zip},
 * {@code state}) and what the call is ({@code purpose}, {@code dialMethod}, {@code consent}),
 * whose request-wide defaults are the query's {@code purpose} and {@code dialMethod}; other
 * fields are carried by contact records and ignored. A blocked decision may name its
 * {@code rule}, {@code jurisdiction}, {@code citation} and {@code nextAllowedAt}. More contacts than the limit answer 413; malformed JSON answers 400
 * saying where. A large body is read and its answer written on a scrub thread (one a core, first
 * come first served), so that large batches never hold an event loop; a small one (up to 4 KiB)
 * is answered on the event loop.
 */
public final class ValidateService implements HttpService {

    private static final JsonFactory JSON = new JsonFactory();
    /**
     * Bodies up to this size (a few dozen contacts) are scrubbed on the event loop that read them:
     * a dialer's one-number scrub then costs no hand-over to another thread. Nothing on that path
     * waits for a disk or the network: stores answer from memory or asynchronously, and an
     * embedded store's lookups wait at most for one change's in-memory update.
     */
    private static final int INLINE_BYTES = 4096;

    /**
     * Large scrubs, which are work for a core from start to end (a store that answers over the
     * network answers on its own threads): one thread a core, first come first served. With more
     * threads than cores, every batch in flight would share the cores in turns, and a batch that
     * came in first could end last.
     */
    private static final java.util.concurrent.ThreadPoolExecutor LARGE = largeScrubs();

    private static java.util.concurrent.ThreadPoolExecutor largeScrubs() {
        final int cores = Runtime.getRuntime().availableProcessors();
        final java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                cores, cores, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("validate-", 0).factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private final ScrubEngine engine;
    private final Clock clock;
    private final int maxBatch;
    private final Duration timeout;
    private final ScrubMetrics metrics;

    /** Creates the service; at most {@code maxBatch} contacts a request, the store gets {@code timeout}. */
    public ValidateService(ScrubEngine engine, Clock clock, int maxBatch, Duration timeout, ScrubMetrics metrics) {
        this.engine = requireNonNull(engine, "engine");
        this.clock = requireNonNull(clock, "clock");
        this.maxBatch = maxBatch;
        this.timeout = requireNonNull(timeout, "timeout");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req) {
        if (req.method() != com.linecorp.armeria.common.HttpMethod.POST) {
            return JsonErrorHandler.body(HttpStatus.METHOD_NOT_ALLOWED, "use POST with a JSON array of contacts")
                                   .toHttpResponse();
        }
        final QueryParams query = QueryParams.fromQueryString(ctx.query());
        final Instant at;
        final boolean window;
        final CallContext defaults;
        try {
            at = instant(query.get("at"));
            window = bool("callingWindow", query.get("callingWindow"));
            defaults = new CallContext(purpose("purpose", query.get("purpose"), Purpose.TELEPHONE_SOLICITATION),
                                       dialMethod("dialMethod", query.get("dialMethod"), null), null);
        } catch (InvalidArgumentException e) {
            return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, e.getMessage()).toHttpResponse();
        }
        return HttpResponse.of(req.aggregate().thenCompose(body -> {
            if (body.content().length() <= INLINE_BYTES) {
                return scrub(body, defaults, at, window);
            }
            return CompletableFuture.supplyAsync(() -> scrub(body, defaults, at, window),
                                                 ctx.makeContextAware(LARGE))
                                    .thenCompose(answer -> answer);
        }));
    }

    private CompletableFuture<HttpResponse> scrub(AggregatedHttpRequest body, CallContext defaults, Instant at,
                                                  boolean window) {
        final List<Contact> contacts;
        try {
            contacts = readContacts(body, defaults);
        } catch (TooMany e) {
            return completed(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        } catch (InvalidArgumentException | BadBody e) {
            return completed(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return engine.scrubContacts(contacts, at, window, timeout)
                     .thenApply(decisions -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                                                             write(contacts, decisions)));
    }

    private static CompletableFuture<HttpResponse> completed(HttpStatus status, String message) {
        return CompletableFuture.completedFuture(
                JsonErrorHandler.body(status, message).toHttpResponse());
    }

    private Instant instant(@Nullable String at) {
        if (at == null || at.isEmpty()) {
            return clock.instant();
        }
        final Instant parsed;
        try {
            parsed = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException("at", at, ScrubEngine.AT_RANGE);
        }
        if (!ScrubEngine.judgeable(parsed)) {
            throw new InvalidArgumentException("at", at, ScrubEngine.AT_RANGE);
        }
        return parsed;
    }

    private static boolean bool(String name, @Nullable String value) {
        if (value == null || value.isEmpty() || "true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw new InvalidArgumentException(name, value, "true or false");
    }

    /** Reads the contacts, in order. */
    private List<Contact> readContacts(AggregatedHttpRequest body, CallContext defaults) {
        final List<Contact> contacts = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body.content().array())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidArgumentException("body", describe(p), "a JSON array of {phoneNumber, campaignId}");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                final int index = contacts.size();
                if (index == maxBatch) {
                    throw new TooMany("body: more than " + maxBatch + " contacts (expected: at most " + maxBatch
                                      + " a request; split the batch)");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new InvalidArgumentException("[" + index + "]", describe(p),
                                                       "an object {phoneNumber, campaignId}");
                }
                contacts.add(readContact(p, "[" + index + "]", defaults));
            }
            if (p.nextToken() != null) {
                throw new BadBody("body: more after the array (expected: one JSON array)");
            }
        } catch (JsonProcessingException e) {
            throw new BadBody(malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return contacts;
    }

    /**
     * Reads one contact: {@code phoneNumber}, and optionally where it is ({@code zip},
     * {@code state}) and what the call is ({@code purpose}, {@code dialMethod}, {@code consent});
     * {@code campaignId} and {@code contactId} (a string or a number) for the campaign's lists and
     * caps; other fields, which contact records carry, are skipped.
     */
    private Contact readContact(JsonParser p, String at, CallContext defaults) throws IOException {
        String number = null;
        String zip = null;
        String state = null;
        Purpose purpose = defaults.purpose();
        DialMethod method = defaults.dialMethod();
        Consent consent = null;
        String campaign = null;
        String contact = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            final JsonToken value = p.nextToken();
            final String name = at + '.' + field;
            switch (field) {
                case "phoneNumber" -> number = string(p, name, "a string");
                case "campaignId" -> campaign = id(p, name, "a campaign id (a string)");
                case "contactId" -> contact = id(p, name, "the contact's id (a string)");
                case "zip" -> {
                    zip = zip(p, name);
                    if (zip != null) {
                        engine.times().locator().ofZip(name, zip);
                    }
                }
                case "state" -> {
                    // An empty field (a CRM export's blank column) is no field.
                    state = blankIsNull(optionalString(p, name, "a state or province code such as FL or ON"));
                    if (state != null) {
                        engine.times().locator().ofState(name, state);
                    }
                }
                case "purpose" -> purpose = purpose(name, optionalString(p, name, Purpose.expected()), purpose);
                case "dialMethod" -> method = dialMethod(name, optionalString(p, name, DialMethod.expected()), method);
                case "consent" -> consent = value == JsonToken.VALUE_NULL ? null : consent(p, name);
                default -> p.skipChildren();
            }
        }
        if (number == null) {
            throw new InvalidArgumentException(at + ".phoneNumber", InvalidArgumentException.MISSING, "a string");
        }
        return new Contact(number, zip, state, new CallContext(purpose, method, consent), campaign, contact);
    }

    /** Reads an id: a string or a number (a CRM export's); blank or null is absent. */
    private static @Nullable String id(JsonParser p, String name, String expected) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        return blankIsNull(optionalString(p, name, expected));
    }

    private static String string(JsonParser p, String name, String expected) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidArgumentException(name, describe(p), expected);
        }
        return p.getText();
    }

    private static @Nullable String optionalString(JsonParser p, String name, String expected) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : string(p, name, expected);
    }

    /** Reads a ZIP: a string, or a number (a spreadsheet's), its leading zeros restored; blank is absent. */
    private static @Nullable String zip(JsonParser p, String name) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            final long n = p.getLongValue();
            if (n < 0 || n > 99_999) {
                throw new InvalidArgumentException(name, new Raw(p.getText()), "a US ZIP code such as 33101, or a "
                                                                              + "Canadian postal code");
            }
            return String.format(java.util.Locale.ROOT, "%05d", n);
        }
        return blankIsNull(optionalString(p, name, "a US ZIP or Canadian postal code"));
    }

    private static @Nullable String blankIsNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Consent consent(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidArgumentException(name, describe(p), "an object {type, grantedAt, expiresAt?}");
        }
        Consent.Type type = null;
        Instant granted = null;
        Instant expires = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            final String field = p.currentName();
            p.nextToken();
            final String inner = name + '.' + field;
            switch (field) {
                case "type" -> {
                    final String text = string(p, inner, Consent.Type.expected());
                    type = Consent.Type.of(text);
                    if (type == null) {
                        throw new InvalidArgumentException(inner, text, "one of " + Consent.Type.expected());
                    }
                }
                case "grantedAt" -> granted = consentInstant(string(p, inner, "an ISO-8601 instant"), inner);
                case "expiresAt" -> {
                    final String text = optionalString(p, inner, "an ISO-8601 instant");
                    expires = text == null ? null : consentInstant(text, inner);
                }
                default -> throw new InvalidArgumentException(inner, new Raw("an unknown field"),
                                                              "type, grantedAt and optionally expiresAt");
            }
        }
        if (type == null) {
            throw new InvalidArgumentException(name + ".type", InvalidArgumentException.MISSING,
                                               "one of " + Consent.Type.expected());
        }
        if (granted == null) {
            throw new InvalidArgumentException(name + ".grantedAt", InvalidArgumentException.MISSING,
                                               "an ISO-8601 instant: when consent was given, or the transaction "
                                               + "or inquiry date");
        }
        return new Consent(type, granted, expires);
    }

    private static Instant consentInstant(String text, String name) {
        try {
            final Instant parsed = Instant.parse(text);
            if (ScrubEngine.judgeable(parsed)) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // below
        }
        throw new InvalidArgumentException(name, text, ScrubEngine.AT_RANGE);
    }

    /** Returns the purpose that field {@code name} says, or {@code otherwise} when absent. */
    static Purpose purpose(String name, @Nullable String value, Purpose otherwise) {
        return WireNames.parse(Purpose.class, name, value, otherwise);
    }

    /** Returns the dial method that field {@code name} says, or {@code otherwise} when absent. */
    static @Nullable DialMethod dialMethod(String name, @Nullable String value, @Nullable DialMethod otherwise) {
        return WireNames.parse(DialMethod.class, name, value, otherwise);
    }

    /** Returns the current token as an error message shows it: strings quoted, anything else as written. */
    private static Object describe(JsonParser p) throws IOException {
        final JsonToken t = p.currentToken();
        if (t == null) {
            return new Raw("nothing");
        }
        return switch (t) {
            case START_OBJECT -> new Raw("an object");
            case START_ARRAY -> new Raw("an array");
            case VALUE_STRING -> p.getText();
            default -> new Raw(p.getText());
        };
    }

    /** Says where and why a body is not JSON, without the parser's excerpt of the input. */
    static String malformed(JsonProcessingException e) {
        final String where = e.getLocation() == null ? ""
                             : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return "body: not valid JSON" + where + ": " + ErrorMessages.describe(e);
    }

    /** A JSON value shown as written, unquoted. */
    private record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A body that is not JSON. */
    private static final class BadBody extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message, null, false, false);
        }
    }

    private byte[] write(List<Contact> contacts, ScrubEngine.Decision[] decisions) {
        int blocked = 0;
        for (ScrubEngine.Decision d : decisions) {
            if (d.blocked()) {
                blocked++;
            }
        }
        metrics.record(decisions);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 80 * decisions.length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("total", decisions.length);
            g.writeNumberField("blocked", blocked);
            g.writeNumberField("allowed", decisions.length - blocked);
            g.writeArrayFieldStart("decisions");
            for (int i = 0; i < decisions.length; i++) {
                final ScrubEngine.Decision d = decisions[i];
                g.writeStartObject();
                g.writeStringField("phoneNumber", contacts.get(i).phoneNumber());
                g.writeBooleanField("blocked", d.blocked());
                g.writeStringField("reason", d.reason());
                if (d.detail() != null) {
                    g.writeStringField("detail", d.detail());
                }
                if (d.rule() != null) {
                    g.writeStringField("rule", d.rule().id());
                    if (d.rule().jurisdiction() != null) {
                        g.writeStringField("jurisdiction", d.rule().jurisdiction());
                    }
                    g.writeStringField("citation", d.rule().citation());
                }
                if (d.nextAllowedAt() != null) {
                    g.writeStringField("nextAllowedAt", d.nextAllowedAt().toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** More contacts than the limit. */
    private static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooMany(String message) {
            super(message, null, false, false);
        }
    }
}
