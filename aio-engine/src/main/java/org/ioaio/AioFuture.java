/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.ioaio;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future form of a request: completed inside {@link AioEngine#pollCb()}, on the polling thread,
 * with the request's value; failed with an {@link AioException} (errno, operation, path), a {@link
 * TimeoutException} when the request's deadline passed while it waited, or a {@link
 * CancellationException} when it was cancelled.
 *
 * <p>{@link #cancel(boolean)} cancels the request too (it is not executed if still queued).
 * Dependent stages are {@link CompletableFuture}s run on the polling thread.
 *
 * <p>{@link #join()} and {@link #get()} of an unfinished future on the thread that polls its engine
 * (inside a callback, a stage or a group's init or feeder) throw {@link IllegalStateException}: its
 * result could only be delivered by that very thread once it returns, so the wait would never end
 * and no other result would be delivered meanwhile. Chain a stage instead ({@code thenCompose}).
 * So do those of its dependent stages ({@code thenApply}, {@code thenCombine}, {@code handle}...,
 * and theirs), which complete only after it. A future or stage given a timeout ({@link #orTimeout},
 * {@link #completeOnTimeout}), and a stage another future may complete ({@code applyToEither},
 * {@code acceptEither}, {@code runAfterEither}), are waited for as usual.
 *
 * @param <T> the value type
 */
public final class AioFuture<T> extends RefusingFuture<T> {

    private volatile AioRequest request;

    AioFuture() {}

    /** The request behind this future. */
    public AioRequest request() {
        return request;
    }

    void bind(AioRequest request) {
        this.request = request;
    }

    /**
     * The future form of a request, derived from its callback form: the callback form validates
     * and submits with the future's completer, and the future cancels the request it is bound to.
     */
    static <T> AioFuture<T> of(java.util.function.Function<AioCallback<T>, AioRequest> submit) {
        AioFuture<T> f = new AioFuture<>();
        f.bind(submit.apply(f.completer()));
        return f;
    }

    /** The callback that completes this future; internal to the engine. */
    AioCallback<T> completer() {
        return new Completer<>(this);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        AioRequest r = request;
        if (r != null) {
            r.cancel();
        }
        return super.cancel(mayInterruptIfRunning);
    }

    /**
     * {@inheritDoc} A wait for it on the polling thread then ends by the timeout, so it is not
     * refused.
     */
    @Override
    public AioFuture<T> orTimeout(long timeout, TimeUnit unit) {
        super.orTimeout(timeout, unit);
        return this;
    }

    /**
     * {@inheritDoc} A wait for it on the polling thread then ends by the timeout, so it is not
     * refused.
     */
    @Override
    public AioFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        super.completeOnTimeout(value, timeout, unit);
        return this;
    }

    @Override
    boolean sourceNeverFinishesHere() {
        return request instanceof org.ioaio.internal.sched.Request r && r.waitWouldNeverEnd();
    }

    @Override
    org.ioaio.internal.sched.Request engineRequest() {
        return request instanceof org.ioaio.internal.sched.Request r ? r : null;
    }

    @Override
    String what() {
        AioRequest r = request;
        return (r == null ? "" : r.operation() + " ") + "request";
    }

    @Override
    public String toString() {
        return "AioFuture[" + request + "]" + super.toString();
    }

    /** Completes the future from the callback side. */
    private static final class Completer<T> implements AioCallback<T> {

        private final AioFuture<T> future;

        Completer(AioFuture<T> future) {
            this.future = future;
        }

        @Override
        public void onResult(AioResult<T> result) {
            if (result.ok()) {
                future.complete(result.value());
            } else if (result.request().isTimedOut()) {
                AioRequest r = result.request();
                boolean waited = r instanceof org.ioaio.internal.sched.Request q && q.timedOutExecuting();
                future.completeExceptionally(new TimeoutException(r.operation() + (waited
                        ? ": deadline passed while the request waited (ETIMEDOUT)"
                        : ": deadline passed while the request was queued (ETIMEDOUT)")));
            } else {
                future.completeExceptionally(result.failure());
            }
        }

        @Override
        public void cancelled(AioRequest request) {
            future.completeExceptionally(new RequestCancelled(request.operation()));
        }
    }

    /**
     * The {@link CancellationException} of a cancelled request. It carries no stack trace: it is
     * made on the polling thread, whose stack says nothing about the request, and closing an engine
     * with a million queued futures must not walk a million stacks.
     */
    private static final class RequestCancelled extends CancellationException {
        private static final long serialVersionUID = 1L;

        RequestCancelled(String operation) {
            super(operation + " request was cancelled");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
