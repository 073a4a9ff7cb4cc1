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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.AioCallback;

/**
 * libeio's {@code res_queue} and {@code etp_poll}: executed requests (PENDING) wait here, in one
 * intrusive singly linked FIFO per priority, until a poller, whichever thread calls a poll
 * function, runs their callbacks (RESULT, then DONE), bounded by {@link #maxPollReqs} and {@link
 * #maxPollTimeNanos}; a pipe makes the {@linkplain #pollChannel poll channel} readable while
 * results are pending.
 *
 * <p>Delivery order: the highest priority first, FIFO within a priority (libeio delivers in one
 * FIFO; here a priority-4 result does not wait behind thousands of priority-0 ones executed just
 * before it). The poller takes every queued result at once into its private batch (one lock per
 * batch, not per result) and, between two callbacks, reads {@link #resMask} without the lock: when
 * a result above the best of its batch arrived, it takes the queue again before going on.
 *
 * <p>{@link #resLock} guards the lists ({@link #resHeads}/{@link #resTails}, {@link #resMask}),
 * {@link #pushed}, the pipe and its signalled flag, and {@link #pollWaiters}; poll functions wait
 * on {@link #resWait}. {@link #pollLock} is held by the thread running callbacks and guards the
 * poller's private batch ({@link #batchHeads}, {@link #batchTails}, {@link #batchMask}), {@link
 * #finished} and {@link #popped}: callbacks never run concurrently, and a poll function called
 * from a callback is refused. The counters and {@link #resMask} are volatile for reads without
 * the lock (monitoring, and the poller's check for a higher priority).
 */
final class ResultQueue {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /**
     * The counters {@link #pushed}, {@link #popped} and {@link #finished}: each has one writer at a
     * time (under resLock, or the poller under pollLock), which writes it with a release store (no
     * full fence per result); readers read it as a volatile. Where a reader must not miss a write
     * (a poll waiter and the poller that finishes the last request), both sides hold resLock.
     */
    private static final VarHandle PUSHED;
    private static final VarHandle POPPED;
    private static final VarHandle FINISHED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PUSHED = l.findVarHandle(ResultQueue.class, "pushed", long.class);
            POPPED = l.findVarHandle(ResultQueue.class, "popped", long.class);
            FINISHED = l.findVarHandle(ResultQueue.class, "finished", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How long a waiting poller keeps looking for a result (yielding between looks) before it parks. */
    static final long SPIN_NANOS = 20_000;

    private final Scheduler s;

    // ---- resLock ---------------------------------------------------------------------------

    /** Guards the result side; see the class comment. */
    final ReentrantLock resLock = new ReentrantLock();

    /** Poll functions wait here for results. */
    private final Condition resWait = resLock.newCondition();

    /** The result queue: one FIFO per priority, index = priority - PRI_MIN, linked through next. */
    private final Request[] resHeads = new Request[Scheduler.NPRI];
    private final Request[] resTails = new Request[Scheduler.NPRI];

    /** Bit q set while {@code resHeads[q]} is not empty; written under resLock, read by the poller without it. */
    private volatile int resMask;

    /** Requests ever appended to the result queue. */
    private volatile long pushed;

    /** Threads waiting in {@link #resWait}; written under resLock, read without it by the poller. */
    private volatile int pollWaiters;

    /** The poll channel's pipe, created by the first {@link #pollChannel()}. */
    private Pipe pipe;

    /** The pipe holds a byte: the channel is readable. */
    private boolean pipeSignalled;

    // ---- pollLock --------------------------------------------------------------------------

    /** Held while callbacks run. */
    final ReentrantLock pollLock = new ReentrantLock();

    /** Results taken from the result queue and not yet processed, one FIFO per priority as in the queue. */
    private final Request[] batchHeads = new Request[Scheduler.NPRI];
    private final Request[] batchTails = new Request[Scheduler.NPRI];

    /** Bit q set while {@code batchHeads[q]} is not empty. */
    private int batchMask;

    /** Requests finished (callback run or skipped). */
    private volatile long finished;

    /** Requests taken out of PENDING. */
    private volatile long popped;

    /** What the flushing thread took to execute itself ({@link WorkerPool#takeForHelping}). */
    private final Request[] helping = new Request[HELP_BATCH];

    /** Their results, handed back at once. */
    private final Chain helped = new Chain();

    /** Requests the flushing thread takes to execute at once at most. */
    static final int HELP_BATCH = 16;

    /** A thread is in {@link #flush} (it may execute io_uring requests itself). */
    private volatile boolean flushing;

    // ---- tuning, read without locks --------------------------------------------------------

    /** Results one pollCb processes at most; 0 = no limit. */
    private volatile int maxPollReqs;

    /** Time one pollCb spends at most (checked after each request); 0 = no limit. */
    private volatile long maxPollTimeNanos;

    /** Poll functions block while nreqs is at least this; 0 = no limit. */
    private volatile long maxOutstanding;

    ResultQueue(Scheduler s, int maxPollReqs, long maxPollTimeNanos, long maxOutstanding) {
        this.s = s;
        this.maxPollReqs = maxPollReqs;
        this.maxPollTimeNanos = maxPollTimeNanos;
        this.maxOutstanding = maxOutstanding;
    }

    // ---- the queue -------------------------------------------------------------------------

    /** Appends {@code r} (PENDING, next cleared) to the queue of its priority; resLock held. */
    private void append(Request r) {
        int q = r.pri - Scheduler.PRI_MIN;
        Request tail = resTails[q];
        if (tail == null) {
            resHeads[q] = r;
            int m = resMask;
            if ((m & (1 << q)) == 0) {
                resMask = m | 1 << q;
            }
        } else {
            tail.next = r;
        }
        resTails[q] = r;
    }

    /** Appends a PENDING request to the result queue and wakes the poll side. */
    void push(Request r) {
        final ReentrantLock lock = resLock;
        Scheduler.lockHot(lock);
        try {
            r.next = null;
            append(r);
            afterPush(1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether results wait that the poller has not taken yet (no lock: a hint for a worker deciding
     * whether to hand back its results one by one or as a chain).
     */
    boolean hasPending() {
        return pushed != popped;
    }

    /** Appends a chain of {@code n} PENDING requests (linked through next) to the result queue. */
    void pushAll(Request head, Request tail, int n) {
        final ReentrantLock lock = resLock;
        Scheduler.lockHot(lock);
        try {
            if (resMask == 0 && samePriority(head, 1 << head.pri - Scheduler.PRI_MIN)) {
                // The usual round: one priority, an empty queue: the chain becomes the queue.
                int q = head.pri - Scheduler.PRI_MIN;
                resHeads[q] = head;
                resTails[q] = tail;
                resMask = 1 << q;
            } else {
                Request r = head;
                while (r != null) {
                    Request next = r.next;
                    r.next = null;
                    append(r);
                    r = next;
                }
            }
            afterPush(n);
        } finally {
            lock.unlock();
        }
    }

    /** resLock held: counts {@code n} more requests pushed and wakes the poll side (the pipe, waiting pollers). */
    private void afterPush(int n) {
        PUSHED.setRelease(this, pushed + n);
        if (pipe != null && !pipeSignalled) {
            signalPipe();
        }
        if (pollWaiters > 0) {
            resWait.signalAll();
        }
    }

    /** A chain of PENDING requests linked through {@link Request#next}, for one {@link #pushAll}. */
    static final class Chain {
        Request head;
        Request tail;
        int n;

        void add(Request r) {
            r.setState(Request.PENDING);
            r.next = null;
            if (tail == null) {
                head = r;
            } else {
                tail.next = r;
            }
            tail = r;
            n++;
        }

        void clear() {
            head = tail = null;
            n = 0;
        }
    }

    /** Whether every request of the chain from {@code r} has the one priority of {@code bit}. */
    private static boolean samePriority(Request r, int bit) {
        for (; r != null; r = r.next) {
            if (1 << r.pri - Scheduler.PRI_MIN != bit) {
                return false;
            }
        }
        return true;
    }

    /** Makes the pipe readable; resLock held. */
    private void signalPipe() {
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            pipeSignalled = true;
        } catch (IOException e) {
            // Only after close(): the channel is gone and nobody can select on it.
            LOG.log(Level.DEBUG, "aio: poll pipe write failed", e);
        }
    }

    /** Drains the pipe when nothing is pending; resLock held. */
    private void drainPipeIfIdle() {
        if (pipeSignalled && resMask == 0 && batchMask == 0) {
            try {
                ByteBuffer b = ByteBuffer.allocate(16);
                while (pipe.source().read(b) > 0) {
                    b.clear();
                }
                pipeSignalled = false;
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "aio: poll pipe read failed", e);
            }
        }
    }

    /**
     * The channel that is readable while results are pending (IO::AIO's {@code poll_fileno}).
     * Created on first use; reading from it is the engine's business, not the caller's.
     *
     * @return the non-blocking source channel of the pipe
     */
    SelectableChannel pollChannel() {
        resLock.lock();
        try {
            s.checkOpen();
            if (pipe == null) {
                try {
                    Pipe p = Pipe.open();
                    p.source().configureBlocking(false);
                    p.sink().configureBlocking(false);
                    pipe = p;
                } catch (IOException e) {
                    throw new UncheckedIOException("aio: cannot create the poll pipe", e);
                }
                if (pushed != popped) {
                    signalPipe();
                }
            }
            return pipe.source();
        } finally {
            resLock.unlock();
        }
    }

    /** Wakes every thread waiting for results, so that it re-checks (close, a new maxOutstanding). */
    void wakeWaiters() {
        resLock.lock();
        try {
            resWait.signalAll();
        } finally {
            resLock.unlock();
        }
    }

    /** At the end of close: closes the poll channel and wakes every waiter. */
    void closeChannel() {
        resLock.lock();
        try {
            if (pipe != null) {
                try {
                    pipe.sink().close();
                    pipe.source().close();
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "aio: closing the poll pipe failed", e);
                }
            }
            resWait.signalAll();
        } finally {
            resLock.unlock();
        }
    }

    // ---- polling ---------------------------------------------------------------------------

    private void enterPoll(String what) {
        if (pollLock.isHeldByCurrentThread()) {
            throw new IllegalStateException(what + " called from inside a callback: aio's poll functions are not reentrant");
        }
        pollLock.lock();
    }

    /**
     * IO::AIO's {@code poll_cb}: processes results within the poll limits, then blocks while
     * {@code nreqs >= maxOutstanding}.
     *
     * @return 0 when every result was processed, -1 when a limit stopped it early
     */
    int pollCb() {
        enterPoll("pollCb");
        try {
            return pollCbLocked(null);
        } finally {
            pollLock.unlock();
        }
    }

    /** IO::AIO's {@code poll}: waits for a result, then processes; returns how many were. */
    int poll() {
        s.refuseWaitingFrom("poll");
        enterPoll("poll");
        try {
            awaitResults(0);
            int[] count = new int[1];
            pollCbLocked(count);
            return count[0];
        } finally {
            pollLock.unlock();
        }
    }

    /**
     * IO::AIO's {@code flush}: polls until no request is outstanding (or the engine was closed
     * with requests it could not finish, or this thread is interrupted).
     */
    void flush() {
        s.refuseWaitingFrom("flush");
        enterPoll("flush");
        flushing = true;
        try {
            while (s.nreqs() > 0 && !s.terminated() && !Thread.currentThread().isInterrupted()) {
                if (pushed == popped) {
                    // Nothing to deliver: rather than sleep until a worker's result wakes us (a
                    // park and unpark per few results), run the next queued request here if it
                    // may run on this thread (see Request.helpable).
                    // A batch of them under one lock (see WorkerPool.takeForHelping).
                    int n = s.pool.takeForHelping(helping);
                    if (n > 0) {
                        s.pool.runHelped(helping, n, helped);
                    } else if ((n = s.uring.takeForHelping(helping)) > 0) {
                        s.uring.help(helping, n, helped);
                    } else {
                        awaitResults(0);
                    }
                }
                pollCbLocked(null);
            }
        } finally {
            flushing = false;
            pollLock.unlock();
        }
    }

    /** Whether a thread is in {@link #flush} (read without a lock by the io_uring thread). */
    boolean flushing() {
        return flushing;
    }

    private int pollCbLocked(int[] count) {
        for (;;) {
            int res = processResults(count);
            if (s.uring.hasDeferred()) {
                s.uring.wakeDeferred();
            }
            if (!overOutstanding()) {
                return res;
            }
            awaitBelowOutstanding();
        }
    }

    /**
     * Whether a poll function must keep blocking for {@code maxOutstanding}: the limit is set and
     * reached, the engine is open, and this thread is not interrupted.
     */
    private boolean overOutstanding() {
        long max = maxOutstanding;
        return max > 0 && s.nreqs() >= max && !s.isClosed() && !Thread.currentThread().isInterrupted();
    }

    /**
     * pollLock held: waits until a result is pending or {@link #overOutstanding()} no longer
     * holds; woken by every result, by {@link #maxOutstanding(long)} and by close.
     */
    private void awaitBelowOutstanding() {
        resLock.lock();
        pollWaiters++;
        try {
            while (pushed == popped && overOutstanding()) {
                resWait.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pollWaiters--;
            resLock.unlock();
        }
    }

    /**
     * IO::AIO's {@code poll_wait}: waits until a result is pending or nothing is outstanding.
     */
    void pollWait() {
        s.refuseWaitingFrom("pollWait");
        awaitResults(0);
    }

    /**
     * Waits until a result is pending, nothing is outstanding, the engine finished closing, or
     * the timeout passes; returns early, with the flag kept, when the thread is interrupted.
     *
     * <p>Wake-ups: a push signals waiters under resLock; the poller that finishes the last
     * outstanding request signals them after writing {@link #finished} (processResults). A waiter
     * counts itself in {@link #pollWaiters} before it reads {@code finished}, both volatile, so
     * either the poller sees the waiter or the waiter sees the new count: none is missed.
     *
     * @param timeoutNanos 0 to wait without a timeout
     * @return {@code true} if a result is pending or nothing is outstanding
     */
    boolean awaitResults(long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        if (SPIN_NANOS > 0 && pushed == popped && s.nreqs() != 0) {
            // A result is often microseconds away: wait for it without parking, so that no unpark
            // is needed, but yielding the processor at each look rather than spinning on it: the
            // worker that runs the request may be queued on this very processor, and a batch
            // worker (SCHED_BATCH) never preempts the thread running there.
            long until = System.nanoTime() + Math.min(SPIN_NANOS, timeoutNanos > 0 ? timeoutNanos : SPIN_NANOS);
            while (pushed == popped && s.nreqs() != 0 && System.nanoTime() - until < 0) {
                Thread.yield();
            }
        }
        resLock.lock();
        pollWaiters++;
        try {
            for (;;) {
                if (pushed != popped || s.nreqs() == 0) {
                    return true;
                }
                if (s.terminated()) {
                    return false;
                }
                if (deadline == 0) {
                    resWait.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    resWait.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pushed != popped || s.nreqs() == 0;
        } finally {
            pollWaiters--;
            resLock.unlock();
        }
    }

    /**
     * Waits until {@link Scheduler#nreqs} reads 0 or {@code deadline} passes, whether or not the
     * engine terminated, for close's last look ({@code Scheduler#settled}): a submitter refused by
     * the closed inbox wakes it ({@link #wakeWaiters}) once it took its count back. An interrupt
     * does not end the wait (as in the rest of close); the flag is set again on return.
     *
     * @return whether nreqs read 0
     */
    boolean awaitNoneOutstanding(long deadline) {
        boolean interrupted = false;
        resLock.lock();
        pollWaiters++; // the poller that finishes the last request wakes it too (see awaitResults)
        try {
            for (;;) {
                if (s.nreqs() == 0) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    resWait.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            pollWaiters--;
            resLock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One pass over pending results within the limits, the highest priority first; pollLock held.
     * Returns 0 or -1.
     */
    int processResults(int[] count) {
        final int maxReqs = maxPollReqs;
        final long maxTime = maxPollTimeNanos;
        final long start = maxTime > 0 ? System.nanoTime() : 0;
        int n = 0;
        for (;;) {
            int bm = batchMask;
            if (bm == 0 || Integer.highestOneBit(resMask) > Integer.highestOneBit(bm)) {
                // The batch is empty, or a result above its best arrived: take the queue.
                Scheduler.lockHot(resLock);
                try {
                    bm = takeQueue(bm);
                    if (bm == 0) {
                        if (pipe != null) {
                            drainPipeIfIdle();
                        }
                        if (pollWaiters > 0 && s.nreqs() == 0) {
                            // The last outstanding request finished on this thread: wake every
                            // other thread in pollWait (see awaitResults).
                            resWait.signalAll();
                        }
                        if (count != null) {
                            count[0] += n;
                        }
                        return 0;
                    }
                } finally {
                    resLock.unlock();
                }
            }
            int q = 31 - Integer.numberOfLeadingZeros(bm);
            Request r = batchHeads[q];
            Request next = r.next;
            batchHeads[q] = next;
            if (next == null) {
                batchTails[q] = null;
                batchMask = bm & ~(1 << q);
            }
            r.next = null;
            POPPED.setRelease(this, popped + 1);
            if (finish(r)) {
                n++;
                if (maxReqs > 0 && n >= maxReqs) {
                    break;
                }
                if (maxTime > 0 && System.nanoTime() - start >= maxTime) {
                    break;
                }
            }
        }
        if (count != null) {
            count[0] += n;
        }
        if (batchMask == 0 && pipe != null) {
            resLock.lock();
            try {
                drainPipeIfIdle();
            } finally {
                resLock.unlock();
            }
        }
        return batchMask == 0 && pushed == popped ? 0 : -1;
    }

    /**
     * Moves every queued result to the end of the batch's FIFO of its priority (resLock and
     * pollLock held); returns the new batch mask.
     */
    private int takeQueue(int bm) {
        int m = resMask;
        if (m == 0) {
            return bm;
        }
        while (m != 0) {
            int q = Integer.numberOfTrailingZeros(m);
            m &= m - 1;
            Request t = batchTails[q];
            if (t == null) {
                batchHeads[q] = resHeads[q];
            } else {
                t.next = resHeads[q];
            }
            batchTails[q] = resTails[q];
            resHeads[q] = resTails[q] = null;
        }
        bm |= resMask;
        resMask = 0;
        batchMask = bm;
        return bm;
    }

    /**
     * Processes one result (pollLock held): runs its callback unless cancelled, marks it DONE, and
     * lets its group know.
     *
     * @return {@code false} for a group delayed because it still has members
     */
    private boolean finish(Request r) {
        if (r instanceof Group g) {
            if (!g.reachedByPoller()) {
                return false;
            }
        } else {
            r.setState(Request.RESULT);
        }
        for (;;) {
            FINISHED.setRelease(this, finished + 1);
            deliver(r);
            r.setState(Request.DONE);
            r.callback = null;
            if ((r.flags & Request.DEADLINE) != 0) {
                s.timer.forget(r);
            }
            Group g = Group.detach(r);
            if (g == null || !g.memberDone(r)) {
                return true;
            }
            r = g;
        }
    }

    private void deliver(Request r) {
        if (r.cancelled) {
            s.cancellations.increment();
            try {
                r.deliverCancelled();
            } catch (RuntimeException | Error e) {
                s.callbackFailed(r, e);
            }
            return;
        }
        AioCallback<Object> cb = r.callback;
        if (cb != null) {
            try {
                cb.onResult(r);
            } catch (Throwable e) {
                s.callbackFailed(r, e);
            }
        }
    }

    // ---- counters and limits ---------------------------------------------------------------

    /** Requests finished (callback run or skipped). */
    long finished() {
        return finished;
    }

    /** Requests PENDING (executed, callback not yet run). */
    long npending() {
        long p = popped;
        return pushed - p;
    }

    /** Sets the results processed per pollCb (0 = all). */
    void maxPollReqs(int n) {
        maxPollReqs = n;
    }

    /** Results processed per pollCb (0 = all). */
    int maxPollReqs() {
        return maxPollReqs;
    }

    /** Sets the time per pollCb (0 = unlimited). */
    void maxPollTimeNanos(long nanos) {
        maxPollTimeNanos = nanos;
    }

    /** Time per pollCb (0 = unlimited). */
    long maxPollTimeNanos() {
        return maxPollTimeNanos;
    }

    /** Sets the outstanding threshold that makes poll functions block (0 = none). */
    void maxOutstanding(long n) {
        maxOutstanding = n;
        wakeWaiters();
    }

    /** The outstanding threshold (0 = none). */
    long maxOutstanding() {
        return maxOutstanding;
    }

    /**
     * Checks the result side (resLock held, and pollLock when {@code polling}): {@code pushed >=
     * popped}, no waiter count below zero; every queued result (and, with the poll lock, every one
     * of the poller's batch) is PENDING, in no ready queue and in no other list; with the poll
     * lock, {@code pushed - popped} is exactly their number.
     *
     * @param polling whether the caller holds the poll lock
     * @param ready the requests of the ready queues
     */
    void checkInvariants(boolean polling, Set<Request> ready) {
        Scheduler.check(pushed >= popped, "pushed " + pushed + " < popped " + popped);
        Scheduler.check(pollWaiters >= 0, "negative counter: pollWaiters=" + pollWaiters);
        Set<Request> results = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long n = walk(resHeads, resTails, resMask, results, ready, "result queue");
        if (polling) {
            n += walk(batchHeads, batchTails, batchMask, results, ready, "poller's batch");
            Scheduler.check(pushed - popped == n, "pushed - popped = " + (pushed - popped) + " but " + n + " results are queued");
        }
    }

    /** Walks the FIFOs of one side, checking each queue's mask bit and priority; returns how many. */
    private long walk(Request[] heads, Request[] tails, int mask, Set<Request> seen, Set<Request> ready, String name) {
        long n = 0;
        for (int q = 0; q < Scheduler.NPRI; q++) {
            String queue = name + " (priority " + (q + Scheduler.PRI_MIN) + ")";
            Scheduler.check((heads[q] != null) == ((mask & (1 << q)) != 0), queue + ": mask bit disagrees with its head");
            n += walk(heads[q], tails[q], seen, ready, queue); // first: it stops at a cycle
            for (Request r = heads[q]; r != null; r = r.next) {
                Scheduler.check(r.pri - Scheduler.PRI_MIN == q, r + " is in the " + queue);
            }
        }
        return n;
    }

    /** Walks a chain of results through {@link Request#next}; returns how many. */
    private long walk(Request head, Request tail, Set<Request> seen, Set<Request> ready, String name) {
        long n = 0;
        Request last = null;
        long bound = pushed - popped + 1;
        for (Request r = head; r != null; r = r.next) {
            Scheduler.check(seen.add(r), r + " is twice in the results");
            Scheduler.check(!ready.contains(r), r + " is both in a ready queue and in the " + name);
            Scheduler.check(r.state == Request.PENDING, r + " is in the " + name + " but not PENDING");
            Scheduler.check(n++ <= bound, name + " holds more than pushed - popped (a cycle?)");
            last = r;
        }
        if (tail != null || head == null) {
            Scheduler.check(tail == last, name + ": tail is not the last result");
        }
        return n;
    }
}
