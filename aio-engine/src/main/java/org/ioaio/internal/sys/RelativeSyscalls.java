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



    // The calls the JDK offers no descriptor-relative form of go by absolute path: the directory's
    // path now (DirectoryHandle.locate), as IO::AIO's aio_statvfs always and its aio_rename sometimes do.

    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        return delegate.statvfs(abs(path));
    }

    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        return delegate.utime(abs(path), atime, mtime);
    }

    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        return delegate.chown(abs(path), uid, gid);
    }

    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        return delegate.chmod(abs(path), mode);
    }

    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        return delegate.mknod(abs(path), mode, dev);
    }

    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        return delegate.link(abs(existing), abs(newPath));
    }

    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        return delegate.symlink(target, abs(linkPath));
    }

    @Override
    public Path readlink(Path path) throws SyscallException {
        return delegate.readlink(abs(path));
    }

    /** {@inheritDoc} IO::AIO: "aio_realpath will always rely on the string form". */
    @Override
    public Path realpath(Path path) throws SyscallException {
        return delegate.realpath(abs(path));
    }

    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        return delegate.mkdir(abs(path), mode);
    }

    /** {@inheritDoc} By absolute path: it needs each entry's inode. */
    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        return delegate.readdirDents(abs(dir));
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
            return delegate.rename(wd.locate(), abs(to));
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
            return delegate.rename(abs(from), abs(to));
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
     * <p>By absolute paths (keeping {@link NioSyscalls}'s never-replace guarantee).
     */
    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        checkRename2Flags(flags);
        if (flags == 0) {
            return rename(from, to);
        }
        return delegate.rename2(itself(from) ? wd.locate() : abs(from), abs(to), flags);
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
