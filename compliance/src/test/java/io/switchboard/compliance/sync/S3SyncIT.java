package io.switchboard.compliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.platforms.genesys.GenesysOutbound;
import io.switchboard.platforms.testing.SandboxGenesys;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A DNC CSV in S3 (s3proxy, in this process), read with the real AWS SDK, synced to the sandbox. */
class S3SyncIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3Proxy s3proxy;
    private static S3Client s3;
    private static SandboxGenesys sandbox;
    private static BlockingWebClient admin;
    private static GenesysOutbound outbound;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        final BlobStoreContext blobs = ContextBuilder.newBuilder("transient")
                                                     .credentials("identity", "credential")
                                                     .build(BlobStoreContext.class);
        s3proxy = S3Proxy.builder()
                         .blobStore(blobs.getBlobStore())
                         .endpoint(URI.create("http://127.0.0.1:0"))
                         .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access-key", "secret-key")
                         .build();
        s3proxy.start();
        while (!s3proxy.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
        s3 = S3Client.builder()
                     .endpointOverride(URI.create("http://127.0.0.1:" + s3proxy.getPort()))
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create("access-key", "secret-key")))
                     .forcePathStyle(true)
                     // S3-compatible servers do not all speak the SDK's default flexible checksums.
                     .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                     .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                     .build();
        s3.createBucket(b -> b.bucket("compliance"));

        sandbox = new SandboxGenesys();
        admin = sandbox.admin();
        outbound = new GenesysOutbound(sandbox.api());
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
        s3.close();
        s3proxy.stop();
    }

    private String newList() throws Exception {
        return JSON.readTree(admin.post("/sandbox/v1/genesys/dnclists", "").contentUtf8()).get("id").asText();
    }

    private List<String> listed(String listId) throws Exception {
        final var list = JSON.readTree(admin.get("/sandbox/v1/genesys/dnclists/" + listId).contentUtf8());
        return JSON.convertValue(list.get("numbers"),
                                 JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private void put(String key, String csv) {
        s3.putObject(b -> b.bucket("compliance").key(key), RequestBody.fromString(csv));
    }

    private DncListSync sync(String key, String listId, int batchSize, boolean restart) {
        return DncListSync.builder(S3Source.of(URI.create("s3://compliance/" + key), s3), outbound, listId,
                                   "genesys:" + listId)
                          .batchSize(batchSize).workDir(dir).restart(restart).build();
    }

    @Test
    void syncsValidInvalidAndDuplicateRowsFromS3() throws Exception {
        put("dnc.csv", "phone_number,reason,source\n+14155552671,requested,web\nnope,x,y\n"
                       + "\"+1 (415) 555-2672\",litigator,import\n+14155552671,again,web\n");
        final String listId = newList();
        final SyncReport report = sync("dnc.csv", listId, 200, false).run();
        assertThat(listed(listId)).containsExactly("+14155552671", "+14155552672");
        assertThat(report.totalRecords()).isEqualTo(4);
        assertThat(report.invalidRecords()).isEqualTo(1);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.source()).isEqualTo("s3://compliance/dnc.csv");
        assertThat(report.sourceVersion()).as("the ETag").isNotBlank();
    }

    @Test
    void resumesWithARangedGetFromTheCheckpoint() throws Exception {
        final StringBuilder csv = new StringBuilder("phone_number\n");
        for (int i = 0; i < 9; i++) {
            csv.append("+1415555").append(2700 + i).append('\n');
        }
        put("big.csv", csv.toString());
        final String listId = newList();
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults").content(MediaType.JSON,
                "{\"failure\":{\"count\":1,\"status\":\"INVALID_ARGUMENT\",\"after\":2}}").build());
        assertThatThrownBy(() -> sync("big.csv", listId, 3, false).run()).isInstanceOf(DncListSync.SyncException.class);
        assertThat(listed(listId)).hasSize(6);
        final SyncReport resumed = sync("big.csv", listId, 3, false).run();
        assertThat(listed(listId)).hasSize(9);
        assertThat(resumed.totalRecords()).isEqualTo(9);
        assertThat(resumed.sentAgain()).isEqualTo(3);
    }

    @Test
    void anObjectReplacedSinceTheCheckpointIsRefused() throws Exception {
        put("changing.csv", "phone_number\n+14155552671\n+14155552672\n");
        final String listId = newList();
        admin.execute(HttpRequest.builder().put("/sandbox/v1/faults").content(MediaType.JSON,
                "{\"failure\":{\"count\":1,\"status\":\"INVALID_ARGUMENT\",\"after\":1}}").build());
        assertThatThrownBy(() -> sync("changing.csv", listId, 1, false).run());
        put("changing.csv", "phone_number\n+14155552673\n");
        assertThatThrownBy(() -> sync("changing.csv", listId, 1, false).run())
                .isInstanceOf(DncListSync.SyncException.class)
                .hasMessageContaining("changed since the checkpoint");
    }
}
