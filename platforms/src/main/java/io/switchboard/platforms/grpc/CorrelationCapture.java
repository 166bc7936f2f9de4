package io.switchboard.platforms.grpc;

import org.jspecify.annotations.Nullable;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.switchboard.api.MetadataKeys;

/**
 * Captures the upstream's correlation id from response headers or trailers into a
 * {@link Holder} passed in the call options. Stateless; one instance serves every call.
 */
public final class CorrelationCapture implements ClientInterceptor {

    /** Receives the correlation id of one call. Written on an I/O thread, read after the call ends. */
    public static final class Holder {
        private volatile @Nullable String value;

        /** Returns the captured id, or {@code null} if the upstream sent none. */
        public @Nullable String value() {
            return value;
        }
    }

    /** The call option that carries a {@link Holder}. */
    public static final CallOptions.Key<@Nullable Holder> HOLDER = CallOptions.Key.create("correlation-holder");

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        final Holder holder = options.getOption(HOLDER);
        final ClientCall<Q, R> call = next.newCall(method, options);
        if (holder == null) {
            return call;
        }
        return new SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onHeaders(Metadata headers) {
                        capture(headers);
                        super.onHeaders(headers);
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        capture(trailers);
                        super.onClose(status, trailers);
                    }
                }, headers);
            }

            private void capture(Metadata metadata) {
                final String id = metadata.get(MetadataKeys.ININ_CORRELATION_ID);
                if (id != null) {
                    holder.value = id;
                }
            }
        };
    }
}
