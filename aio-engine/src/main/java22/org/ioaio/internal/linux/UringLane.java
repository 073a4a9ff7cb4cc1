package org.ioaio.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.ioaio.internal.IoCall;
import org.ioaio.internal.Request;
import org.ioaio.internal.RingBackend;
import org.ioaio.internal.StatCall;
import org.ioaio.internal.SyncCall;
import org.ioaio.internal.SysRequest;
import org.ioaio.internal.sys.SyscallException;

/**
 * The scheduler's io_uring lane: positional reads and writes, fsync and fdatasync of files the
 * native layer opened, encoded as submission entries by the scheduler's one ring thread and
 * submitted in batches (see {@link RingBackend}, whose methods all run on that thread except
 * {@link #wake()}).
 *
 * <p><b>Sizes.</b> {@code depth} operations in flight at most; the submission ring has {@code
 * 2 * depth + 2} entries or more, so one round's operations, a cancel for each of them and the
 * wake-up read always fit, and the completion ring twice that (the kernel's default), so no
 * completion is dropped.
 *
 * <p><b>Waking.</b> Before blocking in {@code io_uring_enter} for completions, the thread keeps a
 * read of an eventfd in flight; {@link #wake()} writes the eventfd, which completes that read and
 * ends the wait.
 *
 * <p><b>Memory.</b> A slot keeps what its operation uses until {@link #complete} or {@link
 * #abandon}: the file's descriptor pinned ({@link LinuxFileHandle#acquire()}, so a concurrent close
 * defers {@code close(2)}), the caller's buffer (a direct buffer is read or written in place; a
 * heap buffer of at most {@value #BOUNCE_MAX} bytes through the slot's own native bounce buffer).
 * {@link #close()} first completes the pending wake-up read, then unmaps the ring.
 */
public final class UringLane implements RingBackend {

    /** The largest heap buffer a slot copies through its bounce buffer; larger ones run on the workers. */
    static final int BOUNCE_MAX = 64 * 1024;

    /** User data of the eventfd read. */
    private static final long WAKE = -1;
    /** User data of a cancel entry. */
    private static final long CANCEL = -2;

    private static final int EFD_CLOEXEC = 0x80000;
    private static final int ENTER_SUBMIT_RETRIES = 10_000;
    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final MethodHandle EVENTFD = Uring.libc("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PREADV2 = Uring.libc("preadv2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code RWF_NOWAIT}: fail with EAGAIN rather than wait for the device. */
    private static final int RWF_NOWAIT = 0x08;

    /** Per calling thread: an iovec, errno capture and a bounce buffer for heap reads. */
    private static final ThreadLocal<Inline> INLINE = ThreadLocal.withInitial(Inline::new);

    /** One thread's memory for {@link #tryNow}. */
    private static final class Inline {
        final Arena arena = Arena.ofAuto();
        final MemorySegment iov = arena.allocate(16, 8);
        final MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment bounce = arena.allocate(4096, 4096);
    }

    private final Uring.Mapping ring;
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
    private final int depth;
    private final int eventFd;
    /** The eventfd read's 8 bytes. */
    private final MemorySegment wakeBuffer = Arena.ofAuto().allocate(8, 8);
    private final MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
    private final MemorySegment wakeCapture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
    private final MemorySegment one = Arena.ofAuto().allocate(8, 8);

    /** The next submission index (our tail). */
    private int tail;
    /** Entries written since the last enter. */
    private int queued;
    /** The eventfd read is in flight. */
    private boolean wakeArmed;
    /** Set once the eventfd is closed (guarded by this object's monitor, with {@link #wake()}). */
    private boolean closed;

    // Per slot, from prepare to complete/abandon.
    private final LinuxFileHandle[] files;
    private final ByteBuffer[] buffers;
    private final boolean[] writes;
    private final MemorySegment[] bounces;
    private final boolean[] bounced;
    /** The slot holds a statx; its path and result buffer are in {@link #stats}. */
    private final boolean[] statting;
    /** Each slot's path and statx memory, made on first use. */
    private final LinuxSyscalls.Scratch[] stats;

    private UringLane(Uring.Mapping m, int depth, int eventFd) {
        this.ring = m;
        this.rings = m.rings();
        this.sqes = m.sqes();
        MemorySegment params = m.params();
        this.sqHead = params.get(JAVA_INT, 40);
        this.sqTail = params.get(JAVA_INT, 44);
        this.sqMask = rings.get(JAVA_INT, params.get(JAVA_INT, 48));
        this.sqArray = params.get(JAVA_INT, 64);
        this.cqHead = params.get(JAVA_INT, 80);
        this.cqTail = params.get(JAVA_INT, 84);
        this.cqMask = rings.get(JAVA_INT, params.get(JAVA_INT, 88));
        this.cqes = params.get(JAVA_INT, 100);
        this.depth = depth;
        this.eventFd = eventFd;
        this.tail = (int) INT.getAcquire(rings, sqTail);
        this.files = new LinuxFileHandle[depth];
        this.buffers = new ByteBuffer[depth];
        this.writes = new boolean[depth];
        this.bounces = new MemorySegment[depth];
        this.bounced = new boolean[depth];
        this.statting = new boolean[depth];
        this.stats = new LinuxSyscalls.Scratch[depth];
        one.set(JAVA_LONG, 0, 1L);
    }

    /**
     * Sets up a ring for {@code depth} operations in flight.
     *
     * @param depth operations in flight at most, 1 or more
     * @return the lane
     * @throws SyscallException the errno of {@code io_uring_setup}, {@code mmap} or {@code eventfd}
     */
    public static RingBackend create(int depth) throws SyscallException {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be 1 or more, got " + depth);
        }
        Uring.Mapping m = Uring.setup(2 * depth + 2);
        int sqEntries = m.params().get(JAVA_INT, 0);
        int cqEntries = m.params().get(JAVA_INT, 4);
        if (sqEntries < 2 * depth + 2 || cqEntries < 2 * depth + 2) {
            m.release();
            throw new SyscallException(12); // ENOMEM: the kernel gave a smaller ring than asked
        }
        MemorySegment cap = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        int efd;
        try {
            efd = (int) EVENTFD.invokeExact(cap, 0, EFD_CLOEXEC);
        } catch (Throwable t) {
            m.release();
            throw LinuxSyscalls.unchecked(t);
        }
        if (efd < 0) {
            int errno = Libc.errno(cap);
            m.release();
            throw new SyscallException(errno);
        }
        return new UringLane(m, depth, efd);
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public boolean accepts(Object call) {
        if (call instanceof IoCall io) {
            ByteBuffer b = io.buffer();
            return io.file() instanceof LinuxFileHandle && (b.isDirect() || b.remaining() <= BOUNCE_MAX)
                    && !(!io.write() && b.isReadOnly());
        }
        return call instanceof StatCall || call instanceof SyncCall s && s.file() instanceof LinuxFileHandle;
    }

    /**
     * Reads within one page: a page is cached whole or not at all, so {@code RWF_NOWAIT} gives all
     * of it, or EAGAIN, or (at the end of the file) what a plain read gives; never a short read that
     * a blocking one would not give.
     */
    @Override
    public boolean canTryNow(Object call) {
        return call instanceof IoCall io && !io.write() && (io.offset() & (PAGE - 1)) + io.buffer().remaining() <= PAGE;
    }

    /** The page size of Linux on x86-64 and of the page cache's unit here. */
    private static final int PAGE = 4096;

    @Override
    public int tryNow(Request r) {
        IoCall io = (IoCall) ((SysRequest) r).call();
        LinuxFileHandle file = (LinuxFileHandle) io.file();
        int fd;
        try {
            fd = file.acquire();
        } catch (SyscallException e) {
            ((SysRequest) r).completeFromRing(-e.errno());
            return -e.errno();
        }
        try {
            Inline in = INLINE.get();
            ByteBuffer b = io.buffer();
            int length = b.remaining();
            MemorySegment target;
            if (b.isDirect()) {
                target = MemorySegment.ofBuffer(b);
            } else {
                if (in.bounce.byteSize() < length) {
                    in.bounce = Arena.ofAuto().allocate(Math.max(4096, Integer.highestOneBit(length - 1) << 1), 4096);
                }
                target = in.bounce;
            }
            in.iov.set(ADDRESS, 0, target);
            in.iov.set(JAVA_LONG, 8, length);
            long n;
            try {
                n = (long) PREADV2.invokeExact(in.capture, fd, in.iov, 1, io.offset(), RWF_NOWAIT);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            int result;
            if (n < 0) {
                int errno = Libc.errno(in.capture);
                if (errno == Uring.EAGAIN || errno == 95) { // EAGAIN: not cached; EOPNOTSUPP: no RWF_NOWAIT here
                    return WOULD_BLOCK;
                }
                result = -errno;
            } else {
                result = (int) n;
                if (!b.isDirect()) {
                    MemorySegment.copy(target, JAVA_BYTE, 0, b.array(), b.arrayOffset() + b.position(), result);
                }
                b.position(b.position() + result);
            }
            ((SysRequest) r).completeFromRing(result);
            return result;
        } finally {
            file.unuse();
        }
    }

    @Override
    public int prepare(Request r, int slot) {
        Object call = ((SysRequest) r).call();
        LinuxFileHandle file;
        int fd;
        if (call instanceof IoCall io) {
            file = (LinuxFileHandle) io.file();
            try {
                fd = file.acquire();
            } catch (SyscallException e) {
                return e.errno();
            }
            if (io.offset() != IoCall.CURRENT && !seekable(file, fd)) {
                file.unuse();
                return 29; // ESPIPE: pread/pwrite of a FIFO or socket (io_uring would read it as a stream)
            }
            ByteBuffer b = io.buffer();
            int length = b.remaining();
            long address;
            if (b.isDirect()) {
                address = MemorySegment.ofBuffer(b).address();
                bounced[slot] = false;
            } else {
                MemorySegment bounce = bounces[slot];
                if (bounce == null || bounce.byteSize() < length) {
                    bounce = Arena.ofAuto().allocate(Math.max(4096, Integer.highestOneBit(Math.max(1, length - 1)) << 1), 4096);
                    bounces[slot] = bounce;
                }
                if (io.write()) {
                    MemorySegment.copy(b.array(), b.arrayOffset() + b.position(), bounce, JAVA_BYTE, 0, length);
                }
                address = bounce.address();
                bounced[slot] = true;
            }
            files[slot] = file;
            buffers[slot] = b;
            writes[slot] = io.write();
            entry(io.write() ? Uring.OP_WRITE : Uring.OP_READ, fd, io.offset(), address, length, 0, slot);
            return 0;
        }
        if (call instanceof StatCall st) {
            if (st.path().toString().isEmpty()) {
                return 2; // ENOENT, as stat("") gives
            }
            LinuxSyscalls.Scratch scratch = stats[slot];
            if (scratch == null) {
                scratch = new LinuxSyscalls.Scratch();
                stats[slot] = scratch;
            }
            MemorySegment name = scratch.path(0, st.path());
            files[slot] = null;
            buffers[slot] = null;
            statting[slot] = true;
            entry(Uring.OP_STATX, Libc.AT_FDCWD, scratch.statx.address(), name.address(), UringSyscalls.STATX_BASIC_STATS,
                    st.follow() ? 0 : Libc.AT_SYMLINK_NOFOLLOW, slot);
            return 0;
        }
        SyncCall s = (SyncCall) call;
        file = (LinuxFileHandle) s.file();
        try {
            fd = file.acquire();
        } catch (SyscallException e) {
            return e.errno();
        }
        files[slot] = file;
        buffers[slot] = null;
        entry(Uring.OP_FSYNC, fd, 0, 0, 0, s.dataOnly() ? Uring.FSYNC_DATASYNC : 0, slot);
        return 0;
    }

    /** Whether positional I/O works on {@code fd} ({@code lseek(fd, 0, SEEK_CUR)} succeeds), asked once per file. */
    private boolean seekable(LinuxFileHandle file, int fd) {
        byte known = file.seekable;
        if (known == 0) {
            long r;
            try {
                r = (long) Libc.LSEEK.invokeExact(capture, fd, 0L, 1);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            known = r < 0 && Libc.errno(capture) == 29 ? (byte) 2 : (byte) 1;
            file.seekable = known;
        }
        return known == 1;
    }

    @Override
    public void prepareCancel(int slot) {
        entry(Uring.OP_ASYNC_CANCEL, -1, 0, slot, 0, 0, CANCEL);
    }

    /** Writes one submission entry at our tail and publishes it (the kernel reads it at the next enter). */
    private void entry(byte opcode, int fd, long off, long addr, int len, int opFlags, long userData) {
        int index = tail & sqMask;
        MemorySegment sqe = sqes.asSlice((long) index * Uring.SQE_SIZE, Uring.SQE_SIZE);
        sqe.fill((byte) 0);
        sqe.set(JAVA_BYTE, 0, opcode);
        sqe.set(JAVA_INT, 4, fd);
        sqe.set(JAVA_LONG, 8, off);
        sqe.set(JAVA_LONG, 16, addr);
        sqe.set(JAVA_INT, 24, len);
        sqe.set(JAVA_INT, 28, opFlags);
        sqe.set(JAVA_LONG, 32, userData);
        rings.set(JAVA_INT, sqArray + 4L * index, index);
        tail++;
        INT.setRelease(rings, sqTail, tail); // the entry is written before the kernel can see the tail
        queued++;
    }

    @Override
    public int enter(boolean wait, int[] slots, int[] results) {
        if (wait && !wakeArmed) {
            entry(Uring.OP_READ, eventFd, 0, wakeBuffer.address(), 8, 0, WAKE);
            wakeArmed = true;
        }
        boolean block = wait && !completionsReady();
        int retries = 0;
        while (queued > 0 || block) {
            long r;
            try {
                r = (long) Uring.ENTER.invokeExact(capture, Uring.SYS_IO_URING_ENTER, (long) ring.fd(), (long) queued,
                        block ? 1L : 0L, block ? (long) Uring.ENTER_GETEVENTS : 0L, MemorySegment.NULL, 0L);
            } catch (Throwable t) {
                throw LinuxSyscalls.unchecked(t);
            }
            if (r >= 0) {
                queued -= (int) Math.min(r, queued);
                block = false;
                if (queued > 0) {
                    // The kernel took part of the batch (short of memory): make room and go on.
                    if (++retries > ENTER_SUBMIT_RETRIES) {
                        return -Uring.EAGAIN;
                    }
                    if (completionsReady()) {
                        break;
                    }
                }
                continue;
            }
            int errno = Libc.errno(capture);
            if (errno == Uring.EINTR) {
                block = false; // a signal: return what has completed, the caller comes back
                continue;
            }
            if (errno == Uring.EAGAIN || errno == Uring.EBUSY) {
                if (++retries > ENTER_SUBMIT_RETRIES) {
                    return -errno;
                }
                if (completionsReady()) {
                    break; // reaping frees completion space; submit again next round
                }
                Thread.onSpinWait();
                continue;
            }
            return -errno;
        }
        return reap(slots, results);
    }

    private boolean completionsReady() {
        return (int) INT.getAcquire(rings, cqTail) != (int) INT.get(rings, cqHead);
    }

    /** Takes completions off the ring: request slots into the arrays, the wake-up and cancels consumed. */
    private int reap(int[] slots, int[] results) {
        int head = (int) INT.get(rings, cqHead); // only this thread moves it
        int last = (int) INT.getAcquire(rings, cqTail);
        int n = 0;
        for (; head != last && n < slots.length; head++) {
            long at = cqes + (long) (head & cqMask) * Uring.CQE_SIZE;
            long user = rings.get(JAVA_LONG, at);
            int res = rings.get(JAVA_INT, at + 8);
            if (user == WAKE) {
                wakeArmed = false;
            } else if (user != CANCEL) {
                slots[n] = (int) user;
                results[n] = res;
                n++;
            }
        }
        INT.setRelease(rings, cqHead, head); // the kernel may reuse the entries
        return n;
    }

    @Override
    public int unsubmitted(int[] slots) {
        int head = (int) INT.getAcquire(rings, sqHead);
        int n = 0;
        for (int i = head; i != tail; i++) {
            int index = rings.get(JAVA_INT, sqArray + 4L * (i & sqMask));
            long user = sqes.get(JAVA_LONG, (long) index * Uring.SQE_SIZE + 32);
            if (user == WAKE) {
                wakeArmed = false;
            } else if (user >= 0) {
                slots[n++] = (int) user;
            }
        }
        tail = head; // nobody enters before the next entry, so the kernel never sees the withdrawn ones
        INT.setRelease(rings, sqTail, tail);
        queued = 0;
        return n;
    }

    @Override
    public void complete(Request r, int slot, int result) {
        if (statting[slot]) {
            statting[slot] = false;
            ((SysRequest) r).completeFromRing(result, result < 0 ? null : UringSyscalls.fromStatx(stats[slot].statx));
            return;
        }
        ByteBuffer b = buffers[slot];
        if (b != null && result > 0) {
            if (bounced[slot] && !writes[slot]) {
                MemorySegment.copy(bounces[slot], JAVA_BYTE, 0, b.array(), b.arrayOffset() + b.position(), result);
            }
            b.position(b.position() + result);
        }
        release(slot);
        ((SysRequest) r).completeFromRing(result);
    }

    @Override
    public void abandon(Request r, int slot) {
        release(slot);
    }

    private void release(int slot) {
        statting[slot] = false;
        LinuxFileHandle f = files[slot];
        files[slot] = null;
        buffers[slot] = null;
        if (f != null) {
            f.unuse();
        }
    }

    @Override
    public synchronized void wake() {
        if (closed) {
            return; // the eventfd is gone (its number may already name another file)
        }
        try {
            long r = (long) Libc.WRITE.invokeExact(wakeCapture, eventFd, one, 8L);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
    }

    @Override
    public void close() {
        int[] slots = new int[depth];
        int[] results = new int[depth];
        int rounds = 0;
        while (wakeArmed && rounds++ < 1000) {
            wake(); // completes the pending eventfd read, so the kernel is done with its buffer
            if (enter(true, slots, results) < 0) {
                break;
            }
        }
        if (wakeArmed) {
            return; // the kernel may still write the read's buffer: leave the ring mapped (a leak, never a use after unmap)
        }
        synchronized (this) {
            closed = true;
            Uring.closeFd(eventFd);
        }
        ring.release();
    }
}
