package io.switchboard.core.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.switchboard.core.resilience.UpstreamException;

/**
 * A platform's outbound campaigns. Methods never block; futures fail with {@link UpstreamException}.
 */
public interface CampaignPort {

    /** The parts of a campaign that DNC rules concern. */
    record Campaign(String id, String name, long version, List<String> dncListIds, @Nullable String contactListId) {
        /** Copies the list. */
        public Campaign {
            dncListIds = List.copyOf(dncListIds);
        }
    }

    /** What {@link #attach} did. */
    record Attached(Campaign campaign, boolean changed, int conflicts) {}

    /** Reads a campaign; a missing one fails with {@link UpstreamException.Kind#NOT_FOUND}. */
    CompletableFuture<Campaign> campaign(String campaignId, Instant deadline);

    /**
     * Makes the campaign use {@code dncListId} (and {@code contactListId}, when given), keeping
     * everything else as it is. A concurrent change to the campaign is not overwritten: the
     * campaign is read again and the change made on top of it. Changes nothing if the campaign
     * already stands so.
     */
    CompletableFuture<Attached> attach(String campaignId, String dncListId, @Nullable String contactListId,
                                       Instant deadline);
}
