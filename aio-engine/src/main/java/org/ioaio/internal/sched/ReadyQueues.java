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
 * the same lock. {@link #nready} is volatile for monitoring reads without it.
 */
final class ReadyQueues {

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

    /** Requests READY (read without the lock for monitoring). */
    int nready() {
        return nready;
    }

    /** READY requests for the workers; lock held. */
    int poolReady() {
        return nready - uringReady;
    }

    /** READY requests in the io_uring lane; lock held. */
    int uringReady() {
        return uringReady;
    }

    /** Queues {@code r} for the workers, marked READY; lock held. */
    void pushPool(Request r) {
        r.state = Request.READY;
        pool.push(r);
        nready = nready + 1;
    }

    /** Queues {@code r} in the io_uring lane, marked READY; lock held. */
    void pushUring(Request r) {
        r.state = Request.READY;
        uring.push(r);
        nready = nready + 1;
        uringReady++;
    }

    /** Puts a taken io_uring request back at the head of its queue, READY; lock held. */
    void pushUringFront(Request r) {
        r.state = Request.READY;
        uring.pushFront(r);
        uringReady++;
        nready = nready + 1;
    }

    /** Takes the first request of the workers' highest non-empty queue (still marked READY), or {@code null}; lock held. */
    Request shiftPool() {
        Request r = pool.shift();
        if (r != null) {
            nready = nready - 1;
        }
        return r;
    }

    /** Takes the first request of the io_uring lane's highest non-empty queue, or {@code null}; lock held. */
    Request shiftUring() {
        Request r = uring.shift();
        if (r != null) {
            uringReady--;
            nready = nready - 1;
        }
        return r;
    }

    /** Unlinks a READY request from its lane (its state is the caller's to change); lock held. */
    void unlink(Request r) {
        if (r.ring) {
            uring.unlink(r);
            uringReady--;
        } else {
            pool.unlink(r);
        }
        nready = nready - 1;
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
     */
    void checkInvariants(Set<Request> seen) {
        Scheduler.check(nready >= 0 && uringReady >= 0, "negative counter: nready=" + nready + " uringReady=" + uringReady);
        int inPool = walk(pool, false, seen);
        int inUring = walk(uring, true, seen);
        Scheduler.check(inPool + inUring == nready, "nready " + nready + " but the lanes hold " + inPool + " + " + inUring);
        Scheduler.check(inUring == uringReady, "uringReady " + uringReady + " but the io_uring lane holds " + inUring);
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
