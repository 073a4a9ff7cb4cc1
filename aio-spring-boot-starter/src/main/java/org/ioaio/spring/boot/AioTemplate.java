package org.ioaio.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <p><b>Paths.</b> With {@code aio.root} set, the template holds the engine's jail of that directory
 * ({@link AioWorkingDirectory#jail(Path)}, opened once, when the template is made) and submits every
 * request through the engine's view of it ({@link AioEngine#in(AioWorkingDirectory)}, {@link
 * #view()}): each path is resolved beneath the root by the engine, on the worker, when the request
 * executes (by the kernel, {@code openat2(RESOLVE_BENEATH)}, on the native backend; component by
 * component through directory descriptors on the portable one). A path that would leave the root
 * ({@code ..} climbing above it, a symbolic link leading out, absolute or relative, even one swapped
 * in while the request waits) fails the future with an {@link AioException} whose errno is {@link
 * org.ioaio.Errno#EXDEV EXDEV}. The submitting thread makes no filesystem call: it only maps an
 * absolute path whose leading components are the root's (as configured, or its canonical path) to
 * the same path relative to the root, lexically; any other absolute path fails the future with
 * EXDEV at the call, nothing queued. Without a root, paths go to the engine as given (relative
 * ones against the process's working directory). A NUL character fails with ENOENT, as the
 * engine reports it.
 *
 * <p><b>Bad arguments</b> (null, negative lengths, a closed engine) throw at the call, as the
 * engine's do: {@link IllegalArgumentException}, {@link IllegalStateException}.
 *
 * <p><b>Priority and deadline.</b> {@link #withPriority(int)} and {@link #withTimeout(Duration)}
 * return views whose requests carry IO::AIO's {@code aioreq_pri} and a queueing deadline. The
 * engine keeps both per thread for the next request ({@link AioEngine#pri(int)}, {@link
 * AioEngine#timeout(Duration)}), so a view sets them just before it submits and restores them if
 * the submission throws.
 *
 * <p><b>Closing.</b> A template made with a root owns its jail: {@link #close()} releases it (the
 * auto-configured bean is closed with the context, after the engine has drained). Views share it.
 */
public class AioTemplate implements AutoCloseable {

    private static final int NO_PRIORITY = Integer.MIN_VALUE;
    private static final Path DOT = Path.of(".");

    private final AioEngine engine;
    /** Where every request goes: {@code engine.in(jail)} under a root, else the engine itself. */
    private final AioEngine view;
    private final @Nullable Jail jail;
    /** Whether this template opened the jail (and closes it), rather than being a view of one that did. */
    private final boolean owner;
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
     * A template jailed in {@code root}: opens the engine's jail of it now (a blocking call, made
     * once, on the calling thread) and submits every request through it; {@link #close()} releases it.
     *
     * @param engine the engine
     * @param root an existing directory, or {@code null} for no jail
     * @throws UncheckedIOException if the jail cannot be opened (its cause is the {@link
     *     AioException}: ENOENT, ENOTDIR, EACCES...)
     */
    public AioTemplate(AioEngine engine, @Nullable Path root) {
        this(requireEngine(engine), root == null ? null : Jail.open(root), true, NO_PRIORITY, null);
    }

    private AioTemplate(AioEngine engine, @Nullable Jail jail, boolean owner, int priority, @Nullable Duration timeout) {
        this.engine = requireEngine(engine);
        this.jail = jail;
        this.view = jail == null ? engine : engine.in(jail.wd());
        this.owner = owner;
        this.priority = priority;
        this.timeout = timeout;
    }

    private static AioEngine requireEngine(@Nullable AioEngine engine) {
        if (engine == null) {
            throw new IllegalArgumentException("engine must not be null");
        }
        return engine;
    }

    /** The engine behind this template (itself, not jailed: paths given to it are not confined to the root). */
    public AioEngine engine() {
        return engine;
    }

    /**
     * The engine view every request of this template goes through: under a root, {@code
     * engine().in(jail)}, whose paths are relative to the root and resolved beneath it by the engine
     * (see {@link #relativize(String)}); without one, the engine itself.
     *
     * @return the view (closing it does nothing)
     */
    public AioEngine view() {
        return view;
    }

    /** The jail directory (absolute, normalized, as configured), if any. */
    public Optional<Path> root() {
        return jail == null ? Optional.empty() : Optional.of(jail.root());
    }

    /**
     * A view of this template whose requests have priority {@code pri} (IO::AIO's {@code aioreq_pri}).
     *
     * @param pri -4 (lowest) to 4 (highest); out-of-range values are clamped by the engine
     * @return the view (sharing this template's jail)
     */
    public AioTemplate withPriority(int pri) {
        return new AioTemplate(engine, jail, false, Math.max(-4, Math.min(4, pri)), timeout);
    }

    /**
     * A view of this template whose requests time out (ETIMEDOUT, the future failing with a {@link
     * java.util.concurrent.TimeoutException}) if still queued after {@code timeout}.
     *
     * @param timeout a positive duration, or {@code null} for none
     * @return the view (sharing this template's jail)
     */
    public AioTemplate withTimeout(@Nullable Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new AioTemplate(engine, jail, false, priority, timeout);
    }

    /**
     * The path this template hands to {@link #view()} for {@code path}, for callers that submit
     * requests to the view themselves: under a root, a relative path unchanged (the engine resolves
     * it beneath the root when the request runs; the empty path is the root itself, {@code .}) and
     * an absolute path under the root made relative to it, lexically; no filesystem call. Without a
     * root, the path as given.
     *
     * @param path the path
     * @return the path for {@link #view()}
     * @throws AioException EXDEV for an absolute path outside the root; ENOENT for a NUL character
     */
    public Path relativize(String path) throws AioException {
        requirePath(path);
        return toView("relativize", path);
    }

    /**
     * The path this template hands to {@link #view()} for {@code path} (see {@link #relativize(String)}).
     *
     * @param path the path
     * @return the path for {@link #view()}
     * @throws AioException EXDEV for an absolute path outside the root
     */
    public Path relativize(Path path) throws AioException {
        requirePath(path);
        return toView("relativize", path);
    }

    /**
     * Releases the jail this template opened: requests through it afterwards fail with EBADF. A view
     * ({@link #withPriority}, {@link #withTimeout}) and a template without a root have nothing to
     * release. Idempotent.
     */
    @Override
    public void close() {
        if (owner && jail != null) {
            jail.wd().close();
        }
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
        return onText("open", path, p -> view.open(p, flags, mode));
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
        return onPath("open", path, p -> view.open(p, flags, mode));
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
        return onText("slurp", path, p -> view.slurp(p, offset, length));
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
        return onPath("slurp", path, p -> view.slurp(p, offset, length));
    }

    /** {@code aio_load}: the whole file's contents. */
    public CompletableFuture<byte[]> load(String path) {
        return onText("load", path, view::load);
    }

    /** {@code aio_load}: the whole file's contents. */
    public CompletableFuture<byte[]> load(Path path) {
        return onPath("load", path, view::load);
    }

    // ------------------------------------------------------------------------------------------
    // Metadata
    // ------------------------------------------------------------------------------------------

    /** {@code aio_stat} of a path, following symbolic links. */
    public CompletableFuture<FileStat> stat(String path) {
        return onText("stat", path, view::stat);
    }

    /** {@code aio_stat} of a path, following symbolic links. */
    public CompletableFuture<FileStat> stat(Path path) {
        return onPath("stat", path, view::stat);
    }

    /** {@code aio_stat} of an open file ({@code fstat}). */
    public CompletableFuture<FileStat> stat(AioFile file) {
        return submit(() -> engine.stat(file));
    }

    /** {@code aio_lstat}: a symbolic link is reported itself. */
    public CompletableFuture<FileStat> lstat(String path) {
        return onText("lstat", path, view::lstat);
    }

    /** {@code aio_lstat}: a symbolic link is reported itself. */
    public CompletableFuture<FileStat> lstat(Path path) {
        return onPath("lstat", path, view::lstat);
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
        return onText("statx", path, p -> view.statx(p, flags, mask));
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
        return onPath("statx", path, p -> view.statx(p, flags, mask));
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
        return onText("statvfs", path, view::statvfs);
    }

    /** {@code aio_statvfs} of the filesystem holding a path. */
    public CompletableFuture<StatVfs> statvfs(Path path) {
        return onPath("statvfs", path, view::statvfs);
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
        return onText("utime", path, p -> view.utime(p, atime, mtime));
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
        return onPath("utime", path, p -> view.utime(p, atime, mtime));
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
        return onText("chown", path, p -> view.chown(p, uid, gid));
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
        return onPath("chown", path, p -> view.chown(p, uid, gid));
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
        return onText("chmod", path, p -> view.chmod(p, mode));
    }

    /** {@code aio_chmod}: changes the permission bits. */
    public CompletableFuture<Void> chmod(Path path, int mode) {
        return onPath("chmod", path, p -> view.chmod(p, mode));
    }

    /** {@code aio_chmod} of an open file ({@code fchmod}). */
    public CompletableFuture<Void> chmod(AioFile file, int mode) {
        return submit(() -> engine.chmod(file, mode));
    }

    /** {@code aio_truncate}: sets the file's length. */
    public CompletableFuture<Void> truncate(String path, long length) {
        return onText("truncate", path, p -> view.truncate(p, length));
    }

    /** {@code aio_truncate}: sets the file's length. */
    public CompletableFuture<Void> truncate(Path path, long length) {
        return onPath("truncate", path, p -> view.truncate(p, length));
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
        return onText("unlink", path, view::unlink);
    }

    /** {@code aio_unlink}: removes a name (a symbolic link itself, not its target). */
    public CompletableFuture<Void> unlink(Path path) {
        return onPath("unlink", path, view::unlink);
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
        return onText("mknod", path, p -> view.mknod(p, mode, dev));
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
        return onPath("mknod", path, p -> view.mknod(p, mode, dev));
    }

    /** {@code aio_link}: a new hard link {@code dst} to the existing {@code src}. */
    public CompletableFuture<Void> link(String src, String dst) {
        return onTexts("link", src, dst, view::link);
    }

    /** {@code aio_link}: a new hard link {@code dst} to the existing {@code src}. */
    public CompletableFuture<Void> link(Path src, Path dst) {
        return onPaths("link", src, dst, view::link);
    }

    /**
     * {@code aio_symlink}: a symbolic link {@code dst} whose target is {@code src}, stored verbatim.
     * Under a root, the target is stored as given too; no request of this template follows a link out
     * of the root (EXDEV).
     *
     * @param src the link's target
     * @param dst the new link
     * @return the future
     */
    public CompletableFuture<Void> symlink(String src, String dst) {
        requirePath(src);
        return onText("symlink", dst, link -> view.symlink(src, link));
    }

    /**
     * {@code aio_symlink}: a symbolic link {@code dst} whose target is {@code src}, stored verbatim.
     * Under a root, the target is stored as given too; no request of this template follows a link out
     * of the root (EXDEV).
     *
     * @param src the link's target
     * @param dst the new link
     * @return the future
     */
    public CompletableFuture<Void> symlink(Path src, Path dst) {
        return onSymlink(src, dst);
    }

    /** {@code aio_readlink}: a symbolic link's target exactly as stored (a trailing slash and {@code //} kept). */
    public CompletableFuture<String> readlink(String path) {
        return onText("readlink", path, view::readlink);
    }

    /** {@code aio_readlink}: a symbolic link's target, as stored. */
    public CompletableFuture<Path> readlink(Path path) {
        return onPath("readlink", path, view::readlink);
    }

    /** {@code aio_realpath}: the absolute path with every symbolic link resolved. */
    public CompletableFuture<Path> realpath(String path) {
        return onText("realpath", path, view::realpath);
    }

    /** {@code aio_realpath}: the absolute path with every symbolic link resolved. */
    public CompletableFuture<Path> realpath(Path path) {
        return onPath("realpath", path, view::realpath);
    }

    /** {@code aio_rename}: renames {@code src} to {@code dst}, replacing it. */
    public CompletableFuture<Void> rename(String src, String dst) {
        return onTexts("rename", src, dst, view::rename);
    }

    /** {@code aio_rename}: renames {@code src} to {@code dst}, replacing it. */
    public CompletableFuture<Void> rename(Path src, Path dst) {
        return onPaths("rename", src, dst, view::rename);
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
        return onTexts("rename2", src, dst, (a, b) -> view.rename2(a, b, flags));
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
        return onPaths("rename2", src, dst, (a, b) -> view.rename2(a, b, flags));
    }

    /** {@code aio_mkdir}: creates a directory ({@code mode} minus the umask). */
    public CompletableFuture<Void> mkdir(String path, int mode) {
        return onText("mkdir", path, p -> view.mkdir(p, mode));
    }

    /** {@code aio_mkdir}: creates a directory ({@code mode} minus the umask). */
    public CompletableFuture<Void> mkdir(Path path, int mode) {
        return onPath("mkdir", path, p -> view.mkdir(p, mode));
    }

    /** {@code aio_rmdir}: removes an empty directory. */
    public CompletableFuture<Void> rmdir(String path) {
        return onText("rmdir", path, view::rmdir);
    }

    /** {@code aio_rmdir}: removes an empty directory. */
    public CompletableFuture<Void> rmdir(Path path) {
        return onPath("rmdir", path, view::rmdir);
    }

    // ------------------------------------------------------------------------------------------
    // Working directories
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_wd}: opens a working directory to use with {@link AioEngine#in}; the caller's to
     * close. Under a root it is opened through the jail, so it is a jail too.
     *
     * @param dir the directory
     * @return the future of the working directory
     */
    public CompletableFuture<AioWorkingDirectory> wd(String dir) {
        return onPath("wd", dir, view::wd);
    }

    /**
     * {@code aio_wd}: opens a working directory to use with {@link AioEngine#in}; the caller's to
     * close. Under a root it is opened through the jail, so it is a jail too.
     *
     * @param dir the directory
     * @return the future of the working directory
     */
    public CompletableFuture<AioWorkingDirectory> wd(Path dir) {
        return onPath("wd", dir, view::wd);
    }

    /**
     * Opens an engine jail ({@link AioEngine#jail(Path)}): a working directory that no path resolved
     * through it may leave, checked by the engine as each request executes. Under a root it is
     * opened through the root's jail.
     *
     * @param dir the directory
     * @return the future of the jail (the caller's to close)
     */
    public CompletableFuture<AioWorkingDirectory> jail(String dir) {
        return onPath("jail", dir, view::jail);
    }

    /**
     * Opens an engine jail ({@link AioEngine#jail(Path)}).
     *
     * @param dir the directory
     * @return the future of the jail (the caller's to close)
     */
    public CompletableFuture<AioWorkingDirectory> jail(Path dir) {
        return onPath("jail", dir, view::jail);
    }

    // ------------------------------------------------------------------------------------------
    // Directories and trees
    // ------------------------------------------------------------------------------------------

    /** {@code aio_readdir}: a directory's names, without {@code .} and {@code ..}. */
    public CompletableFuture<List<Path>> readdir(String path) {
        return onText("readdir", path, view::readdir);
    }

    /** {@code aio_readdir}: a directory's names, without {@code .} and {@code ..}. */
    public CompletableFuture<List<Path>> readdir(Path path) {
        return onPath("readdir", path, view::readdir);
    }

    /**
     * {@code aio_readdirx}: readdir with {@code READDIR_*} flags (types, inodes, order).
     *
     * @param path the directory
     * @param flags {@code READDIR_DENTS}, {@code READDIR_DIRS_FIRST}, {@code READDIR_STAT_ORDER}, ORed
     * @return the future of the entries and flags
     */
    public CompletableFuture<DirListing> readdirx(String path, int flags) {
        return onText("readdirx", path, p -> view.readdirx(p, flags));
    }

    /**
     * {@code aio_readdirx}: readdir with {@code READDIR_*} flags (types, inodes, order).
     *
     * @param path the directory
     * @param flags {@code READDIR_*} flags, ORed
     * @return the future of the entries and flags
     */
    public CompletableFuture<DirListing> readdirx(Path path, int flags) {
        return onPath("readdirx", path, p -> view.readdirx(p, flags));
    }

    /**
     * {@code aio_scandir}: a directory's entries split into directories and the rest.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the future of the split names
     */
    public CompletableFuture<DirScan> scandir(String path, int maxreq) {
        return onPath("scandir", path, p -> view.scandir(p, maxreq));
    }

    /**
     * {@code aio_scandir}: a directory's entries split into directories and the rest.
     *
     * @param path the directory
     * @param maxreq stats in flight at most; 0 or less for 4
     * @return the future of the split names
     */
    public CompletableFuture<DirScan> scandir(Path path, int maxreq) {
        return onPath("scandir", path, p -> view.scandir(p, maxreq));
    }

    /** {@code aio_rmtree}: deletes a directory tree, never following a symbolic link. */
    public CompletableFuture<Void> rmtree(String path) {
        return onPath("rmtree", path, view::rmtree);
    }

    /** {@code aio_rmtree}: deletes a directory tree, never following a symbolic link. */
    public CompletableFuture<Void> rmtree(Path path) {
        return onPath("rmtree", path, view::rmtree);
    }

    /** {@code aio_copy}: copies a file (a source symlink is followed); a failed copy leaves no destination. */
    public CompletableFuture<Void> copy(String src, String dst) {
        return onPaths("copy", src, dst, view::copy);
    }

    /** {@code aio_copy}: copies a file (a source symlink is followed); a failed copy leaves no destination. */
    public CompletableFuture<Void> copy(Path src, Path dst) {
        return onPaths("copy", src, dst, view::copy);
    }

    /** {@code aio_move}: renames, or copies and unlinks across file systems. */
    public CompletableFuture<Void> move(String src, String dst) {
        return onPaths("move", src, dst, view::move);
    }

    /** {@code aio_move}: renames, or copies and unlinks across file systems. */
    public CompletableFuture<Void> move(Path src, Path dst) {
        return onPaths("move", src, dst, view::move);
    }

    /** Copies a directory tree as {@code cp -a} would ({@link AioEngine#copyTree(Path, Path)}). */
    public CompletableFuture<Void> copyTree(String src, String dst) {
        return onPaths("copytree", src, dst, view::copyTree);
    }

    /** Copies a directory tree as {@code cp -a} would ({@link AioEngine#copyTree(Path, Path)}). */
    public CompletableFuture<Void> copyTree(Path src, Path dst) {
        return onPaths("copytree", src, dst, view::copyTree);
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
        return onText("pathsync", path, view::pathsync);
    }

    /** {@code aio_pathsync}: opens the path, fsyncs and closes it. */
    public CompletableFuture<Void> pathsync(Path path) {
        return onPath("pathsync", path, view::pathsync);
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

    /** A request on one path, mapped for the view first; a refusal is a failed future, nothing queued. */
    private <T> CompletableFuture<T> onPath(String op, Object path, Function<Path, ? extends CompletableFuture<T>> call) {
        requirePath(path);
        Path p;
        try {
            p = toView(op, path);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> call.apply(p));
    }

    /** A request on two paths, both mapped for the view first. */
    private <T> CompletableFuture<T> onPaths(String op, Object src, Object dst, BiFunction<Path, Path, ? extends CompletableFuture<T>> call) {
        requirePath(src);
        requirePath(dst);
        Path a;
        Path b;
        try {
            a = toView(op, src);
            b = toView(op, dst);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> call.apply(a, b));
    }

    /**
     * {@code symlink}: the new link is mapped for the view; the target is data, stored as given. A
     * target leading out of the root is not refused here: no request through the jail follows it
     * (EXDEV when it is used), which a look at the target now could not promise anyway, since the
     * link may later be renamed elsewhere in the root.
     */
    private CompletableFuture<Void> onSymlink(Object target, Object link) {
        requirePath(target);
        requirePath(link);
        Path t;
        Path l;
        try {
            l = toView("symlink", link);
            t = target instanceof Path tp ? tp : plainPath("symlink", (String) target);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> view.symlink(t, l));
    }

    /**
     * A request on one path given as a {@code String}, handed to the view's {@code String} form so
     * the name reaches the syscall as given (trailing slash, {@code //}, {@code .}); a refusal is a
     * failed future, nothing queued.
     */
    private <T> CompletableFuture<T> onText(String op, String path, Function<String, ? extends CompletableFuture<T>> call) {
        requirePath(path);
        String t;
        try {
            t = toViewText(op, path);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> call.apply(t));
    }

    /** A request on two paths given as {@code String}s (see {@link #onText}). */
    private <T> CompletableFuture<T> onTexts(String op, String src, String dst, BiFunction<String, String, ? extends CompletableFuture<T>> call) {
        requirePath(src);
        requirePath(dst);
        String a;
        String b;
        try {
            a = toViewText(op, src);
            b = toViewText(op, dst);
        } catch (AioException e) {
            return CompletableFuture.failedFuture(e);
        }
        return submit(() -> call.apply(a, b));
    }

    /**
     * The name to hand to the view for a {@code String} path, spelled as given: unchanged without a
     * root and for a relative name under one (the empty name is the root, {@code "."}); an absolute
     * name under the root loses the root's prefix and keeps the rest as written; lexical only.
     */
    private String toViewText(String op, String path) throws AioException {
        Jail j = jail;
        if (j == null) {
            return path;
        }
        if (!path.startsWith("/")) {
            return path.isEmpty() ? "." : path;
        }
        String root = j.root().toString();
        if (path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/')) {
            int from = root.length();
            while (from < path.length() && path.charAt(from) == '/') {
                from++;
            }
            String rest = path.substring(from);
            if (!rest.isEmpty()) {
                return rest;
            }
            return path.length() > root.length() ? "./" : ".";
        }
        Path relative = toView(op, path); // "/root/../root/x" and the like: lexically, EXDEV outside
        String r = relative.toString();
        return path.endsWith("/") && !r.equals(".") ? r + "/" : r;
    }

    /** The path to hand to the view; lexical only, never a filesystem call (this runs on the submitting thread). */
    private Path toView(String op, Object path) throws AioException {
        Path p = path instanceof Path given ? given : plainPath(op, (String) path);
        Jail j = jail;
        if (j == null) {
            return p;
        }
        if (!p.isAbsolute()) {
            // Under a root, the empty path names the root itself (as it did before the engine's
            // jail: root.resolve("")); to the engine an empty path is ENOENT.
            return p.toString().isEmpty() ? DOT : p;
        }
        Path relative = j.relativize(p);
        if (relative == null) {
            throw new AioException(Errno.EXDEV.code(), op, path.toString(),
                    new IOException("aio.root jail: an absolute path outside aio.root " + j.root()));
        }
        return relative;
    }

    /** A path as the engine takes it; a NUL character fails with ENOENT, as the engine and Perl report it. */
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

    /**
     * The engine's jail of {@code aio.root}, shared by a template and its views.
     *
     * @param wd the jail
     * @param root the root as configured, absolute and normalized
     * @param canonical the root's canonical path, as the jail opened it
     */
    private record Jail(AioWorkingDirectory wd, Path root, Path canonical) {

        /** Opens the jail (blocking: at start-up, once). */
        static Jail open(Path root) {
            Path abs = root.toAbsolutePath().normalize();
            AioWorkingDirectory wd;
            try {
                wd = AioWorkingDirectory.jail(abs);
            } catch (AioException e) {
                throw new UncheckedIOException("aio.root " + root + ": cannot open the jail", e);
            }
            return new Jail(wd, abs, wd.path());
        }

        /**
         * {@code p} (absolute) relative to the root if its leading components are the root's, as
         * configured or canonical: {@code .} for the root itself; {@code null} otherwise. The rest
         * is kept as given ({@code ..} included: the engine refuses it if it climbs out).
         */
        @Nullable Path relativize(Path p) {
            for (Path prefix : new Path[] {root, canonical}) {
                if (p.startsWith(prefix)) {
                    int n = prefix.getNameCount();
                    return n == p.getNameCount() ? DOT : p.subpath(n, p.getNameCount());
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "AioTemplate[" + engine + (jail == null ? "" : ", root=" + jail.root())
                + (priority == NO_PRIORITY ? "" : ", pri=" + priority) + (timeout == null ? "" : ", timeout=" + timeout) + "]";
    }
}
