package org.ioaio.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.AioCallback;
import org.ioaio.AioListener;
import org.ioaio.Errno;

/**
 * The heart of the engine: libeio's {@code etp} in Java.
 *
 * <h2>Shape</h2>
 *
 * Nine FIFO ready queues (priority -4..4, intrusive doubly linked lists of {@link Request}); a
 * pool of platform worker threads that take the first request of the highest non-empty queue,
 * execute it and append it to one result queue (an intrusive singly linked list); and a poller,
 * whichever thread calls {@link #pollCb}, that runs the callbacks of finished requests, bounded by
 * {@code maxPollReqs} and {@code maxPollTime}. Requests allocate nothing beyond themselves on the
 * way through, so the cost of one request does not depend on how many are queued.
 *
 * <p>With a {@link RingBackend} attached (io_uring on Linux), requests built for it (reads, writes,
 * syncs; see {@link Request#ring}) queue in a second set of nine ready queues, the ring lane, which
 * one ring thread drains in priority order into the ring, as many as it has free slots, and whose
 * completions it appends to the same result queue, a round's results at once. A thread in {@link
 * #flush} with nothing to deliver may take the first ring request and execute it itself when the
 * ring can try it without blocking ({@link RingBackend#tryNow}: a read of cached data); if it would
 * block, it goes back for the ring, and the flushing thread leaves the ring lane alone for a while.
 *
 * <h2>Locks and what they guard</h2>
 *
 * <ul>
 *   <li>{@link #reqLock}: the ready queues (the workers' {@link #pool} and the {@link #ringLane}),
 *       the READY state of every request, the ring lane's wake-up flags,
 *       {@link #nready}, {@link #submitted}, the thread counts ({@link #started}, {@link #idle},
 *       {@link #wanted}, {@link #quits}) and {@link #closed}. Workers wait on {@link #reqWait};
 *       {@code maxParallel} waits on {@link #threadsChanged}.
 *   <li>{@link #resLock}: the result queue ({@link #resHead}/{@link #resTail}), {@link #pushed},
 *       the poll pipe's signalled flag and {@link #pollWaiters}. Poll functions wait on {@link
 *       #resWait}.
 *   <li>The ring thread owns, without a lock, the ring and its in-flight table (slot -> request);
 *       it publishes {@link #ringInflight} for monitoring. {@code reqLock} guards the ring lane,
 *       {@link #ringReady}, {@link #ringCancels}, {@link #ringParked}, {@link #ringBroken},
 *       {@link #ringStop}, {@link #ringAbort} and the ring thread's start and exit.
 *   <li>{@link #pollLock}: held by the thread running callbacks; guards the poller's private batch
 *       ({@link #batch}), {@link #finished} and {@link #popped}. Callbacks never run concurrently.
 *       Re-entering a poll function from a callback is refused.
 *   <li>A group's monitor: its members and feeder (see {@link Group}).
 * </ul>
 *
 * Lock order: group monitor, then {@code reqLock} or {@code resLock}; {@code pollLock} is taken
 * before any of them and is never requested while holding one. {@code reqLock} and {@code resLock}
 * are never held together, except by {@code checkInvariants} (reqLock, then resLock), which is safe
 * because nothing takes reqLock while holding resLock.
 *
 * <h2>Counters</h2>
 *
 * {@code nreqs = submitted - finished} (READY, EXECUTE, PENDING and delayed groups), {@code npending
 * = pushed - popped}, {@code nready}, {@code nthreads = started}. Each is written under its lock
 * and is volatile, so monitoring reads need no lock; a reader sees a value that was true at some
 * instant of each counter (the differences may be momentarily off by in-flight requests).
 *
 * <h2>Threads</h2>
 *
 * Workers start on demand: a submission that finds more ready requests than idle threads starts
 * one while fewer than {@code wanted} run. An idle thread waits without a timeout while at most
 * {@code maxIdle} threads idle, otherwise for {@code idleTimeout}, after which it exits if it still
 * finds nothing. Lowering {@code wanted} asks threads to quit ({@link #quits}, checked before
 * taking a request, which is libeio's quit request at top priority) and waits until they have.
 */
public final class Scheduler {

    private static final System.Logger LOG = System.getLogger("org.ioaio");

    /** Number of priority levels: -4..4. */
    static final int NPRI = 9;

    /** Lowest priority. */
    public static final int PRI_MIN = -4;

    /** Highest priority. */
    public static final int PRI_MAX = 4;

    // ---- reqLock --------------------------------------------------------------------------

    /** Guards the ready side; see the class comment. */
    private final ReentrantLock reqLock = new ReentrantLock();

    /** Workers wait here for requests. */
    private final Condition reqWait = reqLock.newCondition();

    /** Signalled whenever a worker exits. */
    private final Condition threadsChanged = reqLock.newCondition();

    /** The ready queues of requests for the workers. */
    private final Lane pool = new Lane();

    /** The ready queues of requests for the io_uring lane (empty without a ring). */
    private final Lane ringLane = new Lane();

    /** Requests READY. */
    private volatile int nready;

    /** Requests ever accepted (groups included). */
    private volatile long submitted;

    /** Worker threads started and not yet exited. */
    private volatile int started;

    /** Workers waiting for a request. */
    private volatile int idle;

    /** How many workers may run: raised by minParallel, lowered by maxParallel. */
    private int wanted;

    /** Workers asked to quit and not yet gone. */
    private int quits;

    /** Set by close: no submission is accepted. */
    private volatile boolean closed;

    /** Set at the end of close: poll waits return, flush stops waiting. */
    private volatile boolean terminated;

    /** Opened when the first close returns; later and concurrent closers wait for it. */
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);

    /** The closing thread was interrupted while draining (only that thread touches it). */
    private boolean closerInterrupted;

    /** Set by close after the grace period: executing abortable requests stop. */
    private volatile boolean aborting;

    /** The worker threads, for close to wait for; guarded by reqLock. */
    private final List<Thread> workers = new ArrayList<>();

    /** READY requests in the ring lane (included in {@link #nready}). */
    private int ringReady;

    /** How long a waiting poller spins for a result before it parks. */
    static final long SPIN_NANOS = 20_000;

    /** The ring, or {@code null}: set once by {@link #attachRing} before any submission. */
    private volatile RingBackend ring;

    /** The ring refused a submission for good: ring requests now go to the workers. */
    private boolean ringBroken;

    /** The ring thread, from the first ring request until it exits. */
    private Thread ringThread;

    /** A ring thread was started (it closes the ring when it exits; otherwise close does). */
    private boolean ringStarted;

    /** The ring thread waits in {@link #ringWait} (nothing queued, nothing in flight). */
    private boolean ringParked;

    /**
     * The ring thread waits in the kernel for completions: a submitter that queues work clears
     * this and calls {@link RingBackend#wake()}. Volatile: the ring thread clears it without the lock.
     */
    private volatile boolean ringInKernel;

    /** The ring thread waits here while it has nothing to do. */
    private final Condition ringWait = reqLock.newCondition();

    /** Requests in flight in the ring whose cancel was asked for. */
    private final java.util.ArrayDeque<Request> ringCancels = new java.util.ArrayDeque<>();

    /** Set by close after the grace period: cancel everything in flight in the ring. */
    private boolean ringAbort;

    /** Set by close: the ring thread exits once nothing is queued or in flight. */
    private volatile boolean ringStop;

    /** Ring requests submitted from callbacks since the ring was last woken (reqLock). */
    private int ringDeferred;

    /** How many callbacks' ring requests wait for the end of a poll pass at most before the ring is woken. */
    private static final int RING_BATCH = 16;

    /** A thread is in {@link #flush} (it may execute ring requests itself: see takeRingForHelping). */
    private volatile boolean flushing;

    /** Ring requests the flushing thread leaves alone after one would have blocked (reqLock). */
    private int ringHelpBackoff;

    /** How many: enough to let the ring work on uncached data undisturbed, few enough to notice a cached file soon. */
    private static final int RING_HELP_BACKOFF = 256;

    /** Requests in flight in the ring (written by the ring thread, read by monitoring). */
    private volatile int ringInflight;

    // ---- resLock --------------------------------------------------------------------------

    /** Guards the result side; see the class comment. */
    private final ReentrantLock resLock = new ReentrantLock();

    /** Poll functions wait here for results. */
    private final Condition resWait = resLock.newCondition();

    /** The result queue. */
    private Request resHead;
    private Request resTail;

    /** Requests ever appended to the result queue. */
    private volatile long pushed;

    /** Threads waiting in {@link #resWait}; written under resLock, read without it by the poller. */
    private volatile int pollWaiters;

    /** The poll channel's pipe, created by the first {@link #pollChannel()}; guarded by resLock. */
    private Pipe pipe;

    /** The pipe holds a byte: the channel is readable. */
    private boolean pipeSignalled;

    // ---- pollLock -------------------------------------------------------------------------

    /** Held while callbacks run. */
    private final ReentrantLock pollLock = new ReentrantLock();

    /** Results taken from the result queue and not yet processed (pollLock). */
    private Request batch;

    /** Requests finished (callback run or skipped). */
    private volatile long finished;

    /** Requests taken out of PENDING. */
    private volatile long popped;

    // ---- tuning, read without locks -------------------------------------------------------

    /** Idle workers kept without a timeout. */
    private volatile int maxIdle;

    /** How long a surplus idle worker waits before exiting. */
    private volatile long idleTimeoutNanos;

    /** Results one pollCb processes at most; 0 = no limit. */
    private volatile int maxPollReqs;

    /** Time one pollCb spends at most (checked after each request); 0 = no limit. */
    private volatile long maxPollTimeNanos;

    /** Poll functions block while nreqs is at least this; 0 = no limit. */
    private volatile long maxOutstanding;

    // ---- statistics -----------------------------------------------------------------------

    /** Callbacks (and feeders) that threw. */
    private final LongAdder callbackFailures = new LongAdder();

    /** Requests that finished cancelled. */
    private final LongAdder cancellations = new LongAdder();

    /** Requests whose deadline passed while READY. */
    private final LongAdder timeouts = new LongAdder();

    /** Names worker threads. */
    private final AtomicInteger threadIds = new AtomicInteger();

    /** The deadline timer, started by the first request with a deadline. */
    private final DeadlineTimer timer = new DeadlineTimer(this);

    /** A prefix for thread names. */
    private final String name;

    /** Observes executions for metrics, or {@code null}. */
    private final AioListener listener;

    /** Whether submissions record their time (in {@link Request#status} while READY). */
    private final boolean timing;

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
        this.wanted = wanted;
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.maxPollReqs = maxPollReqs;
        this.maxPollTimeNanos = maxPollTimeNanos;
        this.maxOutstanding = maxOutstanding;
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
    }

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
     * Runs {@code body} with this thread's submissions held back, then queues them in order.
     *
     * @param body code that creates requests and adds them to a group
     */
    void deferring(Runnable body) {
        Next n = next.get();
        ArrayList<Object> outer = n.deferred;
        ArrayList<Object> mine = new ArrayList<>();
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
                    pushResult(r);
                }
            }
        }
    }

    private void countSubmitted() {
        reqLock.lock();
        try {
            submitted = submitted + 1;
        } finally {
            reqLock.unlock();
        }
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
        boolean start = false;
        if (timing) {
            r.status = System.nanoTime();
        }
        if (timeoutNanos > 0) {
            r.flags |= Request.DEADLINE; // before it is queued: no other thread writes flags yet
        }
        boolean wakeRing = false;
        boolean cancelledWhileHeld = false;
        final ReentrantLock lock = reqLock;
        lockHot(lock);
        try {
            if (closed) {
                throw closedException();
            }
            submitted = submitted + 1;
            if (r.cancelled) {
                // Cancelled while HELD (inside a group's init or feeder): never queued.
                r.fail(Errno.ECANCELED.code());
                r.state = Request.PENDING;
                cancelledWhileHeld = true;
            } else if (r.ring && ring != null && !ringBroken) {
                r.state = Request.READY;
                ringLane.push(r);
                nready = nready + 1;
                ringReady++;
                if (ringThread != null && pollLock.isHeldByCurrentThread() && ++ringDeferred < RING_BATCH) {
                    // Submitted from a callback: more usually follow in the same poll pass; the
                    // pass wakes the ring once at its end (wakeDeferredRing), for one batch.
                } else {
                    ringDeferred = 0;
                    wakeRing = ringNeedsWake();
                }
            } else {
                r.ring = false;
                r.state = Request.READY;
                pool.push(r);
                nready = nready + 1;
                int ready = nready - ringReady;
                int idleNow = idle;
                if (idleNow > 0) {
                    reqWait.signal();
                }
                if (ready > idleNow && started < wanted) {
                    started++;
                    start = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (cancelledWhileHeld) {
            if (listener != null) {
                notifySkipped(r, 0, false);
            }
            pushResult(r);
            return;
        }
        if (timeoutNanos > 0) {
            timer.schedule(r, System.nanoTime() + timeoutNanos);
        }
        if (start) {
            startWorker();
        }
        if (wakeRing) {
            wakeRingThread();
        }
    }

    /** Queues a group: it skips the workers and goes straight to the result queue. */
    private void submitGroupNow(Group g) {
        reqLock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            submitted = submitted + 1;
        } finally {
            reqLock.unlock();
        }
        g.state = Request.PENDING;
        pushResult(g);
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

    /** Tries {@link #lockHot} makes, spinning, before it yields the processor. */
    private static final int LOCK_SPINS = 100;

    /** Times {@link #lockHot} yields the processor to the holder before it queues for the lock. */
    private static final int LOCK_YIELDS = 50;

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
    private static void lockHot(ReentrantLock lock) {
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

    /** Takes the first request of the workers' highest non-empty ready queue; reqLock held. */
    private Request shift() {
        Request r = pool.shift();
        if (r != null) {
            nready = nready - 1;
        }
        return r;
    }

    /**
     * Nine FIFO queues, one per priority, of READY requests linked through {@link Request#next}
     * and {@link Request#prev}; guarded by {@code reqLock}.
     */
    private static final class Lane {
        /** Heads, index = priority - PRI_MIN. */
        final Request[] heads = new Request[NPRI];
        /** Tails. */
        final Request[] tails = new Request[NPRI];
        /** Bit i set when queue i is not empty. */
        int mask;

        /** Puts {@code r} back at the head of its queue (it was taken and not executed). */
        void pushFront(Request r) {
            int q = r.pri - PRI_MIN;
            Request head = heads[q];
            r.prev = null;
            r.next = head;
            if (head == null) {
                tails[q] = r;
                mask |= 1 << q;
            } else {
                head.prev = r;
            }
            heads[q] = r;
        }

        void push(Request r) {
            int q = r.pri - PRI_MIN;
            Request tail = tails[q];
            if (tail == null) {
                heads[q] = r;
                mask |= 1 << q;
            } else {
                tail.next = r;
                r.prev = tail;
            }
            tails[q] = r;
        }

        /** The first request of the highest non-empty queue, or {@code null}. */
        Request peek() {
            return mask == 0 ? null : heads[31 - Integer.numberOfLeadingZeros(mask)];
        }

        Request shift() {
            int m = mask;
            if (m == 0) {
                return null;
            }
            int q = 31 - Integer.numberOfLeadingZeros(m);
            Request r = heads[q];
            Request n = r.next;
            heads[q] = n;
            if (n == null) {
                tails[q] = null;
                mask = m & ~(1 << q);
            } else {
                n.prev = null;
                r.next = null;
            }
            return r;
        }

        void unlink(Request r) {
            int q = r.pri - PRI_MIN;
            Request p = r.prev;
            Request n = r.next;
            if (p == null) {
                heads[q] = n;
            } else {
                p.next = n;
            }
            if (n == null) {
                tails[q] = p;
            } else {
                n.prev = p;
            }
            if (heads[q] == null) {
                mask &= ~(1 << q);
            }
            r.next = r.prev = null;
        }
    }

    /**
     * Takes a READY request out of its queue without executing it (cancel or deadline) and
     * delivers it as a result. Does nothing if it is no longer READY.
     *
     * @param r the request
     * @param timedOut {@code true} for an expired deadline, {@code false} for a cancel
     */
    void unlinkReady(Request r, boolean timedOut) {
        long waited;
        reqLock.lock();
        try {
            if (r.state != Request.READY) {
                return;
            }
            if (r.ring) {
                ringLane.unlink(r);
                ringReady--;
            } else {
                pool.unlink(r);
            }
            nready = nready - 1;
            waited = timing ? System.nanoTime() - r.status : 0;
            if (timedOut) {
                r.flags |= Request.TIMED_OUT;
                r.fail(Errno.ETIMEDOUT.code());
            } else {
                r.fail(Errno.ECANCELED.code());
            }
            r.state = Request.PENDING;
        } finally {
            reqLock.unlock();
        }
        if (timedOut) {
            timeouts.increment();
        }
        if (listener != null) {
            notifySkipped(r, waited, timedOut);
        }
        pushResult(r);
    }

    // =======================================================================================
    // Workers
    // =======================================================================================

    /** A worker thread of this scheduler (so that calls that would deadlock on one can be refused). */
    private static final class Worker extends Thread {
        final Scheduler owner;

        Worker(Scheduler owner, String name) {
            super(owner::workerLoop, name);
            this.owner = owner;
            setDaemon(true);
        }
    }

    /** Starts one worker; the caller already counted it in {@link #started}. */
    private void startWorker() {
        Thread t = new Worker(this, name + "-worker-" + threadIds.incrementAndGet());
        reqLock.lock();
        try {
            workers.add(t);
        } finally {
            reqLock.unlock();
        }
        try {
            t.start();
        } catch (Throwable e) {
            reqLock.lock();
            try {
                started--;
                workers.remove(t);
                threadsChanged.signalAll();
            } finally {
                reqLock.unlock();
            }
            // The request stays queued for the threads that exist, or the next submission.
            LOG.log(Level.WARNING, "aio: could not start a worker thread; requests stay queued", e);
        }
    }

    /**
     * Starts threads while ready requests outnumber idle threads and fewer than wanted run, and
     * wakes the ring thread for requests it held while {@code wanted} was 0.
     */
    private void startWanted() {
        boolean wakeRing = false;
        reqLock.lock();
        try {
            if (!closed && wanted > 0 && ringThread != null && ringReady > 0) {
                wakeRing = ringNeedsWake();
            }
        } finally {
            reqLock.unlock();
        }
        if (wakeRing) {
            wakeRingThread();
        }
        for (;;) {
            reqLock.lock();
            try {
                if (closed || started >= wanted || nready - ringReady <= idle) {
                    return;
                }
                started++;
            } finally {
                reqLock.unlock();
            }
            startWorker();
        }
    }

    private void workerLoop() {
        final ReentrantLock lock = reqLock;
        lockHot(lock);
        try {
            for (;;) {
                Request r = takeOrExit();
                if (r == null) {
                    return;
                }
                lock.unlock();
                try {
                    run(r);
                } finally {
                    // A task that left this thread interrupted must not fail the next, unrelated
                    // request with EINTR: aio never interrupts its workers, so the flag is the task's.
                    Thread.interrupted();
                    lockHot(lock);
                }
            }
        } finally {
            started--;
            workers.remove(Thread.currentThread());
            threadsChanged.signalAll();
            lock.unlock();
        }
    }

    /**
     * The first request of the highest non-empty ready queue, marked EXECUTE, if it may run on the
     * flushing thread; {@code null} otherwise, and always while no worker may run ({@code
     * maxParallel(0)}) or threads are being asked to quit.
     */
    private Request takeForHelping() {
        lockHot(reqLock);
        try {
            Request first = pool.peek();
            if (first == null || wanted == 0 || quits > 0 || closed || !first.helpable()) {
                return null;
            }
            Request r = shift();
            r.state = Request.EXECUTE;
            return r;
        } finally {
            reqLock.unlock();
        }
    }

    /**
     * Waits for a request (reqLock held) and marks it EXECUTE, or returns {@code null} when this
     * worker must exit (asked to quit, or idle past the timeout while more than maxIdle idle).
     */
    private Request takeOrExit() {
        long idleSince = 0;
        for (;;) {
            if (quits > 0) {
                quits--;
                return null;
            }
            Request r = shift();
            if (r != null) {
                r.state = Request.EXECUTE;
                return r;
            }
            idle++;
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
            }
            if (timedOut && pool.mask == 0 && quits == 0) {
                return null;
            }
        }
    }

    /** Executes one request on this worker (no lock held) and delivers it. */
    private void run(Request r) {
        long submittedAt = r.status;
        long start = timing ? System.nanoTime() : 0;
        if (r.cancelled) {
            r.fail(Errno.ECANCELED.code());
            if (listener != null) {
                notifySkipped(r, start - submittedAt, false);
            }
        } else {
            try {
                r.execute();
            } catch (Throwable e) {
                r.fail(Errno.EIO.code(), e);
                LOG.log(Level.ERROR, "aio: request " + r.operation() + " threw; reported as EIO", e);
            }
            if (listener != null) {
                notifyExecuted(r, start - submittedAt, System.nanoTime() - start);
            }
        }
        r.state = Request.PENDING;
        pushResult(r);
    }

    /** Tells the listener a request was skipped; whatever it throws (an Error too) is logged and contained. */
    private void notifySkipped(Request r, long waitNanos, boolean timedOut) {
        try {
            listener.skipped(r.operation(), waitNanos, timedOut);
        } catch (Throwable e) {
            listenerFailed(e);
        }
    }

    private static void listenerFailed(Throwable e) {
        LOG.log(Level.WARNING, "aio: listener threw; ignored", e);
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
        long oldest = -1;
        reqLock.lock();
        try {
            for (int q = 0; q < NPRI; q++) {
                for (Request h : new Request[] {pool.heads[q], ringLane.heads[q]}) {
                    if (h != null) {
                        oldest = Math.max(oldest, now - h.status);
                    }
                }
            }
        } finally {
            reqLock.unlock();
        }
        return oldest;
    }

    // =======================================================================================
    // The io_uring lane
    // =======================================================================================
    //
    // Requests built with Request.ring set queue in ringLane instead of pool. One ring thread takes
    // them in priority order, as many as the ring has free slots, encodes them, submits them in one
    // enter, and turns each completion into a result; results of one round are pushed together.
    // It waits in ringWait while it has nothing queued and nothing in flight, and in the kernel
    // (ringInKernel) while it only has operations in flight; submitters wake it from either.
    // Cancel of a request in flight queues it in ringCancels, which the thread turns into an
    // ASYNC_CANCEL. If the kernel refuses a submission for good, what it did not take, what is
    // queued and what comes later runs on the workers (ringBroken).

    /**
     * Gives this scheduler a ring for the requests routed to it; call once, before any submission.
     *
     * @param r the ring
     */
    public void attachRing(RingBackend r) {
        if (ring != null) {
            throw new IllegalStateException("a ring is already attached");
        }
        ring = r;
    }

    /** The attached ring, or {@code null}. */
    public RingBackend ring() {
        return ring;
    }

    /** Whether requests routed to the ring run there now (a ring is attached and has not failed). */
    public boolean ringActive() {
        reqLock.lock();
        try {
            return ring != null && !ringBroken;
        } finally {
            reqLock.unlock();
        }
    }

    /** Requests in flight in the ring. */
    public int ringInflight() {
        return ringInflight;
    }

    /** reqLock held, after queueing ring work: wakes or starts the ring thread; true if the caller must call {@link #wakeRingThread}. */
    private boolean ringNeedsWake() {
        if (ringThread == null) {
            Thread t = new Thread(this::ringLoop, name + "-ring");
            t.setDaemon(true);
            try {
                t.start();
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "aio: could not start the io_uring thread; its requests run on the workers", e);
                breakRing(List.of());
                return false;
            }
            ringThread = t;
            ringStarted = true;
            return false;
        }
        if (ringParked) {
            ringParked = false;
            ringWait.signal();
            return false;
        }
        if (ringInKernel) {
            ringInKernel = false;
            return true;
        }
        return false;
    }

    /**
     * The first request of the ring lane, marked EXECUTE, if the flushing thread may try it itself
     * ({@link RingBackend#canTryNow}); {@code null} otherwise, and for a while after a try would have
     * blocked. pollLock held.
     */
    private Request takeRingForHelping() {
        RingBackend rb = ring;
        if (rb == null) {
            return null;
        }
        reqLock.lock();
        try {
            Request r = closed ? null : shiftTryable();
            if (r != null) {
                r.state = Request.EXECUTE;
            }
            return r;
        } finally {
            reqLock.unlock();
        }
    }

    /**
     * reqLock held: takes the first request of the ring lane if the flushing thread may try it
     * ({@link RingBackend#canTryNow}: a read that completes at once when its data is cached),
     * unless a recent try would have blocked; {@code null} otherwise.
     */
    private Request shiftTryable() {
        RingBackend rb = ring;
        if (rb == null || ringBroken || ringLane.mask == 0 || wanted == 0) {
            return null;
        }
        if (ringHelpBackoff > 0) {
            ringHelpBackoff--;
            return null;
        }
        Request first = ringLane.peek();
        if (first.cancelled || !(first instanceof SysRequest s && rb.canTryNow(s.call()))) {
            return null;
        }
        ringLane.shift();
        ringReady--;
        nready = nready - 1;
        return first;
    }


    /**
     * Runs a ring request on the flushing thread if it completes without blocking (a read of cached
     * data costs less here than waiting for the ring's round trip); otherwise puts it back at the
     * head of its queue for the ring, and the flushing thread leaves ring requests alone for the
     * next {@link #RING_HELP_BACKOFF}. pollLock held.
     */
    private void helpRing(Request r) {
        long submittedAt = r.status;
        long start = timing ? System.nanoTime() : 0;
        int res;
        try {
            res = ring.tryNow(r);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "aio: " + r.operation() + " threw on the polling thread; reported as EIO", e);
            r.fail(Errno.EIO.code(), e);
            res = -Errno.EIO.code();
        }
        if (res == RingBackend.WOULD_BLOCK) {
            boolean wake;
            reqLock.lock();
            try {
                ringHelpBackoff = RING_HELP_BACKOFF;
                r.state = Request.READY;
                ringLane.pushFront(r);
                ringReady++;
                nready = nready + 1;
                wake = ringNeedsWake();
            } finally {
                reqLock.unlock();
            }
            if (wake) {
                wakeRingThread();
            }
            return;
        }
        if (listener != null) {
            notifyExecuted(r, start - submittedAt, System.nanoTime() - start);
        }
        r.state = Request.PENDING;
        pushResult(r);
    }

    /** Wakes the ring thread from the kernel; called without locks. */
    private void wakeRingThread() {
        RingBackend r = ring;
        if (r != null) {
            r.wake();
        }
    }

    /** Asks the ring to cancel a request it is executing (from {@link Request#cancel()}). */
    void cancelInRing(Request r) {
        boolean wake;
        reqLock.lock();
        try {
            if (r.state != Request.EXECUTE || ringThread == null) {
                return;
            }
            ringCancels.add(r);
            wake = ringNeedsWake();
        } finally {
            reqLock.unlock();
        }
        if (wake) {
            wakeRingThread();
        }
    }

    /**
     * reqLock held: the ring failed for good. Requests it did not take and everything queued for it
     * go to the workers, as does every later ring request.
     */
    private void breakRing(List<Request> untaken) {
        ringBroken = true;
        for (Request r : untaken) {
            r.ring = false;
            r.state = Request.READY;
            pool.push(r);
            nready = nready + 1;
        }
        Request r;
        while ((r = ringLane.shift()) != null) {
            r.ring = false;
            pool.push(r);
        }
        ringReady = 0;
        reqWait.signalAll();
    }

    private void ringLoop() {
        final RingBackend ring = this.ring;
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
        final Chain done = new Chain();
        boolean aborted = false;
        boolean clean = false;
        try {
            for (;;) {
                int ntaken = 0;
                int ncancels = 0;
                boolean wait;
                reqLock.lock();
                try {
                    for (;;) {
                        Request c;
                        while ((c = ringCancels.poll()) != null) {
                            int slot = (int) c.status; // an EXECUTE ring request holds its slot there
                            if (c.state == Request.EXECUTE && slot >= 0 && slot < depth && inflight[slot] == c) {
                                cancelSlots[ncancels++] = slot;
                            }
                        }
                        if (ringAbort && !aborted) {
                            aborted = true;
                            ncancels = 0;
                            for (int s = 0; s < depth; s++) {
                                if (inflight[s] != null) {
                                    inflight[s].cancelled = true; // as an aborted busy: no callback, futures cancelled
                                    cancelSlots[ncancels++] = s;
                                }
                            }
                        }
                        // While a thread flushes, it executes cached reads itself when it has no
                        // results to deliver: leave it half of what waits, so both work at once.
                        // maxParallel(0) holds every request, the ring's included (IO::AIO: 0 executes nothing).
                        int take = wanted == 0 ? 0
                                : flushing && ringReady > 1 ? Math.min(nfree, (ringReady + 1) / 2) : nfree;
                        while (ntaken < take && !ringBroken) {
                            Request r = ringLane.shift();
                            if (r == null) {
                                break;
                            }
                            ringReady--;
                            nready = nready - 1;
                            r.state = Request.EXECUTE;
                            taken[ntaken++] = r;
                        }
                        if (ntaken > 0 || ncancels > 0 || nfree < depth) {
                            break;
                        }
                        if (ringStop) {
                            clean = true;
                            return;
                        }
                        ringParked = true;
                        ringWait.awaitUninterruptibly();
                        ringParked = false;
                    }
                    wait = ntaken == 0 && ncancels == 0;
                    if (wait) {
                        ringInKernel = true;
                    }
                } finally {
                    reqLock.unlock();
                }

                long now = timing ? System.nanoTime() : 0;
                for (int i = 0; i < ntaken; i++) {
                    Request r = taken[i];
                    taken[i] = null;
                    int errno;
                    if (r.cancelled) {
                        r.fail(Errno.ECANCELED.code());
                        if (listener != null) {
                            notifySkipped(r, now - r.status, false);
                        }
                    } else {
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
                        if (listener != null) {
                            notifyExecuted(r, now - submittedAt[slot], 0);
                        }
                    }
                    done.add(r);
                }
                for (int i = 0; i < ncancels; i++) {
                    ring.prepareCancel(cancelSlots[i]);
                }
                ringInflight = depth - nfree;
                int n = ring.enter(wait, cqSlots, cqRes);
                if (wait) {
                    ringInKernel = false;
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
                    reqLock.lock();
                    try {
                        breakRing(untaken);
                    } finally {
                        reqLock.unlock();
                    }
                    startWanted();
                    n = 0;
                }
                long end = timing && n > 0 ? System.nanoTime() : 0;
                for (int k = 0; k < n; k++) {
                    int slot = cqSlots[k];
                    Request r = inflight[slot];
                    inflight[slot] = null;
                    free[nfree++] = slot;
                    ring.complete(r, slot, cqRes[k]);
                    if (listener != null) {
                        notifyExecuted(r, startedAt[slot] - submittedAt[slot], end - startedAt[slot]);
                    }
                    done.add(r);
                }
                ringInflight = depth - nfree;
                if (done.n > 0) {
                    pushResults(done.head, done.tail, done.n);
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
            reqLock.lock();
            try {
                ringThread = null;
                if (!clean) {
                    breakRing(List.of());
                }
                threadsChanged.signalAll();
            } finally {
                reqLock.unlock();
            }
        }
    }

    /** A chain of PENDING requests linked through {@link Request#next}, for one push to the result queue. */
    private static final class Chain {
        Request head;
        Request tail;
        int n;

        void add(Request r) {
            r.state = Request.PENDING;
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

    /** Tells the listener a request executed; whatever it throws (an Error too) is logged and contained. */
    private void notifyExecuted(Request r, long waitNanos, long execNanos) {
        try {
            listener.executed(r.operation(), waitNanos, execNanos, r.errno);
        } catch (Throwable e) {
            listenerFailed(e);
        }
    }

    // =======================================================================================
    // Results
    // =======================================================================================

    /** Appends a PENDING request to the result queue and wakes the poll side. */
    private void pushResult(Request r) {
        final ReentrantLock lock = resLock;
        lockHot(lock);
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
    private void pushResults(Request head, Request tail, int n) {
        final ReentrantLock lock = resLock;
        lockHot(lock);
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
    public SelectableChannel pollChannel() {
        resLock.lock();
        try {
            checkOpen();
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

    // =======================================================================================
    // Polling
    // =======================================================================================

    private void enterPoll(String what) {
        if (pollLock.isHeldByCurrentThread()) {
            throw new IllegalStateException(what + " called from inside a callback: aio's poll functions are not reentrant");
        }
        pollLock.lock();
    }

    /**
     * Refuses a call that waits for requests to finish from where they never could: a worker
     * (the request it runs is one of them) or a group's init or feeder (the requests it creates
     * are queued only when it returns).
     */
    private void refuseWaitingFrom(String what) {
        if (isWorkerThread()) {
            throw new IllegalStateException(what + " cannot be called from a request running on a worker thread");
        }
        if (next.get().deferred != null) {
            throw new IllegalStateException(what + " cannot be called inside a group's init or feeder:"
                    + " the requests it creates are queued only when it returns");
        }
    }

    /**
     * IO::AIO's {@code poll_cb}: processes results within the poll limits, then blocks while
     * {@code nreqs >= maxOutstanding}.
     *
     * @return 0 when every result was processed, -1 when a limit stopped it early
     */
    public int pollCb() {
        enterPoll("pollCb");
        try {
            return pollCbLocked(null);
        } finally {
            pollLock.unlock();
        }
    }

    /** IO::AIO's {@code poll}: waits for a result, then processes; returns how many were. */
    public int poll() {
        refuseWaitingFrom("poll");
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
    public void flush() {
        refuseWaitingFrom("flush");
        enterPoll("flush");
        flushing = true;
        try {
            while (nreqs() > 0 && !terminated && !Thread.currentThread().isInterrupted()) {
                if (pushed == popped) {
                    // Nothing to deliver: rather than sleep until a worker's result wakes us (a
                    // park and unpark per few results), run the next queued request here if it
                    // may run on this thread (see Request.helpable).
                    Request r = takeForHelping();
                    if (r != null) {
                        run(r);
                    } else if ((r = takeRingForHelping()) != null) {
                        helpRing(r);
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

    /** After a poll pass: wakes the ring for what callbacks submitted without waking it. */
    private void wakeDeferredRing() {
        boolean wake = false;
        reqLock.lock();
        try {
            if (ringDeferred > 0) {
                ringDeferred = 0;
                wake = ringReady > 0 && ringNeedsWake();
            }
        } finally {
            reqLock.unlock();
        }
        if (wake) {
            wakeRingThread();
        }
    }

    private int pollCbLocked(int[] count) {
        for (;;) {
            int res = processResults(count);
            if (ringDeferred > 0) {
                wakeDeferredRing();
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
        return max > 0 && nreqs() >= max && !closed && !Thread.currentThread().isInterrupted();
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
    public void pollWait() {
        refuseWaitingFrom("pollWait");
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
    public boolean awaitResults(long timeoutNanos) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        if (SPIN_NANOS > 0 && pushed == popped && nreqs() != 0) {
            // A result is often microseconds away: spin for it rather than park and be unparked.
            long until = System.nanoTime() + Math.min(SPIN_NANOS, timeoutNanos > 0 ? timeoutNanos : SPIN_NANOS);
            while (pushed == popped && nreqs() != 0 && System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        }
        resLock.lock();
        pollWaiters++;
        try {
            for (;;) {
                if (pushed != popped || nreqs() == 0) {
                    return true;
                }
                if (terminated) {
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
            return pushed != popped || nreqs() == 0;
        } finally {
            pollWaiters--;
            resLock.unlock();
        }
    }

    /** One pass over pending results within the limits; pollLock held. Returns 0 or -1. */
    private int processResults(int[] count) {
        final int maxReqs = maxPollReqs;
        final long maxTime = maxPollTimeNanos;
        final long start = maxTime > 0 ? System.nanoTime() : 0;
        int n = 0;
        for (;;) {
            Request r = batch;
            if (r == null) {
                lockHot(resLock);
                try {
                    r = resHead;
                    resHead = resTail = null;
                    if (r == null) {
                        if (pipe != null) {
                            drainPipeIfIdle();
                        }
                        if (pollWaiters > 0 && nreqs() == 0) {
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
                timer.forget(r);
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
            cancellations.increment();
            try {
                r.deliverCancelled();
            } catch (RuntimeException | Error e) {
                callbackFailed(r, e);
            }
            return;
        }
        AioCallback<Object> cb = r.callback;
        if (cb != null) {
            try {
                cb.onResult(r);
            } catch (Throwable e) {
                callbackFailed(r, e);
            }
        }
    }

    /** Logs and counts a callback or feeder that threw. */
    void callbackFailed(Request r, Throwable e) {
        callbackFailures.increment();
        LOG.log(Level.WARNING, "aio: callback of " + r.operation() + " threw; other results are still delivered", e);
    }

    // =======================================================================================
    // Threads and limits
    // =======================================================================================

    /**
     * IO::AIO's {@code min_parallel}: raises the wanted number of threads to at least {@code n}.
     *
     * @param n threads
     */
    public void minParallel(int n) {
        reqLock.lock();
        try {
            checkOpen();
            if (wanted < n) {
                wanted = n;
            }
        } finally {
            reqLock.unlock();
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
    public void maxParallel(int n) {
        if (isWorkerThread()) {
            throw new IllegalStateException("maxParallel cannot be called from a request running on a worker thread");
        }
        reqLock.lock();
        try {
            checkOpen();
            wanted = n;
            int excess = started - quits - n;
            if (excess > 0) {
                quits += excess;
                reqWait.signalAll();
            }
            while (started > n) {
                threadsChanged.awaitUninterruptibly();
            }
        } finally {
            reqLock.unlock();
        }
        startWanted();
    }

    /** Whether the calling thread is one of this scheduler's workers. */
    private boolean isWorkerThread() {
        return Thread.currentThread() instanceof Worker w && w.owner == this;
    }

    /** The number of threads wanted. */
    public int wanted() {
        reqLock.lock();
        try {
            return wanted;
        } finally {
            reqLock.unlock();
        }
    }

    /** Sets maxIdle and wakes idle threads so they re-check. */
    public void maxIdle(int n) {
        maxIdle = n;
        wakeWorkers();
    }

    /** Idle threads kept. */
    public int maxIdle() {
        return maxIdle;
    }

    /** Sets the idle timeout and wakes idle threads so they re-check. */
    public void idleTimeoutNanos(long nanos) {
        idleTimeoutNanos = nanos;
        wakeWorkers();
    }

    /** The idle timeout. */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    private void wakeWorkers() {
        reqLock.lock();
        try {
            reqWait.signalAll();
        } finally {
            reqLock.unlock();
        }
    }

    /** Sets the results processed per pollCb (0 = all). */
    public void maxPollReqs(int n) {
        maxPollReqs = n;
    }

    /** Results processed per pollCb (0 = all). */
    public int maxPollReqs() {
        return maxPollReqs;
    }

    /** Sets the time per pollCb (0 = unlimited). */
    public void maxPollTimeNanos(long nanos) {
        maxPollTimeNanos = nanos;
    }

    /** Time per pollCb (0 = unlimited). */
    public long maxPollTimeNanos() {
        return maxPollTimeNanos;
    }

    /** Sets the outstanding threshold that makes poll functions block (0 = none). */
    public void maxOutstanding(long n) {
        maxOutstanding = n;
        resLock.lock();
        try {
            resWait.signalAll();
        } finally {
            resLock.unlock();
        }
    }

    /** The outstanding threshold (0 = none). */
    public long maxOutstanding() {
        return maxOutstanding;
    }

    // =======================================================================================
    // Counters
    // =======================================================================================

    /** Requests READY, EXECUTE or PENDING, and groups not yet done. */
    public long nreqs() {
        long f = finished;
        return submitted - f;
    }

    /** Requests READY. */
    public int nready() {
        return nready;
    }

    /** Requests PENDING (executed, callback not yet run). */
    public long npending() {
        long p = popped;
        return pushed - p;
    }

    /** Worker threads running. */
    public int nthreads() {
        return started;
    }

    /** Worker threads waiting for a request. */
    public int nidle() {
        return idle;
    }

    /** READY requests at each priority, index 0 = priority -4; walks the queues under the lock. */
    public int[] readyByPriority() {
        int[] out = new int[NPRI];
        reqLock.lock();
        try {
            for (int q = 0; q < NPRI; q++) {
                for (Request r = pool.heads[q]; r != null; r = r.next) {
                    out[q]++;
                }
                for (Request r = ringLane.heads[q]; r != null; r = r.next) {
                    out[q]++;
                }
            }
        } finally {
            reqLock.unlock();
        }
        return out;
    }

    /** Callbacks and feeders that threw. */
    public long callbackFailures() {
        return callbackFailures.sum();
    }

    /** Requests that finished cancelled. */
    public long cancellations() {
        return cancellations.sum();
    }

    /** Requests whose deadline passed while READY. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Whether submission times are recorded. */
    public boolean recordsTimes() {
        return timing;
    }

    /** {@code true} once {@link #close} began. */
    public boolean isClosed() {
        return closed;
    }

    // =======================================================================================
    // Close
    // =======================================================================================

    /** How long close waits at most, beyond twice the grace period, for threads to exit. */
    static final long STOP_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * Stops accepting requests, lets queued ones drain for {@code graceNanos} (processing results
     * on this thread, or waiting for the thread that is polling), then cancels what is still
     * READY and asks executing abortable requests to stop, waits up to {@code graceNanos} more
     * for requests already executing, stops every thread and closes the poll channel.
     *
     * <p>Returns within {@code 2 * graceNanos + STOP_SLACK_NANOS} whatever other threads hold
     * (a poller in {@code flush}, one blocked by {@code maxOutstanding}, a worker blocked in a
     * syscall), and from an interrupted thread too (the interrupt is kept). A concurrent or later
     * call waits for the first within its own bound and reports the state then.
     *
     * @param graceNanos the drain period
     * @return {@code true} if every request reached DONE and every thread stopped
     */
    public boolean close(long graceNanos) {
        if (pollLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("close() called from inside a callback: close the engine outside pollCb");
        }
        if (isWorkerThread()) {
            throw new IllegalStateException("close() cannot be called from a request running on a worker thread");
        }
        final long start = System.nanoTime();
        final long grace = Math.min(graceNanos, Long.MAX_VALUE / 4);
        final long end = start + 2 * grace;
        boolean interrupted = Thread.interrupted();
        boolean first;
        reqLock.lock();
        try {
            first = !closed;
            closed = true;
        } finally {
            reqLock.unlock();
        }
        try {
            if (!first) {
                interrupted |= awaitClosed(end + STOP_SLACK_NANOS);
                if (terminated && nreqs() > 0) {
                    drain(System.nanoTime()); // results of requests that outlived the first close
                }
                return closedCleanly();
            }
            // Pollers blocked by maxOutstanding re-check (closed) and return.
            resLock.lock();
            try {
                resWait.signalAll();
            } finally {
                resLock.unlock();
            }
            boolean clean = drain(start + grace);
            if (!clean) {
                cancelQueued();
                clean = drain(end);
            }
            timer.stop();
            boolean wakeRing = false;
            reqLock.lock();
            try {
                wanted = 0;
                quits = started;
                reqWait.signalAll();
                ringStop = true;
                if (ringThread != null) {
                    wakeRing = ringNeedsWake();
                }
            } finally {
                reqLock.unlock();
            }
            if (wakeRing) {
                wakeRingThread();
            }
            long stopBy = Math.max(end, System.nanoTime()) + STOP_SLACK_NANOS;
            reqLock.lock();
            try {
                while (started > 0 || ringThread != null) {
                    long left = stopBy - System.nanoTime();
                    if (left <= 0) {
                        LOG.log(Level.WARNING, "aio: " + started + " worker thread(s) still executing a request after close"
                                + (ringThread != null ? ", and the io_uring thread still has " + ringInflight + " in flight" : "")
                                + "; they exit when it returns");
                        clean = false;
                        break;
                    }
                    try {
                        threadsChanged.awaitNanos(left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                reqLock.unlock();
            }
            RingBackend unusedRing = null;
            reqLock.lock();
            try {
                if (ring != null && !ringStarted) {
                    ringStarted = true;
                    unusedRing = ring;
                }
            } finally {
                reqLock.unlock();
            }
            if (unusedRing != null) {
                unusedRing.close();
            }
            // Requests that were executing when the drain gave up may have pushed their results by
            // now (their threads exited): deliver them, so that every future completes.
            if (nreqs() > 0) {
                clean = drain(System.nanoTime()) && clean;
            }
            terminated = true;
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
            return clean && closedCleanly();
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

    /** Whether close finished and left nothing outstanding and no thread running. */
    private boolean closedCleanly() {
        reqLock.lock();
        try {
            return terminated && nreqs() == 0 && started == 0 && ringThread == null;
        } finally {
            reqLock.unlock();
        }
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
            if (pollLock.tryLock()) {
                try {
                    return drainLocked(deadline);
                } finally {
                    pollLock.unlock();
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
            awaitResults(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
            if (Thread.interrupted()) {
                closerInterrupted = true;
            }
        }
    }

    private boolean drainLocked(long deadline) {
        while (processResults(null) < 0) {
            // everything already pending is delivered, whatever the poll limits
        }
        wakeDeferredRing();
        for (;;) {
            if (nreqs() == 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            awaitResults(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                closerInterrupted = true;
            }
            processResults(null);
            wakeDeferredRing();
        }
    }

    // =======================================================================================
    // Invariants (for tests)
    // =======================================================================================

    /**
     * Checks the scheduler's invariants, each under the lock that guards it, and throws {@link
     * IllegalStateException} naming the first that fails:
     * <ul>
     *   <li>counters are never negative; {@code idle <= started}; {@code submitted >= finished};
     *       {@code pushed >= popped};
     *   <li>every request in a ready queue is READY, in the queue of its priority and lane, linked
     *       both ways, in no other list; each queue's tail and bit in the mask match; {@code nready}
     *       is the number of requests in both lanes and {@code ringReady} that of the ring lane;
     *   <li>every request in the result queue (and the poller's batch) is PENDING and in no other
     *       list; with the poll lock, {@code pushed - popped} is exactly their number;
     *   <li>of {@code known} requests: each is READY exactly when it is in a ready queue.
     * </ul>
     * Takes the poll lock when it can within a moment (not from inside a callback), then {@code
     * reqLock} and, inside it, {@code resLock}: the one place both are held, safe because no thread
     * takes {@code reqLock} while holding {@code resLock}.
     *
     * @param known requests to check individually (may be empty)
     */
    public void checkInvariants(Iterable<?> known) {
        if (pollLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("checkInvariants() called from inside a callback");
        }
        boolean polling = false;
        try {
            polling = pollLock.tryLock(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            java.util.Set<Request> ready = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            reqLock.lock();
            try {
                check(nready >= 0 && started >= 0 && idle >= 0 && quits >= 0 && ringReady >= 0 && wanted >= 0,
                        "negative counter: nready=" + nready + " started=" + started + " idle=" + idle
                                + " quits=" + quits + " ringReady=" + ringReady + " wanted=" + wanted);
                check(idle <= started, "idle " + idle + " > started " + started);
                check(submitted >= finished, "submitted " + submitted + " < finished " + finished);
                int inPool = walkLane(pool, false, ready);
                int inRing = walkLane(ringLane, true, ready);
                check(inPool + inRing == nready, "nready " + nready + " but the lanes hold " + inPool + " + " + inRing);
                check(inRing == ringReady, "ringReady " + ringReady + " but the ring lane holds " + inRing);
                if (known != null) {
                    for (Object o : known) {
                        Request r = (Request) o;
                        boolean queued = ready.contains(r);
                        check(queued == (r.state == Request.READY), r + " is READY=" + (r.state == Request.READY)
                                + " but queued=" + queued);
                    }
                }
                // resLock inside reqLock, here only: no thread takes reqLock while holding resLock,
                // so this cannot deadlock, and the two sides are seen at one instant.
                resLock.lock();
                try {
                    checkResults(polling, ready);
                } finally {
                    resLock.unlock();
                }
            } finally {
                reqLock.unlock();
            }
        } finally {
            if (polling) {
                pollLock.unlock();
            }
        }
    }

    /** The result side of {@link #checkInvariants}; reqLock and resLock held. */
    private void checkResults(boolean polling, java.util.Set<Request> ready) {
        check(pushed >= popped, "pushed " + pushed + " < popped " + popped);
        java.util.Set<Request> results = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        long n = walkResults(resHead, resTail, results, ready, "result queue");
        if (polling) {
            n += walkResults(batch, null, results, ready, "poller's batch");
            check(pushed - popped == n, "pushed - popped = " + (pushed - popped) + " but " + n + " results are queued");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("scheduler invariant violated: " + what);
        }
    }

    /** Walks one lane (reqLock held), adding its requests to {@code seen}; returns how many. */
    private int walkLane(Lane lane, boolean ringSide, java.util.Set<Request> seen) {
        int total = 0;
        String name = ringSide ? "ring lane" : "worker lane";
        for (int q = 0; q < NPRI; q++) {
            Request head = lane.heads[q];
            check((head != null) == ((lane.mask & (1 << q)) != 0), name + " queue " + (q + PRI_MIN)
                    + ": mask bit disagrees with its head");
            check(head == null || head.prev == null, name + " queue " + (q + PRI_MIN) + ": head has a back link");
            Request last = null;
            for (Request r = head; r != null; r = r.next) {
                check(seen.add(r), r + " is linked twice (or in two queues) in the " + name);
                check(r.state == Request.READY, r + " is in the " + name + " but not READY");
                check(r.pri - PRI_MIN == q, r + " is in the " + name + " queue of priority " + (q + PRI_MIN));
                check(r.ring == ringSide, r + " ring=" + r.ring + " is in the " + name);
                check(r.prev == last, r + " has a wrong back link in the " + name);
                check(total++ <= nready + 1, name + " holds more requests than nready " + nready + " (a cycle?)");
                last = r;
            }
            check(lane.tails[q] == last, name + " queue " + (q + PRI_MIN) + ": tail is not the last request");
        }
        return total;
    }

    /** Walks a chain of results through {@link Request#next}; returns how many. */
    private long walkResults(Request head, Request tail, java.util.Set<Request> seen, java.util.Set<Request> ready,
            String name) {
        long n = 0;
        Request last = null;
        long bound = pushed - popped + 1;
        for (Request r = head; r != null; r = r.next) {
            check(seen.add(r), r + " is twice in the results");
            check(!ready.contains(r), r + " is both in a ready queue and in the " + name);
            check(r.state == Request.PENDING, r + " is in the " + name + " but not PENDING");
            check(n++ <= bound, name + " holds more than pushed - popped (a cycle?)");
            last = r;
        }
        if (tail != null || head == null) {
            check(tail == last, name + ": tail is not the last result");
        }
        return n;
    }

    /** Cancels every READY request and every executing one, so that they finish without callbacks. */
    private void cancelQueued() {
        List<Request> ready = new ArrayList<>();
        boolean wakeRing;
        reqLock.lock();
        try {
            Request r;
            while ((r = shift()) != null || (r = ringLane.shift()) != null) {
                if (r.ring) {
                    ringReady--;
                    nready = nready - 1;
                }
                r.cancelled = true;
                r.fail(Errno.ECANCELED.code());
                r.state = Request.PENDING;
                ready.add(r);
            }
            aborting = true;
            ringAbort = true;
            wakeRing = ringThread != null && ringNeedsWake();
            for (Thread t : workers) {
                LockSupport.unpark(t);
            }
        } finally {
            reqLock.unlock();
        }
        if (wakeRing) {
            wakeRingThread();
        }
        for (Request r : ready) {
            pushResult(r);
        }
    }

    /** {@code true} once close gave up draining: abortable requests ({@code busy}) stop early. */
    boolean aborting() {
        return aborting;
    }
}
