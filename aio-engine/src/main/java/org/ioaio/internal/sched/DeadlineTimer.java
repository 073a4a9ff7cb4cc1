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

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Expires requests whose deadline passes while they are still READY: one daemon thread per
 * engine, started by the first request that has a deadline, sleeping until the earliest one.
 *
 * <p>{@link #lock} guards {@link #queue}, {@link #byRequest}, {@link #dead}, {@link #thread} and
 * {@link #stopped}. At expiry the scheduler checks, under its own lock, whether the request is
 * still READY. When a request with a deadline finishes, the poller {@link #forget}s it: its entry
 * lets go of the request at once (a finished request is never kept until its deadline), and the
 * heap is rebuilt without such dead entries once they are as many as the live ones.
 */
final class DeadlineTimer {

    /** One deadline; {@link #request} is cleared when the request finishes first. */
    private static final class Entry implements Comparable<Entry> {
        final long when;
        Request request;

        Entry(long when, Request request) {
            this.when = when;
            this.request = request;
        }

        @Override
        public int compareTo(Entry o) {
            return Long.compare(when, o.when);
        }
    }

    private final Scheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    /** The live entry of each request still in the queue. */
    private final java.util.IdentityHashMap<Request, Entry> byRequest = new java.util.IdentityHashMap<>();
    /** Entries in {@link #queue} whose request finished (cleared). */
    private int dead;
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
            if (r.state == Request.DONE) {
                return; // finished before its deadline could be registered: forget ran already
            }
            Entry e = new Entry(when, r);
            queue.add(e);
            byRequest.put(r, e);
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

    /**
     * A request with a deadline finished (the poller, after it is DONE): drops the reference to
     * it, and rebuilds the heap once dead entries are as many as live ones.
     */
    void forget(Request r) {
        lock.lock();
        try {
            Entry e = byRequest.remove(r);
            if (e == null) {
                return;
            }
            e.request = null;
            dead++;
            if (dead > 64 && dead >= byRequest.size()) {
                queue.removeIf(x -> x.request == null);
                dead = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Entries held (live and dead), for tests of retention. */
    int size() {
        lock.lock();
        try {
            return queue.size();
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
            byRequest.clear();
            dead = 0;
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
                    if (first.request == null) {
                        queue.poll();
                        dead--;
                        continue;
                    }
                    long left = first.when - System.nanoTime();
                    if (left <= 0) {
                        queue.poll();
                        due = first.request;
                        byRequest.remove(due);
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
            int st = due.state;
            if (st == Request.READY || st == Request.SUBMITTED) {
                scheduler.unlinkReady(due, true);
            }
        }
    }
}

