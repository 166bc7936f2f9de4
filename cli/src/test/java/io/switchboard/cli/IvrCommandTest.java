package io.switchboard.cli;

import static io.switchboard.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;

import io.switchboard.gateway.Gateway;
import io.switchboard.gateway.config.GatewayConfig;

/** {@code switchboard ivr run} against a gateway on its built-in sandbox's scripted CXone calls. */
class IvrCommandTest {

    @TempDir
    Path dir;

    private static String call(BlockingWebClient client, String answers) throws Exception {
        return new ObjectMapper().readTree(client.execute(HttpRequest.builder().post("/sandbox/v1/cxone/calls")
                .content(MediaType.JSON, "{\"answers\":" + answers + "}").build()).contentUtf8()).get("callId").asText();
    }

    @Test
    void runsAFlowOnOneCallAndOnAListOfCalls() throws Exception {
        try (Gateway gateway = Gateway.builder(GatewayConfig.defaults()
                .withServer(GatewayConfig.Server.defaults().withAddress("127.0.0.1", 0)
                                                .withConnectionDrain(Duration.ZERO))
                .withDataDir(dir.resolve("data"))).simulator(new io.switchboard.gateway.Simulator(io.switchboard.sandbox.Sandbox.DEFAULT_CLIENT, sb -> io.switchboard.sandbox.Sandbox.builder().build().mountOn(sb), io.switchboard.sandbox.Sandbox.PLATFORM_PATHS)).start()) {
            final String url = gateway.uri().toString();
            final BlockingWebClient client = WebClient.of(url).blocking();

            final String one = run(0, "ivr", "run", call(client, "[\"999\", \"100\"]"), "--flow",
                                   "outbound-verification", "--gateway", url);
            assertThat(one).contains("digits    ask-code           999").contains("outcome: success");

            final Path calls = dir.resolve("calls.txt");
            Files.writeString(calls, "# tonight's list\n" + call(client, "[\"000\"]") + "\n" + call(client, "[\"\"]")
                                     + "\n\n" + call(client, "[\"999\",\"999\",\"999\"]") + "\n");
            final String many = run(0, "ivr", "run", "--calls", calls.toString(), "--flow",
                                    "../examples/flows/outbound-verification.yaml", "--concurrency", "2",
                                    "--gateway", url);
            assertThat(many).contains("3 calls, 3 runs ended").containsPattern("max_attempts +1")
                            .containsPattern("timeout +1").containsPattern("transfer +1");

            final Path loop = dir.resolve("loop.yaml");
            Files.writeString(loop, "name: loop\nstart: a\nnodes:\n  a:\n    collect: {maxDigits: 1}\n    next: a\n");
            assertThat(run(1, "ivr", "run", "c1", "--flow", loop.toString(), "--gateway", url))
                    .contains("400 Bad Request").contains("(request):6: nodes.a: goes to \"a\", which loops for ever");
        }
    }
}
