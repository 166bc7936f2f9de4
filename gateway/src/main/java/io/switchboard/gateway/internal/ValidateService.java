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
 * <p>Each contact needs a string {@code phoneNumber}; other fields are carried by contact
 * records and ignored. More contacts than the limit answer 413; malformed JSON answers 400
 * saying where. The body is read as a stream and the answer written as one, both on a
 * blocking-task thread, so that large batches never hold an event loop.
 */
public final class ValidateService implements HttpService {

    private static final JsonFactory JSON = new JsonFactory();

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
        try {
            at = instant(query.get("at"));
            window = bool("callingWindow", query.get("callingWindow"));
        } catch (InvalidArgumentException e) {
            return JsonErrorHandler.body(HttpStatus.BAD_REQUEST, e.getMessage()).toHttpResponse();
        }
        return HttpResponse.of(req.aggregate().thenComposeAsync(body -> {
            final List<String> numbers;
            try {
                numbers = readContacts(body);
            } catch (TooMany e) {
                return completed(HttpStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
            } catch (InvalidArgumentException | BadBody e) {
                return completed(HttpStatus.BAD_REQUEST, e.getMessage());
            }
            return engine.scrub(numbers, at, window, timeout)
                         .thenApply(decisions -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                                                                 write(numbers, decisions)));
        }, ctx.blockingTaskExecutor()));
    }

    private static java.util.concurrent.CompletableFuture<HttpResponse> completed(HttpStatus status, String message) {
        return java.util.concurrent.CompletableFuture.completedFuture(
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

    /** Reads the contacts' phone numbers, in order. */
    private List<String> readContacts(AggregatedHttpRequest body) {
        final List<String> numbers = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body.content().array())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidArgumentException("body", describe(p), "a JSON array of {phoneNumber, campaignId}");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                final int index = numbers.size();
                if (index == maxBatch) {
                    throw new TooMany("body: more than " + maxBatch + " contacts (expected: at most " + maxBatch
                                      + " a request; split the batch)");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new InvalidArgumentException("[" + index + "]", describe(p),
                                                       "an object {phoneNumber, campaignId}");
                }
                String number = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    final String field = p.currentName();
                    final JsonToken value = p.nextToken();
                    if ("phoneNumber".equals(field)) {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new InvalidArgumentException("[" + index + "].phoneNumber", describe(p), "a string");
                        }
                        number = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                if (number == null) {
                    throw new InvalidArgumentException("[" + index + "].phoneNumber", InvalidArgumentException.MISSING, "a string");
                }
                numbers.add(number);
            }
            if (p.nextToken() != null) {
                throw new BadBody("body: more after the array (expected: one JSON array)");
            }
        } catch (JsonProcessingException e) {
            throw new BadBody(malformed(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return numbers;
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

    private byte[] write(List<String> numbers, ScrubEngine.Decision[] decisions) {
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
                g.writeStringField("phoneNumber", numbers.get(i));
                g.writeBooleanField("blocked", d.blocked());
                g.writeStringField("reason", d.reason());
                if (d.detail() != null) {
                    g.writeStringField("detail", d.detail());
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
