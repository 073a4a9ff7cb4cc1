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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.Errno;

/**
 * The scheduler's io_uring lane: one ring thread drains the io_uring ready queues ({@link
 * ReadyQueues#uring}) in priority order into a {@link UringBackend}, as many as it has free slots,
 * and appends a round's completions to the result queue at once; a read of cached data it
 * completes itself instead ({@link #tryHere}). A thread in {@code flush} with nothing to deliver
 * may run the first request itself when the ring can try it without blocking (a read of cached
 * data), and after one that would block leaves the lane alone for a while.
 *
 * <p>Ring thread states: none (before the first request, or after it exited), looking ({@link
 * #lookForWork}: nothing queued, nothing in flight, but requests outstanding elsewhere, so more
 * are likely soon: it yields the processor for up to {@link WorkerPool#LOOK_NANOS} before it parks;
 * not parked, it gets no signal), parked in {@link #ringWait} (nothing queued, nothing in flight),
 * in the kernel ({@link #inKernel}: only operations in flight), stopping ({@link #stop}). {@code reqLock} ({@link ReadyQueues#lock})
 * guards every field here but {@link #ring} (set once), {@link #inKernel} and {@link #inflight}
 * (volatile) and {@link #helpNext} ({@code pollLock}); the ring thread owns, without a lock, the
 * ring, its slot table, {@link #tryBackoff} and {@link #tryNext}.
 */
final class UringDriver {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /** How many callbacks' ring requests wait for the end of a poll pass at most before the ring is woken. */
    private static final int BATCH = 16;

    /**
     * The most ring requests left untried after a try would have blocked: enough to let the ring
     * work on uncached data undisturbed, few enough to notice a cached file soon. The first try
     * that would block leaves just the next request untried, and each one after it doubles that,
     * up to this; a try that completes starts again from one. {@code RWF_NOWAIT} also refuses an
     * occasional read of cached data (about 1 in 30,000 on a 2-core machine, 1 GiB file): that
     * now sends two reads to the kernel's queue instead of this many, while on uncached data the
     * tries still cost about one in this many reads.
     */
    private static final int HELP_BACKOFF = 256;

    private final Scheduler s;
    private final ReentrantLock lock;

    /** The ring, or {@code null}: set once by {@link #attach} before any submission. */
    private volatile UringBackend ring;

    /** The ring refused a submission for good: ring requests now go to the workers. */
    private boolean broken;

    /** The ring thread, from the first ring request until it exits. */
    private Thread thread;

    /** A ring thread was started (it closes the ring when it exits; otherwise close does). */
    private boolean started;

    /** The ring thread waits in {@link #ringWait} (nothing queued, nothing in flight). */
    private boolean parked;

    /**
     * The ring thread waits in the kernel for completions: a submitter that queues work clears
     * this and calls {@link UringBackend#wake()}. Volatile: the ring thread clears it without the lock.
     */
    private volatile boolean inKernel;

    /** The ring thread waits here while it has nothing to do. */
    private final Condition ringWait;

    /** Requests in flight in the ring whose cancel was asked for. */
    private final ArrayDeque<Request> cancels = new ArrayDeque<>();

    /** Set by close after the grace period: cancel everything in flight in the ring. */
    private boolean abort;

    /** Set by close: the ring thread exits once nothing is queued or in flight. */
    private volatile boolean stop;

    /** Ring requests submitted from callbacks since the ring was last woken. */
    private int deferred;

    /** Ring requests the flushing thread leaves alone after one would have blocked. */
    private int helpBackoff;

    /**
     * What {@link #helpBackoff} becomes at the flushing thread's next try that would block (1, 2,
     * 4 ... {@link #HELP_BACKOFF}); back to 1 once a try completes. Guarded by {@code pollLock}
     * (only the flushing thread helps).
     */
    private int helpNext = 1;

    /** Reads the ring thread sends to the kernel untried after one of its tries would have blocked; the ring thread's own. */
    private int tryBackoff;

    /** What {@link #tryBackoff} becomes at the ring thread's next try that would block, as {@link #helpNext}; the ring thread's own. */
    private int tryNext = 1;

    /** Requests in flight in the ring (written by the ring thread, read by monitoring). */
    private volatile int inflight;

    UringDriver(Scheduler s) {
        this.s = s;
        this.lock = s.ready.lock;
        this.ringWait = lock.newCondition();
    }

    /** Gives the scheduler a ring; once, before any submission. */
    void attach(UringBackend r) {
        if (ring != null) {
            throw new IllegalStateException("a ring is already attached");
        }
        ring = r;
    }

    /** The attached ring, or {@code null}. */
    UringBackend ring() {
        return ring;
    }

    /** Whether requests routed to the ring run there now (a ring is attached and has not failed). */
    boolean active() {
        lock.lock();
        try {
            return ring != null && !broken;
        } finally {
            lock.unlock();
        }
    }

    /** Requests in flight in the ring. */
    int inflight() {
        return inflight;
    }

    /** reqLock held: whether {@code r} goes to the io_uring lane (built for it, and the ring works). */
    boolean takes(Request r) {
        return r.ring && ring != null && !broken;
    }

    /**
     * reqLock held, after a submission queued {@code r} in the io_uring lane: from a callback, the
     * wake-up waits for the end of the poll pass (at most {@link #BATCH} requests), else the ring
     * thread is woken or started now.
     *
     * @return {@code true} if the caller must call {@link #wakeThread} once it released the lock
     */
    boolean queued() {
        if (thread != null && s.results.pollLock.isHeldByCurrentThread() && ++deferred < BATCH) {
            // Submitted from a callback: more usually follow in the same poll pass; the
            // pass wakes the ring once at its end (wakeDeferred), for one batch.
            return false;
        }
        deferred = 0;
        return needsWake();
    }

    /** reqLock held, after queueing ring work: wakes or starts the ring thread; true if the caller must call {@link #wakeThread}. */
    private boolean needsWake() {
        if (thread == null) {
            Thread t = new Thread(this::loop, s.name + "-ring");
            t.setDaemon(true);
            try {
                t.start();
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "aio: could not start the io_uring thread; its requests run on the workers", e);
                breakRing(List.of());
                return false;
            }
            thread = t;
            started = true;
            return false;
        }
        if (parked) {
            parked = false;
            ringWait.signal();
            return false;
        }
        if (inKernel) {
            inKernel = false;
            return true;
        }
        return false;
    }

    /** reqLock held, workers allowed again: wakes the ring thread for requests it held while none were. */
    boolean wakeForHeld() {
        return thread != null && s.ready.uringReady() > 0 && needsWake();
    }

    /** Wakes the ring thread from the kernel; called without locks. */
    void wakeThread() {
        UringBackend r = ring;
        if (r != null) {
            r.wake();
        }
    }

    /** Whether callbacks submitted ring requests without waking the ring (read without the lock). */
    boolean hasDeferred() {
        return deferred > 0;
    }

    /** After a poll pass: wakes the ring for what callbacks submitted without waking it. */
    void wakeDeferred() {
        boolean wake = false;
        lock.lock();
        try {
            if (deferred > 0) {
                deferred = 0;
                wake = s.ready.uringReady() > 0 && needsWake();
            }
        } finally {
            lock.unlock();
        }
        if (wake) {
            wakeThread();
        }
    }

    /**
     * Takes into {@code out}, marked EXECUTE, requests from the head of the ring lane that the
     * flushing thread may try itself ({@link UringBackend#canTryNow}): the first (none for a while
     * after a try would have blocked), then those that follow it at its priority while they are
     * tryable, at most {@code out.length} and at most half of what the lane holds (the ring thread
     * takes the other half meanwhile), so one {@code reqLock} serves several cached reads. pollLock held.
     *
     * @return how many were taken
     */
    int takeForHelping(Request[] out) {
        UringBackend rb = ring;
        if (rb == null) {
            return 0;
        }
        lock.lock();
        try {
            Request first = s.isClosed() ? null : shiftTryable();
            if (first == null) {
                return 0;
            }
            first.setState(Request.EXECUTE);
            out[0] = first;
            int n = 1;
            int max = Math.min(out.length, (s.ready.uringReady() + 2) / 2);
            while (n < max) {
                Request x = s.ready.uring.peek();
                Object call = x == null ? null : x.call();
                if (call == null || x.pri != first.pri || x.cancelled || !rb.canTryNow(call)) {
                    break;
                }
                x = s.ready.shiftUring();
                x.setState(Request.EXECUTE);
                out[n++] = x;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * reqLock held: takes the first request of the ring lane if the flushing thread may try it
     * ({@link UringBackend#canTryNow}: a read that completes at once when its data is cached),
     * unless a recent try would have blocked; {@code null} otherwise.
     */
    private Request shiftTryable() {
        UringBackend rb = ring;
        if (rb == null || broken || s.ready.uring.isEmpty() || s.pool.wantedLocked() == 0) {
            return null;
        }
        if (helpBackoff > 0) {
            helpBackoff--;
            return null;
        }
        Request first = s.ready.uring.peek();
        Object call = first.call();
        if (first.cancelled || call == null || !rb.canTryNow(call)) {
            return null;
        }
        return s.ready.shiftUring();
    }

    /**
     * Runs the {@code n} ring requests {@link #takeForHelping} took on the flushing thread, each if
     * it completes without blocking (a read of cached data costs less here than the ring's round
     * trip), and hands their results back with one {@code resLock}. At the first that would
     * block, it and the untried rest go back to the head of the lane, in order, for the ring (or
     * to the workers if the ring broke meanwhile), and the flushing thread leaves ring requests
     * alone for a while ({@link #helpNext}, at most {@link #HELP_BACKOFF}). Clears {@code taken}.
     * pollLock held.
     */
    void help(Request[] taken, int n, ResultQueue.Chain done) {
        for (int i = 0; i < n; i++) {
            Request r = taken[i];
            long submittedAt = r.status;
            long start = s.timing ? System.nanoTime() : 0;
            if (tryNow(ring, r, "the polling thread") == UringBackend.WOULD_BLOCK) {
                giveBack(taken, i, n, helpNext);
                helpNext = Math.min(HELP_BACKOFF, helpNext * 2);
                break;
            }
            helpNext = 1;
            taken[i] = null;
            if (s.listener != null) {
                s.notifyExecuted(r, start - submittedAt, System.nanoTime() - start);
            }
            done.add(r);
        }
        if (done.n > 0) {
            s.results.pushAll(done.head, done.tail, done.n);
            done.clear();
        }
    }

    /**
     * Puts {@code taken[from..n)}, untried, back at the head of the ring lane in their order (to the
     * workers if the ring broke meanwhile), clears them from {@code taken}, and has the flushing
     * thread leave the next {@code backoff} ring requests alone.
     */
    private void giveBack(Request[] taken, int from, int n, int backoff) {
        boolean wake = false;
        int starts = 0;
        lock.lock();
        try {
            helpBackoff = backoff;
            if (broken) {
                // The ring broke while this thread tried the request: they go to the workers,
                // as everything queued for the ring did (nothing drains a broken ring's lane).
                for (int i = from; i < n; i++) {
                    taken[i].ring = false;
                    s.ready.pushPool(taken[i]);
                    if (s.pool.queued()) {
                        starts++;
                    }
                }
            } else {
                for (int i = n - 1; i >= from; i--) {
                    s.ready.pushUringFront(taken[i]);
                }
                wake = needsWake();
            }
        } finally {
            lock.unlock();
        }
        for (int i = from; i < n; i++) {
            taken[i] = null;
        }
        for (int i = 0; i < starts; i++) {
            s.pool.startWorker();
        }
        if (wake) {
            wakeThread();
        }
    }

    /** Asks the ring to cancel a request it is executing (from {@link Request#cancel()}). */
    void cancel(Request r) {
        boolean wake;
        lock.lock();
        try {
            if (r.state != Request.EXECUTE || thread == null) {
                return;
            }
            cancels.add(r);
            wake = needsWake();
        } finally {
            lock.unlock();
        }
        if (wake) {
            wakeThread();
        }
    }

    /** reqLock held, close gave up draining: the ring thread cancels everything in flight. True if the caller must call {@link #wakeThread}. */
    boolean abort() {
        abort = true;
        return thread != null && needsWake();
    }

    /** reqLock held, at close: the ring thread exits once nothing is queued or in flight. True if the caller must call {@link #wakeThread}. */
    boolean stop() {
        stop = true;
        return thread != null && needsWake();
    }

    /** Whether the ring thread runs; reqLock held. */
    boolean running() {
        return thread != null;
    }

    /** At the end of close, with the ring thread gone: the ring if no thread ever used it (the caller closes it), else {@code null}. */
    UringBackend takeUnused() {
        lock.lock();
        try {
            if (ring != null && !started) {
                started = true;
                return ring;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * reqLock held: the ring failed for good. Requests it did not take and everything queued for it
     * go to the workers, as does every later ring request.
     */
    private void breakRing(List<Request> untaken) {
        broken = true;
        s.ready.moveUringToPool(untaken);
        s.pool.reqWait.signalAll();
    }

    /**
     * On the ring thread: runs a request the ring can try without blocking ({@link
     * UringBackend#canTryNow}: a read of at most a page) as one {@code preadv2(RWF_NOWAIT)}, and adds
     * it to {@code done} when that completed it. For data in the page cache this costs less than
     * an io_uring round on this kind of machine (fio: cached 4 KiB random reads through io_uring at
     * queue depth 32 reach about 0.5-0.7x the IOPS of psync). After a try that would block (the
     * data is not cached) the next go to the kernel untried: one, then twice as many at each
     * further try that would block, up to {@link #HELP_BACKOFF}, and one again after a try that
     * completed ({@link #tryNext}).
     *
     * @return {@code true} if the request completed here; {@code false}: it goes to the kernel's queue
     */
    private boolean tryHere(UringBackend ring, Request r, long now, ResultQueue.Chain done) {
        if (tryBackoff > 0) {
            tryBackoff--;
            return false;
        }
        Object call = r.call();
        if (call == null || !ring.canTryNow(call)) {
            return false;
        }
        long submitted = r.status;
        if (tryNow(ring, r, "the io_uring thread") == UringBackend.WOULD_BLOCK) {
            tryBackoff = tryNext;
            tryNext = Math.min(HELP_BACKOFF, tryNext * 2);
            return false;
        }
        tryNext = 1;
        if (s.listener != null) {
            s.notifyExecuted(r, now - submitted, s.timing ? System.nanoTime() - now : 0);
        }
        done.add(r);
        return true;
    }

    /**
     * On the ring thread, no lock held, nothing in flight: yields the processor until a ring
     * request is queued, no request is outstanding any more, close asks the thread to stop, or
     * {@link WorkerPool#LOOK_NANOS} pass. Not parked, the thread gets no wake-up meanwhile (a
     * submitter finds nobody to signal); it takes what arrived under the lock, as every take does.
     */
    private void lookForWork() {
        long until = System.nanoTime() + WorkerPool.LOOK_NANOS;
        while (s.ready.uringReadyHint() == 0 && s.nreqs() != 0 && !stop && System.nanoTime() - until < 0) {
            Thread.yield();
        }
    }

    /** {@link UringBackend#tryNow} on {@code where}: a throw fails the request with EIO, logged. */
    private static int tryNow(UringBackend ring, Request r, String where) {
        try {
            return ring.tryNow(r);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "aio: " + r.operation() + " threw on " + where + "; reported as EIO", e);
            r.fail(Errno.EIO.code(), e);
            return -Errno.EIO.code();
        }
    }

    /** The ring thread. */
    private void loop() {
        final UringBackend ring = this.ring;
        final int depth = ring.depth();
        final Request[] inflight = new Request[depth];
        final long[] submittedAt = new long[depth];
        final long[] startedAt = new long[depth];
        final int[] free = new int[depth];
        for (int i = 0; i < depth; i++) {
            free[i] = depth - 1 - i;
        }
        int nfree = depth;
        final Request[] taken = new Request[depth];
        final int[] cancelSlots = new int[depth];
        final int[] cqSlots = new int[depth];
        final int[] cqRes = new int[depth];
        final ResultQueue.Chain done = new ResultQueue.Chain();
        boolean aborted = false;
        boolean clean = false;
        try {
            for (;;) {
                int ntaken = 0;
                int ncancels = 0;
                boolean wait;
                boolean looked = false;
                lock.lock();
                try {
                    for (;;) {
                        Request c;
                        while ((c = cancels.poll()) != null) {
                            int slot = (int) c.status; // an EXECUTE ring request holds its slot there
                            if (c.state == Request.EXECUTE && slot >= 0 && slot < depth && inflight[slot] == c) {
                                cancelSlots[ncancels++] = slot;
                            }
                        }
                        if (abort && !aborted) {
                            aborted = true;
                            ncancels = 0;
                            for (int i = 0; i < depth; i++) {
                                if (inflight[i] != null) {
                                    inflight[i].cancelled = true; // as an aborted busy: no callback, futures cancelled
                                    cancelSlots[ncancels++] = i;
                                }
                            }
                        }
                        // While a thread flushes, it executes cached reads itself when it has no
                        // results to deliver: leave it half of what waits, so both work at once.
                        // maxParallel(0) holds every request, the ring's included (IO::AIO: 0 executes nothing).
                        int ready = s.ready.uringReady();
                        int take = s.pool.wantedLocked() == 0 ? 0
                                : s.results.flushing() && ready > 1 ? Math.min(nfree, (ready + 1) / 2) : nfree;
                        while (ntaken < take && !broken) {
                            Request r = s.ready.shiftUring();
                            if (r == null) {
                                break;
                            }
                            r.setState(Request.EXECUTE);
                            taken[ntaken++] = r;
                        }
                        if (ntaken > 0 || ncancels > 0 || nfree < depth) {
                            break;
                        }
                        if (stop) {
                            clean = true;
                            return;
                        }
                        if (!looked && WorkerPool.LOOK_NANOS > 0 && s.nreqs() != 0) {
                            // Requests are in flight, so the poller likely submits more ring
                            // requests as it delivers their results (a window of reads): look for
                            // them a little before paying a park and an unpark per burst, as an
                            // idle worker does. Without it, once this thread drained the lane
                            // faster than the poller refilled it, each burst of a few reads cost
                            // a futex round trip, and cached reads ran at half speed or less.
                            looked = true;
                            lock.unlock();
                            try {
                                lookForWork();
                            } finally {
                                lock.lock();
                            }
                            continue;
                        }
                        parked = true;
                        ringWait.awaitUninterruptibly();
                        parked = false;
                    }
                    wait = ntaken == 0 && ncancels == 0;
                    if (wait) {
                        inKernel = true;
                    }
                } finally {
                    lock.unlock();
                }

                long now = s.timing ? System.nanoTime() : 0;
                for (int i = 0; i < ntaken; i++) {
                    Request r = taken[i];
                    taken[i] = null;
                    int errno;
                    if (r.cancelled) {
                        r.fail(Errno.ECANCELED.code());
                        if (s.listener != null) {
                            s.notifySkipped(r, now - r.status, false);
                        }
                    } else if (!tryHere(ring, r, now, done)) {
                        int slot = free[--nfree];
                        submittedAt[slot] = r.status;
                        startedAt[slot] = now;
                        try {
                            errno = ring.prepare(r, slot);
                        } catch (RuntimeException e) {
                            LOG.log(Level.ERROR, "aio: encoding " + r.operation() + " for io_uring threw; reported as EIO", e);
                            errno = Errno.EIO.code();
                        }
                        if (errno == 0) {
                            r.status = slot;
                            inflight[slot] = r;
                            continue;
                        }
                        free[nfree++] = slot;
                        r.fail(errno);
                        if (s.listener != null) {
                            s.notifyExecuted(r, now - submittedAt[slot], 0);
                        }
                    } else {
                        continue; // tried here: already in done
                    }
                    done.add(r);
                }
                for (int i = 0; i < ncancels; i++) {
                    ring.prepareCancel(cancelSlots[i]);
                }
                this.inflight = depth - nfree;
                if (done.n > 0) {
                    // Completed here (tried, failed to encode, cancelled): delivered before the enter.
                    s.results.pushAll(done.head, done.tail, done.n);
                    done.clear();
                }
                if (!wait && ncancels == 0 && nfree == depth) {
                    continue; // nothing for the kernel: every request taken completed here
                }
                int n = ring.enter(wait, cqSlots, cqRes);
                if (wait) {
                    inKernel = false;
                }
                if (n < 0) {
                    // The kernel refused the submission for good: what it did not take runs on the workers.
                    int m = ring.unsubmitted(cqSlots);
                    List<Request> untaken = new ArrayList<>(m);
                    for (int k = 0; k < m; k++) {
                        int slot = cqSlots[k];
                        Request r = inflight[slot];
                        inflight[slot] = null;
                        free[nfree++] = slot;
                        ring.abandon(r, slot);
                        r.status = submittedAt[slot];
                        untaken.add(r);
                    }
                    LOG.log(Level.WARNING, "aio: io_uring refused a submission (" + Errno.describe(-n)
                            + "); its requests and later ones run on the worker threads");
                    lock.lock();
                    try {
                        breakRing(untaken);
                    } finally {
                        lock.unlock();
                    }
                    s.pool.startWanted();
                    n = 0;
                }
                long end = s.timing && n > 0 ? System.nanoTime() : 0;
                for (int k = 0; k < n; k++) {
                    int slot = cqSlots[k];
                    Request r = inflight[slot];
                    inflight[slot] = null;
                    free[nfree++] = slot;
                    ring.complete(r, slot, cqRes[k]);
                    if (s.listener != null) {
                        s.notifyExecuted(r, startedAt[slot] - submittedAt[slot], end - startedAt[slot]);
                    }
                    done.add(r);
                }
                this.inflight = depth - nfree;
                if (done.n > 0) {
                    s.results.pushAll(done.head, done.tail, done.n);
                    done.clear();
                }
            }
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "aio: the io_uring thread failed; " + (depth - nfree)
                    + " request(s) in flight are lost and the ring is left mapped", e);
        } finally {
            if (clean) {
                ring.close(); // before close() can see this thread gone and return
            }
            lock.lock();
            try {
                thread = null;
                if (!clean) {
                    breakRing(List.of());
                }
                s.pool.threadsChanged.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Checks the lane's own state (reqLock held): no counter is negative, and a broken ring has
     * nothing left in its ready queues (they moved to the workers).
     */
    void checkInvariants() {
        Scheduler.check(deferred >= 0 && helpBackoff >= 0 && inflight >= 0,
                "negative counter: deferred=" + deferred + " helpBackoff=" + helpBackoff + " inflight=" + inflight);
        Scheduler.check(!broken || s.ready.uring.isEmpty(), "the ring is broken but its lane still holds requests");
    }
}
