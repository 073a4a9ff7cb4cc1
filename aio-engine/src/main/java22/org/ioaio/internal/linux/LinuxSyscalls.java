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
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.ioaio.AioConstants.O_CLOEXEC;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.internal.linux.Libc.AT_FDCWD;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.ioaio.AioConstants;
import org.ioaio.internal.sys.BeneathSyscalls;
import org.ioaio.internal.sys.KernelResolvedSyscalls;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.ForwardingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * The native syscall layer (Linux x86-64, Java 22+): every call is the libc function of the same
 * name through the FFM API ({@link Libc}), on real file descriptors ({@link LinuxFileHandle}), with
 * the errno the call itself set. Nothing is emulated: mknod of FIFOs and devices, every fallocate
 * mode, sync_file_range, syncfs, sync, the renameat2 flags, {@code O_PATH}/{@code O_TMPFILE},
 * SEEK_DATA/SEEK_HOLE, fstat of an unlinked file and {@code st_blocks} are the kernel's.
 * How each call is made, paths, buffers and memory: see the package comment.
 */
public class LinuxSyscalls extends ForwardingSyscalls {

    /** Native syscalls ignore interrupts: a flushing thread may run requests itself. */
    @Override
    public boolean survivesInterrupts() {
        return true;
    }

    /** {@code getdents64} reports {@code d_type} with each name (DT_UNKNOWN where the file system does not fill it in). */
    @Override
    public boolean readdirTypesFree() {
        return true;
    }


    /** Per-thread bounce buffers up to this size are kept for reuse; larger ones are freed after the call. */
    static final int MAX_CACHED_IO = 256 * 1024;
    /** The most {@code read}/{@code write}/{@code sendfile} transfer in one call on Linux. */
    private static final long MAX_RW = 0x7fff_f000L;
    /** The page size msync aligns to (x86-64's base page). */
    private static final long PAGE = 4096;
    /** What sendfile's emulation copies per pread/write. */
    private static final int SENDFILE_CHUNK = 64 * 1024;
    private static final int ENOTSOCK = 88;
    private static final int EOPNOTSUPP = 95;

    /** The charset the JDK encodes file names in. */
    private static final Charset JNU = jnuCharset();
    private static final Path ROOT = Path.of("/");

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** The empty C string: the name of an *at-call with {@code AT_EMPTY_PATH}. */
    static final MemorySegment EMPTY_NAME = Arena.global().allocate(1);

    private final NioSyscalls portable = new NioSyscalls();

    /** Only {@link #create()} and subclasses (the tests' io_uring layer) make one. */
    LinuxSyscalls() {
    }

    /**
     * Links every libc function and returns the layer; called by name by
     * {@code org.ioaio.internal.Platform} on Java 22+ on Linux.
     *
     * @return the native layer
     * @throws UnsatisfiedLinkError if a libc function is missing
     * @throws UnsupportedOperationException if the platform is not x86-64 (the struct layouts are x86-64's)
     */
    public static Syscalls create() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new UnsupportedOperationException("struct layouts are x86-64's, os.arch=" + arch);
        }
        if (Libc.CAPTURE_LAYOUT.byteSize() < 4) {
            throw new UnsupportedOperationException("no errno in the capture layout");
        }
        return new LinuxSyscalls();
    }

    /**
     * Puts the calling thread under {@code SCHED_BATCH} ({@code sched_setscheduler(0, SCHED_BATCH,
     * {0})}): the kernel treats it as CPU-bound and never lets its wake-up preempt the thread running
     * on a processor. Called by name from {@code org.ioaio.internal.Platform} on each worker thread.
     *
     * @return 0, or the errno
     */
    public static int batchCurrentThread() {
        Scratch s = scratch();
        s.buf.set(JAVA_INT, 0, 0); // struct sched_param { int sched_priority; }: 0, as SCHED_BATCH requires
        try {
            invoke(s, x -> (int) Libc.SCHED_SETSCHEDULER.invokeExact(x.capture, 0, Libc.SCHED_BATCH, x.buf));
            return 0;
        } catch (SyscallException e) {
            return e.errno();
        }
    }

    /** {@code this}: every {@link Path} form of a path call is this layer's {@link Pathname} form of it. */
    @Override
    protected Syscalls paths() {
        return this;
    }

    /** The portable layer: the two fallbacks below, and whatever this class does not write (see the package comment). */
    @Override
    protected NioSyscalls delegate() {
        return portable;
    }

    // ---------------------------------------------------------------- descriptors

    /** {@inheritDoc} Native: {@code openat(AT_FDCWD, path, flags, mode)}, every flag as the kernel takes it. */
    @Override
    public FileHandle open(Pathname path, int flags, int mode) throws SyscallException {
        int fd = onPath(path, (s, name) -> (int) Libc.OPENAT.invokeExact(s.capture, AT_FDCWD, name, flags, mode));
        return new LinuxFileHandle(path.path(), flags, fd);
    }

    /**
     * {@inheritDoc} Native: {@code close(2)} once no call on the handle is in flight (see {@link
     * LinuxFileHandle}); a close the io_uring lane took but could not submit reports its outcome here.
     */
    @Override
    public int close(FileHandle file) throws SyscallException {
        LinuxFileHandle h = own(file);
        int handedBack = h.takeHandedBackClose();
        if (handedBack > 0) {
            throw new SyscallException(handedBack);
        }
        if (handedBack < 0) {
            h.closeOnce();
        }
        return 0;
    }

    /** {@inheritDoc} */
    @Override
    public long lseek(FileHandle file, long offset, int whence) throws SyscallException {
        return onFdLong(file, (s, fd) -> (long) Libc.LSEEK.invokeExact(s.capture, fd, offset, whence));
    }

    /** {@inheritDoc} */
    @Override
    public int pread(FileHandle file, ByteBuffer dst, long offset) throws SyscallException {
        return input(own(file), dst, offset, true);
    }

    /** {@inheritDoc} */
    @Override
    public int read(FileHandle file, ByteBuffer dst) throws SyscallException {
        return input(own(file), dst, 0, false);
    }

    /** {@inheritDoc} */
    @Override
    public int pwrite(FileHandle file, ByteBuffer src, long offset) throws SyscallException {
        return output(own(file), src, offset, true);
    }

    /** {@inheritDoc} */
    @Override
    public int write(FileHandle file, ByteBuffer src) throws SyscallException {
        return output(own(file), src, 0, false);
    }

    /** {@code pread(2)} or {@code read(2)} into {@code dst}'s remaining space. */
    private int input(LinuxFileHandle h, ByteBuffer dst, long offset, boolean positional) throws SyscallException {
        if (dst.isReadOnly()) {
            throw new SyscallException(Errno.EINVAL);
        }
        int length = dst.remaining();
        boolean direct = dst.isDirect();
        int fd = h.acquire();
        try (Arena large = direct || length <= MAX_CACHED_IO ? null : Arena.ofConfined()) {
            Scratch s = scratch();
            MemorySegment into = direct ? MemorySegment.ofBuffer(dst) : bounce(s, large, length);
            int n = (int) in(s, fd, into, length, offset, positional);
            if (!direct) {
                MemorySegment.copy(into, JAVA_BYTE, 0, dst.array(), dst.arrayOffset() + dst.position(), n);
            }
            dst.position(dst.position() + n);
            return n;
        } finally {
            h.unuse();
        }
    }

    /**
     * The transfer of {@link #pread}/{@link #read}: {@code pread(2)} (or {@code read(2)} unless
     * {@code positional}) of {@code length} bytes into native memory; a subclass may submit it elsewhere.
     */
    long in(Scratch s, int fd, MemorySegment into, long length, long offset, boolean positional)
            throws SyscallException {
        return invokeLong(s, x -> positional
                ? (long) Libc.PREAD.invokeExact(x.capture, fd, into, length, offset)
                : (long) Libc.READ.invokeExact(x.capture, fd, into, length));
    }

    /** {@code pwrite(2)} or {@code write(2)} of {@code src}'s remaining bytes. */
    private int output(LinuxFileHandle h, ByteBuffer src, long offset, boolean positional) throws SyscallException {
        int length = src.remaining();
        MemorySegment from = MemorySegment.ofBuffer(src);
        boolean direct = from.isNative();
        int fd = h.acquire();
        try (Arena large = direct || length <= MAX_CACHED_IO ? null : Arena.ofConfined()) {
            Scratch s = scratch();
            if (!direct) {
                MemorySegment bounce = bounce(s, large, length);
                MemorySegment.copy(from, 0, bounce, 0, length);
                from = bounce;
            }
            int n = (int) out(s, fd, from, length, offset, positional);
            src.position(src.position() + n);
            return n;
        } finally {
            h.unuse();
        }
    }

    /** The native buffer a heap buffer's transfer goes through: the thread's, or one of {@code large} beyond {@link #MAX_CACHED_IO}. */
    private static MemorySegment bounce(Scratch s, Arena large, int length) {
        return large == null ? s.io(length) : large.allocate(length, PAGE);
    }

    /** The transfer of {@link #pwrite}/{@link #write}, as {@link #in} is of reads. */
    long out(Scratch s, int fd, MemorySegment from, long length, long offset, boolean positional)
            throws SyscallException {
        return invokeLong(s, x -> positional
                ? (long) Libc.PWRITE.invokeExact(x.capture, fd, from, length, offset)
                : (long) Libc.WRITE.invokeExact(x.capture, fd, from, length));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code sendfile(2)} until done or short; emulated with {@code pread}/{@code write} when
     * the first call fails with EINVAL, ENOSYS, ENOTSOCK or EOPNOTSUPP (see the class comment). A
     * failure after some bytes were copied returns the count, as {@code write(2)} does.
     */
    @Override
    public long sendfile(FileHandle out, FileHandle in, long inOffset, long length) throws SyscallException {
        LinuxFileHandle o = own(out);
        LinuxFileHandle i = own(in);
        if (inOffset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        int ofd = o.acquire();
        try {
            int ifd = i.acquire();
            try {
                return sendfile(scratch(), ofd, ifd, inOffset, length);
            } finally {
                i.unuse();
            }
        } finally {
            o.unuse();
        }
    }

    private static long sendfile(Scratch s, int ofd, int ifd, long inOffset, long length) throws SyscallException {
        long total = 0;
        do {
            long chunk = Math.min(length - total, MAX_RW);
            s.buf.set(JAVA_LONG, 0, inOffset + total);
            long n = raw(s, x -> (long) Libc.SENDFILE.invokeExact(x.capture, ofd, ifd, x.buf, chunk));
            if (n < 0) {
                int errno = Libc.errno(s.capture);
                if (total > 0) {
                    return total;
                }
                if (errno == Errno.EINVAL.code() || errno == Errno.ENOSYS.code() || errno == ENOTSOCK || errno == EOPNOTSUPP) {
                    return emulateSendfile(s, ofd, ifd, inOffset, length, errno);
                }
                throw new SyscallException(errno);
            }
            total += n;
            if (n < chunk) {
                break;
            }
        } while (total < length);
        return total;
    }

    /** sendfile as {@code pread} + {@code write} loops (libeio's emulation); {@code cause} if nothing can be copied. */
    private static long emulateSendfile(Scratch s, int ofd, int ifd, long inOffset, long length, int cause)
            throws SyscallException {
        MemorySegment b = s.io((int) Math.min(length, SENDFILE_CHUNK));
        long total = 0;
        while (total < length) {
            long want = Math.min(b.byteSize(), length - total);
            long at = inOffset + total;
            long n = raw(s, x -> (long) Libc.PREAD.invokeExact(x.capture, ifd, b, want, at));
            if (n <= 0) {
                if (n < 0 && total == 0) {
                    throw s.failure();
                }
                break;
            }
            long w = raw(s, x -> (long) Libc.WRITE.invokeExact(x.capture, ofd, b, n));
            if (w < 0) {
                if (total == 0) {
                    throw s.failure();
                }
                break;
            }
            total += w;
            if (w < n) {
                break;
            }
        }
        return total;
    }

    /** {@inheritDoc} Native: {@code readahead(2)}; a negative offset or length is EINVAL. */
    @Override
    public int readahead(FileHandle file, long offset, long length) throws SyscallException {
        own(file);
        if (offset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        onFdLong(file, (s, fd) -> (long) Libc.READAHEAD.invokeExact(s.capture, fd, offset, length));
        return 0;
    }

    /** {@inheritDoc} Native: {@code posix_fadvise(2)}, whose result is the errno itself; the kernel checks everything. */
    @Override
    public int fadvise(FileHandle file, long offset, long length, int advice) throws SyscallException {
        LinuxFileHandle h = own(file);
        int fd = h.acquire();
        try {
            return fadvise(fd, offset, length, advice);
        } finally {
            h.unuse();
        }
    }

    /** {@code posix_fadvise(fd, offset, length, advice)}; a subclass may submit it elsewhere ({@code IORING_OP_FADVISE}). */
    int fadvise(int fd, long offset, long length, int advice) throws SyscallException {
        int r = (int) raw(scratch(), x -> (int) Libc.POSIX_FADVISE.invokeExact(fd, offset, length, advice));
        if (r != 0) {
            throw new SyscallException(r);
        }
        return 0;
    }

    // ---------------------------------------------------------------- status

    /** {@inheritDoc} Native: {@code fstatat(AT_FDCWD, path, &st, 0)}; every field is the kernel's. */
    @Override
    public FileStat stat(Pathname path) throws SyscallException {
        return statAt(path, 0);
    }

    /** {@inheritDoc} Native: {@code fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW)}. */
    @Override
    public FileStat lstat(Pathname path) throws SyscallException {
        return statAt(path, Libc.AT_SYMLINK_NOFOLLOW);
    }

    private FileStat statAt(Pathname path, int flags) throws SyscallException {
        Scratch s = scratch();
        return statAt(s, s.path(0, path), flags);
    }

    /** {@code fstatat(AT_FDCWD, name, ..., flags)}; a subclass may submit it elsewhere. */
    FileStat statAt(Scratch s, MemorySegment name, int flags) throws SyscallException {
        return fstatat(s, AT_FDCWD, name, flags);
    }

    /** {@code fstatat(dirfd, name, ..., flags)}. */
    static FileStat fstatat(Scratch s, int dirfd, MemorySegment name, int flags) throws SyscallException {
        invoke(s, x -> (int) Libc.FSTATAT.invokeExact(x.capture, dirfd, name, x.buf, flags));
        return toStat(s.buf);
    }

    /** {@inheritDoc} Native: {@code fstat(2)}, also for a file whose name is gone. */
    @Override
    public FileStat fstat(FileHandle file) throws SyscallException {
        LinuxFileHandle h = own(file);
        int fd = h.acquire();
        try {
            return fstat(scratch(), fd);
        } finally {
            h.unuse();
        }
    }

    /** {@code fstat(fd)}; a subclass may submit it elsewhere. */
    FileStat fstat(Scratch s, int fd) throws SyscallException {
        invoke(s, x -> (int) Libc.FSTAT.invokeExact(x.capture, fd, x.buf));
        return toStat(s.buf);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code statx(AT_FDCWD, path, flags, mask)}: every field the file system reports,
     * the birth time included where it keeps one ({@code STATX_BTIME} in {@link FileStat#mask()});
     * flags and mask are checked by the kernel.
     */
    @Override
    public FileStat statx(Pathname path, int flags, int mask) throws SyscallException {
        Scratch s = scratch();
        return statx(s, AT_FDCWD, s.path(0, path), flags, mask);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code statx(fd, "", AT_EMPTY_PATH | flags, mask)}, also for a file whose name is
     * gone. Flags and mask are checked here first, as for a path: the kernel's shortcut for a
     * descriptor does not check them.
     */
    @Override
    public FileStat fstatx(FileHandle file, int flags, int mask) throws SyscallException {
        LinuxFileHandle h = own(file);
        NioSyscalls.checkStatx(flags, mask);
        int fd = h.acquire();
        try {
            return statx(scratch(), fd, EMPTY_NAME, flags | Libc.AT_EMPTY_PATH, mask);
        } finally {
            h.unuse();
        }
    }

    /** {@code statx(dirfd, name, flags, mask)}; a subclass may submit it elsewhere ({@code IORING_OP_STATX}). */
    FileStat statx(Scratch s, int dirfd, MemorySegment name, int flags, int mask) throws SyscallException {
        invoke(s, x -> (int) Libc.STATX.invokeExact(x.capture, dirfd, name, flags, mask, x.statx));
        return toStatx(s.statx, false);
    }

    /**
     * {@code struct statx}, checked with {@code offsetof} by gcc on x86-64: stx_mask@0 u32,
     * stx_blksize@4 u32, stx_attributes@8 u64, stx_nlink@16 u32, stx_uid@20, stx_gid@24 u32,
     * stx_mode@28 u16, stx_ino@32, stx_size@40, stx_blocks@48, stx_attributes_mask@56 (u64),
     * stx_atime@64, stx_btime@80, stx_ctime@96, stx_mtime@112 ({s64 tv_sec@0, u32 tv_nsec@8}, 16
     * bytes each), stx_rdev_major@128, stx_rdev_minor@132, stx_dev_major@136, stx_dev_minor@140
     * (u32); 256 bytes. Device numbers are joined as glibc's {@code makedev} joins {@code st_dev}; the
     * mask keeps the bits a {@link FileStat} holds ({@code STATX_ALL}); the birth time is 0 unless
     * {@code STATX_BTIME} is in it (the kernel zeroes what it does not fill).
     *
     * @param x the {@code struct statx}
     * @param basic {@code true} for what {@code stat} reports: the mask {@code STATX_BASIC_STATS},
     *     no birth time (a {@code statx} standing in for {@code fstatat})
     * @return the fields
     */
    static FileStat toStatx(MemorySegment x, boolean basic) {
        int mask = basic ? AioConstants.STATX_BASIC_STATS : x.get(JAVA_INT, 0) & AioConstants.STATX_ALL;
        boolean btime = (mask & AioConstants.STATX_BTIME) != 0;
        return new FileStat(
                AioConstants.makedev(x.get(JAVA_INT, 136), x.get(JAVA_INT, 140)),
                x.get(JAVA_LONG, 32),
                Short.toUnsignedInt(x.get(JAVA_SHORT, 28)),
                Integer.toUnsignedLong(x.get(JAVA_INT, 16)),
                x.get(JAVA_INT, 20),
                x.get(JAVA_INT, 24),
                AioConstants.makedev(x.get(JAVA_INT, 128), x.get(JAVA_INT, 132)),
                x.get(JAVA_LONG, 40),
                x.get(JAVA_LONG, 64), x.get(JAVA_INT, 72),
                x.get(JAVA_LONG, 112), x.get(JAVA_INT, 120),
                x.get(JAVA_LONG, 96), x.get(JAVA_INT, 104),
                Integer.toUnsignedLong(x.get(JAVA_INT, 4)),
                x.get(JAVA_LONG, 48),
                btime ? x.get(JAVA_LONG, 80) : 0, btime ? x.get(JAVA_INT, 88) : 0,
                mask);
    }

    /**
     * {@code struct stat} of x86-64 (glibc = kernel), checked with {@code offsetof} by gcc: st_dev@0,
     * st_ino@8, st_nlink@16 (u64), st_mode@24, st_uid@28, st_gid@32 (u32), st_rdev@40, st_size@48,
     * st_blksize@56, st_blocks@64, st_atim@72, st_mtim@88, st_ctim@104 ({sec, nsec} as two i64); 144 bytes.
     */
    static FileStat toStat(MemorySegment b) {
        return new FileStat(
                b.get(JAVA_LONG, 0),
                b.get(JAVA_LONG, 8),
                b.get(JAVA_INT, 24),
                b.get(JAVA_LONG, 16),
                b.get(JAVA_INT, 28),
                b.get(JAVA_INT, 32),
                b.get(JAVA_LONG, 40),
                b.get(JAVA_LONG, 48),
                b.get(JAVA_LONG, 72), (int) b.get(JAVA_LONG, 80),
                b.get(JAVA_LONG, 88), (int) b.get(JAVA_LONG, 96),
                b.get(JAVA_LONG, 104), (int) b.get(JAVA_LONG, 112),
                b.get(JAVA_LONG, 56),
                b.get(JAVA_LONG, 64));
    }

    /** {@inheritDoc} Native: {@code statvfs(3)}; every field is the kernel's (glibc adds the mount flags). */
    @Override
    public StatVfs statvfs(Pathname path) throws SyscallException {
        onPath(path, (s, name) -> (int) Libc.STATVFS.invokeExact(s.capture, name, s.buf));
        return toStatVfs(scratch().buf);
    }

    /** {@inheritDoc} Native: {@code fstatvfs(3)}. */
    @Override
    public StatVfs fstatvfs(FileHandle file) throws SyscallException {
        onFd(file, (s, fd) -> (int) Libc.FSTATVFS.invokeExact(s.capture, fd, s.buf));
        return toStatVfs(scratch().buf);
    }

    /**
     * {@code struct statvfs} of x86-64 glibc, checked with {@code offsetof} by gcc: eleven unsigned
     * longs f_bsize@0, f_frsize@8, f_blocks@16, f_bfree@24, f_bavail@32, f_files@40, f_ffree@48,
     * f_favail@56, f_fsid@64, f_flag@72, f_namemax@80, then spare ints; 112 bytes.
     */
    static StatVfs toStatVfs(MemorySegment b) {
        return new StatVfs(
                b.get(JAVA_LONG, 0), b.get(JAVA_LONG, 8), b.get(JAVA_LONG, 16), b.get(JAVA_LONG, 24),
                b.get(JAVA_LONG, 32), b.get(JAVA_LONG, 40), b.get(JAVA_LONG, 48), b.get(JAVA_LONG, 56),
                b.get(JAVA_LONG, 64), b.get(JAVA_LONG, 72), b.get(JAVA_LONG, 80));
    }

    // ---------------------------------------------------------------- attributes

    /** {@inheritDoc} Native: {@code utimensat(AT_FDCWD, path, times, 0)}; {@code null} is {@code UTIME_NOW}. */
    @Override
    public int utime(Pathname path, Instant atime, Instant mtime) throws SyscallException {
        return onPath(path, (s, name) -> (int) Libc.UTIMENSAT.invokeExact(s.capture, AT_FDCWD, name, s.times(atime, mtime), 0));
    }

    /** {@inheritDoc} Native: {@code futimens(3)}; {@code null} is {@code UTIME_NOW}. */
    @Override
    public int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.FUTIMENS.invokeExact(s.capture, fd, s.times(atime, mtime)));
    }

    /** {@inheritDoc} Native: {@code fchownat(AT_FDCWD, path, uid, gid, 0)}. */
    @Override
    public int chown(Pathname path, int uid, int gid) throws SyscallException {
        return onPath(path, (s, name) -> (int) Libc.FCHOWNAT.invokeExact(s.capture, AT_FDCWD, name, uid, gid, 0));
    }

    /** {@inheritDoc} Native: {@code fchown(2)}. */
    @Override
    public int fchown(FileHandle file, int uid, int gid) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.FCHOWN.invokeExact(s.capture, fd, uid, gid));
    }

    /** {@inheritDoc} Native: {@code fchmodat(AT_FDCWD, path, mode, 0)}. */
    @Override
    public int chmod(Pathname path, int mode) throws SyscallException {
        return onPath(path, (s, name) -> (int) Libc.FCHMODAT.invokeExact(s.capture, AT_FDCWD, name, mode, 0));
    }

    /** {@inheritDoc} Native: {@code fchmod(2)}. */
    @Override
    public int fchmod(FileHandle file, int mode) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.FCHMOD.invokeExact(s.capture, fd, mode));
    }

    /** {@inheritDoc} Native: {@code truncate(2)}. */
    @Override
    public int truncate(Pathname path, long length) throws SyscallException {
        return onPath(path, (s, name) -> (int) Libc.TRUNCATE.invokeExact(s.capture, name, length));
    }

    /** {@inheritDoc} Native: {@code ftruncate(2)}. */
    @Override
    public int ftruncate(FileHandle file, long length) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.FTRUNCATE.invokeExact(s.capture, fd, length));
    }

    /** {@inheritDoc} Native: {@code fallocate(2)} with every mode the file system supports. */
    @Override
    public int fallocate(FileHandle file, int mode, long offset, long length) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.FALLOCATE.invokeExact(s.capture, fd, mode, offset, length));
    }

    // ---------------------------------------------------------------- names

    /** {@inheritDoc} Native: {@code unlinkat(AT_FDCWD, path, 0)}. */
    @Override
    public int unlink(Pathname path) throws SyscallException {
        return unlinkAt(path, 0);
    }

    /** {@inheritDoc} Native: {@code unlinkat(AT_FDCWD, path, AT_REMOVEDIR)}. */
    @Override
    public int rmdir(Pathname path) throws SyscallException {
        return unlinkAt(path, Libc.AT_REMOVEDIR);
    }

    private int unlinkAt(Pathname path, int flags) throws SyscallException {
        return onPath(path, (s, name) -> (int) Libc.UNLINKAT.invokeExact(s.capture, AT_FDCWD, name, flags));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code mknodat(AT_FDCWD, path, mode, dev)}: regular files, FIFOs, sockets and (with
     * privilege) devices. A {@code dev} that does not fit the kernel's 32 bits is EINVAL, as in glibc.
     */
    @Override
    public int mknod(Pathname path, int mode, long dev) throws SyscallException {
        scratch().path(0, path); // ENOENT for the empty name, before EINVAL for the number
        if ((dev >>> 32) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return onPath(path, (s, name) -> (int) Libc.MKNODAT.invokeExact(s.capture, AT_FDCWD, name, mode, dev));
    }

    /** {@inheritDoc} Native: {@code linkat(AT_FDCWD, existing, AT_FDCWD, newPath, 0)}. */
    @Override
    public int link(Pathname existing, Pathname newPath) throws SyscallException {
        return onPaths(existing, newPath, (s, a, b) -> (int) Libc.LINKAT.invokeExact(s.capture, AT_FDCWD, a, AT_FDCWD, b, 0));
    }

    /** {@inheritDoc} Native: {@code symlinkat(target, AT_FDCWD, linkPath)}, the target's bytes verbatim. */
    @Override
    public int symlink(Pathname target, Pathname linkPath) throws SyscallException {
        Scratch s = scratch();
        MemorySegment l = s.path(1, linkPath);
        MemorySegment t = s.path(0, target);
        return invoke(s, x -> (int) Libc.SYMLINKAT.invokeExact(x.capture, t, AT_FDCWD, l));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code readlinkat(AT_FDCWD, path, ...)}; a target that is not valid in the file name
     * encoding is read again by the portable layer, which keeps its bytes.
     */
    @Override
    public Pathname readlink(Pathname path) throws SyscallException {
        Scratch s = scratch();
        MemorySegment name = s.path(0, path);
        for (long size = Libc.PATH_MAX; ; size *= 2) {
            MemorySegment out = s.io((int) size);
            long want = size;
            long n = invokeLong(s, x -> (long) Libc.READLINKAT.invokeExact(x.capture, AT_FDCWD, name, out, want));
            if (n < size) {
                String target = decodeText(out.asSlice(0, n).toArray(JAVA_BYTE), (int) n);
                return target != null ? Pathname.of(target) : Pathname.of(portable.readlink(path.path()));
            }
            if (size >= MAX_CACHED_IO) {
                throw new SyscallException(Errno.ENAMETOOLONG);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code realpath(3)} into a {@code PATH_MAX} buffer; a result that is not valid in the
     * file name encoding is resolved again by the portable layer, which keeps its bytes.
     */
    @Override
    public Path realpath(Path path) throws SyscallException {
        Scratch s = scratch();
        MemorySegment name = s.path(0, Pathname.of(path));
        MemorySegment out = s.io(Libc.PATH_MAX);
        MemorySegment r;
        try {
            r = (MemorySegment) Libc.REALPATH.invokeExact(s.capture, name, out);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        if (r.address() == 0) {
            throw s.failure();
        }
        int n = 0;
        while (n < Libc.PATH_MAX && out.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        Path real = decode(out, n);
        return real != null ? real : portable.realpath(path);
    }

    /** {@inheritDoc} Native: {@code renameat(AT_FDCWD, from, AT_FDCWD, to)}. */
    @Override
    public int rename(Pathname from, Pathname to) throws SyscallException {
        return onPaths(from, to, (s, a, b) -> (int) Libc.RENAMEAT.invokeExact(s.capture, AT_FDCWD, a, AT_FDCWD, b));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code renameat2(AT_FDCWD, from, AT_FDCWD, to, flags)}: NOREPLACE, EXCHANGE and
     * WHITEOUT as the file system supports them (EINVAL where it does not).
     */
    @Override
    public int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
        return onPaths(from, to, (s, a, b) -> (int) Libc.RENAMEAT2.invokeExact(s.capture, AT_FDCWD, a, AT_FDCWD, b, flags));
    }

    /** {@inheritDoc} Native: {@code mkdirat(AT_FDCWD, path, mode)}. */
    @Override
    public int mkdir(Pathname path, int mode) throws SyscallException {
        return onPath(path, (s, name) -> (int) Libc.MKDIRAT.invokeExact(s.capture, AT_FDCWD, name, mode));
    }

    // ---------------------------------------------------------------- directories

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code openat(O_DIRECTORY)} and {@code getdents64(2)}, names with their exact bytes.
     */
    @Override
    public List<Path> readdir(Pathname dir) throws SyscallException {
        List<Path> names = new ArrayList<>();
        getdents(dir, (name, type, ino) -> names.add(name));
        return names;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code getdents64(2)}'s own {@code d_type} and {@code d_ino}, with no {@code lstat}
     * (a file system that does not fill in {@code d_type} reports {@code DT_UNKNOWN}, as in C).
     */
    @Override
    public List<DirEntry> readdirDents(Pathname dir) throws SyscallException {
        List<DirEntry> entries = new ArrayList<>();
        getdents(dir, (name, type, ino) -> entries.add(new DirEntry(name, type, ino)));
        return entries;
    }

    /** Receives one directory entry. */
    @FunctionalInterface
    interface Dirent {
        void accept(Path name, int type, long ino);
    }

    /** The bytes getdents64 is given per call; a {@code linux_dirent64} is at most 280 bytes. */
    private static final int DENTS_BUFFER = 32 * 1024;

    /**
     * Lists {@code dir} with {@code getdents64}, skipping {@code .} and {@code ..}: see {@link #getdents(Scratch, int, Dirent)}.
     */
    private void getdents(Pathname dir, Dirent sink) throws SyscallException {
        int fd = onPath(dir, (x, name) -> (int) Libc.OPENAT.invokeExact(x.capture, AT_FDCWD, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
        Scratch s = scratch();
        try {
            getdents(s, fd, sink);
        } finally {
            closeDirectory(s, fd);
        }
    }

    /** The names in the open directory {@code fd} (not closed), as {@link #readdir}. */
    static List<Path> names(Scratch s, int fd) throws SyscallException {
        List<Path> names = new ArrayList<>();
        getdents(s, fd, (name, type, ino) -> names.add(name));
        return names;
    }

    /** The entries of the open directory {@code fd} (not closed), as {@link #readdirDents}. */
    static List<DirEntry> entries(Scratch s, int fd) throws SyscallException {
        List<DirEntry> entries = new ArrayList<>();
        getdents(s, fd, (name, type, ino) -> entries.add(new DirEntry(name, type, ino)));
        return entries;
    }

    /**
     * Lists the open directory {@code fd} (not closed) with {@code getdents64}, skipping {@code .}
     * and {@code ..}: {@code struct linux_dirent64 { u64 d_ino@0; s64 d_off@8; u16 d_reclen@16; u8
     * d_type@18; char d_name[]@19; }}.
     */
    static void getdents(Scratch s, int fd, Dirent sink) throws SyscallException {
        MemorySegment buf = s.io(DENTS_BUFFER);
        for (;;) {
            long n = invokeLong(s, x -> (long) Libc.GETDENTS64.invokeExact(x.capture, fd, buf, (long) DENTS_BUFFER));
            if (n == 0) {
                return;
            }
            for (long at = 0; at < n; ) {
                long ino = buf.get(JAVA_LONG, at);
                int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, at + 16));
                int type = Byte.toUnsignedInt(buf.get(JAVA_BYTE, at + 18));
                long start = at + 19;
                int length = 0;
                while (buf.get(JAVA_BYTE, start + length) != 0) {
                    length++;
                }
                if (!isDotOrDotDot(buf, start, length)) {
                    sink.accept(entryName(s, buf, start, length), type, ino);
                }
                at += reclen;
            }
        }
    }

    private static boolean isDotOrDotDot(MemorySegment buf, long start, int length) {
        return (length == 1 && buf.get(JAVA_BYTE, start) == '.')
                || (length == 2 && buf.get(JAVA_BYTE, start) == '.' && buf.get(JAVA_BYTE, start + 1) == '.');
    }

    /** An entry's name as a one-element {@link Path} with exactly its bytes (copied once, into the thread's name buffer). */
    private static Path entryName(Scratch s, MemorySegment buf, long start, int length) {
        byte[] raw = length <= s.name.length ? s.name : new byte[length];
        MemorySegment.copy(buf, JAVA_BYTE, start, raw, 0, length);
        Path name = decode(raw, length);
        if (name != null) {
            return name;
        }
        // Not valid in the file name encoding: the JDK keeps raw bytes only for paths it made itself,
        // such as one decoded from a file: URI, where every byte can be percent-encoded.
        StringBuilder uri = new StringBuilder("file:///");
        for (int i = 0; i < length; i++) {
            int b = Byte.toUnsignedInt(buf.get(JAVA_BYTE, start + i));
            uri.append('%').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return Path.of(java.net.URI.create(uri.toString())).getFileName();
    }

    /** {@code close(fd)} of a descriptor nothing was written through (a directory, an {@code O_PATH} one): no error to report. */
    static void closeDirectory(Scratch s, int fd) {
        raw(s, x -> (int) Libc.CLOSE.invokeExact(x.capture, fd)); // nothing was written: an error here loses nothing
    }

    // ---------------------------------------------------------------- sync

    /** {@inheritDoc} */
    @Override
    public int fsync(FileHandle file) throws SyscallException {
        return sync(own(file), false);
    }

    /** {@inheritDoc} */
    @Override
    public int fdatasync(FileHandle file) throws SyscallException {
        return sync(own(file), true);
    }

    private int sync(LinuxFileHandle h, boolean dataOnly) throws SyscallException {
        int fd = h.acquire();
        try {
            return sync(scratch(), fd, dataOnly);
        } finally {
            h.unuse();
        }
    }

    /** {@code fsync(fd)} or {@code fdatasync(fd)}; a subclass may submit it elsewhere. */
    int sync(Scratch s, int fd, boolean dataOnly) throws SyscallException {
        return invoke(s, x -> dataOnly ? (int) Libc.FDATASYNC.invokeExact(x.capture, fd) : (int) Libc.FSYNC.invokeExact(x.capture, fd));
    }

    /** {@inheritDoc} Native: {@code syncfs(2)}. */
    @Override
    public int syncfs(FileHandle file) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.SYNCFS.invokeExact(s.capture, fd));
    }

    /** {@inheritDoc} Native: {@code sync_file_range(2)}. */
    @Override
    public int syncFileRange(FileHandle file, long offset, long nbytes, int flags) throws SyscallException {
        return onFd(file, (s, fd) -> (int) Libc.SYNC_FILE_RANGE.invokeExact(s.capture, fd, offset, nbytes, flags));
    }

    /** {@inheritDoc} Native: {@code sync(2)}, which cannot fail. */
    @Override
    public int sync() {
        raw(scratch(), x -> {
            Libc.SYNC.invokeExact();
            return 0;
        });
        return 0;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: {@code msync(2)} of the whole pages holding the range (libeio aligns the same way,
     * since a mapping's buffer need not start on a page); flags are checked by the kernel.
     */
    @Override
    public int msync(MappedByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        if (offset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (offset > buffer.capacity() || length > buffer.capacity() - offset) {
            throw new SyscallException(Errno.ENOMEM); // "not mapped"
        }
        long base = MemorySegment.ofBuffer(buffer).address() - buffer.position();
        long start = base + offset;
        long aligned = start & -PAGE;
        long span = length == 0 ? 0 : length + (start - aligned);
        try {
            return invoke(scratch(), s -> (int) Libc.MSYNC.invokeExact(s.capture, MemorySegment.ofAddress(aligned), span, flags));
        } finally {
            Reference.reachabilityFence(buffer); // the mapping stays while msync runs
        }
    }

    // ---------------------------------------------------------------- jails

    /**
     * {@inheritDoc}
     *
     * <p>Native: the jail's calls through {@code openat2(2)}, relative to a descriptor of {@code dir}
     * this layer opens once and attaches to it ({@link LinuxBeneathSyscalls}). ENOSYS where
     * {@code openat2} is missing or refused, or {@code /proc/self/fd} is not there: the working
     * directory layer then walks the jail itself.
     */
    @Override
    public BeneathSyscalls beneath(DirectoryHandle dir) throws SyscallException {
        return LinuxBeneathSyscalls.of(this, dir);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Native: each path call is one {@code *at} syscall on a descriptor of {@code dir} this layer
     * opens once and attaches to it ({@link LinuxRelativeSyscalls}). ENOSYS where {@code
     * /proc/self/fd} is not there (the descriptor is checked through it).
     */
    @Override
    public KernelResolvedSyscalls relative(DirectoryHandle dir) throws SyscallException {
        return LinuxRelativeSyscalls.of(this, dir);
    }

    // ---------------------------------------------------------------- held directories

    /** {@inheritDoc} Native: {@code openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC [| O_NOFOLLOW])}. */
    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        if (path.toString().isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        Scratch s = scratch();
        int flags = LinuxTreeCalls.DIR_FLAGS | (follow ? 0 : AioConstants.O_NOFOLLOW);
        return LinuxTreeCalls.adopt(s, LinuxTreeCalls.openat(s, AT_FDCWD, s.path(0, path), flags, 0), path);
    }

    /** {@inheritDoc} Native: {@code openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)}. */
    @Override
    public TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        return LinuxTreeCalls.openDirAt(dir, name);
    }

    /** {@inheritDoc} Native: {@code fstat(2)} of the descriptor. */
    @Override
    public FileStat fstatDir(TreeDir dir) throws SyscallException {
        return LinuxTreeCalls.fstatDir(dir);
    }

    /** {@inheritDoc} Native: {@code fstatat(dir, name, AT_SYMLINK_NOFOLLOW)}. */
    @Override
    public FileStat lstatAt(TreeDir dir, Path name) throws SyscallException {
        return LinuxTreeCalls.statAt(dir, name, Libc.AT_SYMLINK_NOFOLLOW);
    }

    /** {@inheritDoc} Native: {@code openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW)}, then {@code fstatat(it, ".")}. */
    @Override
    public FileStat searchDirAt(TreeDir dir, Path name) throws SyscallException {
        return LinuxTreeCalls.searchDirAt(dir, name);
    }

    /** {@inheritDoc} Native: {@code openat(dir, ".")} and {@code getdents64(2)}. */
    @Override
    public List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        return LinuxTreeCalls.readdirAt(dir, types);
    }

    /** {@inheritDoc} Native: {@code unlinkat(dir, name, 0 or AT_REMOVEDIR)}. */
    @Override
    public int unlinkAt(TreeDir dir, Path name, boolean directory) throws SyscallException {
        return LinuxTreeCalls.unlinkAt(dir, name, directory);
    }

    /** {@inheritDoc} Native: {@code mkdirat(dir, name, mode)}. */
    @Override
    public int mkdirAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return LinuxTreeCalls.mkdirAt(dir, name, mode);
    }

    /** {@inheritDoc} Native: {@code openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC, mode)}. */
    @Override
    public FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        return LinuxTreeCalls.openAt(dir, name, flags, mode);
    }

    /** {@inheritDoc} Native: {@code symlinkat(target, dir, name)}. */
    @Override
    public int symlinkAt(Path target, TreeDir dir, Path name) throws SyscallException {
        return LinuxTreeCalls.symlinkAt(target, dir, name);
    }

    /** {@inheritDoc} Native: {@code readlinkat(dir, name)}. */
    @Override
    public Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        return LinuxTreeCalls.readlinkAt(dir, name);
    }

    /** {@inheritDoc} Native: {@code mknodat(dir, name, mode, dev)}. */
    @Override
    public int mknodAt(TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        return LinuxTreeCalls.mknodAt(dir, name, mode, dev);
    }

    /** {@inheritDoc} Native: {@code linkat(fromDir, fromName, toDir, toName, 0)}. */
    @Override
    public int linkAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName) throws SyscallException {
        return LinuxTreeCalls.linkAt(fromDir, fromName, toDir, toName);
    }

    /** {@inheritDoc} Native: {@code renameat2(fromDir, fromName, toDir, toName, flags)}. */
    @Override
    public int renameAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName, int flags) throws SyscallException {
        return LinuxTreeCalls.renameAt(fromDir, fromName, toDir, toName, flags);
    }

    /** {@inheritDoc} Native: {@code openat(dir, name, O_PATH | O_NOFOLLOW)}, then {@code chmod} of its {@code /proc/self/fd} link. */
    @Override
    public int chmodAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return LinuxTreeCalls.chmodAt(dir, name, mode);
    }

    /** {@inheritDoc} Native: {@code openat(dir, name, O_PATH | O_NOFOLLOW)}, then {@code fchownat(it, "", AT_EMPTY_PATH)}. */
    @Override
    public int chownAt(TreeDir dir, Path name, int uid, int gid) throws SyscallException {
        return LinuxTreeCalls.chownAt(dir, name, uid, gid);
    }

    /** {@inheritDoc} Native: {@code openat(dir, name, O_PATH | O_NOFOLLOW)}, then {@code utimensat} of its {@code /proc/self/fd} link. */
    @Override
    public int utimeAt(TreeDir dir, Path name, Instant atime, Instant mtime) throws SyscallException {
        return LinuxTreeCalls.utimeAt(dir, name, atime, mtime);
    }

    // ---------------------------------------------------------------- helpers

    /** The handle as this layer's own; EBADF for another layer's (its calls then fail the same way). */
    static LinuxFileHandle own(FileHandle file) throws SyscallException {
        if (file instanceof LinuxFileHandle h) {
            return h;
        }
        throw new SyscallException(Errno.EBADF);
    }

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /** A downcall returning an {@code int}: a result, or -1 with errno in {@code s.capture}. */
    @FunctionalInterface
    interface IntCall {
        int call(Scratch s) throws Throwable;
    }

    /** A downcall returning a {@code long}: a result, or -1 with errno in {@code s.capture}. */
    @FunctionalInterface
    interface LongCall {
        long call(Scratch s) throws Throwable;
    }

    /** An {@code int} downcall on a descriptor. */
    @FunctionalInterface
    interface FdIntCall {
        int call(Scratch s, int fd) throws Throwable;
    }

    /** A {@code long} downcall on a descriptor. */
    @FunctionalInterface
    interface FdLongCall {
        long call(Scratch s, int fd) throws Throwable;
    }

    /** An {@code int} downcall on a NUL-terminated name. */
    @FunctionalInterface
    interface NameCall {
        int call(Scratch s, MemorySegment name) throws Throwable;
    }

    /** An {@code int} downcall on two NUL-terminated names. */
    @FunctionalInterface
    interface TwoNameCall {
        int call(Scratch s, MemorySegment a, MemorySegment b) throws Throwable;
    }

    /** Runs the downcall with {@code s}: its result, or its errno as an exception. */
    static int invoke(Scratch s, IntCall call) throws SyscallException {
        int r;
        try {
            r = call.call(s);
        } catch (Throwable t) {
            throw unchecked(t);
        }
        return s.check(r);
    }

    /** {@link #invoke(Scratch, IntCall)} of a {@code long} downcall. */
    static long invokeLong(Scratch s, LongCall call) throws SyscallException {
        return s.check(raw(s, call));
    }

    /** Runs the downcall with {@code s}: its result unchecked (-1 with errno in {@code s.capture}), for calls that handle failure themselves. */
    static long raw(Scratch s, LongCall call) {
        try {
            return call.call(s);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** A call on two descriptors. */
    @FunctionalInterface
    interface TwoFdCall {
        long run(int a, int b) throws SyscallException;
    }

    /**
     * Runs {@code call} on the descriptors of {@code a} and {@code b}, neither of which can be
     * closed under it; EBADF for a handle this layer did not open or one that is closed.
     */
    static long onFds(FileHandle a, FileHandle b, TwoFdCall call) throws SyscallException {
        LinuxFileHandle x = own(a);
        LinuxFileHandle y = own(b);
        int afd = x.acquire();
        try {
            int bfd = y.acquire();
            try {
                return call.run(afd, bfd);
            } finally {
                y.unuse();
            }
        } finally {
            x.unuse();
        }
    }

    /** Runs the downcall on the handle's descriptor, which cannot be closed under it: its result or errno. */
    static int onFd(FileHandle file, FdIntCall call) throws SyscallException {
        LinuxFileHandle h = own(file);
        int fd = h.acquire();
        try {
            return invoke(scratch(), s -> call.call(s, fd));
        } finally {
            h.unuse();
        }
    }

    /** {@link #onFd(FileHandle, FdIntCall)} of a {@code long} downcall. */
    static long onFdLong(FileHandle file, FdLongCall call) throws SyscallException {
        LinuxFileHandle h = own(file);
        int fd = h.acquire();
        try {
            return invokeLong(scratch(), s -> call.call(s, fd));
        } finally {
            h.unuse();
        }
    }

    /** Runs the downcall on {@code path} in path buffer 0: its result or errno. */
    int onPath(Pathname path, NameCall call) throws SyscallException {
        Scratch s = scratch();
        MemorySegment name = s.path(0, path);
        return invoke(s, x -> call.call(x, name));
    }

    /** Runs the downcall on two paths (resolved by this layer) in path buffers 0 and 1: its result or errno. */
    int onPaths(Pathname first, Pathname second, TwoNameCall call) throws SyscallException {
        Scratch s = scratch();
        MemorySegment x = s.path(0, first);
        MemorySegment y = s.path(1, second);
        return invoke(s, z -> call.call(z, x, y));
    }

    /** A downcall only throws unchecked exceptions; this keeps the compiler content. */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed", t);
    }

    /**
     * The path for {@code n} bytes a syscall returned, decoded as the JDK decodes file names; or
     * {@code null} when they are not valid in that encoding (the caller then asks the portable layer).
     */
    static Path decode(MemorySegment bytes, int n) {
        return decode(bytes.asSlice(0, n).toArray(JAVA_BYTE), n);
    }

    /** {@link #decode(MemorySegment, int)} of the first {@code n} bytes of {@code raw}. */
    static Path decode(byte[] raw, int n) {
        String text = decodeText(raw, n);
        return text == null ? null : Path.of(text);
    }

    /** The first {@code n} bytes of {@code raw} decoded as the JDK decodes file names, or {@code null} when they are not valid there. */
    static String decodeText(byte[] raw, int n) {
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (raw[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(raw, 0, n, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = JNU.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, 0, n));
            return chars.toString();
        } catch (CharacterCodingException | RuntimeException e) {
            return null;
        }
    }

    /** {@code text} in the file name encoding: EINVAL if it cannot be encoded (as {@code Path.of} refuses it). */
    static byte[] encode(String text) throws SyscallException {
        try {
            ByteBuffer b = JNU.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /**
     * The bytes the JDK passes to the kernel for {@code p}: its string in {@code sun.jnu.encoding},
     * or, when the string has U+FFFD in it (bytes the encoding could not decode), the raw bytes
     * recovered from the URI, where the JDK percent-encodes them.
     */
    static byte[] nameBytes(Path p) {
        String s = p.toString();
        if (s.indexOf('\uFFFD') < 0) {
            return s.getBytes(JNU);
        }
        boolean relative = !p.isAbsolute();
        String raw = (relative ? ROOT.resolve(p) : p).toUri().getRawPath();
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out[n++] = (byte) Integer.parseInt(raw, i + 1, i + 3, 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        int start = relative ? 1 : 0; // the "/" put in front of a relative path
        int end = n;
        if (end - start > 1 && out[end - 1] == '/') {
            end--; // the URI marks a directory with a trailing slash; the Path had none
        }
        return java.util.Arrays.copyOfRange(out, start, end);
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * One thread's native memory for calls: never shared, so no call allocates; each segment has
     * its own automatic arena, so a replaced (grown) segment is freed by the GC.
     */
    static final class Scratch {

        /** Where the linker stores errno. */
        final MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        /** A {@code struct stat} or {@code struct statvfs}, two {@code timespec}s, or an {@code off_t}. */
        final MemorySegment buf = Arena.ofAuto().allocate(Libc.STAT_SIZE, 16);
        /** Four path buffers (two-path calls; a jail's parent and name of each), NUL-terminated names. */
        private final MemorySegment[] paths = {
            Arena.ofAuto().allocate(256), Arena.ofAuto().allocate(256), Arena.ofAuto().allocate(256), Arena.ofAuto().allocate(256)
        };
        /** A {@code struct open_how}, for {@code openat2}. */
        final MemorySegment how = Arena.ofAuto().allocate(Libc.OPEN_HOW_SIZE, 8);
        /** A {@code struct statx}, for the io_uring layer's STATX. */
        final MemorySegment statx = Arena.ofAuto().allocate(256, 8);
        /** A directory entry's name on its way to a {@link Path} (NAME_MAX is 255 on Linux). */
        final byte[] name = new byte[256];
        /** The I/O bounce buffer, page-aligned (so O_DIRECT works with heap buffers too). */
        private MemorySegment io = Arena.ofAuto().allocate(PAGE, PAGE);

        /** {@code "/proc/self/fd/<fd>"}, NUL-terminated, in path buffer {@code slot}: the magic link to what {@code fd} is. */
        MemorySegment procFd(int slot, int fd) {
            String s = "/proc/self/fd/" + fd;
            MemorySegment seg = pathBuffer(slot, s.length() + 1);
            for (int i = 0; i < s.length(); i++) {
                seg.set(JAVA_BYTE, i, (byte) s.charAt(i));
            }
            seg.set(JAVA_BYTE, s.length(), (byte) 0);
            return seg;
        }

        /**
         * {@code name}, NUL-terminated, in path buffer {@code slot}: a {@code String}'s text byte for
         * byte (in the file name encoding), a {@code Path}'s bytes as the JDK passes them.
         *
         * @throws SyscallException ENOENT for the empty name or a NUL byte in it, EINVAL for a
         *     name the file name encoding cannot represent (as the portable layer answers)
         */
        MemorySegment path(int slot, Pathname name) throws SyscallException {
            if (!name.isText()) {
                Path p = name.path();
                if (p.toString().isEmpty()) {
                    throw new SyscallException(Errno.ENOENT);
                }
                return path(slot, p);
            }
            String t = name.text();
            int n = t.length();
            if (n == 0) {
                throw new SyscallException(Errno.ENOENT);
            }
            MemorySegment seg = pathBuffer(slot, n + 1);
            for (int i = 0; i < n; i++) {
                char c = t.charAt(i);
                if (c == 0) {
                    throw new SyscallException(Errno.ENOENT);
                }
                if (c >= 0x80) {
                    return pathBytes(slot, encode(t));
                }
                seg.set(JAVA_BYTE, i, (byte) c);
            }
            seg.set(JAVA_BYTE, n, (byte) 0);
            return seg;
        }

        /** {@code p}'s name, NUL-terminated, in path buffer {@code slot}. */
        MemorySegment path(int slot, Path p) {
            String s = p.toString();
            int n = s.length();
            MemorySegment seg = pathBuffer(slot, n + 1);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    return pathBytes(slot, nameBytes(p));
                }
                seg.set(JAVA_BYTE, i, (byte) c);
            }
            seg.set(JAVA_BYTE, n, (byte) 0);
            return seg;
        }

        private MemorySegment pathBytes(int slot, byte[] bytes) {
            MemorySegment seg = pathBuffer(slot, bytes.length + 1);
            MemorySegment.copy(bytes, 0, seg, JAVA_BYTE, 0, bytes.length);
            seg.set(JAVA_BYTE, bytes.length, (byte) 0);
            return seg;
        }

        private MemorySegment pathBuffer(int slot, long size) {
            MemorySegment seg = paths[slot];
            if (seg.byteSize() < size) {
                seg = Arena.ofAuto().allocate(Math.max(size, seg.byteSize() * 2));
                paths[slot] = seg;
            }
            return seg;
        }

        /** A bounce buffer of at least {@code size} bytes (at most {@link #MAX_CACHED_IO} are kept). */
        MemorySegment io(int size) {
            if (io.byteSize() < size) {
                io = Arena.ofAuto().allocate(Math.max(size, Math.min(io.byteSize() * 2, MAX_CACHED_IO)), PAGE);
            }
            return io;
        }

        /** {@code struct timespec[2]} for utimensat/futimens in {@link #buf}; {@code null} is UTIME_NOW. */
        MemorySegment times(Instant atime, Instant mtime) {
            timespec(0, atime);
            timespec(16, mtime);
            return buf.asSlice(0, 32);
        }

        private void timespec(long at, Instant t) {
            buf.set(JAVA_LONG, at, t == null ? 0 : t.getEpochSecond());
            buf.set(JAVA_LONG, at + 8, t == null ? Libc.UTIME_NOW : t.getNano());
        }

        /** The failure of the last call: its errno. */
        SyscallException failure() {
            return new SyscallException(Libc.errno(capture));
        }

        /** {@code r} if the call succeeded, else its errno as an exception. */
        int check(int r) throws SyscallException {
            if (r < 0) {
                throw failure();
            }
            return r;
        }

        /** {@code r} if the call succeeded, else its errno as an exception. */
        long check(long r) throws SyscallException {
            if (r < 0) {
                throw failure();
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- IO::AIO 4.8: locks, fcntl, ioctl, fiemap, memory, pipes

    /** {@inheritDoc} Native: {@code fcntl(2)} with a {@code struct flock} ({@link LinuxExtraCalls}). */
    @Override
    public org.ioaio.RecordLock fcntlLock(FileHandle file, int cmd, org.ioaio.RecordLock lock) throws SyscallException {
        return LinuxExtraCalls.fcntlLock(file, cmd, lock);
    }

    /** {@inheritDoc} Native: {@code fcntl(fd, cmd, arg)}. */
    @Override
    public long fcntl(FileHandle file, int cmd, long arg) throws SyscallException {
        return LinuxExtraCalls.fcntl(file, cmd, arg);
    }

    /** {@inheritDoc} Native: {@code ioctl(fd, request, address of arg's position)}; a heap buffer is EINVAL. */
    @Override
    public long ioctl(FileHandle file, long request, ByteBuffer arg) throws SyscallException {
        return LinuxExtraCalls.ioctl(file, request, arg);
    }

    /** {@inheritDoc} Native: {@code ioctl(FICLONE)} or {@code ioctl(FICLONERANGE)}. */
    @Override
    public int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
        return LinuxExtraCalls.reflink(dst, src, srcOffset, length, dstOffset);
    }

    /** {@inheritDoc} Native: {@code copy_file_range(2)}, one call (at most 2 GiB - 4 KiB), both offsets given. */
    @Override
    public long copyFileRange(FileHandle in, long inOffset, FileHandle out, long outOffset, long length) throws SyscallException {
        return LinuxExtraCalls.copyFileRange(in, inOffset, out, outOffset, length);
    }

    /** {@inheritDoc} Native: {@code ioctl(FS_IOC_FIEMAP)}, in batches when every extent is wanted. */
    @Override
    public List<org.ioaio.FiemapExtent> fiemap(FileHandle file, long start, long length, int flags, int count) throws SyscallException {
        return LinuxExtraCalls.fiemap(file, start, length, flags, count);
    }

    /** {@inheritDoc} Native: {@code ioctl(FS_IOC_FIEMAP)} with no room for extents. */
    @Override
    public long fiemapCount(FileHandle file, long start, long length, int flags) throws SyscallException {
        return LinuxExtraCalls.fiemapCount(file, start, length, flags);
    }

    /** {@inheritDoc} Native: {@code mlock(2)}/{@code munlock(2)} of the whole pages holding the range. */
    @Override
    public int mlock(ByteBuffer buffer, long offset, long length, boolean lock) throws SyscallException {
        return LinuxExtraCalls.mlock(buffer, offset, length, lock);
    }

    /** {@inheritDoc} Native: {@code mlockall(2)} / {@code munlockall(2)}. */
    @Override
    public int mlockall(int flags) throws SyscallException {
        return LinuxExtraCalls.mlockall(flags);
    }

    /** {@inheritDoc} Native: {@code madvise(2)} of the whole pages holding the range. */
    @Override
    public int madvise(ByteBuffer buffer, long offset, long length, int advice) throws SyscallException {
        return LinuxExtraCalls.madvise(buffer, offset, length, advice);
    }

    /** {@inheritDoc} Native: {@code splice(2)}. */
    @Override
    public long splice(FileHandle in, long inOffset, FileHandle out, long outOffset, long length, int flags) throws SyscallException {
        return LinuxExtraCalls.splice(in, inOffset, out, outOffset, length, flags);
    }

    /** {@inheritDoc} Native: {@code tee(2)}. */
    @Override
    public long tee(FileHandle in, FileHandle out, long length, int flags) throws SyscallException {
        return LinuxExtraCalls.tee(in, out, length, flags);
    }

    /** {@inheritDoc} Native: {@code pipe2(2)}; the ends are descriptor handles of this layer. */
    @Override
    public FileHandle[] pipe(int flags) throws SyscallException {
        return LinuxExtraCalls.pipe(flags);
    }

    /** {@inheritDoc} Native: {@code getrlimit}/{@code setrlimit(RLIMIT_NOFILE)}. */
    @Override
    public long minFdlimit(long nfd) throws SyscallException {
        return LinuxExtraCalls.minFdlimit(nfd);
    }

    /** {@inheritDoc} Native: {@code mmap(2)}, unmapped by {@code munmap(2)} when the region is closed. */
    @Override
    public org.ioaio.internal.sys.MappedRegion mmap(FileHandle file, long offset, long length, int prot, int flags)
            throws SyscallException {
        return LinuxExtraCalls.mmap(file, offset, length, prot, flags);
    }
}
