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

import java.nio.ByteBuffer;

/** A memory mapping a {@link Syscalls} layer made ({@link Syscalls#mmap}): its bytes, and its unmapping. */
public interface MappedRegion extends AutoCloseable {

    /**
     * The mapped bytes.
     *
     * @return a direct buffer over the whole mapping (read-only without {@code PROT_WRITE})
     */
    ByteBuffer buffer();

    /**
     * Whether it is still mapped.
     *
     * @return {@code true} until {@link #close()}
     */
    boolean isOpen();

    /**
     * Unmaps it ({@code munmap}); idempotent.
     *
     * @throws SyscallException EBUSY while a call still uses the memory
     */
    @Override
    void close() throws SyscallException;
}
