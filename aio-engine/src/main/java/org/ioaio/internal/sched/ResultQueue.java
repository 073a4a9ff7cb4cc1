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
import java.util.concurrent.atomic.LongAdder;
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
 * before it). Whoever executed a request pushes it, without a lock, onto {@link #incoming}, a
 * lock-free stack (a compare-and-set of its head; a worker never waits for another worker or the
 * poller to append its result). The poller takes the whole stack at once into its private batch,
 * one FIFO per priority (one atomic swap per batch, not per result) and, between two callbacks,
 * reads the stack's mask of the priorities pushed since: when a result above the best of its batch
 * arrived, it takes the stack again before going on.
 *
 * <p>{@link #resLock} guards the pipe's use and its signalled flag and {@link #pollWaiters}; poll
 * functions wait on {@link #resWait}. A pusher takes it only to wake someone: a poll waiter, or
 * the pipe while it is not signalled. Both sides of each wake-up write before they read (pusher:
 * the stack, then the waiters and the flag; waiter: its count, then the stack; the poller that
 * idles the pipe: the flag, then the stack), so no wake-up is lost. {@link #pollLock} is held by
 * the thread running callbacks and guards the poller's private batch ({@link #batchHeads}, {@link
 * #batchTails}, {@link #batchMask}), taking from the stack, {@link #taken}, {@link #finished} and
 * {@link #popped}: callbacks never run concurrently, and a poll function called from a callback is
 * refused. The counters are volatile for reads without the lock (monitoring, waiting).
 */
final class ResultQueue {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /**
     * The counters {@link #taken}, {@link #popped} and {@link #finished}: the poller (under
     * pollLock) writes them with release stores (no full fence per result); readers read them as
     * volatiles. Where a reader must not miss a write (a poll waiter and the poller that finishes
     * the last request), the poller fences before it reads the waiters' count.
     */
    private static final VarHandle TAKEN;
    private static final VarHandle POPPED;
    private static final VarHandle FINISHED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAKEN = l.findVarHandle(ResultQueue.class, "taken", long.class);
            POPPED = l.findVarHandle(ResultQueue.class, "popped", long.class);
            FINISHED = l.findVarHandle(ResultQueue.class, "finished", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How long a waiting poller spins for a result before it parks. */
    static final long SPIN_NANOS = 20_000;

    private final Scheduler s;

    // ---- the stack and resLock -------------------------------------------------------------

    /**
     * Executed requests (PENDING) not yet taken by the poller, newest first, linked through {@link
     * Request#next}; pushed by any thread without a lock, taken whole by the poller.
     */
    private final PaddedHead incoming = new PaddedHead();

    /** Requests ever pushed onto {@link #incoming}, counted after the push (striped: no contention). */
    private final LongAdder pushed = new LongAdder();

    /** Guards the pipe's signalled flag and the poll waiters (see the class comment). */
    final ReentrantLock resLock = new ReentrantLock();

    /** Poll functions wait here for results. */
    private final Condition resWait = resLock.newCondition();

    /** Threads waiting in {@link #resWait}; written under resLock, read without it by pushers and the poller. */
    private volatile int pollWaiters;

    /** The poll channel's pipe, created by the first {@link #pollChannel()} (under resLock); read by pushers without it. */
    private volatile Pipe pipe;

    /** The pipe holds a byte: the channel is readable. Written under resLock, read by pushers without it. */
    private volatile boolean pipeSignalled;

    // ---- pollLock --------------------------------------------------------------------------

    /** Held while callbacks run. */
    final ReentrantLock pollLock = new ReentrantLock();

    /** Results taken from the stack and not yet processed, one FIFO per priority. */
    private final Request[] batchHeads = new Request[Scheduler.NPRI];
    private final Request[] batchTails = new Request[Scheduler.NPRI];

    /** What one take from the stack holds of each priority, oldest first, before it joins the batch. */
    private final Request[] takeHeads = new Request[Scheduler.NPRI];
    private final Request[] takeTails = new Request[Scheduler.NPRI];

    /** Bit q set while {@code batchHeads[q]} is not empty. */
    private int batchMask;

    /** Requests ever taken from the stack into the batch. */
    private volatile long taken;

    /** Requests finished (callback run or skipped). */
    private volatile long finished;

    /** Requests taken out of PENDING. */
    private volatile long popped;

    /** What the flushing thread took to execute itself ({@link WorkerPool#takeForHelping}). */
    private final Request[] helping = new Request[HELP_BATCH];

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

    /** Appends a PENDING request to the result queue and wakes the poll side. */
    void push(Request r) {
        final PaddedHead in = incoming;
        for (;;) {
            Request h = in.get();
            r.next = h;
            if (in.compareAndSet(h, r)) {
                break;
            }
        }
        in.mark(1 << r.pri - Scheduler.PRI_MIN);
        pushed.increment();
        wakeAfterPush();
    }

    /** Appends a chain of {@code n} PENDING requests (linked through next, oldest first) to the result queue. */
    void pushAll(Request head, Request tail, int n) {
        // The stack holds the newest first: reverse the chain, then push it with one compare-and-set.
        Request newest = null;
        int bits = 0;
        for (Request r = head; r != null;) {
            Request next = r.next;
            r.next = newest;
            newest = r;
            bits |= 1 << r.pri - Scheduler.PRI_MIN;
            r = next;
        }
        final PaddedHead in = incoming;
        for (;;) {
            Request h = in.get();
            head.next = h; // the oldest is now the bottom of the chain
            if (in.compareAndSet(h, newest)) {
                break;
            }
        }
        in.mark(bits);
        pushed.add(n);
        wakeAfterPush();
    }

    /**
     * After a push: wakes the poll waiters and makes the pipe readable, under resLock, if there are
     * any or it is not; otherwise takes no lock (see the class comment for why none is missed).
     */
    private void wakeAfterPush() {
        if (pollWaiters > 0 || (pipe != null && !pipeSignalled)) {
            resLock.lock();
            try {
                if (pipe != null && !pipeSignalled) {
                    signalPipe();
                }
                if (pollWaiters > 0) {
                    resWait.signalAll();
                }
            } finally {
                resLock.unlock();
            }
        }
    }

    /** Whether results wait for the poller: in its batch, or on the stack (read without a lock). */
    private boolean hasPending() {
        return taken != popped || incoming.get() != null;
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

    /**
     * Drains the pipe when nothing is pending (resLock and pollLock held); clears the flag before
     * it looks at the stack again, so that a push it missed either sees the flag clear (and signals)
     * or is seen here (and signalled here).
     */
    private void drainPipeIfIdle() {
        if (pipeSignalled && batchMask == 0 && incoming.get() == null) {
            try {
                ByteBuffer b = ByteBuffer.allocate(16);
                while (pipe.source().read(b) > 0) {
                    b.clear();
                }
                pipeSignalled = false;
                if (incoming.get() != null) {
                    signalPipe();
                }
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
                if (hasPending()) {
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
                if (!hasPending()) {
                    // Nothing to deliver: rather than sleep until a worker's result wakes us (a
                    // park and unpark per few results), run the next queued request here if it
                    // may run on this thread (see Request.helpable).
                    // A batch of them under one lock (see WorkerPool.takeForHelping).
                    int n = s.pool.takeForHelping(helping);
                    Request r;
                    if (n > 0) {
                        s.pool.runHelped(helping, n);
                    } else if ((r = s.uring.takeForHelping()) != null) {
                        s.uring.help(r);
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
            while (!hasPending() && overOutstanding()) {
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
     * <p>Wake-ups: a push that sees a waiter counted signals it under resLock (it pushes before it
     * reads the count; the waiter counts itself before it looks at the stack); the poller that
     * finishes the last outstanding request signals them after writing {@link #finished} and a
     * fence (idle). A waiter counts itself in {@link #pollWaiters} before it reads {@code
     * finished}, so either the poller sees the waiter or the waiter sees the new count: none is
     * missed.
     *
     * @param timeoutNanos 0 to wait without a timeout
     * @return {@code true} if a result is pending or nothing is outstanding
     */
    boolean awaitResults(long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        if (SPIN_NANOS > 0 && !hasPending() && s.nreqs() != 0) {
            // A result is often microseconds away: spin for it rather than park and be unparked.
            long until = System.nanoTime() + Math.min(SPIN_NANOS, timeoutNanos > 0 ? timeoutNanos : SPIN_NANOS);
            while (!hasPending() && s.nreqs() != 0 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
        resLock.lock();
        pollWaiters++;
        try {
            for (;;) {
                if (hasPending() || s.nreqs() == 0) {
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
            return hasPending() || s.nreqs() == 0;
        } finally {
            pollWaiters--;
            resLock.unlock();
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
            if (bm == 0 || Integer.highestOneBit(incoming.mask()) > Integer.highestOneBit(bm)) {
                // The batch is empty, or a result above its best arrived: take the stack.
                bm = takeIncoming(bm);
                if (bm == 0) {
                    if (count != null) {
                        count[0] += n;
                    }
                    idle();
                    return 0;
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
        return batchMask == 0 && incoming.get() == null ? 0 : -1;
    }

    /**
     * Nothing left to deliver (pollLock held): drains the pipe, and when the last outstanding
     * request finished on this thread, wakes every other thread in pollWait (see awaitResults).
     * The fence orders this thread's release stores of {@link #finished} before its read of
     * {@link #pollWaiters}, as a waiter counts itself before it reads {@code finished}.
     */
    private void idle() {
        VarHandle.fullFence();
        if (pipe != null || pollWaiters > 0) {
            resLock.lock();
            try {
                if (pipe != null) {
                    drainPipeIfIdle();
                }
                if (pollWaiters > 0 && s.nreqs() == 0) {
                    resWait.signalAll();
                }
            } finally {
                resLock.unlock();
            }
        }
    }

    /**
     * Takes the whole stack (pollLock held) and appends it, oldest first, to the batch's FIFO of
     * each priority; returns the new batch mask. Clears the stack's mask first (see {@link
     * PaddedHead}). Walking the stack from its newest, each request is put in front of its
     * priority's list of this take, which leaves each list oldest first.
     */
    private int takeIncoming(int bm) {
        final PaddedHead in = incoming;
        if (in.get() == null) {
            return bm;
        }
        in.clearMask();
        Request r = in.getAndSet(null);
        final Request[] th = takeHeads;
        final Request[] tt = takeTails;
        int m = 0;
        long n = 0;
        while (r != null) {
            Request next = r.next;
            int q = r.pri - Scheduler.PRI_MIN;
            int bit = 1 << q;
            if ((m & bit) == 0) {
                m |= bit;
                tt[q] = r;
                r.next = null;
            } else {
                r.next = th[q];
            }
            th[q] = r;
            n++;
            r = next;
        }
        int left = m;
        while (left != 0) {
            int q = Integer.numberOfTrailingZeros(left);
            left &= left - 1;
            Request t = batchTails[q];
            if (t == null) {
                batchHeads[q] = th[q];
            } else {
                t.next = th[q];
            }
            batchTails[q] = tt[q];
            th[q] = tt[q] = null;
        }
        TAKEN.setRelease(this, taken + n);
        bm |= m;
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

    /**
     * Requests PENDING (executed, callback not yet run). A push is counted just after it is on the
     * stack, so while a poller delivers one that was not counted yet the difference could dip
     * below zero for a moment: it is read as zero then.
     */
    long npending() {
        long p = popped;
        return Math.max(0, pushed.sum() - p);
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
     * Checks the result side (resLock held, and pollLock when {@code polling}): no waiter count
     * below zero, {@code popped <= taken}; with the poll lock (nobody takes from the stack then,
     * and pushes only put requests above the head read here, so the chain below it stays put):
     * every result of the poller's batch and of the stack is PENDING, once, in no ready queue, in
     * the batch's FIFO of its priority; the batch holds exactly {@code taken - popped}; and every
     * push counted before the stack was read is in it or was taken ({@code pushed - taken} at most
     * the stack's size: a result counted and in neither was lost).
     *
     * @param polling whether the caller holds the poll lock
     * @param ready the requests of the ready queues and the inbox
     */
    void checkInvariants(boolean polling, Set<Request> ready) {
        Scheduler.check(pollWaiters >= 0, "negative counter: pollWaiters=" + pollWaiters);
        long p = popped;
        long t = taken;
        Scheduler.check(p <= t, "popped " + p + " > taken " + t);
        if (!polling) {
            return;
        }
        Set<Request> results = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long inBatch = walk(batchHeads, batchTails, batchMask, results, ready, "poller's batch");
        Scheduler.check(t - p == inBatch, "taken - popped = " + (t - p) + " but the poller's batch holds " + inBatch);
        long counted = pushed.sum();
        long onStack = 0;
        for (Request r = incoming.get(); r != null; r = r.next) {
            Scheduler.check(results.add(r), r + " is twice in the results (or the stack has a cycle)");
            Scheduler.check(!ready.contains(r), r + " is both in a ready queue and on the result stack");
            Scheduler.check(r.state == Request.PENDING, r + " is on the result stack but not PENDING");
            onStack++;
        }
        Scheduler.check(counted - t <= onStack, "pushed - taken = " + (counted - t) + " but the result stack holds "
                + onStack + ": a result was lost");
    }

    /** Walks the FIFOs of one side, checking each queue's mask bit and priority; returns how many. */
    private long walk(Request[] heads, Request[] tails, int mask, Set<Request> seen, Set<Request> ready, String name) {
        long n = 0;
        for (int q = 0; q < Scheduler.NPRI; q++) {
            String queue = name + " (priority " + (q + Scheduler.PRI_MIN) + ")";
            Scheduler.check((heads[q] != null) == ((mask & (1 << q)) != 0), queue + ": mask bit disagrees with its head");
            for (Request r = heads[q]; r != null; r = r.next) {
                Scheduler.check(r.pri - Scheduler.PRI_MIN == q, r + " is in the " + queue);
            }
            n += walk(heads[q], tails[q], seen, ready, queue);
        }
        return n;
    }

    /** Walks a chain of results through {@link Request#next}; returns how many. */
    private long walk(Request head, Request tail, Set<Request> seen, Set<Request> ready, String name) {
        long n = 0;
        Request last = null;
        for (Request r = head; r != null; r = r.next) {
            Scheduler.check(seen.add(r), r + " is twice in the results (or a cycle)");
            Scheduler.check(!ready.contains(r), r + " is both in a ready queue and in the " + name);
            Scheduler.check(r.state == Request.PENDING, r + " is in the " + name + " but not PENDING");
            n++;
            last = r;
        }
        if (tail != null || head == null) {
            Scheduler.check(tail == last, name + ": tail is not the last result");
        }
        return n;
    }
}
