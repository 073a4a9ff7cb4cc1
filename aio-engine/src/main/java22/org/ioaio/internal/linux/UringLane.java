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
import java.nio.file.Path;
import org.ioaio.AioConstants;
import org.ioaio.Errno;
import org.ioaio.internal.op.AllocateCall;
import org.ioaio.internal.op.CloseCall;
import org.ioaio.internal.op.FadviseCall;
import org.ioaio.internal.op.FstatCall;
import org.ioaio.internal.op.IoCall;
import org.ioaio.internal.op.LinkCall;
import org.ioaio.internal.op.MkdirCall;
import org.ioaio.internal.op.OpenCall;
import org.ioaio.internal.op.RenameCall;
import org.ioaio.internal.sched.Request;
import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.op.StatCall;
import org.ioaio.internal.op.StatxCall;
import org.ioaio.internal.op.SymlinkCall;
import org.ioaio.internal.op.SyncCall;
import org.ioaio.internal.op.SysRequest;
import org.ioaio.internal.op.UnlinkCall;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;

/**
 * The scheduler's io_uring lane: reads and writes, fsync and fdatasync, stat/lstat/statx/fstat,
 * open and close, unlink/rmdir, rename/rename2, mkdir, link, symlink, fallocate and fadvise, encoded
 * as submission entries by the scheduler's one ring thread and submitted in batches (see {@link
 * UringBackend}, whose methods all run on that thread except {@link #wake()}). An operation is taken
 * only where the kernel has its opcode ({@code IORING_REGISTER_PROBE}); results and errnos are those
 * of the syscalls {@link LinuxSyscalls} makes for the workers.
 *
 * <p><b>Entries</b> (fields as {@code <linux/io_uring.h>} names them, offsets in {@link Uring}):
 * <ul>
 *   <li>READ/WRITE: fd, off (-1: the file position), addr, len.
 *   <li>FSYNC: fd, fsync_flags ({@code IORING_FSYNC_DATASYNC}).
 *   <li>STATX: fd ({@code AT_FDCWD}, or the file with an empty name and {@code AT_EMPTY_PATH}),
 *       addr the name, off ({@code addr2}) the {@code struct statx}, len the mask, statx_flags.
 *   <li>OPENAT: fd {@code AT_FDCWD}, addr the name, len the mode, open_flags. The kernel first
 *       tries an open inline with {@code O_NONBLOCK} added, which a FIFO or a device honours (a
 *       FIFO then opens without waiting for its other end, or fails with ENXIO), so unless the
 *       caller's flags have {@code O_NONBLOCK}, {@code O_DIRECTORY} or {@code O_PATH} (no device is
 *       opened then) the entry carries {@code IOSQE_ASYNC}: opened by a kernel worker, blocking, as
 *       {@code open(2)} does.
 *   <li>CLOSE: fd. {@link LinuxFileHandle#closeForRing()} marks the handle closed first, so no call
 *       can acquire the descriptor any more; if calls are in flight the close is deferred to the
 *       last of them, as on the workers, and the slot submits a NOP, which completes with 0. A close
 *       is never cancelled (on the workers it runs to its end too). One the kernel never took
 *       ({@link #abandon}) closes the descriptor here and leaves the outcome to the workers' {@code
 *       close} of the handle, which then runs ({@link LinuxFileHandle#handBackClose}).
 *   <li>Not taken: {@code sendfile}, which io_uring can only do as two linked SPLICEs through a pipe:
 *       each slot would need its own pipe, two completions and a loop for lengths beyond the pipe's
 *       size, and bytes left in the pipe when the second half fails, and the workers fall back to
 *       {@code pread}/{@code write} where {@code sendfile(2)} fails with EINVAL (an {@code O_APPEND}
 *       output), which a ring entry cannot do: it stays on the workers.
 *   <li>UNLINKAT: fd {@code AT_FDCWD}, addr the name, unlink_flags ({@code AT_REMOVEDIR}).
 *   <li>RENAMEAT and LINKAT: fd {@code AT_FDCWD}, addr the old name, off ({@code addr2}) the new
 *       one, len the new name's dirfd ({@code AT_FDCWD}), rename_flags / hardlink_flags (0).
 *   <li>SYMLINKAT: fd {@code AT_FDCWD} (the link's dirfd), addr the target, off ({@code addr2}) the link.
 *   <li>MKDIRAT: fd {@code AT_FDCWD}, addr the name, len the mode.
 *   <li>FALLOCATE: fd, off the offset, addr the length, len the mode.
 *   <li>FADVISE: fd, off the offset, len the length (so at most 4 GiB - 1: Linux before 6.11 takes
 *       no other), fadvise_advice.
 * </ul>
 * An empty path fails with ENOENT before anything is submitted, as {@link LinuxSyscalls} does.
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
 * heap buffer of at most {@value #BOUNCE_MAX} bytes through the slot's own native bounce buffer),
 * and its paths and {@code struct statx} in the slot's own native scratch memory (the kernel may
 * read a name until the operation is issued and writes the statx at its end); nothing of a slot is
 * reused before then. {@link #close()} first completes the pending wake-up read, then unmaps the ring.
 */
public final class UringLane implements UringBackend {

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

    /** Which opcodes the kernel supports ({@link Uring#probe}). */
    private final boolean[] supported;

    /** What a slot holds: the result it turns into ({@link #kinds}). */
    private static final byte IO = 0;
    /** A status only (sync, unlink, rename, mkdir, link, symlink, fallocate, fadvise). */
    private static final byte STATUS = 1;
    /** stat, lstat, fstat: a {@code FileStat} of {@code struct stat}'s fields. */
    private static final byte STAT = 2;
    /** statx of a path or a file: a {@code FileStat} with the mask and birth time. */
    private static final byte STATX = 3;
    /** open: a {@link LinuxFileHandle} owning the descriptor. */
    private static final byte OPEN = 4;
    /** close: the descriptor in {@link #closeFds} (or -1, deferred) of the handle in {@link #closing}. */
    private static final byte CLOSE = 5;

    // Per slot, from prepare to complete/abandon.
    private final byte[] kinds;
    /** The file pinned for the operation ({@link LinuxFileHandle#acquire()}), released on completion. */
    private final LinuxFileHandle[] files;
    private final ByteBuffer[] buffers;
    private final boolean[] writes;
    private final MemorySegment[] bounces;
    private final boolean[] bounced;
    /** Each slot's path and statx memory, made on first use; the kernel may read or write it until completion. */
    private final LinuxSyscalls.Scratch[] scratches;
    /** An open's path and flags, for the handle. */
    private final Path[] openPaths;
    private final int[] openFlags;
    /** A close's handle and the descriptor the kernel closes (-1 when deferred: a NOP). */
    private final LinuxFileHandle[] closing;
    private final int[] closeFds;

    private UringLane(Uring.Mapping m, int depth, int eventFd, boolean[] supported) {
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
        this.supported = supported;
        this.kinds = new byte[depth];
        this.files = new LinuxFileHandle[depth];
        this.buffers = new ByteBuffer[depth];
        this.writes = new boolean[depth];
        this.bounces = new MemorySegment[depth];
        this.bounced = new boolean[depth];
        this.scratches = new LinuxSyscalls.Scratch[depth];
        this.openPaths = new Path[depth];
        this.openFlags = new int[depth];
        this.closing = new LinuxFileHandle[depth];
        this.closeFds = new int[depth];
        one.set(JAVA_LONG, 0, 1L);
    }

    /**
     * Sets up a ring for {@code depth} operations in flight.
     *
     * @param depth operations in flight at most, 1 or more
     * @return the lane
     * @throws SyscallException the errno of {@code io_uring_setup}, {@code mmap} or {@code eventfd}
     */
    public static UringBackend create(int depth) throws SyscallException {
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
        boolean[] supported;
        try {
            supported = Uring.probe(m.fd());
        } catch (RuntimeException | Error e) {
            Uring.closeFd(efd);
            m.release();
            throw e;
        }
        if (supported == null) {
            // No probe (before Linux 5.6): only the operations this lane always used.
            supported = new boolean[256];
            for (byte op : new byte[] {Uring.OP_NOP, Uring.OP_FSYNC, Uring.OP_ASYNC_CANCEL, Uring.OP_STATX, Uring.OP_READ, Uring.OP_WRITE}) {
                supported[op] = true;
            }
        }
        return new UringLane(m, depth, efd, supported);
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public boolean accepts(Object call) {
        if (call instanceof IoCall io) {
            ByteBuffer b = io.buffer();
            return has(io.write() ? Uring.OP_WRITE : Uring.OP_READ) && io.file() instanceof LinuxFileHandle
                    && (b.isDirect() || b.remaining() <= BOUNCE_MAX) && !(!io.write() && b.isReadOnly());
        }
        if (call instanceof SyncCall s) {
            return has(Uring.OP_FSYNC) && s.file() instanceof LinuxFileHandle;
        }
        if (call instanceof StatCall || call instanceof StatxCall) {
            return has(Uring.OP_STATX);
        }
        if (call instanceof FstatCall f) {
            // statx of a file with flags the workers' layer rejects (EINVAL before the call) stays there.
            return has(Uring.OP_STATX) && f.file() instanceof LinuxFileHandle && (!f.extended() || validStatx(f.flags(), f.mask()));
        }
        if (call instanceof OpenCall) {
            return has(Uring.OP_OPENAT);
        }
        if (call instanceof CloseCall c) {
            return has(Uring.OP_CLOSE) && has(Uring.OP_NOP) && c.file() instanceof LinuxFileHandle;
        }
        if (call instanceof UnlinkCall) {
            return has(Uring.OP_UNLINKAT);
        }
        if (call instanceof RenameCall) {
            return has(Uring.OP_RENAMEAT);
        }
        if (call instanceof MkdirCall) {
            return has(Uring.OP_MKDIRAT);
        }
        if (call instanceof LinkCall) {
            return has(Uring.OP_LINKAT);
        }
        if (call instanceof SymlinkCall) {
            return has(Uring.OP_SYMLINKAT);
        }
        if (call instanceof AllocateCall a) {
            return has(Uring.OP_FALLOCATE) && a.file() instanceof LinuxFileHandle;
        }
        if (call instanceof FadviseCall f) {
            return has(Uring.OP_FADVISE) && f.file() instanceof LinuxFileHandle && f.length() <= FADVISE_MAX;
        }
        return false;
    }

    /** The longest fadvise range an entry holds: its 32-bit {@code len}. */
    private static final long FADVISE_MAX = 0xffff_ffffL;

    private boolean has(byte opcode) {
        return supported[opcode];
    }

    /** What {@code NioSyscalls.checkStatx} lets through to the kernel for statx of a file. */
    private static boolean validStatx(int flags, int mask) {
        int known = AioConstants.AT_SYMLINK_NOFOLLOW | AioConstants.AT_NO_AUTOMOUNT | AioConstants.AT_EMPTY_PATH
                | AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC;
        int sync = AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC;
        return (flags & ~known) == 0 && (flags & sync) != sync && mask >= 0;
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
        if (call instanceof IoCall io) {
            LinuxFileHandle file = (LinuxFileHandle) io.file();
            int fd;
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
                    // Through a segment over the buffer (position to limit): a read-only one has no array().
                    MemorySegment.copy(MemorySegment.ofBuffer(b), 0, bounce, 0, length);
                }
                address = bounce.address();
                bounced[slot] = true;
            }
            hold(slot, IO, file, b);
            writes[slot] = io.write();
            entry(io.write() ? Uring.OP_WRITE : Uring.OP_READ, (byte) 0, fd, io.offset(), address, length, 0, slot);
            return 0;
        }
        if (call instanceof SyncCall s) {
            return pinned(s.file(), slot, STATUS, Uring.OP_FSYNC, 0, 0, 0, s.dataOnly() ? Uring.FSYNC_DATASYNC : 0);
        }
        if (call instanceof AllocateCall a) {
            return pinned(a.file(), slot, STATUS, Uring.OP_FALLOCATE, a.offset(), a.length(), a.mode(), 0);
        }
        if (call instanceof FadviseCall f) {
            return pinned(f.file(), slot, STATUS, Uring.OP_FADVISE, f.offset(), 0, (int) f.length(), f.advice());
        }
        if (call instanceof FstatCall f) {
            LinuxSyscalls.Scratch scratch = scratch(slot);
            return pinned(f.file(), slot, f.extended() ? STATX : STAT, Uring.OP_STATX, scratch.statx.address(),
                    LinuxSyscalls.EMPTY_NAME.address(), f.extended() ? f.mask() : AioConstants.STATX_BASIC_STATS,
                    (f.extended() ? f.flags() : 0) | Libc.AT_EMPTY_PATH);
        }
        if (call instanceof CloseCall c) {
            LinuxFileHandle h = (LinuxFileHandle) c.file();
            int fd;
            try {
                fd = h.closeForRing();
            } catch (SyscallException e) {
                return e.errno(); // EBADF: closed already
            }
            hold(slot, CLOSE, null, null);
            closing[slot] = h;
            closeFds[slot] = fd;
            if (fd >= 0) {
                entry(Uring.OP_CLOSE, (byte) 0, fd, 0, 0, 0, 0, slot);
            } else {
                entry(Uring.OP_NOP, (byte) 0, -1, 0, 0, 0, 0, slot); // deferred to the last call in flight: done
            }
            return 0;
        }
        // The rest name paths, encoded in the slot's own memory.
        Pathname first;
        Pathname second = null;
        if (call instanceof StatCall st) {
            first = st.path();
        } else if (call instanceof StatxCall sx) {
            first = sx.path();
        } else if (call instanceof OpenCall o) {
            first = o.path();
        } else if (call instanceof UnlinkCall u) {
            first = u.path();
        } else if (call instanceof MkdirCall m) {
            first = m.path();
        } else if (call instanceof RenameCall rn) {
            first = rn.from();
            second = rn.to();
        } else if (call instanceof LinkCall l) {
            first = l.existing();
            second = l.link();
        } else {
            SymlinkCall sl = (SymlinkCall) call;
            first = sl.target(); // stored verbatim, never resolved: an empty one is the kernel's ENOENT
            second = sl.link();
        }
        LinuxSyscalls.Scratch scratch = scratch(slot);
        long name;
        long other;
        Path openPath;
        try { // the names exactly as given; ENOENT for an empty one or a NUL byte, as on the workers
            name = scratch.path(0, first).address();
            other = second == null ? 0 : scratch.path(1, second).address();
            openPath = call instanceof OpenCall o ? o.path().path() : null;
        } catch (SyscallException e) {
            return e.errno();
        }
        if (call instanceof StatCall st) {
            hold(slot, STAT, null, null);
            entry(Uring.OP_STATX, (byte) 0, Libc.AT_FDCWD, scratch.statx.address(), name, AioConstants.STATX_BASIC_STATS,
                    st.follow() ? 0 : Libc.AT_SYMLINK_NOFOLLOW, slot);
        } else if (call instanceof StatxCall sx) {
            hold(slot, STATX, null, null);
            entry(Uring.OP_STATX, (byte) 0, Libc.AT_FDCWD, scratch.statx.address(), name, sx.mask(), sx.flags(), slot);
        } else if (call instanceof OpenCall o) {
            hold(slot, OPEN, null, null);
            openPaths[slot] = openPath;
            openFlags[slot] = o.flags();
            boolean noDevice = (o.flags() & (AioConstants.O_NONBLOCK | AioConstants.O_DIRECTORY | AioConstants.O_PATH)) != 0;
            entry(Uring.OP_OPENAT, noDevice ? (byte) 0 : Uring.SQE_ASYNC, Libc.AT_FDCWD, 0, name, o.mode(), o.flags(), slot);
        } else if (call instanceof UnlinkCall u) {
            hold(slot, STATUS, null, null);
            entry(Uring.OP_UNLINKAT, (byte) 0, Libc.AT_FDCWD, 0, name, 0, u.directory() ? Libc.AT_REMOVEDIR : 0, slot);
        } else if (call instanceof MkdirCall m) {
            hold(slot, STATUS, null, null);
            entry(Uring.OP_MKDIRAT, (byte) 0, Libc.AT_FDCWD, 0, name, m.mode(), 0, slot);
        } else if (call instanceof RenameCall rn) {
            hold(slot, STATUS, null, null);
            entry(Uring.OP_RENAMEAT, (byte) 0, Libc.AT_FDCWD, other, name, Libc.AT_FDCWD, rn.withFlags() ? rn.flags() : 0, slot);
        } else if (call instanceof LinkCall) {
            hold(slot, STATUS, null, null);
            entry(Uring.OP_LINKAT, (byte) 0, Libc.AT_FDCWD, other, name, Libc.AT_FDCWD, 0, slot);
        } else {
            hold(slot, STATUS, null, null);
            entry(Uring.OP_SYMLINKAT, (byte) 0, Libc.AT_FDCWD, other, name, 0, 0, slot);
        }
        return 0;
    }

    /**
     * Encodes an operation on a file: pins its descriptor for the slot (EBADF, nothing queued, when
     * the file is closed) and queues the entry with it.
     */
    private int pinned(org.ioaio.internal.sys.FileHandle handle, int slot, byte kind, byte opcode, long off, long addr,
            int len, int opFlags) {
        LinuxFileHandle file = (LinuxFileHandle) handle;
        int fd;
        try {
            fd = file.acquire();
        } catch (SyscallException e) {
            return e.errno();
        }
        hold(slot, kind, file, null);
        entry(opcode, (byte) 0, fd, off, addr, len, opFlags, slot);
        return 0;
    }

    /** Records what the slot holds until {@link #complete} or {@link #abandon}. */
    private void hold(int slot, byte kind, LinuxFileHandle file, ByteBuffer buffer) {
        kinds[slot] = kind;
        files[slot] = file;
        buffers[slot] = buffer;
    }

    /** The slot's path and statx memory. */
    private LinuxSyscalls.Scratch scratch(int slot) {
        LinuxSyscalls.Scratch s = scratches[slot];
        if (s == null) {
            s = new LinuxSyscalls.Scratch();
            scratches[slot] = s;
        }
        return s;
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
        if (kinds[slot] == CLOSE) {
            return; // a close runs to its end, as on the workers: the descriptor must not stay open unowned
        }
        entry(Uring.OP_ASYNC_CANCEL, (byte) 0, -1, 0, slot, 0, 0, CANCEL);
    }

    /** Writes one submission entry at our tail and publishes it (the kernel reads it at the next enter). */
    private void entry(byte opcode, byte sqeFlags, int fd, long off, long addr, int len, int opFlags, long userData) {
        int index = tail & sqMask;
        MemorySegment sqe = sqes.asSlice((long) index * Uring.SQE_SIZE, Uring.SQE_SIZE);
        sqe.fill((byte) 0);
        sqe.set(JAVA_BYTE, 0, opcode);
        sqe.set(JAVA_BYTE, 1, sqeFlags);
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
            entry(Uring.OP_READ, (byte) 0, eventFd, 0, wakeBuffer.address(), 8, 0, WAKE);
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
        SysRequest req = (SysRequest) r;
        switch (kinds[slot]) {
            case IO -> {
                ByteBuffer b = buffers[slot];
                if (b != null && result > 0) {
                    if (bounced[slot] && !writes[slot]) {
                        MemorySegment.copy(bounces[slot], JAVA_BYTE, 0, b.array(), b.arrayOffset() + b.position(), result);
                    }
                    b.position(b.position() + result);
                }
                release(slot);
                req.completeFromRing(result);
            }
            case STAT, STATX -> {
                Object stat = null;
                if (result >= 0) {
                    MemorySegment x = scratches[slot].statx;
                    stat = LinuxSyscalls.toStatx(x, kinds[slot] == STAT);
                }
                release(slot);
                req.completeFromRing(Math.min(result, 0), stat);
            }
            case OPEN -> {
                Path p = openPaths[slot];
                openPaths[slot] = null;
                release(slot);
                // The status of a successful open is 0, its value the file, as on the workers.
                req.completeFromRing(Math.min(result, 0), result >= 0 ? new LinuxFileHandle(p, openFlags[slot], result) : null);
            }
            case CLOSE -> {
                int fd = closeFds[slot];
                closing[slot] = null;
                release(slot);
                if (result == -Errno.ECANCELED.code() && fd >= 0) {
                    result = closeNow(fd); // never cancelled by us; if the kernel dropped it, the descriptor is still ours
                }
                req.completeFromRing(result);
            }
            default -> {
                release(slot);
                req.completeFromRing(result);
            }
        }
    }

    /** {@code close(fd)} on this thread: 0 or minus the errno. */
    private int closeNow(int fd) {
        int r;
        try {
            r = (int) Libc.CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        return r < 0 ? -Libc.errno(capture) : 0;
    }

    @Override
    public void abandon(Request r, int slot) {
        if (kinds[slot] == CLOSE) {
            // The handle is closed already (closeForRing): close the descriptor here and keep the
            // outcome for the workers' close(2) of the handle, which runs next.
            closing[slot].handBackClose(closeFds[slot]);
            closing[slot] = null;
        }
        openPaths[slot] = null;
        release(slot);
    }

    private void release(int slot) {
        kinds[slot] = IO;
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
