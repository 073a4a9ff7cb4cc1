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

package org.ioaio.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.internal.sys.SyscallException;

/**
 * For the tests' io_uring syscall layer ({@link UringSyscalls}): an io_uring instance, one
 * submission and one completion ring shared by every thread that submits, built on main's {@link
 * Uring} interface. The engine's own lane ({@link UringLane}) submits without waiting workers.
 *
 * <p><b>Model.</b> A thread {@linkplain #submit submits} one operation and waits for its
 * completion; a reaper thread waits in {@code io_uring_enter(GETEVENTS)}, takes every completion
 * off the ring and wakes the thread it belongs to.
 *
 * <p><b>Memory safety.</b> A submitting thread never returns before its completion arrived, even
 * when interrupted (the interrupt is kept for afterwards), so a buffer or path segment it passed,
 * which is its own scratch memory or a buffer it holds, is never reused or freed while the kernel
 * may still use it. At most {@link #slots} operations are in flight, never more than the completion
 * ring holds, so no completion is ever dropped.
 *
 * <p><b>Failure.</b> If {@code io_uring_enter} fails to take a submission with an error other than
 * EINTR, EAGAIN or EBUSY (all retried), the ring is marked broken and the operation fails with that
 * errno: an entry left in the submission ring is then never submitted (nobody enters with entries
 * to submit any more), so its memory cannot be touched later. Callers fall back to plain syscalls
 * once {@link #broken()}.
 */
final class UringWaitingRing implements AutoCloseable {

    /** The user data of the NOP that stops the reaper. */
    private static final long STOP = -1;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private final int fd;
    private final MemorySegment rings;
    private final MemorySegment sqes;
    private final long sqHead;
    private final long sqTail;
    private final int sqMask;
    private final long sqArray;
    private final long cqHead;
    private final long cqTail;
    private final int cqMask;
    private final long cqes;
    /** How many operations may be in flight: the completion ring's size, or less. */
    private final int slots;
    /** Free slot numbers; a slot's number is the user data of its operation. */
    private final ArrayBlockingQueue<Integer> free;
    /** The waiting operation of each slot in flight. */
    private final AtomicReferenceArray<Completion> inflight;
    /** Guards the submission ring's tail and {@link #broken}. */
    private final ReentrantLock submitLock = new ReentrantLock();
    /** The next submission index (guarded by {@link #submitLock}). */
    private int tail;
    /** Set when io_uring_enter refused a submission for good, or on close (guarded by {@link #submitLock}, read racily). */
    private volatile boolean broken;
    /** Set by {@link #close()} (guarded by {@link #submitLock}). */
    private boolean closed;
    /** Set when an entry was left unsubmitted: entering to submit anything would submit it (guarded by {@link #submitLock}). */
    private boolean failed;
    private final Thread reaper;
    /** errno capture for the submitters' enter calls (under {@link #submitLock}). */
    private final MemorySegment submitCapture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);

    private UringWaitingRing(int fd, MemorySegment params, MemorySegment rings, MemorySegment sqes) {
        this.fd = fd;
        this.rings = rings;
        this.sqes = sqes;
        int sqEntries = params.get(JAVA_INT, 0);
        int cqEntries = params.get(JAVA_INT, 4);
        this.sqHead = params.get(JAVA_INT, 40);
        this.sqTail = params.get(JAVA_INT, 44);
        this.sqMask = rings.get(JAVA_INT, params.get(JAVA_INT, 48));
        this.sqArray = params.get(JAVA_INT, 64);
        this.cqHead = params.get(JAVA_INT, 80);
        this.cqTail = params.get(JAVA_INT, 84);
        this.cqMask = rings.get(JAVA_INT, params.get(JAVA_INT, 88));
        this.cqes = params.get(JAVA_INT, 100);
        this.slots = Math.min(sqEntries, cqEntries);
        this.free = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) {
            free.add(i);
        }
        this.inflight = new AtomicReferenceArray<>(slots);
        this.tail = (int) INT.getAcquire(rings, sqTail);
        this.reaper = new Thread(this::reap, "ioaio-uring-" + fd);
        reaper.setDaemon(true);
        reaper.start();
    }

    /**
     * Sets up a ring with {@code entries} submission entries (a power of two; the kernel rounds up).
     *
     * @param entries the submission ring's size
     * @return the ring, its reaper thread started
     * @throws SyscallException the errno of io_uring_setup (ENOSYS: no io_uring; EPERM: disabled by
     *     {@code kernel.io_uring_disabled} or a seccomp filter; ENOMEM) or of mmap
     */
    static UringWaitingRing open(int entries) throws SyscallException {
        Uring.Mapping m = Uring.setup(entries);
        try {
            return new UringWaitingRing(m.fd(), m.params(), m.rings(), m.sqes());
        } catch (RuntimeException | Error e) {
            m.release();
            throw e;
        }
    }

    /** Whether submissions must fall back to plain syscalls. */
    boolean broken() {
        return broken;
    }

    /**
     * Submits one operation and waits for its completion, uninterruptibly (see the class comment).
     *
     * @param opcode the {@code IORING_OP_*}
     * @param fd the descriptor (or dirfd)
     * @param off the offset, or for statx the result buffer's address
     * @param addr the buffer or path address
     * @param len the length, or for statx the mask
     * @param opFlags the operation's flags ({@code rw_flags}, {@code fsync_flags}, {@code statx_flags})
     * @return the completion's result: 0 or more, or minus an errno
     * @throws SyscallException if the ring could not take the submission (it is then {@link #broken()}):
     *     the operation was not performed, so the caller can make the plain syscall instead
     */
    int submit(byte opcode, int fd, long off, long addr, int len, int opFlags) throws SyscallException {
        int slot = takeSlot();
        Completion c = new Completion(Thread.currentThread());
        inflight.set(slot, c);
        submitLock.lock();
        try {
            if (broken) {
                inflight.set(slot, null);
                free.add(slot);
                throw new SyscallException(Uring.EAGAIN);
            }
            MemorySegment sqe = sqes.asSlice((long) (tail & sqMask) * Uring.SQE_SIZE, Uring.SQE_SIZE);
            sqe.fill((byte) 0);
            sqe.set(JAVA_BYTE, 0, opcode);
            sqe.set(JAVA_INT, 4, fd);
            sqe.set(JAVA_LONG, 8, off);
            sqe.set(JAVA_LONG, 16, addr);
            sqe.set(JAVA_INT, 24, len);
            sqe.set(JAVA_INT, 28, opFlags);
            sqe.set(JAVA_LONG, 32, slot);
            rings.set(JAVA_INT, sqArray + 4L * (tail & sqMask), tail & sqMask);
            tail++;
            INT.setRelease(rings, sqTail, tail); // the kernel sees the entry before the new tail
            try {
                enterSubmitting();
            } catch (SyscallException e) {
                inflight.set(slot, null); // never submitted, never completed
                free.add(slot);
                throw e;
            }
        } finally {
            submitLock.unlock();
        }
        return c.await();
    }

    /** Hands the submission to the kernel, retrying transient refusals; marks the ring broken otherwise. */
    private void enterSubmitting() throws SyscallException {
        for (;;) {
            long r;
            try {
                r = (long) Uring.ENTER.invokeExact(submitCapture, Uring.SYS_IO_URING_ENTER, (long) fd, 1L, 0L, 0L, MemorySegment.NULL, 0L);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            if (r >= 1) {
                return;
            }
            int errno = r < 0 ? Libc.errno(submitCapture) : Uring.EAGAIN;
            if (errno == Uring.EINTR || errno == Uring.EAGAIN || errno == Uring.EBUSY) {
                Thread.onSpinWait(); // completions are being reaped; space frees up
                continue;
            }
            broken = true; // the entry stays unsubmitted for good: see the class comment
            failed = true;
            throw new SyscallException(errno);
        }
    }

    private int takeSlot() {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return free.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The reaper: waits for completions and hands each to its waiting thread. */
    private void reap() {
        MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        for (;;) {
            long r;
            try {
                r = (long) Uring.ENTER.invokeExact(capture, Uring.SYS_IO_URING_ENTER, (long) fd, 0L, 1L, (long) Uring.ENTER_GETEVENTS,
                        MemorySegment.NULL, 0L);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            if (r < 0 && Libc.errno(capture) != Uring.EINTR && Libc.errno(capture) != Uring.EAGAIN && Libc.errno(capture) != Uring.EBUSY) {
                // Cannot happen while the descriptor is open; releasing the waiters would let them
                // reuse memory the kernel may still write, so they are left waiting: a hang, not corruption.
                broken = true;
                return;
            }
            int head = (int) INT.get(rings, cqHead); // only this thread moves it
            int last = (int) INT.getAcquire(rings, cqTail); // entries up to it are written
            boolean stop = false;
            for (; head != last; head++) {
                long at = cqes + (long) (head & cqMask) * Uring.CQE_SIZE;
                long user = rings.get(JAVA_LONG, at);
                int res = rings.get(JAVA_INT, at + 8);
                if (user == STOP) {
                    stop = true;
                    continue;
                }
                int slot = (int) user;
                Completion c = inflight.getAndSet(slot, null);
                free.add(slot);
                if (c != null) {
                    c.complete(res);
                }
            }
            INT.setRelease(rings, cqHead, head); // the kernel may reuse the entries
            if (stop) {
                return;
            }
        }
    }

    /**
     * Refuses further submissions, waits for everything in flight, stops the reaper and releases the
     * ring (its memory and descriptor). A ring that {@linkplain #broken() failed}, or whose stop
     * cannot be submitted, is left mapped with its reaper waiting: a leak, never a use after unmap.
     *
     * @throws SyscallException if the stop could not be submitted
     */
    @Override
    public void close() throws SyscallException {
        submitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            broken = true; // nothing more is submitted
            if (failed) {
                return; // a stop would submit the stale entry first: leave the ring be (see above)
            }
        } finally {
            submitLock.unlock();
        }
        while (free.size() < slots) {
            LockSupport.parkNanos(100_000); // the reaper completes what is in flight
        }
        submitLock.lock();
        try {
            MemorySegment sqe = sqes.asSlice((long) (tail & sqMask) * Uring.SQE_SIZE, Uring.SQE_SIZE);
            sqe.fill((byte) 0);
            sqe.set(JAVA_BYTE, 0, Uring.OP_NOP);
            sqe.set(JAVA_LONG, 32, STOP);
            rings.set(JAVA_INT, sqArray + 4L * (tail & sqMask), tail & sqMask);
            tail++;
            INT.setRelease(rings, sqTail, tail);
            enterSubmitting();
        } finally {
            submitLock.unlock();
        }
        boolean interrupted = false;
        while (reaper.isAlive()) {
            try {
                reaper.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Uring.unmap(sqes);
        Uring.unmap(rings);
        Uring.closeFd(fd);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One submitted operation's completion, awaited by the thread that submitted it. */
    private static final class Completion {
        private final Thread waiter;
        private int res;
        private volatile boolean done;

        Completion(Thread waiter) {
            this.waiter = waiter;
        }

        void complete(int result) {
            res = result;
            done = true; // publishes res
            LockSupport.unpark(waiter);
        }

        int await() {
            boolean interrupted = false;
            while (!done) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // never leave before the kernel is done with the memory
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return res;
        }
    }
}
