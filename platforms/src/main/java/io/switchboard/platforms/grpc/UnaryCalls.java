package io.switchboard.platforms.grpc;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.grpc.stub.StreamObserver;

/** Adapts grpc-java's async unary stubs to {@link CompletableFuture}. */
public final class UnaryCalls {

    /**
     * Starts a unary call and returns its answer as a future.
     *
     * @param call starts the call, e.g. {@code (req, observer) -> stub.sendDtmf(req, observer)}
     */
    public static <Q, R> CompletableFuture<R> call(Q request, BiConsumer<Q, StreamObserver<R>> call) {
        final CompletableFuture<R> future = new CompletableFuture<>();
        call.accept(request, new StreamObserver<>() {
            private R value;

            @Override
            public void onNext(R value) {
                this.value = value;
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.complete(value);
            }
        });
        return future;
    }

    private UnaryCalls() {}
}
