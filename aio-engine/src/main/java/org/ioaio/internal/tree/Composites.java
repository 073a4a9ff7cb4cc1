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

package org.ioaio.internal.tree;

import java.nio.file.Path;
import org.ioaio.AioCallback;
import org.ioaio.AioRequest;
import org.ioaio.DirListing;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * Entry points of the directory and tree requests, for {@code AioEngine}: each composite request
 * is queued as a group with the priority of the calling thread's next request (see {@link
 * Composite}).
 */
public final class Composites {

    private Composites() {}

    /**
     * {@code aio_readdirx}'s body, run on a worker inside a plain request.
     *
     * @param sys the syscall layer
     * @param dir the directory
     * @param flags {@code READDIR_*} flags
     * @return the entries in the asked order and the resulting flags
     * @throws SyscallException as readdir
     */
    public static DirListing readdirx(Syscalls sys, Path dir, int flags) throws SyscallException {
        return DirOrder.readdirx(sys, dir, flags);
    }

    /**
     * Whether {@code flags} holds only readdirx flags.
     *
     * @param flags the flags
     * @return {@code true} if every bit is a {@code READDIR_*} flag
     */
    public static boolean validReaddirFlags(int flags) {
        return (flags & ~DirOrder.KNOWN_FLAGS) == 0;
    }

    /**
     * Queues {@code aio_scandir}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param n the calling thread's settings (already checked open)
     * @param dir the directory
     * @param maxreq stats in flight at most (0 or less: 4)
     * @param callback the callback
     * @return the request
     */
    public static AioRequest scandir(Scheduler scheduler, Syscalls sys, Scheduler.Next n, Path dir, int maxreq,
            AioCallback<?> callback) {
        return new Scandir(scheduler, sys, n.pri, callback, dir, maxreq).start(n);
    }

    /**
     * Queues {@code aio_rmtree}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param n the calling thread's settings
     * @param dir the tree
     * @param callback the callback
     * @return the request
     */
    public static AioRequest rmtree(Scheduler scheduler, Syscalls sys, Scheduler.Next n, Path dir, AioCallback<?> callback) {
        return new Rmtree(scheduler, sys, n.pri, callback, dir).start(n);
    }

    /**
     * Queues {@code aio_copy}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param n the calling thread's settings
     * @param src the file
     * @param dst the copy
     * @param callback the callback
     * @return the request
     */
    public static AioRequest copy(Scheduler scheduler, Syscalls sys, Scheduler.Next n, Path src, Path dst,
            AioCallback<?> callback) {
        return new CopyFile(scheduler, sys, n.pri, callback, src, dst).start(n);
    }

    /**
     * Queues {@code aio_move}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param n the calling thread's settings
     * @param src the existing name
     * @param dst the new name
     * @param callback the callback
     * @return the request
     */
    public static AioRequest move(Scheduler scheduler, Syscalls sys, Scheduler.Next n, Path src, Path dst,
            AioCallback<?> callback) {
        return new Move(scheduler, sys, n.pri, callback, src, dst).start(n);
    }

    /**
     * Queues a tree copy.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param n the calling thread's settings
     * @param src the directory
     * @param dst the copy (must not exist)
     * @param callback the callback
     * @return the request
     */
    public static AioRequest copyTree(Scheduler scheduler, Syscalls sys, Scheduler.Next n, Path src, Path dst,
            AioCallback<?> callback) {
        return new CopyTree(scheduler, sys, n.pri, callback, src, dst).start(n);
    }
}
