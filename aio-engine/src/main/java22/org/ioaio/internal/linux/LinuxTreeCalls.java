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
import static org.ioaio.internal.linux.LinuxSyscalls.scratch;
import static org.ioaio.internal.linux.LinuxSyscalls.unchecked;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.AioConstants;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.linux.LinuxSyscalls.Scratch;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.TreeDir;

/**
 * The native layer's calls on held directories ({@link TreeDir}): the {@code *at} syscalls on the
 * held descriptor, nothing resolved by path again.
 */
final class LinuxTreeCalls {

    /** How a held directory is opened below the top. */
    static final int DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    private static final Path DOT = Path.of(".");

    private LinuxTreeCalls() {}

    /** A call on a held descriptor. */
    @FunctionalInterface
    interface FdCall<T> {
        T run(Scratch s, int fd) throws Throwable;
    }

    static LinuxTreeDir own(TreeDir d) throws SyscallException {
        if (d instanceof LinuxTreeDir l) {
            return l;
        }
        throw new SyscallException(Errno.EBADF);
    }

    /** Runs {@code call} with the held descriptor, which cannot be closed under it. */
    static <T> T on(TreeDir dir, FdCall<T> call) throws SyscallException {
        LinuxFileHandle h = own(dir).handle;
        int fd = h.acquire();
        try {
            return call.run(scratch(), fd);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw unchecked(t);
        } finally {
            h.unuse();
        }
    }

    /** A held directory for a descriptor just opened: {@code fstat} for its identity, closed on failure. */
    static LinuxTreeDir adopt(Scratch s, int fd, Path path) throws SyscallException {
        LinuxFileHandle h = new LinuxFileHandle(path, DIR_FLAGS, fd);
        try {
            FileStat st = fstat(s, fd);
            return new LinuxTreeDir(path, new LinuxTreeDir.Id(st.dev(), st.ino()), h);
        } catch (SyscallException | RuntimeException e) {
            try {
                h.closeOnce();
            } catch (SyscallException ignored) {
                // nothing written
            }
            throw e;
        }
    }

    static FileStat fstat(Scratch s, int fd) throws SyscallException {
        LinuxSyscalls.invoke(s, x -> (int) Libc.FSTAT.invokeExact(x.capture, fd, x.buf));
        return LinuxSyscalls.toStat(s.buf);
    }

    static int openat(Scratch s, int dirfd, MemorySegment name, int flags, int mode) throws SyscallException {
        return LinuxSyscalls.invoke(s, x -> (int) Libc.OPENAT.invokeExact(x.capture, dirfd, name, flags, mode));
    }

    static TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        Path path = dir.path().resolve(name);
        return on(dir, (s, fd) -> adopt(s, openat(s, fd, s.path(0, name), DIR_FLAGS | O_NOFOLLOW, 0), path));
    }

    static FileStat fstatDir(TreeDir dir) throws SyscallException {
        return on(dir, (s, fd) -> fstat(s, fd));
    }

    static FileStat statAt(TreeDir dir, Path name, int flags) throws SyscallException {
        return on(dir, (s, fd) -> {
            s.check((int) Libc.FSTATAT.invokeExact(s.capture, fd, s.path(0, name), s.buf, flags));
            return LinuxSyscalls.toStat(s.buf);
        });
    }

    /**
     * {@code openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW)}, then {@code fstatat(that, ".")},
     * which needs search permission on it: nothing is followed, and what is stat'ed is what was opened.
     */
    static FileStat searchDirAt(TreeDir dir, Path name) throws SyscallException {
        return on(dir, (s, fd) -> {
            int sub = openat(s, fd, s.path(0, name), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
            try {
                s.check((int) Libc.FSTATAT.invokeExact(s.capture, sub, s.path(1, DOT), s.buf, 0));
                return LinuxSyscalls.toStat(s.buf);
            } finally {
                LinuxSyscalls.closeDirectory(s, sub);
            }
        });
    }

    /** A new open file description of the held directory ({@code openat(fd, ".")}), read with getdents64. */
    static List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        return on(dir, (s, fd) -> {
            int own = openat(s, fd, s.path(0, DOT), DIR_FLAGS | O_NOFOLLOW, 0);
            try {
                List<DirEntry> out = new ArrayList<>();
                LinuxSyscalls.getdents(s, own, (n, type, ino) -> out.add(
                        types ? new DirEntry(n, type, ino) : new DirEntry(n, AioConstants.DT_UNKNOWN, 0)));
                return out;
            } finally {
                LinuxSyscalls.closeDirectory(s, own);
            }
        });
    }

    static int unlinkAt(TreeDir dir, Path name, boolean directory) throws SyscallException {
        return on(dir, (s, fd) -> s.check((int) Libc.UNLINKAT.invokeExact(s.capture, fd, s.path(0, name), directory ? Libc.AT_REMOVEDIR : 0)));
    }

    static int mkdirAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return on(dir, (s, fd) -> s.check((int) Libc.MKDIRAT.invokeExact(s.capture, fd, s.path(0, name), mode)));
    }

    static FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        Path path = dir.path().resolve(name);
        int f = flags | O_NOFOLLOW | O_CLOEXEC;
        return on(dir, (s, fd) -> new LinuxFileHandle(path, f, openat(s, fd, s.path(0, name), f, mode)));
    }

    static int symlinkAt(Path target, TreeDir dir, Path name) throws SyscallException {
        return on(dir, (s, fd) -> s.check((int) Libc.SYMLINKAT.invokeExact(s.capture, s.path(0, target), fd, s.path(1, name))));
    }

    static Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        return on(dir, (s, fd) -> {
            MemorySegment n = s.path(0, name);
            for (long size = Libc.PATH_MAX; ; size *= 2) {
                MemorySegment out = s.io((int) size);
                long r = (long) Libc.READLINKAT.invokeExact(s.capture, fd, n, out, size);
                s.check(r);
                if (r < size) {
                    Path target = LinuxSyscalls.decode(out, (int) r);
                    return target != null ? target : rawPath(out, (int) r);
                }
                if (size >= LinuxSyscalls.MAX_CACHED_IO) {
                    throw new SyscallException(Errno.ENAMETOOLONG);
                }
            }
        });
    }

    /**
     * A path with exactly these bytes, for a symlink target that is not valid in the file name
     * encoding: made from a {@code file:} URI, where every other byte is percent-encoded (the JDK
     * keeps raw bytes only for paths it made itself).
     */
    private static Path rawPath(MemorySegment bytes, int n) {
        boolean absolute = n > 0 && bytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == '/';
        StringBuilder uri = new StringBuilder("file:///");
        for (int i = absolute ? 1 : 0; i < n; i++) {
            int b = Byte.toUnsignedInt(bytes.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            if (b == '/') {
                uri.append('/');
            } else {
                uri.append('%').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            }
        }
        Path p = Path.of(java.net.URI.create(uri.toString()));
        return absolute ? p : ROOT.relativize(p);
    }

    private static final Path ROOT = Path.of("/");

    /** {@code linkat(from, fromName, to, toName, 0)}, both held descriptors acquired for the call. */
    static int linkAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName) throws SyscallException {
        return onTwo(fromDir, toDir, (s, fromFd, toFd) ->
                s.check((int) Libc.LINKAT.invokeExact(s.capture, fromFd, s.path(0, fromName), toFd, s.path(1, toName), 0)));
    }

    /** {@code renameat2(from, fromName, to, toName, flags)}, both held descriptors acquired for the call. */
    static int renameAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName, int flags) throws SyscallException {
        return onTwo(fromDir, toDir, (s, fromFd, toFd) ->
                s.check((int) Libc.RENAMEAT2.invokeExact(s.capture, fromFd, s.path(0, fromName), toFd, s.path(1, toName), flags)));
    }

    /** A call on two held descriptors. */
    @FunctionalInterface
    private interface TwoFdCall {
        int run(Scratch s, int a, int b) throws Throwable;
    }

    /** Runs {@code call} with both held descriptors, neither of which can be closed under it. */
    private static int onTwo(TreeDir a, TreeDir b, TwoFdCall call) throws SyscallException {
        LinuxFileHandle second = own(b).handle;
        return on(a, (s, aFd) -> {
            int bFd = second.acquire();
            try {
                return call.run(s, aFd, bFd);
            } finally {
                second.unuse();
            }
        });
    }

    /**
     * A change of the entry {@code name} of a held directory, never through a symlink: {@code
     * openat(dir, name, O_PATH | O_NOFOLLOW)}, ELOOP if that opened a symlink, else {@code change}
     * on the new descriptor. Nothing is opened for reading: a FIFO does not block, a device is not touched.
     */
    private static int changeAt(TreeDir dir, Path name, FdCall<Integer> change) throws SyscallException {
        return on(dir, (s, fd) -> {
            int entry = openat(s, fd, s.path(0, name), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
            try {
                if ((fstat(s, entry).mode() & AioConstants.S_IFMT) == AioConstants.S_IFLNK) {
                    throw new SyscallException(Errno.ELOOP);
                }
                return change.run(s, entry);
            } finally {
                LinuxSyscalls.closeDirectory(s, entry);
            }
        });
    }

    /** {@code chmod} of {@code /proc/self/fd/N} of the entry opened {@code O_PATH} (as glibc's {@code fchmodat}). */
    static int chmodAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return changeAt(dir, name, (s, fd) ->
                viaProc(s, (int) Libc.FCHMODAT.invokeExact(s.capture, Libc.AT_FDCWD, s.procFd(1, fd), mode & 07777, 0)));
    }

    /**
     * The result of a call through a held descriptor's {@code /proc/self/fd} link: ENOENT can only
     * mean that {@code /proc} is not mounted (the link of an open descriptor exists even for an
     * unlinked file), so it is ENOSYS.
     */
    private static int viaProc(Scratch s, int r) throws SyscallException {
        try {
            return s.check(r);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT.code()) {
                throw new SyscallException(Errno.ENOSYS.code(), e);
            }
            throw e;
        }
    }

    /** {@code fchownat(entry, "", uid, gid, AT_EMPTY_PATH)} of the entry opened {@code O_PATH}. */
    static int chownAt(TreeDir dir, Path name, int uid, int gid) throws SyscallException {
        return changeAt(dir, name, (s, fd) ->
                s.check((int) Libc.FCHOWNAT.invokeExact(s.capture, fd, LinuxSyscalls.EMPTY_NAME, uid, gid, Libc.AT_EMPTY_PATH)));
    }

    /** {@code utimensat} of {@code /proc/self/fd/N} of the entry opened {@code O_PATH}; {@code null} is {@code UTIME_NOW}. */
    static int utimeAt(TreeDir dir, Path name, Instant atime, Instant mtime) throws SyscallException {
        return changeAt(dir, name, (s, fd) -> {
            MemorySegment times = s.times(atime, mtime);
            return viaProc(s, (int) Libc.UTIMENSAT.invokeExact(s.capture, Libc.AT_FDCWD, s.procFd(1, fd), times, 0));
        });
    }

    static int mknodAt(TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        if ((dev >>> 32) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return on(dir, (s, fd) -> s.check((int) Libc.MKNODAT.invokeExact(s.capture, fd, s.path(0, name), mode, dev)));
    }
}
