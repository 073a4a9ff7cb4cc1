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
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.ioaio.AioConstants.O_CLOEXEC;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_TMPFILE;
import static org.ioaio.internal.linux.Libc.AT_FDCWD;
import static org.ioaio.internal.linux.LinuxSyscalls.scratch;
import static org.ioaio.internal.linux.LinuxSyscalls.unchecked;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.ioaio.AioConstants;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.ioaio.internal.linux.LinuxSyscalls.Scratch;
import org.ioaio.internal.sys.BeneathSyscalls;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.internal.sys.ErrnoMapper;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.ForwardingSyscalls;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * A jail's calls resolved by the kernel (see {@link BeneathSyscalls}): every path is resolved by
 * {@code openat2(root, path, how)} with {@code how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS},
 * where {@code root} is an {@code O_PATH} descriptor of the jail's directory that {@link #of} opens
 * once per {@link DirectoryHandle} (found by its path now, and kept only if {@code /proc/self/fd/N}
 * leads to the very directory the handle holds) and attaches to it, so it is shared by every view
 * and closed with the working directory. A call in flight holds it ({@link LinuxFileHandle#acquire}),
 * so closing the working directory never lets a call use a reused descriptor number.
 *
 * <p><b>The calls</b>. Calls that do not follow a final symlink resolve the parent ({@code O_PATH |
 * O_DIRECTORY}; the jail's descriptor itself for a one-component path, which cannot leave it) and
 * make the {@code *at} call on the last component: {@code lstat} ({@code fstatat} with {@code
 * AT_SYMLINK_NOFOLLOW}), {@code statx} with {@code AT_SYMLINK_NOFOLLOW}, {@code unlink}, {@code
 * rmdir} ({@code unlinkat}), {@code mknod}, {@code mkdir}, {@code symlink}, {@code link}, {@code
 * readlink}, {@code rename}, {@code rename2} (every {@code RENAME_*} flag: the kernel does them). A
 * path ending in {@code .} or {@code ..} is resolved whole, and the call made on {@code "."} in it.
 * Calls that follow resolve the whole path and act on the descriptor: {@code open} is the {@code
 * openat2} itself (with the caller's flags and mode: O_CREAT through a dangling symlink creates
 * only beneath, O_PATH and O_TMPFILE work); {@code stat} is {@code fstat}, {@code statx} is {@code
 * statx(fd, "", AT_EMPTY_PATH)}, {@code statvfs} is {@code fstatvfs}, {@code chown} is {@code
 * fchownat(fd, "", AT_EMPTY_PATH)}, all on an {@code O_PATH} descriptor; {@code chmod}, {@code utime}
 * and {@code truncate}, which have no descriptor form for {@code O_PATH}, go through that
 * descriptor's {@code /proc/self/fd/N} link, which leads to exactly the file resolved (glibc's
 * {@code fchmodat} does the same); {@code realpath} reads that link; {@code readdir} and {@code
 * readdirDents} are {@code getdents64} of the directory opened by {@code openat2}; {@code
 * openDirectory} hands the JDK the {@code /proc/self/fd/N} link to open. Calls on open files are
 * the engine's layer's.
 *
 * <p><b>Where it is not used</b>: {@link #of} fails with ENOSYS when {@code openat2} fails with
 * ENOSYS (Linux before 5.6) or EPERM (a seccomp filter that does not know it), and when {@code
 * /proc/self/fd} is missing; the first answer is remembered for the JVM. The working directory
 * layer then walks the jail in Java, with the same errnos.
 *
 * <p>{@link #openat2Calls()} counts the resolutions, so a test can prove they happen.
 */
public final class LinuxBeneathSyscalls extends ForwardingSyscalls implements BeneathSyscalls {

    /** {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}: what every resolution in a jail uses. */
    private static final long BENEATH = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_MAGICLINKS;
    /** How a parent directory, or a path to act on by descriptor, is resolved. */
    private static final int O_PATH_DIRECTORY = O_PATH | O_DIRECTORY | O_CLOEXEC;
    private static final Path DOT = Path.of(".");
    private static final Path ROOT = Path.of("/");
    /** The directory of the magic links to this process's descriptors. */
    private static final Path PROC_FD = Path.of("/proc/self/fd");
    /** How often the jail's descriptor is opened again when its path led elsewhere meanwhile. */
    private static final int RETRIES = 3;

    /**
     * Attempts of a scoped {@code openat2} that fails with EAGAIN. The kernel gives EAGAIN when a
     * rename or a mount anywhere in the system, not only in the jail, raced a {@code ..} of the
     * resolution (it cannot then tell whether the {@code ..} stayed beneath), and says the caller
     * may try again; a busy system would otherwise fail requests whose path has a {@code ..}.
     * Only a resolution raced at every attempt gives EAGAIN.
     */
    static final int EAGAIN_ATTEMPTS = 64;

    /** {@code openat2} calls made by every instance, for tests. */
    private static final LongAdder OPENAT2_CALLS = new LongAdder();
    /** Set when {@code openat2} failed with ENOSYS or EPERM: no jail asks again in this JVM. */
    private static volatile boolean unsupported = !Files.isDirectory(PROC_FD);
    /** Whether {@code /proc/self/fd} is there: a descriptor opened by path is checked through it. */
    private static final boolean PROC_FD_PRESENT = Files.isDirectory(PROC_FD);

    private final LinuxSyscalls base;
    private final LinuxFileHandle root;

    private LinuxBeneathSyscalls(LinuxSyscalls base, LinuxFileHandle root) {
        this.base = base;
        this.root = root;
    }

    /** The engine's native layer: calls on open files and held directories go to it as they are. */
    @Override
    protected LinuxSyscalls delegate() {
        return base;
    }

    /**
     * The jail's calls for {@code dir}, over {@code base}: its descriptor opened and attached the
     * first time.
     *
     * @param base the engine's native layer (calls on open files)
     * @param dir the jail's directory
     * @return the calls
     * @throws SyscallException ENOSYS where {@code openat2} cannot be used (see the class comment),
     *     EBADF if {@code dir} is closed, EAGAIN if it kept being replaced while it was opened
     */
    static LinuxBeneathSyscalls of(LinuxSyscalls base, DirectoryHandle dir) throws SyscallException {
        if (unsupported) {
            throw new SyscallException(Errno.ENOSYS);
        }
        return new LinuxBeneathSyscalls(base, dir.attachment(LinuxFileHandle.class, () -> openRoot(dir, true)));
    }

    /**
     * Opens {@code dir} {@code O_PATH} by its path now, then, if that led elsewhere or nowhere (the
     * path renamed or replaced meanwhile), through the handle's own descriptor ({@link
     * DirectoryHandle#throughOwnDescriptor}); checked to be the handle's directory: with
     * {@code openat2} for a jail (so a kernel without it is found out here), with {@code openat}
     * for an ordinary working directory ({@link LinuxRelativeSyscalls}).
     */
    static LinuxFileHandle openRoot(DirectoryHandle dir, boolean viaOpenat2) throws SyscallException {
        if (!PROC_FD_PRESENT) {
            throw new SyscallException(Errno.ENOSYS); // the check below needs /proc/self/fd
        }
        Scratch s = scratch();
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            int fd;
            try {
                DirectoryHandle.PathUse<Integer> open = p -> viaOpenat2
                        ? openat2(s, AT_FDCWD, s.path(0, p), O_PATH_DIRECTORY, 0, 0)
                        : LinuxTreeCalls.openat(s, AT_FDCWD, s.path(0, p), O_PATH_DIRECTORY, 0);
                // by its path first (one openat); once that led elsewhere, through its own descriptor
                fd = attempt == 0 ? open.use(dir.locate()) : dir.throughOwnDescriptor(open);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ENOSYS.code() || e.errno() == Errno.EPERM.code()) {
                    unsupported = true; // old kernel, or a seccomp filter: the portable walk it is
                    throw new SyscallException(Errno.ENOSYS.code(), e);
                }
                if (e.errno() == Errno.ENOENT.code() || e.errno() == Errno.ENOTDIR.code()) {
                    continue; // renamed meanwhile: locate it again
                }
                throw e;
            }
            if (dir.leadsHere(PROC_FD.resolve(Integer.toString(fd)))) {
                Path where;
                try {
                    where = readProcLink(s, fd); // where it is now, for the paths of what is opened through it
                } catch (SyscallException e) {
                    where = dir.path();
                }
                return new LinuxFileHandle(where, O_PATH_DIRECTORY, fd);
            }
            LinuxSyscalls.closeDirectory(s, fd); // replaced between locate and open: once more
        }
        throw new SyscallException(Errno.EAGAIN);
    }

    /**
     * The {@code openat2} calls every jail made so far in this JVM (tests prove the kernel resolves).
     *
     * @return the count
     */
    public static long openat2Calls() {
        return OPENAT2_CALLS.sum();
    }

    // ================================================================ resolution

    /** {@code openat2(dirfd, name, {flags, mode, resolve})}: the new descriptor, or the errno. */
    private static int openat2(Scratch s, int dirfd, MemorySegment name, int flags, int mode, long resolve)
            throws SyscallException {
        MemorySegment how = s.how;
        how.set(JAVA_LONG, 0, Integer.toUnsignedLong(flags));
        how.set(JAVA_LONG, 8, Integer.toUnsignedLong(mode));
        how.set(JAVA_LONG, 16, resolve);
        for (int attempt = 1;; attempt++) {
            int fd = (int) LinuxSyscalls.raw(s, x -> (int) Libc.OPENAT2.invokeExact(x.capture, dirfd, name, how, Libc.OPEN_HOW_SIZE));
            OPENAT2_CALLS.increment();
            if (fd >= 0) {
                return fd;
            }
            SyscallException failure = s.failure();
            if (failure.errno() != Errno.EAGAIN.code() || (resolve & Libc.RESOLVE_BENEATH) == 0 || attempt >= EAGAIN_ATTEMPTS) {
                throw failure;
            }
            // a rename or mount raced a ".." (see EAGAIN_ATTEMPTS): resolve again
        }
    }

    /** ENOENT for the empty path, EXDEV for an absolute one (what {@code openat2} would say). */
    private static void check(Pathname rel) throws SyscallException {
        String t = rel.text();
        if (t.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        if (t.charAt(0) == '/') {
            throw new SyscallException(Errno.EXDEV);
        }
    }

    /** {@code rel} resolved beneath the jail, a final symlink followed beneath too: a new descriptor. */
    private static int resolve(Scratch s, int rootFd, Pathname rel, int flags) throws SyscallException {
        check(rel);
        return openat2(s, rootFd, s.path(0, rel), flags | O_CLOEXEC, 0, BENEATH);
    }

    /**
     * Where a call that does not follow a final symlink acts: a directory descriptor and a name in
     * it (in path buffer {@code slot}).
     *
     * @param fd the directory
     * @param owned whether {@code fd} was opened for this (and is closed by {@link #close})
     * @param name the last component, or {@code .}
     */
    private record At(int fd, boolean owned, MemorySegment name) {
        void close(Scratch s) {
            if (owned) {
                LinuxSyscalls.closeDirectory(s, fd);
            }
        }
    }

    /**
     * The parent of {@code rel} resolved beneath the jail, and its last component: for a name given
     * as text, split in the text, the last component keeping its trailing slashes (the kernel's
     * {@code *at} call then applies them) and the parent its spelling.
     */
    private static At at(Scratch s, int rootFd, Pathname rel, int slot) throws SyscallException {
        check(rel);
        if (!rel.isText()) {
            return at(s, rootFd, rel.path(), slot);
        }
        String t = rel.text();
        int end = t.length();
        while (end > 1 && t.charAt(end - 1) == '/') {
            end--;
        }
        int start = t.lastIndexOf('/', end - 1) + 1;
        String lastName = t.substring(start, end);
        if (lastName.equals(".") || lastName.equals("..")) {
            int fd = openat2(s, rootFd, s.path(slot, rel), O_PATH_DIRECTORY, 0, BENEATH);
            return new At(fd, true, s.path(slot, DOT));
        }
        if (start == 0) {
            return new At(rootFd, false, s.path(slot, rel)); // one name, not followed: cannot leave
        }
        int fd = openat2(s, rootFd, s.path(slot, Pathname.of(t.substring(0, start))), O_PATH_DIRECTORY, 0, BENEATH);
        return new At(fd, true, s.path(slot, Pathname.of(t.substring(start))));
    }

    /** {@link #at(Scratch, int, Pathname, int)} of a {@code Path}, split by its components. */
    private static At at(Scratch s, int rootFd, Path rel, int slot) throws SyscallException {
        Path last = rel.getFileName();
        String l = last.toString();
        if (l.equals(".") || l.equals("..")) {
            int fd = openat2(s, rootFd, s.path(slot, rel), O_PATH_DIRECTORY, 0, BENEATH);
            return new At(fd, true, s.path(slot, DOT));
        }
        Path parent = rel.getParent();
        if (parent == null) {
            return new At(rootFd, false, s.path(slot, last)); // one name, not followed: cannot leave
        }
        int fd = openat2(s, rootFd, s.path(slot, parent), O_PATH_DIRECTORY, 0, BENEATH);
        return new At(fd, true, s.path(slot, last));
    }

    /** A call on a parent descriptor and a name. */
    @FunctionalInterface
    private interface AtCall<T> {
        T run(Scratch s, At at) throws Throwable;
    }

    /** A call on a descriptor of what a path resolved to. */
    @FunctionalInterface
    private interface FdCall<T> {
        T run(Scratch s, int fd) throws Throwable;
    }

    /** Runs {@code call} on the jail's descriptor, which cannot be closed under it. */
    private <T> T onRoot(FdCall<T> call) throws SyscallException {
        int rootFd = root.acquire();
        try {
            return call.run(scratch(), rootFd);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unchecked(t);
        } finally {
            root.unuse();
        }
    }

    /** Runs {@code call} on {@code rel}'s parent (see {@link #at}). */
    private <T> T onParent(Pathname rel, AtCall<T> call) throws SyscallException {
        return onRoot((s, rootFd) -> {
            At at = at(s, rootFd, rel, 0);
            try {
                return call.run(s, at);
            } finally {
                at.close(s);
            }
        });
    }

    /** Runs {@code call} on a descriptor of what {@code rel} resolves to, opened with {@code flags}. */
    private <T> T onResolved(Pathname rel, int flags, FdCall<T> call) throws SyscallException {
        return onRoot((s, rootFd) -> {
            int fd = resolve(s, rootFd, rel, flags);
            try {
                return call.run(s, fd);
            } finally {
                LinuxSyscalls.closeDirectory(s, fd);
            }
        });
    }

    /** Runs {@code call} on the parents of two paths (slots 0 and 1). */
    private <T> T onParents(Pathname a, Pathname b, TwoAtCall<T> call) throws SyscallException {
        return onRoot((s, rootFd) -> {
            At x = at(s, rootFd, a, 0);
            try {
                At y = at(s, rootFd, b, 1);
                try {
                    return call.run(s, x, y);
                } finally {
                    y.close(s);
                }
            } finally {
                x.close(s);
            }
        });
    }

    /** A call on two parent descriptors and names. */
    @FunctionalInterface
    private interface TwoAtCall<T> {
        T run(Scratch s, At a, At b) throws Throwable;
    }

    // ================================================================ Path forms

    /** {@code this}: every {@link Path} form of a path call is this jail's {@link Pathname} form of it. */
    @Override
    protected Syscalls paths() {
        return this;
    }

    // ================================================================ descriptors

    /** {@inheritDoc} The engine layer's. */
    @Override
    public boolean survivesInterrupts() {
        return base.survivesInterrupts();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jail: {@code openat2(jail, path, {flags, mode, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS})}:
     * the file opened is the one resolved. Where {@code openat2} is stricter than {@code open(2)},
     * the call is made as {@code open(2)} would take it: the mode is passed only with {@code O_CREAT}
     * or {@code O_TMPFILE}, as its permission bits, and with {@code O_PATH} the flags {@code open(2)}
     * ignores are dropped. Other unknown flags are EINVAL, as on the portable layer.
     */
    @Override
    public FileHandle open(Pathname path, int flags, int mode) throws SyscallException {
        return onRoot((s, rootFd) -> {
            check(path);
            boolean creates = (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
            int how = (flags & O_PATH) != 0 ? flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : flags;
            int fd = openat2(s, rootFd, s.path(0, path), how, creates && (flags & O_PATH) == 0 ? mode & 07777 : 0, BENEATH);
            return new LinuxFileHandle(opened(s, fd, path), flags, fd);
        });
    }

    /** The path of what {@code fd} is (its {@code /proc/self/fd} link), else the jail's path and {@code rel}. */
    private Path opened(Scratch s, int fd, Pathname rel) throws SyscallException {
        try {
            return readProcLink(s, fd);
        } catch (SyscallException e) {
            return root.path().resolve(rel.path());
        }
    }

    // ================================================================ status

    /**
     * Whether {@code rel} is one name in the jail's directory, not {@code .} or {@code ..} and with
     * no slash: an {@code *at} call on the jail's descriptor that does not follow it cannot leave.
     */
    private static boolean oneName(Pathname rel) {
        String t = rel.text();
        return !t.isEmpty() && t.indexOf('/') < 0 && !t.equals(".") && !t.equals("..");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jail: for one name, {@code fstatat(jail, name, AT_SYMLINK_NOFOLLOW)}, which is the answer
     * unless it is a symlink (one call instead of three); otherwise, and then, {@code fstat} of
     * the {@code O_PATH} descriptor {@code openat2} resolved.
     */
    @Override
    public FileStat stat(Pathname path) throws SyscallException {
        if (oneName(path)) {
            FileStat st = onRoot((s, rootFd) -> {
                s.check((int) Libc.FSTATAT.invokeExact(s.capture, rootFd, s.path(0, path), s.buf, Libc.AT_SYMLINK_NOFOLLOW));
                return LinuxSyscalls.toStat(s.buf);
            });
            if (!st.isSymbolicLink()) {
                return st;
            }
        }
        return onResolved(path, O_PATH, (s, fd) -> {
            s.check((int) Libc.FSTAT.invokeExact(s.capture, fd, s.buf));
            return LinuxSyscalls.toStat(s.buf);
        });
    }

    /** {@inheritDoc} Jail: {@code fstatat(parent, name, AT_SYMLINK_NOFOLLOW)}. */
    @Override
    public FileStat lstat(Pathname path) throws SyscallException {
        if (path.trailingSlash()) {
            return stat(path); // "link/" is what the link leads to, resolved beneath
        }
        return onParent(path, (s, at) -> {
            s.check((int) Libc.FSTATAT.invokeExact(s.capture, at.fd(), at.name(), s.buf, Libc.AT_SYMLINK_NOFOLLOW));
            return LinuxSyscalls.toStat(s.buf);
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jail: {@code statx(fd, "", AT_EMPTY_PATH | flags, mask)} of what {@code openat2} resolved,
     * or with {@code AT_SYMLINK_NOFOLLOW} {@code statx(parent, name, flags, mask)}; for one name
     * that is not a symlink (and a mask with {@code STATX_TYPE}), {@code statx(jail, name, flags | AT_SYMLINK_NOFOLLOW, mask)} alone.
     */
    @Override
    public FileStat statx(Pathname path, int flags, int mask) throws SyscallException {
        if ((flags & AioConstants.AT_SYMLINK_NOFOLLOW) != 0 && !path.trailingSlash()) {
            return onParent(path, (s, at) -> base.statx(s, at.fd(), at.name(), flags, mask));
        }
        if (oneName(path) && (mask & AioConstants.STATX_TYPE) != 0) { // the type tells a symlink
            int nofollow = flags | AioConstants.AT_SYMLINK_NOFOLLOW;
            FileStat st = onRoot((s, rootFd) -> base.statx(s, rootFd, s.path(0, path), nofollow, mask));
            if (!st.isSymbolicLink()) {
                return st;
            }
        }
        return onResolved(path, O_PATH, (s, fd) -> base.statx(s, fd, LinuxSyscalls.EMPTY_NAME, flags | Libc.AT_EMPTY_PATH, mask));
    }

    /** {@inheritDoc} Jail: {@code fstatvfs} of the {@code O_PATH} descriptor {@code openat2} resolved. */
    @Override
    public StatVfs statvfs(Pathname path) throws SyscallException {
        return onResolved(path, O_PATH, (s, fd) -> {
            s.check((int) Libc.FSTATVFS.invokeExact(s.capture, fd, s.buf));
            return LinuxSyscalls.toStatVfs(s.buf);
        });
    }

    // ================================================================ attributes

    /** {@inheritDoc} Jail: {@code utimensat} of the resolved file's {@code /proc/self/fd} link; {@code null} is {@code UTIME_NOW}. */
    @Override
    public int utime(Pathname path, Instant atime, Instant mtime) throws SyscallException {
        return onResolved(path, O_PATH, (s, fd) -> {
            MemorySegment times = s.times(atime, mtime);
            return s.check((int) Libc.UTIMENSAT.invokeExact(s.capture, AT_FDCWD, s.procFd(1, fd), times, 0));
        });
    }

    /** {@inheritDoc} Jail: {@code fchownat(fd, "", uid, gid, AT_EMPTY_PATH)} of what {@code openat2} resolved. */
    @Override
    public int chown(Pathname path, int uid, int gid) throws SyscallException {
        return onResolved(path, O_PATH, (s, fd) ->
                s.check((int) Libc.FCHOWNAT.invokeExact(s.capture, fd, LinuxSyscalls.EMPTY_NAME, uid, gid, Libc.AT_EMPTY_PATH)));
    }

    /** {@inheritDoc} Jail: {@code chmod} of the resolved file's {@code /proc/self/fd} link (as glibc's {@code fchmodat}). */
    @Override
    public int chmod(Pathname path, int mode) throws SyscallException {
        return onResolved(path, O_PATH, (s, fd) ->
                s.check((int) Libc.FCHMODAT.invokeExact(s.capture, AT_FDCWD, s.procFd(1, fd), mode, 0)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jail: {@code truncate} of the resolved file's {@code /proc/self/fd} link (never opened, so
     * a FIFO does not block: EINVAL, as {@code truncate(2)}).
     */
    @Override
    public int truncate(Pathname path, long length) throws SyscallException {
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return onResolved(path, O_PATH, (s, fd) ->
                s.check((int) Libc.TRUNCATE.invokeExact(s.capture, s.procFd(1, fd), length)));
    }

    // ================================================================ names

    /** {@inheritDoc} Jail: {@code unlinkat(parent, name, 0)}. */
    @Override
    public int unlink(Pathname path) throws SyscallException {
        return onParent(path, (s, at) -> s.check((int) Libc.UNLINKAT.invokeExact(s.capture, at.fd(), at.name(), 0)));
    }

    /** {@inheritDoc} Jail: {@code unlinkat(parent, name, AT_REMOVEDIR)}. */
    @Override
    public int rmdir(Pathname path) throws SyscallException {
        return onParent(path, (s, at) ->
                s.check((int) Libc.UNLINKAT.invokeExact(s.capture, at.fd(), at.name(), Libc.AT_REMOVEDIR)));
    }

    /** {@inheritDoc} Jail: {@code mknodat(parent, name, mode, dev)}: every type; a {@code dev} beyond 32 bits is EINVAL. */
    @Override
    public int mknod(Pathname path, int mode, long dev) throws SyscallException {
        if ((dev >>> 32) != 0) {
            check(path);
            throw new SyscallException(Errno.EINVAL);
        }
        return onParent(path, (s, at) -> s.check((int) Libc.MKNODAT.invokeExact(s.capture, at.fd(), at.name(), mode, dev)));
    }

    /** {@inheritDoc} Jail: {@code linkat(parent, name, newParent, newName, 0)}: a symlink is linked itself. */
    @Override
    public int link(Pathname existing, Pathname newPath) throws SyscallException {
        if (existing.trailingSlash()) {
            // linkat would follow "name/" from the parent, unconfined: resolve it beneath instead.
            // What it names is a directory (or an errno), and a directory is never linked: EPERM.
            return onResolved(existing, O_PATH | O_DIRECTORY, (s, fd) -> {
                throw new SyscallException(Errno.EPERM);
            });
        }
        return onParents(existing, newPath, (s, a, b) ->
                s.check((int) Libc.LINKAT.invokeExact(s.capture, a.fd(), a.name(), b.fd(), b.name(), 0)));
    }

    /** {@inheritDoc} Jail: {@code symlinkat(target, parent, name)}, the target stored verbatim (never followed here). */
    @Override
    public int symlink(Pathname target, Pathname linkPath) throws SyscallException {
        return onParent(linkPath, (s, at) -> {
            MemorySegment t = s.path(1, target);
            return s.check((int) Libc.SYMLINKAT.invokeExact(s.capture, t, at.fd(), at.name()));
        });
    }

    /** {@inheritDoc} Jail: {@code readlinkat(parent, name)}. */
    @Override
    public Pathname readlink(Pathname path) throws SyscallException {
        if (path.trailingSlash()) {
            return onResolved(path, O_PATH, (s, fd) -> {
                throw new SyscallException(Errno.EINVAL); // "link/" is the directory it leads to, not a link
            });
        }
        return onParent(path, (s, at) -> readlinkAt(s, at.fd(), at.name()));
    }

    /** {@inheritDoc} Jail: the resolved file's {@code /proc/self/fd} link, read: its absolute path now, inside the jail. */
    @Override
    public Path realpath(Path path) throws SyscallException {
        return onResolved(Pathname.of(path), O_PATH, LinuxBeneathSyscalls::readProcLink);
    }

    /** {@inheritDoc} Jail: {@code renameat(parent, name, newParent, newName)}. */
    @Override
    public int rename(Pathname from, Pathname to) throws SyscallException {
        return onParents(from, to, (s, a, b) ->
                s.check((int) Libc.RENAMEAT.invokeExact(s.capture, a.fd(), a.name(), b.fd(), b.name())));
    }

    /** {@inheritDoc} Jail: {@code renameat2(parent, name, newParent, newName, flags)}: every flag the file system supports. */
    @Override
    public int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
        return onParents(from, to, (s, a, b) ->
                s.check((int) Libc.RENAMEAT2.invokeExact(s.capture, a.fd(), a.name(), b.fd(), b.name(), flags)));
    }

    /** {@inheritDoc} Jail: {@code mkdirat(parent, name, mode)}. */
    @Override
    public int mkdir(Pathname path, int mode) throws SyscallException {
        return onParent(path, (s, at) -> s.check((int) Libc.MKDIRAT.invokeExact(s.capture, at.fd(), at.name(), mode)));
    }

    // ================================================================ directories

    /** {@inheritDoc} Jail: {@code getdents64} of the directory {@code openat2} opened. */
    @Override
    public List<Path> readdir(Pathname dir) throws SyscallException {
        return onResolved(dir, O_RDONLY | O_DIRECTORY, LinuxSyscalls::names);
    }

    /** {@inheritDoc} Jail: {@code getdents64} of the directory {@code openat2} opened, with the kernel's types and inodes. */
    @Override
    public List<DirEntry> readdirDents(Pathname dir) throws SyscallException {
        return onResolved(dir, O_RDONLY | O_DIRECTORY, LinuxSyscalls::entries);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Jail: the directory resolved by {@code openat2} ({@code O_PATH | O_DIRECTORY}), opened by the
     * JDK through its {@code /proc/self/fd} link, which leads to exactly that directory.
     */
    @Override
    public SecureDirectoryStream<Path> openDirectory(Path path) throws SyscallException {
        return onResolved(Pathname.of(path), O_PATH | O_DIRECTORY, (s, fd) -> procStream(fd));
    }

    /** The JDK's directory stream of the directory {@code fd} is, opened through its {@code /proc/self/fd} link. */
    static SecureDirectoryStream<Path> procStream(int fd) throws SyscallException, IOException {
        DirectoryStream<Path> ds;
        try {
            ds = Files.newDirectoryStream(PROC_FD.resolve(Integer.toString(fd)));
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        }
        if (!(ds instanceof SecureDirectoryStream<Path> sds)) {
            ds.close();
            throw new SyscallException(Errno.ENOSYS);
        }
        return sds;
    }

    // ================================================================ held directories

    /**
     * {@inheritDoc}
     *
     * <p>Jail: {@code openat2(jail, path, O_PATH | O_DIRECTORY, RESOLVE_BENEATH |
     * RESOLVE_NO_MAGICLINKS)}, then {@code openat(that, ".", O_RDONLY | O_DIRECTORY)}; not following a final symlink, {@code openat(parent, name, ... |
     * O_NOFOLLOW)} on the parent resolved beneath. The {@code *At} calls on it are the native layer's.
     */
    @Override
    public TreeDir openDir(Path dir, boolean follow) throws SyscallException {
        Pathname path = Pathname.of(dir);
        if (follow) {
            return onResolved(path, O_PATH | O_DIRECTORY, (s, fd) -> {
                int own = LinuxTreeCalls.openat(s, fd, s.path(1, DOT), LinuxTreeCalls.DIR_FLAGS | O_NOFOLLOW, 0);
                return LinuxTreeCalls.adopt(s, own, opened(s, own, path));
            });
        }
        return onParent(path, (s, at) -> {
            int fd = LinuxTreeCalls.openat(s, at.fd(), at.name(), LinuxTreeCalls.DIR_FLAGS | O_NOFOLLOW, 0);
            return LinuxTreeCalls.adopt(s, fd, opened(s, fd, path));
        });
    }

    // ================================================================ sync

    // ================================================================ helpers

    /** {@code readlinkat(dirfd, name)}, growing the buffer as {@link LinuxSyscalls#readlink} does. */
    static Pathname readlinkAt(Scratch s, int dirfd, MemorySegment name) throws SyscallException {
        for (long size = Libc.PATH_MAX; ; size *= 2) {
            MemorySegment out = s.io((int) size);
            long want = size;
            long n = LinuxSyscalls.invokeLong(s, x -> (long) Libc.READLINKAT.invokeExact(x.capture, dirfd, name, out, want));
            if (n < size) {
                String text = LinuxSyscalls.decodeText(out.asSlice(0, n).toArray(JAVA_BYTE), (int) n);
                return text != null ? Pathname.of(text) : Pathname.of(pathOf(out, (int) n));
            }
            if (size >= LinuxSyscalls.MAX_CACHED_IO) {
                throw new SyscallException(Errno.ENAMETOOLONG);
            }
        }
    }

    /** The path {@code /proc/self/fd/<fd>} links to: where the file {@code fd} is, now. */
    static Path readProcLink(Scratch s, int fd) throws SyscallException {
        return readlinkAt(s, AT_FDCWD, s.procFd(1, fd)).path();
    }

    /**
     * The path with exactly the {@code n} bytes at {@code bytes}: decoded as the JDK decodes names,
     * or, where they are not valid in that encoding, made from a {@code file:} URI that carries them
     * percent-encoded (the JDK keeps raw bytes for such paths).
     */
    private static Path pathOf(MemorySegment bytes, int n) {
        Path p = LinuxSyscalls.decode(bytes, n);
        if (p != null) {
            return p;
        }
        boolean absolute = n > 0 && bytes.get(JAVA_BYTE, 0) == '/';
        StringBuilder uri = new StringBuilder(absolute ? "file://" : "file:///");
        for (int i = 0; i < n; i++) {
            int b = Byte.toUnsignedInt(bytes.get(JAVA_BYTE, i));
            if (b == '/') {
                uri.append('/');
            } else {
                uri.append('%').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            }
        }
        Path raw = Path.of(URI.create(uri.toString()));
        return absolute ? raw : ROOT.relativize(raw);
    }
}
