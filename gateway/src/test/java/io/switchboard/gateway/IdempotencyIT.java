package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.api.v1.SendDtmfRequest;
import io.switchboard.api.v1.SendDtmfResponse;
import io.switchboard.core.testing.TestRedis;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * Idempotency keys on DTMF: a repeat within 24 h plays nothing and answers the first outcome,
 * over REST (the Idempotency-Key header) and gRPC (the request field), across replicas that share
 * Redis; a key reused for another command is refused; a first attempt that played nothing frees
 * its key, one that may have played keeps its failure.
 */
class IdempotencyIT {

    private static AggregatedHttpResponse dtmf(WebClient client, String session, String tones, String key) {
        return client.blocking().execute(HttpRequest.builder().post("/v1/sessions/" + session + "/dtmf")
                                                    .header("Idempotency-Key", key)
                                                    .content(MediaType.JSON, "{\"tones\":\"" + tones + "\"}").build());
    }

    @Test
    void aRepeatPlaysNothingAndAnswersTheFirstOutcome() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final WebClient client = WebClient.of(f.gateway.uri());
            final AggregatedHttpResponse first = dtmf(client, session, "12#", "order-7f3a");
            assertThat(first.status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(first).get("replayed").asBoolean()).isFalse();
            final AggregatedHttpResponse again = dtmf(client, session, "12#", "order-7f3a");
            assertThat(again.status()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(again).get("replayed").asBoolean()).isTrue();
            assertThat(GatewayFixture.json(again).get("message").asText()).contains("nothing was sent again");
            assertThat(f.events(session).get("commandsReceived").asInt()).as("three tones, once").isEqualTo(3);
            await().untilAsserted(() -> assertThat(java.nio.file.Files.readString(
                    f.gateway.config().dataDir().resolve(Gateway.AUDIT_FILE))).contains("replayed=yes (nothing sent)"));

            final AggregatedHttpResponse other = dtmf(client, session, "9", "order-7f3a");
            assertThat(other.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(other.contentUtf8()).contains("idempotency_key").contains("a different command");

            final SendDtmfRequest grpc = SendDtmfRequest.newBuilder().setSessionId(session).setTones("5")
                                                        .setIdempotencyKey("grpc-1").build();
            assertThat(f.grpc().sendDtmf(grpc).getReplayed()).isFalse();
            final SendDtmfResponse repeat = f.grpc().sendDtmf(grpc);
            assertThat(repeat.getReplayed()).isTrue();
            assertThat(f.events(session).get("commandsReceived").asInt()).isEqualTo(4);

            final AggregatedHttpResponse badKey = dtmf(client, session, "5", "has space");
            assertThat(badKey.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(badKey.contentUtf8()).contains("printable ASCII");
        }
    }

    @Test
    void aFirstAttemptThatMayHavePlayedKeepsItsFailureAndOneThatPlayedNothingFreesTheKey() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final WebClient client = WebClient.of(f.gateway.uri());
            f.faults("{\"failure\":{\"count\":1,\"status\":\"UNAVAILABLE\",\"afterActing\":true}}");
            final AggregatedHttpResponse doubt = dtmf(client, session, "9", "k-doubt");
            assertThat(doubt.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            final AggregatedHttpResponse repeat = dtmf(client, session, "9", "k-doubt");
            assertThat(repeat.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(repeat.contentUtf8()).contains("nothing was sent again");
            assertThat(f.events(session).get("commandsReceived").asInt()).as("played at most once").isEqualTo(1);

            f.faults("{\"failure\":{\"count\":1,\"status\":\"PERMISSION_DENIED\",\"afterActing\":false}}");
            final AggregatedHttpResponse refused = dtmf(client, session, "7", "k-refused");
            assertThat(refused.status()).as(refused.contentUtf8()).isNotEqualTo(HttpStatus.OK);
            final AggregatedHttpResponse retry = dtmf(client, session, "7", "k-refused");
            assertThat(retry.status()).as("the key was freed: the retry runs").isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(retry).get("replayed").asBoolean()).isFalse();
        }
    }

    @Test
    void aSequenceThatFailedAfterItsFirstTonesKeepsItsKey() {
        try (GatewayFixture f = new GatewayFixture()) {
            final String session = f.createSession();
            final WebClient client = WebClient.of(f.gateway.uri());
            // The first tone plays; the second is refused. A retry must not play the first again.
            f.faults("{\"failure\":{\"count\":1,\"status\":\"PERMISSION_DENIED\",\"afterActing\":false,\"after\":1}}");
            final AggregatedHttpResponse partial = dtmf(client, session, "12", "k-partial");
            assertThat(partial.status()).isNotEqualTo(HttpStatus.OK);
            assertThat(partial.contentUtf8()).contains("sent 1 of 2 tones");
            final AggregatedHttpResponse repeat = dtmf(client, session, "12", "k-partial");
            assertThat(repeat.status()).isEqualTo(partial.status());
            assertThat(repeat.contentUtf8()).contains("nothing was sent again");
            assertThat(f.events(session).get("commandsReceived").asInt()).isEqualTo(1);
        }
    }

    @Test
    void replicasSharingRedisRecogniseEachOthersKeys() {
        try (TestRedis redis = TestRedis.start();
             GatewayFixture a = new GatewayFixture(c -> c.withRedis(new GatewayConfig.Redis(URI.create(redis.uri()))));
             GatewayFixture b = new GatewayFixture(c -> c.withRedis(new GatewayConfig.Redis(URI.create(redis.uri()))))) {
            // Both replicas drive the same sandbox session through their own upstream: a's.
            final String session = a.createSession();
            final AggregatedHttpResponse first = dtmf(WebClient.of(a.gateway.uri()), session, "4", "shared-1");
            assertThat(first.status()).isEqualTo(HttpStatus.OK);
            final AggregatedHttpResponse again = dtmf(WebClient.of(b.gateway.uri()), session, "4", "shared-1");
            assertThat(again.status()).as(again.contentUtf8()).isEqualTo(HttpStatus.OK);
            assertThat(GatewayFixture.json(again).get("replayed").asBoolean()).isTrue();
            assertThat(a.events(session).get("commandsReceived").asInt()).isEqualTo(1);
        }
    }
}
