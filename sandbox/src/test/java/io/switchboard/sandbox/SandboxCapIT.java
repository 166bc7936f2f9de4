package io.switchboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

/** Past its cap, the sandbox answers 429 instead of holding more. */
class SandboxCapIT {

    private static AggregatedHttpResponse post(BlockingWebClient client, String path, String json) {
        return client.execute(HttpRequest.builder().post(path).content(MediaType.JSON, json).build());
    }

    @Test
    void answers429PastItsCapForEachKind() {
        final Server server = Sandbox.builder().maxObjects(2).build().start("127.0.0.1", 0);
        try {
            final BlockingWebClient client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort()).blocking();
            for (String path : new String[] {"/sandbox/v1/sessions", "/sandbox/v1/cxone/calls",
                                             "/sandbox/v1/genesys/conversations", "/sandbox/v1/genesys/dnclists"}) {
                final String body = path.endsWith("calls") ? "{\"answers\":[]}" : "";
                assertThat(post(client, path, body).status()).as(path).isEqualTo(HttpStatus.CREATED);
                assertThat(post(client, path, body).status()).as(path).isEqualTo(HttpStatus.CREATED);
                final AggregatedHttpResponse full = post(client, path, body);
                assertThat(full.status()).as(path).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                assertThat(full.contentUtf8()).contains("sandbox_full").contains("its cap");
            }
            final String form = "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox";
            for (int i = 0; i < 2; i++) {
                assertThat(client.execute(HttpRequest.builder().post("/oauth/token")
                                                     .content(MediaType.FORM_DATA, form).build()).status())
                        .isEqualTo(HttpStatus.OK);
            }
            assertThat(client.execute(HttpRequest.builder().post("/oauth/token")
                                                 .content(MediaType.FORM_DATA, form).build()).status())
                    .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        } finally {
            server.stop();
        }
    }
}
