package org.ioaio;

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.ioaio.internal.AllocateCall;
import org.ioaio.internal.BusyRequest;
import org.ioaio.internal.CloseCall;
import org.ioaio.internal.Composites;
import org.ioaio.internal.CustomRequest;
import org.ioaio.internal.FadviseCall;
import org.ioaio.internal.FstatCall;
import org.ioaio.internal.Group;
import org.ioaio.internal.LinkCall;
import org.ioaio.internal.MkdirCall;
import org.ioaio.internal.NopRequest;
import org.ioaio.internal.OpenCall;
import org.ioaio.internal.Platform;
import org.ioaio.internal.Request;
import org.ioaio.internal.Scheduler;
import org.ioaio.internal.Scheduler.Next;
import org.ioaio.internal.IoCall;
import org.ioaio.internal.RenameCall;
import org.ioaio.internal.RingBackend;
import org.ioaio.internal.RingCall;
import org.ioaio.internal.StatCall;
import org.ioaio.internal.StatxCall;
import org.ioaio.internal.SymlinkCall;
import org.ioaio.internal.SyncCall;
import org.ioaio.internal.SysRequest;
import org.ioaio.internal.UnlinkCall;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.WorkingDirectorySyscalls;

/**
 * IO::AIO for the JVM: blocking filesystem calls run on a pool of worker threads, and their results
 * come back to whichever thread calls {@link #pollCb()}.
 *
 * <p>Every request function has two forms: a callback form, {@code nop(cb)}, that returns the
 * {@link AioRequest} and calls {@code cb} inside {@code pollCb}; and a future form, {@code nop()},
 * that returns an {@link AioFuture} completed inside {@code pollCb}. Nothing completes unless some
 * thread polls: call {@link #pollCb()} when {@link #pollChannel()} is readable, loop on {@link
 * #poll()}, or {@link #flush()}. Requests may be submitted from any thread; callbacks never run
 * concurrently.
 *
 * <pre>{@code
 * try (AioEngine aio = AioEngine.builder().minParallel(8).build()) {
 *     aio.pri(4);                                  // the next request's priority
 *     aio.nop(r -> System.out.println("done"));    // callback form
 *     AioFuture<Void> f = aio.nop();               // future form
 *     AioGroup g = aio.group(r -> System.out.println("all done"));
 *     g.limit(4);
 *     g.feed(grp -> { if (more()) grp.add(aio.nop(r -> {})); });
 *     aio.flush();
 * }
 * }</pre>
 *
 * <p>Bad arguments fail at the call with {@link IllegalArgumentException} and queue nothing; any
 * request after {@link #close()} fails with {@link IllegalStateException}.
 */
public final class AioEngine implements AutoCloseable {

    private final Scheduler scheduler;
    private final long closeGraceNanos;
    /** The layer requests run on: {@link #base}, or for a view made by {@link #in}, it decorated with the working directory. */
    private final Syscalls sys;
    private final AioBackend backend;
    /** The engine's own syscall layer, which views decorate. */
    private final Syscalls base;
    /** The working directory of a view made by {@link #in}; {@code null} for the engine itself. */
    private final AioWorkingDirectory wd;
    /** The operations sent to io_uring when it is in use ({@link Builder#ioUringOps}). */
    private final Set<IoUringOp> ringOps;

    private AioEngine(Builder b) {
        int wanted = b.minParallel;
        if (b.maxParallel >= 0 && b.maxParallel < wanted) {
            wanted = b.maxParallel;
        }
        this.scheduler = new Scheduler(b.name, wanted, b.maxIdle, b.idleTimeout.toNanos(), b.maxPollReqs,
                b.maxPollTime.toNanos(), b.maxOutstanding, b.listener, b.recordTimes);
        this.closeGraceNanos = b.closeGracePeriod.toNanos();
        if (b.syscalls != null) {
            this.sys = b.syscalls;
            this.backend = AioBackend.NIO;
        } else {
            Platform.Selection selected = Platform.select(b.backend); // NATIVE unavailable: IllegalStateException
            this.backend = selected.backend();
            this.sys = selected.syscalls();
        }
        this.base = this.sys;
        this.wd = null;
        this.ringOps = b.ioUringOps.isEmpty() ? EnumSet.noneOf(IoUringOp.class) : EnumSet.copyOf(b.ioUringOps);
        if (b.ioUring != IoUringMode.OFF) {
            String unavailable;
            if (b.syscalls != null) {
                unavailable = "the engine runs on a syscall layer given to it";
            } else if (backend != AioBackend.NATIVE) {
                unavailable = "io_uring needs the native backend, and this engine runs on " + backend;
            } else {
                unavailable = null;
                try {
                    scheduler.attachRing(Platform.openRing(IO_URING_DEPTH));
                } catch (IllegalStateException e) {
                    unavailable = e.getMessage();
                }
            }
            if (unavailable != null && b.ioUring == IoUringMode.REQUIRED) {
                throw new IllegalStateException("io_uring not available: " + unavailable + "; use IoUringMode.AUTO or OFF");
            }
        }
    }

    /** How many requests the io_uring lane keeps in flight at most; more wait READY, by priority. */
    public static final int IO_URING_DEPTH = 64;

    /**
     * Whether the requests of {@link Builder#ioUringOps} run through io_uring now ({@link
     * Builder#ioUring(IoUringMode)}); {@code false} on the portable backend, with io_uring off or
     * unavailable, or after the kernel refused a submission (they then run on the workers).
     *
     * @return {@code true} while the io_uring lane is in use
     */
    public boolean ioUring() {
        return scheduler.ringActive();
    }

    /**
     * The operations this engine sends to io_uring while {@link #ioUring()} ({@link Builder#ioUringOps}).
     *
     * @return an unmodifiable set
     */
    public Set<IoUringOp> ioUringOps() {
        return Collections.unmodifiableSet(ringOps);
    }

    /**
     * Requests submitted to io_uring and not yet completed by the kernel (EXECUTE in the ring);
     * 0 without io_uring.
     *
     * @return requests in flight in the ring
     */
    public int ioUringInflight() {
        return scheduler.ringInflight();
    }

    /** A view of {@code owner} (same scheduler: queues, threads, counters, poll) resolving paths against {@code wd}. */
    private AioEngine(AioEngine owner, AioWorkingDirectory wd) {
        this.scheduler = owner.scheduler;
        this.closeGraceNanos = owner.closeGraceNanos;
        this.backend = owner.backend;
        this.base = owner.base;
        this.wd = wd;
        this.ringOps = owner.ringOps;
        this.sys = new WorkingDirectorySyscalls(owner.base, wd.handle());
    }

    /** The syscall layer requests run on: {@link AioBackend#NIO} or {@link AioBackend#NATIVE} (never AUTO). */
    public AioBackend backend() {
        return backend;
    }

    /** A builder with IO::AIO's defaults: 8 threads, 4 idle kept for 10 s, no poll limits. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------
    // Priorities and deadlines of the next request
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aioreq_pri}: sets the priority of the calling thread's next request (clamped to -4..4,
     * reset to 0 after that request).
     *
     * @param pri -4 (lowest) to 4 (highest); out-of-range values are clamped
     * @return the priority the next request would have had
     */
    public int pri(int pri) {
        Next n = scheduler.settings();
        int prev = n.pri;
        n.pri = Scheduler.clampPri(pri);
        return prev;
    }

    /** The priority the calling thread's next request will have. */
    public int pri() {
        return scheduler.settings().pri;
    }

    /**
     * {@code aioreq_nice}: lowers the next request's priority by {@code adjust} (cumulative, clamped).
     *
     * @param adjust how much to subtract
     * @return the priority the next request would have had
     */
    public int nice(int adjust) {
        Next n = scheduler.settings();
        int prev = n.pri;
        n.pri = Scheduler.clampPri((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) prev - adjust)));
        return prev;
    }

    /**
     * Gives the calling thread's next request a deadline: if it is still queued when {@code timeout}
     * has passed, it ends as timed out (ETIMEDOUT; the future fails with a {@link
     * java.util.concurrent.TimeoutException}), distinct from a cancel. Reset after that request.
     * Groups ignore it.
     *
     * @param timeout a positive duration, or {@code null} / zero for none
     */
    public void timeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        scheduler.settings().timeoutNanos = timeout == null ? 0 : saturatedNanos(timeout);
    }

    // ------------------------------------------------------------------------------------------
    // Requests that are not filesystem calls
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_nop}: does nothing, but goes through a worker thread like any request.
     *
     * @param callback called inside pollCb
     * @return the request
     */
    public AioRequest nop(AioCallback<Void> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(new NopRequest(scheduler, n.pri, callback), n);
    }

    /** {@code aio_nop}, future form: completes with {@code null}. */
    public AioFuture<Void> nop() {
        AioFuture<Void> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new NopRequest(scheduler, n.pri, f.completer()), n));
    }

    /**
     * {@code aio_busy}: occupies a worker thread for {@code seconds} (for tests and benchmarks).
     *
     * @param seconds fractional seconds, 0 or more
     * @param callback called inside pollCb
     * @return the request
     */
    public AioRequest busy(double seconds, AioCallback<Void> callback) {
        long nanos = busyNanos(seconds);
        requireCallback(callback);
        Next n = take();
        return submit(new BusyRequest(scheduler, n.pri, callback, nanos), n);
    }

    /** {@code aio_busy}, future form. */
    public AioFuture<Void> busy(double seconds) {
        long nanos = busyNanos(seconds);
        AioFuture<Void> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new BusyRequest(scheduler, n.pri, f.completer(), nanos), n));
    }

    /**
     * libeio's {@code eio_custom}: runs {@code task} on a worker thread. Its value is the
     * request's value; an {@link AioException} it throws keeps its errno, an {@link
     * InterruptedException} reports EINTR, any other exception EIO ({@link AioResult#failure()}
     * gives it).
     *
     * @param task the task
     * @param callback called inside pollCb
     * @param <T> the value type
     * @return the request
     */
    public <T> AioRequest custom(Callable<T> task, AioCallback<T> callback) {
        requireTask(task);
        requireCallback(callback);
        Next n = take();
        return submit(new CustomRequest<>(scheduler, n.pri, callback, "custom", task), n);
    }

    /**
     * {@code eio_custom}, future form: completes with the task's value or fails with what it threw.
     *
     * @param task the task
     * @param <T> the value type
     * @return the future
     */
    public <T> AioFuture<T> custom(Callable<T> task) {
        requireTask(task);
        AioFuture<T> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new CustomRequest<>(scheduler, n.pri, f.completer(), "custom", task), n));
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
    public AioGroup group(AioCallback<Object> callback) {
        requireCallback(callback);
        return group(null, callback);
    }

    /**
     * A group whose members are added by {@code init} before the group can be seen by the poller:
     * safe however many threads poll.
     *
     * @param init adds the first members (and may set a limit and feeder); may be {@code null}. If
     *     it throws, the group and what it added are cancelled and the exception propagates
     * @param callback called when the group finishes, or {@code null} for none
     * @return the group
     */
    public AioGroup group(Consumer<AioGroup> init, AioCallback<Object> callback) {
        Next n = take();
        Group g = new Group(scheduler, n.pri, callback);
        n.pri = 0;
        n.timeoutNanos = 0;
        if (init != null) {
            try {
                g.init(init);
            } catch (RuntimeException | Error e) {
                // What init queued still ends: the group and its members finish cancelled.
                g.cancel();
                scheduler.submit(g, n);
                throw e;
            }
        }
        scheduler.submit(g, n);
        return g;
    }

    /** A group without a callback (IO::AIO's {@code aio_group} in void context). */
    public AioGroup group() {
        return group(null, null);
    }

    // ------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_open}: opens or creates a file, as {@code sysopen}/{@code open(2)}.
     *
     * @param path the file
     * @param flags {@link AioConstants} {@code O_*} flags
     * @param mode permission bits for a file {@code O_CREAT} creates (the umask applies); 0 otherwise
     * @param callback receives the open {@link AioFile} (the caller's to close), or the errno
     * @return the request
     */
    public AioRequest open(Path path, int flags, int mode, AioCallback<AioFile> callback) {
        requirePath(path, "path");
        return call("open", path, new OpenCall(path, flags, mode), callback);
    }

    /** {@code aio_open}, future form; see {@link #open(Path, int, int, AioCallback)}. */
    public AioFuture<AioFile> open(Path path, int flags, int mode) {
        requirePath(path, "path");
        return callF("open", path, new OpenCall(path, flags, mode));
    }

    /**
     * {@code aio_close}: closes a file (EBADF if it already was).
     *
     * @param file the file
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest close(AioFile file, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status("close", file, new CloseCall(h), callback);
    }

    /** {@code aio_close}, future form. */
    public AioFuture<Void> close(AioFile file) {
        FileHandle h = handle(file);
        return statusF("close", file, new CloseCall(h));
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
    public AioRequest seek(AioFile file, long offset, int whence, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        return call("seek", file, s -> s.lseek(h, offset, whence), callback);
    }

    /** {@code aio_seek}, future form. */
    public AioFuture<Long> seek(AioFile file, long offset, int whence) {
        FileHandle h = handle(file);
        return callF("seek", file, s -> s.lseek(h, offset, whence));
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
    public AioRequest read(AioFile file, Long offset, ByteBuffer dst, AioCallback<Integer> callback) {
        return call("read", file, readCall(file, offset, dst), callback);
    }

    /** {@code aio_read} into a buffer, future form. */
    public AioFuture<Integer> read(AioFile file, Long offset, ByteBuffer dst) {
        return callF("read", file, readCall(file, offset, dst));
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
    public AioRequest read(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback) {
        return read(file, offset, slice(data, dataOffset, length), callback);
    }

    /** {@code aio_read} into an array, future form. */
    public AioFuture<Integer> read(AioFile file, Long offset, int length, byte[] data, int dataOffset) {
        return read(file, offset, slice(data, dataOffset, length));
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
    public AioRequest write(AioFile file, Long offset, ByteBuffer src, AioCallback<Integer> callback) {
        return call("write", file, writeCall(file, offset, src), callback);
    }

    /** {@code aio_write} from a buffer, future form. */
    public AioFuture<Integer> write(AioFile file, Long offset, ByteBuffer src) {
        return callF("write", file, writeCall(file, offset, src));
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
    public AioRequest write(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback) {
        return write(file, offset, slice(data, dataOffset, length), callback);
    }

    /** {@code aio_write} from an array, future form. */
    public AioFuture<Integer> write(AioFile file, Long offset, int length, byte[] data, int dataOffset) {
        return write(file, offset, slice(data, dataOffset, length));
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
    public AioRequest sendfile(AioFile out, AioFile in, long inOffset, long length, AioCallback<Long> callback) {
        return call("sendfile", in, sendfileCall(out, in, inOffset, length), callback);
    }

    /** {@code aio_sendfile}, future form. */
    public AioFuture<Long> sendfile(AioFile out, AioFile in, long inOffset, long length) {
        return callF("sendfile", in, sendfileCall(out, in, inOffset, length));
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
    public AioRequest readahead(AioFile file, long offset, long length, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        return status("readahead", file, s -> s.readahead(h, offset, length), callback);
    }

    /** {@code aio_readahead}, future form. */
    public AioFuture<Void> readahead(AioFile file, long offset, long length) {
        FileHandle h = handle(file);
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        return statusF("readahead", file, s -> s.readahead(h, offset, length));
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
    public AioRequest fadvise(AioFile file, long offset, long length, int advice, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        checkFadvise(offset, length, advice);
        return status("fadvise", file, new FadviseCall(h, offset, length, advice), callback);
    }

    /** {@code posix_fadvise(2)}, future form: see {@link #fadvise(AioFile, long, long, int, AioCallback)}. */
    public AioFuture<Void> fadvise(AioFile file, long offset, long length, int advice) {
        FileHandle h = handle(file);
        checkFadvise(offset, length, advice);
        return statusF("fadvise", file, new FadviseCall(h, offset, length, advice));
    }

    private static void checkFadvise(long offset, long length, int advice) {
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        if (advice < AioConstants.POSIX_FADV_NORMAL || advice > AioConstants.POSIX_FADV_NOREUSE) {
            throw new IllegalArgumentException("advice must be one of POSIX_FADV_NORMAL (0) to POSIX_FADV_NOREUSE (5), got " + advice);
        }
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
    public AioRequest slurp(Path path, long offset, long length, AioCallback<ByteBuffer> callback) {
        return call("slurp", path, slurpCall(path, offset, length), callback);
    }

    /** {@code aio_slurp}, future form. */
    public AioFuture<ByteBuffer> slurp(Path path, long offset, long length) {
        return callF("slurp", path, slurpCall(path, offset, length));
    }

    /**
     * {@code aio_load}: the whole file's contents.
     *
     * @param path the file
     * @param callback receives the bytes (status: their count)
     * @return the request
     */
    public AioRequest load(Path path, AioCallback<byte[]> callback) {
        return call("load", path, loadCall(path), callback);
    }

    /** {@code aio_load}, future form. */
    public AioFuture<byte[]> load(Path path) {
        return callF("load", path, loadCall(path));
    }

    // ------------------------------------------------------------------------------------------
    // Metadata
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_stat} of a path (following symlinks).
     *
     * @param path the path
     * @param callback receives the {@link FileStat}
     * @return the request
     */
    public AioRequest stat(Path path, AioCallback<FileStat> callback) {
        requirePath(path, "path");
        return call("stat", path, new StatCall(path, true), callback);
    }

    /** {@code aio_stat} of a path, future form. */
    public AioFuture<FileStat> stat(Path path) {
        requirePath(path, "path");
        return callF("stat", path, new StatCall(path, true));
    }

    /**
     * {@code aio_stat} of an open file ({@code fstat}).
     *
     * @param file the file
     * @param callback receives the {@link FileStat}
     * @return the request
     */
    public AioRequest stat(AioFile file, AioCallback<FileStat> callback) {
        FileHandle h = handle(file);
        return call("stat", file, new FstatCall(h, false, 0, 0), callback);
    }

    /** {@code aio_stat} of an open file, future form. */
    public AioFuture<FileStat> stat(AioFile file) {
        FileHandle h = handle(file);
        return callF("stat", file, new FstatCall(h, false, 0, 0));
    }

    /**
     * {@code aio_lstat}: like {@link #stat(Path, AioCallback)} but a symlink is reported itself.
     *
     * @param path the path
     * @param callback receives the {@link FileStat}
     * @return the request
     */
    public AioRequest lstat(Path path, AioCallback<FileStat> callback) {
        requirePath(path, "path");
        return call("lstat", path, new StatCall(path, false), callback);
    }

    /** {@code aio_lstat}, future form. */
    public AioFuture<FileStat> lstat(Path path) {
        requirePath(path, "path");
        return callF("lstat", path, new StatCall(path, false));
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
    public AioRequest statx(Path path, int flags, int mask, AioCallback<FileStat> callback) {
        requirePath(path, "path");
        checkStatx(flags, mask, false);
        return call("statx", path, new StatxCall(path, flags, mask), callback);
    }

    /** {@code statx(2)} of a path, future form: see {@link #statx(Path, int, int, AioCallback)}. */
    public AioFuture<FileStat> statx(Path path, int flags, int mask) {
        requirePath(path, "path");
        checkStatx(flags, mask, false);
        return callF("statx", path, new StatxCall(path, flags, mask));
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
    public AioRequest statx(AioFile file, int flags, int mask, AioCallback<FileStat> callback) {
        FileHandle h = handle(file);
        checkStatx(flags, mask, true);
        return call("statx", file, new FstatCall(h, true, flags, mask), callback);
    }

    /** {@code statx(2)} of an open file, future form: see {@link #statx(AioFile, int, int, AioCallback)}. */
    public AioFuture<FileStat> statx(AioFile file, int flags, int mask) {
        FileHandle h = handle(file);
        checkStatx(flags, mask, true);
        return callF("statx", file, new FstatCall(h, true, flags, mask));
    }

    /** statx's flags and mask as the kernel checks them (EINVAL there), rejected here instead. */
    private static void checkStatx(int flags, int mask, boolean ofFile) {
        int known = AioConstants.AT_SYMLINK_NOFOLLOW | AioConstants.AT_NO_AUTOMOUNT
                | AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC;
        int sync = AioConstants.AT_STATX_FORCE_SYNC | AioConstants.AT_STATX_DONT_SYNC;
        if (ofFile) {
            known = (known | AioConstants.AT_EMPTY_PATH) & ~AioConstants.AT_SYMLINK_NOFOLLOW;
        }
        if ((flags & ~known) != 0) {
            throw new IllegalArgumentException("flags 0x" + Integer.toHexString(flags) + " has bits statx does not take here"
                    + (ofFile ? " (an open file: AT_STATX_* only)" : " (AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_STATX_*;"
                            + " AT_EMPTY_PATH is statx of an open file)"));
        }
        if ((flags & sync) == sync) {
            throw new IllegalArgumentException("flags: AT_STATX_FORCE_SYNC and AT_STATX_DONT_SYNC exclude each other");
        }
        if (mask < 0) {
            throw new IllegalArgumentException("mask 0x" + Integer.toHexString(mask) + " has the reserved bit STATX__RESERVED (0x80000000)");
        }
    }

    /**
     * {@code aio_statvfs} of a path.
     *
     * @param path any path on the filesystem
     * @param callback receives the {@link StatVfs}
     * @return the request
     */
    public AioRequest statvfs(Path path, AioCallback<StatVfs> callback) {
        requirePath(path, "path");
        return call("statvfs", path, s -> s.statvfs(path), callback);
    }

    /** {@code aio_statvfs} of a path, future form. */
    public AioFuture<StatVfs> statvfs(Path path) {
        requirePath(path, "path");
        return callF("statvfs", path, s -> s.statvfs(path));
    }

    /**
     * {@code aio_statvfs} of an open file ({@code fstatvfs}).
     *
     * @param file the file
     * @param callback receives the {@link StatVfs}
     * @return the request
     */
    public AioRequest statvfs(AioFile file, AioCallback<StatVfs> callback) {
        FileHandle h = handle(file);
        return call("statvfs", file, s -> s.fstatvfs(h), callback);
    }

    /** {@code aio_statvfs} of an open file, future form. */
    public AioFuture<StatVfs> statvfs(AioFile file) {
        FileHandle h = handle(file);
        return callF("statvfs", file, s -> s.fstatvfs(h));
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
    public AioRequest utime(Path path, Double atime, Double mtime, AioCallback<Void> callback) {
        requirePath(path, "path");
        Instant[] t = times(atime, mtime);
        return status("utime", path, s -> s.utime(path, t[0], t[1]), callback);
    }

    /** {@code aio_utime} of a path, future form. */
    public AioFuture<Void> utime(Path path, Double atime, Double mtime) {
        requirePath(path, "path");
        Instant[] t = times(atime, mtime);
        return statusF("utime", path, s -> s.utime(path, t[0], t[1]));
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
    public AioRequest utime(AioFile file, Double atime, Double mtime, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        Instant[] t = times(atime, mtime);
        return status("utime", file, s -> s.futime(h, t[0], t[1]), callback);
    }

    /** {@code aio_utime} of an open file, future form. */
    public AioFuture<Void> utime(AioFile file, Double atime, Double mtime) {
        FileHandle h = handle(file);
        Instant[] t = times(atime, mtime);
        return statusF("utime", file, s -> s.futime(h, t[0], t[1]));
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
    public AioRequest chown(Path path, Integer uid, Integer gid, AioCallback<Void> callback) {
        requirePath(path, "path");
        int u = id(uid, "uid");
        int g = id(gid, "gid");
        return status("chown", path, s -> s.chown(path, u, g), callback);
    }

    /** {@code aio_chown} of a path, future form. */
    public AioFuture<Void> chown(Path path, Integer uid, Integer gid) {
        requirePath(path, "path");
        int u = id(uid, "uid");
        int g = id(gid, "gid");
        return statusF("chown", path, s -> s.chown(path, u, g));
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
    public AioRequest chown(AioFile file, Integer uid, Integer gid, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        int u = id(uid, "uid");
        int g = id(gid, "gid");
        return status("chown", file, s -> s.fchown(h, u, g), callback);
    }

    /** {@code aio_chown} of an open file, future form. */
    public AioFuture<Void> chown(AioFile file, Integer uid, Integer gid) {
        FileHandle h = handle(file);
        int u = id(uid, "uid");
        int g = id(gid, "gid");
        return statusF("chown", file, s -> s.fchown(h, u, g));
    }

    /**
     * {@code aio_chmod}: changes the permission bits.
     *
     * @param path the path
     * @param mode the mode (e.g. {@code 0644})
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest chmod(Path path, int mode, AioCallback<Void> callback) {
        requirePath(path, "path");
        return status("chmod", path, s -> s.chmod(path, mode), callback);
    }

    /** {@code aio_chmod} of a path, future form. */
    public AioFuture<Void> chmod(Path path, int mode) {
        requirePath(path, "path");
        return statusF("chmod", path, s -> s.chmod(path, mode));
    }

    /**
     * {@code aio_chmod} of an open file ({@code fchmod}).
     *
     * @param file the file
     * @param mode the mode
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest chmod(AioFile file, int mode, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status("chmod", file, s -> s.fchmod(h, mode), callback);
    }

    /** {@code aio_chmod} of an open file, future form. */
    public AioFuture<Void> chmod(AioFile file, int mode) {
        FileHandle h = handle(file);
        return statusF("chmod", file, s -> s.fchmod(h, mode));
    }

    /**
     * {@code aio_truncate}: sets the file's length, growing it (with zeros) or shrinking it.
     *
     * @param path the path
     * @param length the new length, 0 or more
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest truncate(Path path, long length, AioCallback<Void> callback) {
        requirePath(path, "path");
        nonNegative(length, "length");
        return status("truncate", path, s -> s.truncate(path, length), callback);
    }

    /** {@code aio_truncate} of a path, future form. */
    public AioFuture<Void> truncate(Path path, long length) {
        requirePath(path, "path");
        nonNegative(length, "length");
        return statusF("truncate", path, s -> s.truncate(path, length));
    }

    /**
     * {@code aio_truncate} of an open file ({@code ftruncate}).
     *
     * @param file the file
     * @param length the new length, 0 or more
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest truncate(AioFile file, long length, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        nonNegative(length, "length");
        return status("truncate", file, s -> s.ftruncate(h, length), callback);
    }

    /** {@code aio_truncate} of an open file, future form. */
    public AioFuture<Void> truncate(AioFile file, long length) {
        FileHandle h = handle(file);
        nonNegative(length, "length");
        return statusF("truncate", file, s -> s.ftruncate(h, length));
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
    public AioRequest allocate(AioFile file, int mode, long offset, long length, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        return status("allocate", file, new AllocateCall(h, mode, offset, length), callback);
    }

    /** {@code aio_allocate}, future form. */
    public AioFuture<Void> allocate(AioFile file, int mode, long offset, long length) {
        FileHandle h = handle(file);
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        return statusF("allocate", file, new AllocateCall(h, mode, offset, length));
    }

    // ------------------------------------------------------------------------------------------
    // Names
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_unlink}: removes a name (not a directory: EISDIR).
     *
     * @param path the path
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest unlink(Path path, AioCallback<Void> callback) {
        requirePath(path, "path");
        return status("unlink", path, new UnlinkCall(path, false), callback);
    }

    /** {@code aio_unlink}, future form. */
    public AioFuture<Void> unlink(Path path) {
        requirePath(path, "path");
        return statusF("unlink", path, new UnlinkCall(path, false));
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
    public AioRequest mknod(Path path, int mode, long dev, AioCallback<Void> callback) {
        requirePath(path, "path");
        return status("mknod", path, s -> s.mknod(path, mode, dev), callback);
    }

    /** {@code aio_mknod}, future form. */
    public AioFuture<Void> mknod(Path path, int mode, long dev) {
        requirePath(path, "path");
        return statusF("mknod", path, s -> s.mknod(path, mode, dev));
    }

    /**
     * {@code aio_link}: a new hard link {@code dst} to the existing {@code src}.
     *
     * @param src the existing path
     * @param dst the new name
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest link(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return status("link", src, new LinkCall(src, dst), callback);
    }

    /** {@code aio_link}, future form. */
    public AioFuture<Void> link(Path src, Path dst) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return statusF("link", src, new LinkCall(src, dst));
    }

    /**
     * {@code aio_symlink}: a symbolic link {@code dst} whose target is {@code src}, stored verbatim.
     *
     * @param src the link's target (need not exist)
     * @param dst the new link
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest symlink(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return status("symlink", dst, new SymlinkCall(src, dst), callback);
    }

    /** {@code aio_symlink}, future form. */
    public AioFuture<Void> symlink(Path src, Path dst) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return statusF("symlink", dst, new SymlinkCall(src, dst));
    }

    /**
     * {@code aio_readlink}: a symlink's target, as stored.
     *
     * @param path the symlink
     * @param callback receives the target
     * @return the request
     */
    public AioRequest readlink(Path path, AioCallback<Path> callback) {
        requirePath(path, "path");
        return call("readlink", path, s -> s.readlink(path), callback);
    }

    /** {@code aio_readlink}, future form. */
    public AioFuture<Path> readlink(Path path) {
        requirePath(path, "path");
        return callF("readlink", path, s -> s.readlink(path));
    }

    /**
     * {@code aio_realpath}: the absolute path with every symlink resolved.
     *
     * @param path the path ({@code "."} gives the working directory)
     * @param callback receives the real path
     * @return the request
     */
    public AioRequest realpath(Path path, AioCallback<Path> callback) {
        requirePath(path, "path");
        return call("realpath", path, s -> s.realpath(path), callback);
    }

    /** {@code aio_realpath}, future form. */
    public AioFuture<Path> realpath(Path path) {
        requirePath(path, "path");
        return callF("realpath", path, s -> s.realpath(path));
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
    public AioRequest rename(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return status("rename", src, new RenameCall(src, dst, false, 0), callback);
    }

    /** {@code aio_rename}, future form. */
    public AioFuture<Void> rename(Path src, Path dst) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return statusF("rename", src, new RenameCall(src, dst, false, 0));
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
    public AioRequest rename2(Path src, Path dst, int flags, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return status("rename2", src, new RenameCall(src, dst, true, flags), callback);
    }

    /** {@code aio_rename2}, future form. */
    public AioFuture<Void> rename2(Path src, Path dst, int flags) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        return statusF("rename2", src, new RenameCall(src, dst, true, flags));
    }

    /**
     * {@code aio_mkdir}: creates a directory ({@code mode} minus the umask).
     *
     * @param path the new directory
     * @param mode permission bits, e.g. {@code 0755}
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest mkdir(Path path, int mode, AioCallback<Void> callback) {
        requirePath(path, "path");
        return status("mkdir", path, new MkdirCall(path, mode), callback);
    }

    /** {@code aio_mkdir}, future form. */
    public AioFuture<Void> mkdir(Path path, int mode) {
        requirePath(path, "path");
        return statusF("mkdir", path, new MkdirCall(path, mode));
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
    public AioRequest rmdir(Path path, AioCallback<Void> callback) {
        requirePath(path, "path");
        return status("rmdir", path, new UnlinkCall(path, true), callback);
    }

    /** {@code aio_rmdir}, future form. */
    public AioFuture<Void> rmdir(Path path) {
        requirePath(path, "path");
        return statusF("rmdir", path, new UnlinkCall(path, true));
    }

    // ------------------------------------------------------------------------------------------
    // Working directories
    // ------------------------------------------------------------------------------------------

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
    public AioRequest wd(Path dir, AioCallback<AioWorkingDirectory> callback) {
        requirePath(dir, "dir");
        return call("wd", dir, s -> openWd(s, dir, false), callback);
    }

    /** {@code aio_wd}, future form; see {@link #wd(Path, AioCallback)}. */
    public AioFuture<AioWorkingDirectory> wd(Path dir) {
        requirePath(dir, "dir");
        return callF("wd", dir, s -> openWd(s, dir, false));
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
    public AioRequest jail(Path dir, AioCallback<AioWorkingDirectory> callback) {
        requirePath(dir, "dir");
        return call("jail", dir, s -> openWd(s, dir, true), callback);
    }

    /** Opens a jail, future form; see {@link #jail(Path, AioCallback)}. */
    public AioFuture<AioWorkingDirectory> jail(Path dir) {
        requirePath(dir, "dir");
        return callF("jail", dir, s -> openWd(s, dir, true));
    }

    /**
     * A view of this engine whose every path argument is resolved against {@code wd}: IO::AIO's
     * {@code [$wd, $path]} without a second set of methods. The view shares everything else with
     * this engine (queues, threads, priorities, counters, {@link #pollCb()}, groups: a view's
     * requests may join this engine's groups); only the paths differ. Calls on open files are
     * unaffected.
     *
     * <p>A relative path is resolved {@code openat}-style through the working directory's
     * descriptor ({@code open}, {@code stat}, {@code lstat}, {@code unlink}, {@code rmdir}, {@code
     * rename}, {@code truncate}, {@code readdir}, {@code wd}), so a rename of the directory does not
     * redirect them; the others ({@code mkdir}, {@code symlink}, {@code link}, {@code readlink},
     * {@code realpath}, {@code statvfs}, {@code utime}, {@code chown}, {@code chmod}, {@code mknod},
     * {@code rename2} with flags) use the directory's current absolute path, as IO::AIO's {@code
     * aio_statvfs} always and {@code aio_rename} sometimes do. Directory and tree requests ({@code
     * readdirx}, {@code scandir}, {@code rmtree}, {@code copy}, {@code move}) resolve each path they
     * step through the same way. An absolute path ignores an ordinary working directory; a jail
     * refuses it (EXDEV). On the native backend every path of a jail is resolved by the kernel
     * instead ({@code openat2} with {@code RESOLVE_BENEATH}, relative to the jail's descriptor),
     * none by absolute path. Requests through the view of a closed working directory fail with EBADF.
     *
     * <p>{@link #close()} on a view does nothing: the engine that made it owns the threads, and the
     * caller owns the working directory. On a view, {@code in} makes a view of the same engine.
     *
     * @param wd the working directory
     * @return the view
     */
    public AioEngine in(AioWorkingDirectory wd) {
        if (wd == null) {
            throw new IllegalArgumentException("wd must not be null (the engine itself resolves against the process's working directory)");
        }
        return new AioEngine(this, wd);
    }

    /** The working directory of a view made by {@link #in}; {@code null} for an engine itself. */
    public AioWorkingDirectory workingDirectory() {
        return wd;
    }

    /** aio_wd on a worker: through the view's working directory if there is one. */
    private static AioWorkingDirectory openWd(Syscalls s, Path dir, boolean jail) throws SyscallException {
        DirectoryHandle h = s instanceof WorkingDirectorySyscalls w ? w.openDirectory(dir, jail) : DirectoryHandle.open(dir, jail);
        return new AioWorkingDirectory(h);
    }

    // ------------------------------------------------------------------------------------------
    // Sync
    // ------------------------------------------------------------------------------------------

    /**
     * {@code aio_fsync}: flushes the file's data and metadata to the device.
     *
     * @param file the file
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest fsync(AioFile file, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status("fsync", file, new SyncCall(h, false), callback);
    }

    /** {@code aio_fsync}, future form. */
    public AioFuture<Void> fsync(AioFile file) {
        FileHandle h = handle(file);
        return statusF("fsync", file, new SyncCall(h, false));
    }

    /**
     * {@code aio_fdatasync}: flushes the file's data (and the metadata needed to read it).
     *
     * @param file the file
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest fdatasync(AioFile file, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status("fdatasync", file, new SyncCall(h, true), callback);
    }

    /** {@code aio_fdatasync}, future form. */
    public AioFuture<Void> fdatasync(AioFile file) {
        FileHandle h = handle(file);
        return statusF("fdatasync", file, new SyncCall(h, true));
    }

    /**
     * {@code aio_syncfs}: syncs the filesystem the file is on; where {@code syncfs} is unavailable it
     * calls {@code sync()} and still reports ENOSYS, as the manual says.
     *
     * @param file a file on the filesystem
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest syncfs(AioFile file, AioCallback<Void> callback) {
        return status("syncfs", file, syncfsCall(file), callback);
    }

    /** {@code aio_syncfs}, future form. */
    public AioFuture<Void> syncfs(AioFile file) {
        return statusF("syncfs", file, syncfsCall(file));
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
    public AioRequest syncFileRange(AioFile file, long offset, long nbytes, int flags, AioCallback<Void> callback) {
        return status("sync_file_range", file, syncFileRangeCall(file, offset, nbytes, flags), callback);
    }

    /** {@code aio_sync_file_range}, future form. */
    public AioFuture<Void> syncFileRange(AioFile file, long offset, long nbytes, int flags) {
        return statusF("sync_file_range", file, syncFileRangeCall(file, offset, nbytes, flags));
    }

    /**
     * {@code aio_pathsync}: opens the path read-only, fsyncs and closes it (for directories after a
     * rename, for example).
     *
     * @param path the path
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest pathsync(Path path, AioCallback<Void> callback) {
        requirePath(path, "path");
        return status("pathsync", path, s -> withFile(s, path, s::fsync), callback);
    }

    /** {@code aio_pathsync}, future form. */
    public AioFuture<Void> pathsync(Path path) {
        requirePath(path, "path");
        return statusF("pathsync", path, s -> withFile(s, path, s::fsync));
    }

    /**
     * {@code aio_sync}: {@code sync(2)}, every filesystem (ENOSYS on the portable layer, which cannot call it).
     *
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest sync(AioCallback<Void> callback) {
        return status("sync", null, Syscalls::sync, callback);
    }

    /** {@code aio_sync}, future form. */
    public AioFuture<Void> sync() {
        return statusF("sync", null, Syscalls::sync);
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
    public AioRequest msync(MappedByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback) {
        long len = span(buffer, offset, length);
        return status("msync", null, s -> s.msync(buffer, offset, len, flags), callback);
    }

    /** {@code aio_msync}, future form. */
    public AioFuture<Void> msync(MappedByteBuffer buffer, long offset, Long length, int flags) {
        long len = span(buffer, offset, length);
        return statusF("msync", null, s -> s.msync(buffer, offset, len, flags));
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
    public AioRequest mtouch(ByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback) {
        long len = span(buffer, offset, length);
        return status("mtouch", null, s -> s.mtouch(buffer, offset, len, flags), callback);
    }

    /** {@code aio_mtouch}, future form. */
    public AioFuture<Void> mtouch(ByteBuffer buffer, long offset, Long length, int flags) {
        long len = span(buffer, offset, length);
        return statusF("mtouch", null, s -> s.mtouch(buffer, offset, len, flags));
    }

    // ------------------------------------------------------------------------------------------
    // Directories and trees
    // ------------------------------------------------------------------------------------------

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
    public AioRequest readdir(Path path, AioCallback<List<Path>> callback) {
        requirePath(path, "path");
        return call("readdir", path, s -> s.readdir(path), callback);
    }

    /** {@code aio_readdir}, future form; see {@link #readdir(Path, AioCallback)}. */
    public AioFuture<List<Path>> readdir(Path path) {
        requirePath(path, "path");
        return callF("readdir", path, s -> s.readdir(path));
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
    public AioRequest readdirx(Path path, int flags, AioCallback<DirListing> callback) {
        requirePath(path, "path");
        readdirFlags(flags);
        return call("readdirx", path, s -> Composites.readdirx(s, path, flags), callback);
    }

    /** {@code aio_readdirx}, future form; see {@link #readdirx(Path, int, AioCallback)}. */
    public AioFuture<DirListing> readdirx(Path path, int flags) {
        requirePath(path, "path");
        readdirFlags(flags);
        return callF("readdirx", path, s -> Composites.readdirx(s, path, flags));
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
    public AioRequest scandir(Path path, int maxreq, AioCallback<DirScan> callback) {
        requirePath(path, "path");
        requireCallback(callback);
        return Composites.scandir(scheduler, sys, take(), path, maxreq, callback);
    }

    /** {@code aio_scandir}, future form; see {@link #scandir(Path, int, AioCallback)}. */
    public AioFuture<DirScan> scandir(Path path, int maxreq) {
        requirePath(path, "path");
        AioFuture<DirScan> f = new AioFuture<>();
        return bind(f, Composites.scandir(scheduler, sys, take(), path, maxreq, f.completer()));
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
    public AioRequest rmtree(Path path, AioCallback<Void> callback) {
        requirePath(path, "path");
        requireCallback(callback);
        return Composites.rmtree(scheduler, sys, take(), path, callback);
    }

    /** {@code aio_rmtree}, future form; see {@link #rmtree(Path, AioCallback)}. */
    public AioFuture<Void> rmtree(Path path) {
        requirePath(path, "path");
        AioFuture<Void> f = new AioFuture<>();
        return bind(f, Composites.rmtree(scheduler, sys, take(), path, f.completer()));
    }

    /**
     * {@code aio_copy}: copies a file. The destination is created with mode 0200 (an existing one
     * is truncated), the content copied by {@code sendfile} (zero-copy, in chunks between which
     * the copy can be cancelled), then access and modification times, mode, and owner and group
     * restored, in that order (failures of those are ignored, as in IO::AIO: an unprivileged
     * caller cannot give a file away), then the destination closed (a close error fails the copy).
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
    public AioRequest copy(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        requireCallback(callback);
        return Composites.copy(scheduler, sys, take(), src, dst, callback);
    }

    /** {@code aio_copy}, future form; see {@link #copy(Path, Path, AioCallback)}. */
    public AioFuture<Void> copy(Path src, Path dst) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        AioFuture<Void> f = new AioFuture<>();
        return bind(f, Composites.copy(scheduler, sys, take(), src, dst, f.completer()));
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
    public AioRequest move(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        requireCallback(callback);
        return Composites.move(scheduler, sys, take(), src, dst, callback);
    }

    /** {@code aio_move}, future form; see {@link #move(Path, Path, AioCallback)}. */
    public AioFuture<Void> move(Path src, Path dst) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        AioFuture<Void> f = new AioFuture<>();
        return bind(f, Composites.move(scheduler, sys, take(), src, dst, f.completer()));
    }

    /**
     * Copies a directory tree, as {@code cp -a} would (not in IO::AIO; built from its pieces):
     * directories are made and scanned with {@link #scandir(Path, int, AioCallback) scandir}; each
     * file is copied as {@link #copy(Path, Path, AioCallback) copy} copies it (sendfile, then times,
     * mode, owner) but in one request, so a tree copy holds at most two descriptors per worker
     * thread however many files it copies, and is cancelled between files; symlinks are copied as
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
    public AioRequest copyTree(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        requireCallback(callback);
        return Composites.copyTree(scheduler, sys, take(), src, dst, callback);
    }

    /** Tree copy, future form; see {@link #copyTree(Path, Path, AioCallback)}. */
    public AioFuture<Void> copyTree(Path src, Path dst) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        AioFuture<Void> f = new AioFuture<>();
        return bind(f, Composites.copyTree(scheduler, sys, take(), src, dst, f.completer()));
    }

    private static void readdirFlags(int flags) {
        if (!Composites.validReaddirFlags(flags)) {
            throw new IllegalArgumentException("readdirx flags must be READDIR_DENTS, READDIR_DIRS_FIRST and "
                    + "READDIR_STAT_ORDER ORed, got " + flags);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Locks, fcntl, ioctl, fiemap, memory, pipes (IO::AIO 4.8)
    // ------------------------------------------------------------------------------------------

    /**
     * A record lock on a range, as a request: an open-file-description lock ({@code F_OFD_SETLK}),
     * owned by this open file (every request and thread using it shares it; closing it releases it).
     * With {@code wait} the request waits while another holder has the range, and that wait ends
     * when the request is cancelled (ECANCELED), its deadline ({@link #timeout}) passes (ETIMEDOUT;
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
    public AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, AioCallback<Void> callback) {
        return lock(file, start, length, exclusive, wait, false, callback);
    }

    /** A record lock as a request, future form: see {@link #lock(AioFile, long, long, boolean, boolean, AioCallback)}. */
    public AioFuture<Void> lock(AioFile file, long start, long length, boolean exclusive, boolean wait) {
        return lock(file, start, length, exclusive, wait, false);
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
    public AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, boolean process,
            AioCallback<Void> callback) {
        requireCallback(callback);
        RecordLock l = lockRange(exclusive ? AioConstants.F_WRLCK : AioConstants.F_RDLCK, start, length);
        FileHandle h = handle(file);
        Next n = take();
        return submit(new org.ioaio.internal.LockRequest(scheduler, n.pri, callback, sys, h, l, process, wait, n.timeoutNanos), n);
    }

    /** A record lock with the choice of a process lock, future form. */
    public AioFuture<Void> lock(AioFile file, long start, long length, boolean exclusive, boolean wait, boolean process) {
        RecordLock l = lockRange(exclusive ? AioConstants.F_WRLCK : AioConstants.F_RDLCK, start, length);
        FileHandle h = handle(file);
        AioFuture<Void> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(new org.ioaio.internal.LockRequest(scheduler, n.pri, f.completer(), sys, h, l, process, wait,
                n.timeoutNanos), n));
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
    public AioRequest unlock(AioFile file, long start, long length, boolean process, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        RecordLock l = lockRange(AioConstants.F_UNLCK, start, length);
        int cmd = process ? AioConstants.F_SETLK : AioConstants.F_OFD_SETLK;
        return status("unlock", file, s -> {
            s.fcntlLock(h, cmd, l);
            return 0;
        }, callback);
    }

    /** Releases record locks, future form. */
    public AioFuture<Void> unlock(AioFile file, long start, long length, boolean process) {
        FileHandle h = handle(file);
        RecordLock l = lockRange(AioConstants.F_UNLCK, start, length);
        int cmd = process ? AioConstants.F_SETLK : AioConstants.F_OFD_SETLK;
        return statusF("unlock", file, s -> {
            s.fcntlLock(h, cmd, l);
            return 0;
        });
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
    public AioRequest getlk(AioFile file, long start, long length, boolean exclusive, boolean process,
            AioCallback<RecordLock> callback) {
        return call("getlk", file, getlkCall(file, start, length, exclusive, process), callback);
    }

    /** {@code F_OFD_GETLK} / {@code F_GETLK}, future form. */
    public AioFuture<RecordLock> getlk(AioFile file, long start, long length, boolean exclusive, boolean process) {
        return callF("getlk", file, getlkCall(file, start, length, exclusive, process));
    }

    private static SysRequest.Call getlkCall(AioFile file, long start, long length, boolean exclusive, boolean process) {
        FileHandle h = handle(file);
        RecordLock l = lockRange(exclusive ? AioConstants.F_WRLCK : AioConstants.F_RDLCK, start, length);
        int cmd = process ? AioConstants.F_GETLK : AioConstants.F_OFD_GETLK;
        return s -> s.fcntlLock(h, cmd, l);
    }

    private static RecordLock lockRange(int type, long start, long length) {
        nonNegative(start, "start");
        nonNegative(length, "length");
        if (length > 0 && start > Long.MAX_VALUE - length) {
            throw new IllegalArgumentException("start + length overflows: " + start + " + " + length);
        }
        return new RecordLock(type, start, length, 0);
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
    public AioRequest fcntl(AioFile file, int cmd, long arg, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        checkFcntl(cmd);
        return call("fcntl", file, s -> s.fcntl(h, cmd, arg), callback);
    }

    /** {@code aio_fcntl} with an integer argument, future form. */
    public AioFuture<Long> fcntl(AioFile file, int cmd, long arg) {
        FileHandle h = handle(file);
        checkFcntl(cmd);
        return callF("fcntl", file, s -> s.fcntl(h, cmd, arg));
    }

    private static void checkFcntl(int cmd) {
        switch (cmd) {
            case AioConstants.F_GETFD, AioConstants.F_SETFD, AioConstants.F_GETFL, AioConstants.F_SETFL,
                    AioConstants.F_GETOWN, AioConstants.F_SETOWN, AioConstants.F_GETSIG, AioConstants.F_SETSIG,
                    AioConstants.F_GETLEASE, AioConstants.F_SETLEASE, AioConstants.F_NOTIFY,
                    AioConstants.F_GETPIPE_SZ, AioConstants.F_SETPIPE_SZ, AioConstants.F_GET_SEALS, AioConstants.F_ADD_SEALS -> {
                return;
            }
            default -> throw new IllegalArgumentException("fcntl command " + cmd + " does not take an integer argument or makes a"
                    + " descriptor (record locks: lock, unlock, getlk)");
        }
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
    public AioRequest ioctl(AioFile file, long request, ByteBuffer arg, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        checkIoctlBuffer(request, arg);
        return call("ioctl", file, s -> s.ioctl(h, request, arg), callback);
    }

    /** {@code aio_ioctl} with a caller's buffer, future form. */
    public AioFuture<Long> ioctl(AioFile file, long request, ByteBuffer arg) {
        FileHandle h = handle(file);
        checkIoctlBuffer(request, arg);
        return callF("ioctl", file, s -> s.ioctl(h, request, arg));
    }

    private static void checkIoctlBuffer(long request, ByteBuffer arg) {
        if (arg == null || !arg.isDirect()) {
            throw new IllegalArgumentException("arg must be a direct ByteBuffer (the kernel gets its address)");
        }
        if (arg.isReadOnly()) {
            throw new IllegalArgumentException("arg must be writable");
        }
        long size = (request >>> 16) & 0x3fff;
        boolean encoded = ((request >>> 30) & 3) != 0;
        if (encoded && arg.remaining() < size) {
            throw new IllegalArgumentException("request 0x" + Long.toHexString(request) + " reads or writes " + size
                    + " bytes, arg has " + arg.remaining() + " remaining");
        }
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
    public AioRequest ficlone(AioFile dst, AioFile src, AioCallback<Void> callback) {
        FileHandle d = handle(dst);
        FileHandle s0 = handle(src);
        return status("ficlone", dst, s -> s.reflink(d, s0, 0, -1, 0), callback);
    }

    /** {@code ioctl(FICLONE)}, future form. */
    public AioFuture<Void> ficlone(AioFile dst, AioFile src) {
        FileHandle d = handle(dst);
        FileHandle s0 = handle(src);
        return statusF("ficlone", dst, s -> s.reflink(d, s0, 0, -1, 0));
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
    public AioRequest ficloneRange(AioFile dst, AioFile src, long srcOffset, long length, long dstOffset,
            AioCallback<Void> callback) {
        FileHandle d = handle(dst);
        FileHandle s0 = handle(src);
        checkCloneRange(srcOffset, length, dstOffset);
        return status("ficlonerange", dst, s -> s.reflink(d, s0, srcOffset, length, dstOffset), callback);
    }

    /** {@code ioctl(FICLONERANGE)}, future form. */
    public AioFuture<Void> ficloneRange(AioFile dst, AioFile src, long srcOffset, long length, long dstOffset) {
        FileHandle d = handle(dst);
        FileHandle s0 = handle(src);
        checkCloneRange(srcOffset, length, dstOffset);
        return statusF("ficlonerange", dst, s -> s.reflink(d, s0, srcOffset, length, dstOffset));
    }

    private static void checkCloneRange(long srcOffset, long length, long dstOffset) {
        nonNegative(srcOffset, "srcOffset");
        nonNegative(length, "length");
        nonNegative(dstOffset, "dstOffset");
    }

    /**
     * {@code ioctl(FS_IOC_GETFLAGS)}: the inode flags {@code lsattr} shows ({@code FS_*_FL}).
     * ENOTTY where the file system has none (tmpfs has some; a pipe has none); ENOSYS on the portable backend.
     *
     * @param file the file
     * @param callback receives the flags, also the status
     * @return the request
     */
    public AioRequest getFlags(AioFile file, AioCallback<Integer> callback) {
        FileHandle h = handle(file);
        return call("getflags", file, getFlagsCall(h), callback);
    }

    /** {@code ioctl(FS_IOC_GETFLAGS)}, future form. */
    public AioFuture<Integer> getFlags(AioFile file) {
        FileHandle h = handle(file);
        return callF("getflags", file, getFlagsCall(h));
    }

    private static SysRequest.Call getFlagsCall(FileHandle h) {
        return s -> {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            s.ioctl(h, AioConstants.FS_IOC_GETFLAGS, b);
            return b.getInt(0);
        };
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
    public AioRequest setFlags(AioFile file, int flags, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status("setflags", file, setFlagsCall(h, flags), callback);
    }

    /** {@code ioctl(FS_IOC_SETFLAGS)}, future form. */
    public AioFuture<Void> setFlags(AioFile file, int flags) {
        FileHandle h = handle(file);
        return statusF("setflags", file, setFlagsCall(h, flags));
    }

    private static SysRequest.StatusCall setFlagsCall(FileHandle h, int flags) {
        return s -> {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            b.putInt(0, flags);
            return s.ioctl(h, AioConstants.FS_IOC_SETFLAGS, b);
        };
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
    public AioRequest fionread(AioFile file, AioCallback<Integer> callback) {
        FileHandle h = handle(file);
        return call("fionread", file, fionreadCall(h), callback);
    }

    /** {@code ioctl(FIONREAD)}, future form. */
    public AioFuture<Integer> fionread(AioFile file) {
        FileHandle h = handle(file);
        return callF("fionread", file, fionreadCall(h));
    }

    private static SysRequest.Call fionreadCall(FileHandle h) {
        return s -> {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            s.ioctl(h, AioConstants.FIONREAD, b);
            return b.getInt(0);
        };
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
    public AioRequest fiemap(AioFile file, long start, Long length, int flags, Integer count,
            AioCallback<List<FiemapExtent>> callback) {
        FileHandle h = handle(file);
        long len = checkFiemap(start, length, count);
        int c = count == null ? -1 : count;
        return call("fiemap", file, s -> s.fiemap(h, start, len, flags, c), callback);
    }

    /** {@code aio_fiemap}, future form. */
    public AioFuture<List<FiemapExtent>> fiemap(AioFile file, long start, Long length, int flags, Integer count) {
        FileHandle h = handle(file);
        long len = checkFiemap(start, length, count);
        int c = count == null ? -1 : count;
        return callF("fiemap", file, s -> s.fiemap(h, start, len, flags, c));
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
    public AioRequest fiemapCount(AioFile file, long start, Long length, int flags, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        long len = checkFiemap(start, length, null);
        return call("fiemap", file, s -> s.fiemapCount(h, start, len, flags), callback);
    }

    /** {@code aio_fiemap} with a count of 0, future form. */
    public AioFuture<Long> fiemapCount(AioFile file, long start, Long length, int flags) {
        FileHandle h = handle(file);
        long len = checkFiemap(start, length, null);
        return callF("fiemap", file, s -> s.fiemapCount(h, start, len, flags));
    }

    private static long checkFiemap(long start, Long length, Integer count) {
        nonNegative(start, "start");
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be 1 or more, or null for all extents (for the number of extents: fiemapCount), got " + count);
        }
        return length == null ? -1 : nonNegative(length, "length");
    }

    /**
     * {@code aio_mlock}: reads the pages of a range of a direct buffer (typically a mapping) into
     * memory and locks them there ({@code mlock(2)}, widened to whole pages); undone by {@link
     * #munlock}, or when the mapping goes. ENOMEM above {@code RLIMIT_MEMLOCK} (root has no such
     * limit), EPERM without the right; ENOSYS on the portable backend.
     *
     * @param buffer a direct buffer; keep it reachable while the request runs
     * @param offset the start within the buffer, 0 or more
     * @param length the length, or {@code null} for the rest of the buffer
     * @param callback receives status 0 or the errno
     * @return the request
     */
    public AioRequest mlock(ByteBuffer buffer, long offset, Long length, AioCallback<Void> callback) {
        long len = memoryRange(buffer, offset, length);
        return status("mlock", null, s -> s.mlock(buffer, offset, len, true), callback);
    }

    /** {@code aio_mlock}, future form. */
    public AioFuture<Void> mlock(ByteBuffer buffer, long offset, Long length) {
        long len = memoryRange(buffer, offset, length);
        return statusF("mlock", null, s -> s.mlock(buffer, offset, len, true));
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
    public AioRequest mlockall(int flags, AioCallback<Void> callback) {
        return status("mlockall", null, s -> s.mlockall(flags), callback);
    }

    /** {@code aio_mlockall}, future form. */
    public AioFuture<Void> mlockall(int flags) {
        return statusF("mlockall", null, s -> s.mlockall(flags));
    }

    /**
     * {@code IO::AIO::munlock} (synchronous, on the calling thread): undoes {@link #mlock} for a
     * range of the buffer.
     *
     * @param buffer a direct buffer
     * @param offset the start within the buffer, 0 or more
     * @param length the length, or {@code null} for the rest of the buffer
     * @throws AioException with the errno (ENOSYS on the portable backend)
     */
    public void munlock(ByteBuffer buffer, long offset, Long length) throws AioException {
        long len = memoryRange(buffer, offset, length);
        syncHelper("munlock", s -> s.mlock(buffer, offset, len, false));
    }

    /**
     * {@code IO::AIO::munlockall} (synchronous): unlocks every page of the process.
     *
     * @throws AioException with the errno (ENOSYS on the portable backend)
     */
    public void munlockall() throws AioException {
        syncHelper("munlockall", s -> s.mlockall(-1));
    }

    /**
     * {@code IO::AIO::mmap} (synchronous): maps a file ({@code MAP_SHARED} or {@code MAP_PRIVATE}),
     * or memory ({@code MAP_ANONYMOUS} with no file), unmapped when the {@link AioMapping} is closed
     * (deterministically, unlike {@code FileChannel.map}); a use of its buffer after that throws
     * {@link IllegalStateException}. {@code mlock}, {@code munlock}, {@code madvise} and {@code mtouch}
     * take its buffer. ENOSYS on the portable backend (the JDK cannot unmap on demand).
     *
     * @param file the file, or {@code null} with {@code MAP_ANONYMOUS}
     * @param offset the file offset, a multiple of the page size (else EINVAL)
     * @param length the length, 1 or more
     * @param prot {@code PROT_READ}, optionally with {@code PROT_WRITE} (the buffer is read-only without it)
     * @param flags {@code MAP_SHARED} or {@code MAP_PRIVATE}, optionally {@code MAP_ANONYMOUS}, {@code MAP_POPULATE}
     * @return the mapping, the caller's to close
     * @throws AioException with the errno (EACCES for a mode the file's access does not allow, ENODEV, ENOMEM)
     * @throws IllegalArgumentException for a length below 1, a negative offset, no {@code PROT_READ},
     *     {@code PROT_EXEC}/{@code PROT_NONE}-like protections, {@code MAP_FIXED}, or a file missing or given wrongly for {@code MAP_ANONYMOUS}
     */
    public AioMapping mmap(AioFile file, long offset, long length, int prot, int flags) throws AioException {
        if (length < 1) {
            throw new IllegalArgumentException("length must be 1 or more, got " + length);
        }
        nonNegative(offset, "offset");
        if ((prot & AioConstants.PROT_READ) == 0 || (prot & ~(AioConstants.PROT_READ | AioConstants.PROT_WRITE)) != 0) {
            throw new IllegalArgumentException("prot must be PROT_READ, optionally with PROT_WRITE (memory the JVM cannot read"
                    + " or may execute is not mapped), got " + prot);
        }
        if ((flags & AioConstants.MAP_FIXED) != 0) {
            throw new IllegalArgumentException("MAP_FIXED is refused: it would replace memory the JVM owns");
        }
        boolean anonymous = (flags & AioConstants.MAP_ANONYMOUS) != 0;
        if (anonymous != (file == null)) {
            throw new IllegalArgumentException(anonymous ? "MAP_ANONYMOUS maps no file: pass null" : "file must not be null without MAP_ANONYMOUS");
        }
        FileHandle h = file == null ? null : handle(file);
        org.ioaio.internal.sys.MappedRegion[] out = new org.ioaio.internal.sys.MappedRegion[1];
        syncHelper("mmap", s -> {
            out[0] = s.mmap(h, offset, length, prot, flags);
            return 0;
        });
        return new AioMapping(out[0]);
    }

    /**
     * {@code IO::AIO::madvise} (synchronous): {@code madvise(2)} of a range of a mapping, widened to
     * whole pages ({@code MADV_*}).
     *
     * @param buffer the mapping (a {@code MappedByteBuffer} or an {@link AioMapping}'s buffer)
     * @param offset the start within the buffer, 0 or more
     * @param length the length, or {@code null} for the rest of the buffer
     * @param advice {@code MADV_NORMAL}, {@code _RANDOM}, {@code _SEQUENTIAL}, {@code _WILLNEED} or {@code _DONTNEED}
     * @throws AioException with the errno (EINVAL for an unknown advice; ENOSYS on the portable backend)
     */
    public void madvise(ByteBuffer buffer, long offset, Long length, int advice) throws AioException {
        long len = memoryRange(buffer, offset, length);
        syncHelper("madvise", s -> s.madvise(buffer, offset, len, advice));
    }

    /**
     * {@code IO::AIO::min_fdlimit} (synchronous): raises the descriptor limit ({@code
     * RLIMIT_NOFILE}) to at least {@code nfd}, the hard limit too where the process may; when it
     * cannot, raises it as far as it goes and fails.
     *
     * @param nfd the limit wanted, 1 or more
     * @return the soft limit now
     * @throws AioException with the errno (EPERM when the hard limit stops it; ENOSYS on the portable backend)
     */
    public long minFdlimit(long nfd) throws AioException {
        if (nfd < 1) {
            throw new IllegalArgumentException("nfd must be 1 or more, got " + nfd);
        }
        long[] out = new long[1];
        syncHelper("min_fdlimit", s -> {
            out[0] = s.minFdlimit(nfd);
            return 0;
        });
        return out[0];
    }

    /**
     * {@code IO::AIO::pipe2} (synchronous): a new pipe, as two files of this engine (the
     * caller's to close). ENOSYS on the portable backend.
     *
     * @param flags 0, or {@code O_CLOEXEC}, {@code O_NONBLOCK}, {@code O_DIRECT}
     * @return the read end and the write end
     * @throws AioException with the errno
     */
    public AioFile[] pipe(int flags) throws AioException {
        FileHandle[][] out = new FileHandle[1][];
        syncHelper("pipe2", s -> {
            out[0] = s.pipe(flags);
            return 0;
        });
        return new AioFile[] {out[0][0], out[0][1]};
    }

    /**
     * {@code IO::AIO::splice} as a request: moves up to {@code length} bytes from {@code in} to
     * {@code out}, one of which must be a pipe ({@link #pipe}), without copying through user space.
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
    public AioRequest splice(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags,
            AioCallback<Long> callback) {
        return call("splice", in, spliceCall(in, inOffset, out, outOffset, length, flags), callback);
    }

    /** {@code IO::AIO::splice} as a request, future form. */
    public AioFuture<Long> splice(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags) {
        return callF("splice", in, spliceCall(in, inOffset, out, outOffset, length, flags));
    }

    private static SysRequest.Call spliceCall(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags) {
        FileHandle i = handle(in);
        FileHandle o = handle(out);
        long io = inOffset == null ? -1 : nonNegative(inOffset, "inOffset");
        long oo = outOffset == null ? -1 : nonNegative(outOffset, "outOffset");
        nonNegative(length, "length");
        return s -> s.splice(i, io, o, oo, length, flags);
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
    public AioRequest tee(AioFile in, AioFile out, long length, int flags, AioCallback<Long> callback) {
        FileHandle i = handle(in);
        FileHandle o = handle(out);
        nonNegative(length, "length");
        return call("tee", in, s -> s.tee(i, o, length, flags), callback);
    }

    /** {@code IO::AIO::tee} as a request, future form. */
    public AioFuture<Long> tee(AioFile in, AioFile out, long length, int flags) {
        FileHandle i = handle(in);
        FileHandle o = handle(out);
        nonNegative(length, "length");
        return callF("tee", in, s -> s.tee(i, o, length, flags));
    }

    /** The length of a buffer range ({@code null}: the rest), checked against the buffer. */
    private static long memoryRange(ByteBuffer buffer, long offset, Long length) {
        if (buffer == null || !buffer.isDirect()) {
            throw new IllegalArgumentException("buffer must be a direct ByteBuffer (a mapping, or allocateDirect)");
        }
        if (offset < 0 || offset > buffer.capacity()) {
            throw new IllegalArgumentException("offset " + offset + " is outside a buffer of " + buffer.capacity() + " bytes");
        }
        long len = length == null ? buffer.capacity() - offset : nonNegative(length, "length");
        if (len > buffer.capacity() - offset) {
            throw new IllegalArgumentException("offset " + offset + " + length " + len + " is past the buffer's " + buffer.capacity() + " bytes");
        }
        return len;
    }

    /** Runs a synchronous helper on the calling thread; its errno becomes an {@link AioException}. */
    private void syncHelper(String op, SysRequest.StatusCall call) throws AioException {
        try {
            call.run(sys);
        } catch (SyscallException e) {
            throw new AioException(e.errno(), op, null);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Polling
    // ------------------------------------------------------------------------------------------

    /**
     * {@code poll_cb}: processes finished requests (runs their callbacks, completes their futures)
     * within {@code maxPollReqs} and {@code maxPollTime}; then blocks while {@link #nreqs()} is at
     * least {@code maxOutstanding} (a wait that {@link #maxOutstanding(long)} and {@link #close()}
     * end). Returns at once when nothing is pending. After {@link #close()} it delivers what
     * requests that outlived the close left.
     *
     * @return 0 when every pending result was processed, -1 when a limit stopped it early
     * @throws IllegalStateException when called from inside a callback (not reentrant)
     */
    public int pollCb() {
        return scheduler.pollCb();
    }

    /**
     * {@code poll_wait}: waits until a result is pending or no request is outstanding, however many
     * threads poll (the one that finishes the last request wakes the others). An interrupt
     * ends the wait early, with the thread's interrupt status set (so do {@link #poll()}, {@link
     * #flush()} and the {@code maxOutstanding} wait of {@link #pollCb()}).
     *
     * @throws IllegalStateException from a request on a worker, or inside a group's init or feeder,
     *     where the wait could never end
     */
    public void pollWait() {
        scheduler.pollWait();
    }

    /**
     * {@code poll}: {@link #pollWait()} then {@link #pollCb()}.
     *
     * @return the number of requests processed
     * @throws IllegalStateException as {@link #pollWait()} and {@link #pollCb()} do
     */
    public int poll() {
        return scheduler.poll();
    }

    /**
     * {@code flush}: polls until no request is outstanding (or {@link #close()} ended with requests
     * it could not finish, or the thread is interrupted).
     *
     * @throws IllegalStateException from inside a callback, from a request on a worker, or inside a
     *     group's init or feeder, where it could never return
     */
    public void flush() {
        scheduler.flush();
    }

    /**
     * {@code poll_fileno}: a non-blocking channel that is readable while results are pending, for a
     * {@link java.nio.channels.Selector} or any event loop; call {@link #pollCb()} when it is. Do
     * not read from it. Closed by {@link #close()}.
     *
     * @return the channel (the same one on every call)
     */
    public SelectableChannel pollChannel() {
        return scheduler.pollChannel();
    }

    // ------------------------------------------------------------------------------------------
    // Threads and limits
    // ------------------------------------------------------------------------------------------

    /**
     * {@code min_parallel}: raises the number of worker threads wanted to at least {@code n}
     * (threads still start only on demand).
     *
     * @param n 0 or more
     */
    public void minParallel(int n) {
        scheduler.minParallel(nonNegative(n, "minParallel"));
    }

    /**
     * {@code max_parallel}: lowers the number of worker threads wanted to at most {@code n} and
     * blocks until no more than {@code n} run (a thread executing a request finishes it first).
     * With 0, requests queue without executing. Raising it again starts threads for what is queued.
     *
     * @param n 0 or more
     */
    public void maxParallel(int n) {
        scheduler.maxParallel(nonNegative(n, "maxParallel"));
    }

    /**
     * {@code max_idle}: how many idle threads are kept without a timeout.
     *
     * @param n 0 or more
     */
    public void maxIdle(int n) {
        scheduler.maxIdle(nonNegative(n, "maxIdle"));
    }

    /**
     * {@code idle_timeout}: how long a thread beyond {@code maxIdle} idles before it exits.
     *
     * @param timeout a positive duration
     */
    public void idleTimeout(Duration timeout) {
        scheduler.idleTimeoutNanos(positive(timeout, "idleTimeout"));
    }

    /**
     * {@code max_outstanding}: poll functions block while at least {@code n} requests are
     * outstanding; 0 removes the limit.
     *
     * @param n 0 or more
     */
    public void maxOutstanding(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("maxOutstanding must be 0 (no limit) or more, got " + n);
        }
        scheduler.maxOutstanding(n);
    }

    /**
     * {@code max_poll_reqs}: the most results one {@link #pollCb()} processes; 0 = all.
     *
     * @param n 0 or more
     */
    public void maxPollReqs(int n) {
        scheduler.maxPollReqs(nonNegative(n, "maxPollReqs"));
    }

    /**
     * {@code max_poll_time}: the time after which one {@link #pollCb()} stops processing (checked
     * after each request); zero = no limit.
     *
     * @param time zero or positive
     */
    public void maxPollTime(Duration time) {
        scheduler.maxPollTimeNanos(nonNegativeNanos(time, "maxPollTime"));
    }

    /** The number of worker threads wanted (set by minParallel / maxParallel). */
    public int parallelism() {
        return scheduler.wanted();
    }

    /** Idle threads kept without a timeout. */
    public int maxIdle() {
        return scheduler.maxIdle();
    }

    /** How long a surplus idle thread waits before exiting. */
    public Duration idleTimeout() {
        return Duration.ofNanos(scheduler.idleTimeoutNanos());
    }

    /** The outstanding-request threshold of the poll functions; 0 = none. */
    public long maxOutstanding() {
        return scheduler.maxOutstanding();
    }

    /** The most results one pollCb processes; 0 = all. */
    public int maxPollReqs() {
        return scheduler.maxPollReqs();
    }

    /** The time one pollCb spends at most; zero = no limit. */
    public Duration maxPollTime() {
        return Duration.ofNanos(scheduler.maxPollTimeNanos());
    }

    // ------------------------------------------------------------------------------------------
    // Counters
    // ------------------------------------------------------------------------------------------

    /** {@code nreqs}: requests whose callback has not run yet (READY, EXECUTE, PENDING; groups too). */
    public long nreqs() {
        return scheduler.nreqs();
    }

    /** {@code nready}: requests waiting for a worker thread. */
    public int nready() {
        return scheduler.nready();
    }

    /** {@code npending}: requests executed and waiting for pollCb. */
    public long npending() {
        return scheduler.npending();
    }

    /** {@code nthreads}: worker threads running. */
    public int nthreads() {
        return scheduler.nthreads();
    }

    /** Worker threads idle (waiting for a request). */
    public int nidle() {
        return scheduler.nidle();
    }

    /**
     * Requests waiting for a worker at each priority.
     *
     * @return nine counts, index 0 for priority -4 up to index 8 for priority 4
     */
    public int[] nreadyByPriority() {
        return scheduler.readyByPriority();
    }

    /**
     * How long the oldest request still waiting for a worker has waited: {@link Duration#ZERO} when
     * none waits, {@code null} when the engine does not record times (see {@link
     * Builder#recordTimes(boolean)}).
     */
    public Duration oldestReadyAge() {
        long age = scheduler.oldestReadyAgeNanos();
        if (age < 0) {
            return scheduler.recordsTimes() ? Duration.ZERO : null;
        }
        return Duration.ofNanos(age);
    }

    /** Callbacks and feeders that threw (each was logged; other results were still delivered). */
    public long callbackFailures() {
        return scheduler.callbackFailures();
    }

    /** Requests that finished cancelled. */
    public long cancellations() {
        return scheduler.cancellations();
    }

    /** Requests whose deadline passed while they were queued. */
    public long timeouts() {
        return scheduler.timeouts();
    }

    /** {@code true} once {@link #close()} has begun. */
    public boolean isClosed() {
        return scheduler.isClosed();
    }

    // ------------------------------------------------------------------------------------------
    // Close
    // ------------------------------------------------------------------------------------------

    /**
     * Closes with the builder's grace period: see {@link #close(Duration)}. On a view made by
     * {@link #in}, does nothing.
     */
    @Override
    public void close() {
        if (wd == null) {
            scheduler.close(closeGraceNanos);
        }
    }

    /**
     * Stops accepting requests (they fail with {@link IllegalStateException}); processes results on
     * this thread (or lets the thread that polls deliver them) while queued requests drain for
     * {@code grace}; then cancels what is still queued (callbacks skipped, futures cancelled),
     * waits up to {@code grace} again for requests already executing, stops every thread and closes
     * the poll channel. Returns within {@code 2 * grace + 100 ms} whatever other threads hold (a
     * thread in {@code flush}, a poller blocked by {@code maxOutstanding}, a worker blocked in a
     * syscall), also from an interrupted thread (the interrupt is kept). Idempotent: a concurrent
     * or later call waits for the first (within its own bound) and reports the state then.
     *
     * <p>On a view made by {@link #in}, does nothing and returns {@code false}: the engine that made
     * it closes.
     *
     * @param grace how long queued requests may drain
     * @return {@code true} if every request finished and every thread stopped
     * @throws IllegalStateException when called from inside a callback or a worker
     */
    public boolean close(Duration grace) {
        long nanos = nonNegativeNanos(grace, "grace");
        return wd == null && scheduler.close(nanos);
    }

    @Override
    public String toString() {
        return "AioEngine[nreqs=" + nreqs() + ", nready=" + nready() + ", npending=" + npending()
                + ", nthreads=" + nthreads() + (isClosed() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    /**
     * Checks the scheduler's invariants (queues, counters, request states; see {@code
     * Scheduler#checkInvariants}), and that each of {@code known} is READY exactly when queued.
     * For tests and stress runs; throws {@link IllegalStateException} naming what is wrong.
     *
     * @param known requests to check one by one, or an empty list
     */
    void checkInvariants(Iterable<? extends AioRequest> known) {
        scheduler.checkInvariants(known);
    }

    /** The calling thread's next-request settings, after checking the engine is open. */
    private Next take() {
        return scheduler.next();
    }

    private AioRequest submit(Request r, Next n) {
        scheduler.submit(r, n);
        return r;
    }

    private static <T> AioFuture<T> bind(AioFuture<T> f, AioRequest r) {
        f.bind(r);
        return f;
    }

    // ---- filesystem request plumbing ----

    private AioRequest call(String op, Object target, SysRequest.Call c, AioCallback<?> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(sysRequest(n, callback, op, target, c), n);
    }

    private AioRequest status(String op, Object target, SysRequest.StatusCall c, AioCallback<Void> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(sysRequest(n, callback, op, target, c), n);
    }

    private <T> AioFuture<T> callF(String op, Object target, SysRequest.Call c) {
        AioFuture<T> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(sysRequest(n, f.completer(), op, target, c), n));
    }

    private AioFuture<Void> statusF(String op, Object target, SysRequest.StatusCall c) {
        AioFuture<Void> f = new AioFuture<>();
        Next n = take();
        return bind(f, submit(sysRequest(n, f.completer(), op, target, c), n));
    }

    /**
     * A filesystem request, routed to the io_uring lane when the engine has one, its operation is
     * one of {@link #ringOps}, it names no path or this is the engine itself (not a working-directory
     * view), and the ring takes its call.
     */
    private SysRequest sysRequest(Next n, AioCallback<?> callback, String op, Object target, Object c) {
        SysRequest r = new SysRequest(scheduler, n.pri, callback, op, target, sys, c);
        RingBackend ring = scheduler.ring();
        if (ring != null && c instanceof RingCall rc && ringOps.contains(rc.ringOp()) && (wd == null || !rc.hasPaths())
                && ring.accepts(c)) {
            r.viaRing();
        }
        return r;
    }

    private static void requirePath(Path path, String what) {
        if (path == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
    }

    /** The handle behind an AioFile; a closed one is accepted here and fails with EBADF when executed. */
    private static FileHandle handle(AioFile file) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        if (!(file instanceof FileHandle h)) {
            throw new IllegalArgumentException("file " + file + " was not opened by an aio engine");
        }
        return h;
    }

    private static long nonNegative(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more, got " + n);
        }
        return n;
    }

    private static ByteBuffer slice(byte[] data, int dataOffset, int length) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        nonNegative(length, "length");
        int off = dataOffset < 0 ? data.length + dataOffset : dataOffset;
        if (off < 0 || off > data.length) {
            throw new IllegalArgumentException("dataOffset " + dataOffset + " is outside an array of " + data.length + " bytes");
        }
        if (length > data.length - off) {
            throw new IllegalArgumentException("buffer too small: length " + length + " from dataOffset " + dataOffset
                    + " does not fit data (" + data.length + " bytes)");
        }
        return ByteBuffer.wrap(data, off, length);
    }

    private static SysRequest.Call readCall(AioFile file, Long offset, ByteBuffer dst) {
        FileHandle h = handle(file);
        if (dst == null) {
            throw new IllegalArgumentException("dst must not be null");
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst must not be a read-only buffer");
        }
        if (offset == null) {
            return new IoCall(false, h, dst, IoCall.CURRENT);
        }
        return new IoCall(false, h, dst, nonNegative(offset, "offset"));
    }

    private static SysRequest.Call writeCall(AioFile file, Long offset, ByteBuffer src) {
        FileHandle h = handle(file);
        if (src == null) {
            throw new IllegalArgumentException("src must not be null");
        }
        if (offset == null) {
            return new IoCall(true, h, src, IoCall.CURRENT);
        }
        return new IoCall(true, h, src, nonNegative(offset, "offset"));
    }

    private static SysRequest.Call sendfileCall(AioFile out, AioFile in, long inOffset, long length) {
        FileHandle o = handle(out);
        FileHandle i = handle(in);
        nonNegative(inOffset, "inOffset");
        nonNegative(length, "length");
        return s -> s.sendfile(o, i, inOffset, length);
    }

    private static SysRequest.Call slurpCall(Path path, long offset, long length) {
        requirePath(path, "path");
        nonNegative(length, "length");
        return s -> withFile(s, path, h -> readRange(s, h, offset, length));
    }

    private static SysRequest.Call loadCall(Path path) {
        requirePath(path, "path");
        return s -> withFile(s, path, h -> {
            ByteBuffer b = readRange(s, h, 0, 0);
            if (b.hasArray() && b.arrayOffset() == 0 && b.remaining() == b.array().length) {
                return b.array();
            }
            byte[] a = new byte[b.remaining()];
            b.get(a);
            return a;
        });
    }

    /** Reads {@code length} bytes (0 = to the end) from {@code offset} (negative = from the end). */
    private static ByteBuffer readRange(Syscalls s, FileHandle h, long offset, long length) throws SyscallException {
        long size = s.fstat(h).size();
        long start = offset < 0 ? size + offset : offset;
        if (start < 0) {
            throw new SyscallException(Errno.EINVAL); // before the start of the file, as IO::AIO reports
        }
        long want = length == 0 ? Math.max(0, size - start) : length;
        if (want > Integer.MAX_VALUE - 16) {
            throw new SyscallException(Errno.EFBIG);
        }
        ByteBuffer b = ByteBuffer.allocate((int) want);
        while (b.hasRemaining()) {
            int n = s.pread(h, b, start + b.position());
            if (n <= 0) {
                break;
            }
        }
        b.flip();
        return b;
    }

    /** A body run on an open file. */
    @FunctionalInterface
    private interface FileBody<T> {
        T run(FileHandle h) throws SyscallException;
    }

    /**
     * Opens {@code path} read-only, runs {@code body}, and closes the file whatever happens; a
     * close failure after a successful body is the request's failure (as {@code close(2)}'s would be).
     */
    private static <T> T withFile(Syscalls s, Path path, FileBody<T> body) throws SyscallException {
        FileHandle h = s.open(path, AioConstants.O_RDONLY, 0);
        T result;
        try {
            result = body.run(h);
        } catch (SyscallException | RuntimeException | Error e) {
            try {
                s.close(h);
            } catch (SyscallException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        s.close(h);
        return result;
    }

    private static SysRequest.StatusCall syncfsCall(AioFile file) {
        FileHandle h = handle(file);
        return s -> {
            try {
                return s.syncfs(h);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ENOSYS.code()) {
                    try {
                        s.sync();
                    } catch (SyscallException unavailable) {
                        e.addSuppressed(unavailable);
                    }
                }
                throw e;
            }
        };
    }

    private static SysRequest.StatusCall syncFileRangeCall(AioFile file, long offset, long nbytes, int flags) {
        FileHandle h = handle(file);
        return s -> {
            try {
                return s.syncFileRange(h, offset, nbytes, flags);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOSYS.code()) {
                    throw e;
                }
                return s.fdatasync(h);
            }
        };
    }

    /** perl's utime: both null = now; one null = 0 (the epoch). */
    private static Instant[] times(Double atime, Double mtime) {
        if (atime == null && mtime == null) {
            return new Instant[2];
        }
        return new Instant[] {instant(atime == null ? 0.0 : atime, "atime"), instant(mtime == null ? 0.0 : mtime, "mtime")};
    }

    private static Instant instant(double seconds, String what) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)
                || seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw new IllegalArgumentException(what + " must be a finite number of seconds within Instant's range, got " + seconds);
        }
        double whole = Math.floor(seconds);
        long nanos = Math.round((seconds - whole) * 1e9);
        return Instant.ofEpochSecond((long) whole, 0).plusNanos(nanos);
    }

    private static int id(Integer id, String what) {
        // -1 is chown(2)'s "unchanged"; every other int is an id, read as unsigned (FileStat reports
        // uid 4294967294 as -2, and it must be possible to give it back)
        return id == null ? -1 : id;
    }

    /** The byte count of a buffer range: {@code null} = to the end, negative = counted from the end. */
    private static long span(ByteBuffer buffer, long offset, Long length) {
        if (buffer == null) {
            throw new IllegalArgumentException("buffer must not be null");
        }
        int cap = buffer.capacity();
        if (offset < 0 || offset > cap) {
            throw new IllegalArgumentException("offset " + offset + " is outside a buffer of " + cap + " bytes");
        }
        long len = length == null ? cap - offset : length < 0 ? cap - offset + length : length;
        if (len < 0 || offset + len > cap) {
            throw new IllegalArgumentException("length " + length + " from offset " + offset + " is outside a buffer of " + cap + " bytes");
        }
        return len;
    }

    private static void requireCallback(Object callback) {
        if (callback == null) {
            throw new IllegalArgumentException("callback must not be null (use the future form for no callback)");
        }
    }

    private static void requireTask(Object task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
    }

    private static long busyNanos(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("busy seconds must be a finite number of 0 or more, got " + seconds);
        }
        return (long) Math.min(Long.MAX_VALUE, seconds * 1e9);
    }

    private static int nonNegative(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more, got " + n);
        }
        return n;
    }

    private static long positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + d);
        }
        return saturatedNanos(d);
    }

    private static long nonNegativeNanos(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or a positive duration, got " + d);
        }
        return saturatedNanos(d);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Settings of a new engine, with IO::AIO's defaults. Every setter validates its argument at once
     * and names it in the {@link IllegalArgumentException}.
     */
    public static final class Builder {

        private int minParallel = 8;
        private int maxParallel = -1;
        private boolean minSet;
        private int maxIdle = 4;
        private Duration idleTimeout = Duration.ofSeconds(10);
        private long maxOutstanding;
        private int maxPollReqs;
        private Duration maxPollTime = Duration.ZERO;
        private Duration closeGracePeriod = Duration.ofSeconds(10);
        private String name = "aio";
        private AioListener listener;
        private boolean recordTimes;
        private AioBackend backend = AioBackend.AUTO;
        private IoUringMode ioUring = IoUringMode.AUTO;
        private Set<IoUringOp> ioUringOps = IoUringOp.defaults();
        private Syscalls syscalls;

        private Builder() {}

        /**
         * Worker threads wanted (default 8); they start on demand.
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder minParallel(int n) {
            minParallel = nonNegative(n, "minParallel");
            minSet = true;
            checkRange();
            return this;
        }

        /**
         * At most this many worker threads (default: minParallel); 0 queues requests without
         * executing them until raised.
         *
         * @param n 0 or more, not below an explicitly set minParallel
         * @return this builder
         */
        public Builder maxParallel(int n) {
            maxParallel = nonNegative(n, "maxParallel");
            checkRange();
            return this;
        }

        private void checkRange() {
            if (minSet && maxParallel >= 0 && maxParallel < minParallel) {
                throw new IllegalArgumentException("maxParallel (" + maxParallel + ") must not be below minParallel (" + minParallel + ")");
            }
        }

        /**
         * Idle threads kept without a timeout (default 4).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder maxIdle(int n) {
            maxIdle = nonNegative(n, "maxIdle");
            return this;
        }

        /**
         * How long threads beyond maxIdle idle before exiting (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            positive(timeout, "idleTimeout");
            idleTimeout = timeout;
            return this;
        }

        /**
         * Poll functions block while at least this many requests are outstanding (default 0: no limit).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder maxOutstanding(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxOutstanding must be 0 (no limit) or more, got " + n);
            }
            maxOutstanding = n;
            return this;
        }

        /**
         * Results one pollCb processes at most (default 0: all).
         *
         * @param n 0 or more
         * @return this builder
         */
        public Builder maxPollReqs(int n) {
            maxPollReqs = nonNegative(n, "maxPollReqs");
            return this;
        }

        /**
         * Time one pollCb spends at most (default zero: no limit).
         *
         * @param time zero or positive
         * @return this builder
         */
        public Builder maxPollTime(Duration time) {
            nonNegativeNanos(time, "maxPollTime");
            maxPollTime = time;
            return this;
        }

        /**
         * How long {@link AioEngine#close()} lets queued requests drain before cancelling them (default 10 s).
         *
         * @param grace zero or positive
         * @return this builder
         */
        public Builder closeGracePeriod(Duration grace) {
            nonNegativeNanos(grace, "closeGracePeriod");
            closeGracePeriod = grace;
            return this;
        }

        /**
         * Prefix of the worker threads' names (default {@code "aio"}).
         *
         * @param name not blank
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Observes every execution (operation, wait, execution time, errno) for metrics; implies
         * {@link #recordTimes(boolean) recordTimes(true)}.
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder listener(AioListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Records each request's submission time, so that {@link AioEngine#oldestReadyAge()} can
         * tell how long the oldest queued request has waited (costs one clock read per request).
         *
         * @param record {@code true} to record
         * @return this builder
         */
        public Builder recordTimes(boolean record) {
            this.recordTimes = record;
            return this;
        }

        /**
         * Which syscall layer to use (default {@link AioBackend#AUTO}); {@link AioBackend#NATIVE}
         * makes {@link #build()} fail with the reason where it is unavailable.
         *
         * @param backend the backend
         * @return this builder
         */
        public Builder backend(AioBackend backend) {
            if (backend == null) {
                throw new IllegalArgumentException("backend must not be null");
            }
            this.backend = backend;
            return this;
        }

        /**
         * Whether the native backend runs the requests of {@link #ioUringOps(Set)} through io_uring
         * (default {@link IoUringMode#AUTO}); {@link IoUringMode#REQUIRED} makes {@link #build()}
         * fail with the reason where it cannot.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder ioUring(IoUringMode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("ioUring mode must not be null");
            }
            this.ioUring = mode;
            return this;
        }

        /**
         * Which requests go to io_uring where it is in use ({@link #ioUring(IoUringMode)}); the others
         * run on the worker threads. Default {@link IoUringOp#defaults()}: the operations that measured
         * faster through io_uring than on the workers ({@code RoutingBench} in the benchmarks module);
         * for cached metadata the kernel runs most io_uring operations on its own worker threads,
         * which costs more than a worker of ours.
         *
         * @param ops the operations, possibly none (an empty set sends nothing to io_uring)
         * @return this builder
         */
        public Builder ioUringOps(Set<IoUringOp> ops) {
            if (ops == null || ops.contains(null)) {
                throw new IllegalArgumentException("ioUringOps must not be null or hold null");
            }
            this.ioUringOps = ops.isEmpty() ? EnumSet.noneOf(IoUringOp.class) : EnumSet.copyOf(ops);
            return this;
        }

        /** Tests: run requests on this syscall layer (a fault injector, for example). */
        Builder syscalls(Syscalls syscalls) {
            this.syscalls = syscalls;
            return this;
        }

        /** A new engine; no thread starts until the first request. */
        public AioEngine build() {
            return new AioEngine(this);
        }
    }
}
