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

package org.ioaio;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@link AioOperations} that forward every request to another: the base of a decorator (the Spring
 * starter's {@code AioTemplate} is one), written once. The future forms are the interface's, so they
 * go through this class's callback forms; {@link #withPriority}, {@link #withDeadline} and {@link
 * #in} are left to the subclass, which decides what view of itself they return.
 */
public abstract class ForwardingAioOperations implements AioOperations {

    /** For subclasses. */
    protected ForwardingAioOperations() {}

    /**
     * Where every request goes.
     *
     * @return the operations forwarded to
     */
    protected abstract AioOperations delegate();

    /**
     * The callback handed to {@link #delegate()} for {@code callback}, on the submitting thread:
     * the one place a decorator wraps every request's completion (to restore a context, time it,
     * count it). By default {@code callback} itself.
     *
     * @param callback the caller's callback (may be {@code null} for a group without one)
     * @param <T> the value type
     * @return what the delegate gets
     */
    protected <T> AioCallback<T> wrap(AioCallback<T> callback) {
        return callback;
    }

    @Override
    public AioRequest nop(AioCallback<Void> callback) {
        return delegate().nop(wrap(callback));
    }

    @Override
    public AioRequest busy(double seconds, AioCallback<Void> callback) {
        return delegate().busy(seconds, wrap(callback));
    }

    @Override
    public <T> AioRequest custom(Callable<T> task, AioCallback<T> callback) {
        return delegate().custom(task, wrap(callback));
    }

    @Override
    public AioGroup group(AioCallback<Object> callback) {
        return delegate().group(wrap(callback));
    }

    @Override
    public AioGroup group(Consumer<AioGroup> init, AioCallback<Object> callback) {
        return delegate().group(init, wrap(callback));
    }

    @Override
    public AioGroup group() {
        return delegate().group();
    }

    @Override
    public AioRequest open(Path path, int flags, int mode, AioCallback<AioFile> callback) {
        return delegate().open(path, flags, mode, wrap(callback));
    }

    @Override
    public AioRequest open(String path, int flags, int mode, AioCallback<AioFile> callback) {
        return delegate().open(path, flags, mode, wrap(callback));
    }

    @Override
    public AioRequest close(AioFile file, AioCallback<Void> callback) {
        return delegate().close(file, wrap(callback));
    }

    @Override
    public AioRequest seek(AioFile file, long offset, int whence, AioCallback<Long> callback) {
        return delegate().seek(file, offset, whence, wrap(callback));
    }

    @Override
    public AioRequest read(AioFile file, Long offset, ByteBuffer dst, AioCallback<Integer> callback) {
        return delegate().read(file, offset, dst, wrap(callback));
    }

    @Override
    public AioRequest read(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback) {
        return delegate().read(file, offset, length, data, dataOffset, wrap(callback));
    }

    @Override
    public AioRequest write(AioFile file, Long offset, ByteBuffer src, AioCallback<Integer> callback) {
        return delegate().write(file, offset, src, wrap(callback));
    }

    @Override
    public AioRequest write(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback) {
        return delegate().write(file, offset, length, data, dataOffset, wrap(callback));
    }

    @Override
    public AioRequest sendfile(AioFile out, AioFile in, long inOffset, long length, AioCallback<Long> callback) {
        return delegate().sendfile(out, in, inOffset, length, wrap(callback));
    }

    @Override
    public AioRequest readahead(AioFile file, long offset, long length, AioCallback<Void> callback) {
        return delegate().readahead(file, offset, length, wrap(callback));
    }

    @Override
    public AioRequest fadvise(AioFile file, long offset, long length, int advice, AioCallback<Void> callback) {
        return delegate().fadvise(file, offset, length, advice, wrap(callback));
    }

    @Override
    public AioRequest slurp(Path path, long offset, long length, AioCallback<ByteBuffer> callback) {
        return delegate().slurp(path, offset, length, wrap(callback));
    }

    @Override
    public AioRequest slurp(String path, long offset, long length, AioCallback<ByteBuffer> callback) {
        return delegate().slurp(path, offset, length, wrap(callback));
    }

    @Override
    public AioRequest load(Path path, AioCallback<byte[]> callback) {
        return delegate().load(path, wrap(callback));
    }

    @Override
    public AioRequest load(String path, AioCallback<byte[]> callback) {
        return delegate().load(path, wrap(callback));
    }

    @Override
    public AioRequest stat(Path path, AioCallback<FileStat> callback) {
        return delegate().stat(path, wrap(callback));
    }

    @Override
    public AioRequest stat(String path, AioCallback<FileStat> callback) {
        return delegate().stat(path, wrap(callback));
    }

    @Override
    public AioRequest stat(AioFile file, AioCallback<FileStat> callback) {
        return delegate().stat(file, wrap(callback));
    }

    @Override
    public AioRequest lstat(Path path, AioCallback<FileStat> callback) {
        return delegate().lstat(path, wrap(callback));
    }

    @Override
    public AioRequest lstat(String path, AioCallback<FileStat> callback) {
        return delegate().lstat(path, wrap(callback));
    }

    @Override
    public AioRequest statx(Path path, int flags, int mask, AioCallback<FileStat> callback) {
        return delegate().statx(path, flags, mask, wrap(callback));
    }

    @Override
    public AioRequest statx(String path, int flags, int mask, AioCallback<FileStat> callback) {
        return delegate().statx(path, flags, mask, wrap(callback));
    }

    @Override
    public AioRequest statx(AioFile file, int flags, int mask, AioCallback<FileStat> callback) {
        return delegate().statx(file, flags, mask, wrap(callback));
    }

    @Override
    public AioRequest statvfs(Path path, AioCallback<StatVfs> callback) {
        return delegate().statvfs(path, wrap(callback));
    }

    @Override
    public AioRequest statvfs(String path, AioCallback<StatVfs> callback) {
        return delegate().statvfs(path, wrap(callback));
    }

    @Override
    public AioRequest statvfs(AioFile file, AioCallback<StatVfs> callback) {
        return delegate().statvfs(file, wrap(callback));
    }

    @Override
    public AioRequest utime(Path path, Double atime, Double mtime, AioCallback<Void> callback) {
        return delegate().utime(path, atime, mtime, wrap(callback));
    }

    @Override
    public AioRequest utime(String path, Double atime, Double mtime, AioCallback<Void> callback) {
        return delegate().utime(path, atime, mtime, wrap(callback));
    }

    @Override
    public AioRequest utime(AioFile file, Double atime, Double mtime, AioCallback<Void> callback) {
        return delegate().utime(file, atime, mtime, wrap(callback));
    }

    @Override
    public AioRequest chown(Path path, Integer uid, Integer gid, AioCallback<Void> callback) {
        return delegate().chown(path, uid, gid, wrap(callback));
    }

    @Override
    public AioRequest chown(String path, Integer uid, Integer gid, AioCallback<Void> callback) {
        return delegate().chown(path, uid, gid, wrap(callback));
    }

    @Override
    public AioRequest chown(AioFile file, Integer uid, Integer gid, AioCallback<Void> callback) {
        return delegate().chown(file, uid, gid, wrap(callback));
    }

    @Override
    public AioRequest chmod(Path path, int mode, AioCallback<Void> callback) {
        return delegate().chmod(path, mode, wrap(callback));
    }

    @Override
    public AioRequest chmod(String path, int mode, AioCallback<Void> callback) {
        return delegate().chmod(path, mode, wrap(callback));
    }

    @Override
    public AioRequest chmod(AioFile file, int mode, AioCallback<Void> callback) {
        return delegate().chmod(file, mode, wrap(callback));
    }

    @Override
    public AioRequest truncate(Path path, long length, AioCallback<Void> callback) {
        return delegate().truncate(path, length, wrap(callback));
    }

    @Override
    public AioRequest truncate(String path, long length, AioCallback<Void> callback) {
        return delegate().truncate(path, length, wrap(callback));
    }

    @Override
    public AioRequest truncate(AioFile file, long length, AioCallback<Void> callback) {
        return delegate().truncate(file, length, wrap(callback));
    }

    @Override
    public AioRequest allocate(AioFile file, int mode, long offset, long length, AioCallback<Void> callback) {
        return delegate().allocate(file, mode, offset, length, wrap(callback));
    }

    @Override
    public AioRequest unlink(Path path, AioCallback<Void> callback) {
        return delegate().unlink(path, wrap(callback));
    }

    @Override
    public AioRequest unlink(String path, AioCallback<Void> callback) {
        return delegate().unlink(path, wrap(callback));
    }

    @Override
    public AioRequest mknod(Path path, int mode, long dev, AioCallback<Void> callback) {
        return delegate().mknod(path, mode, dev, wrap(callback));
    }

    @Override
    public AioRequest mknod(String path, int mode, long dev, AioCallback<Void> callback) {
        return delegate().mknod(path, mode, dev, wrap(callback));
    }

    @Override
    public AioRequest link(Path src, Path dst, AioCallback<Void> callback) {
        return delegate().link(src, dst, wrap(callback));
    }

    @Override
    public AioRequest link(String src, String dst, AioCallback<Void> callback) {
        return delegate().link(src, dst, wrap(callback));
    }

    @Override
    public AioRequest symlink(Path src, Path dst, AioCallback<Void> callback) {
        return delegate().symlink(src, dst, wrap(callback));
    }

    @Override
    public AioRequest symlink(String src, String dst, AioCallback<Void> callback) {
        return delegate().symlink(src, dst, wrap(callback));
    }

    @Override
    public AioRequest readlink(Path path, AioCallback<Path> callback) {
        return delegate().readlink(path, wrap(callback));
    }

    @Override
    public AioRequest readlink(String path, AioCallback<String> callback) {
        return delegate().readlink(path, wrap(callback));
    }

    @Override
    public AioRequest realpath(Path path, AioCallback<Path> callback) {
        return delegate().realpath(path, wrap(callback));
    }

    @Override
    public AioRequest realpath(String path, AioCallback<Path> callback) {
        return delegate().realpath(path, wrap(callback));
    }

    @Override
    public AioRequest rename(Path src, Path dst, AioCallback<Void> callback) {
        return delegate().rename(src, dst, wrap(callback));
    }

    @Override
    public AioRequest rename(String src, String dst, AioCallback<Void> callback) {
        return delegate().rename(src, dst, wrap(callback));
    }

    @Override
    public AioRequest rename2(Path src, Path dst, int flags, AioCallback<Void> callback) {
        return delegate().rename2(src, dst, flags, wrap(callback));
    }

    @Override
    public AioRequest rename2(String src, String dst, int flags, AioCallback<Void> callback) {
        return delegate().rename2(src, dst, flags, wrap(callback));
    }

    @Override
    public AioRequest mkdir(Path path, int mode, AioCallback<Void> callback) {
        return delegate().mkdir(path, mode, wrap(callback));
    }

    @Override
    public AioRequest mkdir(String path, int mode, AioCallback<Void> callback) {
        return delegate().mkdir(path, mode, wrap(callback));
    }

    @Override
    public AioRequest rmdir(Path path, AioCallback<Void> callback) {
        return delegate().rmdir(path, wrap(callback));
    }

    @Override
    public AioRequest rmdir(String path, AioCallback<Void> callback) {
        return delegate().rmdir(path, wrap(callback));
    }

    @Override
    public AioRequest wd(Path dir, AioCallback<AioWorkingDirectory> callback) {
        return delegate().wd(dir, wrap(callback));
    }

    @Override
    public AioRequest wd(String dir, AioCallback<AioWorkingDirectory> callback) {
        return delegate().wd(dir, wrap(callback));
    }

    @Override
    public AioRequest jail(Path dir, AioCallback<AioWorkingDirectory> callback) {
        return delegate().jail(dir, wrap(callback));
    }

    @Override
    public AioRequest jail(String dir, AioCallback<AioWorkingDirectory> callback) {
        return delegate().jail(dir, wrap(callback));
    }

    @Override
    public AioRequest fsync(AioFile file, AioCallback<Void> callback) {
        return delegate().fsync(file, wrap(callback));
    }

    @Override
    public AioRequest fdatasync(AioFile file, AioCallback<Void> callback) {
        return delegate().fdatasync(file, wrap(callback));
    }

    @Override
    public AioRequest syncfs(AioFile file, AioCallback<Void> callback) {
        return delegate().syncfs(file, wrap(callback));
    }

    @Override
    public AioRequest syncFileRange(AioFile file, long offset, long nbytes, int flags, AioCallback<Void> callback) {
        return delegate().syncFileRange(file, offset, nbytes, flags, wrap(callback));
    }

    @Override
    public AioRequest pathsync(Path path, AioCallback<Void> callback) {
        return delegate().pathsync(path, wrap(callback));
    }

    @Override
    public AioRequest pathsync(String path, AioCallback<Void> callback) {
        return delegate().pathsync(path, wrap(callback));
    }

    @Override
    public AioRequest sync(AioCallback<Void> callback) {
        return delegate().sync(wrap(callback));
    }

    @Override
    public AioRequest msync(MappedByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback) {
        return delegate().msync(buffer, offset, length, flags, wrap(callback));
    }

    @Override
    public AioRequest mtouch(ByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback) {
        return delegate().mtouch(buffer, offset, length, flags, wrap(callback));
    }

    @Override
    public AioRequest readdir(Path path, AioCallback<List<Path>> callback) {
        return delegate().readdir(path, wrap(callback));
    }

    @Override
    public AioRequest readdir(String path, AioCallback<List<Path>> callback) {
        return delegate().readdir(path, wrap(callback));
    }

    @Override
    public AioRequest readdirx(Path path, int flags, AioCallback<DirListing> callback) {
        return delegate().readdirx(path, flags, wrap(callback));
    }

    @Override
    public AioRequest readdirx(String path, int flags, AioCallback<DirListing> callback) {
        return delegate().readdirx(path, flags, wrap(callback));
    }

    @Override
    public AioRequest scandir(Path path, int maxreq, AioCallback<DirScan> callback) {
        return delegate().scandir(path, maxreq, wrap(callback));
    }

    @Override
    public AioRequest scandir(String path, int maxreq, AioCallback<DirScan> callback) {
        return delegate().scandir(path, maxreq, wrap(callback));
    }

    @Override
    public AioRequest rmtree(Path path, AioCallback<Void> callback) {
        return delegate().rmtree(path, wrap(callback));
    }

    @Override
    public AioRequest rmtree(String path, AioCallback<Void> callback) {
        return delegate().rmtree(path, wrap(callback));
    }

    @Override
    public AioRequest copy(Path src, Path dst, AioCallback<Void> callback) {
        return delegate().copy(src, dst, wrap(callback));
    }

    @Override
    public AioRequest copy(String src, String dst, AioCallback<Void> callback) {
        return delegate().copy(src, dst, wrap(callback));
    }

    @Override
    public AioRequest move(Path src, Path dst, AioCallback<Void> callback) {
        return delegate().move(src, dst, wrap(callback));
    }

    @Override
    public AioRequest move(String src, String dst, AioCallback<Void> callback) {
        return delegate().move(src, dst, wrap(callback));
    }

    @Override
    public AioRequest copyTree(Path src, Path dst, AioCallback<Void> callback) {
        return delegate().copyTree(src, dst, wrap(callback));
    }

    @Override
    public AioRequest copyTree(String src, String dst, AioCallback<Void> callback) {
        return delegate().copyTree(src, dst, wrap(callback));
    }

    @Override
    public AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, AioCallback<Void> callback) {
        return delegate().lock(file, start, length, exclusive, wait, wrap(callback));
    }

    @Override
    public AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, boolean process, AioCallback<Void> callback) {
        return delegate().lock(file, start, length, exclusive, wait, process, wrap(callback));
    }

    @Override
    public AioRequest unlock(AioFile file, long start, long length, boolean process, AioCallback<Void> callback) {
        return delegate().unlock(file, start, length, process, wrap(callback));
    }

    @Override
    public AioRequest getlk(AioFile file, long start, long length, boolean exclusive, boolean process, AioCallback<RecordLock> callback) {
        return delegate().getlk(file, start, length, exclusive, process, wrap(callback));
    }

    @Override
    public AioRequest fcntl(AioFile file, int cmd, long arg, AioCallback<Long> callback) {
        return delegate().fcntl(file, cmd, arg, wrap(callback));
    }

    @Override
    public AioRequest ioctl(AioFile file, long request, ByteBuffer arg, AioCallback<Long> callback) {
        return delegate().ioctl(file, request, arg, wrap(callback));
    }

    @Override
    public AioRequest ficlone(AioFile dst, AioFile src, AioCallback<Void> callback) {
        return delegate().ficlone(dst, src, wrap(callback));
    }

    @Override
    public AioRequest ficloneRange(AioFile dst, AioFile src, long srcOffset, long length, long dstOffset, AioCallback<Void> callback) {
        return delegate().ficloneRange(dst, src, srcOffset, length, dstOffset, wrap(callback));
    }

    @Override
    public AioRequest getFlags(AioFile file, AioCallback<Integer> callback) {
        return delegate().getFlags(file, wrap(callback));
    }

    @Override
    public AioRequest setFlags(AioFile file, int flags, AioCallback<Void> callback) {
        return delegate().setFlags(file, flags, wrap(callback));
    }

    @Override
    public AioRequest fionread(AioFile file, AioCallback<Integer> callback) {
        return delegate().fionread(file, wrap(callback));
    }

    @Override
    public AioRequest fiemap(AioFile file, long start, Long length, int flags, Integer count, AioCallback<List<FiemapExtent>> callback) {
        return delegate().fiemap(file, start, length, flags, count, wrap(callback));
    }

    @Override
    public AioRequest fiemapCount(AioFile file, long start, Long length, int flags, AioCallback<Long> callback) {
        return delegate().fiemapCount(file, start, length, flags, wrap(callback));
    }

    @Override
    public AioRequest mlock(ByteBuffer buffer, long offset, Long length, AioCallback<Void> callback) {
        return delegate().mlock(buffer, offset, length, wrap(callback));
    }

    @Override
    public AioRequest mlockall(int flags, AioCallback<Void> callback) {
        return delegate().mlockall(flags, wrap(callback));
    }

    @Override
    public AioRequest splice(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags, AioCallback<Long> callback) {
        return delegate().splice(in, inOffset, out, outOffset, length, flags, wrap(callback));
    }

    @Override
    public AioRequest tee(AioFile in, AioFile out, long length, int flags, AioCallback<Long> callback) {
        return delegate().tee(in, out, length, flags, wrap(callback));
    }
}
