package io.switchboard.gateway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.compliance.sync.DncListSync;
import io.switchboard.compliance.sync.WorkFiles;
import io.switchboard.core.calls.MuteVerifier;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.core.resilience.RetryPolicy;
import io.switchboard.platforms.cxone.CxoneOptions;
import io.switchboard.platforms.cxone.CxonePlatform;
import io.switchboard.platforms.genesys.GenesysOptions;
import io.switchboard.platforms.genesys.GenesysPlatform;

/**
 * Everything the gateway is configured with. Immutable; load it with {@link ConfigLoader},
 * or start from {@link #defaults()} and use the {@code withX} copies. Every component states
 * its default; a {@code null} in a file means "use the default".
 *
 * @param server where and how the gateway listens
 * @param dataDir where state is kept. Default {@code ./data} ({@code SWITCHBOARD_DATA_DIR})
 * @param auth inbound credentials
 * @param genesys the Genesys Cloud organisation; without credentials its capabilities are not configured
 * @param retry how upstream failures are retried
 * @param breaker when the upstream's circuit opens
 * @param commandTimeout the deadline of a command whose caller set none. Default 10 s
 * @param mute how mutes are confirmed and bounded
 * @param redis the Redis that replicas share; none by default ({@code SWITCHBOARD_REDIS_URL})
 * @param recordingSync the webhook told about mute changes; none by default
 * @param compliance outbound-compliance settings
 * @param cxone the NICE CXone tenant; without credentials its capabilities are not configured
 * @param ivr where flows are found, and which prompt URLs they may use
 * @param routes which platform serves which capability
 */
public record GatewayConfig(Server server, Path dataDir, Auth auth, GenesysOptions genesys, Retry retry,
                            Breaker breaker, Duration commandTimeout, Mute mute, Redis redis,
                            RecordingSync recordingSync, Compliance compliance, CxoneOptions cxone, Ivr ivr,
                            Routes routes) {

    /** A command's deadline when the caller sets none: 10 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /** Where state is kept: {@code ./data}. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    /** Fills in defaults for absent components. */
    public GatewayConfig {
        server = Objects.requireNonNullElseGet(server, Server::defaults);
        dataDir = Objects.requireNonNullElse(dataDir, DEFAULT_DATA_DIR).normalize();
        auth = Objects.requireNonNullElseGet(auth, () -> new Auth(List.of()));
        genesys = Objects.requireNonNullElseGet(genesys, GenesysOptions::none);
        retry = Objects.requireNonNullElseGet(retry, Retry::defaults);
        breaker = Objects.requireNonNullElseGet(breaker, Breaker::defaults);
        commandTimeout = Objects.requireNonNullElse(commandTimeout, DEFAULT_COMMAND_TIMEOUT);
        mute = Objects.requireNonNullElseGet(mute, Mute::defaults);
        redis = Objects.requireNonNullElseGet(redis, () -> new Redis((String) null, null));
        recordingSync = Objects.requireNonNullElseGet(recordingSync, () -> new RecordingSync(null, null, null));
        compliance = Objects.requireNonNullElseGet(compliance, Compliance::defaults);
        cxone = Objects.requireNonNullElseGet(cxone, CxoneOptions::none);
        ivr = Objects.requireNonNullElseGet(ivr, () -> new Ivr(null, null));
        routes = Objects.requireNonNullElseGet(routes, Routes::defaults);
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
        }
    }

    /** Returns the defaults: loopback:8080, {@code ./data}, no API keys, no platform configured. */
    public static GatewayConfig defaults() {
        return new GatewayConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Returns whether any platform has credentials. */
    public boolean anyPlatformConfigured() {
        return genesys.hasCredentials() || cxone.hasCredentials();
    }

    /** Returns a copy with {@code server}. */
    public GatewayConfig withServer(Server server) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy keeping state in {@code dataDir}. */
    public GatewayConfig withDataDir(Path dataDir) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code auth}. */
    public GatewayConfig withAuth(Auth auth) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code genesys}. */
    public GatewayConfig withGenesys(GenesysOptions genesys) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code retry}. */
    public GatewayConfig withRetry(Retry retry) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code breaker}. */
    public GatewayConfig withBreaker(Breaker breaker) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy that shares state through {@code redis}. */
    public GatewayConfig withRedis(Redis redis) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code compliance}. */
    public GatewayConfig withCompliance(Compliance compliance) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code cxone}. */
    public GatewayConfig withCxone(CxoneOptions cxone) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy with {@code routes}. */
    public GatewayConfig withRoutes(Routes routes) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
    }

    /** Returns a copy that tells {@code recordingSync} about mute changes. */
    public GatewayConfig withRecordingSync(RecordingSync recordingSync) {
        return new GatewayConfig(server, dataDir, auth, genesys, retry, breaker, commandTimeout, mute, redis,
                                 recordingSync, compliance, cxone, ivr, routes);
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
            flowsDir = Objects.requireNonNullElse(flowsDir, Path.of("flows")).normalize();
            mediaHosts = List.copyOf(Objects.requireNonNullElse(mediaHosts, List.of()));
        }
    }

    /**
     * Outbound compliance: how contacts are scrubbed before dialling.
     *
     * @param defaultRegion where numbers written without a country code belong (ISO 3166-1 alpha-2).
     *        Default {@code US}
     * @param callingWindow the operator's own window: local hours for every call (a floor under the
     *        rule pack), or only for numbers outside the pack's jurisdictions. Default 08:00-21:00,
     *        every call
     * @param rulesDir a directory of {@code <jurisdiction>.yaml} rule files that add to or replace
     *        the shipped rule pack's, or null. Default none
     * @param unknownJurisdiction what a NANP number whose area code maps to no state or province
     *        (toll-free, non-geographic) is judged by: {@code strictest} (every US and Canadian
     *        jurisdiction's rules) or {@code block}. Default {@code strictest}
     * @param geoRules rules by number prefix (country code, NANP area code, any prefix); the
     *        longest prefix that matches wins. Default none
     * @param maxBatch the most contacts one {@code /validate} request may carry. Default 10,000
     * @param scrubTimeout how long the DNC store may take to answer a batch; past it, every number
     *        is blocked as {@code dnc_unavailable}. Default 5 s
     * @param maxImportBytes the largest CSV that {@code POST /v1/dnc/import} accepts. Default 1 GiB
     * @param maxRejectsBytes the largest a rejects file of an import or sync grows; later
     *        rejected rows are counted, not listed. Default 16 MiB
     * @param importRetention how long import and sync files (checkpoints, reports, rejects) are
     *        kept in the data directory. Default 30 days
     */
    public record Compliance(String defaultRegion, CallingWindow callingWindow, List<GeoPrefixRule> geoRules,
                             Integer maxBatch, Duration scrubTimeout, Long maxImportBytes, Long maxRejectsBytes,
                             Duration importRetention, @Nullable Path rulesDir, String unknownJurisdiction,
                             List<CampaignCap> campaignCaps, Duration attemptReleaseGrace,
                             Map<String, List<String>> brands, Duration registryMaxAge) {
        /** Fills in defaults and checks ranges. */
        public Compliance {
            defaultRegion = Objects.requireNonNullElse(defaultRegion, "US");
            callingWindow = Objects.requireNonNullElseGet(callingWindow, () -> new CallingWindow(null, null, null));
            geoRules = List.copyOf(Objects.requireNonNullElse(geoRules, List.of()));
            maxBatch = Objects.requireNonNullElse(maxBatch, ScrubEngine.DEFAULT_MAX_BATCH);
            scrubTimeout = Objects.requireNonNullElse(scrubTimeout, ScrubEngine.DEFAULT_DEADLINE);
            maxImportBytes = Objects.requireNonNullElse(maxImportBytes, 1L << 30);
            maxRejectsBytes = Objects.requireNonNullElse(maxRejectsBytes, DncListSync.DEFAULT_MAX_REJECTS_BYTES);
            importRetention = Objects.requireNonNullElse(importRetention, WorkFiles.DEFAULT_RETENTION);
            unknownJurisdiction = Objects.requireNonNullElse(unknownJurisdiction, "strictest");
            campaignCaps = Objects.requireNonNullElse(campaignCaps, List.of());
            for (int i = 0; i < campaignCaps.size(); i++) {
                if (campaignCaps.get(i) == null) {
                    throw new IllegalArgumentException("compliance.campaignCaps[" + i + "]: null (expected: "
                                                       + "{campaign, limit, window})");
                }
            }
            campaignCaps = List.copyOf(campaignCaps);
            attemptReleaseGrace = Objects.requireNonNullElse(attemptReleaseGrace, Duration.ofSeconds(60));
            brands = Objects.requireNonNullElse(brands, Map.of());
            for (Map.Entry<String, List<String>> b : brands.entrySet()) {
                if (b.getKey() == null || b.getValue() == null || b.getValue().stream().anyMatch(Objects::isNull)) {
                    throw new IllegalArgumentException("compliance.brands." + b.getKey() + ": " + b.getValue()
                                                       + " (expected: a brand name and a list of its campaign ids)");
                }
            }
            brands = Map.copyOf(brands);
            registryMaxAge = Objects.requireNonNullElse(registryMaxAge, Duration.ofDays(31));
            if (attemptReleaseGrace.isNegative() || attemptReleaseGrace.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("compliance.attemptReleaseGrace: " + attemptReleaseGrace
                                                   + " (expected: 0s to 1h)");
            }
            if (registryMaxAge.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("compliance.registryMaxAge: " + registryMaxAge
                                                   + " (expected: at least 1d)");
            }
            for (Map.Entry<String, List<String>> b : brands.entrySet()) {
                if (!b.getKey().matches(NAME) || b.getValue() == null || b.getValue().isEmpty()
                    || b.getValue().stream().anyMatch(c -> c == null || !c.matches(NAME))) {
                    throw new IllegalArgumentException("compliance.brands." + b.getKey() + ": " + b.getValue()
                                                       + " (expected: a brand name and its campaign ids, each 1-128 "
                                                       + "letters, digits, '.', '_' or '-')");
                }
            }
            if (!unknownJurisdiction.equals("strictest") && !unknownJurisdiction.equals("block")) {
                throw new IllegalArgumentException("compliance.unknownJurisdiction: \"" + unknownJurisdiction
                                                   + "\" (expected: strictest or block)");
            }
            if (maxRejectsBytes < 1024) {
                throw new IllegalArgumentException("compliance.maxRejectsBytes: " + maxRejectsBytes
                                                   + " (expected: >= 1024)");
            }
            if (importRetention.compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("compliance.importRetention: " + importRetention
                                                   + " (expected: at least 1h)");
            }
            if (maxBatch < 1 || maxBatch > 1_000_000) {
                throw new IllegalArgumentException("compliance.maxBatch: " + maxBatch + " (expected: 1..1000000)");
            }
            if (scrubTimeout.isNegative() || scrubTimeout.isZero()) {
                throw new IllegalArgumentException("compliance.scrubTimeout: " + scrubTimeout + " (expected: > 0)");
            }
        }

        /** Returns the defaults. */
        public static Compliance defaults() {
            return new Compliance(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** What a campaign id or brand name may be: 1-128 letters, digits, '.', '_' or '-'. */
        public static final String NAME = "[A-Za-z0-9._-]{1,128}";

        /** Returns the brands campaign {@code campaignId} belongs to. */
        public List<String> brandsOf(String campaignId) {
            final List<String> found = new java.util.ArrayList<>(1);
            brands.forEach((brand, campaigns) -> {
                if (campaigns.contains(campaignId)) {
                    found.add(brand);
                }
            });
            java.util.Collections.sort(found);
            return found;
        }

        /** Returns a copy with {@code caps} as the campaigns' own caps. */
        public Compliance withCampaignCaps(List<CampaignCap> caps) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes,
                                  maxRejectsBytes, importRetention, rulesDir, unknownJurisdiction, caps,
                                  attemptReleaseGrace, brands, registryMaxAge);
        }

        /** Returns a copy with {@code brands}, brand name to campaign ids. */
        public Compliance withBrands(Map<String, List<String>> brands) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes,
                                  maxRejectsBytes, importRetention, rulesDir, unknownJurisdiction, campaignCaps,
                                  attemptReleaseGrace, brands, registryMaxAge);
        }

        /** Returns a copy with {@code geoRules}. */
        public Compliance withGeoRules(List<GeoPrefixRule> geoRules) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes,
                                  maxRejectsBytes, importRetention, rulesDir, unknownJurisdiction, campaignCaps,
                                  attemptReleaseGrace, brands, registryMaxAge);
        }

        /** Returns a copy reading rule files from {@code rulesDir} too. */
        public Compliance withRulesDir(Path rulesDir) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes,
                                  maxRejectsBytes, importRetention, rulesDir, unknownJurisdiction, campaignCaps,
                                  attemptReleaseGrace, brands, registryMaxAge);
        }

        /** Returns a copy accepting at most {@code maxBatch} contacts a request. */
        public Compliance withMaxBatch(int maxBatch) {
            return new Compliance(defaultRegion, callingWindow, geoRules, maxBatch, scrubTimeout, maxImportBytes,
                                  maxRejectsBytes, importRetention, rulesDir, unknownJurisdiction, campaignCaps,
                                  attemptReleaseGrace, brands, registryMaxAge);
        }
    }

    /**
     * The operator's own calling window, from {@code start} (inclusive) to {@code end}
     * (exclusive), in each number's own time zones.
     *
     * @param start e.g. {@code "08:00"}. Default 08:00
     * @param end e.g. {@code "21:00"}. Default 21:00
     * @param appliesTo {@code every_call}: a floor under the rule pack's rules for every call,
     *        whatever its purpose or consent; {@code outside_rule_pack}: only numbers that no
     *        jurisdiction of the pack covers (outside the US and Canada). Default {@code every_call}
     */
    public record CallingWindow(LocalTime start, LocalTime end, String appliesTo) {
        /** Fills in defaults and checks the order. */
        public CallingWindow {
            start = Objects.requireNonNullElse(start, LocalTime.of(8, 0));
            end = Objects.requireNonNullElse(end, LocalTime.of(21, 0));
            appliesTo = Objects.requireNonNullElse(appliesTo, "every_call");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("compliance.callingWindow: " + start + "-" + end
                                                   + " (expected: start before end, e.g. 08:00-21:00)");
            }
            if (!appliesTo.equals("every_call") && !appliesTo.equals("outside_rule_pack")) {
                throw new IllegalArgumentException("compliance.callingWindow.appliesTo: \"" + appliesTo
                                                   + "\" (expected: every_call or outside_rule_pack)");
            }
        }

        /** Returns whether the window applies to every call, not only outside the rule pack. */
        public boolean everyCall() {
            return appliesTo.equals("every_call");
        }
    }

    /**
     * A campaign's own frequency cap: at most {@code limit} attempts per person in any rolling
     * {@code window}, for the purposes and dial methods given (default: every one).
     */
    public record CampaignCap(String campaign, Integer limit, Duration window, @Nullable List<String> purposes,
                              @Nullable List<String> dialMethods) {
        /** Checks the fields. */
        public CampaignCap {
            if (campaign == null || !campaign.matches(Compliance.NAME)) {
                throw new IllegalArgumentException("compliance.campaignCaps[].campaign: " + campaign
                                                   + " (expected: a campaign id, 1-128 letters, digits, '.', '_' or '-')");
            }
            if (limit == null || limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("compliance.campaignCaps[" + campaign + "].limit: " + limit
                                                   + " (expected: 1..1000)");
            }
            if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(400)) > 0) {
                throw new IllegalArgumentException("compliance.campaignCaps[" + campaign + "].window: " + window
                                                   + " (expected: 1s to 400d)");
            }
            purposes = purposes == null ? null : List.copyOf(purposes);
            dialMethods = dialMethods == null ? null : List.copyOf(dialMethods);
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
     * The Redis that replicas share: the DNC store and its lists, the attempt counters, the
     * upstream rate limits and idempotency keys.
     *
     * @param url e.g. {@code redis://127.0.0.1:6379}, or a comma-separated list of a Redis
     *        Cluster's nodes; none by default, and then everything stays in-process
     *        ({@code SWITCHBOARD_REDIS_URL})
     * @param layout how DNC numbers are keyed: {@code legacy} (the seed's keys: one SET for the
     *        whole list), {@code sharded} (one SET per number prefix, which a cluster spreads
     *        over its nodes) or {@code dual} (writes both, and a number is listed if either lists
     *        it: for migrating). Default
     *        {@code legacy} on one server, {@code sharded} on a cluster, where {@code legacy} and
     *        {@code dual} are refused ({@code SWITCHBOARD_REDIS_LAYOUT})
     */
    public record Redis(@Nullable String url, @Nullable String layout) {

        /** The layouts, for messages. */
        public static final List<String> LAYOUTS = List.of("legacy", "sharded", "dual");

        /** Checks the URL and the layout, and fills in the layout's default. */
        public Redis {
            if (url != null && url.isBlank()) {
                url = null;
            }
            if (layout != null && !LAYOUTS.contains(layout)) {
                throw new IllegalArgumentException("redis.layout: \"" + layout + "\" (expected: one of " + LAYOUTS + ')');
            }
            if (url != null) {
                final RedisEndpoint endpoint = parse(url);
                if (layout == null) {
                    layout = endpoint.cluster() ? "sharded" : "legacy";
                } else if (endpoint.cluster() && !layout.equals("sharded")) {
                    throw new IllegalArgumentException(
                            "redis.layout: " + layout + " on a Redis Cluster (expected: sharded; the legacy layout keeps "
                            + "every number of a list in one key, which a cluster places on one node)");
                }
            } else if (layout == null) {
                layout = "legacy";
            }
        }

        private static RedisEndpoint parse(String url) {
            try {
                return RedisEndpoint.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("redis.url: " + e.getMessage(), null);
            }
        }

        /** The Redis at {@code url}, in its default layout. */
        public Redis(@Nullable URI url) {
            this(url == null ? null : url.toString(), null);
        }

        /** Returns the endpoint, or null when none is configured. */
        public @Nullable RedisEndpoint endpoint() {
            return url == null ? null : RedisEndpoint.parse(url);
        }

        @Override
        public String toString() {
            // A Redis URL can hold a password.
            return "Redis{url=" + (url == null ? null : RedisEndpoint.parse(url).redacted()) + ", layout=" + layout + '}';
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
            readBackTimeout = Objects.requireNonNullElse(readBackTimeout, MuteVerifier.DEFAULT_READ_BACK_TIMEOUT);
            pollInterval = Objects.requireNonNullElse(pollInterval, MuteVerifier.DEFAULT_POLL_INTERVAL);
            warnLatency = Objects.requireNonNullElse(warnLatency, Duration.ofSeconds(2));
            defaultMaxDuration = Objects.requireNonNullElse(defaultMaxDuration, MuteVerifier.MAX_MUTE);
            unmuteRetry = Objects.requireNonNullElse(unmuteRetry, Duration.ofSeconds(5));
            if (defaultMaxDuration.compareTo(MuteVerifier.MAX_MUTE) > 0 || defaultMaxDuration.isNegative()
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
     * @param hostnames the names callers reach the gateway by, checked against each request's
     *        {@code Host} (421 otherwise). Default none: the loopback names when listening on
     *        loopback, any name otherwise
     * @param cors which web origins may call the REST API from a browser. Default none
     */
    public record Server(String host, Integer port, Duration requestTimeout, Duration shutdownGrace,
                         Long maxRequestBytes, Duration connectionDrain, List<String> hostnames, Cors cors) {

        /** Fills in defaults and checks ranges. */
        public Server {
            host = Objects.requireNonNullElse(host, "127.0.0.1");
            port = Objects.requireNonNullElse(port, 8080);
            requestTimeout = Objects.requireNonNullElse(requestTimeout, Duration.ofSeconds(30));
            shutdownGrace = Objects.requireNonNullElse(shutdownGrace, Duration.ofSeconds(10));
            maxRequestBytes = Objects.requireNonNullElse(maxRequestBytes, 1024L * 1024);
            connectionDrain = Objects.requireNonNullElse(connectionDrain, Duration.ofSeconds(1));
            hostnames = List.copyOf(Objects.requireNonNullElse(hostnames, List.of()));
            cors = Objects.requireNonNullElseGet(cors, () -> new Cors(null));
            for (String name : hostnames) {
                if (!name.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                    throw new IllegalArgumentException("server.hostnames: \"" + name + "\" (expected: host names or "
                                                       + "addresses without a port, e.g. switchboard.example.com)");
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server.port: " + port + " (expected: 0..65535)");
            }
        }

        /** Returns the defaults. */
        public static Server defaults() {
            return new Server(null, null, null, null, null, null, null, null);
        }

        /** Returns a copy listening on {@code host}:{@code port}. */
        public Server withAddress(String host, int port) {
            return new Server(host, port, requestTimeout, shutdownGrace, maxRequestBytes, connectionDrain, hostnames, cors);
        }

        /** Returns a copy that accepts requests whose {@code Host} is one of {@code hostnames}. */
        public Server withHostnames(List<String> hostnames) {
            return new Server(host, port, requestTimeout, shutdownGrace, maxRequestBytes, connectionDrain, hostnames, cors);
        }

        /** Returns a copy whose REST API may be called from pages of {@code cors}'s origins. */
        public Server withCors(Cors cors) {
            return new Server(host, port, requestTimeout, shutdownGrace, maxRequestBytes, connectionDrain, hostnames, cors);
        }

        /** Returns a copy that drains connections for {@code connectionDrain} at shutdown. */
        public Server withConnectionDrain(Duration connectionDrain) {
            return new Server(host, port, requestTimeout, shutdownGrace, maxRequestBytes, connectionDrain, hostnames, cors);
        }
    }

    /**
     * Cross-origin resource sharing: the web origins whose pages may call the REST API from a
     * browser. Without any, no CORS header is sent and browsers keep other origins' pages out.
     *
     * @param allowedOrigins e.g. {@code https://desk.example.com}. Default none
     */
    public record Cors(List<String> allowedOrigins) {
        /** Checks the origins. */
        public Cors {
            allowedOrigins = List.copyOf(Objects.requireNonNullElse(allowedOrigins, List.of()));
            for (String origin : allowedOrigins) {
                if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                    throw new IllegalArgumentException("server.cors.allowedOrigins: \"" + origin + "\" (expected: an "
                                                       + "origin, scheme://host[:port], e.g. https://desk.example.com)");
                }
            }
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
            maxRetries = Objects.requireNonNullElse(maxRetries, RetryPolicy.DEFAULT_MAX_RETRIES);
            initialBackoff = Objects.requireNonNullElse(initialBackoff, RetryPolicy.DEFAULT_INITIAL_BACKOFF);
            maxBackoff = Objects.requireNonNullElse(maxBackoff, RetryPolicy.DEFAULT_MAX_BACKOFF);
            multiplier = Objects.requireNonNullElse(multiplier, RetryPolicy.DEFAULT_MULTIPLIER);
            jitter = Objects.requireNonNullElse(jitter, RetryPolicy.DEFAULT_JITTER);
            maxRetryAfter = Objects.requireNonNullElse(maxRetryAfter, RetryPolicy.DEFAULT_MAX_RETRY_AFTER);
            budget = Objects.requireNonNullElse(budget, RetryPolicy.DEFAULT_BUDGET);
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

    /**
     * Which platform serves which capability: {@code genesys} or {@code cxone}. A capability
     * routed to a platform without credentials answers that it is not configured (HTTP 422),
     * naming what to set; it is never simulated unless the gateway runs the simulator.
     *
     * @param callControl DTMF and volume. Default {@code genesys}
     * @param conversations participant mute. Default {@code genesys}
     * @param media Play, Collect and IVR flows. Default {@code cxone}
     * @param dncLists DNC lists ({@code /apply-campaign-rules}). Default {@code genesys}
     * @param campaigns campaigns ({@code /apply-campaign-rules}). Default {@code genesys}
     */
    public record Routes(String callControl, String conversations, String media, String dncLists, String campaigns) {

        /** The platforms a capability may be routed to. */
        public static final java.util.Set<String> PLATFORMS = java.util.Set.of(GenesysPlatform.NAME, CxonePlatform.NAME);

        /** Fills in defaults and checks the names. */
        public Routes {
            callControl = route("callControl", callControl, GenesysPlatform.NAME);
            conversations = route("conversations", conversations, GenesysPlatform.NAME);
            media = route("media", media, CxonePlatform.NAME);
            dncLists = route("dncLists", dncLists, GenesysPlatform.NAME);
            campaigns = route("campaigns", campaigns, GenesysPlatform.NAME);
        }

        /** Returns the defaults: everything on Genesys Cloud but media, on CXone. */
        public static Routes defaults() {
            return new Routes(null, null, null, null, null);
        }

        /** Returns the platform that serves {@code capability}. */
        public String platformFor(io.switchboard.platforms.Capability<?> capability) {
            return switch (capability.name()) {
                case "callControl" -> callControl;
                case "conversations" -> conversations;
                case "media" -> media;
                case "dncLists" -> dncLists;
                case "campaigns" -> campaigns;
                default -> throw new IllegalArgumentException("capability: " + capability + " (expected: one of "
                                                              + io.switchboard.platforms.Capability.ALL + ')');
            };
        }

        private static String route(String field, @Nullable String value, String fallback) {
            final String name = Objects.requireNonNullElse(value, fallback);
            if (!PLATFORMS.contains(name)) {
                throw new IllegalArgumentException("routes." + field + ": \"" + name + "\" (expected: one of "
                                                   + new java.util.TreeSet<>(PLATFORMS) + ')');
            }
            return name;
        }
    }
}
