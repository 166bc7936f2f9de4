package io.switchboard.compliance.campaign;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.campaigns.CampaignPort;
import io.switchboard.core.campaigns.DncListPort;

/**
 * Applies DNC rules to an outbound campaign:
 * <ol>
 *   <li>find the campaign's own DNC list: the one named by the caller, else the list called
 *       {@code switchboard-dnc-<campaignId>} among those the campaign uses, else a new internal
 *       list of that name;</li>
 *   <li>add the blocked numbers to it;</li>
 *   <li>make the campaign use the list (and the contact list, when given), keeping the rest of
 *       the campaign as it is.</li>
 * </ol>
 * Applying the same rules twice changes nothing the second time: the list is found again, the
 * numbers are in it already, and the campaign already uses it.
 *
 * <p>Threading: nothing blocks; steps run one after another as the platform answers.
 */
public final class CampaignDncRules {

    /** The prefix of the names of lists this class creates. */
    public static final String LIST_PREFIX = "switchboard-dnc-";

    /**
     * The rules to apply.
     *
     * @param campaignId the campaign
     * @param contactListId the contact list the campaign should dial, if it is to change
     * @param dncListId the DNC list to use, if not the campaign's own
     * @param blockedNumbers numbers in E.164, already validated
     */
    public record Rules(String campaignId, @Nullable String contactListId, @Nullable String dncListId,
                        List<String> blockedNumbers) {
        /** Copies the list. */
        public Rules {
            requireNonNull(campaignId, "campaignId");
            blockedNumbers = List.copyOf(blockedNumbers);
        }
    }

    /**
     * What changed.
     *
     * @param listCreated whether the DNC list was created now
     * @param numbersAdded how many numbers the list gained (numbers it held already do not count)
     * @param campaignUpdated whether the campaign was changed
     * @param conflicts how often another change to the campaign got in first
     */
    public record Applied(String campaignId, String dncListId, boolean listCreated, int numbersSubmitted,
                          long numbersAdded, boolean campaignUpdated, long campaignVersion, int conflicts) {}

    private final CampaignPort campaigns;
    private final DncListPort lists;

    /** Creates the rules engine over a platform's campaigns and DNC lists. */
    public CampaignDncRules(CampaignPort campaigns, DncListPort lists) {
        this.campaigns = requireNonNull(campaigns, "campaigns");
        this.lists = requireNonNull(lists, "lists");
    }

    /** Returns the name of the list this class keeps for {@code campaignId}. */
    public static String listName(String campaignId) {
        return LIST_PREFIX + campaignId;
    }

    /** Applies {@code rules}. */
    public CompletableFuture<Applied> apply(Rules rules, Instant deadline) {
        requireNonNull(rules, "rules");
        requireNonNull(deadline, "deadline");
        return campaigns.campaign(rules.campaignId(), deadline)
                        .thenCompose(campaign -> ownList(rules, campaign, deadline))
                        .thenCompose(found -> fill(rules, found, deadline))
                        .thenCompose(filled -> campaigns.attach(rules.campaignId(), filled.list().id(),
                                                                rules.contactListId(), deadline)
                                                        .thenApply(attached -> new Applied(
                                                                rules.campaignId(), filled.list().id(),
                                                                filled.created(), rules.blockedNumbers().size(),
                                                                filled.added(), attached.changed(),
                                                                attached.campaign().version(),
                                                                attached.conflicts())));
    }

    private record Found(DncListPort.DncList list, boolean created) {}

    private record Filled(DncListPort.DncList list, boolean created, long added) {}

    private CompletableFuture<Found> ownList(Rules rules, CampaignPort.Campaign campaign, Instant deadline) {
        if (rules.dncListId() != null) {
            return lists.list(rules.dncListId(), deadline).thenApply(list -> new Found(list, false));
        }
        return findByName(campaign.dncListIds(), 0, listName(campaign.id()), deadline).thenCompose(found -> {
            if (found != null) {
                return CompletableFuture.completedFuture(new Found(found, false));
            }
            return lists.create(listName(campaign.id()), deadline).thenApply(list -> new Found(list, true));
        });
    }

    /** Looks through the campaign's lists, one at a time, for the one called {@code name}. */
    private CompletableFuture<DncListPort.@Nullable DncList> findByName(List<String> ids, int index, String name,
                                                                       Instant deadline) {
        if (index == ids.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return lists.list(ids.get(index), deadline).thenCompose(
                list -> name.equals(list.name()) ? CompletableFuture.completedFuture(list)
                                                 : findByName(ids, index + 1, name, deadline));
    }

    private CompletableFuture<Filled> fill(Rules rules, Found found, Instant deadline) {
        if (rules.blockedNumbers().isEmpty()) {
            return CompletableFuture.completedFuture(new Filled(found.list(), found.created(), 0));
        }
        final long before = found.list().size();
        return lists.addNumbers(found.list().id(), rules.blockedNumbers(), null, deadline)
                    .thenCompose(ignored -> lists.list(found.list().id(), deadline))
                    .thenApply(after -> new Filled(after, found.created(), Math.max(0, after.size() - before)));
    }
}
