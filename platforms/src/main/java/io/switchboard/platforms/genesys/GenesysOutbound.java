package io.switchboard.platforms.genesys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.util.Exceptions;

import io.switchboard.core.campaigns.CampaignPort;
import io.switchboard.core.campaigns.DncListPort;
import io.switchboard.core.resilience.Idempotency;
import io.switchboard.core.resilience.UpstreamException;

/**
 * Genesys Cloud outbound: DNC lists ({@code /api/v2/outbound/dnclists}) and campaigns
 * ({@code /api/v2/outbound/campaigns}).
 *
 * <ul>
 *   <li>Lists are created internal ({@code dncSourceType: "rds"}), the only kind that numbers can
 *       be added to; numbers go in batches of at most {@value #MAX_BATCH}.</li>
 *   <li>A campaign is changed by reading it whole and PUTting it back with its {@code version},
 *       so that fields Switchboard does not know survive. On 409 (someone else changed it
 *       first) it is read again and the change made on top, up to {@value #MAX_CONFLICTS} times.</li>
 * </ul>
 */
public final class GenesysOutbound implements DncListPort, CampaignPort {

    /** The most numbers one request adds. */
    public static final int MAX_BATCH = 1000;
    /** How often a campaign update is tried again after a version conflict. */
    public static final int MAX_CONFLICTS = 5;

    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
                                                                     .withZone(ZoneOffset.UTC);

    private final GenesysPlatformApi api;

    /** Creates the adapter over {@code api}. */
    public GenesysOutbound(GenesysPlatformApi api) {
        this.api = requireNonNull(api, "api");
    }

    @Override
    public CompletableFuture<DncList> create(String name, Instant deadline) {
        final String body = GenesysPlatformApi.JSON.createObjectNode()
                                                   .put("name", name)
                                                   .put("dncSourceType", "rds")
                                                   .put("contactMethod", "Phone")
                                                   .toString();
        return api.exchange("PostDncList", Idempotency.NOT_IDEMPOTENT, HttpMethod.POST, "/api/v2/outbound/dnclists",
                            body, deadline)
                  .thenApply(GenesysOutbound::list);
    }

    @Override
    public CompletableFuture<DncList> list(String listId, Instant deadline) {
        return api.exchange("GetDncList", Idempotency.IDEMPOTENT, HttpMethod.GET,
                            "/api/v2/outbound/dnclists/" + listId + "?includeSize=true", null, deadline)
                  .thenApply(GenesysOutbound::list);
    }

    @Override
    public CompletableFuture<Void> addNumbers(String listId, List<String> e164, @Nullable Instant expires,
                                              Instant deadline) {
        final String query = expires == null ? "" : "?expirationDateTime=" + EXPIRY.format(expires);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < e164.size(); from += MAX_BATCH) {
            final List<String> batch = e164.subList(from, Math.min(e164.size(), from + MAX_BATCH));
            final ArrayNode body = GenesysPlatformApi.JSON.createArrayNode();
            batch.forEach(body::add);
            // Adding numbers a list holds already changes nothing, so a batch may be retried.
            chain = chain.thenCompose(ignored -> api.exchange(
                    "PostDncListPhoneNumbers", Idempotency.IDEMPOTENT, HttpMethod.POST,
                    "/api/v2/outbound/dnclists/" + listId + "/phonenumbers" + query, body.toString(), deadline))
                         .thenApply(ignored -> null);
        }
        return chain;
    }

    @Override
    public CompletableFuture<Campaign> campaign(String campaignId, Instant deadline) {
        return readCampaign(campaignId, deadline).thenApply(GenesysOutbound::campaign);
    }

    @Override
    public CompletableFuture<Attached> attach(String campaignId, String dncListId, @Nullable String contactListId,
                                              Instant deadline) {
        return attach(campaignId, dncListId, contactListId, deadline, 0);
    }

    private CompletableFuture<Attached> attach(String campaignId, String dncListId, @Nullable String contactListId,
                                               Instant deadline, int conflicts) {
        return readCampaign(campaignId, deadline).thenCompose(raw -> {
            final ObjectNode updated = raw.deepCopy();
            boolean changed = false;
            final ArrayNode dncLists = updated.has("dncLists") && updated.get("dncLists").isArray()
                                       ? (ArrayNode) updated.get("dncLists") : updated.putArray("dncLists");
            boolean present = false;
            for (JsonNode ref : dncLists) {
                present |= dncListId.equals(ref.path("id").asText());
            }
            if (!present) {
                dncLists.addObject().put("id", dncListId);
                changed = true;
            }
            if (contactListId != null && !contactListId.equals(updated.path("contactList").path("id").asText())) {
                updated.putObject("contactList").put("id", contactListId);
                changed = true;
            }
            if (!changed) {
                return CompletableFuture.completedFuture(new Attached(campaign(raw), false, conflicts));
            }
            return api.exchange("PutCampaign", Idempotency.IDEMPOTENT, HttpMethod.PUT,
                                "/api/v2/outbound/campaigns/" + campaignId, updated.toString(), deadline)
                      .thenApply(after -> new Attached(campaign(after != null ? after : updated), true, conflicts))
                      .exceptionallyCompose(error -> {
                          if (isConflict(error) && conflicts < MAX_CONFLICTS) {
                              return attach(campaignId, dncListId, contactListId, deadline, conflicts + 1);
                          }
                          return CompletableFuture.failedFuture(Exceptions.peel(error));
                      });
        });
    }

    private CompletableFuture<ObjectNode> readCampaign(String campaignId, Instant deadline) {
        return api.exchange("GetCampaign", Idempotency.IDEMPOTENT, HttpMethod.GET,
                            "/api/v2/outbound/campaigns/" + campaignId, null, deadline)
                  .thenApply(json -> {
                      if (json == null || !json.isObject()) {
                          throw new GenesysApiException(502, "unreadable.body", "the campaign is not a JSON object",
                                                        null, null, null);
                      }
                      return (ObjectNode) json;
                  });
    }

    private static boolean isConflict(Throwable error) {
        final Throwable cause = Exceptions.peel(error);
        return cause instanceof UpstreamException u && u.getCause() instanceof GenesysApiException g
               && g.status() == 409;
    }

    private static DncList list(@Nullable JsonNode json) {
        if (json == null) {
            throw new GenesysApiException(502, "unreadable.body", "the DNC list answer is empty", null, null, null);
        }
        return new DncList(json.path("id").asText(), json.path("name").asText(),
                           "rds".equals(json.path("dncSourceType").asText()), json.path("size").asLong(0));
    }

    private static Campaign campaign(JsonNode json) {
        final List<String> lists = new ArrayList<>();
        json.path("dncLists").forEach(ref -> lists.add(ref.path("id").asText()));
        final JsonNode contactList = json.path("contactList").path("id");
        return new Campaign(json.path("id").asText(), json.path("name").asText(), json.path("version").asLong(),
                            lists, contactList.isMissingNode() || contactList.isNull() ? null : contactList.asText());
    }
}
