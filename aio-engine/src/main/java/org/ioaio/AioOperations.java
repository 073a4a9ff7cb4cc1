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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The IO::AIO requests, each defined once: its callback form here, with its Javadoc, implemented by
 * the engine and its views; its future form a default method derived from the callback form in one
 * place ({@link AioFuture}), so a request is validated once and documented once.
 *
 * <p>A callback form submits the request and returns it; the callback runs inside {@link
 * AioEngine#pollCb()} on the polling thread. A future form returns an {@link AioFuture} completed
 * there. Bad arguments fail at the call with {@link IllegalArgumentException} and queue nothing.
 *
 * <p><b>Paths.</b> Every request on a path takes a {@code String} or a {@link Path}. A {@code
 * String} reaches the syscall exactly as given: a trailing slash, {@code //} and {@code .} are kept,
 * so {@code unlink("file/")} is ENOTDIR and {@code open("new/", O_CREAT)} EISDIR, as in C and
 * IO::AIO. A {@code Path} is the JDK's normalised form (no trailing slash). The composite requests
 * ({@code scandir}, {@code rmtree}, {@code copy}, {@code move}, {@code copyTree}) and {@code
 * wd}/{@code jail} take {@code Path}s.
 *
 * <p><b>Views.</b> {@link #withPriority(int)}, {@link #withDeadline(Duration)} and {@link
 * #in(AioWorkingDirectory)} give the same operations with a priority, a deadline or a working
 * directory (or jail) bound to them, sharing the engine's queues, threads and poll.
 */
public interface AioOperations {

    /**
     * A view whose every request has priority {@code pri} (IO::AIO's {@code aioreq_pri}, bound
     * instead of set for the next request).
     *
     * @param pri -4 (lowest) to 4 (highest); out-of-range values are clamped
     * @return the view
     */
    AioOperations withPriority(int pri);

    /**
     * A view whose every request has a deadline: if one is still queued when {@code timeout} has
     * passed, it ends as timed out (ETIMEDOUT; the future fails with a {@link
     * java.util.concurrent.TimeoutException}), distinct from a cancel. Groups ignore it.
     *
     * @param timeout a positive duration, or {@code null} / zero for none
     * @return the view
     */
    AioOperations withDeadline(Duration timeout);

    /**
     * A view whose relative paths resolve against {@code wd} (IO::AIO's {@code [$wd, $path]}); for
     * a jail, no path may leave it.
     *
     * @param wd an open working directory or jail (the caller keeps it open while the view is used)
     * @return the view
     */
    AioOperations in(AioWorkingDirectory wd);

    /**
     * {@code aio_nop}: does nothing, but goes through a worker thread like any request.
     *
     * @param callback called inside pollCb
     * @return the request
     */
    AioRequest nop(AioCallback<Void> callback);

    /** {@code aio_nop}, future form: completes with {@code null}. */
    default AioFuture<Void> nop() {
        return AioFuture.of(callback -> nop(callback));
    }

    /**
     * {@code aio_busy}: occupies a worker thread for {@code seconds} (for tests and benchmarks).
     *
     * @param seconds fractional seconds, 0 or more
     * @param callback called inside pollCb
     * @return the request
     */
    AioRequest busy(double seconds, AioCallback<Void> callback);

    /** {@code aio_busy}, future form. */
    default AioFuture<Void> busy(double seconds) {
        return AioFuture.of(callback -> busy(seconds, callback));
    }

    /**
     * libeio's {@code eio_custom}: runs {@code task} on a worker thread. Its value is the
     * request's value; an {@link AioException} it throws keeps its errno, an {@link
     * InterruptedException} reports EINTR, any other exception EIO ({@link AioResult#failure()}
     * gives it). A task that waits for another request of this engine ({@code join} or {@code get}
     * of its {@link AioFuture} or a stage of one) lends its worker out meanwhile: one more thread
     * may run (unless maxParallel is 0), so the request it waits for is never left queued because
     * every worker waits; the result still comes through the polling thread, which must be polling.
     *
     * @param task the task
     * @param callback called inside pollCb
     * @param <T> the value type
     * @return the request
     */
    <T> AioRequest custom(Callable<T> task, AioCallback<T> callback);

    /**
     * {@code eio_custom}, future form: completes with the task's value or fails with what it threw.
     *
     * @param task the task
     * @param <T> the value type
     * @return the future
     */
    default <T> AioFuture<T> custom(Callable<T> task) {
        return AioFuture.of(callback -> custom(task, callback));
    }

    /**
     * {@code aio_group}: a group whose callback runs when every member is done. As in IO::AIO, an
     * empty group finishes at the next {@code pollCb}, so add members before that: from the polling
     * thread, inside a callback or feeder, or use {@link #group(Consumer, AioCallback)}.
     *
     * @param callback called inside pollCb when the group finishes; its value is what {@link
     *     AioGroup#result(Object)} set
     * @return the group
     */
    AioGroup group(AioCallback<Object> callback);

    /**
     * A group whose members are added by {@code init} before the group can be seen by the poller:
     * safe however many threads poll.
     *
     * @param init adds the first members (and may set a limit and feeder); may be {@code null}. If
     *     it throws, the group and what it added are cancelled and the exception propagates
     * @param callback called when the group finishes, or {@code null} for none
     * @return the group
     */
    AioGroup group(Consumer<AioGroup> init, AioCallback<Object> callback);

    /**
     * The future form of {@link #group(Consumer, AioCallback)} (named apart from {@link
     * #group(AioCallback)}, which a lambda could not tell from it): completes with what {@link
     * AioGroup#result(Object)} set, or fails with the errno {@link AioGroup#errno(int)} set;
     * cancelling it cancels the group and its members.
     *
     * @param init adds the first members (and may set a limit and feeder); may be {@code null}
     * @return the future of the group's result
     */
    default AioFuture<Object> groupFuture(Consumer<AioGroup> init) {
        return AioFuture.of(callback -> group(init, callback));
    }

    /** A group without a callback (IO::AIO's {@code aio_group} in void context). */
    AioGroup group();

    /**
     * {@code aio_open}: opens or creates a file, as {@code sysopen}/{@code open(2)}.
     *
     * @param path the file
     * @param flags {@link AioConstants} {@code O_*} flags
     * @param mode permission bits for a file {@code O_CREAT} creates (the umask applies); 0 otherwise
     * @param callback receives the open {@link AioFile} (the caller's to close), or the errno
     * @return the request
     */
    AioRequest open(Path path, int flags, int mode, AioCallback<AioFile> callback);

    /** {@code aio_open} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #open(Path, int, int, AioCallback)}. */
    AioRequest open(String path, int flags, int mode, AioCallback<AioFile> callback);

    /** {@code aio_open}, future form: see {@link #open(Path, int, int, AioCallback)}. */
    default AioFuture<AioFile> open(Path path, int flags, int mode) {
        return AioFuture.of(callback -> open(path, flags, mode, callback));
    }

    /** {@code aio_open} of a pathname as given, future form. */
    default AioFuture<AioFile> open(String path, int flags, int mode) {
        return AioFuture.of(callback -> open(path, flags, mode, callback));
    }

    /**
     * {@code aio_close}: closes a file (EBADF if it already was).
     *
     * @param file the file
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest close(AioFile file, AioCallback<Void> callback);

    /** {@code aio_close}, future form. */
    default AioFuture<Void> close(AioFile file) {
        return AioFuture.of(callback -> close(file, callback));
    }

    /**
     * {@code aio_seek}: moves the file's position ({@code SEEK_SET}, {@code SEEK_CUR}, {@code SEEK_END},
     * {@code SEEK_DATA}, {@code SEEK_HOLE}).
     *
     * @param file the file
     * @param offset the offset
     * @param whence one of the {@code SEEK_*} constants
     * @param callback receives the new absolute offset (also the status)
     * @return the request
     */
    AioRequest seek(AioFile file, long offset, int whence, AioCallback<Long> callback);

    /** {@code aio_seek}, future form. */
    default AioFuture<Long> seek(AioFile file, long offset, int whence) {
        return AioFuture.of(callback -> seek(file, offset, whence, callback));
    }

    /**
     * {@code aio_read} into a buffer: reads up to {@code dst.remaining()} bytes at {@code offset},
     * or at the file's position when {@code offset} is {@code null} (the position then moves);
     * the buffer's position advances. Do not touch the buffer until the request is done.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the current position
     * @param dst where the bytes go
     * @param callback receives the number of bytes read (0 at end of file), also the status
     * @return the request
     */
    AioRequest read(AioFile file, Long offset, ByteBuffer dst, AioCallback<Integer> callback);

    /** {@code aio_read} into a buffer, future form. */
    default AioFuture<Integer> read(AioFile file, Long offset, ByteBuffer dst) {
        return AioFuture.of(callback -> read(file, offset, dst, callback));
    }

    /**
     * {@code aio_read} as IO::AIO spells it: {@code length} bytes at {@code offset} into {@code data}
     * at {@code dataOffset} (negative: counted from the end of {@code data}).
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the current position
     * @param length how many bytes at most, 0 or more
     * @param data the array, which must hold {@code length} bytes from {@code dataOffset}
     * @param dataOffset where in {@code data}; negative counts from its end
     * @param callback receives the number of bytes read, also the status
     * @return the request
     */
    AioRequest read(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback);

    /** {@code aio_read} into an array, future form. */
    default AioFuture<Integer> read(AioFile file, Long offset, int length, byte[] data, int dataOffset) {
        return AioFuture.of(callback -> read(file, offset, length, data, dataOffset, callback));
    }

    /**
     * {@code aio_write} from a buffer: writes {@code src.remaining()} bytes at {@code offset}, or at
     * the file's position when {@code offset} is {@code null}; the buffer's position advances.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the current position
     * @param src the bytes
     * @param callback receives the number of bytes written, also the status
     * @return the request
     */
    AioRequest write(AioFile file, Long offset, ByteBuffer src, AioCallback<Integer> callback);

    /** {@code aio_write} from a buffer, future form. */
    default AioFuture<Integer> write(AioFile file, Long offset, ByteBuffer src) {
        return AioFuture.of(callback -> write(file, offset, src, callback));
    }

    /**
     * {@code aio_write} as IO::AIO spells it: {@code length} bytes of {@code data} from {@code dataOffset}.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the current position
     * @param length how many bytes, 0 or more
     * @param data the array, which must hold {@code length} bytes from {@code dataOffset}
     * @param dataOffset where in {@code data}; negative counts from its end
     * @param callback receives the number of bytes written, also the status
     * @return the request
     */
    AioRequest write(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback);

    /** {@code aio_write} from an array, future form. */
    default AioFuture<Integer> write(AioFile file, Long offset, int length, byte[] data, int dataOffset) {
        return AioFuture.of(callback -> write(file, offset, length, data, dataOffset, callback));
    }

    /**
     * {@code aio_sendfile}: copies {@code length} bytes of {@code in} from {@code inOffset} to {@code
     * out} at its position, zero-copy where the platform can; {@code in}'s position does not move.
     *
     * @param out the destination
     * @param in the source
     * @param inOffset where to read in {@code in}, 0 or more
     * @param length how many bytes, 0 or more
     * @param callback receives the number of bytes written (check it: it may be fewer)
     * @return the request
     */
    AioRequest sendfile(AioFile out, AioFile in, long inOffset, long length, AioCallback<Long> callback);

    /** {@code aio_sendfile}, future form. */
    default AioFuture<Long> sendfile(AioFile out, AioFile in, long inOffset, long length) {
        return AioFuture.of(callback -> sendfile(out, in, inOffset, length, callback));
    }

    /**
     * {@code aio_readahead}: populates the page cache with a range of the file (emulated by reading
     * where there is no native call, as the manual allows).
     *
     * @param file the file
     * @param offset start, 0 or more
     * @param length bytes, 0 or more
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest readahead(AioFile file, long offset, long length, AioCallback<Void> callback);

    /** {@code aio_readahead}, future form. */
    default AioFuture<Void> readahead(AioFile file, long offset, long length) {
        return AioFuture.of(callback -> readahead(file, offset, length, callback));
    }

    /**
     * {@code posix_fadvise(2)} as a request (IO::AIO 4.8 has it as the synchronous {@code
     * IO::AIO::fadvise}): tells the kernel how a range of the file will be accessed. The native
     * layer calls it; the portable layer cannot and fails with ENOSYS (never a silent no-op), as
     * IO::AIO does "on systems that do not implement posix_fadvise".
     *
     * @param file the file (any access mode)
     * @param offset start, 0 or more
     * @param length bytes, 0 or more; 0 = to the end of the file
     * @param advice {@link AioConstants#POSIX_FADV_NORMAL}, {@code _SEQUENTIAL}, {@code _RANDOM},
     *     {@code _NOREUSE}, {@code _WILLNEED} or {@code _DONTNEED}
     * @param callback receives status 0 or the errno: EBADF (closed, or opened {@code O_PATH}),
     *     ESPIPE (a FIFO), ENOSYS (portable layer)
     * @return the request
     * @throws IllegalArgumentException for a negative offset or length or an unknown advice (nothing is queued)
     */
    AioRequest fadvise(AioFile file, long offset, long length, int advice, AioCallback<Void> callback);

    /** {@code posix_fadvise(2)}, future form: see {@link #fadvise(AioFile, long, long, int, AioCallback)}. */
    default AioFuture<Void> fadvise(AioFile file, long offset, long length, int advice) {
        return AioFuture.of(callback -> fadvise(file, offset, length, advice, callback));
    }

    /**
     * {@code aio_slurp}: opens, reads and closes a file in one request.
     *
     * @param path the file
     * @param offset where to start; negative counts from the end of the file
     * @param length how many bytes; 0 = the rest of the file
     * @param callback receives the bytes as a buffer ready to read (status: their count)
     * @return the request
     */
    AioRequest slurp(Path path, long offset, long length, AioCallback<ByteBuffer> callback);

    /** {@code aio_slurp} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #slurp(Path, long, long, AioCallback)}. */
    AioRequest slurp(String path, long offset, long length, AioCallback<ByteBuffer> callback);

    /** {@code aio_slurp}, future form: see {@link #slurp(Path, long, long, AioCallback)}. */
    default AioFuture<ByteBuffer> slurp(Path path, long offset, long length) {
        return AioFuture.of(callback -> slurp(path, offset, length, callback));
    }

    /** {@code aio_slurp} of a pathname as given, future form. */
    default AioFuture<ByteBuffer> slurp(String path, long offset, long length) {
        return AioFuture.of(callback -> slurp(path, offset, length, callback));
    }

    /**
     * {@code aio_load}: the whole file's contents.
     *
     * @param path the file
     * @param callback receives the bytes (status: their count)
     * @return the request
     */
    AioRequest load(Path path, AioCallback<byte[]> callback);

    /** {@code aio_load} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #load(Path, AioCallback)}. */
    AioRequest load(String path, AioCallback<byte[]> callback);

    /** {@code aio_load}, future form: see {@link #load(Path, AioCallback)}. */
    default AioFuture<byte[]> load(Path path) {
        return AioFuture.of(callback -> load(path, callback));
    }

    /** {@code aio_load} of a pathname as given, future form. */
    default AioFuture<byte[]> load(String path) {
        return AioFuture.of(callback -> load(path, callback));
    }

    /**
     * {@code aio_stat} of a path (following symlinks).
     *
     * @param path the path
     * @param callback receives the {@link FileStat}
     * @return the request
     */
    AioRequest stat(Path path, AioCallback<FileStat> callback);

    /** {@code aio_stat} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #stat(Path, AioCallback)}. */
    AioRequest stat(String path, AioCallback<FileStat> callback);

    /** {@code aio_stat}, future form: see {@link #stat(Path, AioCallback)}. */
    default AioFuture<FileStat> stat(Path path) {
        return AioFuture.of(callback -> stat(path, callback));
    }

    /** {@code aio_stat} of a pathname as given, future form. */
    default AioFuture<FileStat> stat(String path) {
        return AioFuture.of(callback -> stat(path, callback));
    }

    /**
     * {@code aio_stat} of an open file ({@code fstat}).
     *
     * @param file the file
     * @param callback receives the {@link FileStat}
     * @return the request
     */
    AioRequest stat(AioFile file, AioCallback<FileStat> callback);

    /** {@code aio_stat} of an open file, future form. */
    default AioFuture<FileStat> stat(AioFile file) {
        return AioFuture.of(callback -> stat(file, callback));
    }

    /**
     * {@code aio_lstat}: like {@link #stat(Path, AioCallback)} but a symlink is reported itself.
     *
     * @param path the path
     * @param callback receives the {@link FileStat}
     * @return the request
     */
    AioRequest lstat(Path path, AioCallback<FileStat> callback);

    /** {@code aio_lstat} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #lstat(Path, AioCallback)}. */
    AioRequest lstat(String path, AioCallback<FileStat> callback);

    /** {@code aio_lstat}, future form: see {@link #lstat(Path, AioCallback)}. */
    default AioFuture<FileStat> lstat(Path path) {
        return AioFuture.of(callback -> lstat(path, callback));
    }

    /** {@code aio_lstat} of a pathname as given, future form. */
    default AioFuture<FileStat> lstat(String path) {
        return AioFuture.of(callback -> lstat(path, callback));
    }

    /**
     * {@code statx(2)}: the status of a path with the fields {@code mask} asks for, the birth time
     * included ({@link AioConstants#STATX_BTIME}, {@link FileStat#birthTime()}); {@link
     * FileStat#mask()} says which fields are valid. The native layer calls {@code statx}; the portable
     * layer reports {@code stat}'s fields without {@code STATX_BLOCKS} and never a birth time (the
     * JDK's creation time is the modification time where Linux does not know better). IO::AIO 4.8 has
     * no {@code aio_statx}; its {@code st_btime} is 0 on Linux.
     *
     * @param path the path
     * @param flags 0, or {@link AioConstants#AT_SYMLINK_NOFOLLOW} (the link itself, as lstat), {@link
     *     AioConstants#AT_NO_AUTOMOUNT}, and one of {@link AioConstants#AT_STATX_FORCE_SYNC} / {@link
     *     AioConstants#AT_STATX_DONT_SYNC}
     * @param mask {@code STATX_*} bits, e.g. {@code STATX_BASIC_STATS | STATX_BTIME}
     * @param callback receives the {@link FileStat}, or the errno stat would give (ENOENT, ENOTDIR, ELOOP, EACCES...)
     * @return the request
     * @throws IllegalArgumentException for unknown or conflicting flags ({@code AT_EMPTY_PATH}: use
     *     {@link #statx(AioFile, int, int, AioCallback)}) or a reserved mask bit (nothing is queued)
     */
    AioRequest statx(Path path, int flags, int mask, AioCallback<FileStat> callback);

    /** {@code aio_statx} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #statx(Path, int, int, AioCallback)}. */
    AioRequest statx(String path, int flags, int mask, AioCallback<FileStat> callback);

    /** {@code aio_statx}, future form: see {@link #statx(Path, int, int, AioCallback)}. */
    default AioFuture<FileStat> statx(Path path, int flags, int mask) {
        return AioFuture.of(callback -> statx(path, flags, mask, callback));
    }

    /** {@code aio_statx} of a pathname as given, future form. */
    default AioFuture<FileStat> statx(String path, int flags, int mask) {
        return AioFuture.of(callback -> statx(path, flags, mask, callback));
    }

    /**
     * {@code statx(fd, "", AT_EMPTY_PATH, mask)}: {@link #statx(Path, int, int, AioCallback)} of an
     * open file (also one whose name is gone).
     *
     * @param file the file
     * @param flags 0 or {@code AT_STATX_*} ({@code AT_EMPTY_PATH} is implied, and accepted)
     * @param mask {@code STATX_*} bits
     * @param callback receives the {@link FileStat}, or EBADF
     * @return the request
     * @throws IllegalArgumentException for unknown or conflicting flags or a reserved mask bit (nothing is queued)
     */
    AioRequest statx(AioFile file, int flags, int mask, AioCallback<FileStat> callback);

    /** {@code statx(2)} of an open file, future form: see {@link #statx(AioFile, int, int, AioCallback)}. */
    default AioFuture<FileStat> statx(AioFile file, int flags, int mask) {
        return AioFuture.of(callback -> statx(file, flags, mask, callback));
    }

    /**
     * {@code aio_statvfs} of a path.
     *
     * @param path any path on the filesystem
     * @param callback receives the {@link StatVfs}
     * @return the request
     */
    AioRequest statvfs(Path path, AioCallback<StatVfs> callback);

    /** {@code aio_statvfs} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #statvfs(Path, AioCallback)}. */
    AioRequest statvfs(String path, AioCallback<StatVfs> callback);

    /** {@code aio_statvfs}, future form: see {@link #statvfs(Path, AioCallback)}. */
    default AioFuture<StatVfs> statvfs(Path path) {
        return AioFuture.of(callback -> statvfs(path, callback));
    }

    /** {@code aio_statvfs} of a pathname as given, future form. */
    default AioFuture<StatVfs> statvfs(String path) {
        return AioFuture.of(callback -> statvfs(path, callback));
    }

    /**
     * {@code aio_statvfs} of an open file ({@code fstatvfs}).
     *
     * @param file the file
     * @param callback receives the {@link StatVfs}
     * @return the request
     */
    AioRequest statvfs(AioFile file, AioCallback<StatVfs> callback);

    /** {@code aio_statvfs} of an open file, future form. */
    default AioFuture<StatVfs> statvfs(AioFile file) {
        return AioFuture.of(callback -> statvfs(file, callback));
    }

    /**
     * {@code aio_utime}: sets access and modification times in fractional seconds since the epoch;
     * both {@code null} = now, as perl's {@code utime} (one {@code null} = 0, the epoch).
     *
     * @param path the path
     * @param atime access time, or {@code null}
     * @param mtime modification time, or {@code null}
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest utime(Path path, Double atime, Double mtime, AioCallback<Void> callback);

    /** {@code aio_utime} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #utime(Path, Double, Double, AioCallback)}. */
    AioRequest utime(String path, Double atime, Double mtime, AioCallback<Void> callback);

    /** {@code aio_utime}, future form: see {@link #utime(Path, Double, Double, AioCallback)}. */
    default AioFuture<Void> utime(Path path, Double atime, Double mtime) {
        return AioFuture.of(callback -> utime(path, atime, mtime, callback));
    }

    /** {@code aio_utime} of a pathname as given, future form. */
    default AioFuture<Void> utime(String path, Double atime, Double mtime) {
        return AioFuture.of(callback -> utime(path, atime, mtime, callback));
    }

    /**
     * {@code aio_utime} of an open file ({@code futimens}).
     *
     * @param file the file
     * @param atime access time in seconds, or {@code null}
     * @param mtime modification time in seconds, or {@code null}
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest utime(AioFile file, Double atime, Double mtime, AioCallback<Void> callback);

    /** {@code aio_utime} of an open file, future form. */
    default AioFuture<Void> utime(AioFile file, Double atime, Double mtime) {
        return AioFuture.of(callback -> utime(file, atime, mtime, callback));
    }

    /**
     * {@code aio_chown}: changes owner and group; {@code null} or -1 leaves one unchanged.
     *
     * @param path the path
     * @param uid the user id, or {@code null} / -1
     * @param gid the group id, or {@code null} / -1
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest chown(Path path, Integer uid, Integer gid, AioCallback<Void> callback);

    /** {@code aio_chown} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #chown(Path, Integer, Integer, AioCallback)}. */
    AioRequest chown(String path, Integer uid, Integer gid, AioCallback<Void> callback);

    /** {@code aio_chown}, future form: see {@link #chown(Path, Integer, Integer, AioCallback)}. */
    default AioFuture<Void> chown(Path path, Integer uid, Integer gid) {
        return AioFuture.of(callback -> chown(path, uid, gid, callback));
    }

    /** {@code aio_chown} of a pathname as given, future form. */
    default AioFuture<Void> chown(String path, Integer uid, Integer gid) {
        return AioFuture.of(callback -> chown(path, uid, gid, callback));
    }

    /**
     * {@code aio_chown} of an open file ({@code fchown}).
     *
     * @param file the file
     * @param uid the user id, or {@code null} / -1
     * @param gid the group id, or {@code null} / -1
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest chown(AioFile file, Integer uid, Integer gid, AioCallback<Void> callback);

    /** {@code aio_chown} of an open file, future form. */
    default AioFuture<Void> chown(AioFile file, Integer uid, Integer gid) {
        return AioFuture.of(callback -> chown(file, uid, gid, callback));
    }

    /**
     * {@code aio_chmod}: changes the permission bits.
     *
     * @param path the path
     * @param mode the mode (e.g. {@code 0644})
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest chmod(Path path, int mode, AioCallback<Void> callback);

    /** {@code aio_chmod} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #chmod(Path, int, AioCallback)}. */
    AioRequest chmod(String path, int mode, AioCallback<Void> callback);

    /** {@code aio_chmod}, future form: see {@link #chmod(Path, int, AioCallback)}. */
    default AioFuture<Void> chmod(Path path, int mode) {
        return AioFuture.of(callback -> chmod(path, mode, callback));
    }

    /** {@code aio_chmod} of a pathname as given, future form. */
    default AioFuture<Void> chmod(String path, int mode) {
        return AioFuture.of(callback -> chmod(path, mode, callback));
    }

    /**
     * {@code aio_chmod} of an open file ({@code fchmod}).
     *
     * @param file the file
     * @param mode the mode
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest chmod(AioFile file, int mode, AioCallback<Void> callback);

    /** {@code aio_chmod} of an open file, future form. */
    default AioFuture<Void> chmod(AioFile file, int mode) {
        return AioFuture.of(callback -> chmod(file, mode, callback));
    }

    /**
     * {@code aio_truncate}: sets the file's length, growing it (with zeros) or shrinking it.
     *
     * @param path the path
     * @param length the new length, 0 or more
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest truncate(Path path, long length, AioCallback<Void> callback);

    /** {@code aio_truncate} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #truncate(Path, long, AioCallback)}. */
    AioRequest truncate(String path, long length, AioCallback<Void> callback);

    /** {@code aio_truncate}, future form: see {@link #truncate(Path, long, AioCallback)}. */
    default AioFuture<Void> truncate(Path path, long length) {
        return AioFuture.of(callback -> truncate(path, length, callback));
    }

    /** {@code aio_truncate} of a pathname as given, future form. */
    default AioFuture<Void> truncate(String path, long length) {
        return AioFuture.of(callback -> truncate(path, length, callback));
    }

    /**
     * {@code aio_truncate} of an open file ({@code ftruncate}).
     *
     * @param file the file
     * @param length the new length, 0 or more
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest truncate(AioFile file, long length, AioCallback<Void> callback);

    /** {@code aio_truncate} of an open file, future form. */
    default AioFuture<Void> truncate(AioFile file, long length) {
        return AioFuture.of(callback -> truncate(file, length, callback));
    }

    /**
     * {@code aio_allocate}: {@code fallocate(2)}; mode 0 allocates (emulated on the portable layer),
     * other {@code FALLOC_FL_*} modes need the native layer (ENOSYS otherwise).
     *
     * @param file the file
     * @param mode 0 or {@code FALLOC_FL_*} flags
     * @param offset start, 0 or more
     * @param length bytes, more than 0
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest allocate(AioFile file, int mode, long offset, long length, AioCallback<Void> callback);

    /** {@code aio_allocate}, future form. */
    default AioFuture<Void> allocate(AioFile file, int mode, long offset, long length) {
        return AioFuture.of(callback -> allocate(file, mode, offset, length, callback));
    }

    /**
     * {@code aio_unlink}: removes a name (not a directory: EISDIR).
     *
     * @param path the path
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest unlink(Path path, AioCallback<Void> callback);

    /** {@code aio_unlink} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #unlink(Path, AioCallback)}. */
    AioRequest unlink(String path, AioCallback<Void> callback);

    /** {@code aio_unlink}, future form: see {@link #unlink(Path, AioCallback)}. */
    default AioFuture<Void> unlink(Path path) {
        return AioFuture.of(callback -> unlink(path, callback));
    }

    /** {@code aio_unlink} of a pathname as given, future form. */
    default AioFuture<Void> unlink(String path) {
        return AioFuture.of(callback -> unlink(path, callback));
    }

    /**
     * {@code aio_mknod}: creates a FIFO ({@code S_IFIFO | mode}) or a device node; the portable layer
     * cannot (ENOSYS).
     *
     * @param path the path
     * @param mode {@code S_IF*} type bits and permission bits
     * @param dev the device number ({@link AioConstants#makedev}), 0 for a FIFO
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest mknod(Path path, int mode, long dev, AioCallback<Void> callback);

    /** {@code aio_mknod} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #mknod(Path, int, long, AioCallback)}. */
    AioRequest mknod(String path, int mode, long dev, AioCallback<Void> callback);

    /** {@code aio_mknod}, future form: see {@link #mknod(Path, int, long, AioCallback)}. */
    default AioFuture<Void> mknod(Path path, int mode, long dev) {
        return AioFuture.of(callback -> mknod(path, mode, dev, callback));
    }

    /** {@code aio_mknod} of a pathname as given, future form. */
    default AioFuture<Void> mknod(String path, int mode, long dev) {
        return AioFuture.of(callback -> mknod(path, mode, dev, callback));
    }

    /**
     * {@code aio_link}: a new hard link {@code dst} to the existing {@code src}.
     *
     * @param src the existing path
     * @param dst the new name
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest link(Path src, Path dst, AioCallback<Void> callback);

    /** {@code aio_link} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #link(Path, Path, AioCallback)}. */
    AioRequest link(String src, String dst, AioCallback<Void> callback);

    /** {@code aio_link}, future form: see {@link #link(Path, Path, AioCallback)}. */
    default AioFuture<Void> link(Path src, Path dst) {
        return AioFuture.of(callback -> link(src, dst, callback));
    }

    /** {@code aio_link} of a pathname as given, future form. */
    default AioFuture<Void> link(String src, String dst) {
        return AioFuture.of(callback -> link(src, dst, callback));
    }

    /**
     * {@code aio_symlink}: a symbolic link {@code dst} whose target is {@code src}, stored verbatim.
     *
     * @param src the link's target (need not exist)
     * @param dst the new link
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest symlink(Path src, Path dst, AioCallback<Void> callback);

    /** {@code aio_symlink} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #symlink(Path, Path, AioCallback)}. */
    AioRequest symlink(String src, String dst, AioCallback<Void> callback);

    /** {@code aio_symlink}, future form: see {@link #symlink(Path, Path, AioCallback)}. */
    default AioFuture<Void> symlink(Path src, Path dst) {
        return AioFuture.of(callback -> symlink(src, dst, callback));
    }

    /** {@code aio_symlink} of a pathname as given, future form. */
    default AioFuture<Void> symlink(String src, String dst) {
        return AioFuture.of(callback -> symlink(src, dst, callback));
    }

    /**
     * {@code aio_readlink}: a symlink's target, as stored.
     *
     * @param path the symlink
     * @param callback receives the target
     * @return the request
     */
    AioRequest readlink(Path path, AioCallback<Path> callback);

    /**
     * {@code aio_readlink} of a pathname as given: the target exactly as stored (a trailing slash and
     * {@code //} kept, where the backend can read them: see the README's backend table).
     *
     * @param path the symlink
     * @param callback receives the target
     * @return the request
     */
    AioRequest readlink(String path, AioCallback<String> callback);

    /** {@code aio_readlink}, future form. */
    default AioFuture<Path> readlink(Path path) {
        return AioFuture.of(callback -> readlink(path, callback));
    }

    /** {@code aio_readlink} of a pathname as given, future form. */
    default AioFuture<String> readlink(String path) {
        return AioFuture.of(callback -> readlink(path, callback));
    }

    /**
     * {@code aio_realpath}: the absolute path with every symlink resolved.
     *
     * @param path the path ({@code "."} gives the working directory)
     * @param callback receives the real path
     * @return the request
     */
    AioRequest realpath(Path path, AioCallback<Path> callback);

    /** {@code aio_realpath} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #realpath(Path, AioCallback)}. */
    AioRequest realpath(String path, AioCallback<Path> callback);

    /** {@code aio_realpath}, future form: see {@link #realpath(Path, AioCallback)}. */
    default AioFuture<Path> realpath(Path path) {
        return AioFuture.of(callback -> realpath(path, callback));
    }

    /** {@code aio_realpath} of a pathname as given, future form. */
    default AioFuture<Path> realpath(String path) {
        return AioFuture.of(callback -> realpath(path, callback));
    }

    /**
     * {@code aio_rename}: renames {@code src} to {@code dst}, replacing it, as {@code rename(2)}. In a
     * view {@link #in(AioWorkingDirectory) in(wd)}, a {@code src} of {@code "."} renames the working
     * directory itself, by its path, as IO::AIO special-cases {@code [$wd, "."]} (also for {@link
     * #rename2}; not in a jail: EBUSY there, as the kernel says).
     *
     * @param src the existing path
     * @param dst the new path
     * @param callback receives status 0 or the errno (EXDEV across filesystems)
     * @return the request
     */
    AioRequest rename(Path src, Path dst, AioCallback<Void> callback);

    /** {@code aio_rename} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #rename(Path, Path, AioCallback)}. */
    AioRequest rename(String src, String dst, AioCallback<Void> callback);

    /** {@code aio_rename}, future form: see {@link #rename(Path, Path, AioCallback)}. */
    default AioFuture<Void> rename(Path src, Path dst) {
        return AioFuture.of(callback -> rename(src, dst, callback));
    }

    /** {@code aio_rename} of a pathname as given, future form. */
    default AioFuture<Void> rename(String src, String dst) {
        return AioFuture.of(callback -> rename(src, dst, callback));
    }

    /**
     * {@code aio_rename2}: rename with {@code RENAME_NOREPLACE} / {@code RENAME_EXCHANGE} flags (0 =
     * {@code rename}); what the layer cannot do fails with ENOSYS.
     *
     * @param src the existing path
     * @param dst the new path
     * @param flags {@code RENAME_*} flags
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest rename2(Path src, Path dst, int flags, AioCallback<Void> callback);

    /** {@code aio_rename2} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #rename2(Path, Path, int, AioCallback)}. */
    AioRequest rename2(String src, String dst, int flags, AioCallback<Void> callback);

    /** {@code aio_rename2}, future form: see {@link #rename2(Path, Path, int, AioCallback)}. */
    default AioFuture<Void> rename2(Path src, Path dst, int flags) {
        return AioFuture.of(callback -> rename2(src, dst, flags, callback));
    }

    /** {@code aio_rename2} of a pathname as given, future form. */
    default AioFuture<Void> rename2(String src, String dst, int flags) {
        return AioFuture.of(callback -> rename2(src, dst, flags, callback));
    }

    /**
     * {@code aio_mkdir}: creates a directory ({@code mode} minus the umask).
     *
     * @param path the new directory
     * @param mode permission bits, e.g. {@code 0755}
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest mkdir(Path path, int mode, AioCallback<Void> callback);

    /** {@code aio_mkdir} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #mkdir(Path, int, AioCallback)}. */
    AioRequest mkdir(String path, int mode, AioCallback<Void> callback);

    /** {@code aio_mkdir}, future form: see {@link #mkdir(Path, int, AioCallback)}. */
    default AioFuture<Void> mkdir(Path path, int mode) {
        return AioFuture.of(callback -> mkdir(path, mode, callback));
    }

    /** {@code aio_mkdir} of a pathname as given, future form. */
    default AioFuture<Void> mkdir(String path, int mode) {
        return AioFuture.of(callback -> mkdir(path, mode, callback));
    }

    /**
     * {@code aio_rmdir}: removes an empty directory. In a view {@link #in(AioWorkingDirectory) in(wd)},
     * {@code "."} removes the working directory itself, by its path, as IO::AIO special-cases {@code
     * [$wd, "."]} (not in a jail, whose directory's name lies outside it: EINVAL there, as the kernel says).
     *
     * @param path the directory
     * @param callback receives status 0 or the errno (ENOTEMPTY, ENOTDIR...)
     * @return the request
     */
    AioRequest rmdir(Path path, AioCallback<Void> callback);

    /** {@code aio_rmdir} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #rmdir(Path, AioCallback)}. */
    AioRequest rmdir(String path, AioCallback<Void> callback);

    /** {@code aio_rmdir}, future form: see {@link #rmdir(Path, AioCallback)}. */
    default AioFuture<Void> rmdir(Path path) {
        return AioFuture.of(callback -> rmdir(path, callback));
    }

    /** {@code aio_rmdir} of a pathname as given, future form. */
    default AioFuture<Void> rmdir(String path) {
        return AioFuture.of(callback -> rmdir(path, callback));
    }

    /**
     * {@code aio_wd}: opens a working directory ({@link AioWorkingDirectory}) to resolve relative
     * paths against, through {@link #in(AioWorkingDirectory)}. On a view, a relative {@code dir} is
     * resolved against the view's working directory (IO::AIO's {@code aio_wd [$wd, $path]}), and a
     * working directory made through a jail is a jail.
     *
     * @param dir the directory (symlinks in it followed, except through a jail)
     * @param callback receives the working directory (the caller's to close), or the errno (ENOENT,
     *     ENOTDIR, EACCES; EXDEV through a jail)
     * @return the request
     */
    AioRequest wd(Path dir, AioCallback<AioWorkingDirectory> callback);

    /** {@code aio_wd}, future form; see {@link #wd(Path, AioCallback)}. */
    default AioFuture<AioWorkingDirectory> wd(Path dir) {
        return AioFuture.of(callback -> wd(dir, callback));
    }

    /**
     * {@link #wd(Path, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param dir the dir
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest wd(String dir, AioCallback<AioWorkingDirectory> callback);

    /** The future form of {@link #wd(String, AioCallback)}. */
    default AioFuture<AioWorkingDirectory> wd(String dir) {
        return AioFuture.of(callback -> wd(dir, callback));
    }

    /**
     * Opens a jail: a working directory no path resolved against may leave (EXDEV); see {@link
     * AioWorkingDirectory}. Otherwise as {@link #wd(Path, AioCallback)}.
     *
     * @param dir the directory (symlinks in it followed: the caller chose it; except through a jail)
     * @param callback receives the jail (the caller's to close), or the errno (ENOENT, ENOTDIR,
     *     EACCES; ENOSYS where the JDK has no directory descriptors)
     * @return the request
     */
    AioRequest jail(Path dir, AioCallback<AioWorkingDirectory> callback);

    /** Opens a jail, future form; see {@link #jail(Path, AioCallback)}. */
    default AioFuture<AioWorkingDirectory> jail(Path dir) {
        return AioFuture.of(callback -> jail(dir, callback));
    }

    /**
     * {@link #jail(Path, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param dir the dir
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest jail(String dir, AioCallback<AioWorkingDirectory> callback);

    /** The future form of {@link #jail(String, AioCallback)}. */
    default AioFuture<AioWorkingDirectory> jail(String dir) {
        return AioFuture.of(callback -> jail(dir, callback));
    }

    /**
     * {@code aio_fsync}: flushes the file's data and metadata to the device.
     *
     * @param file the file
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest fsync(AioFile file, AioCallback<Void> callback);

    /** {@code aio_fsync}, future form. */
    default AioFuture<Void> fsync(AioFile file) {
        return AioFuture.of(callback -> fsync(file, callback));
    }

    /**
     * {@code aio_fdatasync}: flushes the file's data (and the metadata needed to read it).
     *
     * @param file the file
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest fdatasync(AioFile file, AioCallback<Void> callback);

    /** {@code aio_fdatasync}, future form. */
    default AioFuture<Void> fdatasync(AioFile file) {
        return AioFuture.of(callback -> fdatasync(file, callback));
    }

    /**
     * {@code aio_syncfs}: syncs the filesystem the file is on; where {@code syncfs} is unavailable it
     * calls {@code sync()} and still reports ENOSYS, as the manual says.
     *
     * @param file a file on the filesystem
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest syncfs(AioFile file, AioCallback<Void> callback);

    /** {@code aio_syncfs}, future form. */
    default AioFuture<Void> syncfs(AioFile file) {
        return AioFuture.of(callback -> syncfs(file, callback));
    }

    /**
     * {@code aio_sync_file_range}: syncs part of the file's data; where the call is unavailable,
     * {@code fdatasync} is substituted, as the manual says. Bad numbers are the syscall's to judge,
     * as in IO::AIO: a negative offset or length, or unknown flags, end in EINVAL.
     *
     * @param file the file
     * @param offset start (negative: EINVAL)
     * @param nbytes bytes (0 = to the end; negative: EINVAL)
     * @param flags {@code SYNC_FILE_RANGE_*} flags
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest syncFileRange(AioFile file, long offset, long nbytes, int flags, AioCallback<Void> callback);

    /** {@code aio_sync_file_range}, future form. */
    default AioFuture<Void> syncFileRange(AioFile file, long offset, long nbytes, int flags) {
        return AioFuture.of(callback -> syncFileRange(file, offset, nbytes, flags, callback));
    }

    /**
     * {@code aio_pathsync}: opens the path read-only, fsyncs and closes it (for directories after a
     * rename, for example).
     *
     * @param path the path
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest pathsync(Path path, AioCallback<Void> callback);

    /** {@code aio_pathsync} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #pathsync(Path, AioCallback)}. */
    AioRequest pathsync(String path, AioCallback<Void> callback);

    /** {@code aio_pathsync}, future form: see {@link #pathsync(Path, AioCallback)}. */
    default AioFuture<Void> pathsync(Path path) {
        return AioFuture.of(callback -> pathsync(path, callback));
    }

    /** {@code aio_pathsync} of a pathname as given, future form. */
    default AioFuture<Void> pathsync(String path) {
        return AioFuture.of(callback -> pathsync(path, callback));
    }

    /**
     * {@code aio_sync}: {@code sync(2)}, every filesystem (ENOSYS on the portable layer, which cannot call it).
     *
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest sync(AioCallback<Void> callback);

    /** {@code aio_sync}, future form. */
    default AioFuture<Void> sync() {
        return AioFuture.of(callback -> sync(callback));
    }

    /**
     * {@code aio_msync}: {@code msync(2)} of part of a mapped buffer.
     *
     * @param buffer a buffer from {@code FileChannel.map}
     * @param offset start in the buffer, 0 or more
     * @param length bytes, or {@code null} for the rest of the buffer (negative counts from the end)
     * @param flags {@code MS_SYNC} or {@code MS_ASYNC}, optionally with {@code MS_INVALIDATE}
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest msync(MappedByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback);

    /** {@code aio_msync}, future form. */
    default AioFuture<Void> msync(MappedByteBuffer buffer, long offset, Long length, int flags) {
        return AioFuture.of(callback -> msync(buffer, offset, length, flags, callback));
    }

    /**
     * {@code aio_mtouch}: touches every page of part of a buffer (reads it, or with {@code
     * MT_MODIFY} dirties it).
     *
     * @param buffer the buffer, usually mapped
     * @param offset start, 0 or more
     * @param length bytes, or {@code null} for the rest (negative counts from the end)
     * @param flags 0 or {@link AioConstants#MT_MODIFY}
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest mtouch(ByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback);

    /** {@code aio_mtouch}, future form. */
    default AioFuture<Void> mtouch(ByteBuffer buffer, long offset, Long length, int flags) {
        return AioFuture.of(callback -> mtouch(buffer, offset, length, flags, callback));
    }

    /**
     * {@code aio_readdir}: reads a whole directory (opendir, readdir, closedir), without {@code .}
     * and {@code ..}, in the directory's own order. A top-level symlink to a directory is followed,
     * as {@code opendir} follows it.
     *
     * <p>Each name is a one-element {@link Path}, not a {@code String}: a Unix {@code Path} holds the
     * exact bytes of the entry, so a name that is not valid UTF-8 round-trips into any request
     * ({@code dir.resolve(name)} finds the file), where a {@code String} would have replaced its
     * bytes. {@code toString()} is for display.
     *
     * @param path the directory
     * @param callback receives the names, or the errno (ENOENT, ENOTDIR for a file, EACCES, ELOOP)
     * @return the request
     */
    AioRequest readdir(Path path, AioCallback<List<Path>> callback);

    /** {@code aio_readdir} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #readdir(Path, AioCallback)}. */
    AioRequest readdir(String path, AioCallback<List<Path>> callback);

    /** {@code aio_readdir}, future form: see {@link #readdir(Path, AioCallback)}. */
    default AioFuture<List<Path>> readdir(Path path) {
        return AioFuture.of(callback -> readdir(path, callback));
    }

    /** {@code aio_readdir} of a pathname as given, future form. */
    default AioFuture<List<Path>> readdir(String path) {
        return AioFuture.of(callback -> readdir(path, callback));
    }

    /**
     * {@code aio_readdirx}: {@link #readdir(Path, AioCallback) readdir} with IO::AIO's flags, ORed:
     * {@link AioConstants#READDIR_DENTS} (each entry's type {@code DT_*} and inode number), {@link
     * AioConstants#READDIR_DIRS_FIRST} (likely directories first: real ones when every type is
     * known, otherwise names starting with a dot, then names without dots, shorter first), {@link
     * AioConstants#READDIR_STAT_ORDER} (by inode number). With any of the three, types and inodes
     * are determined (on the portable backend, by an {@code lstat} of each entry, since the JDK
     * does not expose {@code d_type}); with none, entries are {@link AioConstants#DT_UNKNOWN} with
     * inode 0. The result's flags carry {@link AioConstants#READDIR_FOUND_UNKNOWN} when any type is
     * unknown (an entry that vanished before it could be looked at); passing that flag in has no effect.
     *
     * @param path the directory
     * @param flags {@code READDIR_*} flags; any other bit is an {@link IllegalArgumentException}
     * @param callback receives the entries and flags, or the errno (as readdir)
     * @return the request
     */
    AioRequest readdirx(Path path, int flags, AioCallback<DirListing> callback);

    /** {@code aio_readdirx} of a pathname as given: a trailing slash, {@code //} and {@code .} reach the syscall unchanged; see {@link #readdirx(Path, int, AioCallback)}. */
    AioRequest readdirx(String path, int flags, AioCallback<DirListing> callback);

    /** {@code aio_readdirx}, future form: see {@link #readdirx(Path, int, AioCallback)}. */
    default AioFuture<DirListing> readdirx(Path path, int flags) {
        return AioFuture.of(callback -> readdirx(path, flags, callback));
    }

    /** {@code aio_readdirx} of a pathname as given, future form. */
    default AioFuture<DirListing> readdirx(String path, int flags) {
        return AioFuture.of(callback -> readdirx(path, flags, callback));
    }

    /**
     * {@code aio_scandir}: splits a directory's entries into directories (that can be recursed into)
     * and everything else, including symlinks to directories, stat'ing as few entries as the
     * manual's heuristics allow: when the directory's link count is trustworthy (unchanged by the
     * read and not modified within the current second), it has {@code nlink - 2} subdirectories,
     * and once that many are found the rest are non-directories without a stat; candidates are
     * tried likely-directories-first by {@code stat("entry/.")}, confirmed by {@code lstat}. With a
     * link count below 2 (btrfs), types from readdir are used directly when all are known.
     *
     * <p>A composite request (a group of {@code stat}, {@code readdir} and {@code lstat} steps, at
     * most {@code maxreq} stats in flight), with the priority it was created with for every step;
     * it can be cancelled and joins groups like any request. A top-level symlink to a directory is
     * followed (as IO::AIO does: it is what the caller named); symlinks inside never are. The
     * directory is open only while it is read, so walking a deep tree with scandir needs no more
     * descriptors than worker threads.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for IO::AIO's default, 4
     * @param callback receives the names (relative to {@code path}), or the errno: ENOTDIR (a file),
     *     ENOENT (missing, or removed while being scanned), ELOOP, EACCES
     * @return the request (a group: {@link AioRequest#operation()} is {@code "scandir"})
     */
    AioRequest scandir(Path path, int maxreq, AioCallback<DirScan> callback);

    /** {@code aio_scandir}, future form; see {@link #scandir(Path, int, AioCallback)}. */
    default AioFuture<DirScan> scandir(Path path, int maxreq) {
        return AioFuture.of(callback -> scandir(path, maxreq, callback));
    }

    /**
     * {@link #scandir(Path, int, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param path the path
     * @param maxreq as for the {@code Path} form
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest scandir(String path, int maxreq, AioCallback<DirScan> callback);

    /** The future form of {@link #scandir(String, int, AioCallback)}. */
    default AioFuture<DirScan> scandir(String path, int maxreq) {
        return AioFuture.of(callback -> scandir(path, maxreq, callback));
    }

    /**
     * {@code aio_rmtree}: deletes a directory tree, {@code path} included: a scandir of each
     * directory, an unlink of every non-directory and an rmdir of each directory after its content.
     *
     * <p>Never follows a symlink, for safety: symlinks inside the tree are unlinked, not entered,
     * and a top-level {@code path} that is a symlink (even to a directory) or a file fails with
     * ENOTDIR without touching anything. (IO::AIO 4.8 follows a top-level symlink: it empties the
     * directory it points to, outside the tree, before failing with ENOTDIR.) The result is the
     * first error met (errno, failing operation and path), not only the last rmdir's; the rest of
     * the tree is removed as far as possible, and entries removed by someone else meanwhile are
     * not errors. Cancelling stops it between removals: what was removed stays removed. No
     * descriptor is held between steps, so trees of any depth are fine.
     *
     * @param path the directory
     * @param callback receives status 0, or the errno (ENOTDIR, ENOENT, EACCES, EBUSY, ENOTEMPTY...)
     * @return the request (a group: {@link AioRequest#operation()} is {@code "rmtree"})
     */
    AioRequest rmtree(Path path, AioCallback<Void> callback);

    /** {@code aio_rmtree}, future form; see {@link #rmtree(Path, AioCallback)}. */
    default AioFuture<Void> rmtree(Path path) {
        return AioFuture.of(callback -> rmtree(path, callback));
    }

    /**
     * {@link #rmtree(Path, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param path the path
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest rmtree(String path, AioCallback<Void> callback);

    /** The future form of {@link #rmtree(String, AioCallback)}. */
    default AioFuture<Void> rmtree(String path) {
        return AioFuture.of(callback -> rmtree(path, callback));
    }

    /**
     * {@code aio_copy}: copies a file. The destination is created with mode 0200 (an existing one
     * is truncated), the content copied (in chunks of at most 64 MiB between which the copy can be
     * cancelled), then access and modification times, mode, and owner and group restored, in that
     * order (failures of those are ignored, as in IO::AIO: an unprivileged caller cannot give a
     * file away), then the destination closed (a close error fails the copy).
     *
     * <p>The content is copied by the first of these that works, each tried once and given up for
     * the next when it fails with EXDEV, ENOSYS, EOPNOTSUPP, EINVAL or ENOTTY (any other errno
     * fails the copy): on the native backend (1) a reflink of the whole file ({@code
     * ioctl(FICLONE)}, where the file system shares extents: Btrfs, XFS...; nothing is copied),
     * (2) {@code copy_file_range(2)} (the kernel copies; a server-side copy on NFS), (3) {@code
     * sendfile(2)} (itself emulated with {@code pread}/{@code write} where the kernel refuses it);
     * on the portable backend {@code sendfile} as {@code FileChannel.transferTo}. A sparse source
     * (fewer blocks allocated than its size needs) keeps its holes: only its data ranges ({@code
     * lseek} {@code SEEK_DATA}/{@code SEEK_HOLE}) are copied and the size is set with {@code
     * ftruncate}. IO::AIO's {@code aio_copy} uses {@code sendfile} alone and fills holes. A failure
     * of the content step is reported as operation {@code "sendfile"}, whichever call failed.
     *
     * <p>On any error, and when cancelled, both files are closed and the destination is unlinked
     * before the request finishes: a failed or cancelled copy leaves no partial destination.
     * A source that is a symlink is followed (the file is copied, as IO::AIO and {@code cp} do);
     * a destination that is a symlink is not: ELOOP, nothing written through it (IO::AIO would
     * write into its target). Directories are not supported (EISDIR, as source or destination);
     * a FIFO, socket or device as source fails with EINVAL instead of blocking a worker; copying a
     * file onto itself (another hard link included) fails with EINVAL before anything is truncated.
     *
     * @param src the file to copy
     * @param dst the copy
     * @param callback receives status 0, or the errno and the failing step ({@link
     *     AioResult#failure()}): ENOENT, EISDIR, EINVAL, ELOOP, EACCES, ENOSPC, EIO...
     * @return the request (a group: {@link AioRequest#operation()} is {@code "copy"})
     */
    AioRequest copy(Path src, Path dst, AioCallback<Void> callback);

    /** {@code aio_copy}, future form; see {@link #copy(Path, Path, AioCallback)}. */
    default AioFuture<Void> copy(Path src, Path dst) {
        return AioFuture.of(callback -> copy(src, dst, callback));
    }

    /**
     * {@link #copy(Path, Path, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param src the src
     * @param dst the dst
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest copy(String src, String dst, AioCallback<Void> callback);

    /** The future form of {@link #copy(String, String, AioCallback)}. */
    default AioFuture<Void> copy(String src, String dst) {
        return AioFuture.of(callback -> copy(src, dst, callback));
    }

    /**
     * {@code aio_move}: renames a file; only when rename fails with EXDEV (another file system) it
     * copies the file ({@link #copy(Path, Path, AioCallback) copy}) and unlinks the source. A
     * symlink is moved as a symlink (recreated with the same target); a directory across file
     * systems fails with EISDIR (IO::AIO: directories are not supported). If the fallback fails
     * or is cancelled, what it made at the destination is removed and the source stays.
     *
     * @param src the existing name
     * @param dst the new name
     * @param callback receives status 0, or the errno (rename's, or the copy's)
     * @return the request (a group: {@link AioRequest#operation()} is {@code "move"})
     */
    AioRequest move(Path src, Path dst, AioCallback<Void> callback);

    /** {@code aio_move}, future form; see {@link #move(Path, Path, AioCallback)}. */
    default AioFuture<Void> move(Path src, Path dst) {
        return AioFuture.of(callback -> move(src, dst, callback));
    }

    /**
     * {@link #move(Path, Path, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param src the src
     * @param dst the dst
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest move(String src, String dst, AioCallback<Void> callback);

    /** The future form of {@link #move(String, String, AioCallback)}. */
    default AioFuture<Void> move(String src, String dst) {
        return AioFuture.of(callback -> move(src, dst, callback));
    }

    /**
     * Copies a directory tree, as {@code cp -a} would (not in IO::AIO; built from its pieces):
     * directories are made and scanned with {@link #scandir(Path, int, AioCallback) scandir} (or,
     * where the listing gives each entry's type for free, as on the native backend, split by those
     * types, and a file typed as regular is opened {@code O_NOFOLLOW} without an {@code lstat}
     * first, its type checked on the open descriptor); each
     * file is copied as {@link #copy(Path, Path, AioCallback) copy} copies it (reflink, else
     * copy_file_range, else sendfile, holes kept; then times, owner, mode, as {@code cp -a} orders
     * them so that set-user-ID bits survive, the owner left alone where a new file in that
     * directory already has the source's) but in one request,
     * up to 16 files of a directory one after the other in a request when it has many (a reflink or
     * copy_file_range that failed for one file is not tried again for the others), so a tree copy
     * holds at most two descriptors per worker thread however many files it copies, and is
     * cancelled between files; symlinks are copied as
     * symlinks (never followed); FIFOs, sockets and devices are made with {@code mknod} (the
     * portable backend cannot: ENOSYS). Times, mode and owner of files and directories are
     * restored (not of symlinks); hard links become separate copies. An error names the failing
     * entry's source path and the operation {@code "copy"}, or the directory step that failed.
     *
     * <p>{@code src} must be a real directory (a symlink or file: ENOTDIR, nothing made) and {@code
     * dst} must not exist (EEXIST). On the first error the copy stops, and when cancelled too; the
     * destination tree made so far is then removed before the request finishes.
     *
     * @param src the directory to copy
     * @param dst the copy, which must not exist
     * @param callback receives status 0, or the first errno with its operation and path
     * @return the request (a group: {@link AioRequest#operation()} is {@code "copytree"})
     */
    AioRequest copyTree(Path src, Path dst, AioCallback<Void> callback);

    /** Tree copy, future form; see {@link #copyTree(Path, Path, AioCallback)}. */
    default AioFuture<Void> copyTree(Path src, Path dst) {
        return AioFuture.of(callback -> copyTree(src, dst, callback));
    }

    /**
     * {@link #copyTree(Path, Path, AioCallback)} of {@code String} paths, taken as a {@link Path} takes them
     * (a trailing slash and {@code //} dropped: a composite request acts on the name itself).
     *
     * @param src the src
     * @param dst the dst
     * @param callback receives the result
     * @return the request
     * @throws IllegalArgumentException for a name no {@code Path} can hold (a NUL character)
     */
    AioRequest copyTree(String src, String dst, AioCallback<Void> callback);

    /** The future form of {@link #copyTree(String, String, AioCallback)}. */
    default AioFuture<Void> copyTree(String src, String dst) {
        return AioFuture.of(callback -> copyTree(src, dst, callback));
    }

    // ---- Locks, fcntl, ioctl, fiemap, memory, pipes (IO::AIO 4.8) ----

    /**
     * A record lock on a range, as a request: an open-file-description lock ({@code F_OFD_SETLK}),
     * owned by this open file (every request and thread using it shares it; closing it releases it).
     * With {@code wait} the request waits while another holder has the range, and that wait ends
     * when the request is cancelled (ECANCELED), its deadline ({@link #withDeadline(Duration)}, {@link AioEngine#timeout}) passes (ETIMEDOUT;
     * the future fails with a {@link java.util.concurrent.TimeoutException}) or the engine closes:
     * the worker is freed and the lock not taken. The wait polls with a back-off of 1 to 20 ms
     * (the kernel's blocking wait cannot be interrupted safely): see the README. The portable backend
     * locks with {@code FileChannel.tryLock}, whose locks are process locks (see the README).
     *
     * @param file the file (open for reading for a shared lock, for writing for an exclusive one: else EBADF)
     * @param start the first byte, 0 or more
     * @param length the byte count, 0 or more; 0 = to the end of the file, however far it grows
     * @param exclusive a write lock ({@code F_WRLCK}) rather than a read lock ({@code F_RDLCK})
     * @param wait wait while the range is held by another; otherwise fail at once with EAGAIN
     * @param callback receives status 0, or the errno (EAGAIN, ECANCELED, ETIMEDOUT, EBADF, ENOLCK)
     * @return the request
     */
    AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, AioCallback<Void> callback);

    /** A record lock as a request, future form: see {@link #lock(AioFile, long, long, boolean, boolean, AioCallback)}. */
    default AioFuture<Void> lock(AioFile file, long start, long length, boolean exclusive, boolean wait) {
        return AioFuture.of(callback -> lock(file, start, length, exclusive, wait, callback));
    }

    /**
     * {@link #lock(AioFile, long, long, boolean, boolean, AioCallback)} with the choice of a process
     * lock ({@code F_SETLK}: owned by this process, released when it closes any descriptor of the
     * file, not exclusive between threads of the JVM).
     *
     * @param file the file
     * @param start the first byte, 0 or more
     * @param length the byte count, 0 or more; 0 = to the end of the file
     * @param exclusive a write lock rather than a read lock
     * @param wait wait while the range is held by another
     * @param process a process lock ({@code F_SETLK}) rather than an open-file-description lock
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, boolean process,
            AioCallback<Void> callback);

    /** A record lock with the choice of a process lock, future form. */
    default AioFuture<Void> lock(AioFile file, long start, long length, boolean exclusive, boolean wait, boolean process) {
        return AioFuture.of(callback -> lock(file, start, length, exclusive, wait, process, callback));
    }

    /**
     * Releases a range of this file's record locks ({@code F_UNLCK}); unlocking a range that is
     * not locked succeeds.
     *
     * @param file the file
     * @param start the first byte, 0 or more
     * @param length the byte count, 0 or more; 0 = to the end
     * @param process release process locks rather than open-file-description locks
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest unlock(AioFile file, long start, long length, boolean process, AioCallback<Void> callback);

    /** Releases record locks, future form. */
    default AioFuture<Void> unlock(AioFile file, long start, long length, boolean process) {
        return AioFuture.of(callback -> unlock(file, start, length, process, callback));
    }

    /**
     * {@code F_OFD_GETLK} / {@code F_GETLK}: the lock that would stop this file from taking the
     * range, or a {@link RecordLock} of type {@code F_UNLCK} when nothing would. ENOSYS on the
     * portable backend (the JDK cannot ask).
     *
     * @param file the file
     * @param start the first byte, 0 or more
     * @param length the byte count, 0 or more; 0 = to the end
     * @param exclusive test for a write lock rather than a read lock
     * @param process ask about process locks ({@code F_GETLK}) rather than open-file-description locks
     * @param callback receives the conflicting lock (pid -1 for an open-file-description lock)
     * @return the request
     */
    AioRequest getlk(AioFile file, long start, long length, boolean exclusive, boolean process,
            AioCallback<RecordLock> callback);

    /** {@code F_OFD_GETLK} / {@code F_GETLK}, future form. */
    default AioFuture<RecordLock> getlk(AioFile file, long start, long length, boolean exclusive, boolean process) {
        return AioFuture.of(callback -> getlk(file, start, length, exclusive, process, callback));
    }

    /**
     * {@code aio_fcntl} for the commands whose argument is an integer: {@code F_GETFD}, {@code
     * F_SETFD}, {@code F_GETFL}, {@code F_SETFL}, {@code F_GETOWN}, {@code F_SETOWN}, {@code
     * F_GETSIG}, {@code F_SETSIG}, {@code F_GETLEASE}, {@code F_SETLEASE}, {@code F_NOTIFY},
     * {@code F_GETPIPE_SZ}, {@code F_SETPIPE_SZ}, {@code F_GET_SEALS}, {@code F_ADD_SEALS}. Record
     * locks have {@link #lock}, {@link #unlock} and {@link #getlk}; the commands that make a
     * descriptor ({@code F_DUPFD}) or take a pointer are refused. ENOSYS on the portable backend.
     *
     * @param file the file
     * @param cmd the command
     * @param arg its argument (ignored by the GET commands)
     * @param callback receives what {@code fcntl} returns (also the status), or the errno
     * @return the request
     * @throws IllegalArgumentException for any other command
     */
    AioRequest fcntl(AioFile file, int cmd, long arg, AioCallback<Long> callback);

    /** {@code aio_fcntl} with an integer argument, future form. */
    default AioFuture<Long> fcntl(AioFile file, int cmd, long arg) {
        return AioFuture.of(callback -> fcntl(file, cmd, arg, callback));
    }

    /**
     * {@code aio_ioctl} with a caller's buffer: {@code ioctl(fd, request, address)} where the
     * address is {@code arg}'s position in a direct buffer, which the kernel reads or writes. For
     * requests that encode their argument's size ({@code _IOR}/{@code _IOW}), the buffer must have
     * that many bytes remaining; for the others the caller sizes it (a raw call: the kernel writes
     * what the request says). Do not touch the buffer until the request is done. ENOSYS on the
     * portable backend.
     *
     * @param file the file
     * @param request the request number
     * @param arg a direct buffer
     * @param callback receives what {@code ioctl} returns (also the status), or the errno
     * @return the request
     * @throws IllegalArgumentException for a heap buffer, or one smaller than the request's encoded size
     */
    AioRequest ioctl(AioFile file, long request, ByteBuffer arg, AioCallback<Long> callback);

    /** {@code aio_ioctl} with a caller's buffer, future form. */
    default AioFuture<Long> ioctl(AioFile file, long request, ByteBuffer arg) {
        return AioFuture.of(callback -> ioctl(file, request, arg, callback));
    }

    /**
     * {@code ioctl(dst, FICLONE, src)}: {@code dst} shares all of {@code src}'s data (a reflink,
     * copy-on-write). A file system without reflinks says so with the kernel's errno (EOPNOTSUPP,
     * EXDEV across file systems, EINVAL on some); ENOSYS on the portable backend.
     *
     * @param dst the destination, open for writing
     * @param src the source, open for reading
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest ficlone(AioFile dst, AioFile src, AioCallback<Void> callback);

    /** {@code ioctl(FICLONE)}, future form. */
    default AioFuture<Void> ficlone(AioFile dst, AioFile src) {
        return AioFuture.of(callback -> ficlone(dst, src, callback));
    }

    /**
     * {@code ioctl(dst, FICLONERANGE, {src, srcOffset, length, dstOffset})}: a reflink of a range
     * (offsets and length aligned to the file system's block, except a length reaching the end of
     * {@code src}; length 0 = to the end of {@code src}).
     *
     * @param dst the destination, open for writing
     * @param src the source, open for reading
     * @param srcOffset where in {@code src}, 0 or more
     * @param length the byte count, 0 or more
     * @param dstOffset where in {@code dst}, 0 or more
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest ficloneRange(AioFile dst, AioFile src, long srcOffset, long length, long dstOffset,
            AioCallback<Void> callback);

    /** {@code ioctl(FICLONERANGE)}, future form. */
    default AioFuture<Void> ficloneRange(AioFile dst, AioFile src, long srcOffset, long length, long dstOffset) {
        return AioFuture.of(callback -> ficloneRange(dst, src, srcOffset, length, dstOffset, callback));
    }

    /**
     * {@code ioctl(FS_IOC_GETFLAGS)}: the inode flags {@code lsattr} shows ({@code FS_*_FL}).
     * ENOTTY where the file system has none (tmpfs has some; a pipe has none); ENOSYS on the portable backend.
     *
     * @param file the file
     * @param callback receives the flags, also the status
     * @return the request
     */
    AioRequest getFlags(AioFile file, AioCallback<Integer> callback);

    /** {@code ioctl(FS_IOC_GETFLAGS)}, future form. */
    default AioFuture<Integer> getFlags(AioFile file) {
        return AioFuture.of(callback -> getFlags(file, callback));
    }

    /**
     * {@code ioctl(FS_IOC_SETFLAGS)}: sets the inode flags ({@code chattr}); EPERM for flags only
     * root may set, EOPNOTSUPP for flags the file system does not have.
     *
     * @param file the file
     * @param flags the new flags ({@code FS_*_FL}), usually the old ones with bits changed
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest setFlags(AioFile file, int flags, AioCallback<Void> callback);

    /** {@code ioctl(FS_IOC_SETFLAGS)}, future form. */
    default AioFuture<Void> setFlags(AioFile file, int flags) {
        return AioFuture.of(callback -> setFlags(file, flags, callback));
    }

    /**
     * {@code ioctl(FIONREAD)}: the bytes ready to be read without blocking (a pipe, a socket, a
     * terminal; for a regular file, Linux says the bytes from the position to the end).
     *
     * @param file the file
     * @param callback receives the count, also the status (IO::AIO's {@code aio_ioctl} passes ioctl's 0
     *     and leaves the count in the buffer: that is {@link #ioctl(AioFile, long, ByteBuffer, AioCallback)})
     * @return the request
     */
    AioRequest fionread(AioFile file, AioCallback<Integer> callback);

    /** {@code ioctl(FIONREAD)}, future form. */
    default AioFuture<Integer> fionread(AioFile file) {
        return AioFuture.of(callback -> fionread(file, callback));
    }

    /**
     * {@code aio_fiemap}: the extents of a range of the file ({@code FS_IOC_FIEMAP}), each as
     * IO::AIO's {@code [$logical, $physical, $length, $flags]}. With {@code count} {@code null}
     * every extent of the range is returned, asked in batches until the one marked {@code
     * FIEMAP_EXTENT_LAST} (what IO::AIO does for {@code undef}, the only reliable form); with a
     * count, at most that many, in one call. A hole has no extent. ENOSYS on the portable backend;
     * EBADR for flags the file system does not take; EOPNOTSUPP where it has no FIEMAP.
     *
     * @param file the file
     * @param start the range's start, 0 or more
     * @param length the range's length, or {@code null} for the whole file from {@code start}
     * @param flags 0, {@code FIEMAP_FLAG_SYNC} or {@code FIEMAP_FLAG_XATTR}
     * @param count the most extents, 1 or more, or {@code null} for all (for IO::AIO's 0, the number
     *     of extents, see {@link #fiemapCount})
     * @param callback receives the extents
     * @return the request
     * @throws IllegalArgumentException for a negative start or length, or a count below 1
     */
    AioRequest fiemap(AioFile file, long start, Long length, int flags, Integer count,
            AioCallback<List<FiemapExtent>> callback);

    /** {@code aio_fiemap}, future form. */
    default AioFuture<List<FiemapExtent>> fiemap(AioFile file, long start, Long length, int flags, Integer count) {
        return AioFuture.of(callback -> fiemap(file, start, length, flags, count, callback));
    }

    /**
     * {@code aio_fiemap} with a count of 0: the number of extents the kernel reports for the range
     * (unreliable for many extents, as the manual warns).
     *
     * @param file the file
     * @param start the range's start, 0 or more
     * @param length the range's length, or {@code null} for the whole file
     * @param flags {@code FIEMAP_FLAG_*}
     * @param callback receives the count (also the status)
     * @return the request
     */
    AioRequest fiemapCount(AioFile file, long start, Long length, int flags, AioCallback<Long> callback);

    /** {@code aio_fiemap} with a count of 0, future form. */
    default AioFuture<Long> fiemapCount(AioFile file, long start, Long length, int flags) {
        return AioFuture.of(callback -> fiemapCount(file, start, length, flags, callback));
    }

    /**
     * {@code aio_mlock}: reads the pages of a range of a direct buffer (typically a mapping) into
     * memory and locks them there ({@code mlock(2)}, widened to whole pages); undone by {@link
     * AioEngine#munlock}, or when the mapping goes. ENOMEM above {@code RLIMIT_MEMLOCK} (root has no such
     * limit), EPERM without the right; ENOSYS on the portable backend.
     *
     * @param buffer a direct buffer; keep it reachable while the request runs
     * @param offset the start within the buffer, 0 or more
     * @param length the length, or {@code null} for the rest of the buffer
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest mlock(ByteBuffer buffer, long offset, Long length, AioCallback<Void> callback);

    /** {@code aio_mlock}, future form. */
    default AioFuture<Void> mlock(ByteBuffer buffer, long offset, Long length) {
        return AioFuture.of(callback -> mlock(buffer, offset, length, callback));
    }

    /**
     * {@code aio_mlockall}: {@code mlockall(2)} with {@code MCL_CURRENT}, {@code MCL_FUTURE} and
     * {@code MCL_ONFAULT} bits (EINVAL for a combination the kernel refuses). Locks the whole JVM's
     * memory: a heap that then grows past {@code RLIMIT_MEMLOCK} fails to, so think twice. ENOSYS on
     * the portable backend.
     *
     * @param flags {@code MCL_*} bits
     * @param callback receives status 0 or the errno
     * @return the request
     */
    AioRequest mlockall(int flags, AioCallback<Void> callback);

    /** {@code aio_mlockall}, future form. */
    default AioFuture<Void> mlockall(int flags) {
        return AioFuture.of(callback -> mlockall(flags, callback));
    }

    /**
     * {@code IO::AIO::splice} as a request: moves up to {@code length} bytes from {@code in} to
     * {@code out}, one of which must be a pipe ({@link AioEngine#pipe}), without copying through user space.
     * ENOSYS on the portable backend.
     *
     * @param in the source
     * @param inOffset its offset, or {@code null} for its position (a pipe has none)
     * @param out the destination
     * @param outOffset its offset, or {@code null} for its position
     * @param length the most bytes, 0 or more
     * @param flags {@code SPLICE_F_*}
     * @param callback receives the bytes moved (0 at the end of the input), also the status
     * @return the request
     */
    AioRequest splice(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags,
            AioCallback<Long> callback);

    /** {@code IO::AIO::splice} as a request, future form. */
    default AioFuture<Long> splice(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags) {
        return AioFuture.of(callback -> splice(in, inOffset, out, outOffset, length, flags, callback));
    }

    /**
     * {@code IO::AIO::tee} as a request: copies up to {@code length} bytes from one pipe to another
     * without consuming them. ENOSYS on the portable backend.
     *
     * @param in the source pipe
     * @param out the destination pipe
     * @param length the most bytes, 0 or more
     * @param flags {@code SPLICE_F_*}
     * @param callback receives the bytes copied, also the status
     * @return the request
     */
    AioRequest tee(AioFile in, AioFile out, long length, int flags, AioCallback<Long> callback);

    /** {@code IO::AIO::tee} as a request, future form. */
    default AioFuture<Long> tee(AioFile in, AioFile out, long length, int flags) {
        return AioFuture.of(callback -> tee(in, out, length, flags, callback));
    }
}
