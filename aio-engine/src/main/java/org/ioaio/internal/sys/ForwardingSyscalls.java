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
 * (working directory, kernel jail), which override only the calls they change, so a
 * call added to {@link Syscalls} reaches the wrapped layer through every decorator.
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

    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        return delegate().open(path, flags, mode);
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
        return delegate().stat(path);
    }

    @Override
    public FileStat lstat(Path path) throws SyscallException {
        return delegate().lstat(path);
    }

    @Override
    public FileStat fstat(FileHandle file) throws SyscallException {
        return delegate().fstat(file);
    }

    @Override
    public FileStat statx(Path path, int flags, int mask) throws SyscallException {
        return delegate().statx(path, flags, mask);
    }

    @Override
    public FileStat fstatx(FileHandle file, int flags, int mask) throws SyscallException {
        return delegate().fstatx(file, flags, mask);
    }

    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        return delegate().statvfs(path);
    }

    @Override
    public StatVfs fstatvfs(FileHandle file) throws SyscallException {
        return delegate().fstatvfs(file);
    }

    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        return delegate().utime(path, atime, mtime);
    }

    @Override
    public int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException {
        return delegate().futime(file, atime, mtime);
    }

    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        return delegate().chown(path, uid, gid);
    }

    @Override
    public int fchown(FileHandle file, int uid, int gid) throws SyscallException {
        return delegate().fchown(file, uid, gid);
    }

    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        return delegate().chmod(path, mode);
    }

    @Override
    public int fchmod(FileHandle file, int mode) throws SyscallException {
        return delegate().fchmod(file, mode);
    }

    @Override
    public int truncate(Path path, long length) throws SyscallException {
        return delegate().truncate(path, length);
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
        return delegate().unlink(path);
    }

    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        return delegate().mknod(path, mode, dev);
    }

    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        return delegate().link(existing, newPath);
    }

    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        return delegate().symlink(target, linkPath);
    }

    @Override
    public Path readlink(Path path) throws SyscallException {
        return delegate().readlink(path);
    }

    @Override
    public Path realpath(Path path) throws SyscallException {
        return delegate().realpath(path);
    }

    @Override
    public int rename(Path from, Path to) throws SyscallException {
        return delegate().rename(from, to);
    }

    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        return delegate().rename2(from, to, flags);
    }

    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        return delegate().mkdir(path, mode);
    }

    @Override
    public int rmdir(Path path) throws SyscallException {
        return delegate().rmdir(path);
    }

    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        return delegate().readdir(dir);
    }

    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        return delegate().readdirDents(dir);
    }

    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        return delegate().openDir(path, follow);
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
}
