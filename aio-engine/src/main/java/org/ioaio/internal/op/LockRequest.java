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
import org.ioaio.Errno;
import org.ioaio.RecordLock;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Request;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * A record lock as a request ({@code fcntl(F_OFD_SETLK)}, or {@code F_SETLK} for a process lock)
 * whose wait a cancel or a deadline ends.
 * Why it polls, and why nothing leaks: see the package comment.
 */
public final class LockRequest extends Request {

    /** The first back-off between tries, in milliseconds. */
    static final long FIRST_BACKOFF_MS = 1;
    /** The longest back-off between tries, in milliseconds. */
    static final long MAX_BACKOFF_MS = 20;

    private final Scheduler owner;
    private final Syscalls sys;
    private final FileHandle file;
    private final RecordLock lock;
    private final boolean process;
    private final boolean wait;
    /** {@link System#nanoTime()} when the deadline passes; 0 for none. */
    private final long deadline;
    private final Object monitor = new Object();

    /**
     * A lock request.
     *
     * @param scheduler the owner
     * @param pri priority
     * @param callback callback or {@code null}
     * @param sys the syscall layer
     * @param file the file
     * @param lock type ({@code F_RDLCK}/{@code F_WRLCK}), start and length
     * @param process a process lock ({@code F_SETLK}) rather than an open-file-description lock
     * @param wait whether to wait while the range is held by another
     * @param timeoutNanos the request's deadline, relative to now; 0 for none
     */
    public LockRequest(Scheduler scheduler, int pri, AioCallback<?> callback, Syscalls sys, FileHandle file,
            RecordLock lock, boolean process, boolean wait, long timeoutNanos) {
        super(scheduler, pri, callback);
        this.owner = scheduler;
        this.sys = sys;
        this.file = file;
        this.lock = lock;
        this.process = process;
        this.wait = wait;
        this.deadline = timeoutNanos > 0 ? Math.max(1, System.nanoTime() + timeoutNanos) : 0;
    }

    private int setCmd() {
        return process ? AioConstants.F_SETLK : AioConstants.F_OFD_SETLK;
    }

    @Override
    protected void execute() {
        long backoff = FIRST_BACKOFF_MS * 1_000_000L;
        boolean interrupted = false;
        try {
            for (;;) {
                if (isCancelled()) {
                    fail(Errno.ECANCELED.code());
                    return;
                }
                long left = deadline == 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (left <= 0) {
                    failTimedOut();
                    return;
                }
                try {
                    sys.fcntlLock(file, setCmd(), lock);
                    if (isCancelled()) {
                        release(); // granted, but nobody wants it any more
                        fail(Errno.ECANCELED.code());
                    } else {
                        succeed(0, null);
                    }
                    return;
                } catch (SyscallException e) {
                    int errno = e.errno();
                    if (!wait || (errno != Errno.EAGAIN.code() && errno != Errno.EACCES.code())) {
                        fail(errno);
                        return;
                    }
                }
                if (owner.isClosed()) {
                    fail(Errno.ECANCELED.code()); // the engine is closing: a wait would outlive it
                    return;
                }
                long sleep = Math.min(backoff, left);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS * 1_000_000L);
                synchronized (monitor) {
                    if (!isCancelled()) {
                        try {
                            monitor.wait(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                        } catch (InterruptedException e) {
                            interrupted = true; // re-checked above; restored when the request ends
                        }
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Releases the lock this request took; a failure is logged (nobody else can see it). */
    private void release() {
        try {
            sys.fcntlLock(file, setCmd(), new RecordLock(AioConstants.F_UNLCK, lock.start(), lock.length(), 0));
        } catch (SyscallException e) {
            System.getLogger("org.ioaio").log(System.Logger.Level.WARNING,
                    "aio: releasing the lock of cancelled request lock failed: " + Errno.describe(e.errno()));
        }
    }

    @Override
    public void cancel() {
        super.cancel();
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    @Override
    protected void deliverCancelled() {
        if (errno() == 0) {
            release(); // the worker took it before it saw the cancel
        }
        super.deliverCancelled();
    }

    @Override
    public Op op() {
        return Op.LOCK;
    }

    @Override
    public String path() {
        return String.valueOf(file.path());
    }
}
