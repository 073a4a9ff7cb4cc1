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

package org.ioaio.fs;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.SegmentIoctl;

/**
 * The Java 22 side of {@code SegmentIoctlTest} (which compiles at 17 and calls these by name):
 * {@link SegmentIoctl} with segments of each kind of arena.
 */
public final class SegmentIoctlCalls {

    private SegmentIoctlCalls() {}

    private static long join(AioEngine aio, AioFuture<Long> f) {
        aio.flush();
        return f.join();
    }

    /** FS_IOC_GETFLAGS into a shared arena's 8 bytes: {ioctl's return, the flags}. */
    public static long[] getFlags(AioEngine aio, AioFile f) {
        try (Arena a = Arena.ofShared()) {
            MemorySegment s = a.allocate(8, 8);
            long r = join(aio, SegmentIoctl.ioctl(aio, f, AioConstants.FS_IOC_GETFLAGS, s));
            return new long[] {r, s.get(JAVA_INT, 0)};
        }
    }

    /** FIONREAD (no size encoded) into an automatic arena's int: {ioctl's return, the count}. */
    public static long[] fionread(AioEngine aio, AioFile f) {
        MemorySegment s = Arena.ofAuto().allocate(JAVA_INT);
        long r = join(aio, SegmentIoctl.ioctl(aio, f, AioConstants.FIONREAD, s));
        return new long[] {r, s.get(JAVA_INT, 0)};
    }

    /** The same through a confined arena's segment: refused (IllegalArgumentException). */
    public static void confined(AioEngine aio, AioFile f) {
        try (Arena a = Arena.ofConfined()) {
            SegmentIoctl.ioctl(aio, f, AioConstants.FIONREAD, a.allocate(JAVA_INT));
        }
    }

    /** A heap segment: refused (IllegalArgumentException). */
    public static void heap(AioEngine aio, AioFile f) {
        SegmentIoctl.ioctl(aio, f, AioConstants.FIONREAD, MemorySegment.ofArray(new byte[8]));
    }

    /** FS_IOC_GETFLAGS into 4 bytes, fewer than its encoded 8: refused (IllegalArgumentException). */
    public static void tooSmall(AioEngine aio, AioFile f) {
        SegmentIoctl.ioctl(aio, f, AioConstants.FS_IOC_GETFLAGS, Arena.global().allocate(4));
    }
}
