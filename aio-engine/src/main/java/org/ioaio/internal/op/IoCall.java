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

package org.ioaio.internal.op;

import java.nio.ByteBuffer;
import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * A read or write of a file, at an offset or at its current position: a call that a {@link
 * UringBackend} can execute without a worker, and that a worker executes through the {@link
 * Syscalls} layer otherwise.
 *
 * @param write {@code true} for {@code pwrite}/{@code write}, {@code false} for {@code pread}/{@code read}
 * @param file the file
 * @param buffer the bytes (its remaining space or bytes; its position advances by the count)
 * @param offset the file offset, 0 or more; {@link #CURRENT} for the file's position, which then moves
 */
public record IoCall(boolean write, FileHandle file, ByteBuffer buffer, long offset) implements SysRequest.Call {

    /** The offset meaning the file's current position ({@code read(2)}, {@code write(2)}). */
    public static final long CURRENT = -1;

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        if (offset == CURRENT) {
            return write ? sys.write(file, buffer) : sys.read(file, buffer);
        }
        return write ? sys.pwrite(file, buffer, offset) : sys.pread(file, buffer, offset);
    }
}
