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

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.AioConstants;
import org.ioaio.Errno;
import org.ioaio.FiemapExtent;
import org.ioaio.RecordLock;
import org.ioaio.internal.linux.LinuxSyscalls.Scratch;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;

/**
 * The native side of IO::AIO 4.8's later calls, for {@link LinuxSyscalls}: record locks and
 * integer {@code fcntl}s, {@code ioctl} on a direct buffer, reflinks ({@code FICLONE}, {@code
 * FICLONERANGE}), {@code FS_IOC_FIEMAP} (with libeio's batching when every extent is wanted),
 * {@code mlock}/{@code munlock}/{@code mlockall}/{@code munlockall}/{@code madvise} over buffers,
 * {@code splice}, {@code tee}, {@code pipe2} and IO::AIO's {@code min_fdlimit}. Every call is the
 * libc function, with the errno it set; nothing is emulated.
 */
final class LinuxExtraCalls {

    private LinuxExtraCalls() {}

    /** {@code sizeof(struct flock)} on x86-64: {@code short type@0, short whence@2, off_t start@8, off_t len@16, pid_t pid@24}. */
    private static final long FLOCK_SIZE = 32;
    /** {@code sizeof(struct fiemap)} without extents. */
    private static final long FIEMAP_HEADER = 32;
    /** {@code sizeof(struct fiemap_extent)}. */
    private static final long FIEMAP_EXTENT = 56;
    /** Extents asked per FIEMAP call when all of them are wanted. */
    private static final int FIEMAP_BATCH = 64;
    /** {@code sizeof(struct file_clone_range)}: {@code s64 src_fd, u64 src_offset, u64 src_length, u64 dest_offset}. */
    private static final long CLONE_RANGE_SIZE = 32;
    private static final int RLIMIT_NOFILE = 7;
    private static final long PAGE = 4096;

    static RecordLock fcntlLock(FileHandle file, int cmd, RecordLock lock) throws SyscallException {
        switch (cmd) {
            case AioConstants.F_GETLK, AioConstants.F_SETLK, AioConstants.F_SETLKW,
                    AioConstants.F_OFD_GETLK, AioConstants.F_OFD_SETLK, AioConstants.F_OFD_SETLKW -> { }
            default -> throw new SyscallException(Errno.EINVAL);
        }
        LinuxFileHandle h = LinuxSyscalls.own(file);
        int fd = h.acquire();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fl = a.allocate(FLOCK_SIZE, 8);
            fl.set(JAVA_SHORT, 0, (short) lock.type());
            fl.set(JAVA_SHORT, 2, (short) 0); // SEEK_SET
            fl.set(JAVA_LONG, 8, lock.start());
            fl.set(JAVA_LONG, 16, lock.length());
            fl.set(JAVA_INT, 24, 0); // l_pid must be 0 for the OFD commands
            Scratch s = LinuxSyscalls.scratch();
            LinuxSyscalls.invoke(s, x -> (int) Libc48.FCNTL_PTR.invokeExact(x.capture, fd, cmd, fl));
            if (cmd == AioConstants.F_GETLK || cmd == AioConstants.F_OFD_GETLK) {
                int type = fl.get(JAVA_SHORT, 0);
                if (type == AioConstants.F_UNLCK) {
                    return new RecordLock(type, lock.start(), lock.length(), 0);
                }
                return new RecordLock(type, fl.get(JAVA_LONG, 8), fl.get(JAVA_LONG, 16), fl.get(JAVA_INT, 24));
            }
            return lock;
        } finally {
            h.unuse();
        }
    }

    static long fcntl(FileHandle file, int cmd, long arg) throws SyscallException {
        return LinuxSyscalls.onFd(file, (s, fd) -> (int) Libc48.FCNTL_LONG.invokeExact(s.capture, fd, cmd, arg));
    }

    static long ioctl(FileHandle file, long request, ByteBuffer arg) throws SyscallException {
        if (!arg.isDirect()) {
            throw new SyscallException(Errno.EINVAL);
        }
        MemorySegment at = MemorySegment.ofBuffer(arg);
        try {
            return LinuxSyscalls.onFd(file, (s, fd) -> (int) Libc48.IOCTL_PTR.invokeExact(s.capture, fd, request, at));
        } finally {
            Reference.reachabilityFence(arg);
        }
    }

    static int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
        LinuxFileHandle d = LinuxSyscalls.own(dst);
        LinuxFileHandle from = LinuxSyscalls.own(src);
        int dfd = d.acquire();
        try {
            int sfd = from.acquire();
            try (Arena a = Arena.ofConfined()) {
                Scratch s = LinuxSyscalls.scratch();
                if (length < 0) {
                    return LinuxSyscalls.invoke(s, x -> (int) Libc48.IOCTL_LONG.invokeExact(x.capture, dfd, AioConstants.FICLONE, (long) sfd));
                }
                MemorySegment range = a.allocate(CLONE_RANGE_SIZE, 8);
                range.set(JAVA_LONG, 0, sfd);
                range.set(JAVA_LONG, 8, srcOffset);
                range.set(JAVA_LONG, 16, length);
                range.set(JAVA_LONG, 24, dstOffset);
                return LinuxSyscalls.invoke(s, x -> (int) Libc48.IOCTL_PTR.invokeExact(x.capture, dfd, AioConstants.FICLONERANGE, range));
            } finally {
                from.unuse();
            }
        } finally {
            d.unuse();
        }
    }

    /** The most {@code copy_file_range} copies in one call (as read and write). */
    private static final long MAX_RW = 0x7fff_f000L;

    static long copyFileRange(FileHandle in, long inOffset, FileHandle out, long outOffset, long length) throws SyscallException {
        if (inOffset < 0 || outOffset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        LinuxFileHandle i = LinuxSyscalls.own(in);
        LinuxFileHandle o = LinuxSyscalls.own(out);
        int ifd = i.acquire();
        try {
            int ofd = o.acquire();
            try {
                Scratch s = LinuxSyscalls.scratch();
                MemorySegment offs = s.buf; // two off_t: the offsets the kernel reads and advances
                offs.set(JAVA_LONG, 0, inOffset);
                offs.set(JAVA_LONG, 8, outOffset);
                MemorySegment inOff = offs.asSlice(0, 8);
                MemorySegment outOff = offs.asSlice(8, 8);
                long n = Math.min(length, MAX_RW);
                return LinuxSyscalls.invokeLong(s, x -> (long) Libc48.COPY_FILE_RANGE.invokeExact(x.capture, ifd, inOff, ofd, outOff, n, 0));
            } finally {
                o.unuse();
            }
        } finally {
            i.unuse();
        }
    }

    /**
     * FIEMAP of {@code [start, start + length)} ({@code length} -1: to the end of the file, the
     * kernel's {@code FIEMAP_MAX_OFFSET}). With {@code count} -1 it asks {@value #FIEMAP_BATCH}
     * extents at a time, continuing after the last one returned, until one is marked
     * {@code FIEMAP_EXTENT_LAST}, none is returned or the range is covered: the kernel does not
     * always return every extent of a large range in one call, which is why libeio loops too.
     */
    static List<FiemapExtent> fiemap(FileHandle file, long start, long length, int flags, int count) throws SyscallException {
        List<FiemapExtent> out = new ArrayList<>();
        LinuxFileHandle h = LinuxSyscalls.own(file);
        int fd = h.acquire();
        try (Arena a = Arena.ofConfined()) {
            int batch = count < 0 ? FIEMAP_BATCH : count;
            MemorySegment fm = a.allocate(FIEMAP_HEADER + FIEMAP_EXTENT * batch, 8);
            long end = length == -1 ? -1 : start + length; // -1: unbounded (unsigned max)
            long from = start;
            Scratch s = LinuxSyscalls.scratch();
            for (;;) {
                fm.fill((byte) 0);
                fm.set(JAVA_LONG, 0, from);
                fm.set(JAVA_LONG, 8, end == -1 ? -1 : end - from);
                fm.set(JAVA_INT, 16, flags);
                fm.set(JAVA_INT, 24, batch);
                LinuxSyscalls.invoke(s, x -> (int) Libc48.IOCTL_PTR.invokeExact(x.capture, fd, AioConstants.FS_IOC_FIEMAP, fm));
                int mapped = fm.get(JAVA_INT, 20);
                FiemapExtent last = null;
                for (int i = 0; i < mapped; i++) {
                    long e = FIEMAP_HEADER + FIEMAP_EXTENT * i;
                    last = new FiemapExtent(fm.get(JAVA_LONG, e), fm.get(JAVA_LONG, e + 8), fm.get(JAVA_LONG, e + 16),
                            fm.get(JAVA_INT, e + 40));
                    out.add(last);
                }
                if (count >= 0 || last == null || (last.flags() & AioConstants.FIEMAP_EXTENT_LAST) != 0) {
                    return out;
                }
                from = last.logical() + last.length();
                if (end != -1 && Long.compareUnsigned(from, end) >= 0) {
                    return out;
                }
            }
        } finally {
            h.unuse();
        }
    }

    static long fiemapCount(FileHandle file, long start, long length, int flags) throws SyscallException {
        LinuxFileHandle h = LinuxSyscalls.own(file);
        int fd = h.acquire();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fm = a.allocate(FIEMAP_HEADER, 8);
            fm.set(JAVA_LONG, 0, start);
            fm.set(JAVA_LONG, 8, length);
            fm.set(JAVA_INT, 16, flags);
            LinuxSyscalls.invoke(LinuxSyscalls.scratch(), x -> (int) Libc48.IOCTL_PTR.invokeExact(x.capture, fd, AioConstants.FS_IOC_FIEMAP, fm));
            return Integer.toUnsignedLong(fm.get(JAVA_INT, 20));
        } finally {
            h.unuse();
        }
    }

    /** The address of {@code buffer}'s first byte (index 0, not its position). */
    private static long base(ByteBuffer buffer) throws SyscallException {
        if (!buffer.isDirect()) {
            throw new SyscallException(Errno.EINVAL);
        }
        return MemorySegment.ofBuffer(buffer).address() - buffer.position();
    }

    private static void inside(ByteBuffer buffer, long offset, long length) throws SyscallException {
        if (offset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (offset > buffer.capacity() || length > buffer.capacity() - offset) {
            throw new SyscallException(Errno.ENOMEM); // "not mapped", as the kernel says outside a mapping
        }
    }

    static int mlock(ByteBuffer buffer, long offset, long length, boolean lock) throws SyscallException {
        return onPages(buffer, offset, length, (x, at, span) -> lock
                ? (int) Libc48.MLOCK.invokeExact(x.capture, at, span)
                : (int) Libc48.MUNLOCK.invokeExact(x.capture, at, span));
    }

    static int mlockall(int flags) throws SyscallException {
        return LinuxSyscalls.invoke(LinuxSyscalls.scratch(), x -> flags == -1
                ? (int) Libc48.MUNLOCKALL.invokeExact(x.capture)
                : (int) Libc48.MLOCKALL.invokeExact(x.capture, flags));
    }

    static int madvise(ByteBuffer buffer, long offset, long length, int advice) throws SyscallException {
        return onPages(buffer, offset, length, (x, at, span) -> (int) Libc48.MADVISE.invokeExact(x.capture, at, span, advice));
    }

    /** A downcall on whole pages: their start and length. */
    @FunctionalInterface
    private interface PagesCall {
        int call(Scratch s, MemorySegment at, long span) throws Throwable;
    }

    /** Runs {@code call} on the whole pages that hold {@code [offset, offset + length)} of a direct buffer (ENOMEM outside it). */
    private static int onPages(ByteBuffer buffer, long offset, long length, PagesCall call) throws SyscallException {
        inside(buffer, offset, length);
        long start = base(buffer) + offset;
        long aligned = start & -PAGE;
        long span = length + (start - aligned);
        MemorySegment at = MemorySegment.ofAddress(aligned);
        try {
            return LinuxSyscalls.invoke(LinuxSyscalls.scratch(), x -> call.call(x, at, span));
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }

    static long splice(FileHandle in, long inOffset, FileHandle out, long outOffset, long length, int flags) throws SyscallException {
        return LinuxSyscalls.onFds(in, out, (ifd, ofd) -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment offs = a.allocate(16, 8);
                offs.set(JAVA_LONG, 0, inOffset);
                offs.set(JAVA_LONG, 8, outOffset);
                MemorySegment ip = inOffset < 0 ? MemorySegment.NULL : offs.asSlice(0, 8);
                MemorySegment op = outOffset < 0 ? MemorySegment.NULL : offs.asSlice(8, 8);
                return LinuxSyscalls.invokeLong(LinuxSyscalls.scratch(),
                        x -> (long) Libc48.SPLICE.invokeExact(x.capture, ifd, ip, ofd, op, length, flags));
            }
        });
    }

    static long tee(FileHandle in, FileHandle out, long length, int flags) throws SyscallException {
        return LinuxSyscalls.onFds(in, out, (ifd, ofd) -> LinuxSyscalls.invokeLong(LinuxSyscalls.scratch(),
                x -> (long) Libc48.TEE.invokeExact(x.capture, ifd, ofd, length, flags)));
    }

    static FileHandle[] pipe(int flags) throws SyscallException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(8, 4);
            LinuxSyscalls.invoke(LinuxSyscalls.scratch(), x -> (int) Libc48.PIPE2.invokeExact(x.capture, fds, flags));
            int r = fds.get(JAVA_INT, 0);
            int w = fds.get(JAVA_INT, 4);
            return new FileHandle[] {
                new LinuxFileHandle(Path.of("pipe:[" + r + "]"), AioConstants.O_RDONLY | flags, r),
                new LinuxFileHandle(Path.of("pipe:[" + w + "]"), AioConstants.O_WRONLY | flags, w)
            };
        }
    }

    /**
     * IO::AIO's {@code min_fdlimit}: the soft limit raised to {@code nfd} when the hard limit
     * allows; otherwise both raised (a privileged process may); failing that, the soft limit raised
     * to the hard one, as far as it goes, and the call fails with setrlimit's errno.
     */
    static long minFdlimit(long nfd) throws SyscallException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment rl = a.allocate(16, 8);
            Scratch s = LinuxSyscalls.scratch();
            LinuxSyscalls.invoke(s, x -> (int) Libc48.GETRLIMIT.invokeExact(x.capture, RLIMIT_NOFILE, rl));
            long cur = rl.get(JAVA_LONG, 0);
            long max = rl.get(JAVA_LONG, 8);
            if (Long.compareUnsigned(cur, nfd) >= 0) {
                return cur;
            }
            if (Long.compareUnsigned(max, nfd) >= 0) {
                rl.set(JAVA_LONG, 0, nfd);
                LinuxSyscalls.invoke(s, x -> (int) Libc48.SETRLIMIT.invokeExact(x.capture, RLIMIT_NOFILE, rl));
                return nfd;
            }
            rl.set(JAVA_LONG, 0, nfd);
            rl.set(JAVA_LONG, 8, nfd);
            int r = (int) LinuxSyscalls.raw(s, x -> (int) Libc48.SETRLIMIT.invokeExact(x.capture, RLIMIT_NOFILE, rl));
            if (r == 0) {
                return nfd;
            }
            SyscallException failure = s.failure();
            rl.set(JAVA_LONG, 0, max);
            rl.set(JAVA_LONG, 8, max);
            LinuxSyscalls.raw(s, x -> (int) Libc48.SETRLIMIT.invokeExact(x.capture, RLIMIT_NOFILE, rl)); // as far as it goes
            throw failure;
        }
    }

    /**
     * {@code mmap(2)}, the memory owned by a shared arena whose close runs {@code munmap}: the
     * buffer made from it checks the arena on every access, so a use after close throws instead of
     * faulting. The buffer is read-only without {@code PROT_WRITE} (a write would fault).
     */
    @SuppressWarnings("restricted")
    static org.ioaio.internal.sys.MappedRegion mmap(FileHandle file, long offset, long length, int prot, int flags)
            throws SyscallException {
        LinuxFileHandle h = file == null ? null : LinuxSyscalls.own(file);
        int fd = h == null ? -1 : h.acquire();
        MemorySegment addr;
        Scratch s = LinuxSyscalls.scratch();
        try {
            addr = (MemorySegment) Libc48.MMAP.invokeExact(s.capture, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        } finally {
            if (h != null) {
                h.unuse(); // the mapping keeps the file; the descriptor may go
            }
        }
        if (addr.address() == -1L) {
            throw s.failure();
        }
        Arena arena = Arena.ofShared();
        long at = addr.address();
        MemorySegment seg = addr.reinterpret(length, arena, m -> munmap(at, length));
        ByteBuffer buffer = seg.asByteBuffer();
        ByteBuffer view = (prot & AioConstants.PROT_WRITE) != 0 ? buffer : buffer.asReadOnlyBuffer();
        return new org.ioaio.internal.sys.MappedRegion() {
            @Override
            public ByteBuffer buffer() {
                return view;
            }

            @Override
            public boolean isOpen() {
                return arena.scope().isAlive();
            }

            @Override
            public synchronized void close() throws SyscallException {
                if (!arena.scope().isAlive()) {
                    return;
                }
                try {
                    arena.close();
                } catch (IllegalStateException inUse) {
                    throw new SyscallException(Errno.EBUSY);
                }
            }
        };
    }

    private static void munmap(long address, long length) {
        try {
            int r = (int) Libc48.MUNMAP.invokeExact(LinuxSyscalls.scratch().capture, MemorySegment.ofAddress(address), length);
            if (r != 0) {
                System.getLogger("org.ioaio").log(System.Logger.Level.WARNING,
                        "aio: munmap failed: " + Errno.describe(Libc.errno(LinuxSyscalls.scratch().capture)));
            }
        } catch (Throwable t) {
            System.getLogger("org.ioaio").log(System.Logger.Level.WARNING, "aio: munmap failed", t);
        }
    }
}
