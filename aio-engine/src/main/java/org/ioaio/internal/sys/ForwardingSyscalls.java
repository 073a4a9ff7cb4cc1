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

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.ioaio.DirEntry;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;

/**
 * A {@link Syscalls} that passes every call to {@link #delegate()}: the base of the layer's decorators
 * (working directory, jails, the native layer over the portable one), which override only the calls
 * they change, so a call added to {@link Syscalls} reaches the wrapped layer through every decorator.
 * The {@link Path} forms of the path calls go to {@link #paths()} as its {@link Pathname} forms; the
 * {@link Pathname} forms are the interface's, over this layer's own {@link Path} forms, unless a
 * layer writes them (a layer that resolves names itself, or a view that forwards them as given).
 *
 * <p>The layer's properties are not forwarded: {@link #survivesInterrupts()}, {@link #path(String)},
 * {@link #readdirTypesFree()} and {@link #beneath} keep the interface's defaults unless a decorator
 * says otherwise, since what holds for the wrapped layer need not hold for the view.
 */
public abstract class ForwardingSyscalls implements Syscalls {

    /** For subclasses. */
    protected ForwardingSyscalls() {
    }

    /**
     * The layer every call not overridden goes to.
     *
     * @return the wrapped layer
     */
    protected abstract Syscalls delegate();

    /**
     * The layer the {@link Path} forms of the path calls go to, as its {@link Pathname} forms (a
     * {@code Path} there is exact): {@link #delegate()}, unless a decorator resolves paths in another
     * layer than the one its open files belong to (a working directory view chooses it on its first
     * call, which can fail), or resolves them itself ({@code this}: a layer that does so must then
     * implement every {@link Pathname} form, so no path reaches the layer it wraps).
     *
     * @return the layer for path calls
     * @throws SyscallException when it cannot be had
     */
    protected Syscalls paths() throws SyscallException {
        return delegate();
    }

    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        return paths().open(Pathname.of(path), flags, mode);
    }

    @Override
    public int close(FileHandle file) throws SyscallException {
        return delegate().close(file);
    }

    @Override
    public long lseek(FileHandle file, long offset, int whence) throws SyscallException {
        return delegate().lseek(file, offset, whence);
    }

    @Override
    public int pread(FileHandle file, ByteBuffer dst, long offset) throws SyscallException {
        return delegate().pread(file, dst, offset);
    }

    @Override
    public int pwrite(FileHandle file, ByteBuffer src, long offset) throws SyscallException {
        return delegate().pwrite(file, src, offset);
    }

    @Override
    public int read(FileHandle file, ByteBuffer dst) throws SyscallException {
        return delegate().read(file, dst);
    }

    @Override
    public int write(FileHandle file, ByteBuffer src) throws SyscallException {
        return delegate().write(file, src);
    }

    @Override
    public long sendfile(FileHandle out, FileHandle in, long inOffset, long length) throws SyscallException {
        return delegate().sendfile(out, in, inOffset, length);
    }

    @Override
    public int readahead(FileHandle file, long offset, long length) throws SyscallException {
        return delegate().readahead(file, offset, length);
    }

    @Override
    public int fadvise(FileHandle file, long offset, long length, int advice) throws SyscallException {
        return delegate().fadvise(file, offset, length, advice);
    }

    @Override
    public FileStat stat(Path path) throws SyscallException {
        return paths().stat(Pathname.of(path));
    }

    @Override
    public FileStat lstat(Path path) throws SyscallException {
        return paths().lstat(Pathname.of(path));
    }

    @Override
    public FileStat fstat(FileHandle file) throws SyscallException {
        return delegate().fstat(file);
    }

    @Override
    public FileStat statx(Path path, int flags, int mask) throws SyscallException {
        return paths().statx(Pathname.of(path), flags, mask);
    }

    @Override
    public FileStat fstatx(FileHandle file, int flags, int mask) throws SyscallException {
        return delegate().fstatx(file, flags, mask);
    }

    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        return paths().statvfs(Pathname.of(path));
    }

    @Override
    public StatVfs fstatvfs(FileHandle file) throws SyscallException {
        return delegate().fstatvfs(file);
    }

    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        return paths().utime(Pathname.of(path), atime, mtime);
    }

    @Override
    public int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException {
        return delegate().futime(file, atime, mtime);
    }

    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        return paths().chown(Pathname.of(path), uid, gid);
    }

    @Override
    public int fchown(FileHandle file, int uid, int gid) throws SyscallException {
        return delegate().fchown(file, uid, gid);
    }

    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        return paths().chmod(Pathname.of(path), mode);
    }

    @Override
    public int fchmod(FileHandle file, int mode) throws SyscallException {
        return delegate().fchmod(file, mode);
    }

    @Override
    public int truncate(Path path, long length) throws SyscallException {
        return paths().truncate(Pathname.of(path), length);
    }

    @Override
    public int ftruncate(FileHandle file, long length) throws SyscallException {
        return delegate().ftruncate(file, length);
    }

    @Override
    public int fallocate(FileHandle file, int mode, long offset, long length) throws SyscallException {
        return delegate().fallocate(file, mode, offset, length);
    }

    @Override
    public int unlink(Path path) throws SyscallException {
        return paths().unlink(Pathname.of(path));
    }

    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        return paths().mknod(Pathname.of(path), mode, dev);
    }

    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        return paths().link(Pathname.of(existing), Pathname.of(newPath));
    }

    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        return paths().symlink(Pathname.of(target), Pathname.of(linkPath));
    }

    @Override
    public Path readlink(Path path) throws SyscallException {
        return paths().readlink(Pathname.of(path)).path();
    }

    @Override
    public Path realpath(Path path) throws SyscallException {
        return paths().realpath(Pathname.of(path));
    }

    @Override
    public int rename(Path from, Path to) throws SyscallException {
        return paths().rename(Pathname.of(from), Pathname.of(to));
    }

    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        return paths().rename2(Pathname.of(from), Pathname.of(to), flags);
    }

    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        return paths().mkdir(Pathname.of(path), mode);
    }

    @Override
    public int rmdir(Path path) throws SyscallException {
        return paths().rmdir(Pathname.of(path));
    }

    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        return paths().readdir(Pathname.of(dir));
    }

    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        return paths().readdirDents(Pathname.of(dir));
    }

    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        return paths().openDir(path, follow);
    }

    @Override
    public TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        return delegate().openDirAt(dir, name);
    }

    @Override
    public FileStat fstatDir(TreeDir dir) throws SyscallException {
        return delegate().fstatDir(dir);
    }

    @Override
    public FileStat lstatAt(TreeDir dir, Path name) throws SyscallException {
        return delegate().lstatAt(dir, name);
    }

    @Override
    public FileStat searchDirAt(TreeDir dir, Path name) throws SyscallException {
        return delegate().searchDirAt(dir, name);
    }

    @Override
    public List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        return delegate().readdirAt(dir, types);
    }

    @Override
    public int unlinkAt(TreeDir dir, Path name, boolean directory) throws SyscallException {
        return delegate().unlinkAt(dir, name, directory);
    }

    @Override
    public int mkdirAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return delegate().mkdirAt(dir, name, mode);
    }

    @Override
    public FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        return delegate().openAt(dir, name, flags, mode);
    }

    @Override
    public int symlinkAt(Path target, TreeDir dir, Path name) throws SyscallException {
        return delegate().symlinkAt(target, dir, name);
    }

    @Override
    public Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        return delegate().readlinkAt(dir, name);
    }

    @Override
    public int mknodAt(TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        return delegate().mknodAt(dir, name, mode, dev);
    }

    @Override
    public int linkAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName) throws SyscallException {
        return delegate().linkAt(fromDir, fromName, toDir, toName);
    }

    @Override
    public int renameAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName, int flags) throws SyscallException {
        return delegate().renameAt(fromDir, fromName, toDir, toName, flags);
    }

    @Override
    public int chmodAt(TreeDir dir, Path name, int mode) throws SyscallException {
        return delegate().chmodAt(dir, name, mode);
    }

    @Override
    public int chownAt(TreeDir dir, Path name, int uid, int gid) throws SyscallException {
        return delegate().chownAt(dir, name, uid, gid);
    }

    @Override
    public int utimeAt(TreeDir dir, Path name, Instant atime, Instant mtime) throws SyscallException {
        return delegate().utimeAt(dir, name, atime, mtime);
    }

    @Override
    public int fsync(FileHandle file) throws SyscallException {
        return delegate().fsync(file);
    }

    @Override
    public int fdatasync(FileHandle file) throws SyscallException {
        return delegate().fdatasync(file);
    }

    @Override
    public int syncfs(FileHandle file) throws SyscallException {
        return delegate().syncfs(file);
    }

    @Override
    public int syncFileRange(FileHandle file, long offset, long nbytes, int flags) throws SyscallException {
        return delegate().syncFileRange(file, offset, nbytes, flags);
    }

    @Override
    public int sync() throws SyscallException {
        return delegate().sync();
    }

    @Override
    public int msync(MappedByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        return delegate().msync(buffer, offset, length, flags);
    }

    @Override
    public int mtouch(ByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        return delegate().mtouch(buffer, offset, length, flags);
    }

    // ---- IO::AIO 4.8: record locks, fcntl, ioctl, fiemap, memory, pipes ----

    @Override
    public org.ioaio.RecordLock fcntlLock(FileHandle file, int cmd, org.ioaio.RecordLock lock) throws SyscallException {
        return delegate().fcntlLock(file, cmd, lock);
    }

    @Override
    public long fcntl(FileHandle file, int cmd, long arg) throws SyscallException {
        return delegate().fcntl(file, cmd, arg);
    }

    @Override
    public long ioctl(FileHandle file, long request, ByteBuffer arg) throws SyscallException {
        return delegate().ioctl(file, request, arg);
    }

    @Override
    public int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
        return delegate().reflink(dst, src, srcOffset, length, dstOffset);
    }

    @Override
    public long copyFileRange(FileHandle in, long inOffset, FileHandle out, long outOffset, long length) throws SyscallException {
        return delegate().copyFileRange(in, inOffset, out, outOffset, length);
    }

    @Override
    public List<org.ioaio.FiemapExtent> fiemap(FileHandle file, long start, long length, int flags, int count) throws SyscallException {
        return delegate().fiemap(file, start, length, flags, count);
    }

    @Override
    public long fiemapCount(FileHandle file, long start, long length, int flags) throws SyscallException {
        return delegate().fiemapCount(file, start, length, flags);
    }

    @Override
    public int mlock(ByteBuffer buffer, long offset, long length, boolean lock) throws SyscallException {
        return delegate().mlock(buffer, offset, length, lock);
    }

    @Override
    public int mlockall(int flags) throws SyscallException {
        return delegate().mlockall(flags);
    }

    @Override
    public int madvise(ByteBuffer buffer, long offset, long length, int advice) throws SyscallException {
        return delegate().madvise(buffer, offset, length, advice);
    }

    @Override
    public long splice(FileHandle in, long inOffset, FileHandle out, long outOffset, long length, int flags) throws SyscallException {
        return delegate().splice(in, inOffset, out, outOffset, length, flags);
    }

    @Override
    public long tee(FileHandle in, FileHandle out, long length, int flags) throws SyscallException {
        return delegate().tee(in, out, length, flags);
    }

    @Override
    public FileHandle[] pipe(int flags) throws SyscallException {
        return delegate().pipe(flags);
    }

    @Override
    public long minFdlimit(long nfd) throws SyscallException {
        return delegate().minFdlimit(nfd);
    }

    @Override
    public MappedRegion mmap(FileHandle file, long offset, long length, int prot, int flags) throws SyscallException {
        return delegate().mmap(file, offset, length, prot, flags);
    }

    /**
     * A forwarding layer that passes the {@link Pathname} forms to {@link #paths()} too, with the
     * name's exact text: a view over another layer (a kernel jail needs the text as given).
     */
    public abstract static class AsGiven extends ForwardingSyscalls {

        /** For subclasses. */
        protected AsGiven() {
        }

        @Override
        public FileHandle open(Pathname name, int flags, int mode) throws SyscallException {
            return paths().open(name, flags, mode);
        }

        @Override
        public FileStat stat(Pathname name) throws SyscallException {
            return paths().stat(name);
        }

        @Override
        public FileStat lstat(Pathname name) throws SyscallException {
            return paths().lstat(name);
        }

        @Override
        public FileStat statx(Pathname name, int flags, int mask) throws SyscallException {
            return paths().statx(name, flags, mask);
        }

        @Override
        public StatVfs statvfs(Pathname name) throws SyscallException {
            return paths().statvfs(name);
        }

        @Override
        public int utime(Pathname name, Instant atime, Instant mtime) throws SyscallException {
            return paths().utime(name, atime, mtime);
        }

        @Override
        public int chown(Pathname name, int uid, int gid) throws SyscallException {
            return paths().chown(name, uid, gid);
        }

        @Override
        public int chmod(Pathname name, int mode) throws SyscallException {
            return paths().chmod(name, mode);
        }

        @Override
        public int truncate(Pathname name, long length) throws SyscallException {
            return paths().truncate(name, length);
        }

        @Override
        public int unlink(Pathname name) throws SyscallException {
            return paths().unlink(name);
        }

        @Override
        public int rmdir(Pathname name) throws SyscallException {
            return paths().rmdir(name);
        }

        @Override
        public int mknod(Pathname name, int mode, long dev) throws SyscallException {
            return paths().mknod(name, mode, dev);
        }

        @Override
        public int link(Pathname existing, Pathname newName) throws SyscallException {
            return paths().link(existing, newName);
        }

        @Override
        public int symlink(Pathname target, Pathname linkName) throws SyscallException {
            return paths().symlink(target, linkName);
        }

        @Override
        public Pathname readlink(Pathname name) throws SyscallException {
            return paths().readlink(name);
        }

        @Override
        public Path realpath(Pathname name) throws SyscallException {
            return paths().realpath(name);
        }

        @Override
        public int rename(Pathname from, Pathname to) throws SyscallException {
            return paths().rename(from, to);
        }

        @Override
        public int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
            return paths().rename2(from, to, flags);
        }

        @Override
        public int mkdir(Pathname name, int mode) throws SyscallException {
            return paths().mkdir(name, mode);
        }

        @Override
        public List<Path> readdir(Pathname name) throws SyscallException {
            return paths().readdir(name);
        }

        @Override
        public List<DirEntry> readdirDents(Pathname name) throws SyscallException {
            return paths().readdirDents(name);
        }
    }
}
