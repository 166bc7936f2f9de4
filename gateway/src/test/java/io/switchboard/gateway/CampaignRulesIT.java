package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/** {@code POST /apply-campaign-rules} against the sandbox's Genesys Cloud outbound endpoints. */
class CampaignRulesIT {

    private static String campaign(GatewayFixture f) {
        return GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/genesys/campaigns", "{\"name\":\"Renewals\"}"))
                             .get("id").asText();
    }

    private static AggregatedHttpResponse apply(GatewayFixture f, String body) {
        return f.post("/apply-campaign-rules", body);
    }

    @Test
    void attachesTheCampaignsOwnListFilledWithTheNumbersAndIsIdempotent() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String campaignId = campaign(f);
            final String contactListId = UUID.randomUUID().toString();
            final String body = "{\"campaignId\":\"" + campaignId + "\",\"contactListId\":\"" + contactListId
                                + "\",\"blockedNumbers\":[\"+14155552671\",\"(415) 555-2672\",\"+1 415 555 2671\"]}";
            final AggregatedHttpResponse first = apply(f, body);
            assertThat(first.status()).isEqualTo(HttpStatus.OK);
            final JsonNode a = GatewayFixture.json(first);
            assertThat(a.get("listCreated").asBoolean()).isTrue();
            assertThat(a.get("numbersSubmitted").asInt()).as("repeats removed").isEqualTo(2);
            assertThat(a.get("numbersAdded").asInt()).isEqualTo(2);
            assertThat(a.get("campaignUpdated").asBoolean()).isTrue();
            final String listId = a.get("dncListId").asText();

            final JsonNode list = GatewayFixture.json(f.sandboxAdmin.get("/sandbox/v1/genesys/dnclists/" + listId));
            assertThat(list.get("name").asText()).isEqualTo("switchboard-dnc-" + campaignId);
            assertThat(list.get("numbers").toString()).isEqualTo("[\"+14155552671\",\"+14155552672\"]");
            final JsonNode campaign = GatewayFixture.json(f.sandboxAdmin.get("/sandbox/v1/genesys/campaigns/" + campaignId));
            assertThat(campaign.get("dncLists").get(0).get("id").asText()).isEqualTo(listId);
            assertThat(campaign.get("contactList").get("id").asText()).isEqualTo(contactListId);
            assertThat(campaign.get("callerName").asText()).as("other fields survive the PUT")
                                                         .isEqualTo("Switchboard Sandbox");

            final JsonNode again = GatewayFixture.json(apply(f, body));
            assertThat(again.get("listCreated").asBoolean()).isFalse();
            assertThat(again.get("dncListId").asText()).isEqualTo(listId);
            assertThat(again.get("numbersAdded").asInt()).isZero();
            assertThat(again.get("campaignUpdated").asBoolean()).isFalse();
            assertThat(again.get("campaignVersion").asInt()).isEqualTo(a.get("campaignVersion").asInt());
            assertThat(again.get("message").asText()).contains("nothing to change");
        }
    }

    @Test
    void survivesAConcurrentChangeToTheCampaign() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String campaignId = campaign(f);
            f.sandboxAdmin.execute(HttpRequest.builder().post("/sandbox/v1/genesys/campaigns/" + campaignId + "/conflicts")
                                              .content(MediaType.JSON, "{\"count\":2}").build());
            final JsonNode a = GatewayFixture.json(apply(f, "{\"campaignId\":\"" + campaignId
                                                            + "\",\"blockedNumbers\":[\"+14155552671\"]}"));
            assertThat(a.get("conflicts").asInt()).isEqualTo(2);
            assertThat(a.get("campaignUpdated").asBoolean()).isTrue();
            final JsonNode campaign = GatewayFixture.json(f.sandboxAdmin.get("/sandbox/v1/genesys/campaigns/" + campaignId));
            assertThat(campaign.get("dncLists").get(0).get("id").asText()).isEqualTo(a.get("dncListId").asText());
            assertThat(campaign.get("version").asInt()).as("two concurrent saves and ours").isEqualTo(4);
        }
    }

    @Test
    void badInputIsRejectedBeforeAnythingReachesThePlatform() {
        try (GatewayFixture f = new GatewayFixture()) {
            final AggregatedHttpResponse id = apply(f, "{\"campaignId\":\"campaign-7\",\"blockedNumbers\":[]}");
            assertThat(id.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(id).get("message").asText())
                    .isEqualTo("campaign_id: \"campaign-7\" (expected: a UUID)");
            final AggregatedHttpResponse number = apply(f, "{\"campaignId\":\"" + UUID.randomUUID()
                                                           + "\",\"blockedNumbers\":[\"+14155552671\",\"+1 555 0100\"]}");
            assertThat(GatewayFixture.json(number).get("message").asText())
                    .startsWith("blocked_numbers[1]: \"+1 555 0100\" (expected: a valid phone number");
            assertThat(f.stats().get("platformRequests").asInt()).isZero();
        }
    }

    @Test
    void theListsOwnLimitsComeBackWithGenesysErrorCodes() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String campaignId = campaign(f);
            final String external = GatewayFixture.json(f.sandboxAdmin.post(
                    "/sandbox/v1/genesys/dnclists", "{\"dncSourceType\":\"dnc.com\"}")).get("id").asText();
            final AggregatedHttpResponse notAppendable = apply(f, "{\"campaignId\":\"" + campaignId + "\",\"dncListId\":\""
                                                                  + external + "\",\"blockedNumbers\":[\"+14155552671\"]}");
            assertThat(notAppendable.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(GatewayFixture.json(notAppendable).get("message").asText())
                    .contains("dnc.source.operation.not.supported");

            final String small = GatewayFixture.json(f.sandboxAdmin.post("/sandbox/v1/genesys/dnclists",
                                                                         "{\"maxSize\":1}")).get("id").asText();
            final AggregatedHttpResponse full = apply(f, "{\"campaignId\":\"" + campaignId + "\",\"dncListId\":\"" + small
                                                         + "\",\"blockedNumbers\":[\"+14155552671\",\"+14155552672\"]}");
            assertThat(GatewayFixture.json(full).get("message").asText())
                    .contains("dnc.phone.numbers.per.list.limit.exceeded");
        }
    }
}
