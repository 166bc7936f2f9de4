package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.switchboard.gateway.config.GatewayConfig;

/**
 * gRPC server reflection, as {@code grpcurl -plaintext 127.0.0.1:8080 list} and
 * {@code describe switchboard.v1.CallControl} use it: over a real socket, on a gateway serving
 * the built-in simulator too, with API keys on.
 */
class ReflectionIT {

    @Test
    void listsAndDescribesTheGatewaysOwnServicesWithoutAKey() throws Exception {
        final GatewayConfig config = GatewayFixture.baseConfig().withAuth(new GatewayConfig.Auth(
                List.of(new GatewayConfig.ApiKey("ops", "k".repeat(32), null, List.of("calls:write")))));
        try (Gateway gateway = Gateway.builder(config).simulator(GatewayFixture.simulator()).start()) {
            final ServerReflectionGrpc.ServerReflectionStub v1 =
                    GrpcClients.newClient(gateway.uri(), ServerReflectionGrpc.ServerReflectionStub.class);
            final List<ServerReflectionResponse> answers = ask(v1::serverReflectionInfo, List.of(
                    ServerReflectionRequest.newBuilder().setListServices("").build(),
                    ServerReflectionRequest.newBuilder().setFileContainingSymbol("switchboard.v1.CallControl").build()));

            final List<String> services = answers.get(0).getListServicesResponse().getServiceList().stream()
                                                 .map(ServiceResponse::getName).toList();
            assertThat(services).contains("switchboard.v1.CallControl", "switchboard.v1.Compliance",
                                          "switchboard.v1.Attempts", "grpc.reflection.v1.ServerReflection",
                                          "grpc.reflection.v1alpha.ServerReflection");
            // The simulator's platform services are the platform's API, not Switchboard's.
            assertThat(services).allMatch(s -> s.startsWith("switchboard.") || s.startsWith("grpc.reflection."));

            // describe: the file that declares CallControl, with its methods.
            final List<ServiceDescriptorProto> declared = new ArrayList<>();
            for (com.google.protobuf.ByteString file : answers.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()) {
                final FileDescriptorProto proto = FileDescriptorProto.parseFrom(file);
                if (proto.getPackage().equals("switchboard.v1")) {
                    declared.addAll(proto.getServiceList());
                }
            }
            final ServiceDescriptorProto callControl = declared.stream().filter(s -> s.getName().equals("CallControl"))
                                                               .findFirst().orElseThrow();
            assertThat(callControl.getMethodList()).extracting(m -> m.getName())
                                                   .contains("SendDtmf", "SetVolume", "SetMute", "Play", "Collect");
            assertThat(callControl.getMethodList()).filteredOn(m -> m.getName().equals("SendDtmf"))
                                                   .singleElement()
                                                   .satisfies(m -> assertThat(m.getInputType())
                                                           .isEqualTo(".switchboard.v1.SendDtmfRequest"));

            // Older clients ask v1alpha.
            final io.grpc.reflection.v1alpha.ServerReflectionGrpc.ServerReflectionStub alpha = GrpcClients.newClient(
                    gateway.uri(), io.grpc.reflection.v1alpha.ServerReflectionGrpc.ServerReflectionStub.class);
            final List<io.grpc.reflection.v1alpha.ServerReflectionResponse> old = ask(alpha::serverReflectionInfo, List.of(
                    io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build()));
            assertThat(old.get(0).getListServicesResponse().getServiceList())
                    .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
                    .contains("switchboard.v1.CallControl");
        }
    }

    /** Sends {@code requests} on one reflection stream and returns the answers, in order. */
    private static <Q, A> List<A> ask(java.util.function.Function<StreamObserver<A>, StreamObserver<Q>> open,
                                      List<Q> requests) throws Exception {
        final List<A> answers = new ArrayList<>();
        final CompletableFuture<List<A>> done = new CompletableFuture<>();
        final StreamObserver<Q> out = open.apply(new StreamObserver<A>() {
            @Override
            public void onNext(A value) {
                synchronized (answers) {
                    answers.add(value);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                synchronized (answers) {
                    done.complete(List.copyOf(answers));
                }
            }
        });
        requests.forEach(out::onNext);
        out.onCompleted();
        final List<A> got = done.get(10, TimeUnit.SECONDS);
        assertThat(got).as("one answer per request").hasSize(requests.size());
        return got;
    }
}
