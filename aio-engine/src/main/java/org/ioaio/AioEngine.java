package org.ioaio;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.ioaio.internal.BusyRequest;
import org.ioaio.internal.CustomRequest;
import org.ioaio.internal.Group;
import org.ioaio.internal.NopRequest;
import org.ioaio.internal.Request;
import org.ioaio.internal.Scheduler;
import org.ioaio.internal.Scheduler.Next;

/**
 * IO::AIO for the JVM: blocking filesystem calls run on a pool of worker threads, and their results
 * come back to whichever thread calls {@link #pollCb()}.
 *
 * <p>Every request function has two forms: a callback form, {@code nop(cb)}, that returns the
 * {@link AioRequest} and calls {@code cb} inside {@code pollCb}; and a future form, {@code nop()},
 * that returns an {@link AioFuture} completed inside {@code pollCb}. Nothing completes unless some
 * thread polls: call {@link #pollCb()} when {@link #pollChannel()} is readable, loop on {@link
 * #poll()}, or {@link #flush()}. Requests may be submitted from any thread; callbacks never run
 * concurrently.
 *
 * <pre>{@code
 * try (AioEngine aio = AioEngine.builder().minParallel(8).build()) {
 *     aio.pri(4);                                  // the next request's priority
 *     aio.nop(r -> System.out.println("done"));    // callback form
 *     AioFuture<Void> f = aio.nop();               // future form
 *     AioGroup g = aio.group(r -> System.out.println("all done"));
 *     g.limit(4);
 *     g.feed(grp -> { if (more()) grp.add(aio.nop(r -> {})); });
 *     aio.flush();
 * }
 * }</pre>
 *
 * <p>Bad arguments fail at the call with {@link IllegalArgumentException} and queue nothing; any
 * request after {@link #close()} fails with {@link IllegalStateException}.
 */
public final class AioEngine implements AutoCloseable {

    private final Scheduler scheduler;
    private final long closeGraceNanos;

    private AioEngine(Builder b) {
        int wanted = b.minParallel;
        if (b.maxParallel >= 0 && b.maxParallel < wanted) {
            wanted = b.maxParallel;
        }
        this.scheduler = new Scheduler(b.name, wanted, b.maxIdle, b.idleTimeout.toNanos(), b.maxPollReqs,
                b.maxPollTime.toNanos(), b.maxOutstanding, b.listener, b.recordTimes);
        this.closeGraceNanos = b.closeGracePeriod.toNanos();
    }

    /** A builder with IO::AIO's defaults: 8 threads, 4 idle kept for 10 s, no poll limits. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------
    // Priorities and deadlines of the next request
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aioreq_pri}: sets the priority of the calling thread's next request (clamped to -4..4,
     * reset to 0 after that request).
     *
     * @param pri -4 (lowest) to 4 (highest); out-of-range values are clamped
     * @return the priority the next request would have had
     */
    public int pri(int pri) {
        Next n = scheduler.settings();
        int prev = n.pri;
        n.pri = Scheduler.clampPri(pri);
        return prev;
    }

    /** The priority the calling thread's next request will have. */
    public int pri() {
        return scheduler.settings().pri;
    }

    /**
     * {@code aioreq_nice}: lowers the next request's priority by {@code adjust} (cumulative, clamped).
     *
     * @param adjust how much to subtract
     * @return the priority the next request would have had
     */
    public int nice(int adjust) {
        Next n = scheduler.settings();
        int prev = n.pri;
        n.pri = Scheduler.clampPri((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) prev - adjust)));
        return prev;
    }

    /**
     * Gives the calling thread's next request a deadline: if it is still queued when {@code timeout}
     * has passed, it ends as timed out (ETIMEDOUT; the future fails with a {@link
     * java.util.concurrent.TimeoutException}), distinct from a cancel. Reset after that request.
     * Groups ignore it.
     *
     * @param timeout a positive duration, or {@code null} / zero for none
     */
    public void timeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        scheduler.settings().timeoutNanos = timeout == null ? 0 : saturatedNanos(timeout);
    }

    // ------------------------------------------------------------------------------------------
    // Requests that are not filesystem calls
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_nop}: does nothing, but goes through a worker thread like any request.
     *
     * @param callback called inside pollCb
     * @return the request
     */
    public AioRequest nop(AioCallback<Void> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(new NopRequest(scheduler, n.pri, callback), n);
    }

    /** {@code aio_nop}, future form: completes with {@code null}. */
    public AioFuture<Void> nop() {
        AioFuture<Void> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new NopRequest(scheduler, n.pri, f.completer()), n));
    }

    /**
     * {@code aio_busy}: occupies a worker thread for {@code seconds} (for tests and benchmarks).
     *
     * @param seconds fractional seconds, 0 or more
     * @param callback called inside pollCb
     * @return the request
     */
    public AioRequest busy(double seconds, AioCallback<Void> callback) {
        long nanos = busyNanos(seconds);
        requireCallback(callback);
        Next n = take();
        return submit(new BusyRequest(scheduler, n.pri, callback, nanos), n);
    }

    /** {@code aio_busy}, future form. */
    public AioFuture<Void> busy(double seconds) {
        long nanos = busyNanos(seconds);
        AioFuture<Void> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new BusyRequest(scheduler, n.pri, f.completer(), nanos), n));
    }

    /**
     * libeio's {@code eio_custom}: runs {@code task} on a worker thread. Its value is the
     * request's value; an {@link AioException} it throws keeps its errno, an {@link
     * InterruptedException} reports EINTR, any other exception EIO ({@link AioResult#failure()}
     * gives it).
     *
     * @param task the task
     * @param callback called inside pollCb
     * @param <T> the value type
     * @return the request
     */
    public <T> AioRequest custom(Callable<T> task, AioCallback<T> callback) {
        requireTask(task);
        requireCallback(callback);
        Next n = take();
        return submit(new CustomRequest<>(scheduler, n.pri, callback, "custom", task), n);
    }

    /**
     * {@code eio_custom}, future form: completes with the task's value or fails with what it threw.
     *
     * @param task the task
     * @param <T> the value type
     * @return the future
     */
    public <T> AioFuture<T> custom(Callable<T> task) {
        requireTask(task);
        AioFuture<T> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new CustomRequest<>(scheduler, n.pri, f.completer(), "custom", task), n));
    }

    /**
     * {@code aio_group}: a group whose callback runs when every member is done. As in IO::AIO, an
     * empty group finishes at the next {@code pollCb}, so add members before that: from the polling
     * thread, inside a callback or feeder, or use {@link #group(Consumer, AioCallback)}.
     *
     * @param callback called inside pollCb when the group finishes; its value is what {@link
     *     AioGroup#result(Object)} set
     * @return the group
     */
    public AioGroup group(AioCallback<Object> callback) {
        requireCallback(callback);
        return group(null, callback);
    }

    /**
     * A group whose members are added by {@code init} before the group can be seen by the poller:
     * safe however many threads poll.
     *
     * @param init adds the first members (and may set a limit and feeder); may be {@code null}. If
     *     it throws, the group and what it added are cancelled and the exception propagates
     * @param callback called when the group finishes, or {@code null} for none
     * @return the group
     */
    public AioGroup group(Consumer<AioGroup> init, AioCallback<Object> callback) {
        Next n = take();
        Group g = new Group(scheduler, n.pri, callback);
        n.pri = 0;
        n.timeoutNanos = 0;
        if (init != null) {
            try {
                g.init(init);
            } catch (RuntimeException | Error e) {
                // What init queued still ends: the group and its members finish cancelled.
                g.cancel();
                scheduler.submit(g, n);
                throw e;
            }
        }
        scheduler.submit(g, n);
        return g;
    }

    /** A group without a callback (IO::AIO's {@code aio_group} in void context). */
    public AioGroup group() {
        return group(null, null);
    }

    // ------------------------------------------------------------------------------------------
    // Polling
    // ------------------------------------------------------------------------------------------

    /**
     * {@code poll_cb}: processes finished requests (runs their callbacks, completes their futures)
     * within {@code maxPollReqs} and {@code maxPollTime}; then blocks while {@link #nreqs()} is at
     * least {@code maxOutstanding}. Returns at once when nothing is pending. After {@link #close()}
     * there is nothing to process.
     *
     * @return 0 when every pending result was processed, -1 when a limit stopped it early
     * @throws IllegalStateException when called from inside a callback (not reentrant)
     */
    public int pollCb() {
        return scheduler.pollCb();
    }

    /** {@code poll_wait}: waits until a result is pending or no request is outstanding. */
    public void pollWait() {
        scheduler.pollWait();
    }

    /**
     * {@code poll}: {@link #pollWait()} then {@link #pollCb()}.
     *
     * @return the number of requests processed
     */
    public int poll() {
        return scheduler.poll();
    }

    /** {@code flush}: polls until no request is outstanding. */
    public void flush() {
        scheduler.flush();
    }

    /**
     * {@code poll_fileno}: a non-blocking channel that is readable while results are pending, for a
     * {@link java.nio.channels.Selector} or any event loop; call {@link #pollCb()} when it is. Do
     * not read from it. Closed by {@link #close()}.
     *
     * @return the channel (the same one on every call)
     */
    public SelectableChannel pollChannel() {
        return scheduler.pollChannel();
    }

    // ------------------------------------------------------------------------------------------
    // Threads and limits
    // ------------------------------------------------------------------------------------------

    /**
     * {@code min_parallel}: raises the number of worker threads wanted to at least {@code n}
     * (threads still start only on demand).
     *
     * @param n 0 or more
     */
    public void minParallel(int n) {
        scheduler.minParallel(nonNegative(n, "minParallel"));
    }

    /**
     * {@code max_parallel}: lowers the number of worker threads wanted to at most {@code n} and
     * blocks until no more than {@code n} run (a thread executing a request finishes it first).
     * With 0, requests queue without executing. Raising it again starts threads for what is queued.
     *
     * @param n 0 or more
     */
    public void maxParallel(int n) {
        scheduler.maxParallel(nonNegative(n, "maxParallel"));
    }

    /**
     * {@code max_idle}: how many idle threads are kept without a timeout.
     *
     * @param n 0 or more
     */
    public void maxIdle(int n) {
        scheduler.maxIdle(nonNegative(n, "maxIdle"));
    }

    /**
     * {@code idle_timeout}: how long a thread beyond {@code maxIdle} idles before it exits.
     *
     * @param timeout a positive duration
     */
    public void idleTimeout(Duration timeout) {
        scheduler.idleTimeoutNanos(positive(timeout, "idleTimeout"));
    }

    /**
     * {@code max_outstanding}: poll functions block while at least {@code n} requests are
     * outstanding; 0 removes the limit.
     *
     * @param n 0 or more
     */
    public void maxOutstanding(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxOutstanding must be 0 (no limit) or more, got " + n);
        }
        scheduler.maxOutstanding(n);
    }

    /**
     * {@code max_poll_reqs}: the most results one {@link #pollCb()} processes; 0 = all.
     *
     * @param n 0 or more
     */
    public void maxPollReqs(int n) {
        scheduler.maxPollReqs(nonNegative(n, "maxPollReqs"));
    }

    /**
     * {@code max_poll_time}: the time after which one {@link #pollCb()} stops processing (checked
     * after each request); zero = no limit.
     *
     * @param time zero or positive
     */
    public void maxPollTime(Duration time) {
        scheduler.maxPollTimeNanos(nonNegativeNanos(time, "maxPollTime"));
    }

    /** The number of worker threads wanted (set by minParallel / maxParallel). */
    public int parallelism() {
        return scheduler.wanted();
    }

    /** Idle threads kept without a timeout. */
    public int maxIdle() {
        return scheduler.maxIdle();
    }

    /** How long a surplus idle thread waits before exiting. */
    public Duration idleTimeout() {
        return Duration.ofNanos(scheduler.idleTimeoutNanos());
    }

    /** The outstanding-request threshold of the poll functions; 0 = none. */
    public long maxOutstanding() {
        return scheduler.maxOutstanding();
    }

    /** The most results one pollCb processes; 0 = all. */
    public int maxPollReqs() {
        return scheduler.maxPollReqs();
    }

    /** The time one pollCb spends at most; zero = no limit. */
    public Duration maxPollTime() {
        return Duration.ofNanos(scheduler.maxPollTimeNanos());
    }

    // ------------------------------------------------------------------------------------------
    // Counters
    // ------------------------------------------------------------------------------------------

    /** {@code nreqs}: requests whose callback has not run yet (READY, EXECUTE, PENDING; groups too). */
    public long nreqs() {
        return scheduler.nreqs();
    }

    /** {@code nready}: requests waiting for a worker thread. */
    public int nready() {
        return scheduler.nready();
    }

    /** {@code npending}: requests executed and waiting for pollCb. */
    public long npending() {
        return scheduler.npending();
    }

    /** {@code nthreads}: worker threads running. */
    public int nthreads() {
        return scheduler.nthreads();
    }

    /** Worker threads idle (waiting for a request). */
    public int nidle() {
        return scheduler.nidle();
    }

    /**
     * Requests waiting for a worker at each priority.
     *
     * @return nine counts, index 0 for priority -4 up to index 8 for priority 4
     */
    public int[] nreadyByPriority() {
        return scheduler.readyByPriority();
    }

    /**
     * How long the oldest request still waiting for a worker has waited: {@link Duration#ZERO} when
     * none waits, {@code null} when the engine does not record times (see {@link
     * Builder#recordTimes(boolean)}).
     */
    public Duration oldestReadyAge() {
        long age = scheduler.oldestReadyAgeNanos();
        if (age < 0) {
            return scheduler.recordsTimes() ? Duration.ZERO : null;
        }
        return Duration.ofNanos(age);
    }

    /** Callbacks and feeders that threw (each was logged; other results were still delivered). */
    public long callbackFailures() {
        return scheduler.callbackFailures();
    }

    /** Requests that finished cancelled. */
    public long cancellations() {
        return scheduler.cancellations();
    }

    /** Requests whose deadline passed while they were queued. */
    public long timeouts() {
        return scheduler.timeouts();
    }

    /** {@code true} once {@link #close()} has begun. */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    // ------------------------------------------------------------------------------------------
    // Close
    // ------------------------------------------------------------------------------------------

    /**
     * Closes with the builder's grace period: see {@link #close(Duration)}.
     */
    @Override
    public void close() {
        scheduler.close(closeGraceNanos);
    }

    /**
     * Stops accepting requests (they fail with {@link IllegalStateException}); processes results on
     * this thread while queued requests drain for {@code grace}; then cancels what is still queued
     * (callbacks skipped, futures cancelled), waits up to {@code grace} again for requests already
     * executing, stops every thread and closes the poll channel. Idempotent.
     *
     * @param grace how long queued requests may drain
     * @return {@code true} if every request finished and every thread stopped
     * @throws IllegalStateException when called from inside a callback or a worker
     */
    public boolean close(Duration grace) {
        return scheduler.close(nonNegativeNanos(grace, "grace"));
    }

    @Override
    public String toString() {
        return "AioEngine[nreqs=" + nreqs() + ", nready=" + nready() + ", npending=" + npending()
                + ", nthreads=" + nthreads() + (isClosed() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    /** The calling thread's next-request settings, after checking the engine is open. */
    private Next take() {
        return scheduler.next();
    }

    private AioRequest submit(Request r, Next n) {
        scheduler.submit(r, n);
        return r;
    }

    private static <T> AioFuture<T> bind(AioFuture<T> f, AioRequest r) {
        f.bind(r);
        return f;
    }

    private static void requireCallback(Object callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null (use the future form for no callback)");
        }
    }

    private static void requireTask(Object task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
    }

    private static long busyNanos(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("busy seconds must be a finite number of 0 or more, got " + seconds);
        }
        return (long) Math.min(Long.MAX_VALUE, seconds * 1e9);
    }

    private static int nonNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more, got " + n);
        }
        return n;
    }

    private static long positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + d);
        }
        return saturatedNanos(d);
    }

    private static long nonNegativeNanos(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or a positive duration, got " + d);
        }
        return saturatedNanos(d);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Settings of a new engine, with IO::AIO's defaults. Every setter validates its argument at once
     * and names it in the {@link IllegalArgumentException}.
     */
    public static final class Builder {

        private int minParallel = 8;
        private int maxParallel = -1;
        private boolean minSet;
        private int maxIdle = 4;
        private Duration idleTimeout = Duration.ofSeconds(10);
        private long maxOutstanding;
        private int maxPollReqs;
        private Duration maxPollTime = Duration.ZERO;
        private Duration closeGracePeriod = Duration.ofSeconds(10);
        private String name = "aio";
        private AioListener listener;
        private boolean recordTimes;

        private Builder() {}

        /**
         * Worker threads wanted (default 8); they start on demand.
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder minParallel(int n) {
            minParallel = nonNegative(n, "minParallel");
            minSet = true;
            checkRange();
            return this;
        }

        /**
         * At most this many worker threads (default: minParallel); 0 queues requests without
         * executing them until raised.
         *
         * @param n 0 or more, not below an explicitly set minParallel
         * @return this builder
         */
        public Builder maxParallel(int n) {
            maxParallel = nonNegative(n, "maxParallel");
            checkRange();
            return this;
        }

        private void checkRange() {
            if (minSet && maxParallel >= 0 && maxParallel < minParallel) {
                throw new IllegalArgumentException("maxParallel (" + maxParallel + ") must not be below minParallel (" + minParallel + ")");
            }
        }

        /**
         * Idle threads kept without a timeout (default 4).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder maxIdle(int n) {
            maxIdle = nonNegative(n, "maxIdle");
            return this;
        }

        /**
         * How long threads beyond maxIdle idle before exiting (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            positive(timeout, "idleTimeout");
            idleTimeout = timeout;
            return this;
        }

        /**
         * Poll functions block while at least this many requests are outstanding (default 0: no limit).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder maxOutstanding(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxOutstanding must be 0 (no limit) or more, got " + n);
            }
            maxOutstanding = n;
            return this;
        }

        /**
         * Results one pollCb processes at most (default 0: all).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder maxPollReqs(int n) {
            maxPollReqs = nonNegative(n, "maxPollReqs");
            return this;
        }

        /**
         * Time one pollCb spends at most (default zero: no limit).
         *
         * @param time zero or positive
         * @return this builder
         */
        public Builder maxPollTime(Duration time) {
            nonNegativeNanos(time, "maxPollTime");
            maxPollTime = time;
            return this;
        }

        /**
         * How long {@link AioEngine#close()} lets queued requests drain before cancelling them (default 10 s).
         *
         * @param grace zero or positive
         * @return this builder
         */
        public Builder closeGracePeriod(Duration grace) {
            nonNegativeNanos(grace, "closeGracePeriod");
            closeGracePeriod = grace;
            return this;
        }

        /**
         * Prefix of the worker threads' names (default {@code "aio"}).
         *
         * @param name not blank
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Observes every execution (operation, wait, execution time, errno) for metrics; implies
         * {@link #recordTimes(boolean) recordTimes(true)}.
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder listener(AioListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Records each request's submission time, so that {@link AioEngine#oldestReadyAge()} can
         * tell how long the oldest queued request has waited (costs one clock read per request).
         *
         * @param record {@code true} to record
         * @return this builder
         */
        public Builder recordTimes(boolean record) {
            this.recordTimes = record;
            return this;
        }

        /** A new engine; no thread starts until the first request. */
        public AioEngine build() {
            return new AioEngine(this);
        }
    }
}
