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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ioaio.internal.sched.Request;

/**
 * A future completed, in the end, by the thread that polls an engine: an {@link AioFuture}, or a
 * stage that depends on one (each of its dependent stages is another, through {@link
 * #newIncompleteFuture}). Its {@link #join()} and {@code get} throw {@link IllegalStateException}
 * instead of waiting where the wait could never end: unfinished, on the thread that polls, and
 * completed by nothing but what that thread would deliver once it returns.
 *
 * <p>A stage may complete otherwise, and then is waited for as usual: given a timeout ({@link
 * #orTimeout}, {@link #completeOnTimeout}), or made by an {@code ...Either} method, which another
 * future may complete. State: {@link #otherwise}, set once and never cleared; the rest is {@link
 * CompletableFuture}'s.
 *
 * <p>On a worker thread of the same engine (a {@code custom} task waiting for another request), a
 * wait lends the worker out: one more may run meanwhile, so the request waited for cannot stay
 * queued because every worker waits ({@link Request#waitLendingWorker}).
 *
 * @param <T> the value type
 */
abstract class RefusingFuture<T> extends CompletableFuture<T> {

    /** Set when something besides the source may complete it (a timeout, an either's other stage). */
    private volatile boolean otherwise;

    RefusingFuture() {}

    /** Whether what completes it, its request or the stage it depends on, could never finish while this thread waits. */
    abstract boolean sourceNeverFinishesHere();

    /** What it is the result of, for the refusal's message ("a stat request", "a stage of a stat request"). */
    abstract String what();

    /** The request whose result completes it, in the end; {@code null} if not yet bound. */
    abstract Request engineRequest();

    /** Whether a wait for it on the calling thread could never end (see the class comment). */
    final boolean waitWouldNeverEnd() {
        return !otherwise && !isDone() && sourceNeverFinishesHere();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException unfinished, on the thread that polls its engine (see the class comment)
     */
    @Override
    public T join() {
        refuseWaitThatNeverEnds("join");
        Request r = engineRequest();
        if (r == null || isDone()) {
            return super.join();
        }
        try {
            return r.waitLendingWorker(super::join);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("join() threw a checked exception", e); // join throws none
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException unfinished, on the thread that polls its engine (see the class comment)
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseWaitThatNeverEnds("get");
        Request r = engineRequest();
        if (r == null || isDone()) {
            return super.get();
        }
        try {
            return r.waitLendingWorker(super::get);
        } catch (InterruptedException | ExecutionException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("get() threw an unexpected checked exception", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException unfinished, on the thread that polls its engine (see the class comment)
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseWaitThatNeverEnds("get");
        Request r = engineRequest();
        if (r == null || isDone()) {
            return super.get(timeout, unit);
        }
        try {
            return r.waitLendingWorker(() -> super.get(timeout, unit));
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("get() threw an unexpected checked exception", e);
        }
    }

    /** {@inheritDoc} A wait for it on the polling thread then ends by the timeout, so it is not refused. */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        otherwise = true;
        return super.orTimeout(timeout, unit);
    }

    /** {@inheritDoc} A wait for it on the polling thread then ends by the timeout, so it is not refused. */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        otherwise = true;
        return super.completeOnTimeout(value, timeout, unit);
    }

    /** {@inheritDoc} A stage of this one: its waits are refused where this one's would be. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new Stage<>(this);
    }

    // The ...Either stages may be completed by the other stage: never refused.

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return either(super.applyToEither(other, fn));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return either(super.applyToEitherAsync(other, fn));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public <U> CompletableFuture<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn,
            Executor executor) {
        return either(super.applyToEitherAsync(other, fn, executor));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return either(super.acceptEither(other, action));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return either(super.acceptEitherAsync(other, action));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public CompletableFuture<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action,
            Executor executor) {
        return either(super.acceptEitherAsync(other, action, executor));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return either(super.runAfterEither(other, action));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
        return either(super.runAfterEitherAsync(other, action));
    }

    /** {@inheritDoc} Another future may complete it: a wait for it is never refused. */
    @Override
    public CompletableFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return either(super.runAfterEitherAsync(other, action, executor));
    }

    /** The stage an {@code ...Either} method made, marked as one another future may complete. */
    private static <U> CompletableFuture<U> either(CompletableFuture<U> stage) {
        if (stage instanceof RefusingFuture<U> r) {
            r.otherwise = true;
        }
        return stage;
    }

    /** IllegalStateException, nothing waited for, where a wait for this unfinished future could never end. */
    private void refuseWaitThatNeverEnds(String method) {
        if (waitWouldNeverEnd()) {
            throw new IllegalStateException(method + "() of an unfinished " + what() + " on the thread that"
                    + " polls its engine (in a callback, a future's stage or a group's init or feeder) would never return:"
                    + " its result is delivered by this thread once it returns; chain a stage (thenCompose) instead");
        }
    }

    /**
     * A dependent stage of a {@link RefusingFuture} ({@code thenApply}, {@code thenCombine}, {@code
     * handle}...): completed only after its source, so a wait for it could never end wherever one
     * for its source could never end.
     */
    private static final class Stage<T> extends RefusingFuture<T> {

        private final RefusingFuture<?> source;

        Stage(RefusingFuture<?> source) {
            this.source = source;
        }

        @Override
        boolean sourceNeverFinishesHere() {
            return source.waitWouldNeverEnd();
        }

        @Override
        String what() {
            return "stage of " + source.what();
        }

        @Override
        Request engineRequest() {
            return source.engineRequest();
        }
    }
}
