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

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code unlink} or {@code rmdir} of a path: a call that a {@link UringBackend} can execute as
 * {@code IORING_OP_UNLINKAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param directory {@code true} for {@code rmdir} ({@code AT_REMOVEDIR})
 */
public record UnlinkCall(Pathname path, boolean directory) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return directory ? sys.rmdir(path) : sys.unlink(path);
    }
}
