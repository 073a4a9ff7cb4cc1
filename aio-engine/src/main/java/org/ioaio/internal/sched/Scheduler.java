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

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.AioListener;
import org.ioaio.Errno;

/**
 * libeio's {@code etp} in Java: the facade over its four parts, the {@link ReadyQueues}, the
 * {@link WorkerPool}, the {@link ResultQueue} (polling and the poll channel) and the {@link
 * UringDriver}. It keeps submission, the counters and close; the parts, their states and the
 * lock table are described in {@code package-info.java}.
 *
 * <p>Here, {@code reqLock} ({@link ReadyQueues#lock}) guards {@link #closed}; {@link #submitted}
 * is updated atomically (a request for the workers is submitted without {@code reqLock}, through
 * the ready queues' inbox; one for the io_uring lane, a group or a request cancelled before its
 * submission under it); the close flags ({@link #terminated}, {@link #aborting}) are volatile and
 * written only by the first closer. Every counter is volatile: monitoring reads need no lock, and see a value
 * that was true at some instant of each counter ({@code nreqs = submitted - finished}, {@code
 * npending = pushed - popped}, {@code nready}, {@code nthreads}).
 */
public final class Scheduler {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /** Number of priority levels: -4..4. */
    static final int NPRI = 9;

    /** Lowest priority. */
    public static final int PRI_MIN = -4;

    /** Highest priority. */
    public static final int PRI_MAX = 4;

    /** How long close waits at most, beyond twice the grace period, for threads to exit. */
    static final long STOP_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Requests a submitting thread lets pile up in the inbox before it moves them into the ready
     * queues itself (when {@code reqLock} is free): a take then moves at most about this many, and
     * the submitter takes the lock once per this many requests, not once per request.
     */
    static final int INBOX_BATCH = 64;

    /** Tries {@link #lockHot} makes, spinning, before it yields the processor. */
    private static final int LOCK_SPINS = 100;

    /** Times {@link #lockHot} yields the processor to the holder before it queues for the lock. */
    private static final int LOCK_YIELDS = 50;

    /** The ready queues; their lock is {@code reqLock}. */
    final ReadyQueues ready = new ReadyQueues();

    /** The worker threads. */
    final WorkerPool pool;

    /** The result queue and the poll side. */
    final ResultQueue results;

    /** The io_uring lane. */
    final UringDriver uring;

    /** The deadline timer, started by the first request with a deadline. */
    final DeadlineTimer timer = new DeadlineTimer(this);

    /** A prefix for thread names. */
    final String name;

    /** Observes executions for metrics, or {@code null}. */
    final AioListener listener;

    /** Whether submissions record their time (in {@link Request#status} while READY). */
    final boolean timing;

    /** Requests ever accepted (groups included); updated atomically ({@link #SUBMITTED}). */
    private volatile long submitted;

    private static final VarHandle SUBMITTED;

    static {
        try {
            SUBMITTED = MethodHandles.lookup().findVarHandle(Scheduler.class, "submitted", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Set by close: no submission is accepted; reqLock. */
    private volatile boolean closed;

    /** Set at the end of close: poll waits return, flush stops waiting. */
    private volatile boolean terminated;

    /** Set by close after the grace period: executing abortable requests stop. */
    private volatile boolean aborting;

    /** Opened when the first close returns; later and concurrent closers wait for it. */
    private final CountDownLatch closeDone = new CountDownLatch(1);

    /** The closing thread was interrupted while draining (only that thread touches it). */
    private boolean closerInterrupted;

    /** Callbacks (and feeders) that threw. */
    private final LongAdder callbackFailures = new LongAdder();

    /** Requests that finished cancelled. */
    final LongAdder cancellations = new LongAdder();

    /** Requests whose deadline passed while READY, or while they waited executing (a record lock). */
    private final LongAdder timeouts = new LongAdder();

    /**
     * A scheduler with the given settings (validated by the caller).
     *
     * @param name thread name prefix
     * @param wanted threads wanted
     * @param maxIdle idle threads kept
     * @param idleTimeoutNanos surplus idle timeout
     * @param maxPollReqs results per pollCb, 0 = unlimited
     * @param maxPollTimeNanos time per pollCb, 0 = unlimited
     * @param maxOutstanding poll blocking threshold, 0 = unlimited
     * @param listener observes executions, or {@code null}
     * @param timing record submission times even without a listener (for the oldest-request age)
     */
    public Scheduler(String name, int wanted, int maxIdle, long idleTimeoutNanos, int maxPollReqs,
            long maxPollTimeNanos, long maxOutstanding, AioListener listener, boolean timing) {
        this.name = name;
        this.listener = listener;
        this.timing = timing || listener != null;
        this.pool = new WorkerPool(this, wanted, maxIdle, idleTimeoutNanos);
        this.results = new ResultQueue(this, maxPollReqs, maxPollTimeNanos, maxOutstanding);
        this.uring = new UringDriver(this);
    }

    /**
     * Runs {@code hook} on each worker thread as it starts, before its first request (the engine
     * sets the thread's scheduling policy there); call before the first submission. A hook that
     * throws is logged and the worker runs on.
     *
     * @param hook what to run, or {@code null} for nothing
     */
    public void onWorkerStart(Runnable hook) {
        pool.onStart = hook;
    }

    // =======================================================================================
    // Submission
    // =======================================================================================

    /** Clamps a priority to -4..4, as IO::AIO does. */
    public static int clampPri(int pri) {
        return Math.max(PRI_MIN, Math.min(PRI_MAX, pri));
    }

    /**
     * The calling thread's settings for its next request ({@code aioreq_pri}, a deadline), and the
     * requests it is creating inside a group's init or feeder, which are queued only once the
     * init or feeder returns, so that none can finish before it was added to the group.
     */
    public static final class Next {
        /** Priority of the next request. */
        public int pri;
        /** Deadline of the next request, relative, 0 = none. */
        public long timeoutNanos;
        /** Requests held back while inside a group init or feeder; {@code null} outside. */
        private ArrayList<Object> deferred;
        /** An empty list for the next {@link #deferring} (a feeder runs once per finished member). */
        private ArrayList<Object> spare;
    }

    /** The most entries a list {@link #deferring} used may hold and still be kept for the next. */
    private static final int SPARE_MAX = 64;

    /** Each thread's {@link Next}. */
    private final ThreadLocal<Next> next = ThreadLocal.withInitial(Next::new);

    /**
     * The calling thread's next-request settings; checks that the scheduler is open.
     *
     * @return the live settings object (reset by {@link #submit})
     */
    public Next next() {
        checkOpen();
        return next.get();
    }

    /** The calling thread's settings without the open check (for pri/nice/timeout setters). */
    public Next settings() {
        return next.get();
    }

    /**
     * Runs {@code body} with this thread's submissions held back, then queues them in order
     * (public for the composites, which build their steps inside it).
     *
     * @param body code that creates requests and adds them to a group
     */
    public void deferring(Runnable body) {
        Next n = next.get();
        ArrayList<Object> outer = n.deferred;
        ArrayList<Object> mine = n.spare;
        if (mine != null) {
            n.spare = null;
        } else {
            mine = new ArrayList<>();
        }
        n.deferred = mine;
        try {
            body.run();
        } finally {
            n.deferred = outer;
            for (int i = 0; i < mine.size(); i += 2) {
                Request r = (Request) mine.get(i);
                long timeout = (Long) mine.get(i + 1);
                try {
                    if (r instanceof Group g) {
                        submitGroupNow(g);
                    } else {
                        submitNow(r, timeout);
                    }
                } catch (IllegalStateException closedMeanwhile) {
                    // Closed while the body ran: end the request as cancelled so nothing is lost.
                    r.cancelled = true;
                    r.fail(Errno.ECANCELED.code());
                    r.state = Request.PENDING; // from HELD: it was never queued
                    countSubmitted();
                    results.push(r);
                }
            }
            if (mine.size() <= SPARE_MAX) {
                mine.clear();
                n.spare = mine;
            }
        }
    }

    /** Counts a request in {@link #nreqs} as it is accepted (for the inbox: just before it is offered). */
    void countSubmitted() {
        SUBMITTED.getAndAdd(this, 1L);
    }

    /**
     * Takes back the count of a request the closed inbox refused, and wakes a closer that read it
     * meanwhile, so that it reads {@link #nreqs} again (see {@link #settled}).
     */
    void uncountRefused() {
        SUBMITTED.getAndAdd(this, -1L);
        results.wakeWaiters();
    }

    /**
     * Queues a new request built with {@code n.pri}, with {@code n}'s deadline, and resets {@code
     * n}; inside a group init or feeder the request is held back until it returns.
     *
     * @param r a new request
     * @param n the settings returned by {@link #next()}
     * @throws IllegalStateException when closed (nothing is queued)
     */
    public void submit(Request r, Next n) {
        long timeout = n.timeoutNanos;
        n.pri = 0;
        n.timeoutNanos = 0;
        if (n.deferred != null) {
            n.deferred.add(r);
            n.deferred.add(timeout);
            return;
        }
        if (r instanceof Group g) {
            submitGroupNow(g);
        } else {
            submitNow(r, timeout);
        }
    }

    private void submitNow(Request r, long timeoutNanos) {
        if (timing) {
            r.status = System.nanoTime();
        }
        if (timeoutNanos > 0) {
            r.flags |= Request.DEADLINE; // before it is queued: no other thread writes flags yet
        }
        if (r.ring || r.cancelled) {
            submitLocked(r, timeoutNanos);
            return;
        }
        // For the workers: into the inbox, without reqLock (see ReadyQueues). Counted first, so
        // that nreqs never misses a request that could already have finished.
        if (closed) {
            throw closedException();
        }
        countSubmitted();
        int depth = ready.offer(r);
        if (depth == 0) {
            uncountRefused();
            throw closedException();
        }
        final ReentrantLock lock = ready.lock;
        if (pool.mayNeedWake()) {
            boolean start;
            lockHot(lock);
            try {
                start = pool.queued(); // which drains the inbox
            } finally {
                lock.unlock();
            }
            if (start) {
                pool.startWorker();
            }
        } else if ((depth & (INBOX_BATCH - 1)) == 0 && lock.tryLock()) {
            // A deep inbox: move it into the lane now, while reqLock is free, rather than leave
            // the whole of it to the next worker's take (a request submitted next, even at a
            // higher priority, would wait for that move). Tried once per INBOX_BATCH submissions,
            // not at every one past the first batch: a failed tryLock still pulls the lock's cache
            // line away from the workers that hold it.
            try {
                ready.drainInbox();
            } finally {
                lock.unlock();
            }
        }
        if (timeoutNanos > 0) {
            timer.schedule(r, System.nanoTime() + timeoutNanos);
        }
    }

    /** Submits under reqLock: a request for the io_uring lane, or one cancelled before its submission. */
    private void submitLocked(Request r, long timeoutNanos) {
        boolean start = false;
        boolean wakeRing = false;
        boolean cancelledWhileHeld = false;
        final ReentrantLock lock = ready.lock;
        lockHot(lock);
        try {
            if (closed) {
                throw closedException();
            }
            countSubmitted();
            if (r.cancelled) {
                // Cancelled while HELD (inside a group's init or feeder): never queued.
                r.fail(Errno.ECANCELED.code());
                r.state = Request.PENDING;
                cancelledWhileHeld = true;
            } else if (uring.takes(r)) {
                ready.pushUring(r);
                wakeRing = uring.queued();
            } else {
                r.ring = false;
                ready.pushPool(r);
                start = pool.queued();
            }
        } finally {
            lock.unlock();
        }
        if (cancelledWhileHeld) {
            if (listener != null) {
                notifySkipped(r, 0, false);
            }
            results.push(r);
            return;
        }
        if (timeoutNanos > 0) {
            timer.schedule(r, System.nanoTime() + timeoutNanos);
        }
        if (start) {
            pool.startWorker();
        }
        if (wakeRing) {
            uring.wakeThread();
        }
    }

    /** Queues a group: it skips the workers and goes straight to the result queue. */
    private void submitGroupNow(Group g) {
        ready.lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            countSubmitted();
        } finally {
            ready.lock.unlock();
        }
        g.state = Request.PENDING;
        results.push(g);
    }

    /** Throws if the scheduler no longer accepts requests. */
    public void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("AioEngine is closed: it accepts no new requests");
    }

    /**
     * Takes {@code lock} on a per-request path (submission, a worker's take and result, the
     * poller's batch, the flushing thread's help). A thread that parks in a {@link ReentrantLock}'s
     * queue is handed the lock only after every thread queued before it has been scheduled and
     * has had its turn; with more runnable threads than processors (eight workers and the poller
     * on two cores) that is a convoy of milliseconds whenever a holder is preempted, during which
     * the poller cannot queue requests or take results and the processors idle. A holder keeps
     * these locks for a few hundred nanoseconds, so a short spin, then yielding the processor
     * (to the preempted holder, when it is on this one), almost always gets the lock first; only
     * then does the caller queue for it.
     */
    static void lockHot(ReentrantLock lock) {
        if (lock.tryLock()) {
            return;
        }
        for (int i = 0; i < LOCK_SPINS; i++) {
            Thread.onSpinWait();
            if (lock.tryLock()) {
                return;
            }
        }
        for (int i = 0; i < LOCK_YIELDS; i++) {
            Thread.yield();
            if (lock.tryLock()) {
                return;
            }
        }
        lock.lock();
    }

    /**
     * Takes a READY (or SUBMITTED: the inbox is drained first) request out of its queue without
     * executing it (cancel or deadline) and delivers it as a result. Does nothing if it is no
     * longer READY.
     *
     * @param r the request
     * @param timedOut {@code true} for an expired deadline, {@code false} for a cancel
     */
    void unlinkReady(Request r, boolean timedOut) {
        long waited;
        ready.lock.lock();
        try {
            ready.drainInbox();
            if (r.state != Request.READY) {
                return;
            }
            ready.unlink(r);
            waited = timing ? System.nanoTime() - r.status : 0;
            if (timedOut) {
                r.flags |= Request.TIMED_OUT;
                r.fail(Errno.ETIMEDOUT.code());
            } else {
                r.fail(Errno.ECANCELED.code());
            }
            r.state = Request.PENDING;
        } finally {
            ready.lock.unlock();
        }
        if (timedOut) {
            timeouts.increment();
        }
        if (listener != null) {
            notifySkipped(r, waited, timedOut);
        }
        results.push(r);
    }

    /** Whether the calling thread runs a group's init or feeder of this scheduler (its requests are held until it returns). */
    boolean deferringHere() {
        return next.get().deferred != null;
    }

    /**
     * Refuses a call that waits for requests to finish from where they never could: a worker
     * (the request it runs is one of them) or a group's init or feeder (the requests it creates
     * are queued only when it returns).
     */
    void refuseWaitingFrom(String what) {
        if (pool.isWorkerThread()) {
            throw new IllegalStateException(what + " cannot be called from a request running on a worker thread");
        }
        if (deferringHere()) {
            throw new IllegalStateException(what + " cannot be called inside a group's init or feeder:"
                    + " the requests it creates are queued only when it returns");
        }
    }

    // =======================================================================================
    // Listener and statistics
    // =======================================================================================

    /** Tells the listener a request was skipped; whatever it throws (an Error too) is logged and contained. */
    void notifySkipped(Request r, long waitNanos, boolean timedOut) {
        try {
            listener.skipped(r.operation(), waitNanos, timedOut);
        } catch (Throwable e) {
            listenerFailed(e);
        }
    }

    /** Tells the listener a request executed; whatever it throws (an Error too) is logged and contained. */
    void notifyExecuted(Request r, long waitNanos, long execNanos) {
        try {
            listener.executed(r.operation(), waitNanos, execNanos, r.errno);
        } catch (Throwable e) {
            listenerFailed(e);
        }
    }

    private static void listenerFailed(Throwable e) {
        LOG.log(Level.WARNING, "aio: listener threw; ignored", e);
    }

    /** Logs and counts a callback or feeder that threw. */
    void callbackFailed(Request r, Throwable e) {
        callbackFailures.increment();
        LOG.log(Level.WARNING, "aio: callback of " + r.operation() + " threw; other results are still delivered", e);
    }

    // =======================================================================================
    // The parts' operations, as the engine calls them
    // =======================================================================================

    /**
     * Gives this scheduler a ring for the requests routed to it; call once, before any submission.
     *
     * @param r the ring
     */
    public void attachRing(UringBackend r) {
        uring.attach(r);
    }

    /** The attached ring, or {@code null}. */
    public UringBackend ring() {
        return uring.ring();
    }

    /** Whether requests routed to the ring run there now (a ring is attached and has not failed). */
    public boolean ringActive() {
        return uring.active();
    }

    /** Requests in flight in the ring. */
    public int ringInflight() {
        return uring.inflight();
    }

    /** IO::AIO's {@code poll_cb}; see {@link ResultQueue#pollCb}. */
    public int pollCb() {
        return results.pollCb();
    }

    /** IO::AIO's {@code poll}: waits for a result, then processes; returns how many were. */
    public int poll() {
        return results.poll();
    }

    /** IO::AIO's {@code flush}: polls until no request is outstanding. */
    public void flush() {
        results.flush();
    }

    /** IO::AIO's {@code poll_wait}: waits until a result is pending or nothing is outstanding. */
    public void pollWait() {
        results.pollWait();
    }

    /** The channel that is readable while results are pending (IO::AIO's {@code poll_fileno}). */
    public SelectableChannel pollChannel() {
        return results.pollChannel();
    }

    /** IO::AIO's {@code min_parallel}. */
    public void minParallel(int n) {
        pool.minParallel(n);
    }

    /** IO::AIO's {@code max_parallel}: blocks until no more than {@code n} threads run. */
    public void maxParallel(int n) {
        pool.maxParallel(n);
    }

    /** The number of threads wanted. */
    public int wanted() {
        return pool.wanted();
    }

    /** Sets maxIdle and wakes idle threads so they re-check. */
    public void maxIdle(int n) {
        pool.maxIdle(n);
    }

    /** Idle threads kept. */
    public int maxIdle() {
        return pool.maxIdle();
    }

    /** Sets the idle timeout and wakes idle threads so they re-check. */
    public void idleTimeoutNanos(long nanos) {
        pool.idleTimeoutNanos(nanos);
    }

    /** The idle timeout. */
    public long idleTimeoutNanos() {
        return pool.idleTimeoutNanos();
    }

    /** Sets the results processed per pollCb (0 = all). */
    public void maxPollReqs(int n) {
        results.maxPollReqs(n);
    }

    /** Results processed per pollCb (0 = all). */
    public int maxPollReqs() {
        return results.maxPollReqs();
    }

    /** Sets the time per pollCb (0 = unlimited). */
    public void maxPollTimeNanos(long nanos) {
        results.maxPollTimeNanos(nanos);
    }

    /** Time per pollCb (0 = unlimited). */
    public long maxPollTimeNanos() {
        return results.maxPollTimeNanos();
    }

    /** Sets the outstanding threshold that makes poll functions block (0 = none). */
    public void maxOutstanding(long n) {
        results.maxOutstanding(n);
    }

    /** The outstanding threshold (0 = none). */
    public long maxOutstanding() {
        return results.maxOutstanding();
    }

    // =======================================================================================
    // Counters
    // =======================================================================================

    /** Requests READY, EXECUTE or PENDING, and groups not yet done. */
    public long nreqs() {
        long f = results.finished();
        return submitted - f;
    }

    /** Requests READY. */
    public int nready() {
        return ready.nready();
    }

    /** Requests PENDING (executed, callback not yet run). */
    public long npending() {
        return results.npending();
    }

    /** Worker threads running. */
    public int nthreads() {
        return pool.started();
    }

    /** Worker threads waiting for a request. */
    public int nidle() {
        return pool.idle();
    }

    /** READY requests at each priority, index 0 = priority -4; walks the queues under the lock. */
    public int[] readyByPriority() {
        ready.lock.lock();
        try {
            return ready.byPriority();
        } finally {
            ready.lock.unlock();
        }
    }

    /**
     * How long the oldest READY request has waited, or -1 when none waits or times are not
     * recorded. Looks at the head of each queue (each is FIFO), under reqLock.
     */
    public long oldestReadyAgeNanos() {
        if (!timing) {
            return -1;
        }
        long now = System.nanoTime();
        ready.lock.lock();
        try {
            return ready.oldestAgeNanos(now);
        } finally {
            ready.lock.unlock();
        }
    }

    /** Callbacks and feeders that threw. */
    public long callbackFailures() {
        return callbackFailures.sum();
    }

    /** Requests that finished cancelled. */
    public long cancellations() {
        return cancellations.sum();
    }

    /** Requests whose deadline passed while READY, or while they waited executing (a record lock). */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Counts a deadline that passed while its request executed ({@link Request#failTimedOut()}). */
    void countTimeout() {
        timeouts.increment();
    }

    /** Whether submission times are recorded. */
    public boolean recordsTimes() {
        return timing;
    }

    /** {@code true} once {@link #close} began. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether close finished (for the parts). */
    boolean terminated() {
        return terminated;
    }

    /** {@code true} once close gave up draining: abortable requests ({@code busy}) stop early. */
    boolean aborting() {
        return aborting;
    }

    // =======================================================================================
    // Close
    // =======================================================================================

    /**
     * Stops accepting requests, lets queued ones drain for {@code graceNanos} (processing results
     * on this thread, or waiting for the thread that is polling), then cancels what is still
     * READY and asks executing abortable requests to stop, waits up to {@code graceNanos} more
     * for requests already executing, stops every thread and closes the poll channel.
     *
     * <p>Returns within {@code 2 * graceNanos + STOP_SLACK_NANOS} whatever other threads hold
     * (a poller in {@code flush}, one blocked by {@code maxOutstanding}, a worker blocked in a
     * syscall), and from an interrupted thread too (the interrupt is kept); a worker still blocked
     * then adds the time to log the WARNING about it (the wait takes the whole slack: threads that
     * are merely slow to exit get all of it). A concurrent or later
     * call waits for the first within its own bound and reports the state then.
     *
     * @param graceNanos the drain period
     * @return {@code true} if every request reached DONE and every thread stopped
     */
    public boolean close(long graceNanos) {
        if (results.pollLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("close() called from inside a callback: close the engine outside pollCb");
        }
        if (pool.isWorkerThread()) {
            throw new IllegalStateException("close() cannot be called from a request running on a worker thread");
        }
        final long start = System.nanoTime();
        final long grace = Math.min(graceNanos, Long.MAX_VALUE / 4);
        final long end = start + 2 * grace;
        boolean interrupted = Thread.interrupted();
        boolean first;
        final ReentrantLock lock = ready.lock;
        lock.lock();
        try {
            first = !closed;
            closed = true;
            ready.closeInbox();
        } finally {
            lock.unlock();
        }
        try {
            if (!first) {
                interrupted |= awaitClosed(end + STOP_SLACK_NANOS);
                if (!terminated) {
                    return false;
                }
                if (nreqs() > 0) {
                    drain(System.nanoTime()); // results of requests that outlived the first close
                }
                return settled(end + STOP_SLACK_NANOS);
            }
            // Pollers blocked by maxOutstanding re-check (closed) and return.
            results.wakeWaiters();
            boolean clean = drain(start + grace);
            if (!clean) {
                cancelQueued();
                clean = drain(end);
            }
            timer.stop();
            boolean wakeRing;
            lock.lock();
            try {
                pool.stopAll();
                wakeRing = uring.stop();
            } finally {
                lock.unlock();
            }
            if (wakeRing) {
                uring.wakeThread();
            }
            long stopBy = Math.max(end, System.nanoTime()) + STOP_SLACK_NANOS;
            lock.lock();
            try {
                while (pool.started() > 0 || uring.running()) {
                    long left = stopBy - System.nanoTime();
                    if (left <= 0) {
                        LOG.log(Level.WARNING, "aio: " + pool.started() + " worker thread(s) still executing a request after close"
                                + (uring.running() ? ", and the io_uring thread still has " + uring.inflight() + " in flight" : "")
                                + "; they exit when it returns");
                        clean = false;
                        break;
                    }
                    try {
                        pool.threadsChanged.awaitNanos(left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                lock.unlock();
            }
            UringBackend unusedRing = uring.takeUnused();
            if (unusedRing != null) {
                unusedRing.close();
            }
            // Requests that were executing when the drain gave up may have pushed their results by
            // now (their threads exited): deliver them, so that every future completes.
            if (nreqs() > 0) {
                drain(System.nanoTime());
            }
            terminated = true;
            results.closeChannel();
            return clean && settled(stopBy);
        } finally {
            if (first) {
                closeDone.countDown();
            }
            if (interrupted || closerInterrupted) {
                closerInterrupted = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether close left no thread running a request and nothing accepted outstanding, once it
     * terminated. {@link #nreqs} reading 0 proves the latter, but may read above it for a moment
     * without anything accepted being outstanding: a submitter that read {@link #closed} as
     * {@code false} just before close set it counts its request, finds the inbox closed, and takes
     * the count back (submitNow) at any time, even after the drain saw 0. With no thread left to
     * finish a request, only such a count can go, so it is read again, woken by that submitter,
     * until {@code deadline}.
     */
    private boolean settled(long deadline) {
        ready.lock.lock();
        try {
            if (pool.started() > 0 || uring.running()) {
                return false;
            }
        } finally {
            ready.lock.unlock();
        }
        return results.awaitNoneOutstanding(deadline);
    }

    /** A second closer waits for the first until {@code deadline}; returns whether it was interrupted. */
    private boolean awaitClosed(long deadline) {
        boolean interrupted = false;
        for (;;) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return interrupted;
            }
            try {
                if (closeDone.await(left, TimeUnit.NANOSECONDS)) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /**
     * Polls until nothing is outstanding or the deadline passes; true if nothing is. Results are
     * processed here when no other thread polls; while another holds the poll lock (a thread in
     * {@code flush} or a callback), this waits for it to deliver them instead of queuing behind it.
     * Only the closing thread calls it; an interrupt is recorded in {@link #closerInterrupted}.
     */
    private boolean drain(long deadline) {
        for (;;) {
            if (results.pollLock.tryLock()) {
                try {
                    return drainLocked(deadline);
                } finally {
                    results.pollLock.unlock();
                }
            }
            if (nreqs() == 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Another thread polls: wake when it finishes the last request, or retry the lock soon.
            results.awaitResults(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
            if (Thread.interrupted()) {
                closerInterrupted = true;
            }
        }
    }

    private boolean drainLocked(long deadline) {
        while (results.processResults(null) < 0) {
            // everything already pending is delivered, whatever the poll limits
        }
        uring.wakeDeferred();
        for (;;) {
            if (nreqs() == 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            results.awaitResults(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                closerInterrupted = true;
            }
            results.processResults(null);
            uring.wakeDeferred();
        }
    }

    /** Cancels every READY request and every executing one, so that they finish without callbacks. */
    private void cancelQueued() {
        List<Request> cancelled = new ArrayList<>();
        boolean wakeRing;
        ready.lock.lock();
        try {
            Request r;
            while ((r = ready.shiftPool()) != null || (r = ready.shiftUring()) != null) {
                r.cancelled = true;
                r.fail(Errno.ECANCELED.code());
                r.state = Request.PENDING;
                cancelled.add(r);
            }
            aborting = true;
            wakeRing = uring.abort();
            pool.unparkAll();
        } finally {
            ready.lock.unlock();
        }
        if (wakeRing) {
            uring.wakeThread();
        }
        for (Request r : cancelled) {
            results.push(r);
        }
    }

    // =======================================================================================
    // Invariants (for tests)
    // =======================================================================================

    /**
     * Checks the scheduler's invariants, each part's under the lock that guards it, and throws
     * {@link IllegalStateException} naming the first that fails:
     * <ul>
     *   <li>the facade: {@code submitted >= finished};
     *   <li>{@link ReadyQueues#checkInvariants}: every queued request READY, once, in the queue of
     *       its priority and lane; {@code nready} is the sum of the lanes; every request of the
     *       inbox SUBMITTED, once, in no lane, its depth right; the inbox closed exactly when the
     *       scheduler is;
     *   <li>{@link WorkerPool#checkInvariants} and {@link UringDriver#checkInvariants}: no counter
     *       negative, no more idle and looking threads than started, no more looking than
     *       processors, a broken ring's lane empty;
     *   <li>{@link ResultQueue#checkInvariants}: every result PENDING, once, in no ready queue and
     *       not in the inbox; with the poll lock, {@code pushed - popped} is their number;
     *   <li>of {@code known} requests: each is READY exactly when it is in a ready queue, and
     *       SUBMITTED when it is in the inbox.
     * </ul>
     * Takes the poll lock when it can within a moment (not from inside a callback), then {@code
     * reqLock} and, inside it, {@code resLock}: the one place both are held, safe because no thread
     * takes {@code reqLock} while holding {@code resLock}.
     *
     * @param known requests to check individually (may be empty)
     */
    public void checkInvariants(Iterable<?> known) {
        if (results.pollLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("checkInvariants() called from inside a callback");
        }
        boolean polling = false;
        try {
            polling = results.pollLock.tryLock(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Set<Request> queued = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            Set<Request> inbox = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            ready.lock.lock();
            try {
                long f = results.finished();
                check(submitted >= f, "submitted " + submitted + " < finished " + f);
                ready.checkInvariants(queued, inbox, closed);
                pool.checkInvariants();
                uring.checkInvariants();
                if (known != null) {
                    for (Object o : known) {
                        Request r = (Request) o;
                        boolean in = queued.contains(r);
                        check(in == (r.state == Request.READY), r + " is READY=" + (r.state == Request.READY)
                                + " but queued=" + in);
                        check(!inbox.contains(r) || r.state == Request.SUBMITTED, r + " is in the inbox but not SUBMITTED");
                    }
                }
                queued.addAll(inbox);
                // resLock inside reqLock, here only: no thread takes reqLock while holding resLock,
                // so this cannot deadlock, and the two sides are seen at one instant.
                results.resLock.lock();
                try {
                    results.checkInvariants(polling, queued);
                } finally {
                    results.resLock.unlock();
                }
            } finally {
                ready.lock.unlock();
            }
        } finally {
            if (polling) {
                results.pollLock.unlock();
            }
        }
    }

    /** Throws {@link IllegalStateException} naming the violated invariant unless {@code ok}. */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("scheduler invariant violated: " + what);
        }
    }
}
