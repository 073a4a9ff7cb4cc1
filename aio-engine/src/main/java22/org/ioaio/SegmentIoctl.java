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

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Java 22+: {@code aio_ioctl} with a caller's {@link MemorySegment} as the argument, the raw form
 * for any request. The segment is handed to {@link AioOperations#ioctl(AioFile, long, ByteBuffer,
 * AioCallback)} as {@link MemorySegment#asByteBuffer()}, so the same rules apply (the kernel gets
 * the segment's address; a request that encodes its size needs that many bytes; ENOSYS on the
 * portable backend). This class is compiled for Java 22 beside the Java 17 API and is loaded only
 * by a caller that uses it, so the Java 17 API shows no {@code MemorySegment}.
 *
 * <p>The segment must be native, writable, and accessible from the engine's worker threads (a
 * global, automatic or shared arena's; a confined arena's segment is refused); keep its arena open
 * until the request is done (closing a shared arena while the request runs fails with {@link
 * IllegalStateException}, as for any downcall using it).
 */
public final class SegmentIoctl {

    /** A thread that never runs: a segment it may access is accessible from any worker. */
    private static final Thread ANOTHER_THREAD = Thread.ofVirtual().unstarted(() -> { });

    private SegmentIoctl() {}

    /**
     * {@code ioctl(fd, request, arg's address)} as a request.
     *
     * @param aio the engine (or a view of it)
     * @param file the file
     * @param request the request number
     * @param arg the argument, read or written by the kernel
     * @param callback receives what {@code ioctl} returns, or the errno
     * @return the request
     * @throws IllegalArgumentException for a heap, read-only, confined or over-2-GiB segment, or one smaller than the request's encoded size
     */
    public static AioRequest ioctl(AioOperations aio, AioFile file, long request, MemorySegment arg, AioCallback<Long> callback) {
        return aio.ioctl(file, request, buffer(arg), callback);
    }

    /**
     * The future form of {@link #ioctl(AioOperations, AioFile, long, MemorySegment, AioCallback)}.
     *
     * @param aio the engine (or a view of it)
     * @param file the file
     * @param request the request number
     * @param arg the argument, read or written by the kernel
     * @return what {@code ioctl} returns
     * @throws IllegalArgumentException as the callback form
     */
    public static AioFuture<Long> ioctl(AioOperations aio, AioFile file, long request, MemorySegment arg) {
        return aio.ioctl(file, request, buffer(arg));
    }

    private static ByteBuffer buffer(MemorySegment arg) {
        if (arg == null || !arg.isNative()) {
            throw new IllegalArgumentException("arg must be a native segment (the kernel gets its address)");
        }
        if (arg.isReadOnly()) {
            throw new IllegalArgumentException("arg must be writable");
        }
        if (!arg.isAccessibleBy(ANOTHER_THREAD)) {
            throw new IllegalArgumentException("arg must be accessible from the engine's worker threads"
                    + " (a global, automatic or shared arena's segment, not a confined one)");
        }
        if (arg.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arg is larger than 2 GiB");
        }
        return arg.asByteBuffer().order(ByteOrder.nativeOrder());
    }
}
