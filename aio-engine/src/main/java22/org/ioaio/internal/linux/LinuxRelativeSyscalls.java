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

import static org.ioaio.AioConstants.O_CLOEXEC;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.internal.linux.Libc.AT_FDCWD;
import static org.ioaio.internal.linux.LinuxSyscalls.invoke;
import static org.ioaio.internal.linux.LinuxSyscalls.scratch;
import static org.ioaio.internal.linux.LinuxSyscalls.unchecked;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.time.Instant;
import java.util.List;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.ioaio.internal.linux.LinuxSyscalls.Scratch;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.ForwardingSyscalls;
import org.ioaio.internal.sys.KernelResolvedSyscalls;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * An ordinary working directory's calls on the native layer (see {@link Syscalls#relative}): each
 * path call is the kernel's {@code *at} syscall on a descriptor of the directory, with the path as
 * given, which is what libeio does for IO::AIO's {@code [$wd, $path]}: a relative path is resolved
 * from the directory (so a rename of it, or of any directory above it, redirects nothing), an
 * absolute one ignores it, and symlinks and {@code ..} are followed as the kernel follows them (an
 * ordinary working directory is not a jail). One syscall per call where the kernel has an {@code
 * *at} form, so {@code lstat} of a name is one {@code fstatat}.
 *
 * <p>The descriptor is an {@code O_PATH} one that {@link #of} opens once per {@link
 * DirectoryHandle} (found by its path now, kept only if {@code /proc/self/fd/N} leads to the very
 * directory the handle holds) and attaches to it, so every view shares it and it is closed with the
 * working directory; a call in flight holds it ({@link LinuxFileHandle#acquire}), so a close never
 * lets a call use a reused descriptor number.
 *
 * <p><b>The calls</b>: {@code open} is {@code openat}; {@code stat}/{@code lstat} {@code fstatat};
 * {@code statx} {@code statx}; {@code utime} {@code utimensat}; {@code chown} {@code fchownat};
 * {@code chmod} {@code fchmodat}; {@code unlink}/{@code rmdir} {@code unlinkat}; {@code mknod},
 * {@code mkdir}, {@code symlink}, {@code link}, {@code readlink}, {@code rename}, {@code rename2}
 * their {@code *at} forms; {@code readdir}, {@code readdirDents} and {@code openDir} open the
 * directory with {@code openat}. The calls with no {@code *at} form ({@code statvfs}, {@code
 * truncate}, {@code realpath}) resolve the path with {@code openat(O_PATH)} and act on that
 * descriptor ({@code fstatvfs}; {@code truncate} and {@code readlink} of its {@code /proc/self/fd}
 * link). IO::AIO's special case: {@code rmdir} of exactly {@code "."}, and {@code rename}/{@code
 * rename2} from exactly {@code "."}, act on the directory itself by its path now ({@link
 * DirectoryHandle#locate}), since the kernel refuses {@code "."} as a last component. Calls on open
 * files and held directories are the native layer's.
 */
final class LinuxRelativeSyscalls extends ForwardingSyscalls implements KernelResolvedSyscalls {

    private final LinuxSyscalls base;
    private final DirectoryHandle dir;
    private final LinuxFileHandle root;

    private LinuxRelativeSyscalls(LinuxSyscalls base, DirectoryHandle dir, LinuxFileHandle root) {
        this.base = base;
        this.dir = dir;
        this.root = root;
    }

    /**
     * The calls relative to {@code dir}, over {@code base}: its descriptor opened and attached the
     * first time.
     *
     * @param base the engine's native layer (calls on open files)
     * @param dir the working directory
     * @return the calls
     * @throws SyscallException EBADF if {@code dir} is closed, EAGAIN if it kept being replaced while
     *     it was opened, ENOSYS without {@code /proc/self/fd} (the check needs it)
     */
    static LinuxRelativeSyscalls of(LinuxSyscalls base, DirectoryHandle dir) throws SyscallException {
        return new LinuxRelativeSyscalls(base, dir, dir.attachment(LinuxFileHandle.class, () -> LinuxBeneathSyscalls.openRoot(dir, false)));
    }

    /** The engine's native layer: calls on open files and held directories go to it as they are. */
    @Override
    protected LinuxSyscalls delegate() {
        return base;
    }

    /** {@code this}: every {@link Path} form of a path call is this layer's {@link Pathname} form of it. */
    @Override
    protected Syscalls paths() {
        return this;
    }

    /** {@inheritDoc} The native layer's. */
    @Override
    public boolean survivesInterrupts() {
        return base.survivesInterrupts();
    }

    // ================================================================ the descriptor

    /** A call on the working directory's descriptor and a name in path buffer 0. */
    @FunctionalInterface
    private interface AtCall<T> {
        T run(Scratch s, int dirfd, MemorySegment name) throws Throwable;
    }

    /** A call on a descriptor. */
    @FunctionalInterface
    private interface FdCall<T> {
        T run(Scratch s, int fd) throws Throwable;
    }

    /** Runs {@code call} on the directory's descriptor, which cannot be closed under it, and {@code name}. */
    private <T> T at(Pathname name, AtCall<T> call) throws SyscallException {
        int dirfd = root.acquire();
        try {
            Scratch s = scratch();
            return call.run(s, dirfd, s.path(0, name));
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unchecked(t);
        } finally {
            root.unuse();
        }
    }

    /** Runs {@code call} on a descriptor of what {@code name} resolves to, opened with {@code flags}. */
    private <T> T onResolved(Pathname name, int flags, FdCall<T> call) throws SyscallException {
        return at(name, (s, dirfd, n) -> {
            int fd = LinuxTreeCalls.openat(s, dirfd, n, flags | O_CLOEXEC, 0);
            try {
                return call.run(s, fd);
            } finally {
                LinuxSyscalls.closeDirectory(s, fd);
            }
        });
    }

    /** Exactly {@code "."}: IO::AIO's {@code [$wd, "."]} for {@code rmdir} and as {@code rename}'s source. */
    private static boolean itself(Pathname name) {
        return name.text().equals(".");
    }

    // ================================================================ descriptors

    /** {@inheritDoc} Relative: {@code openat(wd, path, flags, mode)}, every flag as the kernel takes it. */
    @Override
    public FileHandle open(Pathname path, int flags, int mode) throws SyscallException {
        int fd = at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.OPENAT.invokeExact(x.capture, dirfd, name, flags, mode)));
        return new LinuxFileHandle(root.path().resolve(path.path()), flags, fd);
    }

    // ================================================================ status

    /** {@inheritDoc} Relative: {@code fstatat(wd, path, &st, 0)}. */
    @Override
    public FileStat stat(Pathname path) throws SyscallException {
        return statAt(path, 0);
    }

    /** {@inheritDoc} Relative: {@code fstatat(wd, path, &st, AT_SYMLINK_NOFOLLOW)}: one syscall. */
    @Override
    public FileStat lstat(Pathname path) throws SyscallException {
        return statAt(path, Libc.AT_SYMLINK_NOFOLLOW);
    }

    private FileStat statAt(Pathname path, int flags) throws SyscallException {
        return at(path, (s, dirfd, name) -> LinuxSyscalls.fstatat(s, dirfd, name, flags));
    }

    /** {@inheritDoc} Relative: {@code statx(wd, path, flags, mask)}. */
    @Override
    public FileStat statx(Pathname path, int flags, int mask) throws SyscallException {
        return at(path, (s, dirfd, name) -> base.statx(s, dirfd, name, flags, mask));
    }

    /** {@inheritDoc} Relative: {@code fstatvfs} of {@code openat(wd, path, O_PATH)}. */
    @Override
    public StatVfs statvfs(Pathname path) throws SyscallException {
        return onResolved(path, O_PATH, (s, fd) -> {
            invoke(s, x -> (int) Libc.FSTATVFS.invokeExact(x.capture, fd, x.buf));
            return LinuxSyscalls.toStatVfs(s.buf);
        });
    }

    // ================================================================ attributes

    /** {@inheritDoc} Relative: {@code utimensat(wd, path, times, 0)}; {@code null} is {@code UTIME_NOW}. */
    @Override
    public int utime(Pathname path, Instant atime, Instant mtime) throws SyscallException {
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.UTIMENSAT.invokeExact(x.capture, dirfd, name, x.times(atime, mtime), 0)));
    }

    /** {@inheritDoc} Relative: {@code fchownat(wd, path, uid, gid, 0)}. */
    @Override
    public int chown(Pathname path, int uid, int gid) throws SyscallException {
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.FCHOWNAT.invokeExact(x.capture, dirfd, name, uid, gid, 0)));
    }

    /** {@inheritDoc} Relative: {@code fchmodat(wd, path, mode, 0)}. */
    @Override
    public int chmod(Pathname path, int mode) throws SyscallException {
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.FCHMODAT.invokeExact(x.capture, dirfd, name, mode, 0)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Relative: {@code truncate} of the {@code /proc/self/fd} link of {@code openat(wd, path,
     * O_PATH)} (never opened for writing, so a FIFO does not block: EINVAL, as {@code truncate(2)}).
     */
    @Override
    public int truncate(Pathname path, long length) throws SyscallException {
        if (length < 0) {
            scratch().path(0, path); // ENOENT for the empty name first, as truncate(2)
            throw new SyscallException(Errno.EINVAL);
        }
        return onResolved(path, O_PATH, (s, fd) ->
                invoke(s, x -> (int) Libc.TRUNCATE.invokeExact(x.capture, x.procFd(1, fd), length)));
    }

    // ================================================================ names

    /** {@inheritDoc} Relative: {@code unlinkat(wd, path, 0)}. */
    @Override
    public int unlink(Pathname path) throws SyscallException {
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.UNLINKAT.invokeExact(x.capture, dirfd, name, 0)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Relative: {@code unlinkat(wd, path, AT_REMOVEDIR)}; exactly {@code "."} removes the
     * directory itself, by its path now (any other spelling of it gets the kernel's EINVAL).
     */
    @Override
    public int rmdir(Pathname path) throws SyscallException {
        if (itself(path)) {
            return base.rmdir(Pathname.of(dir.locate()));
        }
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.UNLINKAT.invokeExact(x.capture, dirfd, name, Libc.AT_REMOVEDIR)));
    }

    /** {@inheritDoc} Relative: {@code mknodat(wd, path, mode, dev)}; a {@code dev} beyond 32 bits is EINVAL. */
    @Override
    public int mknod(Pathname path, int mode, long dev) throws SyscallException {
        scratch().path(0, path); // ENOENT for the empty name, before EINVAL for the number
        if ((dev >>> 32) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.MKNODAT.invokeExact(x.capture, dirfd, name, mode, dev)));
    }

    /** {@inheritDoc} Relative: {@code mkdirat(wd, path, mode)}. */
    @Override
    public int mkdir(Pathname path, int mode) throws SyscallException {
        return at(path, (s, dirfd, name) -> invoke(s, x -> (int) Libc.MKDIRAT.invokeExact(x.capture, dirfd, name, mode)));
    }

    /** {@inheritDoc} Relative: {@code symlinkat(target, wd, path)}, the target's bytes verbatim. */
    @Override
    public int symlink(Pathname target, Pathname linkPath) throws SyscallException {
        return at(linkPath, (s, dirfd, name) -> {
            MemorySegment t = s.path(1, target);
            return invoke(s, x -> (int) Libc.SYMLINKAT.invokeExact(x.capture, t, dirfd, name));
        });
    }

    /** {@inheritDoc} Relative: {@code linkat(wd, existing, wd, newPath, 0)}. */
    @Override
    public int link(Pathname existing, Pathname newPath) throws SyscallException {
        return at(existing, (s, dirfd, a) -> {
            MemorySegment b = s.path(1, newPath);
            return invoke(s, x -> (int) Libc.LINKAT.invokeExact(x.capture, dirfd, a, dirfd, b, 0));
        });
    }

    /** {@inheritDoc} Relative: {@code readlinkat(wd, path)}. */
    @Override
    public Pathname readlink(Pathname path) throws SyscallException {
        return at(path, LinuxBeneathSyscalls::readlinkAt);
    }

    /** {@inheritDoc} Relative: the {@code /proc/self/fd} link of {@code openat(wd, path, O_PATH)}, read. */
    @Override
    public Path realpath(Path path) throws SyscallException {
        return onResolved(Pathname.of(path), O_PATH, LinuxBeneathSyscalls::readProcLink);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Relative: {@code renameat(wd, from, wd, to)}; from exactly {@code "."}, the directory itself
     * by its path now.
     */
    @Override
    public int rename(Pathname from, Pathname to) throws SyscallException {
        return rename2(from, to, 0);
    }

    /** {@inheritDoc} Relative: {@code renameat2(wd, from, wd, to, flags)}, the source {@code "."} as {@link #rename}'s. */
    @Override
    public int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
        Pathname source = itself(from) ? Pathname.of(dir.locate()) : from;
        return at(source, (s, dirfd, a) -> {
            MemorySegment b = s.path(1, to);
            return flags == 0
                    ? invoke(s, x -> (int) Libc.RENAMEAT.invokeExact(x.capture, dirfd, a, dirfd, b))
                    : invoke(s, x -> (int) Libc.RENAMEAT2.invokeExact(x.capture, dirfd, a, dirfd, b, flags));
        });
    }

    // ================================================================ directories

    /** {@inheritDoc} Relative: {@code getdents64} of {@code openat(wd, path, O_RDONLY | O_DIRECTORY)}. */
    @Override
    public List<Path> readdir(Pathname path) throws SyscallException {
        return onResolved(path, O_RDONLY | O_DIRECTORY, LinuxSyscalls::names);
    }

    /** {@inheritDoc} Relative: as {@link #readdir}, with the kernel's types and inodes. */
    @Override
    public List<DirEntry> readdirDents(Pathname path) throws SyscallException {
        return onResolved(path, O_RDONLY | O_DIRECTORY, LinuxSyscalls::entries);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Relative: {@code openat(wd, path, O_PATH | O_DIRECTORY)}, opened by the JDK through its
     * {@code /proc/self/fd} link, which leads to exactly that directory.
     */
    @Override
    public SecureDirectoryStream<Path> openDirectory(Path path) throws SyscallException {
        return onResolved(Pathname.of(path), O_PATH | O_DIRECTORY, (s, fd) -> LinuxBeneathSyscalls.procStream(fd));
    }

    /** {@inheritDoc} Relative: {@code openat(wd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC [| O_NOFOLLOW])}. */
    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        Pathname name = Pathname.of(path);
        int flags = LinuxTreeCalls.DIR_FLAGS | (follow ? 0 : O_NOFOLLOW);
        return at(name, (s, dirfd, n) -> LinuxTreeCalls.adopt(s, LinuxTreeCalls.openat(s, dirfd, n, flags, 0), root.path().resolve(path)));
    }
}
