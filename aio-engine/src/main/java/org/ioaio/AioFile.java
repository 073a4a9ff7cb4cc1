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

import java.io.Closeable;
import java.nio.file.Path;

/**
 * An open file: what {@code open} yields (IO::AIO yields a Perl filehandle), to pass to the
 * requests that take one ({@code read}, {@code write}, {@code fstat}, {@code fsync}, {@code close}...).
 *
 * <p>It holds what the syscall layer opened (a {@code FileChannel} on the portable layer, a file
 * descriptor on the native one) and is implemented there; do not implement this interface: the
 * engine rejects handles it did not open.
 *
 * <p><b>Position.</b> Reads and writes given no offset use and advance the file's own position,
 * as {@code read(2)} and {@code write(2)} use the descriptor's offset; reads and writes given an
 * offset ({@code pread}/{@code pwrite}) leave it alone. Like the descriptor's offset it is shared:
 * concurrent position-less requests on one file interleave unpredictably. With
 * {@link AioConstants#O_APPEND} every write goes to the end of the file, including writes given an
 * offset (as Linux's {@code pwrite} does on such a descriptor), and leaves the position there.
 *
 * <p><b>Closing.</b> The file is released exactly once, by the first of the {@code close} request
 * or {@link #close()}. Every request on a closed file fails with {@link Errno#EBADF}, a second
 * {@code close} request included; {@link #close()} itself does nothing when already closed, so
 * try-with-resources is safe after an explicit {@code close} request. The caller owns the file:
 * the engine never closes one it handed out.
 */
public interface AioFile extends Closeable {

    /** The path it was opened with, after the syscall layer resolved it (relative paths against the working directory). */
    Path path();

    /** The flags it was opened with ({@link AioConstants#O_RDONLY} and the other {@code O_*} bits). */
    int flags();

    /** {@code true} until it is closed. */
    boolean isOpen();

    /**
     * Closes it now, on the calling thread; does nothing if it is already closed.
     *
     * @throws AioException if releasing it failed (the file is closed all the same, as with {@code close(2)})
     */
    @Override
    void close() throws AioException;
}
