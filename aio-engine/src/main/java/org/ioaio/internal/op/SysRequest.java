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

package org.ioaio.internal.op;

import org.ioaio.AioCallback;
import org.ioaio.AioConstants;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Request;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * A filesystem request: one call (or a short fixed sequence, for IO::AIO's single-request
 * composites such as {@code slurp}) into the {@link Syscalls} layer, run on a worker.
 *
 * <p>A {@link Call} returns the request's value: a {@link Number} also becomes the status (bytes
 * read, new offset), a buffer or array its length in bytes (slurp, load), anything else leaves
 * the status 0. A {@link StatusCall} returns only a status
 * (the value stays {@code null}, for the {@code Void} requests). A {@link SyscallException} becomes
 * the errno; the status is then -1, as IO::AIO passes.
 */
// Stays in org.ioaio.internal with the per-call records that implement its Call interfaces; it
// reaches the scheduler only through Request's protected hooks (helpable, routeToRing).
public class SysRequest extends Request {

    /** A call that yields the request's value. */
    @FunctionalInterface
    public interface Call {
        /**
         * Runs on a worker.
         *
         * @param sys the engine's syscall layer
         * @return the value
         * @throws SyscallException with the errno
         */
        Object run(Syscalls sys) throws SyscallException;
    }

    /** A call that yields only a status (0 for most). */
    @FunctionalInterface
    public interface StatusCall {
        /**
         * Runs on a worker.
         *
         * @param sys the engine's syscall layer
         * @return the status
         * @throws SyscallException with the errno
         */
        long run(Syscalls sys) throws SyscallException;
    }

    /**
     * The operations whose calls only name files, whether a request's own or a composite's step
     * (scandir's listings and stats, rmtree's unlinks, copyTree's and move's mkdir, lstat, rename):
     * none opens a file or uses an open one.
     */
    private static final boolean[] NAMING = byOrdinal(Op.STAT, Op.LSTAT, Op.STATX, Op.READLINK,
            Op.READDIR, Op.READDIRX, Op.MKDIR, Op.RMDIR, Op.UNLINK, Op.RENAME, Op.LINK, Op.SYMLINK);

    /**
     * The operations that may wait for as long as another party or a device takes, whatever their
     * arguments: a pipe's or socket's other end (sendfile's output, splice, tee, ioctl), a lock's
     * holder (fcntl's F_SETLKW), the disk (the sync family), or whatever a path names once it is
     * opened (slurp, load, pathsync and, on the portable layer, truncate open it: a FIFO's open
     * waits for its other end). Open, read and write are decided by their arguments ({@link
     * #batchable}).
     */
    private static final boolean[] MAY_WAIT = byOrdinal(Op.SENDFILE, Op.SPLICE, Op.TEE, Op.IOCTL, Op.FCNTL,
            Op.FSYNC, Op.FDATASYNC, Op.SYNCFS, Op.SYNC_FILE_RANGE, Op.SYNC, Op.MSYNC, Op.PATHSYNC, Op.SLURP,
            Op.LOAD, Op.TRUNCATE);

    /** The open flags with which an open never waits for a FIFO's other end. */
    private static final int OPEN_NEVER_WAITS = AioConstants.O_NONBLOCK | AioConstants.O_PATH | AioConstants.O_DIRECTORY;

    /** A flag per operation, by ordinal: {@link #helpable} runs for every request a worker looks at. */
    private static boolean[] byOrdinal(Op... ops) {
        boolean[] set = new boolean[Op.values().length];
        for (Op o : ops) {
            set[o.ordinal()] = true;
        }
        return set;
    }

    private final Op op;
    private final Object target;
    private final Syscalls sys;
    private final Object call;

    /**
     * A request of {@code op} on {@code target}.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     * @param op what it is ({@link Op#STAT})
     * @param target the path or file it works on, for error messages (may be {@code null})
     * @param sys the syscall layer
     * @param call a {@link Call} or a {@link StatusCall}
     */
    public SysRequest(Scheduler scheduler, int pri, AioCallback<?> callback, Op op, Object target,
            Syscalls sys, Object call) {
        super(scheduler, pri, callback);
        this.op = op;
        this.target = target;
        this.sys = sys;
        this.call = call;
    }

    @Override
    protected void execute() {
        try {
            if (call instanceof StatusCall s) {
                succeed(s.run(sys), null);
            } else {
                Object v = ((Call) call).run(sys);
                long status = 0;
                if (v instanceof Number n) {
                    status = n.longValue();
                } else if (v instanceof java.nio.ByteBuffer b) {
                    status = b.remaining();
                } else if (v instanceof byte[] a) {
                    status = a.length;
                }
                succeed(status, v);
            }
        } catch (SyscallException e) {
            fail(e.errno());
        }
    }

    /** The call this request makes (a ring looks at it to encode the operation). */
    @Override
    public Object call() {
        return call;
    }

    /**
     * Records the result of an operation a ring executed for this request: minus an errno, or a
     * status and the value.
     *
     * @param result the completion's result
     * @param value the value on success
     */
    public void completeFromRing(int result, Object value) {
        if (result < 0) {
            fail(-result);
        } else {
            succeed(result, value);
        }
    }

    /**
     * Records the result of a read, write or sync a ring executed for this request: minus an
     * errno, or a status that read and write also return as their value ({@link StatusCall}s have none).
     *
     * @param result the completion's result
     */
    public void completeFromRing(int result) {
        if (result < 0) {
            fail(-result);
        } else if (call instanceof StatusCall) {
            succeed(result, null);
        } else {
            succeed(result, Integer.valueOf(result));
        }
    }

    /**
     * Routes this request to the scheduler's io_uring lane; call before submitting it.
     *
     * @return this request
     */
    public SysRequest viaRing() {
        routeToRing();
        return this;
    }

    /**
     * Every call but those that may wait for another party or the disk ({@link #MAY_WAIT}), an open
     * that may wait for a FIFO's other end (one without O_NONBLOCK, O_PATH or O_DIRECTORY), and a
     * read or write at the file's position (read(2) of a FIFO or socket waits for data; pread and
     * pwrite of one fail at once with ESPIPE).
     */
    @Override
    protected boolean batchable() {
        if (op == Op.OPEN) {
            // A composite's open step (its own call, not an OpenCall) counts as one that may wait.
            return call instanceof OpenCall open && (open.flags() & OPEN_NEVER_WAITS) != 0;
        }
        if (op == Op.READ || op == Op.WRITE) {
            return call instanceof IoCall io && io.offset() != IoCall.CURRENT;
        }
        return !MAY_WAIT[op.ordinal()];
    }

    /**
     * A {@link #batchable()} call of a layer whose calls survive interrupts; on the portable layer,
     * one that only names files ({@link #NAMING}, see {@link Syscalls#namingCallsSurviveInterrupts()}).
     */
    @Override
    protected boolean helpable() {
        return batchable() && (sys.survivesInterrupts() || (NAMING[op.ordinal()] && sys.namingCallsSurviveInterrupts()));
    }

    @Override
    public Op op() {
        return op;
    }

    @Override
    public String path() {
        if (target == null) {
            return null;
        }
        if (target instanceof org.ioaio.AioFile f) {
            return String.valueOf(f.path());
        }
        return target.toString();
    }
}
