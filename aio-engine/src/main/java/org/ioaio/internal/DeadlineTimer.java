package org.ioaio.internal;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Expires requests whose deadline passes while they are still READY: one daemon thread per
 * engine, started by the first request that has a deadline, sleeping until the earliest one.
 *
 * <p>{@link #lock} guards {@link #queue}, {@link #thread} and {@link #stopped}. An entry is not
 * removed when its request starts executing; at expiry the scheduler checks, under its own lock,
 * whether the request is still READY, so a late entry costs nothing but its memory until then.
 */
final class DeadlineTimer {

    /** One deadline. */
    private record Entry(long when, Request request) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            return Long.compare(when, o.when);
        }
    }

    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private Thread thread;
    private boolean stopped;

    DeadlineTimer(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Expires {@code r} at {@code when} (System.nanoTime) unless it left READY by then. */
    void schedule(Request r, long when) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            Entry e = new Entry(when, r);
            queue.add(e);
            if (thread == null) {
                thread = new Thread(this::run, "aio-deadlines");
                thread.setDaemon(true);
                thread.start();
            } else if (queue.peek() == e) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread; pending entries are dropped (close cancels their requests anyway). */
    void stop() {
        Thread t;
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            changed.signal();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            boolean interrupted = false;
            for (;;) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        for (;;) {
            Request due;
            lock.lock();
            try {
                for (;;) {
                    if (stopped) {
                        return;
                    }
                    Entry first = queue.peek();
                    if (first == null) {
                        changed.awaitUninterruptibly();
                        continue;
                    }
                    long left = first.when - System.nanoTime();
                    if (left <= 0) {
                        queue.poll();
                        due = first.request;
                        break;
                    }
                    try {
                        changed.awaitNanos(left);
                    } catch (InterruptedException e) {
                        // only close stops this thread, through 'stopped'
                    }
                }
            } finally {
                lock.unlock();
            }
            if (due.state == Request.READY) {
                scheduler.unlinkReady(due, true);
            }
        }
    }
}

