package io.switchboard.gateway.internal;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InternalServer;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;

/**
 * gRPC server reflection, {@code grpc.reflection.v1} and {@code v1alpha}, over the gateway's own
 * services ({@code switchboard.*}), so that {@code grpcurl} and Postman need no .proto files.
 *
 * <p>The gateway serves each API from a gRPC service of its own, and grpc-java's reflection
 * answers from the {@link Server} it runs in. Here that server is the list of every
 * {@code switchboard.*} service the Armeria server serves, read when a reflection call starts:
 * whatever the gateway was configured with, reflection describes exactly what it serves. The
 * built-in simulator's services are left out: they are the platform's API, not Switchboard's.
 */
public final class Reflection {

    private static final String OWN_PREFIX = "switchboard.";

    /** The paths the reflection services answer on: public, like the API page. */
    public static final List<String> PATHS = List.of(
            "/" + io.grpc.reflection.v1.ServerReflectionGrpc.SERVICE_NAME + "/ServerReflectionInfo",
            "/" + io.grpc.reflection.v1alpha.ServerReflectionGrpc.SERVICE_NAME + "/ServerReflectionInfo");

    /** Adds both reflection services to {@code sb}. */
    @SuppressWarnings("deprecation") // v1alpha: what older clients (and grpcurl before 1.8.8) ask
    public static void mount(ServerBuilder sb) {
        final ServerInterceptor served = new ServedServices();
        // Added as definitions, so that Armeria does not put its own server (this service alone) in their context.
        sb.service(GrpcService.builder()
                              .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), served))
                              .addService(ServerInterceptors.intercept(ProtoReflectionService.newInstance(), served))
                              .build());
    }

    /** Puts in each reflection call's context a {@link Server} made of the services the gateway serves. */
    private static final class ServedServices implements ServerInterceptor {

        /** The last Armeria server asked about and what it serves: services are not added once it runs. */
        private volatile @Nullable Described described;

        private record Described(com.linecorp.armeria.server.Server armeria, Served served) {}

        @Override
        public <I, O> ServerCall.Listener<I> interceptCall(ServerCall<I, O> call, Metadata headers,
                                                           ServerCallHandler<I, O> next) {
            final com.linecorp.armeria.server.Server armeria = ServiceRequestContext.current().config().server();
            Described d = described;
            if (d == null || d.armeria() != armeria) {
                d = new Described(armeria, served(armeria));
                described = d;
            }
            final Context context = Context.current().withValue(InternalServer.SERVER_CONTEXT_KEY, d.served());
            return Contexts.interceptCall(context, call, headers, next);
        }

        private static Served served(com.linecorp.armeria.server.Server armeria) {
            final Map<String, ServerServiceDefinition> own = new LinkedHashMap<>();
            for (ServiceConfig config : armeria.serviceConfigs()) {
                final GrpcService grpc = config.service().as(GrpcService.class);
                if (grpc == null) {
                    continue;
                }
                for (ServerServiceDefinition definition : grpc.services()) {
                    final String name = definition.getServiceDescriptor().getName();
                    if (name.startsWith(OWN_PREFIX) || name.startsWith("grpc.reflection.")) {
                        own.putIfAbsent(name, definition);
                    }
                }
            }
            return new Served(new ArrayList<>(own.values()));
        }
    }

    /** A server that is only its list of services: all that reflection reads of it. */
    private static final class Served extends Server {

        private final List<ServerServiceDefinition> services;

        Served(List<ServerServiceDefinition> services) {
            this.services = List.copyOf(services);
        }

        @Override
        public List<ServerServiceDefinition> getServices() {
            return services;
        }

        @Override
        public List<ServerServiceDefinition> getImmutableServices() {
            return services;
        }

        @Override
        public List<ServerServiceDefinition> getMutableServices() {
            return List.of();
        }

        @Override
        public List<? extends SocketAddress> getListenSockets() {
            return List.of();
        }

        @Override
        public Server start() {
            throw new UnsupportedOperationException("describes the gateway's services; it does not serve");
        }

        @Override
        public Server shutdown() {
            return this;
        }

        @Override
        public Server shutdownNow() {
            return this;
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }

        @Override
        public void awaitTermination() {
            throw new UnsupportedOperationException("describes the gateway's services; it never terminates");
        }
    }

    private Reflection() {}
}
