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

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.Errno;

/**
 * What a {@link Syscalls} implementation opened: the {@link AioFile} users hold, with the
 * close-exactly-once rule. Each implementation subclasses it with its own resource (a channel, a
 * descriptor) and accepts only its own handles, failing others with EBADF.
 *
 * <p>Closing: {@link #closeOnce()} is {@code close(2)}: it releases the resource the first time
 * and fails with EBADF afterwards. {@link #close()} is the idempotent {@link AioFile#close()}.
 * Either way {@link #release()} runs exactly once, and {@link #isOpen()} turns false before it does,
 * so every later call fails with EBADF; a call already running when the handle closes ends as the
 * resource lets it (a {@code FileChannel} makes it fail with EBADF).
 */
public abstract class FileHandle implements AioFile {

    private final Path path;
    private final int flags;
    /** Set once, by whichever close comes first. */
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A handle for a file opened at {@code path} with {@code flags}.
     *
     * @param path the resolved path it was opened with
     * @param flags the {@code O_*} flags it was opened with
     */
    protected FileHandle(Path path, int flags) {
        this.path = path;
        this.flags = flags;
    }

    @Override
    public final Path path() {
        return path;
    }

    @Override
    public final int flags() {
        return flags;
    }

    /** {@code true} until it is closed, by a close call or by its resource failing (a channel closed by an interrupt). */
    @Override
    public final boolean isOpen() {
        return !closed.get() && resourceOpen();
    }

    /**
     * Fails with EBADF when closed.
     *
     * @throws SyscallException EBADF if the handle is closed
     */
    public final void ensureOpen() throws SyscallException {
        if (!isOpen()) {
            throw new SyscallException(Errno.EBADF);
        }
    }

    /**
     * Whether the underlying resource is still usable; a subclass whose resource can be closed
     * from outside (a {@code FileChannel} closes itself when its thread is interrupted) says so here.
     *
     * @return {@code true} by default
     */
    protected boolean resourceOpen() {
        return true;
    }

    /**
     * {@code close(2)}: releases the resource, or fails with EBADF if it was already closed. The
     * handle is closed afterwards even when releasing fails, as a descriptor is after {@code close(2)}.
     *
     * @throws SyscallException EBADF if already closed, or the error releasing it reported
     */
    public final void closeOnce() throws SyscallException {
        if (!closed.compareAndSet(false, true)) {
            throw new SyscallException(Errno.EBADF);
        }
        release();
    }

    /**
     * The first half of {@link #closeOnce()}, for a subclass that releases its resource by other
     * means (the io_uring lane closes a descriptor in the kernel): marks the handle closed, or fails
     * with EBADF if it already was. {@link #release()} is then never called.
     *
     * @throws SyscallException EBADF if already closed
     */
    protected final void markClosed() throws SyscallException {
        if (!closed.compareAndSet(false, true)) {
            throw new SyscallException(Errno.EBADF);
        }
    }

    /** Closes it if still open (idempotent); reports a failure to release it as an {@link AioException}. */
    @Override
    public final void close() throws AioException {
        if (closed.compareAndSet(false, true)) {
            try {
                release();
            } catch (SyscallException e) {
                throw e.toAioException("close", path.toString());
            }
        }
    }

    /**
     * Releases the underlying resource; called exactly once.
     *
     * @throws SyscallException if releasing it reported an error (it is released all the same)
     */
    protected abstract void release() throws SyscallException;

    /** The path, flags and state, for logs. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path + ", flags=0" + Integer.toOctalString(flags)
                + (isOpen() ? "" : ", closed") + "]";
    }
}
