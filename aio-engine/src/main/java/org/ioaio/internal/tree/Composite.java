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

package org.ioaio.internal.tree;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ioaio.AioCallback;
import org.ioaio.AioException;
import org.ioaio.AioRequest;
import org.ioaio.AioResult;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.internal.op.SysRequest;
import org.ioaio.internal.sched.Group;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Request;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * A composite request ({@code aio_scandir}, {@code aio_rmtree}, {@code aio_copy}, {@code
 * aio_move}...), built the way IO::AIO's {@code AIO.pm} builds them: a {@link Group}, which is what
 * the caller holds, whose members are the steps. Each step is an ordinary request (one or a few
 * syscalls on a worker, see {@link Step}); when it is done, its callback, run inside {@code pollCb},
 * decides what to add next. Nested composites (the {@code scandir} inside an {@code rmtree}) are
 * members like any step.
 * How a composite looks to its caller, its threads and its queueing: see the package comment.
 */
abstract class Composite {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /** A step's body, run on a worker: one or a few syscalls; its value is handed to the step's {@link Then}. */
    @FunctionalInterface
    interface Work extends SysRequest.Call {}

    /**
     * What to do with a step's value (polling thread). Called even after the composite stopped
     * (cancelled, or failed), so that it can record what the step made for {@link #cleanup()};
     * {@link #step} and {@link #child} start nothing new by then.
     */
    @FunctionalInterface
    interface Then {
        /**
         * Continues the composite.
         *
         * @param value the step's value
         */
        void accept(Object value);
    }

    /** What to do when a step fails (polling thread). */
    @FunctionalInterface
    interface OnError {
        /**
         * Decides about a failed step.
         *
         * @param errno the step's errno
         * @return {@code true} if handled (the composite does not fail), {@code false} to fail it
         */
        boolean handled(int errno);
    }

    /** Fails every error: the default. */
    static final OnError FAIL = errno -> false;

    /** Ignores nothing to do. */
    static final Then NOTHING = value -> {};

    final Scheduler scheduler;
    final Syscalls sys;
    final int pri;

    /** The request the caller holds. */
    final Group group;

    /** Steps and nested composites added by this composite and not yet done. */
    private int active;

    /** The first failure: errno (0 = none), operation and path. */
    private int errno;
    private String failedOperation;
    private String failedPath;

    /** The value the group delivers on success. */
    private Object result;

    /** Set once the cleanup step was queued (or found unnecessary). */
    private boolean cleanedUp;

    /**
     * A composite whose group reports {@code operation} and calls {@code callback}.
     *
     * @param scheduler the engine's scheduler
     * @param sys the engine's syscall layer
     * @param pri the priority of the group and of every step
     * @param op the composite's operation ({@link Op#COPY})
     * @param callback the caller's callback (a future's completer, or a parent composite), or {@code null}
     */
    Composite(Scheduler scheduler, Syscalls sys, int pri, Op op, AioCallback<?> callback) {
        this.scheduler = scheduler;
        this.sys = sys;
        this.pri = pri;
        this.group = new Group(scheduler, pri, new Finisher(callback), op);
    }

    /** Adds and queues the first steps (submitting thread, or polling thread for a nested composite). */
    abstract void begin();

    /**
     * Called after each step's callback while the composite is neither failed-and-stopping nor
     * cancelled: add the next steps here when they depend on several steps being done ({@link
     * #active()} tells how many are in flight).
     */
    void advance() {}

    /**
     * The work that undoes a failed or cancelled composite, or {@code null} for none; called once,
     * on the polling thread, when no step is in flight any more.
     */
    Work cleanup() {
        return null;
    }

    /**
     * Called once the composite is over (every step done), on the polling thread, before the
     * caller's callback: a tree operation closes the directories it holds here ({@link Walk}).
     */
    void finished() {}

    /** Whether a failed step stops the composite (default) or the others go on (rmtree). */
    boolean stopsOnError() {
        return true;
    }

    // ------------------------------------------------------------------ starting

    /**
     * Queues this composite as a top-level request, as {@code AioEngine.group(init, callback)}
     * queues a group: first steps inside {@link Scheduler#deferring}, then the group.
     *
     * @param n the calling thread's settings, taken by the engine (their priority is this composite's)
     * @return the group
     */
    final AioRequest start(Scheduler.Next n) {
        scheduler.deferring(this::begin);
        scheduler.submit(group, n);
        return group;
    }

    /**
     * Adds a nested composite as a member; {@code then} receives its value when it succeeds.
     *
     * @param make builds the child with the callback it must be given
     * @param then the continuation
     * @param onError decides about its failure
     */
    final void child(Function<AioCallback<Object>, Composite> make, Then then, OnError onError) {
        if (stopped()) {
            return;
        }
        Composite c = make.apply(new Member(then, onError, false));
        active++;
        scheduler.deferring(() -> {
            group.add(c.group);
            c.begin();
            submit(c.group);
        });
    }

    /**
     * Adds a step as a member; {@code then} receives its value when it succeeds.
     *
     * @param op the syscall it makes, for errors and metrics ({@link Op#STAT})
     * @param target the path (or file) it works on, for errors
     * @param work the body
     * @param then the continuation
     * @param onError decides about its failure
     */
    final void step(Op op, Object target, Work work, Then then, OnError onError) {
        if (stopped()) {
            return;
        }
        Step s = new Step(scheduler, pri, new Member(then, onError, false), op, target, sys, work, true);
        active++;
        scheduler.deferring(() -> {
            group.add(s);
            submit(s);
        });
    }

    /** {@link #step(Op, Object, Work, Then, OnError)} whose failure fails the composite. */
    final void step(Op op, Object target, Work work, Then then) {
        step(op, target, work, then, FAIL);
    }

    /** Queues {@code r} without disturbing the calling thread's next-request settings. */
    private void submit(Request r) {
        Scheduler.Next n = scheduler.settings();
        int keepPri = n.pri;
        long keepTimeout = n.timeoutNanos;
        n.timeoutNanos = 0;
        try {
            scheduler.submit(r, n);
        } finally {
            n.pri = keepPri;
            n.timeoutNanos = keepTimeout;
        }
    }

    // ------------------------------------------------------------------ batches

    /** The most entries one batch step works on. */
    static final int MAX_BATCH = 16;

    /**
     * How many of a directory's {@code n} entries one step works on: enough steps for every worker
     * twice over (a few large files still go in parallel), at most {@value #MAX_BATCH} (a cancel
     * waits for few), so many small entries cost one hand-off for several instead of one each.
     *
     * @param n the entries
     * @param workers the worker threads wanted
     * @return at least 1
     */
    static int batchSize(int n, int workers) {
        return Math.max(1, Math.min(MAX_BATCH, n / (2 * Math.max(1, workers))));
    }

    /**
     * Hands a directory's scan on (polling thread): each subdirectory to {@code subtree}, the other
     * entries to {@code step} in slices of {@link #batchSize}, each to become one step.
     *
     * @param scan the directory's entries
     * @param subtree starts the work on one subdirectory
     * @param step makes the step of one slice
     */
    final void children(DirScan scan, Consumer<Path> subtree, Consumer<List<Path>> step) {
        scan.dirs().forEach(subtree);
        inBatches(scan.nondirs(), step);
    }

    /**
     * Hands {@code names} to {@code step} in slices of {@link #batchSize}, each to become one step
     * (polling thread).
     *
     * @param names entries of one directory
     * @param step makes the step of one slice
     */
    final void inBatches(List<Path> names, Consumer<List<Path>> step) {
        int batch = batchSize(names.size(), scheduler.wanted());
        for (int i = 0; i < names.size(); i += batch) {
            step.accept(names.subList(i, Math.min(names.size(), i + batch)));
        }
    }

    /** What a batch step does with one entry. */
    @FunctionalInterface
    interface EachName {
        /**
         * Works on one entry.
         *
         * @param name the entry
         * @return {@code true} to hand the name back to the polling thread ({@link #handedBack})
         * @throws SyscallException with the errno that fails the step (its error names this entry)
         */
        boolean run(Path name) throws SyscallException;
    }

    /**
     * The loop of a batch step, on its worker: {@code each} name in turn until the composite is
     * cancelled (checked between two), {@code at} naming the current one for the step's error.
     *
     * @param names the entries, in one directory
     * @param at the step's target
     * @param each the work on one
     * @return the names handed back, or {@code null} for none
     * @throws SyscallException the first failure
     */
    final List<Path> eachName(List<Path> names, Current at, EachName each) throws SyscallException {
        List<Path> back = null;
        Path dir = at.path;
        for (Path name : names) {
            if (group.isCancelled()) {
                break;
            }
            at.path = dir.resolve(name);
            if (each.run(name)) {
                if (back == null) {
                    back = new ArrayList<>();
                }
                back.add(name);
            }
        }
        return back;
    }

    /**
     * Calls {@code then} with each name a batch step handed back (polling thread).
     *
     * @param value the step's value ({@link #eachName}'s)
     * @param then what to do with one
     */
    static void handedBack(Object value, Consumer<Path> then) {
        if (value != null) {
            for (Object name : (List<?>) value) {
                then.accept((Path) name);
            }
        }
    }

    /**
     * The target of a batch step, for its error: the directory, then the entry being worked on
     * (written by the worker before each, read on the polling thread after the step, which the
     * result queue orders).
     */
    static final class Current {
        private Path path;

        Current(Path dir) {
            this.path = dir;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    // ------------------------------------------------------------------ state

    /** Steps and nested composites in flight. */
    final int active() {
        return active;
    }

    /** {@code true} once the group was cancelled, or a step failed and failures stop this composite. */
    final boolean stopped() {
        return group.isCancelled() || (errno != 0 && stopsOnError());
    }

    /**
     * Sets the value the group delivers if no step fails.
     *
     * @param value the result
     */
    final void complete(Object value) {
        this.result = value;
    }

    /**
     * Fails the composite (the first failure wins) and, if failures stop it, cancels its steps in
     * flight.
     *
     * @param errno the errno
     * @param op the operation that failed
     * @param path its path, or {@code null}
     */
    final void fail(int errno, Op op, Object path) {
        fail(errno, op.aioName(), path);
    }

    /** {@link #fail(int, Op, Object)} with the operation's name (a failed step's exception names it). */
    private void fail(int errno, String operation, Object path) {
        if (this.errno == 0) {
            this.errno = errno;
            this.failedOperation = operation;
            this.failedPath = path == null ? null : path.toString();
        }
        if (stopsOnError()) {
            group.cancelSubs();
        }
    }

    /** After a member is done: lets the subclass go on, or cleans up once nothing is in flight. */
    private void settle() {
        if (!stopped()) {
            advance();
        }
        if (active == 0 && !cleanedUp && (group.isCancelled() || errno != 0)) {
            cleanedUp = true;
            Work w = cleanup();
            if (w != null) {
                Step s = new Step(scheduler, pri, new Member(NOTHING, FAIL, true), Op.CLEANUP, null, sys, w, false);
                active++;
                scheduler.deferring(() -> {
                    group.add(s);
                    submit(s);
                });
            }
        }
    }

    /** Runs a cleanup on this thread: only when its step was cancelled by close(). */
    private void cleanupInline(Work w) {
        try {
            w.run(sys);
        } catch (SyscallException | RuntimeException e) {
            LOG.log(Level.WARNING, "aio: cleanup of " + group.operation() + " failed", e);
        }
    }

    // ------------------------------------------------------------------ callbacks

    /** The callback of every member: continues, fails or cleans up the composite. */
    private final class Member implements AioCallback<Object> {

        private final Then then;
        private final OnError onError;
        private final boolean isCleanup;

        Member(Then then, OnError onError, boolean isCleanup) {
            this.then = then;
            this.onError = onError;
            this.isCleanup = isCleanup;
        }

        @Override
        public void onResult(AioResult<Object> r) {
            active--;
            try {
                if (isCleanup) {
                    if (!r.ok()) {
                        LOG.log(Level.DEBUG, "aio: cleanup of " + group.operation() + " failed: " + r.failure());
                    }
                } else if (r.ok()) {
                    // Called even when stopped: a continuation records what the step made (for
                    // the cleanup); step() and child() refuse to start anything new by then.
                    then.accept(r.value());
                } else if (!onError.handled(r.errno())) {
                    Throwable f = r.failure();
                    if (f instanceof AioException a) {
                        fail(r.errno(), a.operation(), a.path());
                    } else {
                        fail(r.errno(), r.request().operation(), null);
                    }
                }
            } catch (RuntimeException | Error e) {
                fail(Errno.EIO.code(), group.op(), null);
                throw e;
            } finally {
                settle();
            }
        }

        @Override
        public void cancelled(AioRequest cancelled) {
            Request request = (Request) cancelled;
            active--;
            if (isCleanup && request instanceof Step s) {
                cleanupInline(s.work); // close() cancelled even the cleanup: do it here
            } else if (!group.isCancelled()) {
                // A step cancelled while the composite was not (close() cancels what is queued, or
                // this composite stopped it after a failure): the composite cannot complete.
                fail(Errno.ECANCELED.code(), request.op(), request.path());
            }
            settle();
        }
    }

    /** The group's callback: publishes the outcome, then calls the caller's callback. */
    private final class Finisher implements AioCallback<Object> {

        private final AioCallback<Object> callback;

        @SuppressWarnings("unchecked")
        Finisher(AioCallback<?> callback) {
            this.callback = (AioCallback<Object>) callback;
        }

        @Override
        public void onResult(AioResult<Object> r) {
            finished();
            if (errno != 0) {
                group.errno(errno);
                group.result(new AioException(errno, failedOperation, failedPath));
            } else {
                group.result(result);
            }
            if (callback != null) {
                callback.onResult(r);
            }
        }

        @Override
        public void cancelled(AioRequest request) {
            finished();
            if (callback != null) {
                callback.cancelled(request);
            }
        }
    }

    /**
     * One step: a {@link SysRequest} that runs a {@link Work} on a worker. A cleanup step ignores
     * {@link #cancel()}: it is what makes a cancelled composite clean, so it runs even inside a
     * cancelled group (only {@code close()}, which cancels everything queued, skips it, and then
     * the composite runs the cleanup on the polling thread).
     */
    static final class Step extends SysRequest {

        final Work work;
        private final boolean cancellable;

        Step(Scheduler scheduler, int pri, AioCallback<?> callback, Op op, Object target, Syscalls sys,
                Work work, boolean cancellable) {
            super(scheduler, pri, callback, op, target, sys, work);
            this.work = work;
            this.cancellable = cancellable;
        }

        @Override
        public void cancel() {
            if (cancellable) {
                super.cancel();
            }
        }
    }
}
