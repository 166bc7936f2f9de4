package io.switchboard.sandbox.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Simulated Genesys Cloud outbound: DNC lists and campaigns. Each object is guarded by its own monitor. */
public final class GenesysOutbound {

    /** A DNC list. */
    public static final class DncList {
        final String id;
        final String name;
        final String dncSourceType;
        final long maxSize;
        final Instant created;
        long version = 1;
        final Set<String> numbers = new LinkedHashSet<>();
        final Map<String, Instant> expiries = new LinkedHashMap<>();

        DncList(String id, String name, String dncSourceType, long maxSize, Instant created) {
            this.id = id;
            this.name = name;
            this.dncSourceType = dncSourceType;
            this.maxSize = maxSize;
            this.created = created;
        }
    }

    /** A campaign, held as the JSON the API serves, so that every field round-trips. */
    public static final class Campaign {
        ObjectNode json;
        int conflictsToInject;

        Campaign(ObjectNode json) {
            this.json = json;
        }
    }

    private final Map<String, DncList> lists = new ConcurrentHashMap<>();
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    private final int maxObjects;

    /** Creates the outbound objects, holding at most {@code maxObjects} lists and as many campaigns. */
    GenesysOutbound(int maxObjects) {
        this.maxObjects = maxObjects;
    }

    /** Creates a list; {@code maxSize} is where {@code dnc.phone.numbers.per.list.limit.exceeded} starts. */
    public DncList createList(String name, String dncSourceType, long maxSize, Instant now) {
        SandboxFull.check("DNC lists", lists.size(), maxObjects);
        final DncList list = new DncList(UUID.randomUUID().toString(), name, dncSourceType, maxSize, now);
        lists.put(list.id, list);
        return list;
    }

    /** Returns the list {@code id}. */
    public Optional<DncList> list(String id) {
        return Optional.ofNullable(lists.get(id));
    }

    /** Creates a campaign with the fields Genesys Cloud campaigns have. */
    public Campaign createCampaign(String name, Iterable<String> dncListIds, @Nullable String contactListId) {
        SandboxFull.check("campaigns", campaigns.size(), maxObjects);
        final String id = UUID.randomUUID().toString();
        final ObjectNode json = Json.MAPPER.createObjectNode()
                                           .put("id", id)
                                           .put("name", name)
                                           .put("version", 1)
                                           .put("campaignStatus", "off")
                                           .put("dialingMode", "preview")
                                           .put("callerName", "Switchboard Sandbox")
                                           .put("callerAddress", "+13175550100")
                                           .put("selfUri", "/api/v2/outbound/campaigns/" + id);
        json.putObject("contactList").put("id", contactListId != null ? contactListId : UUID.randomUUID().toString());
        json.putArray("phoneColumns").addObject().put("columnName", "phone").put("type", "cell");
        final var refs = json.putArray("dncLists");
        dncListIds.forEach(listId -> refs.addObject().put("id", listId));
        final Campaign campaign = new Campaign(json);
        campaigns.put(id, campaign);
        return campaign;
    }

    /** Returns the campaign {@code id}. */
    public Optional<Campaign> campaign(String id) {
        return Optional.ofNullable(campaigns.get(id));
    }
}
