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

package org.ioaio.internal.linux;

import java.nio.file.Path;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.TreeDir;

/**
 * The native layer's held directory: a descriptor opened {@code O_RDONLY | O_DIRECTORY |
 * O_CLOEXEC} (and {@code O_NOFOLLOW} below the top), kept in a {@link LinuxFileHandle} so that a
 * close while a call is in flight runs {@code close(2)} only after that call (no descriptor is
 * reused under a call). Its identity is {@code st_dev}/{@code st_ino} from {@code fstat}.
 */
final class LinuxTreeDir extends TreeDir {

    /** Identity of a directory: what {@code fstat} said when it was opened. */
    record Id(long dev, long ino) {}

    final LinuxFileHandle handle;

    LinuxTreeDir(Path path, Id id, LinuxFileHandle handle) {
        super(path, id);
        this.handle = handle;
    }

    @Override
    public void close() {
        try {
            handle.closeOnce();
        } catch (SyscallException e) {
            // a directory: nothing was written through it, nothing to report
        }
    }
}
