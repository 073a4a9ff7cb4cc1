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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * libeio's {@code req_queue}: the READY requests, one FIFO per priority, in two lanes: the
 * workers' ({@link #pool}) and the io_uring lane ({@link #uring}, empty without a ring).
 *
 * <p>States: a request is in exactly one queue of one lane while READY, in none otherwise.
 * {@link #lock} ({@code reqLock}) guards both lanes, every request's READY links and its entering
 * and leaving READY, {@link #nready} (both lanes) and {@link #uringReady} (the io_uring lane). The
 * worker pool, the io_uring lane and the scheduler facade guard their own ready-side state with
 * the same lock. {@link #nready} is volatile for monitoring reads without it; {@link #uringReady}
 * is read without it only as a hint, by a ring thread looking for work before it parks.
 *
 * <p>The inbox: a request for the workers is submitted without {@code reqLock}: {@link #offer}
 * pushes it, SUBMITTED, onto {@link #inbox}, a lock-free LIFO stack linked through {@link
 * Request#next} (a compare-and-set of its head; no lock, so the submitting thread never waits for
 * a worker that holds {@code reqLock}, nor makes one wait). Whoever holds {@code reqLock} and looks
 * at the workers' lane first moves the whole inbox into it ({@link #drainInbox}: one atomic swap,
 * then oldest first, each made READY), so that the lane, and everything decided from it, sees
 * every request submitted before. Only {@code reqLock} holders take from the inbox, so the chain
 * below a head read under the lock does not change until they do. While in the inbox a request's
 * {@link Request#errno} (free until execution) holds the inbox's depth up to it, so that {@link
 * #nready()} counts the inbox without walking it. A submitting thread that finds the inbox {@link
 * Scheduler#INBOX_BATCH} deep moves it into the lane itself when the lock is free, so that a take
 * never has a long inbox to move first. Close swaps the head for {@link #CLOSED}: an
 * offer that finds it fails, so a request is either accepted before the close (and drained into
 * the lane) or refused.
 */
final class ReadyQueues {

    /** The head of {@link #inbox} once the scheduler closed: offers fail. */
    static final Request CLOSED = new NopRequest(null, 0, null);

    /** {@link #nready}: written under the lock with release stores, read as a volatile. */
    private static final VarHandle NREADY;

    /** {@link #uringReady}: written under the lock, read opaquely by a looking ring thread ({@link #uringReadyHint}). */
    private static final VarHandle URING_READY;

    static {
        try {
            NREADY = MethodHandles.lookup().findVarHandle(ReadyQueues.class, "nready", int.class);
            URING_READY = MethodHandles.lookup().findVarHandle(ReadyQueues.class, "uringReady", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Requests for the workers submitted and not yet in their lane, newest first, linked through
     * {@link Request#next}; {@code null} when empty, {@link #CLOSED} after close. Pushed without a
     * lock, taken only under {@link #lock}. Its mask names the priorities pushed since the last
     * drain, so that a worker whose lane has a request at least as high takes it without looking
     * at the head, which the submitting thread writes on every request.
     */
    private final PaddedHead inbox = new PaddedHead();

    /** {@code reqLock}: the ready side of the scheduler (see the class comment and the package's lock table). */
    final ReentrantLock lock = new ReentrantLock();

    /** The ready queues of requests for the workers. */
    final Lane pool = new Lane();

    /** The ready queues of requests for the io_uring lane. */
    final Lane uring = new Lane();

    /** Requests READY in both lanes. */
    private volatile int nready;

    /** READY requests in the io_uring lane (included in {@link #nready}). */
    private int uringReady;

    /**
     * Requests READY or SUBMITTED (read without the lock for monitoring: while the inbox is being
     * drained, its requests may be missed for a moment).
     */
    int nready() {
        Request h = inbox.get();
        return nready + (h == null ? 0 : h.errno);
    }

    /**
     * Pushes {@code r} (HELD, for the workers) onto the inbox, SUBMITTED; no lock. Returns the
     * inbox's depth with it, or 0, the request left HELD, once the scheduler closed.
     */
    int offer(Request r) {
        r.setState(Request.SUBMITTED);
        final PaddedHead inbox = this.inbox;
        for (;;) {
            Request h = inbox.get();
            if (h == CLOSED) {
                r.next = null;
                r.errno = 0;
                r.state = Request.HELD;
                return 0;
            }
            int depth = h == null ? 1 : h.errno + 1;
            r.next = h;
            r.errno = depth;
            if (inbox.compareAndSet(h, r)) {
                inbox.mark(1 << r.pri - Scheduler.PRI_MIN);
                return depth;
            }
        }
    }

    /** Whether the inbox holds a request (no lock: a worker's last look before it waits). */
    boolean hasInbox() {
        Request h = inbox.get();
        return h != null && h != CLOSED;
    }

    /** Moves the inbox into the workers' lane, oldest first, READY; lock held. */
    void drainInbox() {
        Request h = inbox.get();
        if (h != null && h != CLOSED) {
            inbox.clearMask();
            enqueueChain(inbox.getAndSet(null));
        }
    }

    /**
     * Drains the inbox when it may hold what a worker must take before the head of the lane: when
     * the lane is empty, or the inbox's mask names a priority above the lane's highest (FIFO within
     * a priority: what the inbox holds at the lane's own priority comes after it); lock held.
     */
    private void drainIfAhead() {
        int lane = pool.mask;
        int pushed = inbox.mask();
        if (lane == 0 ? pushed != 0 || hasInbox() : Integer.highestOneBit(pushed) > Integer.highestOneBit(lane)) {
            drainInbox();
        }
    }

    /** Refuses every later offer and moves what the inbox holds into the workers' lane; lock held, at close. */
    void closeInbox() {
        inbox.clearMask();
        Request h = inbox.getAndSet(CLOSED);
        if (h != CLOSED) {
            enqueueChain(h);
        }
    }

    /** Queues a chain taken from the inbox (newest first) in the workers' lane, oldest first; lock held. */
    private void enqueueChain(Request h) {
        Request fifo = null;
        while (h != null) {
            Request n = h.next;
            h.next = fifo;
            fifo = h;
            h = n;
        }
        int n = 0;
        while (fifo != null) {
            Request next = fifo.next;
            fifo.next = null;
            fifo.errno = 0;
            fifo.setState(Request.READY);
            pool.push(fifo);
            n++;
            fifo = next;
        }
        NREADY.setRelease(this, nready + n);
    }

    /** READY requests for the workers, the inbox drained first; lock held. */
    int poolReady() {
        drainInbox();
        return nready - uringReady;
    }

    /** The first request of the workers' highest non-empty queue, the inbox drained first if it may hold a higher one, or {@code null}; lock held. */
    Request peekPool() {
        drainIfAhead();
        return pool.peek();
    }

    /** Whether the workers' lane and the inbox are empty (the inbox drained into the lane if the lane was); lock held. */
    boolean poolEmpty() {
        drainIfAhead();
        return pool.isEmpty();
    }

    /** READY requests in the io_uring lane; lock held. */
    int uringReady() {
        return uringReady;
    }

    /**
     * {@link #uringReady} without the lock, for a ring thread looking for work before it parks:
     * a hint (it may lag a push under the lock by a moment); the take under the lock decides.
     */
    int uringReadyHint() {
        return (int) URING_READY.getOpaque(this);
    }

    /** Queues {@code r} for the workers, marked READY; lock held. */
    void pushPool(Request r) {
        r.setState(Request.READY);
        pool.push(r);
        NREADY.setRelease(this, nready + 1);
    }

    /** Queues {@code r} in the io_uring lane, marked READY; lock held. */
    void pushUring(Request r) {
        r.setState(Request.READY);
        uring.push(r);
        NREADY.setRelease(this, nready + 1);
        uringReady++;
    }

    /** Puts a taken request for the workers back at the head of its queue, READY; lock held. */
    void pushPoolFront(Request r) {
        r.setState(Request.READY);
        pool.pushFront(r);
        NREADY.setRelease(this, nready + 1);
    }

    /**
     * Whether a request above priority index {@code q} waits for the workers, in their lane or
     * the inbox; no lock: a hint (a worker's look between the requests of a batch it took).
     */
    boolean higherThan(int q) {
        int m = (int) Lane.MASK.getOpaque(pool) | inbox.mask();
        return Integer.highestOneBit(m) > 1 << q;
    }

    /** Puts a taken io_uring request back at the head of its queue, READY; lock held. */
    void pushUringFront(Request r) {
        r.setState(Request.READY);
        uring.pushFront(r);
        uringReady++;
        NREADY.setRelease(this, nready + 1);
    }

    /**
     * Takes the first request of the workers' highest non-empty queue (still marked READY), the
     * inbox drained first if it may hold a higher one, or {@code null}; lock held.
     */
    Request shiftPool() {
        drainIfAhead();
        Request r = pool.shift();
        if (r != null) {
            NREADY.setRelease(this, nready - 1);
        }
        return r;
    }

    /** Takes the first request of the io_uring lane's highest non-empty queue, or {@code null}; lock held. */
    Request shiftUring() {
        Request r = uring.shift();
        if (r != null) {
            uringReady--;
            NREADY.setRelease(this, nready - 1);
        }
        return r;
    }

    /** Unlinks a READY request from its lane (its state is the caller's to change; drain the inbox first to find SUBMITTED ones READY); lock held. */
    void unlink(Request r) {
        if (r.ring) {
            uring.unlink(r);
            uringReady--;
        } else {
            pool.unlink(r);
        }
        NREADY.setRelease(this, nready - 1);
    }

    /**
     * The io_uring lane failed for good: {@code untaken} (taken from it, not executed) and
     * everything in it move to the workers' lane, as workers' requests; lock held.
     */
    void moveUringToPool(Iterable<Request> untaken) {
        for (Request r : untaken) {
            r.ring = false;
            pushPool(r);
        }
        Request r;
        while ((r = uring.shift()) != null) {
            r.ring = false;
            pool.push(r);
        }
        uringReady = 0;
    }

    /** How long the oldest READY request has waited, or -1 when none waits; lock held, times recorded. */
    long oldestAgeNanos(long now) {
        drainInbox();
        long oldest = -1;
        for (int q = 0; q < Scheduler.NPRI; q++) {
            for (Request h : new Request[] {pool.heads[q], uring.heads[q]}) {
                if (h != null) {
                    oldest = Math.max(oldest, now - h.status);
                }
            }
        }
        return oldest;
    }

    /** READY requests at each priority, both lanes, index 0 = priority -4; lock held. */
    int[] byPriority() {
        drainInbox();
        int[] out = new int[Scheduler.NPRI];
        for (int q = 0; q < Scheduler.NPRI; q++) {
            for (Request r = pool.heads[q]; r != null; r = r.next) {
                out[q]++;
            }
            for (Request r = uring.heads[q]; r != null; r = r.next) {
                out[q]++;
            }
        }
        return out;
    }

    /**
     * Checks both lanes (lock held), adding their requests to {@code seen}: every request READY, in
     * the queue of its priority and lane, linked both ways, in no other queue; each queue's tail and
     * mask bit agree with it; {@code nready} and {@code uringReady} count them; neither is negative.
     * Then the inbox as it is now (offers may prepend to it, but under the lock nothing takes from
     * it, so the chain below the head read here stays put), adding its requests to {@code
     * submitted}: each SUBMITTED, for the workers, in no lane and once, its depth one more than the
     * request below it; {@link #CLOSED} heads it exactly when {@code closed}.
     *
     * @param submitted receives the inbox's requests
     * @param closed whether the scheduler closed
     */
    void checkInvariants(Set<Request> seen, Set<Request> submitted, boolean closed) {
        Scheduler.check(nready >= 0 && uringReady >= 0, "negative counter: nready=" + nready + " uringReady=" + uringReady);
        int inPool = walk(pool, false, seen);
        int inUring = walk(uring, true, seen);
        Scheduler.check(inPool + inUring == nready, "nready " + nready + " but the lanes hold " + inPool + " + " + inUring);
        Scheduler.check(inUring == uringReady, "uringReady " + uringReady + " but the io_uring lane holds " + inUring);
        Request h = inbox.get();
        Scheduler.check((h == CLOSED) == closed, "the inbox is " + (h == CLOSED ? "" : "not ") + "closed but the scheduler is "
                + (closed ? "" : "not ") + "closed");
        if (h == CLOSED) {
            return;
        }
        int depth = h == null ? 0 : h.errno;
        int n = 0;
        for (Request r = h; r != null; r = r.next) {
            Scheduler.check(n++ < depth, "the inbox holds more requests than its head's depth " + depth + " (a cycle?)");
            Scheduler.check(!seen.contains(r), r + " is both in the inbox and in a lane");
            Scheduler.check(submitted.add(r), r + " is twice in the inbox");
            Scheduler.check(r.state == Request.SUBMITTED, r + " is in the inbox but not SUBMITTED");
            Scheduler.check(!r.ring, r + " is in the inbox but routed to the io_uring lane");
            Scheduler.check(r.errno == (r.next == null ? 1 : r.next.errno + 1), r + " has depth " + r.errno + " in the inbox, "
                    + "the request below it " + (r.next == null ? "none" : Integer.toString(r.next.errno)));
        }
        Scheduler.check(n == depth, "the inbox's head has depth " + depth + " but the inbox holds " + n);
    }

    /** Walks one lane, adding its requests to {@code seen}; returns how many. */
    private int walk(Lane lane, boolean uringSide, Set<Request> seen) {
        int total = 0;
        String name = uringSide ? "io_uring lane" : "worker lane";
        for (int q = 0; q < Scheduler.NPRI; q++) {
            Request head = lane.heads[q];
            Scheduler.check((head != null) == ((lane.mask & (1 << q)) != 0), name + " queue " + (q + Scheduler.PRI_MIN)
                    + ": mask bit disagrees with its head");
            Scheduler.check(head == null || head.prev == null, name + " queue " + (q + Scheduler.PRI_MIN) + ": head has a back link");
            Request last = null;
            for (Request r = head; r != null; r = r.next) {
                Scheduler.check(seen.add(r), r + " is linked twice (or in two queues) in the " + name);
                Scheduler.check(r.state == Request.READY, r + " is in the " + name + " but not READY");
                Scheduler.check(r.pri - Scheduler.PRI_MIN == q, r + " is in the " + name + " queue of priority " + (q + Scheduler.PRI_MIN));
                Scheduler.check(r.ring == uringSide, r + " ring=" + r.ring + " is in the " + name);
                Scheduler.check(r.prev == last, r + " has a wrong back link in the " + name);
                Scheduler.check(total++ <= nready + 1, name + " holds more requests than nready " + nready + " (a cycle?)");
                last = r;
            }
            Scheduler.check(lane.tails[q] == last, name + " queue " + (q + Scheduler.PRI_MIN) + ": tail is not the last request");
        }
        return total;
    }

    /**
     * Nine FIFO queues, one per priority, of READY requests linked through {@link Request#next}
     * and {@link Request#prev}; guarded by {@code reqLock}.
     */
    static final class Lane {
        /** {@link #mask}, for reads without the lock ({@link #higherThan}). */
        static final VarHandle MASK;

        static {
            try {
                MASK = MethodHandles.lookup().findVarHandle(Lane.class, "mask", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Heads, index = priority - PRI_MIN. */
        final Request[] heads = new Request[Scheduler.NPRI];
        /** Tails. */
        final Request[] tails = new Request[Scheduler.NPRI];
        /** Bit i set when queue i is not empty. */
        int mask;

        /** Whether every queue is empty. */
        boolean isEmpty() {
            return mask == 0;
        }

        /** Puts {@code r} back at the head of its queue (it was taken and not executed). */
        void pushFront(Request r) {
            int q = r.pri - Scheduler.PRI_MIN;
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
            int q = r.pri - Scheduler.PRI_MIN;
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
            int q = r.pri - Scheduler.PRI_MIN;
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
}
