package io.switchboard.gateway.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.switchboard.api.v1.ComplianceGrpc;
import io.switchboard.compliance.campaign.CampaignDncRules;
import io.switchboard.compliance.caps.FrequencyCaps;
import io.switchboard.compliance.dnc.DncStore;
import io.switchboard.compliance.dnc.DualDncStore;
import io.switchboard.compliance.dnc.RedisDncStore;
import io.switchboard.compliance.dnc.RedisSettings;
import io.switchboard.compliance.dnc.ShardedRedisDncStore;
import io.switchboard.compliance.dnc.ListStore;
import io.switchboard.compliance.rules.RuleOverrides;
import io.switchboard.compliance.scrub.ScrubEngine;
import io.switchboard.compliance.sync.WorkFiles;
import io.switchboard.core.phone.PhoneNumbers;
import io.switchboard.gateway.DncStores;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.platforms.Capability;

/**
 * Outbound compliance: {@code /validate} and {@code Compliance/ValidateContacts} on the DNC
 * store and the scrub engine, the DNC admin API and imports under {@code /v1/dnc}, and campaign
 * DNC rules on the {@code dncLists} and {@code campaigns} routes. The store is opened here and
 * closed by the gateway's {@link Resources}; readiness reports whether it answers.
 */
public final class ComplianceApi implements ApiCapability {

    private static final Logger logger = LoggerFactory.getLogger(ComplianceApi.class);
    private static final String SERVICE_PREFIX = '/' + ComplianceGrpc.SERVICE_NAME + '/';
    private static final String ATTEMPTS_PREFIX = '/' + io.switchboard.api.v1.AttemptsGrpc.SERVICE_NAME + '/';

    /** Where imports through the API keep their checkpoints, reports and rejects. */
    private static final String IMPORTS_DIR = "imports";

    /** Where {@code dnc sync} keeps them. */
    private static final String SYNC_DIR = "sync";

    /** How often files past their retention are looked for. */
    private static final Duration RETENTION_SWEEP = Duration.ofHours(6);

    private @Nullable ScheduledFuture<?> sweeps;

    private final Wiring wiring;
    private final DncStore store;
    private final FrequencyCaps caps;
    private final ListStore lists;
    private final OptOutsService optOutsService;
    private final io.micrometer.core.instrument.MultiGauge registryAge;
    private @Nullable ScheduledFuture<?> ages;
    private final ScrubEngine scrub;
    private final ScrubMetrics scrubMetrics;
    private final ComplianceService service;
    private final RuleOverrides overrides;

    /**
     * Opens the DNC store and builds the capability from {@code w}.
     *
     * @throws IllegalStateException if the store cannot be opened, saying why
     * @throws IllegalArgumentException naming a compliance setting that cannot be used
     */
    public ComplianceApi(Wiring w) {
        wiring = w;
        final GatewayConfig config = w.config();
        try {
            store = w.resources().add("DNC store", DncStores.open(config));
        } catch (RuntimeException e) {
            final String why = ErrorMessages.describe(e);
            throw new IllegalStateException("cannot open the DNC store: "
                                            + (why != null ? why : e.getClass().getSimpleName()), e);
        }
        try {
            caps = w.resources().add("attempt ledger", DncStores.caps(config, w.clock()));
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            final String why = ErrorMessages.describe(e);
            throw new IllegalStateException("cannot open the attempt ledger: "
                                            + (why != null ? why : e.getClass().getSimpleName()), e);
        }
        try {
            lists = w.resources().add("DNC lists", DncStores.lists(config, store));
        } catch (RuntimeException e) {
            final String why = ErrorMessages.describe(e);
            throw new IllegalStateException("cannot open the DNC lists: "
                                            + (why != null ? why : e.getClass().getSimpleName()), e);
        }
        scrub = DncStores.engine(config, store, lists, caps);
        optOutsService = new OptOutsService(lists, config.compliance().brands().keySet(), scrub.phoneNumbers(),
                                            w.audit(), w.clock());
        overrides = DncStores.overrides(config, scrub.times().pack());
        scrub.rules(overrides.pack());
        scrubMetrics = new ScrubMetrics(w.meters());
        final PhoneNumbers phoneNumbers = scrub.phoneNumbers();
        service = new ComplianceService(
                w.clock(), config.commandTimeout(), w.meters(), w.audit(), phoneNumbers,
                new ComplianceService.Scrubbing(scrub, config.compliance().maxBatch(),
                                                config.compliance().scrubTimeout(), scrubMetrics),
                new CampaignDncRules(w.route(Capability.CAMPAIGNS).port(), w.route(Capability.DNC_LISTS).port()));
        w.readiness().add("attempt-ledger", () -> caps.ledger().attempts(List.of("readiness"), w.clock().instant())
                                                          .thenApply(found -> new Readiness.State(
                                                                  "ok (" + caps.ledger().kind() + ")", true)));
        w.readiness().add("dnc-registry", () -> CompletableFuture.completedFuture(registries()));
        registryAge = io.micrometer.core.instrument.MultiGauge.builder("switchboard.dnc.registry.age")
                .description("Age of each registry list's copy, from the publication date it was given "
                             + "(+Inf: never given one)")
                .baseUnit("seconds").register(w.meters());
        final java.util.function.Supplier<CompletableFuture<RedisSettings>> settings = redisSettings(store);
        if (settings == null) {
            w.readiness().add("dnc-store", () -> store.health().thenApply(
                    health -> new Readiness.State("ok (" + health + ")", true)));
        } else {
            // Settings that put entries at risk are a warning, not unready: the store still answers.
            final java.util.concurrent.atomic.AtomicReference<RedisSettings> last =
                    new java.util.concurrent.atomic.AtomicReference<>(settings.get().join());
            gauge(w, "switchboard.dnc.redis.compact.sets", last, RedisSettings::compactSets,
                  "1 when every Redis node keeps a prefix's DNC numbers as a compact integer set "
                  + "(set-max-intset-entries >= 10000), 0 when one does not, -1 when unknown or not used");
            gauge(w, "switchboard.dnc.redis.noeviction", last, RedisSettings::evictionSafe,
                  "1 when every Redis node has maxmemory-policy noeviction, 0 when one may drop keys, -1 when unknown");
            if (last.get().problem() != null) {
                logger.warn("the DNC store on Redis: {} (docs/operations.md, Redis settings)", last.get().problem());
            }
            w.readiness().add("dnc-store", () -> store.health().thenCombine(settings.get(), (health, now) -> {
                last.set(now);
                return new Readiness.State(now.problem() == null ? "ok (" + health + ")"
                                                                 : "ok (" + health + "; warning: " + now.problem() + ')',
                                           true);
            }));
        }
    }

    /** Returns how to read the Redis settings {@code store} depends on, or null for a store not on Redis. */
    private static java.util.function.@Nullable Supplier<CompletableFuture<RedisSettings>> redisSettings(
            DncStore store) {
        if (store instanceof ShardedRedisDncStore s) {
            return s::settings;
        }
        if (store instanceof DualDncStore d && d.sharded() instanceof ShardedRedisDncStore s) {
            return s::settings;
        }
        if (store instanceof RedisDncStore s) {
            return s::settings;
        }
        return null;
    }

    private static void gauge(Wiring w, String name,
                              java.util.concurrent.atomic.AtomicReference<RedisSettings> last,
                              java.util.function.Function<RedisSettings, @Nullable Boolean> value, String description) {
        io.micrometer.core.instrument.Gauge.builder(name, last, l -> {
            final Boolean v = value.apply(l.get());
            return v == null ? -1 : v ? 1 : 0;
        }).description(description).register(w.meters());
    }

    @Override
    public void mount(ServerBuilder sb) {
        final GatewayConfig config = wiring.config();
        final PhoneNumbers phoneNumbers = scrub.phoneNumbers();
        sb.service(GrpcServices.transcoded(service), delegate -> delegate.decorate(new JsonBodies()));
        final AttemptsService attempts = new AttemptsService(scrub, caps, wiring.clock(), wiring.meters());
        sb.service(GrpcServices.transcoded(attempts.grpc()), delegate -> delegate.decorate(new JsonBodies()));
        sb.annotatedService()
          .exceptionHandlers(new BadRequests())
          .build(attempts);
        sb.annotatedService()
          // A full batch with contact records' other fields can outgrow the default body limit.
          .maxRequestLength(Math.max(config.server().maxRequestBytes(), config.compliance().maxBatch() * 512L))
          .build(new ValidateRoute(new ValidateService(scrub, wiring.clock(), config.compliance().maxBatch(),
                                                       config.compliance().scrubTimeout(), scrubMetrics)));
        sb.annotatedService()
          .exceptionHandlers(new BadRequests(), new DncAdminService.StoreFailures())
          .build(new DncAdminService(store, lists, config.compliance().brands().keySet(),
                                     config.compliance().registryMaxAge(), phoneNumbers, wiring.audit(),
                                     wiring.clock()));
        sb.annotatedService()
          .exceptionHandlers(new BadRequests(), new DncAdminService.StoreFailures())
          .build(optOutsService);
        sb.annotatedService()
          .exceptionHandlers(new BadRequests(), new DncAdminService.StoreFailures())
          .build(new ConsentsService(lists, config.compliance().brands().keySet(), phoneNumbers, wiring.audit(),
                                     wiring.clock()));
        sb.annotatedService()
          .exceptionHandlers(new BadRequests())
          .build(new RulesService(scrub, overrides, wiring.audit(), wiring.clock()));
        sb.annotatedService()
          .maxRequestLength(config.compliance().maxImportBytes())
          .exceptionHandlers(new BadRequests(), new DncAdminService.StoreFailures())
          .build(new DncImportService(lists, config.compliance().brands().keySet(), phoneNumbers, wiring.audit(),
                                      wiring.clock(),
                                      config.dataDir().resolve(IMPORTS_DIR), config.compliance().maxRejectsBytes()));
    }

    /**
     * Returns where flows' {@code optOut} nodes record opt-outs: the opt-out lists, as
     * {@code POST /v1/dnc/opt-outs} records them, with the flow as source and the run as reason.
     */
    public io.switchboard.ivr.OptOutPort optOuts() {
        final OptOutsService recorder = optOutsService;
        return (phoneNumber, scope, source, runId) -> {
            try {
                final long number = scrub.phoneNumbers().toDigits("phoneNumber", phoneNumber);
                final String s = OptOutsService.scope(scope, wiring.config().compliance().brands().keySet());
                final java.time.Instant now = wiring.clock().instant();
                return recorder.record(null, number, s, source, "captured by flow run " + runId, now, now)
                               .thenApply(revoked -> null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    /**
     * Returns the registry lists' state: not ready when one is past
     * {@code compliance.registryMaxAge}, since every number it judges is then blocked.
     */
    private Readiness.State registries() {
        final java.time.Instant now = wiring.clock().instant();
        final List<String> stale = new java.util.ArrayList<>();
        int count = 0;
        for (ListStore.ListInfo info : lists.lists()) {
            if (info.list().kind() != io.switchboard.compliance.dnc.DncList.Kind.REGISTRY) {
                continue;
            }
            count++;
            if (io.switchboard.compliance.scrub.DncListRule.staleAt(info, now,
                                                                     wiring.config().compliance().registryMaxAge())) {
                stale.add(info.list().name() + (info.refreshedAt() == null ? " (never given refreshedAt)"
                                                                           : " (published " + info.refreshedAt() + ')'));
            }
        }
        if (!stale.isEmpty()) {
            return new Readiness.State("stale, every number it judges is blocked (dnc_registry_stale): "
                                       + String.join(", ", stale), false);
        }
        return new Readiness.State(count == 0 ? "no registry lists" : "ok (" + count + " registry lists)", true);
    }

    /** Sets each registry list's age gauge. */
    private void measureAges() {
        try {
            final java.time.Instant now = wiring.clock().instant();
            final List<io.micrometer.core.instrument.MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
            for (ListStore.ListInfo info : lists.lists()) {
                if (info.list().kind() == io.switchboard.compliance.dnc.DncList.Kind.REGISTRY) {
                    final double age = info.refreshedAt() == null ? Double.POSITIVE_INFINITY
                            : java.time.Duration.between(info.refreshedAt(), now).toMillis() / 1000.0;
                    rows.add(io.micrometer.core.instrument.MultiGauge.Row.of(
                            io.micrometer.core.instrument.Tags.of("list", info.list().name()), age));
                }
            }
            registryAge.register(rows, true);
        } catch (RuntimeException e) {
            logger.warn("Registry ages not measured: {}", e.toString());
        }
    }

    /** Deletes import and sync files past {@code compliance.importRetention}, now and every 6 hours. */
    @Override
    public void started() {
        ages = CommonPools.blockingTaskExecutor().scheduleWithFixedDelay(this::measureAges, 0, 5_000,
                                                                         TimeUnit.MILLISECONDS);
        sweeps = CommonPools.blockingTaskExecutor()
                                                       .scheduleWithFixedDelay(this::sweep, 0, RETENTION_SWEEP.toMillis(),
                                                                               TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        final GatewayConfig config = wiring.config();
        try {
            final int deleted = WorkFiles.deleteOlderThan(config.dataDir().resolve(IMPORTS_DIR),
                                                          config.compliance().importRetention(), wiring.clock())
                                + WorkFiles.deleteOlderThan(config.dataDir().resolve(SYNC_DIR),
                                                            config.compliance().importRetention(), wiring.clock());
            if (deleted > 0) {
                logger.info("Deleted {} import and sync files older than {}", deleted,
                            config.compliance().importRetention());
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log it and keep sweeping.
            logger.warn("Retention sweep failed: {}", e.toString());
        }
    }

    @Override
    public void stopping() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
        if (ages != null) {
            ages.cancel(false);
        }
    }

    @Override
    public Optional<String> scopeOf(ServiceRequestContext ctx) {
        final String path = ctx.path();
        if (path.startsWith(SERVICE_PREFIX)) {
            return Optional.of(path.endsWith("/ValidateContacts") || path.endsWith("/GetLegalCallTimes")
                               ? Scopes.DNC_READ : Scopes.CAMPAIGNS_WRITE);
        }
        if (path.startsWith(ATTEMPTS_PREFIX) || path.equals("/v1/attempts") || path.startsWith("/v1/attempts/")) {
            return Optional.of(Scopes.ATTEMPTS_WRITE);
        }
        if (path.equals("/v1/legal-call-times")) {
            return Optional.of(Scopes.DNC_READ);
        }
        if (path.equals("/v1/rules") || path.startsWith("/v1/rules/")) {
            // Reading the rules is dnc:read; declaring or withdrawing an override changes decisions: dnc:write.
            return Optional.of(ctx.method() == HttpMethod.GET ? Scopes.DNC_READ : Scopes.DNC_WRITE);
        }
        if (path.equals("/validate")) {
            return Optional.of(Scopes.DNC_READ);
        }
        if (path.equals("/apply-campaign-rules")) {
            return Optional.of(Scopes.CAMPAIGNS_WRITE);
        }
        if (path.equals("/v1/consents") || path.startsWith("/v1/consents/")) {
            return Optional.of(ctx.method() == HttpMethod.GET ? Scopes.DNC_READ : Scopes.DNC_WRITE);
        }
        if (path.startsWith("/v1/dnc/")) {
            return Optional.of(ctx.method() == HttpMethod.GET || path.equals("/v1/dnc/check") ? Scopes.DNC_READ
                                                                                               : Scopes.DNC_WRITE);
        }
        return Optional.empty();
    }
}
