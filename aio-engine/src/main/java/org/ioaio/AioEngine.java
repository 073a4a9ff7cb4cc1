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
import java.util.function.UnaryOperator;
import org.ioaio.internal.op.AllocateCall;
import org.ioaio.internal.sched.BusyRequest;
import org.ioaio.internal.op.CloseCall;
import org.ioaio.internal.tree.Composites;
import org.ioaio.internal.sched.CustomRequest;
import org.ioaio.internal.op.FadviseCall;
import org.ioaio.internal.op.FstatCall;
import org.ioaio.internal.sched.Group;
import org.ioaio.internal.op.LinkCall;
import org.ioaio.internal.op.MkdirCall;
import org.ioaio.internal.sched.NopRequest;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.op.OpenCall;
import org.ioaio.internal.BatchWorkers;
import org.ioaio.internal.Platform;
import org.ioaio.internal.sched.Request;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sched.Scheduler.Next;
import org.ioaio.internal.op.IoCall;
import org.ioaio.internal.op.RenameCall;
import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.op.StatCall;
import org.ioaio.internal.op.StatxCall;
import org.ioaio.internal.op.SymlinkCall;
import org.ioaio.internal.op.SyncCall;
import org.ioaio.internal.op.SysRequest;
import org.ioaio.internal.op.UnlinkCall;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.Pathname;
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
public final class AioEngine implements AioOperations, AutoCloseable {

    private final Scheduler scheduler;
    private final long closeGraceNanos;
    /** The layer requests run on: {@link #base}, or for a view made by {@link #in}, it decorated with the working directory; under {@link #decorator}'s layer if there is one. */
    private final Syscalls sys;
    private final AioBackend backend;
    /** The engine's own syscall layer, which views decorate. */
    private final Syscalls base;
    /** The hook that puts each worker under {@code SCHED_BATCH}; {@code null}: not asked for, or no native layer. */
    private final BatchWorkers batchWorkers;
    /** The working directory of a view made by {@link #in}; {@code null} for the engine itself. */
    private final AioWorkingDirectory wd;
    /** The working directory's layer under {@link #sys} (it opens {@code aio_wd} inside it); {@code null} for the engine itself. */
    private final WorkingDirectorySyscalls wdSys;
    /** What {@link Builder#decorate} put over the engine's layer and puts over each view's; {@code null}: nothing. */
    private final UnaryOperator<Syscalls> decorator;
    /** The operations sent to io_uring when it is in use ({@link Builder#ioUringOps}). */
    private final Set<IoUringOp> ringOps;
    /** The priority every request of a {@link #withPriority} view has; {@link #UNBOUND} otherwise. */
    private final int boundPri;
    /** The deadline every request of a {@link #withDeadline} view has (0: none); {@code -1} when not bound. */
    private final long boundTimeoutNanos;
    /** Whether this is a view ({@link #in}, {@link #withPriority}, {@link #withDeadline}), which closes nothing. */
    private final boolean view;
    /** No priority bound: the thread's {@link #pri(int)} setting applies. */
    private static final int UNBOUND = Integer.MIN_VALUE;

    private AioEngine(Builder b) {
        int wanted = b.minParallel;
        if (b.maxParallel >= 0 && b.maxParallel < wanted) {
            wanted = b.maxParallel;
        }
        this.scheduler = new Scheduler(b.name, wanted, b.maxIdle, b.idleTimeout.toNanos(), b.maxPollReqs,
                b.maxPollTime.toNanos(), b.maxOutstanding, b.listener, b.recordTimes);
        this.batchWorkers = b.batchWorkers ? BatchWorkers.ifAvailable() : null;
        scheduler.onWorkerStart(batchWorkers);
        this.closeGraceNanos = b.closeGracePeriod.toNanos();
        if (b.syscalls != null) {
            this.base = b.syscalls;
            this.backend = AioBackend.NIO;
        } else {
            Platform.Selection selected = Platform.select(b.backend); // NATIVE unavailable: IllegalStateException
            this.backend = selected.backend();
            this.base = selected.syscalls();
        }
        this.decorator = b.decorator;
        this.sys = decorator == null ? base : decorator.apply(base);
        this.wd = null;
        this.wdSys = null;
        this.ringOps = b.ioUringOps.isEmpty() ? EnumSet.noneOf(IoUringOp.class) : EnumSet.copyOf(b.ioUringOps);
        this.boundPri = UNBOUND;
        this.boundTimeoutNanos = -1;
        this.view = false;
        if (b.ioUring != IoUringMode.OFF) {
            String unavailable;
            if (b.syscalls != null || b.decorator != null) {
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

    /**
     * Whether this engine's worker threads run under Linux's {@code SCHED_BATCH} policy ({@link
     * Builder#batchWorkers}): asked for, the native layer available (Java 22+ on Linux), and no
     * worker refused so far (a refusal is logged once at WARNING).
     *
     * @return {@code true} while the workers are batch threads
     */
    public boolean batchWorkers() {
        return batchWorkers != null && batchWorkers.active();
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
    private AioEngine(AioEngine owner, AioWorkingDirectory wd, int boundPri, long boundTimeoutNanos) {
        this.scheduler = owner.scheduler;
        this.batchWorkers = owner.batchWorkers;
        this.closeGraceNanos = owner.closeGraceNanos;
        this.backend = owner.backend;
        this.base = owner.base;
        this.wd = wd;
        this.ringOps = owner.ringOps;
        this.decorator = owner.decorator;
        this.wdSys = wd == owner.wd ? owner.wdSys : new WorkingDirectorySyscalls(owner.base, wd.handle());
        this.sys = wd == owner.wd ? owner.sys : decorator == null ? wdSys : decorator.apply(wdSys);
        this.boundPri = boundPri;
        this.boundTimeoutNanos = boundTimeoutNanos;
        this.view = true;
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

    @Override
    public AioRequest nop(AioCallback<Void> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(new NopRequest(scheduler, n.pri, callback), n);
    }

    @Override
    public AioRequest busy(double seconds, AioCallback<Void> callback) {
        long nanos = busyNanos(seconds);
        requireCallback(callback);
        Next n = take();
        return submit(new BusyRequest(scheduler, n.pri, callback, nanos), n);
    }

    @Override
    public <T> AioRequest custom(Callable<T> task, AioCallback<T> callback) {
        requireTask(task);
        requireCallback(callback);
        Next n = take();
        return submit(new CustomRequest<>(scheduler, n.pri, callback, task), n);
    }

    @Override
    public AioGroup group(AioCallback<Object> callback) {
        requireCallback(callback);
        return group(null, callback);
    }

    @Override
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

    @Override
    public AioGroup group() {
        return group(null, null);
    }

    // ------------------------------------------------------------------------------------------
    // Files
    // ------------------------------------------------------------------------------------------

    @Override
    public AioRequest open(Path path, int flags, int mode, AioCallback<AioFile> callback) {
        return open(name(path, "path"), flags, mode, callback);
    }

    @Override
    public AioRequest open(String path, int flags, int mode, AioCallback<AioFile> callback) {
        return open(name(path, "path"), flags, mode, callback);
    }

    private AioRequest open(Pathname path, int flags, int mode, AioCallback<AioFile> callback) {
        return call(Op.OPEN, path, new OpenCall(path, flags, mode), callback);
    }

    @Override
    public AioRequest close(AioFile file, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status(Op.CLOSE, file, new CloseCall(h), callback);
    }

    @Override
    public AioRequest seek(AioFile file, long offset, int whence, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        return call(Op.SEEK, file, s -> s.lseek(h, offset, whence), callback);
    }

    @Override
    public AioRequest read(AioFile file, Long offset, ByteBuffer dst, AioCallback<Integer> callback) {
        return call(Op.READ, file, readCall(file, offset, dst), callback);
    }

    @Override
    public AioRequest read(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback) {
        return read(file, offset, slice(data, dataOffset, length), callback);
    }

    @Override
    public AioRequest write(AioFile file, Long offset, ByteBuffer src, AioCallback<Integer> callback) {
        return call(Op.WRITE, file, writeCall(file, offset, src), callback);
    }

    @Override
    public AioRequest write(AioFile file, Long offset, int length, byte[] data, int dataOffset, AioCallback<Integer> callback) {
        return write(file, offset, slice(data, dataOffset, length), callback);
    }

    @Override
    public AioRequest sendfile(AioFile out, AioFile in, long inOffset, long length, AioCallback<Long> callback) {
        return call(Op.SENDFILE, in, sendfileCall(out, in, inOffset, length), callback);
    }

    @Override
    public AioRequest readahead(AioFile file, long offset, long length, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        return status(Op.READAHEAD, file, s -> s.readahead(h, offset, length), callback);
    }

    @Override
    public AioRequest fadvise(AioFile file, long offset, long length, int advice, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        checkFadvise(offset, length, advice);
        return status(Op.FADVISE, file, new FadviseCall(h, offset, length, advice), callback);
    }

    private static void checkFadvise(long offset, long length, int advice) {
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        if (advice < AioConstants.POSIX_FADV_NORMAL || advice > AioConstants.POSIX_FADV_NOREUSE) {
            throw new IllegalArgumentException("advice must be one of POSIX_FADV_NORMAL (0) to POSIX_FADV_NOREUSE (5), got " + advice);
        }
    }

    @Override
    public AioRequest slurp(Path path, long offset, long length, AioCallback<ByteBuffer> callback) {
        return slurp(name(path, "path"), offset, length, callback);
    }

    @Override
    public AioRequest slurp(String path, long offset, long length, AioCallback<ByteBuffer> callback) {
        return slurp(name(path, "path"), offset, length, callback);
    }

    private AioRequest slurp(Pathname path, long offset, long length, AioCallback<ByteBuffer> callback) {
        nonNegative(length, "length");
        return call(Op.SLURP, path, s -> withFile(s, path, h -> readRange(s, h, offset, length)), callback);
    }

    @Override
    public AioRequest load(Path path, AioCallback<byte[]> callback) {
        return load(name(path, "path"), callback);
    }

    @Override
    public AioRequest load(String path, AioCallback<byte[]> callback) {
        return load(name(path, "path"), callback);
    }

    private AioRequest load(Pathname path, AioCallback<byte[]> callback) {
        return call(Op.LOAD, path, loadCall(path), callback);
    }

    // ------------------------------------------------------------------------------------------
    // Metadata
    // ------------------------------------------------------------------------------------------

    @Override
    public AioRequest stat(Path path, AioCallback<FileStat> callback) {
        return stat(name(path, "path"), callback);
    }

    @Override
    public AioRequest stat(String path, AioCallback<FileStat> callback) {
        return stat(name(path, "path"), callback);
    }

    private AioRequest stat(Pathname path, AioCallback<FileStat> callback) {
        return call(Op.STAT, path, new StatCall(path, true), callback);
    }

    @Override
    public AioRequest stat(AioFile file, AioCallback<FileStat> callback) {
        FileHandle h = handle(file);
        return call(Op.FSTAT, file, new FstatCall(h, false, 0, 0), callback);
    }

    @Override
    public AioRequest lstat(Path path, AioCallback<FileStat> callback) {
        return lstat(name(path, "path"), callback);
    }

    @Override
    public AioRequest lstat(String path, AioCallback<FileStat> callback) {
        return lstat(name(path, "path"), callback);
    }

    private AioRequest lstat(Pathname path, AioCallback<FileStat> callback) {
        return call(Op.LSTAT, path, new StatCall(path, false), callback);
    }

    @Override
    public AioRequest statx(Path path, int flags, int mask, AioCallback<FileStat> callback) {
        return statx(name(path, "path"), flags, mask, callback);
    }

    @Override
    public AioRequest statx(String path, int flags, int mask, AioCallback<FileStat> callback) {
        return statx(name(path, "path"), flags, mask, callback);
    }

    private AioRequest statx(Pathname path, int flags, int mask, AioCallback<FileStat> callback) {
        checkStatx(flags, mask, false);
        return call(Op.STATX, path, new StatxCall(path, flags, mask), callback);
    }

    @Override
    public AioRequest statx(AioFile file, int flags, int mask, AioCallback<FileStat> callback) {
        FileHandle h = handle(file);
        checkStatx(flags, mask, true);
        return call(Op.FSTATX, file, new FstatCall(h, true, flags, mask), callback);
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

    @Override
    public AioRequest statvfs(Path path, AioCallback<StatVfs> callback) {
        return statvfs(name(path, "path"), callback);
    }

    @Override
    public AioRequest statvfs(String path, AioCallback<StatVfs> callback) {
        return statvfs(name(path, "path"), callback);
    }

    private AioRequest statvfs(Pathname path, AioCallback<StatVfs> callback) {
        return call(Op.STATVFS, path, s -> s.statvfs(path), callback);
    }

    @Override
    public AioRequest statvfs(AioFile file, AioCallback<StatVfs> callback) {
        FileHandle h = handle(file);
        return call(Op.FSTATVFS, file, s -> s.fstatvfs(h), callback);
    }

    @Override
    public AioRequest utime(Path path, Double atime, Double mtime, AioCallback<Void> callback) {
        return utime(name(path, "path"), atime, mtime, callback);
    }

    @Override
    public AioRequest utime(String path, Double atime, Double mtime, AioCallback<Void> callback) {
        return utime(name(path, "path"), atime, mtime, callback);
    }

    private AioRequest utime(Pathname path, Double atime, Double mtime, AioCallback<Void> callback) {
        Instant[] t = times(atime, mtime);
        return status(Op.UTIME, path, s -> s.utime(path, t[0], t[1]), callback);
    }

    @Override
    public AioRequest utime(AioFile file, Double atime, Double mtime, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        Instant[] t = times(atime, mtime);
        return status(Op.FUTIME, file, s -> s.futime(h, t[0], t[1]), callback);
    }

    @Override
    public AioRequest chown(Path path, Integer uid, Integer gid, AioCallback<Void> callback) {
        return chown(name(path, "path"), uid, gid, callback);
    }

    @Override
    public AioRequest chown(String path, Integer uid, Integer gid, AioCallback<Void> callback) {
        return chown(name(path, "path"), uid, gid, callback);
    }

    private AioRequest chown(Pathname path, Integer uid, Integer gid, AioCallback<Void> callback) {
        int u = id(uid, "uid");
        int g = id(gid, "gid");
        return status(Op.CHOWN, path, s -> s.chown(path, u, g), callback);
    }

    @Override
    public AioRequest chown(AioFile file, Integer uid, Integer gid, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        int u = id(uid, "uid");
        int g = id(gid, "gid");
        return status(Op.FCHOWN, file, s -> s.fchown(h, u, g), callback);
    }

    @Override
    public AioRequest chmod(Path path, int mode, AioCallback<Void> callback) {
        return chmod(name(path, "path"), mode, callback);
    }

    @Override
    public AioRequest chmod(String path, int mode, AioCallback<Void> callback) {
        return chmod(name(path, "path"), mode, callback);
    }

    private AioRequest chmod(Pathname path, int mode, AioCallback<Void> callback) {
        return status(Op.CHMOD, path, s -> s.chmod(path, mode), callback);
    }

    @Override
    public AioRequest chmod(AioFile file, int mode, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status(Op.FCHMOD, file, s -> s.fchmod(h, mode), callback);
    }

    @Override
    public AioRequest truncate(Path path, long length, AioCallback<Void> callback) {
        return truncate(name(path, "path"), length, callback);
    }

    @Override
    public AioRequest truncate(String path, long length, AioCallback<Void> callback) {
        return truncate(name(path, "path"), length, callback);
    }

    private AioRequest truncate(Pathname path, long length, AioCallback<Void> callback) {
        nonNegative(length, "length");
        return status(Op.TRUNCATE, path, s -> s.truncate(path, length), callback);
    }

    @Override
    public AioRequest truncate(AioFile file, long length, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        nonNegative(length, "length");
        return status(Op.FTRUNCATE, file, s -> s.ftruncate(h, length), callback);
    }

    @Override
    public AioRequest allocate(AioFile file, int mode, long offset, long length, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        nonNegative(offset, "offset");
        nonNegative(length, "length");
        return status(Op.ALLOCATE, file, new AllocateCall(h, mode, offset, length), callback);
    }

    // ------------------------------------------------------------------------------------------
    // Names
    // ------------------------------------------------------------------------------------------

    @Override
    public AioRequest unlink(Path path, AioCallback<Void> callback) {
        return unlink(name(path, "path"), callback);
    }

    @Override
    public AioRequest unlink(String path, AioCallback<Void> callback) {
        return unlink(name(path, "path"), callback);
    }

    private AioRequest unlink(Pathname path, AioCallback<Void> callback) {
        return status(Op.UNLINK, path, new UnlinkCall(path, false), callback);
    }

    @Override
    public AioRequest mknod(Path path, int mode, long dev, AioCallback<Void> callback) {
        return mknod(name(path, "path"), mode, dev, callback);
    }

    @Override
    public AioRequest mknod(String path, int mode, long dev, AioCallback<Void> callback) {
        return mknod(name(path, "path"), mode, dev, callback);
    }

    private AioRequest mknod(Pathname path, int mode, long dev, AioCallback<Void> callback) {
        return status(Op.MKNOD, path, s -> s.mknod(path, mode, dev), callback);
    }

    @Override
    public AioRequest link(Path src, Path dst, AioCallback<Void> callback) {
        return link(name(src, "src"), name(dst, "dst"), callback);
    }

    @Override
    public AioRequest link(String src, String dst, AioCallback<Void> callback) {
        return link(name(src, "src"), name(dst, "dst"), callback);
    }

    private AioRequest link(Pathname src, Pathname dst, AioCallback<Void> callback) {
        return status(Op.LINK, src, new LinkCall(src, dst), callback);
    }

    @Override
    public AioRequest symlink(Path src, Path dst, AioCallback<Void> callback) {
        return symlink(name(src, "src"), name(dst, "dst"), callback);
    }

    @Override
    public AioRequest symlink(String src, String dst, AioCallback<Void> callback) {
        return symlink(name(src, "src"), name(dst, "dst"), callback);
    }

    private AioRequest symlink(Pathname src, Pathname dst, AioCallback<Void> callback) {
        return status(Op.SYMLINK, dst, new SymlinkCall(src, dst), callback);
    }

    @Override
    public AioRequest readlink(Path path, AioCallback<Path> callback) {
        Pathname p = name(path, "path");
        return call(Op.READLINK, p, s -> s.readlink(p).path(), callback);
    }

    @Override
    public AioRequest readlink(String path, AioCallback<String> callback) {
        Pathname p = name(path, "path");
        return call(Op.READLINK, p, s -> s.readlink(p).text(), callback);
    }

    @Override
    public AioRequest realpath(Path path, AioCallback<Path> callback) {
        return realpath(name(path, "path"), callback);
    }

    @Override
    public AioRequest realpath(String path, AioCallback<Path> callback) {
        return realpath(name(path, "path"), callback);
    }

    private AioRequest realpath(Pathname path, AioCallback<Path> callback) {
        return call(Op.REALPATH, path, s -> s.realpath(path), callback);
    }

    @Override
    public AioRequest rename(Path src, Path dst, AioCallback<Void> callback) {
        return rename(name(src, "src"), name(dst, "dst"), callback);
    }

    @Override
    public AioRequest rename(String src, String dst, AioCallback<Void> callback) {
        return rename(name(src, "src"), name(dst, "dst"), callback);
    }

    private AioRequest rename(Pathname src, Pathname dst, AioCallback<Void> callback) {
        return status(Op.RENAME, src, new RenameCall(src, dst, false, 0), callback);
    }

    @Override
    public AioRequest rename2(Path src, Path dst, int flags, AioCallback<Void> callback) {
        return rename2(name(src, "src"), name(dst, "dst"), flags, callback);
    }

    @Override
    public AioRequest rename2(String src, String dst, int flags, AioCallback<Void> callback) {
        return rename2(name(src, "src"), name(dst, "dst"), flags, callback);
    }

    private AioRequest rename2(Pathname src, Pathname dst, int flags, AioCallback<Void> callback) {
        return status(Op.RENAME2, src, new RenameCall(src, dst, true, flags), callback);
    }

    @Override
    public AioRequest mkdir(Path path, int mode, AioCallback<Void> callback) {
        return mkdir(name(path, "path"), mode, callback);
    }

    @Override
    public AioRequest mkdir(String path, int mode, AioCallback<Void> callback) {
        return mkdir(name(path, "path"), mode, callback);
    }

    private AioRequest mkdir(Pathname path, int mode, AioCallback<Void> callback) {
        return status(Op.MKDIR, path, new MkdirCall(path, mode), callback);
    }

    @Override
    public AioRequest rmdir(Path path, AioCallback<Void> callback) {
        return rmdir(name(path, "path"), callback);
    }

    @Override
    public AioRequest rmdir(String path, AioCallback<Void> callback) {
        return rmdir(name(path, "path"), callback);
    }

    private AioRequest rmdir(Pathname path, AioCallback<Void> callback) {
        return status(Op.RMDIR, path, new UnlinkCall(path, true), callback);
    }

    // ------------------------------------------------------------------------------------------
    // Working directories
    // ------------------------------------------------------------------------------------------

    @Override
    public AioRequest wd(Path dir, AioCallback<AioWorkingDirectory> callback) {
        requirePath(dir, "dir");
        return call(Op.WD, dir, s -> openWd(dir, false), callback);
    }

    @Override
    public AioRequest jail(Path dir, AioCallback<AioWorkingDirectory> callback) {
        requirePath(dir, "dir");
        return call(Op.JAIL, dir, s -> openWd(dir, true), callback);
    }

    /**
     * A view of this engine whose every path argument is resolved against {@code wd}: IO::AIO's
     * {@code [$wd, $path]} without a second set of methods. The view shares everything else with
     * this engine (queues, threads, priorities, counters, {@link #pollCb()}, groups: a view's
     * requests may join this engine's groups); only the paths differ. Calls on open files are
     * unaffected.
     *
     * <p>A relative path is resolved {@code openat}-style through the working directory's
     * descriptor, so a rename of the directory does not redirect it: on the native backend every
     * request is the kernel's {@code *at} call on that descriptor, as libeio makes them; on the
     * portable backend those the JDK offers ({@code open}, {@code stat}, {@code lstat}, {@code
     * unlink}, {@code rmdir}, {@code rename}, {@code truncate}, {@code readdir}, {@code wd}), and
     * the others ({@code mkdir}, {@code symlink}, {@code link}, {@code readlink}, {@code realpath},
     * {@code statvfs}, {@code utime}, {@code chown}, {@code chmod}, {@code mknod}, {@code rename2}
     * with flags) go by {@code /proc/self/fd/N/./path} on a descriptor the directory keeps for
     * them, which the kernel resolves from that descriptor (where there is no {@code /proc}: by
     * the directory's current absolute path). Directory and tree requests ({@code
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
    @Override
    public AioEngine in(AioWorkingDirectory wd) {
        if (wd == null) {
            throw new IllegalArgumentException("wd must not be null (the engine itself resolves against the process's working directory)");
        }
        return new AioEngine(this, wd, boundPri, boundTimeoutNanos);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The view shares this engine's queues, threads, counters and poll, and keeps its working
     * directory and deadline; {@link #pri(int)} set on the calling thread does not apply to its
     * requests (it still applies to the next request made without a bound priority). {@link
     * #close()} on a view does nothing.
     */
    @Override
    public AioEngine withPriority(int pri) {
        return new AioEngine(this, wd, Scheduler.clampPri(pri), boundTimeoutNanos);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The view shares this engine's queues, threads, counters and poll, and keeps its working
     * directory and priority; it replaces {@link #timeout(Duration)} for its requests.
     *
     * @throws IllegalArgumentException for a negative timeout
     */
    @Override
    public AioEngine withDeadline(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        return new AioEngine(this, wd, boundPri, timeout == null ? 0 : saturatedNanos(timeout));
    }

    /** The working directory of a view made by {@link #in}; {@code null} for an engine itself. */
    public AioWorkingDirectory workingDirectory() {
        return wd;
    }

    /** aio_wd on a worker: through the view's working directory if there is one. */
    private AioWorkingDirectory openWd(Path dir, boolean jail) throws SyscallException {
        DirectoryHandle h = wdSys != null ? wdSys.openDirectory(dir, jail) : DirectoryHandle.open(dir, jail);
        return new AioWorkingDirectory(h);
    }

    // ------------------------------------------------------------------------------------------
    // Sync
    // ------------------------------------------------------------------------------------------

    @Override
    public AioRequest fsync(AioFile file, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status(Op.FSYNC, file, new SyncCall(h, false), callback);
    }

    @Override
    public AioRequest fdatasync(AioFile file, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status(Op.FDATASYNC, file, new SyncCall(h, true), callback);
    }

    @Override
    public AioRequest syncfs(AioFile file, AioCallback<Void> callback) {
        return status(Op.SYNCFS, file, syncfsCall(file), callback);
    }

    @Override
    public AioRequest syncFileRange(AioFile file, long offset, long nbytes, int flags, AioCallback<Void> callback) {
        return status(Op.SYNC_FILE_RANGE, file, syncFileRangeCall(file, offset, nbytes, flags), callback);
    }

    @Override
    public AioRequest pathsync(Path path, AioCallback<Void> callback) {
        return pathsync(name(path, "path"), callback);
    }

    @Override
    public AioRequest pathsync(String path, AioCallback<Void> callback) {
        return pathsync(name(path, "path"), callback);
    }

    private AioRequest pathsync(Pathname path, AioCallback<Void> callback) {
        return status(Op.PATHSYNC, path, s -> withFile(s, path, s::fsync), callback);
    }

    @Override
    public AioRequest sync(AioCallback<Void> callback) {
        return status(Op.SYNC, null, Syscalls::sync, callback);
    }

    @Override
    public AioRequest msync(MappedByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback) {
        long len = span(buffer, offset, length);
        return status(Op.MSYNC, null, s -> s.msync(buffer, offset, len, flags), callback);
    }

    @Override
    public AioRequest mtouch(ByteBuffer buffer, long offset, Long length, int flags, AioCallback<Void> callback) {
        long len = span(buffer, offset, length);
        return status(Op.MTOUCH, null, s -> s.mtouch(buffer, offset, len, flags), callback);
    }

    // ------------------------------------------------------------------------------------------
    // Directories and trees
    // ------------------------------------------------------------------------------------------

    @Override
    public AioRequest readdir(Path path, AioCallback<List<Path>> callback) {
        return readdir(name(path, "path"), callback);
    }

    @Override
    public AioRequest readdir(String path, AioCallback<List<Path>> callback) {
        return readdir(name(path, "path"), callback);
    }

    private AioRequest readdir(Pathname path, AioCallback<List<Path>> callback) {
        return call(Op.READDIR, path, s -> s.readdir(path), callback);
    }

    @Override
    public AioRequest readdirx(Path path, int flags, AioCallback<DirListing> callback) {
        return readdirx(name(path, "path"), flags, callback);
    }

    @Override
    public AioRequest readdirx(String path, int flags, AioCallback<DirListing> callback) {
        return readdirx(name(path, "path"), flags, callback);
    }

    private AioRequest readdirx(Pathname path, int flags, AioCallback<DirListing> callback) {
        readdirFlags(flags);
        return call(Op.READDIRX, path, s -> Composites.readdirx(s, path.path(), flags), callback);
    }

    @Override
    public AioRequest scandir(Path path, int maxreq, AioCallback<DirScan> callback) {
        requirePath(path, "path");
        requireCallback(callback);
        return Composites.scandir(scheduler, sys, take(), path, maxreq, callback);
    }

    @Override
    public AioRequest rmtree(Path path, AioCallback<Void> callback) {
        requirePath(path, "path");
        requireCallback(callback);
        return Composites.rmtree(scheduler, sys, take(), path, callback);
    }

    @Override
    public AioRequest copy(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        requireCallback(callback);
        return Composites.copy(scheduler, sys, take(), src, dst, callback);
    }

    @Override
    public AioRequest move(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        requireCallback(callback);
        return Composites.move(scheduler, sys, take(), src, dst, callback);
    }

    @Override
    public AioRequest copyTree(Path src, Path dst, AioCallback<Void> callback) {
        requirePath(src, "src");
        requirePath(dst, "dst");
        requireCallback(callback);
        return Composites.copyTree(scheduler, sys, take(), src, dst, callback);
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

    @Override
    public AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, AioCallback<Void> callback) {
        return lock(file, start, length, exclusive, wait, false, callback);
    }

    @Override
    public AioRequest lock(AioFile file, long start, long length, boolean exclusive, boolean wait, boolean process,
            AioCallback<Void> callback) {
        requireCallback(callback);
        RecordLock l = lockRange(exclusive ? AioConstants.F_WRLCK : AioConstants.F_RDLCK, start, length);
        FileHandle h = handle(file);
        Next n = take();
        return submit(new org.ioaio.internal.op.LockRequest(scheduler, n.pri, callback, sys, h, l, process, wait, n.timeoutNanos), n);
    }

    @Override
    public AioRequest unlock(AioFile file, long start, long length, boolean process, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        RecordLock l = lockRange(AioConstants.F_UNLCK, start, length);
        int cmd = process ? AioConstants.F_SETLK : AioConstants.F_OFD_SETLK;
        return status(Op.UNLOCK, file, s -> {
            s.fcntlLock(h, cmd, l);
            return 0;
        }, callback);
    }

    @Override
    public AioRequest getlk(AioFile file, long start, long length, boolean exclusive, boolean process,
            AioCallback<RecordLock> callback) {
        return call(Op.GETLK, file, getlkCall(file, start, length, exclusive, process), callback);
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

    @Override
    public AioRequest fcntl(AioFile file, int cmd, long arg, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        checkFcntl(cmd);
        return call(Op.FCNTL, file, s -> s.fcntl(h, cmd, arg), callback);
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

    @Override
    public AioRequest ioctl(AioFile file, long request, ByteBuffer arg, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        checkIoctlBuffer(request, arg);
        return call(Op.IOCTL, file, s -> s.ioctl(h, request, arg), callback);
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

    @Override
    public AioRequest ficlone(AioFile dst, AioFile src, AioCallback<Void> callback) {
        FileHandle d = handle(dst);
        FileHandle s0 = handle(src);
        return status(Op.FICLONE, dst, s -> s.reflink(d, s0, 0, -1, 0), callback);
    }

    @Override
    public AioRequest ficloneRange(AioFile dst, AioFile src, long srcOffset, long length, long dstOffset,
            AioCallback<Void> callback) {
        FileHandle d = handle(dst);
        FileHandle s0 = handle(src);
        checkCloneRange(srcOffset, length, dstOffset);
        return status(Op.FICLONERANGE, dst, s -> s.reflink(d, s0, srcOffset, length, dstOffset), callback);
    }

    private static void checkCloneRange(long srcOffset, long length, long dstOffset) {
        nonNegative(srcOffset, "srcOffset");
        nonNegative(length, "length");
        nonNegative(dstOffset, "dstOffset");
    }

    @Override
    public AioRequest getFlags(AioFile file, AioCallback<Integer> callback) {
        FileHandle h = handle(file);
        return call(Op.GETFLAGS, file, getFlagsCall(h), callback);
    }

    private static SysRequest.Call getFlagsCall(FileHandle h) {
        return s -> {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            s.ioctl(h, AioConstants.FS_IOC_GETFLAGS, b);
            return b.getInt(0);
        };
    }

    @Override
    public AioRequest setFlags(AioFile file, int flags, AioCallback<Void> callback) {
        FileHandle h = handle(file);
        return status(Op.SETFLAGS, file, setFlagsCall(h, flags), callback);
    }

    private static SysRequest.StatusCall setFlagsCall(FileHandle h, int flags) {
        return s -> {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            b.putInt(0, flags);
            return s.ioctl(h, AioConstants.FS_IOC_SETFLAGS, b);
        };
    }

    @Override
    public AioRequest fionread(AioFile file, AioCallback<Integer> callback) {
        FileHandle h = handle(file);
        return call(Op.FIONREAD, file, fionreadCall(h), callback);
    }

    private static SysRequest.Call fionreadCall(FileHandle h) {
        return s -> {
            ByteBuffer b = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
            s.ioctl(h, AioConstants.FIONREAD, b);
            return b.getInt(0);
        };
    }

    @Override
    public AioRequest fiemap(AioFile file, long start, Long length, int flags, Integer count,
            AioCallback<List<FiemapExtent>> callback) {
        FileHandle h = handle(file);
        long len = checkFiemap(start, length, count);
        int c = count == null ? -1 : count;
        return call(Op.FIEMAP, file, s -> s.fiemap(h, start, len, flags, c), callback);
    }

    @Override
    public AioRequest fiemapCount(AioFile file, long start, Long length, int flags, AioCallback<Long> callback) {
        FileHandle h = handle(file);
        long len = checkFiemap(start, length, null);
        return call(Op.FIEMAP, file, s -> s.fiemapCount(h, start, len, flags), callback);
    }

    private static long checkFiemap(long start, Long length, Integer count) {
        nonNegative(start, "start");
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be 1 or more, or null for all extents (for the number of extents: fiemapCount), got " + count);
        }
        return length == null ? -1 : nonNegative(length, "length");
    }

    @Override
    public AioRequest mlock(ByteBuffer buffer, long offset, Long length, AioCallback<Void> callback) {
        long len = memoryRange(buffer, offset, length);
        return status(Op.MLOCK, null, s -> s.mlock(buffer, offset, len, true), callback);
    }

    @Override
    public AioRequest mlockall(int flags, AioCallback<Void> callback) {
        return status(Op.MLOCKALL, null, s -> s.mlockall(flags), callback);
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

    @Override
    public AioRequest splice(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags,
            AioCallback<Long> callback) {
        return call(Op.SPLICE, in, spliceCall(in, inOffset, out, outOffset, length, flags), callback);
    }

    private static SysRequest.Call spliceCall(AioFile in, Long inOffset, AioFile out, Long outOffset, long length, int flags) {
        FileHandle i = handle(in);
        FileHandle o = handle(out);
        long io = inOffset == null ? -1 : nonNegative(inOffset, "inOffset");
        long oo = outOffset == null ? -1 : nonNegative(outOffset, "outOffset");
        nonNegative(length, "length");
        return s -> s.splice(i, io, o, oo, length, flags);
    }

    @Override
    public AioRequest tee(AioFile in, AioFile out, long length, int flags, AioCallback<Long> callback) {
        FileHandle i = handle(in);
        FileHandle o = handle(out);
        nonNegative(length, "length");
        return call(Op.TEE, in, s -> s.tee(i, o, length, flags), callback);
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
    @Override
    public AioRequest scandir(String path, int maxreq, AioCallback<DirScan> callback) {
        return scandir(lexical(path, "path"), maxreq, callback);
    }

    @Override
    public AioRequest rmtree(String path, AioCallback<Void> callback) {
        return rmtree(lexical(path, "path"), callback);
    }

    @Override
    public AioRequest copy(String src, String dst, AioCallback<Void> callback) {
        return copy(lexical(src, "src"), lexical(dst, "dst"), callback);
    }

    @Override
    public AioRequest move(String src, String dst, AioCallback<Void> callback) {
        return move(lexical(src, "src"), lexical(dst, "dst"), callback);
    }

    @Override
    public AioRequest copyTree(String src, String dst, AioCallback<Void> callback) {
        return copyTree(lexical(src, "src"), lexical(dst, "dst"), callback);
    }

    @Override
    public AioRequest wd(String dir, AioCallback<AioWorkingDirectory> callback) {
        return wd(lexical(dir, "dir"), callback);
    }

    @Override
    public AioRequest jail(String dir, AioCallback<AioWorkingDirectory> callback) {
        return jail(lexical(dir, "dir"), callback);
    }

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

    /** Requests whose deadline passed while they were queued, or while they waited executing (a record lock). */
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
        if (!view) {
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
     * syscall), also from an interrupted thread (the interrupt is kept); when a worker is still
     * blocked then, add the time to log the WARNING that says so (measured 4-9 ms, 40-55 ms as a
     * process's first log record). Idempotent: a concurrent
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
        return !view && scheduler.close(nanos);
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

    /** The calling thread's next-request settings, after checking the engine is open; a view's bound priority and deadline put in. */
    private Next take() {
        Next n = scheduler.next();
        if (boundPri != UNBOUND) {
            n.pri = boundPri;
        }
        if (boundTimeoutNanos >= 0) {
            n.timeoutNanos = boundTimeoutNanos;
        }
        return n;
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

    private AioRequest call(Op op, Object target, SysRequest.Call c, AioCallback<?> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(sysRequest(n, callback, op, target, c), n);
    }

    private AioRequest status(Op op, Object target, SysRequest.StatusCall c, AioCallback<Void> callback) {
        requireCallback(callback);
        Next n = take();
        return submit(sysRequest(n, callback, op, target, c), n);
    }

    /**
     * A filesystem request, routed to the io_uring lane when the engine has one, its operation has
     * an io_uring operation among {@link #ringOps}, it names no path or this is the engine itself
     * (not a working-directory view), and the ring takes its call.
     */
    private SysRequest sysRequest(Next n, AioCallback<?> callback, Op op, Object target, Object c) {
        SysRequest r = new SysRequest(scheduler, n.pri, callback, op, target, sys, c);
        UringBackend ring = scheduler.ring();
        if (ring != null && op.kind() == Op.Kind.URING && ringOps.contains(op.uring()) && (wd == null || !op.paths())
                && ring.accepts(c)) {
            r.viaRing();
        }
        return r;
    }

    /** A {@code String} argument of a composite request as the {@code Path} it takes; IllegalArgumentException if none can hold it. */
    private static Path lexical(String path, String what) {
        if (path == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        try {
            return Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(what + " " + e.getMessage(), e);
        }
    }

    /** A {@code Path} argument as a pathname; IllegalArgumentException naming {@code what} if {@code null}. */
    private static Pathname name(Path path, String what) {
        requirePath(path, what);
        return Pathname.of(path);
    }

    /**
     * A {@code String} argument as a pathname, kept exactly; IllegalArgumentException naming {@code
     * what} if {@code null}. A name no syscall takes (empty, a NUL byte) is its errno when it executes.
     */
    private static Pathname name(String path, String what) {
        if (path == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return Pathname.of(path);
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

    private static SysRequest.Call loadCall(Pathname path) {
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
    private static <T> T withFile(Syscalls s, Pathname path, FileBody<T> body) throws SyscallException {
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
        private boolean batchWorkers = true;
        private AioBackend backend = AioBackend.AUTO;
        private IoUringMode ioUring = IoUringMode.AUTO;
        private Set<IoUringOp> ioUringOps = IoUringOp.defaults();
        private Syscalls syscalls;
        private UnaryOperator<Syscalls> decorator;

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
         * Whether worker threads run under Linux's {@code SCHED_BATCH} policy (default {@code
         * true}; needs the native layer, Java 22+ on Linux, and is ignored without it). A batch
         * thread keeps its share of the processor but never preempts a running thread when it
         * wakes, so a worker woken for a request does not push the polling thread, or an event
         * loop, off its processor: the callback of a high-priority request is not held up for a
         * time slice behind workers still busy with low-priority ones.
         *
         * @param batch {@code false} to leave workers under the default policy
         * @return this builder
         */
        public Builder batchWorkers(boolean batch) {
            this.batchWorkers = batch;
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

        /** Tests: run requests on this syscall layer. */
        Builder syscalls(Syscalls syscalls) {
            this.syscalls = syscalls;
            return this;
        }

        /** Tests: put {@code decorator}'s layer (a fault injector) over the engine's and, above the working directory, each view's; io_uring off. */
        Builder decorate(UnaryOperator<Syscalls> decorator) {
            this.decorator = decorator;
            return this;
        }

        /** A new engine; no thread starts until the first request. */
        public AioEngine build() {
            return new AioEngine(this);
        }
    }
}
