package org.ioaio.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.ioaio.internal.sys.SyscallException;

/**
 * An io_uring instance: one submission and one completion ring shared by every thread that submits.
 *
 * <p><b>Model (first step).</b> A thread {@linkplain #submit submits} one operation and waits for
 * its completion; a reaper thread waits in {@code io_uring_enter(GETEVENTS)}, takes every completion
 * off the ring and wakes the thread it belongs to. So the calls still take a worker each, as on the
 * plain native layer; what this proves is the ring itself (encoding, memory ordering, buffer
 * lifetime, fallback), on which submitting without a waiting worker can be built in the Scheduler.
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
 *
 * <p><b>Layouts</b> (checked with {@code offsetof} by gcc against {@code <linux/io_uring.h>}):
 * {@code io_uring_params} 120 bytes, {@code sq_off}@40 and {@code cq_off}@80, each ten u32 then a u64;
 * an SQE is 64 bytes: opcode@0 u8, flags@1 u8, ioprio@2 u16, fd@4 s32, off/addr2@8 u64, addr@16 u64,
 * len@24 u32, op_flags@28 u32, user_data@32 u64, buf_index@40, personality@42, splice_fd_in@44,
 * addr3@48; a CQE 16 bytes: user_data@0 u64, res@8 s32, flags@12 u32.
 */
final class Uring implements AutoCloseable {

    static final byte OP_NOP = 0;
    static final byte OP_FSYNC = 3;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_FALLOCATE = 17;
    static final byte OP_OPENAT = 18;
    static final byte OP_CLOSE = 19;
    static final byte OP_STATX = 21;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;
    static final byte OP_FADVISE = 24;
    static final byte OP_RENAMEAT = 35;
    static final byte OP_UNLINKAT = 36;
    static final byte OP_MKDIRAT = 37;
    static final byte OP_SYMLINKAT = 38;
    static final byte OP_LINKAT = 39;
    /** {@code IORING_FSYNC_DATASYNC}: fdatasync instead of fsync. */
    static final int FSYNC_DATASYNC = 1;
    /** {@code IOSQE_ASYNC} (SQE flags@1): issue from the kernel's worker threads, never inline and non-blocking first. */
    static final byte SQE_ASYNC = 0x10;
    /** {@code IORING_REGISTER_PROBE}: which opcodes the kernel supports. */
    private static final long REGISTER_PROBE = 8;
    /** {@code io_uring_probe}'s size with room for 256 {@code io_uring_probe_op}s of 8 bytes (op@0 u8, flags@2 u16). */
    private static final int PROBE_OPS = 256;
    /** {@code IO_URING_OP_SUPPORTED} in {@code io_uring_probe_op.flags}. */
    private static final int OP_SUPPORTED = 1;

    private static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;
    static final int ENTER_GETEVENTS = 1;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_SQES = 0x1000_0000L;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    static final int SQE_SIZE = 64;
    static final int CQE_SIZE = 16;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    /** The user data of the NOP that stops the reaper. */
    private static final long STOP = -1;

    private static final VarHandle INT = JAVA_INT.varHandle();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SETUP = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
    static final MethodHandle ENTER = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle REGISTER = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            ADDRESS, JAVA_LONG));
    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

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

    private Uring(int fd, MemorySegment params, MemorySegment rings, MemorySegment sqes) {
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
    static Uring open(int entries) throws SyscallException {
        Mapping m = setup(entries);
        try {
            return new Uring(m.fd(), m.params(), m.rings(), m.sqes());
        } catch (RuntimeException | Error e) {
            m.release();
            throw e;
        }
    }

    /**
     * A ring's descriptor, its {@code io_uring_params} as the kernel filled them, and its two
     * mappings: the rings (submission and completion, one mapping) and the submission entries.
     *
     * @param fd the ring's descriptor
     * @param params the parameters (120 bytes)
     * @param rings the rings' mapping
     * @param sqes the submission entries' mapping
     */
    record Mapping(int fd, MemorySegment params, MemorySegment rings, MemorySegment sqes) {
        /** Unmaps both mappings and closes the descriptor. */
        void release() {
            unmap(sqes);
            unmap(rings);
            closeFd(fd);
        }
    }

    /**
     * {@code io_uring_setup} with {@code entries} submission entries, and both mappings.
     *
     * @param entries the submission ring's size (the kernel rounds up to a power of two)
     * @return the mapped ring
     * @throws SyscallException the errno of io_uring_setup or mmap; ENOSYS before Linux 5.4
     */
    static Mapping setup(int entries) throws SyscallException {
        Arena arena = Arena.ofAuto();
        MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment params = arena.allocate(120, 8);
        long r;
        try {
            r = (long) SETUP.invokeExact(capture, SYS_IO_URING_SETUP, (long) entries, params);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        if (r < 0) {
            throw new SyscallException(Libc.errno(capture));
        }
        int fd = (int) r;
        try {
            if ((params.get(JAVA_INT, 20) & FEAT_SINGLE_MMAP) == 0) {
                throw new SyscallException(38); // ENOSYS: kernels before 5.4 are not supported
            }
            long sqSize = params.get(JAVA_INT, 64) + 4L * params.get(JAVA_INT, 0);
            long cqSize = params.get(JAVA_INT, 100) + (long) CQE_SIZE * params.get(JAVA_INT, 4);
            MemorySegment rings = map(capture, fd, Math.max(sqSize, cqSize), OFF_SQ_RING);
            MemorySegment sqes;
            try {
                sqes = map(capture, fd, (long) SQE_SIZE * params.get(JAVA_INT, 0), OFF_SQES);
            } catch (SyscallException e) {
                unmap(rings);
                throw e;
            }
            return new Mapping(fd, params, rings, sqes);
        } catch (SyscallException | RuntimeException | Error e) {
            closeFd(fd);
            throw e;
        }
    }

    /**
     * Which opcodes the ring's kernel supports ({@code IORING_REGISTER_PROBE}, Linux 5.6+): {@code
     * io_uring_probe} is 16 bytes (last_op@0 u8, ops_len@1 u8), then {@code ops_len} entries of 8
     * bytes (op@0 u8, flags@2 u16), checked with {@code offsetof} by gcc.
     *
     * @param ringFd the ring
     * @return indexed by opcode; {@code null} when the kernel cannot tell (before 5.6)
     */
    static boolean[] probe(int ringFd) {
        Arena arena = Arena.ofAuto();
        MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment probe = arena.allocate(16 + 8L * PROBE_OPS, 8);
        long r;
        try {
            r = (long) REGISTER.invokeExact(capture, SYS_IO_URING_REGISTER, (long) ringFd, REGISTER_PROBE, probe, (long) PROBE_OPS);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        if (r < 0) {
            return null;
        }
        boolean[] supported = new boolean[PROBE_OPS];
        int n = Math.min(Byte.toUnsignedInt(probe.get(JAVA_BYTE, 1)), PROBE_OPS);
        for (int i = 0; i < n; i++) {
            long at = 16 + 8L * i;
            if ((probe.get(ValueLayout.JAVA_SHORT, at + 2) & OP_SUPPORTED) != 0) {
                supported[Byte.toUnsignedInt(probe.get(JAVA_BYTE, at))] = true;
            }
        }
        return supported;
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
                throw new SyscallException(EAGAIN);
            }
            MemorySegment sqe = sqes.asSlice((long) (tail & sqMask) * SQE_SIZE, SQE_SIZE);
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
                r = (long) ENTER.invokeExact(submitCapture, SYS_IO_URING_ENTER, (long) fd, 1L, 0L, 0L, MemorySegment.NULL, 0L);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            if (r >= 1) {
                return;
            }
            int errno = r < 0 ? Libc.errno(submitCapture) : EAGAIN;
            if (errno == EINTR || errno == EAGAIN || errno == EBUSY) {
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
                r = (long) ENTER.invokeExact(capture, SYS_IO_URING_ENTER, (long) fd, 0L, 1L, (long) ENTER_GETEVENTS,
                        MemorySegment.NULL, 0L);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            if (r < 0 && Libc.errno(capture) != EINTR && Libc.errno(capture) != EAGAIN && Libc.errno(capture) != EBUSY) {
                // Cannot happen while the descriptor is open; releasing the waiters would let them
                // reuse memory the kernel may still write, so they are left waiting: a hang, not corruption.
                broken = true;
                return;
            }
            int head = (int) INT.get(rings, cqHead); // only this thread moves it
            int last = (int) INT.getAcquire(rings, cqTail); // entries up to it are written
            boolean stop = false;
            for (; head != last; head++) {
                long at = cqes + (long) (head & cqMask) * CQE_SIZE;
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
            MemorySegment sqe = sqes.asSlice((long) (tail & sqMask) * SQE_SIZE, SQE_SIZE);
            sqe.fill((byte) 0);
            sqe.set(JAVA_BYTE, 0, OP_NOP);
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
        unmap(sqes);
        unmap(rings);
        closeFd(fd);
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

    // ---- plumbing

    @SuppressWarnings("restricted")
    private static MemorySegment map(MemorySegment capture, int fd, long size, long offset) throws SyscallException {
        MemorySegment m;
        try {
            m = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, size, PROT_READ_WRITE, MAP_SHARED_POPULATE,
                    fd, offset);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        if (m.address() == -1L) {
            throw new SyscallException(Libc.errno(capture));
        }
        return m.reinterpret(size);
    }

    static void unmap(MemorySegment m) {
        MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        try {
            int r = (int) MUNMAP.invokeExact(capture, m, m.byteSize());
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
    }

    static void closeFd(int fd) {
        MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        try {
            int r = (int) Libc.CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle syscall(FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
                descriptor, Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    @SuppressWarnings("restricted")
    static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                descriptor, Linker.Option.captureCallState("errno"));
    }
}
