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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.Errno;

/**
 * libeio's worker threads: platform threads that take the first request of the workers' highest
 * non-empty ready queue, mark it EXECUTE, execute it and append it to the result queue.
 *
 * <p>States of a worker: running a request, looking (found nothing while requests are in flight:
 * yields the processor for up to {@link #LOOK_NANOS}, watching the inbox, before it waits; at
 * most one worker per processor, {@link #looking}; not idle, so it gets no wake-up), idle
 * (waiting in {@link #reqWait}; without a timeout while at most {@link #maxIdle} idle, else for {@link
 * #idleTimeoutNanos}, after which it exits if it still finds nothing), asked to quit ({@link
 * #quits}, checked before taking a request: libeio's quit request at top priority), gone. {@code
 * reqLock} ({@link ReadyQueues#lock}) guards {@link #started}, {@link #idle}, {@link #waking},
 * {@link #wanted}, {@link #lent}, {@link #quits}, {@link #looking} and {@link #workers}; {@code
 * maxParallel} waits on {@link #threadsChanged}, which every exiting worker (and the io_uring
 * thread) signals. The tuning values are volatile and read without the lock.
 *
 * <p>A worker that takes a batchable request without a deadline (one that runs no user code and
 * waits for nothing but this machine's I/O: {@link Request#batchable()}) while many wait takes up
 * to {@link #BATCH} of them, of its priority, under one {@code reqLock} ({@link #takeMore}); they
 * are EXECUTE, its own, until it runs them, each delivered as it finishes, and it puts the rest
 * back READY as soon as a higher priority waits ({@link #runBatch}). A request that may wait for
 * another party (a read of a FIFO) is never batched: its batch-mates would wait with it while
 * other workers idle.
 *
 * <p>A submission for the workers reaches the ready queues' inbox without {@code reqLock}; it
 * takes the lock (to wake or start a worker) only when {@link #mayNeedWake()} says a worker may be
 * waiting unwoken or may be missing. {@link #idle}, {@link #waking}, {@link #started} and {@link
 * #wanted} are volatile for that read. No request is left behind: a worker about to wait counts
 * itself idle, then looks at the inbox once more before it waits; one about to exit for idleness
 * uncounts itself from {@link #started}, then looks again; the submitter pushes, then reads these
 * counters. Each side writes before it reads (volatile), so one of them sees the other.
 *
 * <p>A worker that waits in a future's {@code join} or {@code get} for a request of this engine
 * (a {@code custom} task's) is lent out ({@link #lendWhile}): one more thread may run while it
 * waits, as a {@code ForkJoinPool} compensates a managed blocker, so that the request waited for
 * never stays queued because every worker waits for one; once it returns, a thread above the
 * limit quits at its next take.
 */
final class WorkerPool {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /** Cheap requests (batchable, no deadline) a worker takes at once at most when many wait. */
    static final int BATCH = 16;

    /**
     * How long a worker that found nothing to do keeps looking (yielding the processor between
     * looks) before it waits, while requests are in flight; the poller's wait does the same
     * ({@link ResultQueue#SPIN_NANOS}).
     */
    static final long LOOK_NANOS = 20_000;

    /** Workers looking at once at most: one per processor. */
    private static final int MAX_LOOKING = Runtime.getRuntime().availableProcessors();

    private final Scheduler s;
    private final ReentrantLock lock;

    /** Workers wait here for requests. */
    final Condition reqWait;

    /** Signalled whenever a worker (or the io_uring thread) exits. */
    final Condition threadsChanged;

    /** Worker threads started and not yet exited. */
    private volatile int started;

    /** Workers waiting for a request. */
    private volatile int idle;

    /**
     * Wake-ups a submission sent to idle workers that no idle worker has consumed yet (each worker
     * returning from its wait consumes one, if any). Invariant: the workers still waiting in
     * {@link #reqWait} are at most {@code idle - waking}, so a submission that finds {@code idle ==
     * waking} has nobody to wake (every idle worker is already on its way back) and does not
     * signal again: one wake-up per idle worker per burst, not one {@code signal} per request.
     */
    private volatile int waking;

    /** How many workers may run: raised by minParallel, lowered by maxParallel. */
    private volatile int wanted;
    /** Workers waiting for a result of this engine ({@link #lendWhile}): as many more may run. */
    private volatile int lent;

    /** Workers asked to quit and not yet gone. */
    private int quits;

    /** Workers looking for work before they wait ({@link #lookForWork}): at most {@link #MAX_LOOKING}. */
    private int looking;

    /** The worker threads, for close to wait for. */
    private final List<Thread> workers = new ArrayList<>();

    /** Idle workers kept without a timeout. */
    private volatile int maxIdle;

    /** How long a surplus idle worker waits before exiting. */
    private volatile long idleTimeoutNanos;

    /** Names worker threads. */
    private final java.util.concurrent.atomic.AtomicInteger threadIds = new java.util.concurrent.atomic.AtomicInteger();

    /** Runs on each worker thread as it starts ({@link Scheduler#onWorkerStart}); {@code null}: nothing. */
    volatile Runnable onStart;

    WorkerPool(Scheduler s, int wanted, int maxIdle, long idleTimeoutNanos) {
        this.s = s;
        this.lock = s.ready.lock;
        this.reqWait = lock.newCondition();
        this.threadsChanged = lock.newCondition();
        this.wanted = wanted;
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    /** A worker thread of this scheduler (so that calls that would deadlock on one can be refused). */
    private static final class Worker extends Thread {
        final WorkerPool owner;

        Worker(WorkerPool owner, String name) {
            super(owner::workerLoop, name);
            this.owner = owner;
            setDaemon(true);
        }
    }

    /**
     * No lock, after a request for the workers went into the inbox: whether a worker may wait
     * without being woken ({@code idle > waking}) or more may be started ({@code started <
     * wanted}); if so, the submitter calls {@link #queued()} under reqLock. Otherwise some worker
     * runs or is being woken, and it will drain the inbox.
     */
    boolean mayNeedWake() {
        return idle > waking || started < limit();
    }

    /**
     * reqLock held, a request just queued for the workers: wakes an idle worker, and counts a new
     * one in {@link #started} when ready requests outnumber idle threads and fewer than wanted run.
     *
     * @return {@code true} if the caller must call {@link #startWorker} once it released the lock
     */
    boolean queued() {
        int idleNow = idle;
        if (idleNow > waking) {
            waking++;
            reqWait.signal();
        }
        if (s.ready.poolReady() > idleNow && started < limit()) {
            started++;
            return true;
        }
        return false;
    }

    /** Starts one worker; the caller already counted it in {@link #started}. */
    void startWorker() {
        Thread t = new Worker(this, s.name + "-worker-" + threadIds.incrementAndGet());
        lock.lock();
        try {
            workers.add(t);
        } finally {
            lock.unlock();
        }
        try {
            t.start();
        } catch (Throwable e) {
            lock.lock();
            try {
                started--;
                workers.remove(t);
                threadsChanged.signalAll();
            } finally {
                lock.unlock();
            }
            // The request stays queued for the threads that exist, or the next submission.
            LOG.log(Level.WARNING, "aio: could not start a worker thread; requests stay queued", e);
        }
    }

    /**
     * Starts threads while ready requests outnumber idle threads and fewer than wanted run, and
     * wakes the io_uring thread for requests it held while {@code wanted} was 0.
     */
    void startWanted() {
        boolean wakeRing = false;
        lock.lock();
        try {
            if (!s.isClosed() && wanted > 0) {
                wakeRing = s.uring.wakeForHeld();
            }
        } finally {
            lock.unlock();
        }
        if (wakeRing) {
            s.uring.wakeThread();
        }
        for (;;) {
            lock.lock();
            try {
                if (s.isClosed() || started >= limit() || s.ready.poolReady() <= idle) {
                    return;
                }
                started++;
            } finally {
                lock.unlock();
            }
            startWorker();
        }
    }

    /**
     * reqLock held, {@code first} just taken (batchable, without a deadline): takes into {@code
     * out}, marked EXECUTE, the requests that follow it in the same queue while they are batchable
     * and have no deadline, at most {@code out.length} and at most a fair share of what is ready
     * (its count over the threads), so that one {@code reqLock} serves several cheap requests
     * when many wait, and none when few do.
     *
     * @return how many were taken
     */
    private int takeMore(Request first, Request[] out) {
        int max = Math.min(out.length, s.ready.poolReady() / (started + 1));
        int n = 0;
        Request x;
        // Shift, then look: a shift may first move a higher request in from the inbox.
        while (n < max && (x = s.ready.shiftPool()) != null) {
            if (x.pri != first.pri || !x.batchable() || (x.flags & Request.DEADLINE) != 0) {
                s.ready.pushPoolFront(x);
                break;
            }
            x.setState(Request.EXECUTE);
            out[n++] = x;
        }
        return n;
    }

    /**
     * Runs the {@code n} requests {@link #takeMore} took (no lock held); when a request above their
     * priority index {@code q} arrives meanwhile, puts the rest back at the head of their queue,
     * READY, so that it waits behind no more than one request of this thread, as without a batch
     * (not once the scheduler is closing: the workers may be quitting, and the batch is cheap).
     * Clears {@code batch}.
     *
     * <p>Results are handed back as a chain, one resLock for the batch, while the poller still
     * has results to deliver ({@link ResultQueue#hasPending}): it would not see these sooner. A
     * result the poller may be waiting for goes at once (with the ones held before it, in order),
     * as does one above the default priority ({@link #run}). A held result is PENDING, as in the
     * io_uring thread's chains: a cancel now only skips its callback.
     */
    private void runBatch(Request[] batch, int n, int q, ResultQueue.Chain held) {
        for (int i = 0; i < n; i++) {
            if (s.ready.higherThan(q) && !s.isClosed()) {
                Scheduler.lockHot(lock);
                try {
                    for (int j = n - 1; j >= i; j--) {
                        s.ready.pushPoolFront(batch[j]);
                        batch[j] = null;
                    }
                } finally {
                    lock.unlock();
                }
                break;
            }
            Request r = batch[i];
            batch[i] = null;
            Thread.interrupted();
            if (r.pri > 0 || !s.results.hasPending()) {
                handBack(held);
                run(r);
                continue;
            }
            execute(r);
            held.add(r);
        }
        handBack(held);
    }

    /** Hands the results held in {@code held} (PENDING) to the result queue with one resLock, if any. */
    private void handBack(ResultQueue.Chain held) {
        if (held.n > 0) {
            s.results.pushAll(held.head, held.tail, held.n);
            held.clear();
        }
    }

    private void workerLoop() {
        Runnable hook = onStart;
        if (hook != null) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                // Before the loop's accounting: a hook that throws must not end the thread uncounted.
                LOG.log(Level.WARNING, "aio: a worker's start hook failed; the worker runs on", e);
            }
        }
        final Request[] batch = new Request[BATCH - 1];
        final ResultQueue.Chain held = new ResultQueue.Chain();
        final ReentrantLock lock = this.lock;
        Scheduler.lockHot(lock);
        boolean uncounted = false;
        try {
            for (;;) {
                Request r = takeOrExit();
                if (r == null) {
                    uncounted = true; // takeOrExit took it out of started
                    return;
                }
                int more = r.batchable() && (r.flags & Request.DEADLINE) == 0 ? takeMore(r, batch) : 0;
                lock.unlock();
                try {
                    run(r);
                    runBatch(batch, more, r.pri - Scheduler.PRI_MIN, held);
                } finally {
                    // A task that left this thread interrupted must not fail the next, unrelated
                    // request with EINTR: aio never interrupts its workers, so the flag is the task's.
                    Thread.interrupted();
                    Scheduler.lockHot(lock);
                }
            }
        } finally {
            if (!uncounted) {
                started--;
            }
            workers.remove(Thread.currentThread());
            threadsChanged.signalAll();
            lock.unlock();
        }
    }

    /**
     * Takes into {@code out}, marked EXECUTE, the first requests of the workers' highest non-empty
     * ready queue that may run on the flushing thread: all of that one priority, each helpable, at
     * most {@code out.length} and at most a fair share of what is ready (its count over the
     * workers plus this thread, at least one), so that the workers keep theirs; none while no
     * worker may run ({@code maxParallel(0)}) or threads are being asked to quit. One {@code
     * reqLock} per batch rather than per request.
     *
     * @return how many were taken
     */
    int takeForHelping(Request[] out) {
        Scheduler.lockHot(lock);
        try {
            Request first = s.ready.peekPool();
            if (first == null || wanted == 0 || quits > 0 || s.isClosed() || !first.helpable()) {
                return 0;
            }
            int max = Math.max(1, Math.min(out.length, s.ready.poolReady() / (started + 1)));
            int pri = first.pri;
            int n = 0;
            Request r;
            // Shift, then look: a shift may first move a higher request in from the inbox (which
            // is pushed without the lock), so what it returns need not be what was peeked.
            while (n < max && (r = s.ready.shiftPool()) != null) {
                if (r.pri != pri || !r.helpable()) {
                    s.ready.pushPoolFront(r);
                    break;
                }
                r.setState(Request.EXECUTE);
                out[n++] = r;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Executes requests {@link #takeForHelping} took, on the flushing thread (no lock held), and
     * appends them to the result queue with one {@code resLock}; clears {@code taken}.
     */
    void runHelped(Request[] taken, int n, ResultQueue.Chain done) {
        for (int i = 0; i < n; i++) {
            Request r = taken[i];
            taken[i] = null;
            execute(r);
            done.add(r);
        }
        handBack(done);
    }

    /**
     * Waits for a request (reqLock held) and marks it EXECUTE, or returns {@code null}, the thread
     * already taken out of {@link #started}, when this worker must exit (asked to quit, or idle
     * past the timeout while more than maxIdle idle).
     */
    private Request takeOrExit() {
        long idleSince = 0;
        boolean looked = false;
        for (;;) {
            if (quits > 0) {
                quits--;
                started--;
                return null;
            }
            Request r = s.ready.shiftPool();
            if (r != null) {
                r.setState(Request.EXECUTE);
                return r;
            }
            if (!looked && looking < MAX_LOOKING && LOOK_NANOS > 0 && s.nreqs() != 0 && !s.isClosed()) {
                // Requests are in flight, so the poller is likely to submit more as it delivers
                // their results (a group's feeder, a window of reads): look for them a little,
                // yielding the processor between looks, before paying a wait and a wake-up. At
                // most one worker per processor, so that lookers never crowd out the poller.
                looked = true;
                looking++;
                lock.unlock();
                try {
                    lookForWork();
                } finally {
                    Scheduler.lockHot(lock);
                    looking--;
                }
                continue;
            }
            idle++;
            if (s.ready.hasInbox()) {
                // Submitted since the shift, by a submitter that may have read idle before the
                // increment (see the class comment): take it rather than wait.
                idle--;
                continue;
            }
            boolean timedOut = false;
            try {
                if (idle <= maxIdle) {
                    idleSince = 0;
                    reqWait.awaitUninterruptibly();
                } else {
                    long now = System.nanoTime();
                    if (idleSince == 0) {
                        idleSince = now;
                    }
                    // Recomputed on every wake-up, so a shorter idleTimeout set at run time (which
                    // signals the idle threads) reaches threads that were already waiting.
                    long left = idleSince + idleTimeoutNanos - now;
                    if (left <= 0 || reqWait.awaitNanos(left) <= 0) {
                        timedOut = true;
                    }
                }
            } catch (InterruptedException e) {
                // Workers are never interrupted by aio; ignore and re-check.
            } finally {
                idle--;
                if (waking > 0) {
                    waking--; // signalled or not: see waking
                }
            }
            if (timedOut && s.ready.poolEmpty() && quits == 0) {
                started--;
                if (!s.ready.hasInbox()) {
                    return null;
                }
                started++; // submitted meanwhile, by a submitter that read started before: stay
            }
        }
    }

    /**
     * No lock held, not counted idle: yields the processor until a submission reaches the inbox,
     * no request is in flight any more, the scheduler closes, or {@link #LOOK_NANOS} pass (a
     * request to quit is seen after: {@code quits} is read under the lock). Not
     * counting itself idle, the thread gets no wake-up meanwhile (a submitter finds no one to
     * wake); it takes what arrived through the lock, as every take does.
     */
    private void lookForWork() {
        long until = System.nanoTime() + LOOK_NANOS;
        while (!s.ready.hasInbox() && s.nreqs() != 0 && !s.isClosed() && System.nanoTime() - until < 0) {
            Thread.yield();
        }
    }

    /** Executes one request on this thread (no lock held) and delivers it. */
    void run(Request r) {
        execute(r);
        r.setState(Request.PENDING);
        s.results.push(r);
        if (r.pri > 0 && !s.results.pollLock.isHeldByCurrentThread()) {
            // A result above the default priority is waiting for the poller, which may be the
            // thread this worker's wake-up preempted: give it the processor now rather than at
            // the end of this thread's time slice (Linux puts a yielding thread behind the others
            // runnable on its processor). Requests at the default priority do not pay for it.
            Thread.yield();
        }
    }

    /** Executes one EXECUTE request on this thread (no lock held), recording its result. */
    private void execute(Request r) {
        long submittedAt = r.status;
        long start = s.timing ? System.nanoTime() : 0;
        if (r.cancelled) {
            r.fail(Errno.ECANCELED.code());
            if (s.listener != null) {
                s.notifySkipped(r, start - submittedAt, false);
            }
        } else {
            try {
                r.execute();
            } catch (Throwable e) {
                r.fail(Errno.EIO.code(), e);
                LOG.log(Level.ERROR, "aio: request " + r.operation() + " threw; reported as EIO", e);
            }
            if (s.listener != null) {
                s.notifyExecuted(r, start - submittedAt, System.nanoTime() - start);
            }
        }
    }

    /**
     * IO::AIO's {@code min_parallel}: raises the wanted number of threads to at least {@code n}.
     *
     * @param n threads
     */
    void minParallel(int n) {
        lock.lock();
        try {
            s.checkOpen();
            if (wanted < n) {
                wanted = n;
            }
        } finally {
            lock.unlock();
        }
        startWanted();
    }

    /**
     * IO::AIO's {@code max_parallel}: lowers the wanted number of threads to at most {@code n}
     * and blocks until no more than {@code n} run; 0 queues requests without executing them.
     * Raising it back starts threads for queued requests.
     *
     * @param n threads
     */
    void maxParallel(int n) {
        if (isWorkerThread()) {
            throw new IllegalStateException("maxParallel cannot be called from a request running on a worker thread");
        }
        lock.lock();
        try {
            s.checkOpen();
            wanted = n;
            askSurplusToQuit();
            while (started > limit()) {
                threadsChanged.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        startWanted();
    }

    /**
     * How many threads may run: {@code wanted}, plus one per worker lent out; none while {@code
     * wanted} is 0 (maxParallel 0 holds every request, even one a lent worker waits for).
     */
    private int limit() {
        int w = wanted;
        return w == 0 ? 0 : w + lent;
    }

    /** reqLock held: asks the threads above {@link #limit()} to quit at their next take. */
    private void askSurplusToQuit() {
        int excess = started - quits - limit();
        if (excess > 0) {
            quits += excess;
            reqWait.signalAll();
        }
    }

    /**
     * Runs {@code wait}, a worker's wait for a result of this engine, with the worker lent out: one
     * more thread may run meanwhile (started here if requests wait), and once the wait returns, a
     * thread above the limit is asked to quit (see the class comment).
     *
     * @param wait the wait
     * @param <T> its value
     * @return its value
     * @throws Exception what it threw
     */
    <T> T lendWhile(java.util.concurrent.Callable<T> wait) throws Exception {
        lock.lock();
        try {
            lent++;
            // quit requests made before (maxParallel) must not now leave fewer threads than the limit
            quits = Math.min(quits, Math.max(0, started - limit()));
            threadsChanged.signalAll(); // a maxParallel waiting for fewer threads: the limit grew
        } finally {
            lock.unlock();
        }
        startWanted();
        try {
            return wait.call();
        } finally {
            lock.lock();
            try {
                lent--;
                askSurplusToQuit();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * reqLock held, at close: no thread may run any more; every worker is asked to quit and every
     * one blocked in {@code busy} is unparked, so that it sees the abort.
     */
    void stopAll() {
        wanted = 0;
        quits = started;
        reqWait.signalAll();
    }

    /** reqLock held: unparks every worker (close's abort: a {@code busy} request re-checks). */
    void unparkAll() {
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    /** Whether the calling thread is one of this scheduler's workers. */
    boolean isWorkerThread() {
        return Thread.currentThread() instanceof Worker w && w.owner == this;
    }

    /** The number of threads wanted; reqLock held. */
    int wantedLocked() {
        return wanted;
    }

    /** Whether threads are being asked to quit; reqLock held. */
    boolean quitting() {
        return quits > 0;
    }

    /** The number of threads wanted. */
    int wanted() {
        lock.lock();
        try {
            return wanted;
        } finally {
            lock.unlock();
        }
    }

    /** Worker threads running. */
    int started() {
        return started;
    }

    /** Worker threads waiting for a request. */
    int idle() {
        return idle;
    }

    /** Sets maxIdle and wakes idle threads so they re-check. */
    void maxIdle(int n) {
        maxIdle = n;
        wakeWorkers();
    }

    /** Idle threads kept. */
    int maxIdle() {
        return maxIdle;
    }

    /** Sets the idle timeout and wakes idle threads so they re-check. */
    void idleTimeoutNanos(long nanos) {
        idleTimeoutNanos = nanos;
        wakeWorkers();
    }

    /** The idle timeout. */
    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** Wakes every idle worker so that it re-checks (reqLock taken here). */
    void wakeWorkers() {
        lock.lock();
        try {
            reqWait.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks the pool (reqLock held): no counter is negative, no more idle threads than started,
     * no more threads listed than started (one is listed just after it is counted).
     */
    void checkInvariants() {
        Scheduler.check(started >= 0 && idle >= 0 && quits >= 0 && wanted >= 0,
                "negative counter: started=" + started + " idle=" + idle + " quits=" + quits + " wanted=" + wanted);
        Scheduler.check(lent >= 0 && lent <= started, "lent " + lent + " outside 0..started " + started);
        Scheduler.check(idle <= started, "idle " + idle + " > started " + started);
        Scheduler.check(waking >= 0 && waking <= idle, "waking " + waking + " outside 0..idle " + idle);
        Scheduler.check(looking >= 0 && looking <= MAX_LOOKING && idle + looking <= started,
                "looking " + looking + " outside 0.." + MAX_LOOKING + " or, with idle " + idle
                        + ", above started " + started);
        Scheduler.check(workers.size() <= started, workers.size() + " worker threads listed but started " + started);
    }
}
