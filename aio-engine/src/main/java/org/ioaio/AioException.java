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

import java.io.IOException;

/**
 * A request that failed with an errno: the future form's failure, carrying what the callback form
 * sees as {@link AioResult#errno()}, plus the operation and the path (when it had one).
 */
public class AioException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String operation;
    private final String path;

    /**
     * A failure of {@code operation} on {@code path} with {@code errno}.
     *
     * @param errno the POSIX error number (see {@link Errno})
     * @param operation the request's name, as IO::AIO names it without {@code aio_} ({@code "stat"})
     * @param path the path the request was given, or {@code null}
     */
    public AioException(int errno, String operation, String path) {
        this(errno, operation, path, null);
    }

    /**
     * A failure of {@code operation} on {@code path} with {@code errno}, caused by {@code cause}.
     *
     * @param errno the POSIX error number (see {@link Errno})
     * @param operation the request's name ({@code "stat"})
     * @param path the path the request was given, or {@code null}
     * @param cause the Java exception the errno was mapped from, or {@code null}
     */
    public AioException(int errno, String operation, String path, Throwable cause) {
        super(operation + (path == null ? "" : " " + path) + ": " + Errno.describe(errno), cause);
        this.errno = errno;
        this.operation = operation;
        this.path = path;
    }

    /** The POSIX error number. */
    public int errno() {
        return errno;
    }

    /** The error as an {@link Errno} constant, or {@code null} for a number it does not name. */
    public Errno error() {
        return Errno.of(errno);
    }

    /** The request's operation name ({@code "stat"}, {@code "open"}...). */
    public String operation() {
        return operation;
    }

    /** The path the request was given, or {@code null} when it had none. */
    public String path() {
        return path;
    }
}
