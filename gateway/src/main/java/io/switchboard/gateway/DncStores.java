package io.switchboard.gateway;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.switchboard.compliance.caps.AttemptLedger;
import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.caps.JournaledAttemptLedger;
import io.switchboard.compliance.caps.RedisAttemptLedger;
import io.switchboard.compliance.rules.DialMethod;
import io.switchboard.compliance.rules.FrequencyCap;
import io.switchboard.compliance.rules.Purpose;
import io.switchboard.compliance.rules.WireNames;

import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.EmbeddedListStore;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.dnc.RedisListStore;
import io.switchboard.compliance.scrub.DncListRule;
import io.switchboard.compliance.dnc.EmbeddedDncStore;
import io.switchboard.compliance.dnc.RedisDncStore;
import io.switchboard.compliance.dnc.DualDncStore;
import io.switchboard.compliance.dnc.RedisLayout;
import io.switchboard.compliance.dnc.ShardedRedisDncStore;
import io.switchboard.core.redis.RedisEndpoint;
import io.switchboard.compliance.rules.DayHours;
import io.switchboard.compliance.rules.LegalTimes;
import io.switchboard.compliance.rules.Locator;
import io.switchboard.compliance.rules.RuleOverrides;
import io.switchboard.compliance.rules.RulePack;
import io.switchboard.core.yaml.YamlProblem;
import io.switchboard.compliance.scrub.GeoRule;
import io.switchboard.compliance.scrub.GeoRules;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.compliance.scrub.TimeZones;
import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Opens the DNC store and the scrub engine that a configuration describes, the same way for the
 * gateway and for command-line jobs: Redis when {@code redis.url} is set (one server or a
 * cluster, in the layout {@code redis.layout} names), otherwise the embedded store in
 * {@code <dataDir>/dnc}.
 */
public final class DncStores {

    /** The embedded store's directory inside the data directory. */
    public static final String EMBEDDED_DIR = "dnc";

    /**
     * Opens the configured store.
     *
     * @throws IllegalStateException if the embedded store is held by another process
     * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
     */
    public static DncStore open(GatewayConfig config) {
        requireNonNull(config, "config");
        final RedisEndpoint endpoint = config.redis().endpoint();
        if (endpoint == null) {
            return EmbeddedDncStore.open(embeddedDir(config));
        }
        final Duration timeout = config.compliance().scrubTimeout();
        return switch (layout(config)) {
            case LEGACY -> new RedisDncStore(endpoint.connect(timeout));
            case SHARDED -> new ShardedRedisDncStore(endpoint.connect(timeout));
            case DUAL -> {
                final RedisDncStore legacy = new RedisDncStore(endpoint.connect(timeout));
                try {
                    yield new DualDncStore(legacy, new ShardedRedisDncStore(endpoint.connect(timeout)));
                } catch (RuntimeException e) {
                    legacy.close();
                    throw e;
                }
            }
        };
    }

    /** Returns the configured Redis layout of the DNC lists. */
    public static RedisLayout layout(GatewayConfig config) {
        return RedisLayout.of(config.redis().layout());
    }

    /**
     * Opens the lists beside the seed's, where {@code store} is: on Redis, in the configured
     * layout, or in the embedded store's directory.
     *
     * @throws io.lettuce.core.RedisException if Redis cannot be reached
     */
    public static ListStore lists(GatewayConfig config, DncStore store) {
        if (store instanceof EmbeddedDncStore embedded) {
            return new EmbeddedListStore(embeddedDir(config), embedded);
        }
        final RedisEndpoint.Connection connection =
                requireNonNull(config.redis().endpoint(), "redis.url").connect(config.compliance().scrubTimeout());
        try {
            return new RedisListStore(connection, layout(config));
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Returns where the embedded store lives. */
    public static Path embeddedDir(GatewayConfig config) {
        return config.dataDir().resolve(EMBEDDED_DIR);
    }

    /**
     * Returns the engine that judges contacts against {@code store} with the configuration's
     * rules.
     *
     * @throws IllegalArgumentException naming a setting that cannot be used
     */
    public static ScrubEngine engine(GatewayConfig config, DncStore store) {
        return engine(config, store, null, null);
    }

    /**
     * Returns the engine that judges contacts against {@code store} with the configuration's
     * rules, the lists beside the seed's when {@code lists} is given, and frequency caps when
     * {@code caps} is.
     *
     * @throws IllegalArgumentException naming a setting that cannot be used
     */
    public static ScrubEngine engine(GatewayConfig config, DncStore store,
                                     @org.jspecify.annotations.Nullable ListStore lists,
                                     @org.jspecify.annotations.Nullable FrequencyCaps caps) {
        final GatewayConfig.Compliance c = config.compliance();
        final Map<String, GeoRule> rules = new LinkedHashMap<>();
        for (int i = 0; i < c.geoRules().size(); i++) {
            final GatewayConfig.GeoPrefixRule rule = c.geoRules().get(i);
            try {
                if (rules.put(rule.prefix(), new GeoRule(rule.allowed(), rule.riskLevel())) != null) {
                    throw new IllegalArgumentException("prefix: \"" + rule.prefix() + "\" (expected: each prefix once)");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("compliance.geoRules[" + i + "]." + e.getMessage(), e);
            }
        }
        final GeoRules geo;
        try {
            geo = GeoRules.of(rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("compliance.geoRules[]." + e.getMessage(), e);
        }
        final PhoneNumbers phoneNumbers;
        try {
            phoneNumbers = new PhoneNumbers(c.defaultRegion());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("compliance." + e.getMessage(), e);
        }
        final DncListRule.Scoping scoping = lists == null ? null
                : new DncListRule.Scoping(lists, c::brandsOf, c.registryMaxAge());
        return new ScrubEngine(phoneNumbers, store, scoping, geo, legalTimes(c), caps);
    }

    /**
     * Returns the calling times of the configuration: the shipped rule pack with
     * {@code compliance.rulesDir}'s files, {@code compliance.callingWindow} for numbers outside
     * it, and {@code compliance.unknownJurisdiction}.
     *
     * @throws IllegalArgumentException naming the file, line and field of a rule file with a problem
     */
    public static LegalTimes legalTimes(GatewayConfig.Compliance c) {
        final RulePack pack;
        try {
            pack = RulePack.load(c.rulesDir());
        } catch (YamlProblem e) {
            throw new IllegalArgumentException("compliance.rulesDir: " + e.getMessage(), e);
        }
        // Whole minutes, rounded inwards: 08:00:30 starts at 08:01.
        final int start = (c.callingWindow().start().toSecondOfDay() + 59) / 60;
        final int end = c.callingWindow().end().toSecondOfDay() / 60;
        if (start >= end) {
            throw new IllegalArgumentException("compliance.callingWindow: " + c.callingWindow().start() + "-"
                                               + c.callingWindow().end() + " (expected: at least a minute)");
        }
        return new LegalTimes(pack, Locator.shipped(), TimeZones.libphonenumber(),
                              LegalTimes.houseWindow(new DayHours(start, end)), c.callingWindow().everyCall(),
                              "block".equals(c.unknownJurisdiction()) ? LegalTimes.Unknown.BLOCK
                                                                      : LegalTimes.Unknown.STRICTEST);
    }

    /** The embedded attempt ledger's directory inside the data directory. */
    public static final String ATTEMPTS_DIR = "attempts";

    /**
     * Returns the frequency caps of the configuration (the campaigns' own, from
     * {@code compliance.campaignCaps}) over a ledger on Redis when {@code redis.url} is set, else
     * in {@code <dataDir>/attempts}.
     *
     * @throws IllegalArgumentException naming a setting that cannot be used
     * @throws IllegalStateException if the embedded ledger is held by another process
     */
    public static FrequencyCaps caps(GatewayConfig config, java.time.Clock clock) {
        final GatewayConfig.Compliance c = config.compliance();
        final Map<String, List<FrequencyCap>> byCampaign = new LinkedHashMap<>();
        for (int i = 0; i < c.campaignCaps().size(); i++) {
            final GatewayConfig.CampaignCap cap = c.campaignCaps().get(i);
            final String field = "compliance.campaignCaps[" + i + "].";
            final Set<Purpose> purposes = EnumSet.allOf(Purpose.class);
            if (cap.purposes() != null) {
                purposes.clear();
                for (String p : cap.purposes()) {
                    purposes.add(WireNames.parse(Purpose.class, field + "purposes", p, null));
                }
            }
            final Set<DialMethod> methods = EnumSet.allOf(DialMethod.class);
            if (cap.dialMethods() != null) {
                methods.clear();
                for (String m : cap.dialMethods()) {
                    methods.add(WireNames.parse(DialMethod.class, field + "dialMethods", m, null));
                }
            }
            if (purposes.isEmpty() || methods.isEmpty()) {
                throw new IllegalArgumentException(field + (purposes.isEmpty() ? "purposes" : "dialMethods")
                                                   + ": [] (expected: at least one, or the field left out for all)");
            }
            final String window = FrequencyCap.text(cap.window());
            byCampaign.computeIfAbsent(cap.campaign(), k -> new ArrayList<>()).add(new FrequencyCap(
                    "campaign:" + cap.campaign() + ':' + cap.limit() + '/' + window, null,
                    "Campaign " + cap.campaign() + "'s own cap: " + cap.limit() + " attempts per person in " + window,
                    cap.limit(), cap.window(), purposes, methods, "compliance.campaignCaps", null, "H", null,
                    "compliance.campaignCaps[" + i + "]"));
        }
        // On Redis, a client of the ledger's own: its commands time out by themselves, so no
        // reservation needs a timer of its own.
        final AttemptLedger ledger = config.redis().url() != null
                ? RedisAttemptLedger.connect(config.redis().url(), c.scrubTimeout())
                : JournaledAttemptLedger.open(config.dataDir().resolve(ATTEMPTS_DIR), clock);
        return new FrequencyCaps(byCampaign, ledger, c.attemptReleaseGrace(), c.scrubTimeout());
    }

    /** Where rules declared at run time are kept, in the data directory. */
    public static final String OVERRIDES_DIR = "rule-overrides";

    /**
     * Returns the rules declared at run time, kept in the data directory, on top of {@code pack}.
     *
     * @throws IllegalArgumentException naming the file, line and field of a kept rule that cannot be used
     */
    public static RuleOverrides overrides(GatewayConfig config, RulePack pack) {
        final Path dir = config.dataDir().resolve(OVERRIDES_DIR);
        try {
            return new RuleOverrides(dir, pack);
        } catch (YamlProblem e) {
            throw new IllegalArgumentException("a rule override kept in " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    private DncStores() {}
}
