package io.switchboard.gateway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.resilience.RetryPolicy;

/**
 * Everything the gateway is configured with. Immutable; load it with {@link ConfigLoader},
 * or start from {@link #defaults()} and use the {@code withX} copies. Every component states
 * its default; a {@code null} in a file means "use the default".
 *
 * @param server where and how the gateway listens
 * @param dataDir where state is kept. Default {@code ./data} ({@code SWITCHBOARD_DATA_DIR})
 * @param auth inbound credentials
 * @param genesys the Genesys Cloud organisation; without credentials the built-in sandbox serves
 * @param retry how upstream failures are retried
 * @param breaker when the upstream's circuit opens
 * @param commandTimeout the deadline of a command whose caller set none. Default 10 s
 * @param mute how mutes are confirmed and bounded
 * @param redis the Redis that replicas share; none by default ({@code SWITCHBOARD_REDIS_URL})
 * @param recordingSync the webhook told about mute changes; none by default
 * @param compliance outbound-compliance settings
 * @param cxone the NICE CXone tenant; without credentials the built-in sandbox serves
 * @param ivr where flows are found, and which prompt URLs they may use
 */
public record GatewayConfig(Server server, Path dataDir, Auth auth, Genesys genesys, Retry retry, Breaker breaker,
                            Duration commandTimeout, Mute mute, Redis redis, RecordingSync recordingSync,
                            Compliance compliance, Cxone cxone, Ivr ivr) {

    /** Fills in defaults for absent components. */
    public GatewayConfig {
        server = Objects.requireNonNullElseGet(server, Server::defaults);
        dataDir = Objects.requireNonNullElse(dataDir, Path.of("data"));
        auth = Objects.requireNonNullElseGet(auth, () -> new Auth(List.of()));
        genesys = Objects.requireNonNullElseGet(genesys, Genesys::none);
        retry = Objects.requireNonNullElseGet(retry, Retry::defaults);
        breaker = Objects.requireNonNullElseGet(breaker, Breaker::defaults);
        commandTimeout = Objects.requireNonNullElse(commandTimeout, Duration.ofSeconds(10));
        mute = Objects.requireNonNullElseGet(mute, Mute::defaults);
        redis = Objects.requireNonNullElseGet(redis, () -> new Redis(null));
        recordingSync = Objects.requireNonNullElseGet(recordingSync, () -> new RecordingSync(null, null, null));
        compliance = Objects.requireNonNullElseGet(compliance, Compliance::defaults);
        cxone = Objects.requireNonNullElseGet(cxone, () -> new Cxone(null, null, null, null));
        ivr = Objects.requireNonNullElseGet(ivr, () -> new Ivr(null, null));
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
        }
    }

    /** Returns the defaults: loopback:8080, {@code ./data}, no API keys, sandbox platform. */
    public static GatewayConfig defaults() {
        return new GatewayConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Returns a copy with {@code server}. */
    public GatewayConfig withServer(Server server) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy keeping state in {@code dataDir}. */
    public GatewayConfig withDataDir(Path dataDir) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy with {@code auth}. */
    public GatewayConfig withAuth(Auth auth) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy with {@code genesys}. */
    public GatewayConfig withGenesys(Genesys genesys) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy with {@code retry}. */
    public GatewayConfig withRetry(Retry retry) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy with {@code breaker}. */
    public GatewayConfig withBreaker(Breaker breaker) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy that shares state through {@code redis}. */
    public GatewayConfig withRedis(Redis redis) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy with {@code compliance}. */
    public GatewayConfig withCompliance(Compliance compliance) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /** Returns a copy that tells {@code recordingSync} about mute changes. */
    public GatewayConfig withRecordingSync(RecordingSync recordingSync) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr);
    }

    /**
     * The NICE CXone tenant whose calls IVR flows run on. Environment: {@code CXONE_TENANT},
     * {@code CXONE_BASE_URL}, {@code CXONE_CLIENT_ID}, {@code CXONE_CLIENT_SECRET}.
     *
     * @param tenant the tenant: the API is at {@code https://<tenant>.api.cxone.com}
     * @param baseUrl the API's base URL instead, e.g. a separate sandbox's
     * @param clientId the OAuth client id
     * @param clientSecret the OAuth client secret; never logged
     */
    public record Cxone(@Nullable String tenant, @Nullable URI baseUrl, @Nullable String clientId,
                        @Nullable String clientSecret) {

        /** Returns whether credentials are configured; otherwise the built-in sandbox serves. */
        public boolean hasCredentials() {
            return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isEmpty();
        }

        @Override
        public String toString() {
            return "Cxone{tenant=" + tenant + ", baseUrl=" + baseUrl + ", clientId=" + clientId + ", clientSecret="
                   + (clientSecret == null ? null : "<redacted>") + '}';
        }
    }

    /**
     * IVR flows.
     *
     * @param flowsDir where flows are found by name ({@code NAME.yaml}), before the shipped ones.
     *        Default {@code ./flows}
     * @param mediaHosts the hosts prompts may come from (and their subdomains); default none
     *        listed: any host but internal ones. Prompts are always https
     */
    public record Ivr(Path flowsDir, List<String> mediaHosts) {
        /** Fills in defaults. */
        public Ivr {
            flowsDir = Objects.requireNonNullElse(flowsDir, Path.of("flows"));
            mediaHosts = List.copyOf(Objects.requireNonNullElse(mediaHosts, List.of()));
        }
    }

    /**
     * Outbound compliance: how contacts are scrubbed before dialling.
     *
     * @param defaultRegion where numbers written without a country code belong (ISO 3166-1 alpha-2).
     *        Default {@code US}
     * @param callingWindow the local hours in which numbers may be called. Default 08:00-21:00
     * @param geoRules rules by number prefix (country code, NANP area code, any prefix); the
     *        longest prefix that matches wins. Default none
     * @param maxBatch the most contacts one {@code /validate} request may carry. Default 10,000
     * @param scrubTimeout how long the DNC store may take to answer a batch; past it, every number
     *        is blocked as {@code dnc_unavailable}. Default 5 s
     * @param maxImportBytes the largest CSV that {@code POST /v1/dnc/import} accepts. Default 1 GiB
     */
    public record Compliance(String defaultRegion, CallingWindow callingWindow, List<GeoPrefixRule> geoRules,
                             Integer maxBatch, Duration scrubTimeout, Long maxImportBytes) {
        /** Fills in defaults and checks ranges. */
        public Compliance {
            defaultRegion = Objects.requireNonNullElse(defaultRegion, "US");
            callingWindow = Objects.requireNonNullElseGet(callingWindow, () -> new CallingWindow(null, null));
            geoRules = List.copyOf(Objects.requireNonNullElse(geoRules, List.of()));
            maxBatch = Objects.requireNonNullElse(maxBatch, 10_000);
            scrubTimeout = Objects.requireNonNullElse(scrubTimeout, Duration.ofSeconds(5));
            maxImportBytes = Objects.requireNonNullElse(maxImportBytes, 1L << 30);
            if (maxBatch < 1 || maxBatch > 1_000_000) {
                throw new IllegalArgumentException("compliance.maxBatch: " + maxBatch + " (expected: 1..1000000)");
            }
            if (scrubTimeout.isNegative() || scrubTimeout.isZero()) {
                throw new IllegalArgumentException("compliance.scrubTimeout: " + scrubTimeout + " (expected: > 0)");
            }
        }

        /** Returns the defaults. */
        public static Compliance defaults() {
            return new Compliance(null, null, null, null, null, null);
        }

        /** Returns a copy with {@code geoRules}. */
        public Compliance withGeoRules(List<GeoPrefixRule> geoRules) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes);
        }

        /** Returns a copy accepting at most {@code maxBatch} contacts a request. */
        public Compliance withMaxBatch(int maxBatch) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes);
        }
    }

    /**
     * The local hours in which numbers may be called, from {@code start} (inclusive) to
     * {@code end} (exclusive), in each number's own time zone.
     *
     * @param start e.g. {@code "08:00"}. Default 08:00
     * @param end e.g. {@code "21:00"}. Default 21:00
     */
    public record CallingWindow(LocalTime start, LocalTime end) {
        /** Fills in defaults and checks the order. */
        public CallingWindow {
            start = Objects.requireNonNullElse(start, LocalTime.of(8, 0));
            end = Objects.requireNonNullElse(end, LocalTime.of(21, 0));
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("compliance.callingWindow: " + start + "-" + end
                                                   + " (expected: start before end, e.g. 08:00-21:00)");
            }
        }
    }

    /**
     * A geographic rule for every number that starts with {@code prefix}.
     *
     * @param prefix {@code +} and digits: a country code ({@code +44}), a NANP area code ({@code +1808})
     * @param allowed whether the numbers may be called. Default false
     * @param riskLevel the blocked numbers' reason is {@code geo_blocked_<riskLevel>}. Default {@code high}
     */
    public record GeoPrefixRule(String prefix, Boolean allowed, String riskLevel) {
        /** Checks that a prefix is given. */
        public GeoPrefixRule {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("compliance.geoRules[].prefix: <missing> (expected: + and digits, "
                                                   + "e.g. +1808)");
            }
            allowed = Objects.requireNonNullElse(allowed, false);
            riskLevel = Objects.requireNonNullElse(riskLevel, "high");
        }
    }

    /**
     * The webhook told about every confirmed mute change, signed with HMAC-SHA256
     * ({@code SWITCHBOARD_RECORDING_WEBHOOK_URL}, {@code SWITCHBOARD_RECORDING_WEBHOOK_SECRET}).
     *
     * @param url where to POST; none by default, and then nothing is sent
     * @param secret the signing secret, at least 16 characters; required with {@code url}; never logged
     * @param timeout how long one delivery attempt may take. Default 5 s
     */
    public record RecordingSync(@Nullable URI url, @Nullable String secret, Duration timeout) {

        /** Checks that a URL comes with a secret. */
        public RecordingSync {
            timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(5));
            if (url != null && (secret == null || secret.isEmpty())) {
                throw new IllegalArgumentException("recordingSync.secret: <missing> (expected: a signing secret of "
                                                   + "at least 16 characters, with recordingSync.url)");
            }
            if (secret != null && secret.length() < 16) {
                throw new IllegalArgumentException("recordingSync.secret: <redacted> (expected: at least 16 "
                                                   + "characters)");
            }
        }

        @Override
        public String toString() {
            return "RecordingSync{url=" + url + ", secret=<redacted>, timeout=" + timeout + '}';
        }
    }

    /**
     * The Redis that replicas share: today the upstream rate limits.
     *
     * @param url e.g. {@code redis://127.0.0.1:6379}; none by default, and then everything stays in-process
     */
    public record Redis(@Nullable URI url) {
        @Override
        public String toString() {
            // A Redis URL can hold a password.
            return "Redis{url=" + (url == null ? null : url.getScheme() + "://" + url.getHost() + ':' + url.getPort())
                   + '}';
        }
    }

    /**
     * How mutes are confirmed and bounded.
     *
     * @param readBackTimeout how long a change may take to show when read back. Default 2 s
     * @param pollInterval time between read-backs. Default 100 ms
     * @param warnLatency a mute slower than this is logged as a warning. Default 2 s
     * @param defaultMaxDuration when a mute ends by itself if the caller did not say. Default 2 h
     * @param unmuteRetry how soon a failed timed unmute is tried again. Default 5 s
     */
    public record Mute(Duration readBackTimeout, Duration pollInterval, Duration warnLatency,
                       Duration defaultMaxDuration, Duration unmuteRetry) {

        /** Fills in defaults. */
        public Mute {
            readBackTimeout = Objects.requireNonNullElse(readBackTimeout, Duration.ofSeconds(2));
            pollInterval = Objects.requireNonNullElse(pollInterval, Duration.ofMillis(100));
            warnLatency = Objects.requireNonNullElse(warnLatency, Duration.ofSeconds(2));
            defaultMaxDuration = Objects.requireNonNullElse(defaultMaxDuration, Duration.ofHours(2));
            unmuteRetry = Objects.requireNonNullElse(unmuteRetry, Duration.ofSeconds(5));
            if (defaultMaxDuration.compareTo(Duration.ofHours(2)) > 0 || defaultMaxDuration.isNegative()
                || defaultMaxDuration.isZero()) {
                throw new IllegalArgumentException("mute.defaultMaxDuration: " + defaultMaxDuration
                                                   + " (expected: 1s..2h)");
            }
        }

        /** Returns the defaults. */
        public static Mute defaults() {
            return new Mute(null, null, null, null, null);
        }
    }

    /**
     * Where and how the gateway listens.
     *
     * @param host the address to bind. Default {@code 127.0.0.1}; any other needs API keys
     * @param port the port for gRPC and REST. Default 8080; 0 picks a free one
     * @param requestTimeout the most any request may take. Default 30 s
     * @param shutdownGrace how long in-flight requests may finish on SIGTERM. Default 10 s
     * @param maxRequestBytes the largest request body. Default 1 MiB
     * @param connectionDrain at shutdown, how long HTTP/2 clients are told to go away before
     *        connections close. Default 1 s
     */
    public record Server(String host, Integer port, Duration requestTimeout, Duration shutdownGrace,
                         Long maxRequestBytes, Duration connectionDrain) {

        /** Fills in defaults and checks ranges. */
        public Server {
            host = Objects.requireNonNullElse(host, "127.0.0.1");
            port = Objects.requireNonNullElse(port, 8080);
            requestTimeout = Objects.requireNonNullElse(requestTimeout, Duration.ofSeconds(30));
            shutdownGrace = Objects.requireNonNullElse(shutdownGrace, Duration.ofSeconds(10));
            maxRequestBytes = Objects.requireNonNullElse(maxRequestBytes, 1024L * 1024);
            connectionDrain = Objects.requireNonNullElse(connectionDrain, Duration.ofSeconds(1));
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server.port: " + port + " (expected: 0..65535)");
            }
        }

        /** Returns the defaults. */
        public static Server defaults() {
            return new Server(null, null, null, null, null, null);
        }

        /** Returns a copy listening on {@code host}:{@code port}. */
        public Server withAddress(String host, int port) {
            return new Server(host, port, requestTimeout, shutdownGrace, maxRequestBytes, connectionDrain);
        }

        /** Returns a copy that drains connections for {@code connectionDrain} at shutdown. */
        public Server withConnectionDrain(Duration connectionDrain) {
            return new Server(host, port, requestTimeout, shutdownGrace, maxRequestBytes, connectionDrain);
        }
    }

    /**
     * Inbound credentials.
     *
     * @param apiKeys the accepted API keys. Default none: the gateway then binds only to loopback
     */
    public record Auth(List<ApiKey> apiKeys) {

        /** Copies the list. */
        public Auth {
            apiKeys = List.copyOf(Objects.requireNonNullElse(apiKeys, List.of()));
        }
    }

    /**
     * One API key, sent by callers as {@code Authorization: Bearer <key>}. Give either the key
     * itself or its SHA-256 (hex), so that the file need not hold the key.
     *
     * @param name who uses it; recorded as the actor in logs and audit records
     * @param key the key, at least 16 characters
     * @param sha256 the key's SHA-256 in hex, instead of {@code key}
     * @param scopes what it may do, e.g. {@code calls:write}
     */
    public record ApiKey(String name, @Nullable String key, @Nullable String sha256, List<String> scopes) {

        /** Checks that the key is named and given exactly once. */
        public ApiKey {
            requireNonNull(name, "auth.apiKeys[].name");
            scopes = List.copyOf(Objects.requireNonNullElse(scopes, List.of()));
            if ((key == null) == (sha256 == null)) {
                throw new IllegalArgumentException("auth.apiKeys[" + name + "]: (expected: exactly one of key, sha256)");
            }
            if (key != null && key.length() < 16) {
                throw new IllegalArgumentException("auth.apiKeys[" + name + "].key: <redacted> (expected: at least 16 characters)");
            }
            if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("auth.apiKeys[" + name + "].sha256: \"" + sha256
                                                   + "\" (expected: 64 hex digits)");
            }
        }

        @Override
        public String toString() {
            return "ApiKey{name=" + name + ", key=<redacted>, scopes=" + scopes + '}';
        }
    }

    /**
     * The Genesys Cloud organisation. Environment: {@code GENESYS_SUBDOMAIN},
     * {@code GENESYS_CLIENT_ID}, {@code GENESYS_CLIENT_SECRET}, {@code GENESYS_OAUTH_URL}.
     *
     * @param region the organisation's region for the Platform API (mute): a region name such as
     *        {@code us_east_1}, a domain, or a base URL ({@code GENESYS_CLOUD_REGION})
     * @param subdomain the organisation's subdomain; the call-control target is
     *        {@code https://<subdomain>.mypurecloud.com:443}
     * @param callControlTarget a full call-control URI instead, e.g. a sandbox's {@code http://127.0.0.1:9090}
     * @param oauthUrl the token endpoint
     * @param clientId the OAuth client id
     * @param clientSecret the OAuth client secret; never logged
     * @param tokenRefreshMargin how long before expiry a token is renewed. Default 30 s
     * @param callControl which API carries DTMF and volume. Default {@code grpc}
     * @param requestsPerMinute the Platform API requests a minute for this OAuth client, shared by
     *        every replica when Redis is configured. Default 300
     */
    public record Genesys(@Nullable String region, @Nullable String subdomain, @Nullable URI callControlTarget,
                          @Nullable URI oauthUrl, @Nullable String clientId, @Nullable String clientSecret,
                          Duration tokenRefreshMargin, CallControlApi callControl, Integer requestsPerMinute) {

        /** Fills in defaults. */
        public Genesys {
            tokenRefreshMargin = Objects.requireNonNullElse(tokenRefreshMargin, Duration.ofSeconds(30));
            callControl = Objects.requireNonNullElse(callControl, CallControlApi.GRPC);
            requestsPerMinute = Objects.requireNonNullElse(requestsPerMinute, 300);
            if (requestsPerMinute < 1) {
                throw new IllegalArgumentException("genesys.requestsPerMinute: " + requestsPerMinute
                                                   + " (expected: >= 1)");
            }
        }

        /** Returns a copy that sends at most {@code requestsPerMinute} Platform API requests a minute. */
        public Genesys withRequestsPerMinute(int requestsPerMinute) {
            return new Genesys(region, subdomain, callControlTarget, oauthUrl, clientId, clientSecret,
                               tokenRefreshMargin, callControl, requestsPerMinute);
        }

        /** Returns a copy whose DTMF and volume commands use {@code callControl}. */
        public Genesys withCallControl(CallControlApi callControl) {
            return new Genesys(region, subdomain, callControlTarget, oauthUrl, clientId, clientSecret,
                               tokenRefreshMargin, callControl, requestsPerMinute);
        }

        /** Returns an unconfigured organisation: the sandbox serves. */
        public static Genesys none() {
            return new Genesys(null, null, null, null, null, null, null, null, null);
        }

        /** Returns a configuration pointing at a sandbox at {@code base} with its default client. */
        public static Genesys sandboxAt(URI base) {
            return new Genesys(base.toString(), null, base, base.resolve("/oauth/token"), "sandbox", "sandbox", null,
                               null, null);
        }

        /** Returns whether credentials are configured; otherwise the built-in sandbox serves. */
        public boolean hasCredentials() {
            return clientId != null && !clientId.isBlank() && clientSecret != null && !clientSecret.isEmpty();
        }

        @Override
        public String toString() {
            return "Genesys{region=" + region + ", subdomain=" + subdomain + ", callControlTarget=" + callControlTarget + ", oauthUrl="
                   + oauthUrl + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? null
                                                                                                   : "<redacted>")
                   + ", tokenRefreshMargin=" + tokenRefreshMargin + '}';
        }
    }

    /** Which Genesys Cloud API carries DTMF and volume commands. */
    public enum CallControlApi {
        /** The gRPC call-control contract ({@code genesyscloud.callcontrol.v1}): DTMF per tone, and volume. */
        @com.fasterxml.jackson.annotation.JsonProperty("grpc")
        GRPC,
        /**
         * The Platform API: DTMF through {@code POST .../participants/{id}/digits}, sessions written
         * {@code <conversationId>:<participantId>}; no volume control.
         */
        @com.fasterxml.jackson.annotation.JsonProperty("platform-api")
        PLATFORM_API,
    }

    /**
     * How upstream failures are retried; see {@link RetryPolicy}.
     *
     * @param maxRetries retries after the first attempt. Default 3
     * @param initialBackoff the first backoff. Default 1 s (then 2 s, 4 s: 2^n s)
     * @param maxBackoff the longest backoff. Default 30 s
     * @param multiplier the backoff's growth. Default 2.0
     * @param jitter the random spread of each backoff. Default 0.2 (±20 %)
     * @param maxRetryAfter the longest Retry-After hint waited out. Default 180 s
     * @param budget the total time within which retries may start. Default 5 min
     */
    public record Retry(Integer maxRetries, Duration initialBackoff, Duration maxBackoff, Double multiplier,
                        Double jitter, Duration maxRetryAfter, Duration budget) {

        /** Fills in defaults. */
        public Retry {
            maxRetries = Objects.requireNonNullElse(maxRetries, 3);
            initialBackoff = Objects.requireNonNullElse(initialBackoff, Duration.ofSeconds(1));
            maxBackoff = Objects.requireNonNullElse(maxBackoff, Duration.ofSeconds(30));
            multiplier = Objects.requireNonNullElse(multiplier, 2.0);
            jitter = Objects.requireNonNullElse(jitter, 0.2);
            maxRetryAfter = Objects.requireNonNullElse(maxRetryAfter, Duration.ofSeconds(180));
            budget = Objects.requireNonNullElse(budget, Duration.ofMinutes(5));
        }

        /** Returns the defaults. */
        public static Retry defaults() {
            return new Retry(null, null, null, null, null, null, null);
        }

        /** Returns a copy with backoff {@code initial}, growing to {@code max}. */
        public Retry withBackoff(Duration initial, Duration max) {
            return new Retry(maxRetries, initial, max, multiplier, jitter, maxRetryAfter, budget);
        }

        /** Returns the policy these settings describe. */
        public RetryPolicy toPolicy() {
            return RetryPolicy.builder()
                              .maxRetries(maxRetries)
                              .backoff(initialBackoff, maxBackoff, multiplier)
                              .jitter(jitter)
                              .maxRetryAfter(maxRetryAfter)
                              .budget(budget)
                              .build();
        }
    }

    /**
     * When an upstream's circuit opens. While open, commands fail at once with UNAVAILABLE;
     * after {@code openWindow} one trial request is let through, and its success closes it.
     *
     * @param failureRateThreshold the failure rate that opens it. Default 0.5
     * @param minimumRequests requests in the window before it may open. Default 10
     * @param openWindow how long it stays open. Default 10 s
     * @param trialInterval time between trial requests while half-open. Default 3 s
     * @param slidingWindow the window over which the rate is counted. Default 20 s
     */
    public record Breaker(Double failureRateThreshold, Long minimumRequests, Duration openWindow,
                          Duration trialInterval, Duration slidingWindow) {

        /** Fills in defaults. */
        public Breaker {
            failureRateThreshold = Objects.requireNonNullElse(failureRateThreshold, 0.5);
            minimumRequests = Objects.requireNonNullElse(minimumRequests, 10L);
            openWindow = Objects.requireNonNullElse(openWindow, Duration.ofSeconds(10));
            trialInterval = Objects.requireNonNullElse(trialInterval, Duration.ofSeconds(3));
            slidingWindow = Objects.requireNonNullElse(slidingWindow, Duration.ofSeconds(20));
        }

        /** Returns the defaults. */
        public static Breaker defaults() {
            return new Breaker(null, null, null, null, null);
        }
    }
}
