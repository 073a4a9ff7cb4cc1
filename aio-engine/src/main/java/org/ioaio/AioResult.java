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

/**
 * What a callback receives: the outcome of one request, read inside the callback.
 *
 * <p>As in IO::AIO, {@link #status()} is the syscall's return value ({@code -1} on error) and
 * {@link #errno()} is what {@code $!} would hold. Requests that return data (stat, readlink,
 * readdir...) also have a {@link #value()}, {@code null} on error. The object is the request
 * itself, so reading it allocates nothing; do not keep it after the callback returns.
 *
 * @param <T> the value type
 */
public interface AioResult<T> {

    /** The syscall's return value: {@code -1} on error, otherwise the request's own (bytes, offset, 0). */
    long status();

    /** The POSIX error number, 0 on success ({@link Errno#ETIMEDOUT} when the deadline passed first). */
    int errno();

    /** The request's value, or {@code null} on error or for requests that return only a status. */
    T value();

    /** {@code true} when the request succeeded ({@code errno() == 0}). */
    default boolean ok() {
        return errno() == 0;
    }

    /**
     * The failure as an exception: {@code null} on success, an {@link AioException} for an errno, or
     * the exception a custom task threw.
     */
    Throwable failure();

    /** The request this is the outcome of. */
    AioRequest request();
}
