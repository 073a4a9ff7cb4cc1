package org.ioaio.spring.boot;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioGroup;
import org.ioaio.AioRequest;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.DirListing;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;
import org.jspecify.annotations.Nullable;

/**
 * The injectable face of an {@link AioEngine}: every request as a {@link CompletableFuture}.
 *
 * <p><b>Completion.</b> Futures complete on the poller thread (inside {@code pollCb}); dependent
 * stages added with {@code thenApply} and friends run there too unless given an executor, so keep
 * them short and never block in them. Cancelling a returned future cancels its request ({@link
 * AioRequest#cancel()}); cancelling a dependent stage does not.
 *
 * <p><b>Paths.</b> With {@code aio.root} set, every path is resolved against that directory and may
 * not leave it: {@code ..} climbing out, an absolute path elsewhere, a NUL character or a symbolic
 * link leading out fail the future with an {@link AioException} whose errno is {@link
 * org.ioaio.Errno#EXDEV EXDEV} (what {@code openat2(RESOLVE_BENEATH)} reports), naming the path;
 * nothing is queued. Without a root, paths go to the engine as given (relative ones against the
 * process's working directory).
 *
 * <p><b>Bad arguments</b> (null, negative lengths, a closed engine) throw at the call, as the
 * engine's do: {@link IllegalArgumentException}, {@link IllegalStateException}.
 *
 * <p><b>Priority and deadline.</b> {@link #withPriority(int)} and {@link #withTimeout(Duration)}
 * return views whose requests carry IO::AIO's {@code aioreq_pri} and a queueing deadline.
 */
public class AioTemplate {

    private static final int NO_PRIORITY = Integer.MIN_VALUE;

    private final AioEngine engine;
    private final @Nullable PathJail jail;
    private final int priority;
    private final @Nullable Duration timeout;

    /**
     * A template without a jail.
     *
     * @param engine the engine
     */
    public AioTemplate(AioEngine engine) {
        this(engine, null);
    }

    /**
     * A template that resolves paths against {@code root} and never leaves it.
     *
     * @param engine the engine
     * @param root an existing directory, or {@code null} for no jail
     */
    public AioTemplate(AioEngine engine, @Nullable Path root) {
        this(engine, root == null ? null : new PathJail(root), NO_PRIORITY, null);
    }

    private AioTemplate(AioEngine engine, @Nullable PathJail jail, int priority, @Nullable Duration timeout) {
        if (engine == null) {
            throw new IllegalArgumentException("engine must not be null");
        }
        this.engine = engine;
        this.jail = jail;
        this.priority = priority;
        this.timeout = timeout;
    }

    /** The engine behind this template. */
    public AioEngine engine() {
        return engine;
    }

    /** The jail directory (absolute, normalized), if any. */
    public Optional<Path> root() {
        return jail == null ? Optional.empty() : Optional.of(jail.root());
    }

    /**
     * A view of this template whose requests have priority {@code pri} (IO::AIO's {@code aioreq_pri}).
     *
     * @param pri -4 (lowest) to 4 (highest); out-of-range values are clamped by the engine
     * @return the view
     */
    public AioTemplate withPriority(int pri) {
        return new AioTemplate(engine, jail, Math.max(-4, Math.min(4, pri)), timeout);
    }

    /**
     * A view of this template whose requests time out (ETIMEDOUT, the future failing with a {@link
     * java.util.concurrent.TimeoutException}) if still queued after {@code timeout}.
     *
     * @param timeout a positive duration, or {@code null} for none
     * @return the view
     */
    public AioTemplate withTimeout(@Nullable Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new AioTemplate(engine, jail, priority, timeout);
    }

    /**
     * Resolves a path as every request of this template does (against the root, checked), for
     * callers that submit requests to the engine themselves.
     *
     * @param path the path
     * @return the path to hand to the engine
     * @throws AioException with EXDEV when it leaves the root
     */
    public Path resolve(String path) throws AioException {
        requirePath(path);
        return jailed("resolve", path, true);
    }

    /**
     * Resolves a path as every request of this template does (against the root, checked).
     *
     * @param path the path
     * @return the path to hand to the engine
     * @throws AioException with EXDEV when it leaves the root
     */
    public Path resolve(Path path) throws AioException {
        requirePath(path);
        return jailed("resolve", path, true);
    }

    // ------------------------------------------------------------------------------------------
    // Requests that are not filesystem calls
    // ------------------------------------------------------------------------------------------

    /** {@code aio_nop}: goes through a worker thread and completes with {@code null}. */
    public CompletableFuture<Void> nop() {
        return submit(engine::nop);
    }

    /**
     * {@code aio_busy}: occupies a worker thread for {@code seconds}.
     *
     * @param seconds fractional seconds, 0 or more
     * @return the future
     */
    public CompletableFuture<Void> busy(double seconds) {
        return submit(() -> engine.busy(seconds));
    }

    /**
     * {@code aio_busy}: occupies a worker thread for {@code duration}.
     *
     * @param duration zero or positive
     * @return the future
     */
    public CompletableFuture<Void> busy(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("busy duration must be zero or positive, got " + duration);
        }
        return busy(duration.toNanos() / 1e9);
    }

    /**
     * {@code eio_custom}: runs {@code task} on a worker thread; an {@link AioException} it throws
     * keeps its errno, anything else reports EIO.
     *
     * @param task the task
     * @param <T> the value type
     * @return the future of the task's value
     */
    public <T> CompletableFuture<T> custom(Callable<T> task) {
        return submit(() -> engine.custom(task));
    }

    /**
     * {@code aio_group}: a group whose members {@code init} adds (with the engine's callback-form
     * requests and {@link AioGroup#add}), and which may set a limit and a feeder. The future
     * completes when every member is done, with what {@link AioGroup#result(Object)} set, or fails
     * with the errno {@link AioGroup#errno(int)} set; cancelling it cancels the group and its members.
     *
     * @param init adds the first members; may be {@code null} for an empty group
     * @return the future of the group's result
     */
    public CompletableFuture<Object> group(@Nullable Consumer<AioGroup> init) {
        GroupFuture f = new GroupFuture();
        AioGroup g = submit(() -> engine.group(init, r -> {
            if (r.ok()) {
                f.complete(r.value());
            } else {
                Throwable t = r.failure();
                f.completeExceptionally(t != null ? t : new AioException(r.errno(), "group", null));
            }
        }));
        f.group = g;
        return f;
    }

    // ------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_open}: opens or creates a file; see {@link AioEngine#open(Path, int, int)}. The
     * file is the caller's to close ({@link #close(AioFile)}).
     *
     * @param path the file
     * @param flags {@link AioConstants} {@code O_*} flags
     * @param mode permission bits for a file {@code O_CREAT} creates; 0 otherwise
     * @return the future of the open file
     */
    public CompletableFuture<AioFile> open(String path, int flags, int mode) {
        return onPath("open", path, followsOpen(flags), p -> engine.open(p, flags, mode));
    }

    /**
     * {@code aio_open}: opens or creates a file; see {@link AioEngine#open(Path, int, int)}.
     *
     * @param path the file
     * @param flags {@link AioConstants} {@code O_*} flags
     * @param mode permission bits for a file {@code O_CREAT} creates; 0 otherwise
     * @return the future of the open file
     */
    public CompletableFuture<AioFile> open(Path path, int flags, int mode) {
        return onPath("open", path, followsOpen(flags), p -> engine.open(p, flags, mode));
    }

    /** {@code aio_close}: closes a file (EBADF if it already was). */
    public CompletableFuture<Void> close(AioFile file) {
        return submit(() -> engine.close(file));
    }

    /**
     * {@code aio_seek}: moves the file's position.
     *
     * @param file the file
     * @param offset the offset
     * @param whence one of the {@code SEEK_*} constants
     * @return the future of the new absolute offset
     */
    public CompletableFuture<Long> seek(AioFile file, long offset, int whence) {
        return submit(() -> engine.seek(file, offset, whence));
    }

    /**
     * {@code aio_read} into a buffer: up to {@code dst.remaining()} bytes; see {@link
     * AioEngine#read(AioFile, Long, ByteBuffer)}.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the file's position
     * @param dst where the bytes go (its position advances)
     * @return the future of the number of bytes read, 0 at end of file
     */
    public CompletableFuture<Integer> read(AioFile file, @Nullable Long offset, ByteBuffer dst) {
        return submit(() -> engine.read(file, offset, dst));
    }

    /**
     * {@code aio_read} into an array, as IO::AIO spells it.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the file's position
     * @param length how many bytes at most
     * @param data the array
     * @param dataOffset where in {@code data}; negative counts from its end
     * @return the future of the number of bytes read
     */
    public CompletableFuture<Integer> read(AioFile file, @Nullable Long offset, int length, byte[] data, int dataOffset) {
        return submit(() -> engine.read(file, offset, length, data, dataOffset));
    }

    /**
     * {@code aio_write} from a buffer: {@code src.remaining()} bytes; see {@link
     * AioEngine#write(AioFile, Long, ByteBuffer)}.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the file's position
     * @param src the bytes (its position advances)
     * @return the future of the number of bytes written
     */
    public CompletableFuture<Integer> write(AioFile file, @Nullable Long offset, ByteBuffer src) {
        return submit(() -> engine.write(file, offset, src));
    }

    /**
     * {@code aio_write} from an array, as IO::AIO spells it.
     *
     * @param file the file
     * @param offset the file offset, or {@code null} for the file's position
     * @param length how many bytes
     * @param data the array
     * @param dataOffset where in {@code data}; negative counts from its end
     * @return the future of the number of bytes written
     */
    public CompletableFuture<Integer> write(AioFile file, @Nullable Long offset, int length, byte[] data, int dataOffset) {
        return submit(() -> engine.write(file, offset, length, data, dataOffset));
    }

    /**
     * {@code aio_sendfile}: copies {@code length} bytes of {@code in} from {@code inOffset} to {@code out}.
     *
     * @param out the destination (written at its position)
     * @param in the source
     * @param inOffset where to read in {@code in}
     * @param length how many bytes
     * @return the future of the number of bytes written (may be fewer)
     */
    public CompletableFuture<Long> sendfile(AioFile out, AioFile in, long inOffset, long length) {
        return submit(() -> engine.sendfile(out, in, inOffset, length));
    }

    /**
     * {@code aio_readahead}: populates the page cache with a range of the file.
     *
     * @param file the file
     * @param offset start
     * @param length bytes
     * @return the future
     */
    public CompletableFuture<Void> readahead(AioFile file, long offset, long length) {
        return submit(() -> engine.readahead(file, offset, length));
    }

    /**
     * {@code posix_fadvise(2)} (IO::AIO's {@code fadvise}): how a range of the file will be accessed;
     * ENOSYS on the portable backend (see {@link AioEngine#fadvise(AioFile, long, long, int)}).
     *
     * @param file the file
     * @param offset start
     * @param length bytes; 0 for the rest of the file
     * @param advice one of {@code AioConstants.POSIX_FADV_*}
     * @return the future
     */
    public CompletableFuture<Void> fadvise(AioFile file, long offset, long length, int advice) {
        return submit(() -> engine.fadvise(file, offset, length, advice));
    }

    /**
     * {@code aio_slurp}: opens, reads and closes a file in one request.
     *
     * @param path the file
     * @param offset where to start; negative counts from the end
     * @param length how many bytes; 0 for the rest of the file
     * @return the future of the bytes, as a buffer ready to read
     */
    public CompletableFuture<ByteBuffer> slurp(String path, long offset, long length) {
        return onPath("slurp", path, true, p -> engine.slurp(p, offset, length));
    }

    /**
     * {@code aio_slurp}: opens, reads and closes a file in one request.
     *
     * @param path the file
     * @param offset where to start; negative counts from the end
     * @param length how many bytes; 0 for the rest of the file
     * @return the future of the bytes, as a buffer ready to read
     */
    public CompletableFuture<ByteBuffer> slurp(Path path, long offset, long length) {
        return onPath("slurp", path, true, p -> engine.slurp(p, offset, length));
    }

    /** {@code aio_load}: the whole file's contents. */
    public CompletableFuture<byte[]> load(String path) {
        return onPath("load", path, true, engine::load);
    }

    /** {@code aio_load}: the whole file's contents. */
    public CompletableFuture<byte[]> load(Path path) {
        return onPath("load", path, true, engine::load);
    }

    // ------------------------------------------------------------------------------------------
    // Metadata
    // ------------------------------------------------------------------------------------------

    /** {@code aio_stat} of a path, following symbolic links. */
    public CompletableFuture<FileStat> stat(String path) {
        return onPath("stat", path, true, engine::stat);
    }

    /** {@code aio_stat} of a path, following symbolic links. */
    public CompletableFuture<FileStat> stat(Path path) {
        return onPath("stat", path, true, engine::stat);
    }

    /** {@code aio_stat} of an open file ({@code fstat}). */
    public CompletableFuture<FileStat> stat(AioFile file) {
        return submit(() -> engine.stat(file));
    }

    /** {@code aio_lstat}: a symbolic link is reported itself. */
    public CompletableFuture<FileStat> lstat(String path) {
        return onPath("lstat", path, false, engine::lstat);
    }

    /** {@code aio_lstat}: a symbolic link is reported itself. */
    public CompletableFuture<FileStat> lstat(Path path) {
        return onPath("lstat", path, false, engine::lstat);
    }

    /**
     * {@code statx(2)}: the status with the fields {@code mask} asks for, the birth time included
     * where the backend and file system report it (see {@link AioEngine#statx(Path, int, int)}).
     *
     * @param path the path
     * @param flags 0, {@code AT_SYMLINK_NOFOLLOW}, {@code AT_NO_AUTOMOUNT}, {@code AT_STATX_*}
     * @param mask {@code STATX_*} bits
     * @return the future of the status
     */
    public CompletableFuture<FileStat> statx(String path, int flags, int mask) {
        return onPath("statx", path, (flags & AioConstants.AT_SYMLINK_NOFOLLOW) == 0, p -> engine.statx(p, flags, mask));
    }

    /**
     * {@code statx(2)} of a path (see {@link #statx(String, int, int)}).
     *
     * @param path the path
     * @param flags 0, {@code AT_SYMLINK_NOFOLLOW}, {@code AT_NO_AUTOMOUNT}, {@code AT_STATX_*}
     * @param mask {@code STATX_*} bits
     * @return the future of the status
     */
    public CompletableFuture<FileStat> statx(Path path, int flags, int mask) {
        return onPath("statx", path, (flags & AioConstants.AT_SYMLINK_NOFOLLOW) == 0, p -> engine.statx(p, flags, mask));
    }

    /**
     * {@code statx(2)} of an open file.
     *
     * @param file the file
     * @param flags 0 or {@code AT_STATX_*}
     * @param mask {@code STATX_*} bits
     * @return the future of the status
     */
    public CompletableFuture<FileStat> statx(AioFile file, int flags, int mask) {
        return submit(() -> engine.statx(file, flags, mask));
    }

    /** {@code aio_statvfs} of the filesystem holding a path. */
    public CompletableFuture<StatVfs> statvfs(String path) {
        return onPath("statvfs", path, true, engine::statvfs);
    }

    /** {@code aio_statvfs} of the filesystem holding a path. */
    public CompletableFuture<StatVfs> statvfs(Path path) {
        return onPath("statvfs", path, true, engine::statvfs);
    }

    /** {@code aio_statvfs} of the filesystem holding an open file ({@code fstatvfs}). */
    public CompletableFuture<StatVfs> statvfs(AioFile file) {
        return submit(() -> engine.statvfs(file));
    }

    /**
     * {@code aio_utime}: sets access and modification times (fractional seconds since the epoch;
     * both {@code null} = now).
     *
     * @param path the path
     * @param atime access time, or {@code null}
     * @param mtime modification time, or {@code null}
     * @return the future
     */
    public CompletableFuture<Void> utime(String path, @Nullable Double atime, @Nullable Double mtime) {
        return onPath("utime", path, true, p -> engine.utime(p, atime, mtime));
    }

    /**
     * {@code aio_utime}: sets access and modification times (both {@code null} = now).
     *
     * @param path the path
     * @param atime access time, or {@code null}
     * @param mtime modification time, or {@code null}
     * @return the future
     */
    public CompletableFuture<Void> utime(Path path, @Nullable Double atime, @Nullable Double mtime) {
        return onPath("utime", path, true, p -> engine.utime(p, atime, mtime));
    }

    /**
     * {@code aio_utime} of an open file ({@code futimens}).
     *
     * @param file the file
     * @param atime access time, or {@code null}
     * @param mtime modification time, or {@code null}
     * @return the future
     */
    public CompletableFuture<Void> utime(AioFile file, @Nullable Double atime, @Nullable Double mtime) {
        return submit(() -> engine.utime(file, atime, mtime));
    }

    /**
     * {@code aio_chown}: changes owner and group ({@code null} or -1 leaves one unchanged).
     *
     * @param path the path
     * @param uid the user id, or {@code null}
     * @param gid the group id, or {@code null}
     * @return the future
     */
    public CompletableFuture<Void> chown(String path, @Nullable Integer uid, @Nullable Integer gid) {
        return onPath("chown", path, true, p -> engine.chown(p, uid, gid));
    }

    /**
     * {@code aio_chown}: changes owner and group ({@code null} or -1 leaves one unchanged).
     *
     * @param path the path
     * @param uid the user id, or {@code null}
     * @param gid the group id, or {@code null}
     * @return the future
     */
    public CompletableFuture<Void> chown(Path path, @Nullable Integer uid, @Nullable Integer gid) {
        return onPath("chown", path, true, p -> engine.chown(p, uid, gid));
    }

    /**
     * {@code aio_chown} of an open file ({@code fchown}).
     *
     * @param file the file
     * @param uid the user id, or {@code null}
     * @param gid the group id, or {@code null}
     * @return the future
     */
    public CompletableFuture<Void> chown(AioFile file, @Nullable Integer uid, @Nullable Integer gid) {
        return submit(() -> engine.chown(file, uid, gid));
    }

    /** {@code aio_chmod}: changes the permission bits. */
    public CompletableFuture<Void> chmod(String path, int mode) {
        return onPath("chmod", path, true, p -> engine.chmod(p, mode));
    }

    /** {@code aio_chmod}: changes the permission bits. */
    public CompletableFuture<Void> chmod(Path path, int mode) {
        return onPath("chmod", path, true, p -> engine.chmod(p, mode));
    }

    /** {@code aio_chmod} of an open file ({@code fchmod}). */
    public CompletableFuture<Void> chmod(AioFile file, int mode) {
        return submit(() -> engine.chmod(file, mode));
    }

    /** {@code aio_truncate}: sets the file's length. */
    public CompletableFuture<Void> truncate(String path, long length) {
        return onPath("truncate", path, true, p -> engine.truncate(p, length));
    }

    /** {@code aio_truncate}: sets the file's length. */
    public CompletableFuture<Void> truncate(Path path, long length) {
        return onPath("truncate", path, true, p -> engine.truncate(p, length));
    }

    /** {@code aio_truncate} of an open file ({@code ftruncate}). */
    public CompletableFuture<Void> truncate(AioFile file, long length) {
        return submit(() -> engine.truncate(file, length));
    }

    /**
     * {@code aio_allocate}: {@code fallocate(2)}.
     *
     * @param file the file
     * @param mode 0 or {@code FALLOC_FL_*} flags
     * @param offset start
     * @param length bytes
     * @return the future
     */
    public CompletableFuture<Void> allocate(AioFile file, int mode, long offset, long length) {
        return submit(() -> engine.allocate(file, mode, offset, length));
    }

    // ------------------------------------------------------------------------------------------
    // Names
    // ------------------------------------------------------------------------------------------

    /** {@code aio_unlink}: removes a name (a symbolic link itself, not its target). */
    public CompletableFuture<Void> unlink(String path) {
        return onPath("unlink", path, false, engine::unlink);
    }

    /** {@code aio_unlink}: removes a name (a symbolic link itself, not its target). */
    public CompletableFuture<Void> unlink(Path path) {
        return onPath("unlink", path, false, engine::unlink);
    }

    /**
     * {@code aio_mknod}: creates a FIFO or a device node.
     *
     * @param path the path
     * @param mode {@code S_IF*} type bits and permission bits
     * @param dev the device number, 0 for a FIFO
     * @return the future
     */
    public CompletableFuture<Void> mknod(String path, int mode, long dev) {
        return onPath("mknod", path, false, p -> engine.mknod(p, mode, dev));
    }

    /**
     * {@code aio_mknod}: creates a FIFO or a device node.
     *
     * @param path the path
     * @param mode {@code S_IF*} type bits and permission bits
     * @param dev the device number, 0 for a FIFO
     * @return the future
     */
    public CompletableFuture<Void> mknod(Path path, int mode, long dev) {
        return onPath("mknod", path, false, p -> engine.mknod(p, mode, dev));
    }

    /** {@code aio_link}: a new hard link {@code dst} to the existing {@code src}. */
    public CompletableFuture<Void> link(String src, String dst) {
        return onPaths("link", src, dst, engine::link);
    }

    /** {@code aio_link}: a new hard link {@code dst} to the existing {@code src}. */
    public CompletableFuture<Void> link(Path src, Path dst) {
        return onPaths("link", src, dst, engine::link);
    }

    /**
     * {@code aio_symlink}: a symbolic link {@code dst} whose target is {@code src}, stored verbatim.
     * Under a jail the target must point inside the root too.
     *
     * @param src the link's target
     * @param dst the new link
     * @return the future
     */
    public CompletableFuture<Void> symlink(String src, String dst) {
        return onSymlink(src, dst);
    }

    /**
     * {@code aio_symlink}: a symbolic link {@code dst} whose target is {@code src}, stored verbatim.
     * Under a jail the target must point inside the root too.
     *
     * @param src the link's target
     * @param dst the new link
     * @return the future
     */
    public CompletableFuture<Void> symlink(Path src, Path dst) {
        return onSymlink(src, dst);
    }

    /** {@code aio_readlink}: a symbolic link's target, as stored. */
    public CompletableFuture<Path> readlink(String path) {
        return onPath("readlink", path, false, engine::readlink);
    }

    /** {@code aio_readlink}: a symbolic link's target, as stored. */
    public CompletableFuture<Path> readlink(Path path) {
        return onPath("readlink", path, false, engine::readlink);
    }

    /** {@code aio_realpath}: the absolute path with every symbolic link resolved. */
    public CompletableFuture<Path> realpath(String path) {
        return onPath("realpath", path, true, engine::realpath);
    }

    /** {@code aio_realpath}: the absolute path with every symbolic link resolved. */
    public CompletableFuture<Path> realpath(Path path) {
        return onPath("realpath", path, true, engine::realpath);
    }

    /** {@code aio_rename}: renames {@code src} to {@code dst}, replacing it. */
    public CompletableFuture<Void> rename(String src, String dst) {
        return onPaths("rename", src, dst, engine::rename);
    }

    /** {@code aio_rename}: renames {@code src} to {@code dst}, replacing it. */
    public CompletableFuture<Void> rename(Path src, Path dst) {
        return onPaths("rename", src, dst, engine::rename);
    }

    /**
     * {@code aio_rename2}: rename with {@code RENAME_*} flags.
     *
     * @param src the existing path
     * @param dst the new path
     * @param flags {@code RENAME_NOREPLACE}, {@code RENAME_EXCHANGE}, or 0
     * @return the future
     */
    public CompletableFuture<Void> rename2(String src, String dst, int flags) {
        return onPaths("rename2", src, dst, (a, b) -> engine.rename2(a, b, flags));
    }

    /**
     * {@code aio_rename2}: rename with {@code RENAME_*} flags.
     *
     * @param src the existing path
     * @param dst the new path
     * @param flags {@code RENAME_NOREPLACE}, {@code RENAME_EXCHANGE}, or 0
     * @return the future
     */
    public CompletableFuture<Void> rename2(Path src, Path dst, int flags) {
        return onPaths("rename2", src, dst, (a, b) -> engine.rename2(a, b, flags));
    }

    /** {@code aio_mkdir}: creates a directory ({@code mode} minus the umask). */
    public CompletableFuture<Void> mkdir(String path, int mode) {
        return onPath("mkdir", path, false, p -> engine.mkdir(p, mode));
    }

    /** {@code aio_mkdir}: creates a directory ({@code mode} minus the umask). */
    public CompletableFuture<Void> mkdir(Path path, int mode) {
        return onPath("mkdir", path, false, p -> engine.mkdir(p, mode));
    }

    /** {@code aio_rmdir}: removes an empty directory. */
    public CompletableFuture<Void> rmdir(String path) {
        return onPath("rmdir", path, false, engine::rmdir);
    }

    /** {@code aio_rmdir}: removes an empty directory. */
    public CompletableFuture<Void> rmdir(Path path) {
        return onPath("rmdir", path, false, engine::rmdir);
    }

    // ------------------------------------------------------------------------------------------
    // Working directories
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_wd}: opens a working directory to use with {@link AioEngine#in}; the caller's to close.
     *
     * @param dir the directory
     * @return the future of the working directory
     */
    public CompletableFuture<AioWorkingDirectory> wd(String dir) {
        return onPath("wd", dir, true, engine::wd);
    }

    /**
     * {@code aio_wd}: opens a working directory to use with {@link AioEngine#in}; the caller's to close.
     *
     * @param dir the directory
     * @return the future of the working directory
     */
    public CompletableFuture<AioWorkingDirectory> wd(Path dir) {
        return onPath("wd", dir, true, engine::wd);
    }

    /**
     * Opens an engine jail ({@link AioEngine#jail(Path)}): a working directory that no path resolved
     * through it may leave, checked by the engine as each request executes.
     *
     * @param dir the directory
     * @return the future of the jail (the caller's to close)
     */
    public CompletableFuture<AioWorkingDirectory> jail(String dir) {
        return onPath("jail", dir, true, engine::jail);
    }

    /**
     * Opens an engine jail ({@link AioEngine#jail(Path)}).
     *
     * @param dir the directory
     * @return the future of the jail (the caller's to close)
     */
    public CompletableFuture<AioWorkingDirectory> jail(Path dir) {
        return onPath("jail", dir, true, engine::jail);
    }

    // ------------------------------------------------------------------------------------------
    // Directories and trees
    // ------------------------------------------------------------------------------------------

    /** {@code aio_readdir}: a directory's names, without {@code .} and {@code ..}. */
    public CompletableFuture<List<Path>> readdir(String path) {
        return onPath("readdir", path, true, engine::readdir);
    }

    /** {@code aio_readdir}: a directory's names, without {@code .} and {@code ..}. */
    public CompletableFuture<List<Path>> readdir(Path path) {
        return onPath("readdir", path, true, engine::readdir);
    }

    /**
     * {@code aio_readdirx}: readdir with {@code READDIR_*} flags (types, inodes, order).
     *
     * @param path the directory
     * @param flags {@code READDIR_DENTS}, {@code READDIR_DIRS_FIRST}, {@code READDIR_STAT_ORDER}, ORed
     * @return the future of the entries and flags
     */
    public CompletableFuture<DirListing> readdirx(String path, int flags) {
        return onPath("readdirx", path, true, p -> engine.readdirx(p, flags));
    }

    /**
     * {@code aio_readdirx}: readdir with {@code READDIR_*} flags (types, inodes, order).
     *
     * @param path the directory
     * @param flags {@code READDIR_*} flags, ORed
     * @return the future of the entries and flags
     */
    public CompletableFuture<DirListing> readdirx(Path path, int flags) {
        return onPath("readdirx", path, true, p -> engine.readdirx(p, flags));
    }

    /**
     * {@code aio_scandir}: a directory's entries split into directories and the rest.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the future of the split names
     */
    public CompletableFuture<DirScan> scandir(String path, int maxreq) {
        return onPath("scandir", path, true, p -> engine.scandir(p, maxreq));
    }

    /**
     * {@code aio_scandir}: a directory's entries split into directories and the rest.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the future of the split names
     */
    public CompletableFuture<DirScan> scandir(Path path, int maxreq) {
        return onPath("scandir", path, true, p -> engine.scandir(p, maxreq));
    }

    /** {@code aio_rmtree}: deletes a directory tree, never following a symbolic link. */
    public CompletableFuture<Void> rmtree(String path) {
        return onPath("rmtree", path, false, engine::rmtree);
    }

    /** {@code aio_rmtree}: deletes a directory tree, never following a symbolic link. */
    public CompletableFuture<Void> rmtree(Path path) {
        return onPath("rmtree", path, false, engine::rmtree);
    }

    /** {@code aio_copy}: copies a file (a source symlink is followed); a failed copy leaves no destination. */
    public CompletableFuture<Void> copy(String src, String dst) {
        return onPaths("copy", src, true, dst, engine::copy);
    }

    /** {@code aio_copy}: copies a file (a source symlink is followed); a failed copy leaves no destination. */
    public CompletableFuture<Void> copy(Path src, Path dst) {
        return onPaths("copy", src, true, dst, engine::copy);
    }

    /** {@code aio_move}: renames, or copies and unlinks across file systems. */
    public CompletableFuture<Void> move(String src, String dst) {
        return onPaths("move", src, dst, engine::move);
    }

    /** {@code aio_move}: renames, or copies and unlinks across file systems. */
    public CompletableFuture<Void> move(Path src, Path dst) {
        return onPaths("move", src, dst, engine::move);
    }

    /** Copies a directory tree as {@code cp -a} would ({@link AioEngine#copyTree(Path, Path)}). */
    public CompletableFuture<Void> copyTree(String src, String dst) {
        return onPaths("copytree", src, dst, engine::copyTree);
    }

    /** Copies a directory tree as {@code cp -a} would ({@link AioEngine#copyTree(Path, Path)}). */
    public CompletableFuture<Void> copyTree(Path src, Path dst) {
        return onPaths("copytree", src, dst, engine::copyTree);
    }

    // ------------------------------------------------------------------------------------------
    // Sync
    // ------------------------------------------------------------------------------------------

    /** {@code aio_fsync}: flushes the file's data and metadata to the device. */
    public CompletableFuture<Void> fsync(AioFile file) {
        return submit(() -> engine.fsync(file));
    }

    /** {@code aio_fdatasync}: flushes the file's data. */
    public CompletableFuture<Void> fdatasync(AioFile file) {
        return submit(() -> engine.fdatasync(file));
    }

    /** {@code aio_syncfs}: syncs the filesystem the file is on. */
    public CompletableFuture<Void> syncfs(AioFile file) {
        return submit(() -> engine.syncfs(file));
    }

    /**
     * {@code aio_sync_file_range}: syncs part of the file's data.
     *
     * @param file the file
     * @param offset start
     * @param nbytes bytes (0 = to the end)
     * @param flags {@code SYNC_FILE_RANGE_*} flags
     * @return the future
     */
    public CompletableFuture<Void> syncFileRange(AioFile file, long offset, long nbytes, int flags) {
        return submit(() -> engine.syncFileRange(file, offset, nbytes, flags));
    }

    /** {@code aio_pathsync}: opens the path, fsyncs and closes it. */
    public CompletableFuture<Void> pathsync(String path) {
        return onPath("pathsync", path, true, engine::pathsync);
    }

    /** {@code aio_pathsync}: opens the path, fsyncs and closes it. */
    public CompletableFuture<Void> pathsync(Path path) {
        return onPath("pathsync", path, true, engine::pathsync);
    }

    /** {@code aio_sync}: {@code sync(2)} of every filesystem. */
    public CompletableFuture<Void> sync() {
        return submit(engine::sync);
    }

    /**
     * {@code aio_msync}: {@code msync(2)} of part of a mapped buffer.
     *
     * @param buffer a buffer from {@code FileChannel.map}
     * @param offset start in the buffer
     * @param length bytes, or {@code null} for the rest
     * @param flags {@code MS_*} flags
     * @return the future
     */
    public CompletableFuture<Void> msync(MappedByteBuffer buffer, long offset, @Nullable Long length, int flags) {
        return submit(() -> engine.msync(buffer, offset, length, flags));
    }

    /**
     * {@code aio_mtouch}: touches every page of part of a buffer.
     *
     * @param buffer the buffer
     * @param offset start
     * @param length bytes, or {@code null} for the rest
     * @param flags 0 or {@code MT_MODIFY}
     * @return the future
     */
    public CompletableFuture<Void> mtouch(ByteBuffer buffer, long offset, @Nullable Long length, int flags) {
        return submit(() -> engine.mtouch(buffer, offset, length, flags));
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    /** A request on one path: resolved (and jailed) first; a refusal is a failed future, nothing queued. */
    private <T> CompletableFuture<T> onPath(String op, Object path, boolean followLast, Function<Path, ? extends CompletableFuture<T>> call) {
        requirePath(path);
        Path p;
        try {
            p = jailed(op, path, followLast);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> call.apply(p));
    }

    /** A request on two paths, neither of which follows a symbolic link in its last component. */
    private <T> CompletableFuture<T> onPaths(String op, Object src, Object dst, BiFunction<Path, Path, ? extends CompletableFuture<T>> call) {
        return onPaths(op, src, false, dst, call);
    }

    /** A request on two paths; only {@code src} may follow a symbolic link in its last component. */
    private <T> CompletableFuture<T> onPaths(String op, Object src, boolean followSrc, Object dst,
            BiFunction<Path, Path, ? extends CompletableFuture<T>> call) {
        requirePath(src);
        requirePath(dst);
        Path a;
        Path b;
        try {
            a = jailed(op, src, followSrc);
            b = jailed(op, dst, false);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> call.apply(a, b));
    }

    private CompletableFuture<Void> onSymlink(Object target, Object link) {
        requirePath(target);
        requirePath(link);
        Path t;
        Path l;
        try {
            l = jailed("symlink", link, false);
            if (jail != null) {
                jail.checkLinkTarget("symlink", target.toString(), l);
            }
            t = target instanceof Path tp ? tp : plainPath("symlink", (String) target);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> engine.symlink(t, l));
    }

    private Path jailed(String op, Object path, boolean followLast) throws AioException {
        PathJail j = jail;
        if (path instanceof Path p) {
            return j == null ? p : j.resolve(op, p, followLast);
        }
        String s = (String) path;
        return j == null ? plainPath(op, s) : j.resolve(op, s, followLast);
    }

    /** A path without a jail; a NUL character fails with ENOENT, as the engine and Perl report it. */
    private static Path plainPath(String op, String path) throws AioException {
        if (path.indexOf('\0') >= 0) {
            throw new AioException(Errno.ENOENT.code(), op, path);
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new AioException(Errno.ENOENT.code(), op, path, e);
        }
    }

    /** Whether {@code open} with these flags follows a symbolic link in the last component. */
    private static boolean followsOpen(int flags) {
        if ((flags & AioConstants.O_NOFOLLOW) != 0) {
            return false;
        }
        return (flags & (AioConstants.O_CREAT | AioConstants.O_EXCL)) != (AioConstants.O_CREAT | AioConstants.O_EXCL);
    }

    /** Submits with this view's priority and deadline; on a failed submission they are reset. */
    private <R> R submit(Supplier<R> submission) {
        int pri = priority;
        Duration t = timeout;
        if (pri == NO_PRIORITY && t == null) {
            return submission.get();
        }
        int previous = pri == NO_PRIORITY ? 0 : engine.pri(pri);
        if (t != null) {
            engine.timeout(t);
        }
        boolean submitted = false;
        try {
            R r = submission.get();
            submitted = true;
            return r;
        } finally {
            if (!submitted) {
                if (pri != NO_PRIORITY) {
                    engine.pri(previous);
                }
                if (t != null) {
                    engine.timeout(null);
                }
            }
        }
    }

    private static void requirePath(@Nullable Object path) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
    }

    /** A group's future: cancelling it cancels the group. */
    private static final class GroupFuture extends CompletableFuture<Object> {

        volatile @Nullable AioGroup group;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            AioGroup g = group;
            if (g != null) {
                g.cancel();
            }
            return super.cancel(mayInterruptIfRunning);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    @Override
    public String toString() {
        return "AioTemplate[" + engine + (jail == null ? "" : ", root=" + jail.root())
                + (priority == NO_PRIORITY ? "" : ", pri=" + priority) + (timeout == null ? "" : ", timeout=" + timeout) + "]";
    }
}
