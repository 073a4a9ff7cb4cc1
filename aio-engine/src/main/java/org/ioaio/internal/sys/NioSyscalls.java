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

package org.ioaio.internal.sys;

import static org.ioaio.AioConstants.DT_UNKNOWN;
import static org.ioaio.AioConstants.FALLOC_FL_COLLAPSE_RANGE;
import static org.ioaio.AioConstants.FALLOC_FL_INSERT_RANGE;
import static org.ioaio.AioConstants.FALLOC_FL_KEEP_SIZE;
import static org.ioaio.AioConstants.FALLOC_FL_PUNCH_HOLE;
import static org.ioaio.AioConstants.FALLOC_FL_UNSHARE_RANGE;
import static org.ioaio.AioConstants.FALLOC_FL_ZERO_RANGE;
import static org.ioaio.AioConstants.MS_ASYNC;
import static org.ioaio.AioConstants.MS_INVALIDATE;
import static org.ioaio.AioConstants.MS_SYNC;
import static org.ioaio.AioConstants.MT_MODIFY;
import static org.ioaio.AioConstants.O_ACCMODE;
import static org.ioaio.AioConstants.O_APPEND;
import static org.ioaio.AioConstants.O_ASYNC;
import static org.ioaio.AioConstants.O_CLOEXEC;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_DSYNC;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOATIME;
import static org.ioaio.AioConstants.O_NOCTTY;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_SYNC;
import static org.ioaio.AioConstants.O_TMPFILE;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;
import static org.ioaio.AioConstants.SEEK_CUR;
import static org.ioaio.AioConstants.SEEK_DATA;
import static org.ioaio.AioConstants.SEEK_END;
import static org.ioaio.AioConstants.SEEK_HOLE;
import static org.ioaio.AioConstants.SEEK_SET;
import static org.ioaio.AioConstants.ST_RDONLY;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WAIT_AFTER;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WAIT_BEFORE;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.AioConstants.S_IFBLK;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFLNK;
import static org.ioaio.AioConstants.S_IFMT;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.AioConstants.S_IFSOCK;
import static org.ioaio.AioConstants.S_ISVTX;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ioaio.AioConstants;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;

/**
 * The portable syscall layer: every call over {@code java.nio.file} and {@link FileChannel}, on any
 * JDK 17+ on a Unix-like system. Errors are mapped by {@link ErrnoMapper}.
 *
 * <p><b>How it differs from the native layer</b>, call by call (what it emulates, what fails with
 * ENOSYS or EOPNOTSUPP, the {@code stat} and {@code statvfs} fields it estimates or cannot know),
 * is the table in README.md ("Backends"); each method's comment says how it does what it
 * emulates. IO::AIO's fallbacks ({@code fdatasync} for {@code sync_file_range}, {@code sync} for
 * {@code syncfs}) belong to the requests, not to this layer.
 *
 * <p><b>Accepted without effect</b>, because they change nothing observable about the result here:
 * {@code O_CLOEXEC} (JDK subprocesses never inherit descriptors), {@code O_NOCTTY}, {@code O_NOATIME}
 * (only the access time differs) and {@code O_NONBLOCK} on regular files and directories (which
 * ignore it). {@code msync} with {@code MS_ASYNC} or {@code MS_INVALIDATE} alone does nothing, as
 * on Linux since 2.6.19.
 *
 * <p><b>Interrupts</b>: a {@link FileChannel} is closed by an interrupt of a thread using it. A
 * thread that enters a call already interrupted has its interrupt status set aside for the call
 * and restored after it, so a stale interrupt never closes a user's file; an interrupt arriving
 * during a call closes the channel and the call fails with EINTR (the file is then closed, EBADF
 * afterwards). Worker threads should therefore not be interrupted while they execute calls.
 */
public class NioSyscalls implements Syscalls {

    /** The page size assumed by readahead and mtouch (the smallest on Linux; larger pages are multiples). */
    private static final int PAGE = 4096;
    /** The largest buffer readahead reads into at once. */
    private static final int READAHEAD_CHUNK = 64 * 1024;
    /** The block size reported when the file store cannot be found. */
    private static final long DEFAULT_BLOCK_SIZE = 4096;
    /** The {@code unix:} attributes {@code stat} reads (never {@code owner}/{@code group}: they cost a user lookup). */
    static final String STAT_ATTRIBUTES =
            "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime";
    /** The {@code STATX_*} bits of what this layer's stat reports: everything but the blocks, which are estimated. */
    static final int STAT_MASK = AioConstants.STATX_BASIC_STATS & ~AioConstants.STATX_BLOCKS;
    /** The {@code statx} flags Linux accepts (with {@code AT_EMPTY_PATH}); others are EINVAL. */
    static final int KNOWN_STATX_FLAGS = AioConstants.AT_SYMLINK_NOFOLLOW | AioConstants.AT_NO_AUTOMOUNT
            | AioConstants.AT_EMPTY_PATH | AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC;
    /** {@code STATX__RESERVED}: a mask with it is EINVAL, as in the kernel. */
    static final int STATX_RESERVED = 0x8000_0000;
    /** The attributes that identify a file. */
    private static final String ID_ATTRIBUTES = "unix:dev,ino";
    private static final LinkOption[] FOLLOW = {};
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final FileAttribute<?>[] NO_ATTRIBUTES = {};
    /** The empty path of the default file system, which names nothing (ENOENT). */
    private static final Path EMPTY_PATH = Path.of("");
    /** The kernel's {@code __O_LARGEFILE} (implied on 64-bit; glibc may pass it). */
    private static final int O_LARGEFILE = 0100000;
    /** Every {@code open} flag Linux x86-64 defines; others fail with EINVAL. */
    static final int KNOWN_OPEN_FLAGS = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC
            | O_APPEND | O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY
            | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE;
    /** Every {@code fallocate} mode bit Linux defines; others fail with EOPNOTSUPP as in the kernel. */
    private static final int KNOWN_FALLOC_FLAGS = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE
            | FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE
            | FALLOC_FL_UNSHARE_RANGE;
    /** The JDK's {@code ExtendedOpenOption.DIRECT} (jdk.unsupported), or {@code null}: then O_DIRECT is EINVAL. */
    static final OpenOption DIRECT = directOption();

    /** {@code FileStore.getBlockSize()} by {@code st_dev}: finding a store reads the mount table. */
    private final Map<Long, Long> blockSizeByDev = new ConcurrentHashMap<>();
    /** Receives the bytes mtouch reads, so the reads cannot be optimized away. */
    private int touchSink;

    /** A portable syscall layer over the default file system. */
    public NioSyscalls() {}

    /**
     * {@inheritDoc} Here: {@code java.nio.file}'s calls on names check no interrupt; only the
     * {@code FileChannel} of an open file (or of a path call that opens one: open, truncate,
     * pathsync, slurp, copy) closes itself when interrupted.
     */
    @Override
    public boolean namingCallsSurviveInterrupts() {
        return true;
    }

    /** {@inheritDoc} This class itself, not a subclass. */
    @Override
    public boolean takesPortableHandles() {
        return getClass() == NioSyscalls.class;
    }

    /**
     * Resolves a path given to a call: the one place where every path argument passes (a symlink's
     * target excepted: it is stored verbatim), for a working directory or a jail to hook in. Relative
     * paths are left relative (the JDK resolves them against the process's working directory).
     *
     * @param path a path argument
     * @return the path to operate on
     * @throws SyscallException ENOENT for the empty path
     */
    protected Path resolve(Path path) throws SyscallException {
        // Compared, not toString().isEmpty(), which would build the path's string for every call.
        if (path.getFileSystem() == EMPTY_PATH.getFileSystem() ? path.equals(EMPTY_PATH) : path.toString().isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        return path;
    }

    // ---------------------------------------------------------------- descriptors

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@code O_RDONLY|O_CREAT} and {@code O_RDONLY|O_TRUNC} by a creating or
     * truncating open first (the JDK creates and truncates only for writing); {@code O_APPEND} with
     * write access by a second, append-only channel (the JDK refuses READ with APPEND); {@code
     * O_DIRECTORY} by a check before opening; set-id and sticky bits of the creation mode by a chmod
     * after it. O_PATH and O_ASYNC fail with ENOSYS, O_NONBLOCK on a FIFO or device with ENOSYS (the
     * JDK would block), O_TMPFILE with EOPNOTSUPP, O_DIRECT with EINVAL where the JDK lacks it.
     */
    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        Path p = resolve(path);
        checkOpenFlags(flags);
        int access = flags & O_ACCMODE;
        boolean create = (flags & O_CREAT) != 0;
        boolean exclusive = create && (flags & O_EXCL) != 0;
        boolean directory = (flags & O_DIRECTORY) != 0;
        boolean noFollow = (flags & O_NOFOLLOW) != 0;
        boolean truncate = (flags & O_TRUNC) != 0;
        boolean readable = access != O_WRONLY;
        boolean writable = access != O_RDONLY;
        boolean append = writable && (flags & O_APPEND) != 0;
        LinkOption[] links = noFollow ? NOFOLLOW : FOLLOW;
        return io(() -> {
            if (directory || (flags & O_NONBLOCK) != 0) {
                checkOpenable(p, links, directory);
            }
            FileAttribute<?>[] attributes = create ? new FileAttribute<?>[] {permissions(mode)} : NO_ATTRIBUTES;
            boolean fixSetIdBits = create && (mode & 07000) != 0
                    && (exclusive || Files.notExists(p, NOFOLLOW));
            if (create && !writable) {
                // The JDK only creates when opening for writing: create first, then open for reading.
                try {
                    Set<StandardOpenOption> creating = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    FileChannel.open(p, creating, attributes).close();
                } catch (FileAlreadyExistsException e) {
                    if (exclusive) {
                        throw e;
                    }
                    if (!noFollow && Files.isSymbolicLink(p) && Files.notExists(p)) {
                        // a dangling symlink: Linux creates its target, so follow it
                        Set<StandardOpenOption> through = EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileChannel.open(p, through, attributes).close();
                    }
                }
            }
            if (truncate && !writable) {
                // Linux truncates on O_RDONLY|O_TRUNC too (given write permission); the JDK does not.
                Set<OpenOption> truncating = new HashSet<>();
                truncating.add(StandardOpenOption.WRITE);
                truncating.add(StandardOpenOption.TRUNCATE_EXISTING);
                addLinkOptions(truncating, noFollow);
                FileChannel.open(p, truncating).close();
            }
            OpenOptions options = OpenOptions.of(flags, noFollow);
            FileChannel channel = FileChannel.open(p, options.channel(), create && writable ? attributes : NO_ATTRIBUTES);
            FileChannel appender = null;
            try {
                if (append) {
                    appender = FileChannel.open(p, options.appending());
                }
                if (fixSetIdBits) {
                    int created = ((Number) Files.getAttribute(p, "unix:mode", links)).intValue();
                    Files.setAttribute(p, "unix:mode", (created & 0777) | (mode & 07000), links);
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                closeQuietly(appender);
                throw e;
            }
            long dev = -1;
            long ino = -1;
            try {
                Map<String, Object> id = Files.readAttributes(p, ID_ATTRIBUTES, links);
                dev = ((Number) id.get("dev")).longValue();
                ino = ((Number) id.get("ino")).longValue();
            } catch (IOException e) {
                // gone already: the handle works; its f*-calls go through /proc/self/fd (without /proc: ESTALE)
            }
            return new NioFileHandle(p, flags, channel, appender, readable, writable, append, dev, ino);
        });
    }

    private static void checkOpenable(Path p, LinkOption[] links, boolean directory)
            throws IOException, SyscallException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, links);
        } catch (NoSuchFileException e) {
            if (directory) {
                throw notFound(p, e);
            }
            return; // O_NONBLOCK on a name that does not exist (yet): nothing to block on
        }
        checkOpenable(a, directory);
    }

    /**
     * ELOOP for a symlink (not followed: {@code O_NOFOLLOW}), ENOTDIR for {@code O_DIRECTORY} on
     * another type, ENOSYS for {@code O_NONBLOCK} on a FIFO or device (the JDK would block).
     */
    static void checkOpenable(BasicFileAttributes a, boolean directory) throws SyscallException {
        if (a.isSymbolicLink()) {
            throw new SyscallException(Errno.ELOOP); // O_NOFOLLOW
        }
        if (directory && !a.isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (a.isOther()) {
            throw new SyscallException(Errno.ENOSYS); // O_NONBLOCK on a FIFO or device: the JDK would block
        }
    }

    /** EINVAL, EOPNOTSUPP or ENOSYS for the {@code open} flags the portable calls refuse before touching a file (see {@link #open}). */
    static void checkOpenFlags(int flags) throws SyscallException {
        checkOpenFlagsValid(flags);
        if ((flags & O_TMPFILE) == O_TMPFILE) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if ((flags & (O_PATH | O_ASYNC)) != 0) {
            throw new SyscallException(Errno.ENOSYS);
        }
        if ((flags & O_DIRECT) != 0 && DIRECT == null) {
            throw new SyscallException(Errno.EINVAL); // "the file system does not support O_DIRECT"
        }
    }

    /**
     * The checks of {@link #checkOpenFlags} that hold for every layer: access mode 3 and unknown
     * bits are EINVAL, {@code O_CREAT} with {@code O_DIRECTORY} (not {@code O_TMPFILE}) too, as Linux 6.4+.
     *
     * @param flags the {@code O_*} flags
     * @throws SyscallException EINVAL
     */
    static void checkOpenFlagsValid(int flags) throws SyscallException {
        if ((flags & O_ACCMODE) == O_ACCMODE || (flags & ~KNOWN_OPEN_FLAGS) != 0
                || (flags & O_CREAT) != 0 && (flags & O_TMPFILE) == O_DIRECTORY) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /**
     * The JDK options of an {@code open} with some flags.
     *
     * @param channel those of the file's channel
     * @param common those an appending channel shares with it ({@code O_SYNC}, {@code O_DSYNC}, {@code O_DIRECT}, no-follow)
     */
    record OpenOptions(Set<OpenOption> channel, Set<OpenOption> common) {

        /** The options of an {@code open} with {@code flags}, a final symlink not followed if {@code noFollow}. */
        static OpenOptions of(int flags, boolean noFollow) {
            int access = flags & O_ACCMODE;
            boolean writable = access != O_RDONLY;
            Set<OpenOption> options = new HashSet<>();
            if (access != O_WRONLY) {
                options.add(StandardOpenOption.READ);
            }
            if (writable) {
                options.add(StandardOpenOption.WRITE);
                if ((flags & O_CREAT) != 0) {
                    options.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
                }
                if ((flags & O_TRUNC) != 0) {
                    options.add(StandardOpenOption.TRUNCATE_EXISTING);
                }
            }
            Set<OpenOption> common = new HashSet<>();
            if ((flags & O_SYNC) == O_SYNC) {
                common.add(StandardOpenOption.SYNC);
            } else if ((flags & O_DSYNC) != 0) {
                common.add(StandardOpenOption.DSYNC);
            }
            if ((flags & O_DIRECT) != 0) {
                common.add(DIRECT);
            }
            addLinkOptions(common, noFollow);
            options.addAll(common);
            return new OpenOptions(options, common);
        }

        /** The options of the second, append-only channel of {@code O_APPEND} with write access (the JDK refuses READ with APPEND). */
        Set<OpenOption> appending() {
            Set<OpenOption> appending = new HashSet<>(common);
            appending.add(StandardOpenOption.WRITE);
            appending.add(StandardOpenOption.APPEND);
            return appending;
        }
    }

    private static void addLinkOptions(Set<OpenOption> options, boolean noFollow) {
        if (noFollow) {
            options.add(LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int close(FileHandle file) throws SyscallException {
        if (!(file instanceof NioFileHandle)) {
            throw new SyscallException(Errno.EBADF);
        }
        file.closeOnce();
        return 0;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@code SEEK_DATA} returns the offset itself and {@code SEEK_HOLE} the end
     * of the file, as the kernel does for file systems without hole tracking.
     */
    @Override
    public long lseek(FileHandle file, long offset, int whence) throws SyscallException {
        NioFileHandle f = nio(file);
        return channel(() -> {
            synchronized (f.positionLock) {
                return seek(f.channel, offset, whence);
            }
        });
    }

    private static long seek(FileChannel ch, long offset, int whence) throws IOException, SyscallException {
        long target;
        switch (whence) {
            case SEEK_SET:
                target = offset;
                break;
            case SEEK_CUR:
                target = addOrOverflow(ch.position(), offset);
                break;
            case SEEK_END:
                target = addOrOverflow(ch.size(), offset);
                break;
            case SEEK_DATA:
            case SEEK_HOLE:
                long size = ch.size();
                if (offset < 0 || offset >= size) {
                    throw new SyscallException(Errno.ENXIO);
                }
                target = whence == SEEK_DATA ? offset : size;
                break;
            default:
                throw new SyscallException(Errno.EINVAL);
        }
        if (target < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        ch.position(target);
        return target;
    }

    private static long addOrOverflow(long a, long b) throws SyscallException {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            throw new SyscallException(Errno.EOVERFLOW);
        }
        return r;
    }

    /** {@inheritDoc} */
    @Override
    public int pread(FileHandle file, ByteBuffer dst, long offset) throws SyscallException {
        NioFileHandle f = nio(file);
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return channel(() -> Math.max(0, f.channel.read(dst, offset)));
    }

    /** {@inheritDoc} */
    @Override
    public int pwrite(FileHandle file, ByteBuffer src, long offset) throws SyscallException {
        NioFileHandle f = nio(file);
        if (!f.writable) {
            throw new SyscallException(Errno.EBADF);
        }
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return channel(() -> f.writer().write(src, offset)); // the appender's descriptor has O_APPEND: Linux appends
    }

    /** {@inheritDoc} */
    @Override
    public int read(FileHandle file, ByteBuffer dst) throws SyscallException {
        NioFileHandle f = nio(file);
        return channel(() -> {
            synchronized (f.positionLock) {
                return Math.max(0, f.channel.read(dst));
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public int write(FileHandle file, ByteBuffer src) throws SyscallException {
        NioFileHandle f = nio(file);
        if (!f.writable) {
            throw new SyscallException(Errno.EBADF);
        }
        return channel(() -> {
            synchronized (f.positionLock) {
                int n = f.writer().write(src);
                if (f.appender != null) {
                    f.channel.position(f.appender.position()); // an append leaves the offset at the end
                }
                return n;
            }
        });
    }

    /** {@inheritDoc} */
    @Override
    public long sendfile(FileHandle out, FileHandle in, long inOffset, long length) throws SyscallException {
        NioFileHandle o = nio(out);
        NioFileHandle i = nio(in);
        if (!o.writable || !i.readable) {
            throw new SyscallException(Errno.EBADF);
        }
        if (inOffset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return channel(() -> {
            synchronized (o.positionLock) {
                long n = i.channel.transferTo(inOffset, length, o.writer());
                if (o.appender != null) {
                    o.channel.position(o.appender.position());
                }
                return n;
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: reads the range into a scratch buffer, which fills the page cache as the
     * syscall would (the manual's own fallback).
     */
    @Override
    public int readahead(FileHandle file, long offset, long length) throws SyscallException {
        NioFileHandle f = nio(file);
        if (!f.readable) {
            throw new SyscallException(Errno.EBADF);
        }
        if (offset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean interrupted = Thread.interrupted();
        try {
            FileChannel ch = f.channel;
            long start = offset & ~(long) (PAGE - 1);
            long last = length > Long.MAX_VALUE - offset - PAGE ? Long.MAX_VALUE : (offset + length + PAGE - 1) & ~(long) (PAGE - 1);
            long end = Math.min(last, ch.size());
            if (end <= start) {
                return 0;
            }
            ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(READAHEAD_CHUNK, end - start));
            for (long pos = start; pos < end; ) {
                scratch.clear();
                scratch.limit((int) Math.min(scratch.capacity(), end - pos));
                int n = ch.read(scratch, pos);
                if (n <= 0) {
                    break;
                }
                pos += n;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            SyscallException s = ErrnoMapper.failure(e);
            // readahead(2) on a directory (or anything that is not a file) is EINVAL
            throw s.errno() == Errno.EISDIR.code() ? new SyscallException(Errno.EINVAL.code(), e) : s;
        } finally {
            restoreInterrupt(interrupted);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: ENOSYS once the handle and the arguments are valid (EBADF, EINVAL before,
     * as the syscall would): the JDK cannot give the kernel advice, and doing nothing would be a
     * silent lie (IO::AIO's {@code fadvise} returns ENOSYS where there is no {@code posix_fadvise}).
     */
    @Override
    public int fadvise(FileHandle file, long offset, long length, int advice) throws SyscallException {
        nio(file);
        if (length < 0 || advice < AioConstants.POSIX_FADV_NORMAL || advice > AioConstants.POSIX_FADV_NOREUSE) {
            throw new SyscallException(Errno.EINVAL);
        }
        throw new SyscallException(Errno.ENOSYS);
    }

    // ---------------------------------------------------------------- status

    /** {@inheritDoc} */
    @Override
    public FileStat stat(Path path) throws SyscallException {
        Path p = resolve(path);
        return io(() -> toStat(p, attributes(p, STAT_ATTRIBUTES, FOLLOW), -1));
    }

    /** {@inheritDoc} */
    @Override
    public FileStat lstat(Path path) throws SyscallException {
        Path p = resolve(path);
        return io(() -> toStat(p, attributes(p, STAT_ATTRIBUTES, NOFOLLOW), -1));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@link #stat} or (with {@code AT_SYMLINK_NOFOLLOW}) {@link #lstat}, whatever
     * {@code mask} asks: the basic fields but {@code STATX_BLOCKS} (estimated), never {@code
     * STATX_BTIME} (the JDK's {@code creationTime()} is the modification time where it cannot tell,
     * so it is no birth time). Flags are checked as the kernel checks them; the sync flags have nothing to do.
     */
    @Override
    public FileStat statx(Path path, int flags, int mask) throws SyscallException {
        checkStatx(flags, mask);
        return (flags & AioConstants.AT_SYMLINK_NOFOLLOW) != 0 ? lstat(path) : stat(path);
    }

    /** {@inheritDoc} Portable layer: {@link #fstat}, reported as {@link #statx} is. */
    @Override
    public FileStat fstatx(FileHandle file, int flags, int mask) throws SyscallException {
        nio(file);
        checkStatx(flags, mask);
        return fstat(file);
    }

    /**
     * EINVAL for what {@code statx(2)} rejects: unknown flags, both sync modes, a reserved mask bit.
     *
     * @param flags the flags
     * @param mask the mask
     * @throws SyscallException EINVAL
     */
    public static void checkStatx(int flags, int mask) throws SyscallException {
        if ((flags & ~KNOWN_STATX_FLAGS) != 0
                || (flags & (AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC))
                        == (AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC)
                || (mask & STATX_RESERVED) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: the status of the handle's path, checked to be the opened file (a read:
     * what another file's name gives is never returned), with the size from the channel. Once that
     * name is gone or leads elsewhere, through the open file's descriptor ({@link #readOpenFile});
     * where there is none, ESTALE.
     */
    @Override
    public FileStat fstat(FileHandle file) throws SyscallException {
        NioFileHandle f = nio(file);
        return readOpenFile(f, (p, anchored) -> {
            if (anchored) {
                return toStat(p, Files.readAttributes(p, STAT_ATTRIBUTES), f.channel.size());
            }
            Map<String, Object> a;
            try {
                a = Files.readAttributes(p, STAT_ATTRIBUTES, linkOptions(f));
            } catch (NoSuchFileException e) {
                throw new SyscallException(Errno.ESTALE.code(), e);
            }
            checkIdentity(f, a);
            return toStat(p, a, f.channel.size());
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: from {@link FileStore}; see {@link StatVfs} for the fields it cannot know.
     */
    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        Path p = resolve(path);
        return io(() -> toStatVfs(Files.getFileStore(p)));
    }

    /** {@inheritDoc} Portable layer: {@link #statvfs} of the open file, found as {@link #fstat} finds it ({@link #readOpenFile}). */
    @Override
    public StatVfs fstatvfs(FileHandle file) throws SyscallException {
        NioFileHandle f = nio(file);
        return readOpenFile(f, (p, anchored) -> toStatVfs(Files.getFileStore(anchored ? p : verifiedPath(f))));
    }

    // ---------------------------------------------------------------- attributes

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: symlinks are resolved first; "now" is the JVM's clock. The JDK opens the
     * file ({@code O_RDONLY}) to set its times: for a FIFO, which would block that open until a
     * writer came, the layer holds it open read-write meanwhile (which never blocks); a device,
     * which opening may affect, fails with ENOSYS.
     */
    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        Path p = resolve(path);
        return run(() -> setTimes(p, false, atime, mtime));
    }

    /** {@inheritDoc} Portable layer: {@link #utime} of the open file ({@link #onOpenFile}). */
    @Override
    public int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException {
        NioFileHandle f = nio(file);
        return onOpenFile(f, (p, anchored) -> {
            setTimes(p, anchored, atime, mtime);
            return 0;
        });
    }

    /** Sets the times of {@code p}, or, when {@code anchored}, of the open file {@code p} ({@code /proc/self/fd/N}) names. */
    private static void setTimes(Path p, boolean anchored, Instant atime, Instant mtime) throws IOException, SyscallException {
        // The JDK cannot set a time before the epoch that has a fraction: it would store another
        // time without saying so. Refuse it, as IO::AIO does (EINVAL).
        for (Instant t : new Instant[] {atime, mtime}) {
            if (t != null && t.getEpochSecond() < 0 && t.getNano() != 0) {
                throw new SyscallException(Errno.EINVAL);
            }
        }
        FileTime now = atime == null || mtime == null ? FileTime.from(Instant.now()) : null;
        // With NOFOLLOW the JDK keeps nanoseconds (futimens, or utimensat where the open fails); so follow links first.
        // An anchor is followed by the kernel to the open file itself: never by its path string.
        BasicFileAttributes a = basicAttributes(p, anchored ? FOLLOW : NOFOLLOW);
        Path target = p;
        if (a.isSymbolicLink()) {
            target = p.toRealPath();
            a = basicAttributes(target, NOFOLLOW);
        }
        LinkOption[] links = anchored ? FOLLOW : NOFOLLOW;
        FileChannel writer = null;
        if (a.isOther()) {
            int type = ((Number) Files.getAttribute(target, "unix:mode", links)).intValue() & S_IFMT;
            if (type == S_IFCHR || type == S_IFBLK) {
                throw new SyscallException(Errno.ENOSYS); // the JDK would open the device
            }
            if (type == S_IFIFO) { // with a writer present, the JDK's O_RDONLY open returns at once
                writer = anchored ? FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)
                        : FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
        }
        try {
            Files.getFileAttributeView(target, BasicFileAttributeView.class, links)
                    .setTimes(mtime == null ? now : FileTime.from(mtime), atime == null ? now : FileTime.from(atime), null);
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        Path p = resolve(path);
        return run(() -> setOwners(p, uid, gid));
    }

    /** {@inheritDoc} Portable layer: {@link #chown} of the open file ({@link #onOpenFile}). */
    @Override
    public int fchown(FileHandle file, int uid, int gid) throws SyscallException {
        NioFileHandle f = nio(file);
        return onOpenFile(f, (p, anchored) -> {
            setOwners(p, uid, gid);
            return 0;
        });
    }

    private static void setOwners(Path p, int uid, int gid) throws IOException, SyscallException {
        if (uid == -1 && gid == -1) {
            basicAttributes(p, FOLLOW); // chown(p, -1, -1) still fails for a bad path
            return;
        }
        if (uid != -1) {
            Files.setAttribute(p, "unix:uid", uid);
        }
        if (gid != -1) {
            Files.setAttribute(p, "unix:gid", gid);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        Path p = resolve(path);
        return run(() -> Files.setAttribute(p, "unix:mode", mode & 07777));
    }

    /** {@inheritDoc} Portable layer: {@link #chmod} of the open file ({@link #onOpenFile}). */
    @Override
    public int fchmod(FileHandle file, int mode) throws SyscallException {
        NioFileHandle f = nio(file);
        return onOpenFile(f, (p, anchored) -> {
            Files.setAttribute(p, "unix:mode", mode & 07777);
            return 0;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: the type is checked first ({@link #truncatable}), so a FIFO, device or
     * socket fails with EINVAL and is never opened. The file is then opened read-write, which
     * never blocks, or write-only where it is not readable; growing writes one zero byte at the
     * new last offset. A FIFO renamed over the checked file before that write-only open can still
     * block it until a reader comes: the JDK has no {@code O_NONBLOCK}.
     */
    @Override
    public int truncate(Path path, long length) throws SyscallException {
        Path p = resolve(path);
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        io(() -> {
            truncatable(basicAttributes(p, FOLLOW));
            return null;
        });
        boolean interrupted = Thread.interrupted();
        FileChannel opened;
        boolean readable = true;
        try {
            opened = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            readable = false; // write permission only: truncate(2) needs no more
            try {
                opened = FileChannel.open(p, StandardOpenOption.WRITE);
            } catch (IOException denied) {
                restoreInterrupt(interrupted);
                throw ErrnoMapper.failure(denied);
            }
        } catch (IOException e) {
            restoreInterrupt(interrupted);
            throw ErrnoMapper.failure(e);
        }
        try (FileChannel ch = opened) {
            resize(ch, length, readable);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        } finally {
            restoreInterrupt(interrupted);
        }
    }

    /**
     * What {@code truncate(2)} says of a file's type before anything else: EISDIR for a directory,
     * EINVAL for anything but a regular file (a FIFO, device or socket).
     *
     * @param a the file's attributes, symlinks followed
     * @throws SyscallException EISDIR or EINVAL
     */
    static void truncatable(BasicFileAttributes a) throws SyscallException {
        if (a.isDirectory()) {
            throw new SyscallException(Errno.EISDIR);
        }
        if (!a.isRegularFile()) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** {@inheritDoc} Portable layer: growing writes one zero byte at the new last offset. */
    @Override
    public int ftruncate(FileHandle file, long length) throws SyscallException {
        NioFileHandle f = nio(file);
        if (!f.writable || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return channel(() -> {
            synchronized (f.positionLock) {
                resize(f.channel, length, f.readable); // never the appender: f.channel is writable without O_APPEND
            }
            return 0;
        });
    }

    /** Sets the size of a writable channel without O_APPEND, keeping its position (as ftruncate does). */
    static void resize(FileChannel ch, long length) throws IOException {
        resize(ch, length, false);
    }

    /**
     * Sets the size of a writable channel without O_APPEND, keeping its position. Growing a channel
     * that is also readable maps an empty region at the new end, which makes the JDK extend the
     * file with {@code ftruncate}: a hole, as truncate(2) makes, even on a full filesystem. A
     * write-only channel cannot be mapped: it grows by one zero byte at the new last offset.
     */
    static void resize(FileChannel ch, long length, boolean readable) throws IOException {
        long size = ch.size();
        if (length < size) {
            long position = ch.position();
            ch.truncate(length); // the JDK moves the position down to the new size; ftruncate does not
            ch.position(position);
        } else if (length > size) {
            if (readable) {
                ch.map(FileChannel.MapMode.READ_WRITE, length, 0);
            } else {
                ch.write(ByteBuffer.allocate(1), length - 1);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: mode 0 is emulated as glibc's {@code posix_fallocate} fallback does, writing
     * a zero byte into each block of the range that reads as zero or lies past the end (racing with
     * concurrent writers of that range, as glibc's does); any other mode fails with ENOSYS
     * (EOPNOTSUPP for bits Linux does not define).
     */
    @Override
    public int fallocate(FileHandle file, int mode, long offset, long length) throws SyscallException {
        NioFileHandle f = nio(file);
        if ((mode & ~KNOWN_FALLOC_FLAGS) != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if (offset < 0 || length <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (!f.writable) {
            throw new SyscallException(Errno.EBADF);
        }
        if (mode != 0) {
            throw new SyscallException(Errno.ENOSYS);
        }
        if (offset > Long.MAX_VALUE - length) {
            throw new SyscallException(Errno.EFBIG);
        }
        boolean interrupted = Thread.interrupted();
        long sizeBefore = -1;
        try {
            FileChannel ch = f.channel; // writable, without O_APPEND
            long end = offset + length;
            long size = ch.size();
            sizeBefore = size;
            long block = blockSize(f.dev, f.path(), false);
            ByteBuffer one = ByteBuffer.allocate(1);
            for (long pos = offset; pos < end; pos = (pos / block + 1) * block) {
                if (pos < size) {
                    one.clear();
                    if (ch.read(one, pos) == 1 && one.get(0) != 0) {
                        continue; // data here: the block is allocated
                    }
                }
                one.clear();
                one.put(0, (byte) 0);
                ch.write(one, pos);
            }
            if (ch.size() < end) {
                one.clear();
                one.put(0, (byte) 0);
                ch.write(one, end - 1);
            }
            return 0;
        } catch (IOException e) {
            // fallocate(2) either allocates the range or leaves the file as it was
            if (sizeBefore >= 0) {
                try {
                    if (f.channel.size() > sizeBefore) {
                        f.channel.truncate(sizeBefore);
                    }
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw ErrnoMapper.failure(e);
        } catch (RuntimeException e) {
            throw ErrnoMapper.failure(e);
        } finally {
            restoreInterrupt(interrupted);
        }
    }

    // ---------------------------------------------------------------- names

    /** {@inheritDoc} */
    @Override
    public int unlink(Path path) throws SyscallException {
        Path p = resolve(path);
        return run(() -> removeName(p, false));
    }

    /** {@inheritDoc} */
    @Override
    public int rmdir(Path path) throws SyscallException {
        Path p = resolve(path);
        return run(() -> removeName(p, true));
    }

    /** unlink(2) or rmdir(2): {@code unlinkat} through the parent's secure stream where possible. */
    private static void removeName(Path p, boolean directory) throws IOException, SyscallException {
        Path absolute = p.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new SyscallException(directory ? Errno.EBUSY : Errno.EISDIR); // "/"
        }
        Path name = absolute.getFileName();
        DirectoryStream<Path> stream = null;
        try {
            stream = DirectoryHandle.openByPath(parent); // a FIFO swapped in for it: ENOTDIR, not a wait
        } catch (AccessDeniedException e) {
            // unlink needs search and write permission on the parent, not read: use the fallback
        }
        if (stream != null) {
            try (DirectoryStream<Path> ds = stream) {
                if (ds instanceof SecureDirectoryStream) {
                    SecureDirectoryStream<Path> sds = (SecureDirectoryStream<Path>) ds;
                    if (directory) {
                        sds.deleteDirectory(name);
                    } else {
                        sds.deleteFile(name);
                    }
                    return;
                }
            }
        }
        BasicFileAttributes a = basicAttributes(p, NOFOLLOW);
        if (directory && !a.isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (!directory && a.isDirectory()) {
            throw new SyscallException(Errno.EISDIR);
        }
        Files.delete(p);
    }

    // ---------------------------------------------------------------- directories

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@link Files#newDirectoryStream(Path)}, which is {@code opendir}/{@code
     * readdir} and keeps each name's bytes, after a {@code stat} that checks the path is a
     * directory (the JDK's open would block on a FIFO).
     */
    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        Path p = resolve(dir);
        List<Path> names = new ArrayList<>();
        return io(() -> {
            try (DirectoryStream<Path> ds = openDirectory(p)) {
                for (Path entry : ds) {
                    names.add(entry.getFileName());
                }
                return names;
            }
        });
    }

    /**
     * {@code opendir}: the JDK opens a directory with a plain {@code open(O_RDONLY)}, without
     * {@code O_DIRECTORY}, which would block on a FIFO until a writer comes; so the path is checked
     * to be a directory first (ENOTDIR otherwise, as {@code opendir} fails, and ENOENT told apart
     * from it), then opened as {@code p/.} ({@link DirectoryHandle#openByPath}): a FIFO swapped in
     * between the two fails with ENOTDIR too, instead of holding the worker.
     */
    private static DirectoryStream<Path> openDirectory(Path p) throws IOException, SyscallException {
        if (!basicAttributes(p, FOLLOW).isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return DirectoryHandle.openByPath(p);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: the JDK gives neither {@code d_type} nor {@code d_ino}, so each entry is
     * {@code lstat}'ed relative to the open directory ({@code fstatat}, see {@link NioTreeCalls}),
     * its inode read by path only if that path leads to the same entry: its type and inode are the file's own, which is what {@code d_type} and
     * {@code d_ino} hold on Linux file systems that fill them in, except for a mount point, whose
     * {@code d_ino} is the covered directory's. An entry that vanished before its {@code lstat}, or
     * cannot be {@code lstat}'ed (a directory readable but not searchable), is {@code DT_UNKNOWN}
     * with inode 0, as {@code getdents} reports a type it does not know. This costs one {@code
     * lstat} per entry, which {@link #readdir} does not.
     */
    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        Path p = resolve(dir);
        try (TreeDir d = NioTreeCalls.openDir(p, true)) {
            return NioTreeCalls.readdirAt(d, true); // types relative to the open directory, not by path
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: regular files only ({@code S_IFREG} or type 0); FIFOs, devices and sockets
     * fail with ENOSYS, other types with EINVAL.
     */
    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        Path p = resolve(path);
        int type = mode & S_IFMT;
        if (type == S_IFIFO || type == S_IFCHR || type == S_IFBLK || type == S_IFSOCK) {
            throw new SyscallException(Errno.ENOSYS);
        }
        if (type != 0 && type != S_IFREG) {
            throw new SyscallException(Errno.EINVAL);
        }
        return io(() -> {
            Files.createFile(p, permissions(mode));
            if ((mode & 07000) != 0) {
                int created = ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue();
                Files.setAttribute(p, "unix:mode", (created & 0777) | (mode & 07000), NOFOLLOW);
            }
            return 0;
        });
    }

    /** {@inheritDoc} */
    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        Path from = resolve(existing);
        Path to = resolve(newPath);
        return run(() -> Files.createLink(to, from));
    }

    /** {@inheritDoc} */
    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        Path link = resolve(linkPath);
        return run(() -> Files.createSymbolicLink(link, target));
    }

    /** {@inheritDoc} */
    @Override
    public Path readlink(Path path) throws SyscallException {
        Path p = resolve(path);
        return io(() -> Files.readSymbolicLink(p));
    }

    /** {@inheritDoc} */
    @Override
    public Path realpath(Path path) throws SyscallException {
        Path p = resolve(path);
        return io(() -> p.toRealPath());
    }

    /** {@inheritDoc} */
    @Override
    public int rename(Path from, Path to) throws SyscallException {
        Path src = resolve(from);
        Path dst = resolve(to);
        return run(() -> Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE)); // rename(2) itself
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@code RENAME_NOREPLACE} is emulated without ever replacing an existing
     * destination (a non-directory is hard-linked to the new name, which fails with EEXIST
     * atomically, and its old name removed; a directory is renamed over an empty directory made for
     * it: for an instant both names exist); {@code RENAME_EXCHANGE} and {@code RENAME_WHITEOUT} fail
     * with ENOSYS.
     */
    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE)
                || (flags & (RENAME_WHITEOUT | RENAME_EXCHANGE)) == (RENAME_WHITEOUT | RENAME_EXCHANGE)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (flags == 0) {
            return rename(from, to);
        }
        if (flags != RENAME_NOREPLACE) {
            throw new SyscallException(Errno.ENOSYS);
        }
        Path src = resolve(from);
        Path dst = resolve(to);
        return io(() -> {
            BasicFileAttributes a = basicAttributes(src, NOFOLLOW);
            if (a.isDirectory()) {
                renameDirectoryNoReplace(src, dst);
            } else {
                renameFileNoReplace(src, dst);
            }
            return 0;
        });
    }

    /** NOREPLACE for a non-directory: link(2) claims the name atomically, then the old name goes. */
    private static void renameFileNoReplace(Path src, Path dst) throws IOException {
        Files.createLink(dst, src); // EEXIST if dst exists, EXDEV across file systems; symlinks are linked themselves
        try {
            Files.delete(src);
        } catch (IOException e) {
            try {
                Files.delete(dst); // undo: leave things as they were
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** NOREPLACE for a directory: mkdir(2) claims the name atomically, rename(2) replaces that empty directory. */
    private static void renameDirectoryNoReplace(Path src, Path dst) throws IOException {
        Files.createDirectory(dst); // EEXIST if dst exists
        try {
            Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.delete(dst); // our empty placeholder (fails harmlessly if someone filled it)
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** {@inheritDoc} */
    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        Path p = resolve(path);
        return io(() -> {
            Files.createDirectory(p, permissions(mode));
            if ((mode & S_ISVTX) != 0) {
                addStickyBit(p);
            }
            return 0;
        });
    }

    /**
     * Adds the sticky bit to the directory {@code mkdir} just made at {@code p}. java.nio sets it
     * only as {@code unix:mode}, whose setter by a path opens that path {@code O_RDONLY}: a FIFO
     * renamed in meanwhile would hold that open, and the worker, until a writer came. So the
     * directory is opened as {@code p/.} (ENOTDIR for anything else, nothing opened), checked to be
     * the one made ({@code st_dev}/{@code st_ino}, read just after {@code mkdir} without following;
     * EAGAIN if it was replaced), and changed through {@code /proc/self/fd/N}, which the kernel
     * follows to it ({@link ProcFdAnchors#of}; without {@code /proc}, through {@code p/.}).
     */
    private static void addStickyBit(Path p) throws IOException, SyscallException {
        Object made = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
        Path dot = p.resolve(DirectoryHandle.DOT);
        try (FileChannel dir = FileChannel.open(dot, StandardOpenOption.READ)) {
            Path target = dot;
            try {
                target = ProcFdAnchors.of(dir);
            } catch (SyscallException e) {
                if (e.errno() != Errno.EOPNOTSUPP.code()) {
                    throw e;
                }
            }
            Map<String, Object> now = Files.readAttributes(target, "unix:mode,fileKey");
            if (made == null || !made.equals(now.get("fileKey"))) {
                throw new SyscallException(Errno.EAGAIN); // replaced since it was made
            }
            Files.setAttribute(target, "unix:mode", (((Number) now.get("mode")).intValue() & 0777) | S_ISVTX);
        }
    }

    // ---------------------------------------------------------------- sync

    /** {@inheritDoc} */
    @Override
    public int fsync(FileHandle file) throws SyscallException {
        return force(file, true);
    }

    /** {@inheritDoc} */
    @Override
    public int fdatasync(FileHandle file) throws SyscallException {
        return force(file, false);
    }

    private int force(FileHandle file, boolean metadata) throws SyscallException {
        NioFileHandle f = nio(file);
        return channel(() -> {
            f.channel.force(metadata);
            return 0;
        });
    }

    /** {@inheritDoc} Portable layer: always ENOSYS (for an open handle): the JDK cannot call syncfs. */
    @Override
    public int syncfs(FileHandle file) throws SyscallException {
        nio(file);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS once the arguments are valid: the JDK cannot call it. */
    @Override
    public int syncFileRange(FileHandle file, long offset, long nbytes, int flags) throws SyscallException {
        nio(file);
        int known = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
        if (offset < 0 || nbytes < 0 || (flags & ~known) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: always ENOSYS: the JDK cannot call sync. */
    @Override
    public int sync() throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@code MS_SYNC} forces the range ({@link MappedByteBuffer#force(int, int)});
     * {@code MS_ASYNC} and {@code MS_INVALIDATE} do nothing, as on Linux.
     */
    @Override
    public int msync(MappedByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        if ((flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) != 0
                || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
            throw new SyscallException(Errno.EINVAL);
        }
        checkRange(buffer, offset, length);
        if ((flags & MS_SYNC) == 0 || length == 0) {
            return 0;
        }
        boolean interrupted = Thread.interrupted();
        try {
            buffer.force((int) offset, (int) length);
            return 0;
        } catch (RuntimeException e) {
            throw ErrnoMapper.failure(e); // the JDK reports msync failures as UncheckedIOException
        } finally {
            restoreInterrupt(interrupted);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int mtouch(ByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        if ((flags & ~MT_MODIFY) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        checkRange(buffer, offset, length);
        if (length == 0) {
            return 0;
        }
        boolean modify = (flags & MT_MODIFY) != 0;
        if (modify && buffer.isReadOnly()) {
            throw new SyscallException(Errno.EFAULT);
        }
        int start = (int) offset;
        int end = (int) (offset + length);
        int sum = 0;
        // One byte per page: successive indexes PAGE apart fall into successive pages whatever the
        // buffer's alignment; the last byte covers the final page.
        for (int i = start; i < end; i += PAGE) {
            byte b = buffer.get(i);
            sum += b;
            if (modify) {
                buffer.put(i, b);
            }
        }
        byte last = buffer.get(end - 1);
        if (modify) {
            buffer.put(end - 1, last);
        }
        touchSink = sum + last;
        return 0;
    }

    private static void checkRange(ByteBuffer buffer, long offset, long length) throws SyscallException {
        if (offset < 0 || length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (offset > buffer.capacity() || length > buffer.capacity() - offset) {
            throw new SyscallException(Errno.ENOMEM); // "not mapped"
        }
    }

    // ---------------------------------------------------------------- helpers

    /** {@code Files.readAttributes} with ENOENT told apart from ENOTDIR (see {@link #notFound}). */
    private static Map<String, Object> attributes(Path p, String attributes, LinkOption[] links)
            throws IOException, SyscallException {
        try {
            return Files.readAttributes(p, attributes, links);
        } catch (NoSuchFileException e) {
            throw notFound(p, e);
        }
    }

    /** {@code Files.readAttributes} with ENOENT told apart from ENOTDIR (see {@link #notFound}). */
    private static BasicFileAttributes basicAttributes(Path p, LinkOption[] links) throws IOException, SyscallException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, links);
        } catch (NoSuchFileException e) {
            throw notFound(p, e);
        }
    }

    /**
     * The errno for a name the JDK reported missing while reading its attributes: newer JDKs (21+)
     * report a stat(2) ENOTDIR ("file/below") as {@link NoSuchFileException}; resolving the parent
     * tells the two apart. Only runs on the failure path.
     */
    static SyscallException notFound(Path p, NoSuchFileException e) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) {
            try {
                if (!Files.isDirectory(parent.toRealPath())) {
                    return new SyscallException(Errno.ENOTDIR.code(), e);
                }
            } catch (IOException x) {
                if (ErrnoMapper.errno(x) == Errno.ENOTDIR.code()) {
                    return new SyscallException(Errno.ENOTDIR.code(), e);
                }
            }
        }
        return new SyscallException(Errno.ENOENT.code(), e);
    }

    /** The handle as this layer's own, open; EBADF otherwise. */
    private static NioFileHandle nio(FileHandle file) throws SyscallException {
        if (!(file instanceof NioFileHandle)) {
            throw new SyscallException(Errno.EBADF);
        }
        file.ensureOpen();
        return (NioFileHandle) file;
    }

    private static LinkOption[] linkOptions(NioFileHandle f) {
        return (f.flags() & O_NOFOLLOW) != 0 ? NOFOLLOW : FOLLOW;
    }

    /** A call on the path of an open file ({@link #onOpenFile}). */
    @FunctionalInterface
    private interface OpenFileCall<T> {
        T run(Path p, boolean anchored) throws IOException, SyscallException;
    }

    /**
     * Runs {@code call}, which java.nio makes only by path, on the open file itself: through its
     * descriptor, {@code /proc/self/fd/N} ({@link NioFileHandle#anchored}; the kernel follows
     * that to the open file, so a name renamed or replaced by a symlink meanwhile changes
     * nothing), held open for the call. Where the process cannot name its descriptor so (no
     * {@code /proc}, not seekable), on the handle's path, checked just before to name the opened
     * file (ESTALE otherwise): a window remains there. The same for the files a tree operation
     * opens outside a jail ({@link NioFileHandle#changesByPath}).
     */
    private static <T> T onOpenFile(NioFileHandle f, OpenFileCall<T> call) throws SyscallException {
        Path anchor = f.changesByPath ? null : f.anchored();
        return anchor == null ? channel(() -> call.run(verifiedPath(f), false)) : through(f, anchor, call);
    }

    /**
     * Runs {@code call}, a read that java.nio makes only by path, on the open file: on the handle's
     * path first ({@code call} checks there that it is the opened file, else ESTALE: what another
     * file's name gives is never returned), so that a handle whose name still leads to it never
     * pays for finding its descriptor; after ESTALE, through the descriptor, as {@link #onOpenFile}.
     */
    private static <T> T readOpenFile(NioFileHandle f, OpenFileCall<T> call) throws SyscallException {
        try {
            return channel(() -> call.run(f.path(), false));
        } catch (SyscallException e) {
            Path anchor = e.errno() == Errno.ESTALE.code() ? f.anchored() : null;
            if (anchor == null) {
                throw e;
            }
            return through(f, anchor, call);
        }
    }

    /** {@code call} on {@code anchor}, which {@link NioFileHandle#anchored} gave: released after. */
    private static <T> T through(NioFileHandle f, Path anchor, OpenFileCall<T> call) throws SyscallException {
        try {
            return channel(() -> call.run(anchor, true));
        } finally {
            f.doneAnchored();
        }
    }

    /** The handle's path, if it still names the opened file; ESTALE otherwise. */
    private static Path verifiedPath(NioFileHandle f) throws IOException, SyscallException {
        Map<String, Object> id;
        try {
            id = Files.readAttributes(f.path(), ID_ATTRIBUTES, linkOptions(f));
        } catch (NoSuchFileException e) {
            throw new SyscallException(Errno.ESTALE.code(), e);
        }
        checkIdentity(f, id);
        return f.path();
    }

    private static void checkIdentity(NioFileHandle f, Map<String, Object> attributes) throws SyscallException {
        long dev = ((Number) attributes.get("dev")).longValue();
        long ino = ((Number) attributes.get("ino")).longValue();
        if (f.dev == -1 || dev != f.dev || ino != f.ino) {
            throw new SyscallException(Errno.ESTALE);
        }
    }

    FileStat toStat(Path p, Map<String, Object> a, long channelSize) {
        long dev = ((Number) a.get("dev")).longValue();
        int mode = ((Number) a.get("mode")).intValue();
        long size = channelSize >= 0 ? channelSize : ((Number) a.get("size")).longValue();
        Instant atime = ((FileTime) a.get("lastAccessTime")).toInstant();
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        Instant ctime = ((FileTime) a.get("ctime")).toInstant();
        long blksize = blockSize(dev, p, (mode & S_IFMT) == S_IFLNK);
        long blocks = ((size + blksize - 1) / blksize * blksize + 511) / 512; // an estimate, see FileStat
        return new FileStat(
                dev,
                ((Number) a.get("ino")).longValue(),
                mode,
                ((Number) a.get("nlink")).longValue(),
                ((Number) a.get("uid")).intValue(),
                ((Number) a.get("gid")).intValue(),
                ((Number) a.get("rdev")).longValue(),
                size,
                atime.getEpochSecond(), atime.getNano(),
                mtime.getEpochSecond(), mtime.getNano(),
                ctime.getEpochSecond(), ctime.getNano(),
                blksize,
                blocks,
                0, 0,
                STAT_MASK);
    }

    /** The block size of the store with device {@code dev}, found through {@code p} (its parent for a symlink). */
    private long blockSize(long dev, Path p, boolean symlink) {
        Long cached = blockSizeByDev.get(dev);
        if (cached != null) {
            return cached;
        }
        try {
            Path onStore = symlink ? p.toAbsolutePath().getParent() : p;
            long size = Files.getFileStore(onStore).getBlockSize();
            if (size > 0) {
                if (dev != -1) {
                    blockSizeByDev.put(dev, size);
                }
                return size;
            }
        } catch (IOException | RuntimeException e) {
            // not cached: a later call may find the store
        }
        return DEFAULT_BLOCK_SIZE;
    }

    private static StatVfs toStatVfs(FileStore store) throws IOException {
        long bsize = store.getBlockSize();
        return new StatVfs(
                bsize,
                bsize,
                store.getTotalSpace() / bsize,
                store.getUnallocatedSpace() / bsize,
                store.getUsableSpace() / bsize,
                -1, -1, -1, -1,
                store.isReadOnly() ? ST_RDONLY : 0,
                -1);
    }

    /** The permission bits of {@code mode} (set-id and sticky bits cannot be expressed here). */
    static FileAttribute<Set<PosixFilePermission>> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(bits[i]);
            }
        }
        return PosixFilePermissions.asFileAttribute(perms);
    }

    /** A portable call: JDK I/O that fails with an {@link IOException} (or with an errno of its own). */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException, SyscallException;
    }

    /**
     * Runs the call; its {@link IOException}, or a runtime exception the JDK uses for an errno, becomes
     * that errno ({@link ErrnoMapper}); any other runtime exception is a bug and propagates.
     */
    static <T> T io(IoCall<T> call) throws SyscallException {
        try {
            return call.call();
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /** A portable call with no result: JDK I/O that fails with an {@link IOException} (or with an errno of its own). */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException, SyscallException;
    }

    /** {@link #io} of a call with no result: 0, as the syscall returns on success. */
    static int run(IoAction action) throws SyscallException {
        return io(() -> {
            action.run();
            return 0;
        });
    }

    /**
     * {@link #io} of a channel call: the thread's interrupt status is cleared first (an interrupt
     * would close the channel) and restored after.
     */
    static <T> T channel(IoCall<T> call) throws SyscallException {
        boolean interrupted = Thread.interrupted();
        try {
            return io(call);
        } finally {
            restoreInterrupt(interrupted);
        }
    }

    private static void restoreInterrupt(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // already failing with the original error
            }
        }
    }

    private static OpenOption directOption() {
        try {
            Class<?> c = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            for (Object o : c.getEnumConstants()) {
                if ("DIRECT".equals(((Enum<?>) o).name())) {
                    return (OpenOption) o;
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // not on this JDK: O_DIRECT fails with EINVAL
        }
        return null;
    }

    // ---------------------------------------------------------------- held directories

    /** {@inheritDoc} Portable layer: a {@link SecureDirectoryStream}, see {@link NioTreeCalls}. */
    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        return NioTreeCalls.openDir(resolve(path), follow);
    }

    /** {@inheritDoc} Portable layer: see {@link NioTreeCalls}. */
    @Override
    public TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        return NioTreeCalls.openDirAt(dir, name);
    }

    /** {@inheritDoc} Portable layer: by path, only while the path leads to it (ESTALE otherwise). */
    @Override
    public FileStat fstatDir(TreeDir dir) throws SyscallException {
        return NioTreeCalls.fstatDir(this, dir);
    }

    /** {@inheritDoc} Portable layer: see {@link NioTreeCalls}. */
    @Override
    public FileStat lstatAt(TreeDir dir, Path name) throws SyscallException {
        return NioTreeCalls.lstatAt(this, dir, name);
    }

    /** {@inheritDoc} Portable layer: see {@link NioTreeCalls}. */
    @Override
    public FileStat searchDirAt(TreeDir dir, Path name) throws SyscallException {
        return NioTreeCalls.searchDirAt(this, dir, name);
    }

    /** {@inheritDoc} Portable layer: see {@link NioTreeCalls}. */
    @Override
    public List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        return NioTreeCalls.readdirAt(dir, types);
    }

    /** {@inheritDoc} Portable layer: {@code SecureDirectoryStream.deleteFile/deleteDirectory}. */
    @Override
    public int unlinkAt(TreeDir dir, Path name, boolean directory) throws SyscallException {
        return NioTreeCalls.unlinkAt(this, dir, name, directory);
    }

    /** {@inheritDoc} Portable layer: by the directory's checked path (see {@link NioTreeCalls}). */
    @Override
    public int mkdirAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return NioTreeCalls.mkdirAt(this, dir, name, mode);
    }

    /** {@inheritDoc} Portable layer: see {@link NioTreeCalls}. */
    @Override
    public FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        return NioTreeCalls.openAt(dir, name, flags, mode);
    }

    /** {@inheritDoc} Portable layer: by the directory's checked path (see {@link NioTreeCalls}). */
    @Override
    public int symlinkAt(Path target, TreeDir dir, Path name) throws SyscallException {
        return NioTreeCalls.symlinkAt(this, target, dir, name);
    }

    /** {@inheritDoc} Portable layer: by path, checked (see {@link NioTreeCalls}). */
    @Override
    public Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        return NioTreeCalls.readlinkAt(dir, name);
    }

    /** {@inheritDoc} Portable layer: by the directory's checked path (see {@link NioTreeCalls}). */
    @Override
    public int mknodAt(TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        return NioTreeCalls.mknodAt(this, dir, name, mode, dev);
    }

    // ---- IO::AIO 4.8: record locks, fcntl, ioctl, fiemap, memory, pipes ----

    /**
     * {@inheritDoc}
     *
     * <p>Portable layer: {@code FileChannel.tryLock} (and {@code lock} for the waiting commands), with
     * the JDK's semantics, not fcntl's: process locks whatever was asked, overlapping locks inside
     * the JVM refused with EAGAIN, no split unlock (EINVAL), no GETLK (ENOSYS); see {@link NioRecordLocks}.
     */
    @Override
    public org.ioaio.RecordLock fcntlLock(FileHandle file, int cmd, org.ioaio.RecordLock lock) throws SyscallException {
        return NioRecordLocks.fcntlLock(nio(file), cmd, lock);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for an open handle): the JDK has no fcntl. */
    @Override
    public long fcntl(FileHandle file, int cmd, long arg) throws SyscallException {
        nio(file);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for an open handle): the JDK has no ioctl. */
    @Override
    public long ioctl(FileHandle file, long request, ByteBuffer arg) throws SyscallException {
        nio(file);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for open handles): the JDK cannot reflink. */
    @Override
    public int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
        nio(dst);
        nio(src);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for an open handle), as IO::AIO "if the ioctl is not available". */
    @Override
    public List<org.ioaio.FiemapExtent> fiemap(FileHandle file, long start, long length, int flags, int count) throws SyscallException {
        nio(file);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for an open handle). */
    @Override
    public long fiemapCount(FileHandle file, long start, long length, int flags) throws SyscallException {
        nio(file);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for open handles): the JDK has no splice. */
    @Override
    public long splice(FileHandle in, long inOffset, FileHandle out, long outOffset, long length, int flags) throws SyscallException {
        nio(in);
        nio(out);
        throw new SyscallException(Errno.ENOSYS);
    }

    /** {@inheritDoc} Portable layer: ENOSYS (for open handles): the JDK has no tee. */
    @Override
    public long tee(FileHandle in, FileHandle out, long length, int flags) throws SyscallException {
        nio(in);
        nio(out);
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@inheritDoc} Portable layer: ENOSYS (for an open handle or none): a {@code FileChannel.map}
     * mapping is unmapped only when the garbage collector frees its buffer, never on demand.
     */
    @Override
    public MappedRegion mmap(FileHandle file, long offset, long length, int prot, int flags) throws SyscallException {
        if (file != null) {
            nio(file);
        }
        throw new SyscallException(Errno.ENOSYS);
    }
}
