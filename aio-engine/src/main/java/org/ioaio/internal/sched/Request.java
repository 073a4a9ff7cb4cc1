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

package org.ioaio.internal.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ioaio.AioCallback;
import org.ioaio.AioException;
import org.ioaio.AioRequest;
import org.ioaio.AioResult;
import org.ioaio.Errno;

/**
 * One request: libeio's {@code eio_req}, the unit the {@link Scheduler} queues, executes and
 * delivers. Subclasses add their arguments and implement {@link #execute()}.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   HELD ──submit──► SUBMITTED ──drain──► READY ──worker──► EXECUTE ──worker──► PENDING ──pollCb──► RESULT ──pollCb──► DONE
 *     │   (workers)                        ▲  │                                     ▲
 *     ├──submit (io_uring lane)────────────┘  └──cancel / deadline (unlinked)───────┤
 *     └──submit, found cancelled (never queued)─────────────────────────────────────┘
 * </pre>
 *
 * <ul>
 *   <li>{@code HELD}: created and not yet in any queue: between construction and submission, and
 *       for as long as a group's init or feeder that created it runs (its requests are queued when
 *       it returns). A cancel only sets {@link #cancelled}; the submission sees the flag and moves
 *       the request straight to {@code PENDING} without queuing it. Reported as {@link
 *       AioRequest.State#READY} to users, as is SUBMITTED.
 *   <li>{@code SUBMITTED}: a request for the workers, pushed without a lock onto the scheduler's
 *       inbox ({@link ReadyQueues#offer}), linked through {@link #next}; its {@link #errno} holds
 *       the inbox's depth up to it. The next {@code reqLock} holder that looks at the workers' lane
 *       moves it there, READY. A cancel or an expired deadline drains the inbox under {@code
 *       reqLock} and then finds it READY. Requests for the io_uring lane go to READY directly, under
 *       {@code reqLock}.
 *   <li>{@code READY}: linked into exactly one of the scheduler's ready queues ({@link #next}/{@link
 *       #prev}); entering and leaving READY, the state and the links are guarded by {@code
 *       reqLock}. Only a READY request is ever unlinked.
 *   <li>{@code EXECUTE}: owned by one worker thread, or by the scheduler's ring thread while it is
 *       submitted to io_uring; nothing else touches the result fields.
 *   <li>{@code PENDING}: linked into the result queue of its priority through {@link #next},
 *       guarded by {@code resLock}, then by the polling thread once it took the batch.
 *   <li>{@code RESULT}, {@code DONE}: owned by the polling thread (which holds {@code pollLock}).
 * </ul>
 *
 * A request leaves {@code READY} without executing when it is cancelled or its deadline passes: the
 * canceller unlinks it under {@code reqLock} and moves it straight to {@code PENDING}. The result
 * fields ({@link #status}, {@link #errno}, {@link #value}) are written by the one thread that owns
 * the request at the time and published to the next owner by the queue locks.
 *
 * <p>Group membership ({@link #group}, {@link #grpNext}, {@link #grpPrev}) is guarded by the
 * group's monitor; {@link #group} is claimed with a CAS so that adding a request to a group and
 * finishing it cannot both win.
 */
public abstract class Request implements AioRequest, AioResult<Object> {

    /** {@link #state} of a request not (yet) in any queue; see the lifecycle above. */
    static final int HELD = -1;

    /** {@link #state} of a request in the scheduler's inbox, not yet in a ready queue; see the lifecycle above. */
    static final int SUBMITTED = -2;

    /** {@link #state} values 0..4: the ordinals of {@link AioRequest.State}. */
    static final int READY = 0;
    static final int EXECUTE = 1;
    static final int PENDING = 2;
    static final int RESULT = 3;
    static final int DONE = 4;

    private static final State[] STATES = State.values();

    /** The scheduler this request belongs to. */
    final Scheduler scheduler;

    /** The callback; {@code null} for none. Cleared when the request is done. */
    AioCallback<Object> callback;

    /** Link in the inbox (SUBMITTED), a ready queue (READY) or the result queue (PENDING). */
    Request next;

    /** Back link in a ready queue (READY only). */
    Request prev;

    /** The group this request belongs to, {@link Group#FINISHED}, or {@code null}; set by CAS. */
    volatile Group group;

    /** Links in the group's member list; guarded by the group's monitor. */
    Request grpNext;
    Request grpPrev;

    /** The request's value, or the throwable a custom task failed with (then {@link #errno} != 0). */
    Object value;

    /**
     * The syscall's return value; -1 on error. While the request is SUBMITTED or READY and the scheduler
     * records times, it holds the {@link System#nanoTime()} of the submission instead (the field
     * is free until execution, and this keeps every request at 64 bytes).
     */
    long status;

    /** The error number; 0 on success. While SUBMITTED, the inbox's depth up to this request. */
    int errno;

    /**
     * One of HELD, SUBMITTED, READY..DONE; see the lifecycle above. Read as a volatile; the
     * per-request paths write it with {@link #setState} (a release store: the lock or atomic that
     * hands the request on publishes it, and no reader needs the full fence of a volatile store).
     */
    volatile int state = HELD;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Request.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Writes {@link #state} with a release store (see there). */
    final void setState(int s) {
        STATE.setRelease(this, s);
    }

    /** Priority, -4..4. */
    final byte pri;

    /** Set once by {@link #cancel()}; read by the worker and the poller. */
    volatile boolean cancelled;

    /**
     * {@link #TIMED_OUT} (the deadline passed while READY; set under reqLock) and {@link
     * #DEADLINE} (a deadline was scheduled; set before it is queued). One byte for both keeps a
     * request at 64 bytes.
     */
    byte flags;

    /** {@link #flags} bit: the deadline passed while the request was READY. */
    static final byte TIMED_OUT = 1;

    /** {@link #flags} bit: the request is (or was) in the deadline timer. */
    static final byte DEADLINE = 2;

    /** {@link #flags} bit, with {@link #TIMED_OUT}: the deadline passed while the request executed (a waiting lock). */
    static final byte TIMED_OUT_EXECUTING = 4;

    /**
     * Routed to the scheduler's io_uring lane rather than to a worker: set before submission by
     * whoever builds the request, cleared under {@code reqLock} if the lane falls back to the pool.
     */
    boolean ring;

    /**
     * A request of {@code scheduler} at priority {@code pri} (already clamped).
     *
     * @param scheduler the owner
     * @param pri -4..4
     * @param callback the callback, or {@code null}
     */
    @SuppressWarnings("unchecked")
    protected Request(Scheduler scheduler, int pri, AioCallback<?> callback) {
        this.scheduler = scheduler;
        this.pri = (byte) pri;
        this.callback = (AioCallback<Object>) callback;
    }

    /**
     * Runs the request on a worker thread: sets {@link #status}, {@link #errno} and {@link
     * #value}. Must not throw; {@link #fail} records a failure.
     */
    protected abstract void execute();

    /** Records success with a status. */
    protected final void succeed(long status, Object value) {
        this.status = status;
        this.value = value;
        this.errno = 0;
    }

    /** Records a failure with an errno (status -1, no value). */
    protected final void fail(int errno) {
        this.status = -1;
        this.value = null;
        this.errno = errno;
    }

    /** Records a failure with the exception a task threw, and the errno it stands for. */
    protected final void fail(int errno, Throwable cause) {
        this.status = -1;
        this.value = cause;
        this.errno = errno;
    }

    /**
     * Whether a worker may take this request in a batch with others (and hold them until it is
     * done): only a request that runs no user code and waits for nothing but this machine's own
     * I/O. One that may wait for another party (a FIFO's other end, a lock's holder) or for a
     * device flush would hold its batch-mates back while other workers idle. Protected for the
     * request kinds outside this package.
     */
    protected boolean batchable() {
        return false;
    }

    /**
     * Whether a thread waiting in {@code flush()} may execute this request itself: only a {@link
     * #batchable()} request whose syscalls also survive an interrupt of that thread (while it
     * executes one, no result is delivered). Protected for the request kinds outside this package.
     */
    protected boolean helpable() {
        return false;
    }

    /**
     * What this request is.
     *
     * @return its operation
     */
    public abstract Op op();

    /** The operation's IO::AIO name ({@link Op#aioName()}). */
    @Override
    public final String operation() {
        return op().aioName();
    }

    /**
     * The path the request works on, for error messages; {@code null} when it has none. Public
     * for the composites, which name a cancelled step's path.
     */
    public String path() {
        return null;
    }

    /**
     * The call a ring encodes for this request ({@code SysRequest}'s), or {@code null}: the
     * io_uring lane asks the ring whether the flushing thread may try it.
     *
     * @return the call, or {@code null}
     */
    public Object call() {
        return null;
    }

    /**
     * Routes this request to the scheduler's io_uring lane rather than to a worker; call before
     * submitting it. Protected for {@code SysRequest}, which lives with the per-call records.
     */
    protected final void routeToRing() {
        ring = true;
    }

    /**
     * Records that the request's deadline passed while it executed (a request that waits, such as
     * a record lock, checks its own deadline): ETIMEDOUT, and {@link #isTimedOut()} true, as for one
     * that expired while queued. Protected for such requests outside this package.
     */
    protected final void failTimedOut() {
        flags |= TIMED_OUT | TIMED_OUT_EXECUTING;
        fail(Errno.ETIMEDOUT.code());
        scheduler.countTimeout();
    }

    /**
     * {@code true} when the deadline passed while the request executed ({@link #failTimedOut()}),
     * not while it was queued; for the future's message.
     *
     * @return whether it timed out executing
     */
    public final boolean timedOutExecuting() {
        return (flags & TIMED_OUT_EXECUTING) != 0;
    }

    /**
     * Whether a wait for this request's result on the calling thread could never end: the thread
     * polls the request's engine right now (it runs a callback, a future's stage or a group's
     * feeder, and results are delivered only once that returns), or the request is still held by
     * this thread's group init or feeder (queued only once that returns). For the future form,
     * which refuses such a wait rather than hang the engine.
     *
     * @return whether waiting here would wait forever
     */
    public final boolean waitWouldNeverEnd() {
        return scheduler.results.pollLock.isHeldByCurrentThread() || (state == HELD && scheduler.deferringHere());
    }

    /**
     * Runs {@code wait}, a wait for this request's result, with the calling thread lent out if it is
     * a worker of this request's engine (a {@code custom} task waiting): one more worker may run
     * meanwhile, so the request is not left queued while every worker waits ({@code
     * WorkerPool#lendWhile}). On any other thread it just runs {@code wait}.
     *
     * @param wait the wait ({@code join} or {@code get})
     * @param <T> its value
     * @return its value
     * @throws Exception what it threw
     */
    public final <T> T waitLendingWorker(java.util.concurrent.Callable<T> wait) throws Exception {
        return scheduler.pool.isWorkerThread() ? scheduler.pool.lendWhile(wait) : wait.call();
    }

    /**
     * Called by the poller instead of the callback when the request was cancelled. A value that
     * holds a resource (an open file, a working directory) reaches nobody, so it is closed here.
     * Protected so that a request outside this package whose success holds a resource of another
     * kind (a record lock) can release it too.
     */
    protected void deliverCancelled() {
        if (errno == 0 && value instanceof AutoCloseable resource) {
            value = null;
            try {
                resource.close();
            } catch (Exception e) {
                System.getLogger("org.ioaio").log(System.Logger.Level.WARNING,
                        "aio: closing the result of cancelled request " + operation() + " failed", e);
            }
        }
        if (callback != null) {
            callback.cancelled(this);
        }
    }

    @Override
    public void cancel() {
        if (state == DONE || cancelled) {
            return;
        }
        cancelled = true;
        // The flag is written before the state is read, and the submission reads the flag before
        // it queues the request: either it sees the flag (and never queues the request), or this
        // sees SUBMITTED or READY (and unlinks it under reqLock, the inbox drained first), or the
        // submission read the flag just before it was set and queues the request anyway: then
        // the worker sees the flag and does not execute it. A HELD request needs no more.
        int s = state;
        if (s == READY || s == SUBMITTED) {
            scheduler.unlinkReady(this, false);
        } else if (ring && s == EXECUTE) {
            scheduler.uring.cancel(this);
        }
    }

    @Override
    public final boolean isCancelled() {
        return cancelled;
    }

    @Override
    public final boolean isTimedOut() {
        return (flags & TIMED_OUT) != 0;
    }

    @Override
    public final State state() {
        int s = state;
        return STATES[s < READY ? READY : s];
    }

    @Override
    public final int priority() {
        return pri;
    }

    @Override
    public final long status() {
        return status;
    }

    @Override
    public final int errno() {
        return errno;
    }

    @Override
    public final Object value() {
        return errno == 0 ? value : null;
    }

    @Override
    public final Throwable failure() {
        if (errno == 0) {
            return null;
        }
        if (value instanceof Throwable t) {
            return t;
        }
        return new AioException(errno, operation(), path());
    }

    @Override
    public final AioRequest request() {
        return this;
    }

    @Override
    public String toString() {
        return operation() + "[" + state() + (cancelled ? ",cancelled" : "") + (isTimedOut() ? ",timed out" : "")
                + ",pri=" + pri + (errno != 0 ? "," + Errno.describe(errno) : "") + "]";
    }

}
