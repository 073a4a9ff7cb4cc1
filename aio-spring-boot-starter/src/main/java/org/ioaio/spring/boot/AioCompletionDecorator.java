package org.ioaio.spring.boot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ioaio.AioFuture;
import org.ioaio.AioRequest;
import org.jspecify.annotations.Nullable;

/**
 * Wraps each future an {@link AioTemplate} returns, on the submitting thread, right after the
 * request was submitted: to capture what that thread has (its context, a parent observation) and
 * act when the request completes on the poller thread. The auto-configuration applies every bean of
 * this type, in order, each to the previous one's future (the first wraps the engine's future).
 *
 * <p>A decorator must return a future that completes with the same value or exception as the one
 * it is given, and whose {@code cancel} cancels the one it is given (which cancels the request):
 * {@link #relay(CompletableFuture)} makes one.
 */
public interface AioCompletionDecorator {

    /** The decorator that changes nothing. */
    AioCompletionDecorator NONE = new AioCompletionDecorator() {
        @Override
        public <T> CompletableFuture<T> decorate(CompletableFuture<T> future) {
            return future;
        }
    };

    /**
     * The future to hand to the caller for {@code future}.
     *
     * @param future the request's future (an {@link AioFuture} or one a previous decorator made)
     * @param <T> the value type
     * @return the future for the caller
     */
    <T> CompletableFuture<T> decorate(CompletableFuture<T> future);

    /**
     * The operation name of a request's future ({@code stat}, {@code open}...): the request's own
     * for an {@link AioFuture}, else {@code request}.
     *
     * @param future a future given to {@link #decorate}
     * @return the operation name
     */
    static String operation(CompletableFuture<?> future) {
        if (future instanceof AioFuture<?> f && f.request() != null) {
            return f.request().operation();
        }
        if (future instanceof Relay<?> r) {
            return r.operation;
        }
        return "request";
    }

    /**
     * The request behind a future an {@link AioTemplate} returned (through any relays), for adding
     * it to a group or cancelling it.
     *
     * @param future a future from the template
     * @return its request, or {@code null} when it has none (a call refused before anything was queued)
     */
    static @Nullable AioRequest request(CompletableFuture<?> future) {
        CompletableFuture<?> f = future;
        while (f instanceof Relay<?> r) {
            f = r.source;
        }
        return f instanceof AioFuture<?> a ? a.request() : null;
    }

    /**
     * A future for {@code source} that a decorator completes itself: cancelling it cancels {@code source}.
     *
     * @param source the future it relays
     * @param <T> the value type
     * @return the relay, not completed
     */
    static <T> CompletableFuture<T> relay(CompletableFuture<T> source) {
        return new Relay<>(source);
    }

    /**
     * All of {@code decorators}, in order: the first wraps the engine's future.
     *
     * @param decorators the decorators
     * @return one decorator applying them all ({@link #NONE} for none)
     */
    static AioCompletionDecorator of(List<? extends AioCompletionDecorator> decorators) {
        if (decorators.isEmpty()) {
            return NONE;
        }
        if (decorators.size() == 1) {
            return decorators.get(0);
        }
        AioCompletionDecorator[] all = decorators.toArray(new AioCompletionDecorator[0]);
        return new AioCompletionDecorator() {
            @Override
            public <T> CompletableFuture<T> decorate(CompletableFuture<T> future) {
                CompletableFuture<T> f = future;
                for (AioCompletionDecorator d : all) {
                    f = d.decorate(f);
                }
                return f;
            }
        };
    }

    /** A future relaying another: cancelling it cancels the source; it keeps the source's operation name. */
    final class Relay<T> extends CompletableFuture<T> {

        private final CompletableFuture<T> source;
        private final String operation;

        Relay(CompletableFuture<T> source) {
            this.source = source;
            this.operation = operation(source);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            source.cancel(mayInterruptIfRunning);
            return super.cancel(mayInterruptIfRunning);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }

        @Override
        public String toString() {
            return "AioCompletionDecorator.Relay[" + source + "]";
        }
    }
}
