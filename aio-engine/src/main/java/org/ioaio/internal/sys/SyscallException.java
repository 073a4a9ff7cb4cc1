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

import org.ioaio.AioException;
import org.ioaio.Errno;

/**
 * A syscall that failed, carrying the errno it set: the expected outcome of a failing syscall, so
 * it has no stack trace and no suppressed exceptions (it costs one small allocation).
 *
 * <p>The cause, when present, is the Java exception the errno was mapped from (portable layer).
 */
public final class SyscallException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * A failure with {@code errno}.
     *
     * @param errno the POSIX error number, greater than 0
     */
    public SyscallException(int errno) {
        this(errno, null);
    }

    /**
     * A failure with {@code errno}.
     *
     * @param errno the error
     */
    public SyscallException(Errno errno) {
        this(errno.code(), null);
    }

    /**
     * A failure with {@code errno}, mapped from {@code cause}.
     *
     * @param errno the POSIX error number, greater than 0
     * @param cause the Java exception it was mapped from, or {@code null}
     */
    public SyscallException(int errno, Throwable cause) {
        super(null, cause, false, false);
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        this.errno = errno;
    }

    /** The POSIX error number. */
    public int errno() {
        return errno;
    }

    /** The error as an {@link Errno} constant, or {@code null} for a number the enum does not name. */
    public Errno error() {
        return Errno.of(errno);
    }

    /** The errno's name and message, {@code "ENOENT (No such file or directory)"}. */
    @Override
    public String getMessage() {
        return Errno.describe(errno);
    }

    /**
     * The public form of this failure, for a request's future.
     *
     * @param operation the request's name ({@code "stat"})
     * @param path the path the request was given, or {@code null}
     * @return an {@link AioException} with this errno and cause
     */
    public AioException toAioException(String operation, String path) {
        return new AioException(errno, operation, path, getCause());
    }
}
