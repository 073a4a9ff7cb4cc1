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

import java.nio.ByteBuffer;
import org.ioaio.internal.sys.MappedRegion;
import org.ioaio.internal.sys.SyscallException;

/**
 * A memory mapping made by {@link AioEngine#mmap} ({@code IO::AIO::mmap}), unmapped when it is
 * closed ({@code munmap}), not when the garbage collector gets to it. Its {@link #buffer()} is
 * read-only unless the mapping was made with {@code PROT_WRITE}; once the mapping is closed, any use
 * of that buffer (or of a slice of it) throws {@link IllegalStateException} instead of touching
 * memory that is no longer there.
 */
public final class AioMapping implements AutoCloseable {

    private final MappedRegion region;

    AioMapping(MappedRegion region) {
        this.region = region;
    }

    /** The mapped bytes: a direct buffer of {@link #length()} bytes, valid until {@link #close()}. */
    public ByteBuffer buffer() {
        return region.buffer();
    }

    /** The mapping's length in bytes. */
    public long length() {
        return region.buffer().capacity();
    }

    /** Whether the mapping is still mapped. */
    public boolean isOpen() {
        return region.isOpen();
    }

    /**
     * {@code munmap}: unmaps the memory now; idempotent. Close it after the requests given its buffer
     * ({@code mlock}, {@code mtouch}) are done: one still running then fails (ENOMEM from the
     * kernel, or the buffer's {@link IllegalStateException}), it never touches unmapped memory.
     *
     * @throws IllegalStateException (EBUSY) if the memory cannot be released because a call holds it
     */
    @Override
    public void close() {
        try {
            region.close();
        } catch (SyscallException e) {
            throw new IllegalStateException("munmap: " + Errno.describe(e.errno()), e);
        }
    }

    @Override
    public String toString() {
        return "AioMapping[" + length() + " bytes" + (isOpen() ? "" : ", closed") + "]";
    }
}
