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

package org.ioaio.sample.jobs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioGroup;
import org.ioaio.AioRequest;
import org.ioaio.AioResult;
import org.ioaio.Errno;
import org.ioaio.spring.boot.AioTemplate;
import org.jspecify.annotations.Nullable;

/**
 * A stream of engine requests run as the members of one IO::AIO group with a feeder (IO::AIO's
 * {@code aio_group} + {@code limit} + {@code feed}): at most {@code limit} members in flight; the
 * feeder submits the next task whenever a member finishes; tasks added later (by members'
 * callbacks, as a tree walk discovers entries) are fed too. The future of {@link #run()}
 * completes when the group does: every member done and nothing left to feed.
 *
 * <p>A feeder that adds nothing is removed by the engine (as in IO::AIO); {@link #add} sets it
 * again when new tasks arrive, which happens only inside callbacks of members still counted by
 * the group, so the group cannot finish in between. {@link #cancel()} uses {@code cancelSubs}:
 * the members are cancelled (queued ones never execute, a running syscall finishes) and the group
 * itself still finishes normally once every member is done, so {@link #run()}'s future tells when
 * no request of this group is left in the engine.
 *
 * <p>Tasks submit callback-form requests; they run with this group's priority ({@code aioreq_pri}).
 * Callbacks run on the poller thread, one at a time.
 */
final class WorkGroup {

    private final AioEngine engine;
    private final AioTemplate template;
    private final int priority;
    private final int limit;
    private final ConcurrentLinkedDeque<Supplier<AioRequest>> tasks = new ConcurrentLinkedDeque<>();
    /** Whether the feeder is set (or being set); cleared by the feeder when it finds nothing to add. */
    private final AtomicBoolean feeding = new AtomicBoolean();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private volatile @Nullable AioGroup group;
    private volatile boolean cancelled;

    /**
     * A group whose requests run at {@code priority}.
     *
     * @param template a template view with that priority (it creates the group)
     * @param priority -4..4
     * @param limit members in flight at most, 1 or more
     */
    WorkGroup(AioTemplate template, int priority, int limit) {
        this.engine = template.view(); // jailed in the data directory: paths relative to it
        this.template = template;
        this.priority = priority;
        this.limit = Math.max(1, limit);
    }

    /** The template's engine view (jailed under {@code aio.root}), for tasks to submit to, with paths relative to the root. */
    AioEngine engine() {
        return engine;
    }

    /**
     * Queues a task: a supplier that submits one callback-form request and returns it.
     *
     * @param task the task
     */
    void add(Supplier<AioRequest> task) {
        tasks.addLast(task);
        feedMore();
    }

    /**
     * Queues a task ahead of all others: the next step of work already begun (the fsync after a
     * copy), so that work in progress finishes before new work starts.
     *
     * @param task the task
     */
    void addNext(Supplier<AioRequest> task) {
        tasks.addFirst(task);
        feedMore();
    }

    /**
     * Queues a call of the template (a composite such as {@code rmtree} or {@code copyTree}, on
     * paths relative to the data directory): its request joins the group, so cancelling the group
     * cancels it; a failure fails the group; {@code onDone} runs (on the poller thread) when it succeeds.
     *
     * @param call submits the request and returns its future
     * @param onDone what to do with its success
     */
    void addCall(Supplier<? extends CompletableFuture<?>> call, Runnable onDone) {
        add(() -> {
            CompletableFuture<?> f = call.get();
            f.whenComplete((v, error) -> {
                if (error != null) {
                    fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                } else {
                    onDone.run();
                }
            });
            // A call refused before anything was queued (the jail) has no request: a nop stands in for it.
            AioRequest request = AioTemplate.requestOf(f);
            return request != null ? request : engine.nop(r -> { });
        });
    }

    private void feedMore() {
        AioGroup g = group;
        if (g != null && !cancelled && feeding.compareAndSet(false, true)) {
            g.feed(this::feed);
        }
    }

    /**
     * Creates the group and starts feeding it.
     *
     * @return completes when the group finished; fails with the first error {@link #fail} recorded
     */
    CompletableFuture<Void> run() {
        return template.groupFuture(g -> {
            g.limit(limit);
            group = g;
            if (!cancelled && feeding.compareAndSet(false, true)) {
                g.feed(this::feed);
            }
        }).handle((v, error) -> {
            Throwable f = failure.get();
            if (f == null) {
                f = error;
            }
            if (f != null) {
                throw f instanceof CompletionException ce ? ce : new CompletionException(f);
            }
            return null;
        });
    }

    /** The feeder: called under the group's lock whenever fewer than {@code limit} members are active. */
    private void feed(AioGroup g) {
        for (;;) {
            if (cancelled) {
                feeding.set(false);
                return;
            }
            Supplier<AioRequest> task = tasks.pollFirst();
            if (task != null) {
                AioRequest r;
                try {
                    r = submit(task);
                } catch (RuntimeException e) {
                    fail(new AioException(Errno.EIO.code(), "submit", null, e));
                    feeding.set(false);
                    return;
                }
                g.add(r);
                return;
            }
            // Nothing to add: the engine removes the feeder; add() sets it again.
            feeding.set(false);
            if (tasks.isEmpty() || !feeding.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Submits with this group's priority; a submission that throws leaves the thread's next priority as it was. */
    private AioRequest submit(Supplier<AioRequest> task) {
        int previous = engine.pri(priority);
        boolean submitted = false;
        try {
            AioRequest r = task.get();
            submitted = true;
            return r;
        } finally {
            if (!submitted) {
                engine.pri(previous);
            }
        }
    }

    /**
     * Records a failure (the first one wins) and cancels the rest.
     *
     * @param error the failure
     */
    void fail(Throwable error) {
        failure.compareAndSet(null, error);
        cancel();
    }

    /**
     * Records a failed request's error and cancels the rest.
     *
     * @param result the failed request's outcome
     */
    void fail(AioResult<?> result) {
        Throwable t = result.failure();
        fail(t != null ? t : new AioException(result.errno(), result.request().operation(), null));
    }

    /** Cancels every member and stops feeding; the group still finishes once its members are done. */
    void cancel() {
        cancelled = true;
        AioGroup g = group;
        if (g != null) {
            g.cancelSubs();
        }
    }

    /** Whether {@link #cancel()} or {@link #fail} was called. */
    boolean isCancelled() {
        return cancelled;
    }
}
