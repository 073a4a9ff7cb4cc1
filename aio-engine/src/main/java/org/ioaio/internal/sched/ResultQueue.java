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
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.AioCallback;

/**
 * libeio's {@code res_queue} and {@code etp_poll}: executed requests (PENDING) wait here, in one
 * intrusive singly linked list, until a poller, whichever thread calls a poll function, runs their
 * callbacks (RESULT, then DONE), bounded by {@link #maxPollReqs} and {@link #maxPollTimeNanos}; a
 * pipe makes the {@linkplain #pollChannel poll channel} readable while results are pending.
 *
 * <p>{@link #resLock} guards the list ({@link #resHead}/{@link #resTail}), {@link #pushed}, the
 * pipe and its signalled flag, and {@link #pollWaiters}; poll functions wait on {@link #resWait}.
 * {@link #pollLock} is held by the thread running callbacks and guards the poller's private
 * {@link #batch}, {@link #finished} and {@link #popped}: callbacks never run concurrently, and a
 * poll function called from a callback is refused. The counters are volatile for monitoring.
 */
final class ResultQueue {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /** How long a waiting poller spins for a result before it parks. */
    static final long SPIN_NANOS = 20_000;

    private final Scheduler s;

    // ---- resLock ---------------------------------------------------------------------------

    /** Guards the result side; see the class comment. */
    final ReentrantLock resLock = new ReentrantLock();

    /** Poll functions wait here for results. */
    private final Condition resWait = resLock.newCondition();

    /** The result queue. */
    private Request resHead;
    private Request resTail;

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

    /** Results taken from the result queue and not yet processed. */
    private Request batch;

    /** Requests finished (callback run or skipped). */
    private volatile long finished;

    /** Requests taken out of PENDING. */
    private volatile long popped;

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
        final ReentrantLock lock = resLock;
        Scheduler.lockHot(lock);
        try {
            r.next = null;
            Request tail = resTail;
            if (tail == null) {
                resHead = r;
            } else {
                tail.next = r;
            }
            resTail = r;
            pushed = pushed + 1;
            if (pipe != null && !pipeSignalled) {
                signalPipe();
            }
            if (pollWaiters > 0) {
                resWait.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Appends a chain of {@code n} PENDING requests (linked through next) to the result queue. */
    void pushAll(Request head, Request tail, int n) {
        final ReentrantLock lock = resLock;
        Scheduler.lockHot(lock);
        try {
            Request t = resTail;
            if (t == null) {
                resHead = head;
            } else {
                t.next = head;
            }
            resTail = tail;
            pushed = pushed + n;
            if (pipe != null && !pipeSignalled) {
                signalPipe();
            }
            if (pollWaiters > 0) {
                resWait.signalAll();
            }
        } finally {
            lock.unlock();
        }
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
        if (pipeSignalled && resHead == null && batch == null) {
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
                    Request r = s.pool.takeForHelping();
                    if (r != null) {
                        s.pool.run(r);
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
            // A result is often microseconds away: spin for it rather than park and be unparked.
            long until = System.nanoTime() + Math.min(SPIN_NANOS, timeoutNanos > 0 ? timeoutNanos : SPIN_NANOS);
            while (pushed == popped && s.nreqs() != 0 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
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

    /** One pass over pending results within the limits; pollLock held. Returns 0 or -1. */
    int processResults(int[] count) {
        final int maxReqs = maxPollReqs;
        final long maxTime = maxPollTimeNanos;
        final long start = maxTime > 0 ? System.nanoTime() : 0;
        int n = 0;
        for (;;) {
            Request r = batch;
            if (r == null) {
                Scheduler.lockHot(resLock);
                try {
                    r = resHead;
                    resHead = resTail = null;
                    if (r == null) {
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
            batch = r.next;
            r.next = null;
            popped = popped + 1;
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
        if (batch == null && pipe != null) {
            resLock.lock();
            try {
                drainPipeIfIdle();
            } finally {
                resLock.unlock();
            }
        }
        return batch == null && pushed == popped ? 0 : -1;
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
            r.state = Request.RESULT;
        }
        for (;;) {
            finished = finished + 1;
            deliver(r);
            r.state = Request.DONE;
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
        long n = walk(resHead, resTail, results, ready, "result queue");
        if (polling) {
            n += walk(batch, null, results, ready, "poller's batch");
            Scheduler.check(pushed - popped == n, "pushed - popped = " + (pushed - popped) + " but " + n + " results are queued");
        }
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
