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


import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.time.Instant;
import java.util.List;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;

/**
 * An ordinary working directory: a relative path is resolved relative to the directory's
 * descriptor, an absolute one goes to the wrapped layer unchanged (see the package comment).
 */
final class RelativeSyscalls extends DirectorySyscalls {

    RelativeSyscalls(Syscalls delegate, DirectoryHandle wd) {
        super(delegate, wd, false);
    }

    @Override
    Target target(Path path, boolean followFinal) throws SyscallException {
        SecureDirectoryStream<Path> root = root(path);
        if (path.isAbsolute() || root == null) {
            return null;
        }
        Target t = new Target();
        t.dir = root;
        t.dirKey = wd.key();
        t.name = path;
        return t;
    }

    @Override
    Path abs(Path path) throws SyscallException {
        root(path);
        return path.isAbsolute() ? path : wd.locate().resolve(path);
    }

    @Override
    DirectoryHandle openDirectory(Path path, boolean jail) throws SyscallException {
        Target t = target(path, true);
        if (t == null) {
            return DirectoryHandle.open(abs(path), jail);
        }
        return openDirectory(t, true, jail, Path::toRealPath);
    }

    /**
     * {@inheritDoc} Only exactly {@code "."} is IO::AIO's {@code [$wd, "."]}: any other spelling of
     * it ({@code "./"}) is EINVAL, as {@code rmdir(2)} relative to the directory answers.
     */
    @Override
    public int rmdir(Pathname name) throws SyscallException {
        if (!name.text().equals(".") && itself(name.path())) {
            throw new SyscallException(Errno.EINVAL);
        }
        return super.rmdir(name);
    }

    /** {@inheritDoc} As {@link #rmdir(Pathname)}: renaming {@code "./"} is EBUSY, as {@code renameat(2)} answers. */
    @Override
    public int rename(Pathname from, Pathname to) throws SyscallException {
        if (!from.text().equals(".") && itself(from.path())) {
            throw new SyscallException(Errno.EBUSY);
        }
        return super.rename(from, to);
    }

    /** {@inheritDoc} As {@link #rename(Pathname, Pathname)}. */
    @Override
    public int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
        if (!from.text().equals(".") && itself(from.path())) {
            throw new SyscallException(Errno.EBUSY);
        }
        return super.rename2(from, to, flags);
    }



    // The calls the JDK offers no descriptor-relative form of: by a path that names the directory
    // through its descriptor (atPath), as IO::AIO's *at calls do; without one, its path now.

    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        return atPath(path, delegate::statvfs);
    }

    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        return atPath(path, p -> delegate.utime(p, atime, mtime));
    }

    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        return atPath(path, p -> delegate.chown(p, uid, gid));
    }

    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        return atPath(path, p -> delegate.chmod(p, mode));
    }

    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        return atPath(path, p -> delegate.mknod(p, mode, dev));
    }

    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        return atPath(existing, from -> atPath(newPath, to -> delegate.link(from, to)));
    }

    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        return atPath(linkPath, p -> delegate.symlink(target, p));
    }

    @Override
    public Path readlink(Path path) throws SyscallException {
        return atPath(path, delegate::readlink);
    }

    /** {@inheritDoc} IO::AIO: "aio_realpath will always rely on the string form"; here the directory's real path now. */
    @Override
    public Path realpath(Path path) throws SyscallException {
        return atPath(path, delegate::realpath);
    }

    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        return atPath(path, p -> delegate.mkdir(p, mode));
    }

    /** {@inheritDoc} By path (it needs each entry's inode), through the descriptor. */
    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        return atPath(dir, delegate::readdirDents);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Once the directory has an anchor ({@link #atPath}), the wrapped layer's own {@code stat}
     * through it: one call, every number. Before, as {@link DirectorySyscalls#stat}; where that
     * fails with ESTALE or ENOENT (the directory's path renamed or replaced meanwhile, so the
     * numbers read by path kept belonging to another file or to none), through the anchor, made
     * then.
     */
    @Override
    public FileStat stat(Path path) throws SyscallException {
        return statThrough(path, delegate::stat, () -> super.stat(path));
    }

    /** {@inheritDoc} As {@link #stat}. */
    @Override
    public FileStat lstat(Path path) throws SyscallException {
        return statThrough(path, delegate::lstat, () -> super.lstat(path));
    }

    /** {@inheritDoc} As {@link #stat}. */
    @Override
    public FileStat statx(Path path, int flags, int mask) throws SyscallException {
        return statThrough(path, p -> delegate.statx(p, flags, mask), () -> super.statx(path, flags, mask));
    }

    /** A stat the way {@link DirectorySyscalls} makes it. */
    @FunctionalInterface
    private interface Unanchored {
        FileStat run() throws SyscallException;
    }

    private FileStat statThrough(Path path, AtPath<FileStat> anchored, Unanchored otherwise) throws SyscallException {
        if (path.isAbsolute()) {
            return otherwise.run();
        }
        ProcFdAnchors.Held held = wd.attachedIfAny(ProcFdAnchors.Held.class);
        if (held != null) {
            root(path); // EBADF once closed, ENOENT for ""
            return through(held, path, anchored);
        }
        try {
            return otherwise.run();
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESTALE.code() && e.errno() != Errno.ENOENT.code()) {
                throw e;
            }
            ProcFdAnchors.Held made = anchor(path);
            if (made == null) {
                throw e;
            }
            return through(made, path, anchored);
        }
    }

    /** A call on a path. */
    @FunctionalInterface
    private interface AtPath<T> {
        T run(Path p) throws SyscallException;
    }

    /**
     * Runs {@code call} on the path that leads to {@code path} relative to the directory: an
     * absolute path as given; a relative one through the directory's anchor ({@code
     * /proc/self/fd/N/./path}: the kernel resolves it from the descriptor, as IO::AIO's {@code *at}
     * calls resolve {@code [$wd, $path]}), or, where the process cannot name its descriptor so,
     * from the directory's path now ({@link DirectoryHandle#locate}).
     */
    private <T> T atPath(Path path, AtPath<T> call) throws SyscallException {
        if (path.isAbsolute()) {
            root(path); // EBADF once closed, as for a relative path
            return call.run(path);
        }
        ProcFdAnchors.Held anchor = anchor(path);
        return anchor == null ? call.run(abs(path)) : through(anchor, path, call);
    }

    private static <T> T through(ProcFdAnchors.Held anchor, Path path, AtPath<T> call) throws SyscallException {
        Path base = anchor.acquire();
        try {
            return call.run(base.resolve(path));
        } finally {
            anchor.release();
        }
    }

    /** Set once the directory cannot be anchored (no descriptor, no {@code /proc/self/fdinfo}, another layer's attachment). */
    private volatile boolean unanchored;

    /** The directory's anchor, opened on first use and closed with the directory; {@code null} where there is none. */
    private ProcFdAnchors.Held anchor(Path path) throws SyscallException {
        SecureDirectoryStream<Path> s = root(path); // EBADF once closed; ENOENT for ""
        if (unanchored || s == null) {
            return null;
        }
        try {
            return wd.attachment(ProcFdAnchors.Held.class, () -> ProcFdAnchors.Held.open(s, wd.key()));
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOSYS.code() || e.errno() == Errno.EOPNOTSUPP.code()) {
                unanchored = true;
                return null;
            }
            throw e;
        }
    }

    /** {@inheritDoc} A path of exactly {@code "."} removes the directory itself, by its absolute path (see {@link #itself}). */
    @Override
    public int rmdir(Path path) throws SyscallException {
        return itself(path) ? delegate.rmdir(wd.locate()) : super.rmdir(path);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through the descriptors ({@code renameat}); by absolute path if either is absolute. A
     * source of exactly {@code "."} renames the directory itself,
     * by its absolute path (see {@link #itself}).
     */
    @Override
    public int rename(Path from, Path to) throws SyscallException {
        if (itself(from)) {
            return atPath(to, t -> delegate.rename(wd.locate(), t));
        }
        Target a = target(from, false);
        Target b;
        try {
            b = target(to, false);
        } catch (SyscallException | RuntimeException e) {
            if (a != null) {
                a.close();
            }
            throw e;
        }
        if (a == null || b == null) {
            closeBoth(a, b);
            return atPath(from, f -> atPath(to, t -> delegate.rename(f, t)));
        }
        try {
            a.dir.move(a.name, b.dir, b.name);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        } finally {
            closeBoth(a, b);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By paths through the directory's descriptor ({@link #atPath}), keeping {@link
     * NioSyscalls}'s never-replace guarantee.
     */
    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        checkRename2Flags(flags);
        if (flags == 0) {
            return rename(from, to);
        }
        if (itself(from)) {
            return atPath(to, t -> delegate.rename2(wd.locate(), t, flags));
        }
        return atPath(from, f -> atPath(to, t -> delegate.rename2(f, t, flags)));
    }

    /**
     * IO::AIO's special case of {@code [$wd, "."]} for {@code aio_rmdir} and as the source of {@code
     * aio_rename}: "instead of failing, rmdir/rename is called on the absolute path of $wd" (the
     * kernel refuses {@code "."} as the last component). Exactly {@code "."}, as IO::AIO's {@code
     * SINGLEDOT}; the path is the directory's path now ({@link DirectoryHandle#locate}), so a
     * renamed working directory is followed, and one that was removed fails with ENOENT. Not in a
     * jail: its directory's name lies outside it, so there {@code "."} gets the kernel's answer.
     */
    private static boolean itself(Path path) {
        return isDot(path);
    }


    private static void closeBoth(Target a, Target b) {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

}
