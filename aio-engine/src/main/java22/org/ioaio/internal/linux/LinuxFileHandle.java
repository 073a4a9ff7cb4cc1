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

package org.ioaio.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.ioaio.Errno;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;

/**
 * A file {@link LinuxSyscalls} opened: a real file descriptor.
 *
 * <p><b>No descriptor reuse races.</b> A descriptor number is reused by the next {@code open} once
 * closed, so a call that read the number just before another thread closed it could act on some
 * other file. Every call therefore brackets its use with {@link #acquire()} and {@link #unuse()}: a
 * closed handle can no longer be acquired (EBADF), and {@code close(2)} itself runs when the last
 * call in flight ends. Closing a handle while a call on it is running thus returns at once; the
 * descriptor is released when that call returns (a call blocked on a FIFO or device keeps it until
 * it returns). A close with no call in flight reports {@code close(2)}'s own errno; a deferred one
 * cannot report it to anybody, as with {@code FileChannel}.
 *
 * <p><b>State</b>, one {@code int}: bit 31 close requested, bit 30 descriptor closed, bits 0-29
 * the calls in flight. Only the first close request or the last {@link #unuse()} after it closes
 * the descriptor, exactly once; a handle dropped without being closed is closed by a
 * {@link Cleaner} when it becomes unreachable (as a {@code FileChannel}'s descriptor is).
 */
final class LinuxFileHandle extends FileHandle {

    /** Bit 31: close requested; nothing can be acquired any more. */
    private static final int CLOSE_REQUESTED = 0x8000_0000;
    /** Bit 30: the descriptor has been closed (or is being closed). */
    private static final int FD_CLOSED = 0x4000_0000;
    /** Bits 0-29: calls in flight. */
    private static final int USERS = 0x3fff_ffff;

    private static final Cleaner CLEANER = Cleaner.create();

    /** The descriptor; valid while the state says it is not closed. */
    final int fd;

    /**
     * Whether the descriptor is seekable (positional I/O allowed), found out by the io_uring lane
     * on first use: 0 not known yet, 1 seekable, 2 not (a FIFO, a socket: {@code pread} gives ESPIPE).
     * Racy on purpose: every thread that finds it unknown finds the same answer.
     */
    volatile byte seekable;
    /** See the class comment; shared with the cleaner's action, which must not reference the handle. */
    private final AtomicInteger state;
    private final Cleaner.Cleanable cleanable;
    /** The outcome of a close handed back by the io_uring lane ({@link #handBackClose}); -1 for none. Guarded by this handle's monitor. */
    private int handedBack = -1;

    /**
     * A handle owning {@code fd}.
     *
     * @param path the path it was opened with
     * @param flags the {@code O_*} flags it was opened with
     * @param fd the descriptor, now owned by the handle
     */
    LinuxFileHandle(Path path, int flags, int fd) {
        super(path, flags);
        this.fd = fd;
        this.state = new AtomicInteger();
        this.cleanable = CLEANER.register(this, new Reclaim(fd, state));
    }

    /**
     * Marks a call in flight and returns the descriptor, valid until {@link #unuse()}.
     *
     * @return the descriptor
     * @throws SyscallException EBADF when the handle is closed
     */
    int acquire() throws SyscallException {
        for (;;) {
            int s = state.get();
            if ((s & CLOSE_REQUESTED) != 0 || (s & USERS) == USERS) {
                throw new SyscallException(Errno.EBADF);
            }
            if (state.compareAndSet(s, s + 1)) {
                return fd;
            }
        }
    }

    /** Ends a call begun by {@link #acquire()}; the last one after a close request closes the descriptor. */
    void unuse() {
        int s = state.decrementAndGet();
        if (s == CLOSE_REQUESTED && state.compareAndSet(CLOSE_REQUESTED, CLOSE_REQUESTED | FD_CLOSED)) {
            closeQuietly(fd);
        }
    }

    /** Whether the descriptor can still be acquired (for diagnostics and tests). */
    @Override
    protected boolean resourceOpen() {
        return (state.get() & CLOSE_REQUESTED) == 0;
    }

    /**
     * {@code close(2)} now if no call is in flight, otherwise when the last one ends.
     *
     * @throws SyscallException the errno of {@code close(2)} when it ran here (EIO, ENOSPC, EDQUOT on
     *     some file systems); the descriptor is released all the same
     */
    @Override
    protected void release() throws SyscallException {
        int idleFd = requestClose();
        if (idleFd >= 0) {
            closeOrThrow(idleFd);
        }
    }

    /**
     * Requests the close: nothing can be acquired any more. Returns the descriptor when no call is
     * in flight, for the caller to close now (the cleaner is disarmed); -1 when the last call in
     * flight will close it.
     */
    private int requestClose() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSE_REQUESTED) != 0) {
                return -1; // FileHandle calls release() once; defensive
            }
            boolean idle = (s & USERS) == 0;
            int next = s | CLOSE_REQUESTED | (idle ? FD_CLOSED : 0);
            if (state.compareAndSet(s, next)) {
                if (idle) {
                    cleanable.clean(); // runs Reclaim, which sees FD_CLOSED set and does nothing
                    return fd;
                }
                return -1;
            }
        }
    }

    /**
     * {@code close(2)} for the io_uring lane, which closes the descriptor in the kernel ({@code
     * IORING_OP_CLOSE}): marks the handle closed exactly as {@link #closeOnce()} does, and returns
     * the descriptor if no call is in flight, which the caller must then close; or -1 when calls are
     * in flight, the last of which closes it (a deferred close, which reports success at once).
     *
     * @return the descriptor to close, or -1
     * @throws SyscallException EBADF if the handle was already closed
     */
    int closeForRing() throws SyscallException {
        markClosed();
        return requestClose();
    }

    /**
     * The io_uring lane took a close with {@link #closeForRing()} but the kernel never took its entry:
     * the descriptor it was to close, if any, is closed now, and the outcome is kept for the next
     * {@code close(2)} of this handle ({@link LinuxSyscalls#close}), which the workers then run.
     *
     * @param idleFd what {@link #closeForRing()} returned
     */
    void handBackClose(int idleFd) {
        int errno = 0;
        if (idleFd >= 0) {
            try {
                closeOrThrow(idleFd);
            } catch (SyscallException e) {
                errno = e.errno();
            }
        }
        synchronized (this) {
            handedBack = errno;
        }
    }

    /**
     * The outcome (0 or an errno) of a close handed back by {@link #handBackClose}, once; -1 if none.
     *
     * @return the errno, 0, or -1
     */
    synchronized int takeHandedBackClose() {
        int e = handedBack;
        handedBack = -1;
        return e;
    }

    private static void closeOrThrow(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
            int r = (int) Libc.CLOSE.invokeExact(capture, fd);
            if (r < 0) {
                throw new SyscallException(Libc.errno(capture)); // Linux never retries: the fd is gone
            }
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close downcall failed", t);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            closeOrThrow(fd);
        } catch (SyscallException e) {
            // a deferred close has nobody to report to
        }
    }

    /** The cleaner's action: closes the descriptor of a handle that became unreachable unclosed. */
    private static final class Reclaim implements Runnable {
        private final int fd;
        private final AtomicInteger state;

        Reclaim(int fd, AtomicInteger state) {
            this.fd = fd;
            this.state = state;
        }

        @Override
        public void run() {
            // Unreachable means no call is in flight (each holds the handle): state is 0 unless closed.
            if (state.compareAndSet(0, CLOSE_REQUESTED | FD_CLOSED)) {
                closeQuietly(fd);
            }
        }
    }
}
