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

import java.util.EnumSet;
import java.util.Set;

/**
 * A kind of request that the native backend can submit to io_uring instead of running it on a
 * worker thread, named after the io_uring operation it becomes; {@link
 * AioEngine.Builder#ioUringOps(Set)} chooses which ones do. Requests with paths go to io_uring only
 * from the engine itself: a working-directory or jail view ({@link AioEngine#in}) runs them on the
 * workers. {@code sendfile} (which io_uring could only do as two linked {@code SPLICE}s through a
 * pipe) and every request io_uring lacks (readdir, realpath, chown...) always run on the workers.
 */
public enum IoUringOp {

    /** {@code read} at an offset or at the file's position: {@code IORING_OP_READ}. */
    READ,
    /** {@code write} at an offset or at the file's position: {@code IORING_OP_WRITE}. */
    WRITE,
    /** {@code fsync}: {@code IORING_OP_FSYNC}. */
    FSYNC,
    /** {@code fdatasync}: {@code IORING_OP_FSYNC} with {@code IORING_FSYNC_DATASYNC}. */
    FDATASYNC,
    /** {@code stat}, {@code lstat}, {@code statx} and {@code stat}/{@code statx} of an open file: {@code IORING_OP_STATX}. */
    STATX,
    /** {@code open}: {@code IORING_OP_OPENAT}. */
    OPENAT,
    /** {@code close}: {@code IORING_OP_CLOSE}, or at once when calls in flight on the file defer the close, as on the workers. */
    CLOSE,
    /** {@code unlink} and {@code rmdir}: {@code IORING_OP_UNLINKAT}. */
    UNLINKAT,
    /** {@code rename} and {@code rename2}: {@code IORING_OP_RENAMEAT}. */
    RENAMEAT,
    /** {@code mkdir}: {@code IORING_OP_MKDIRAT}. */
    MKDIRAT,
    /** {@code link}: {@code IORING_OP_LINKAT}. */
    LINKAT,
    /** {@code symlink}: {@code IORING_OP_SYMLINKAT}. */
    SYMLINKAT,
    /** {@code allocate}: {@code IORING_OP_FALLOCATE}. */
    FALLOCATE,
    /** {@code fadvise} of at most 4 GiB - 1 bytes (longer ranges run on the workers): {@code IORING_OP_FADVISE}. */
    FADVISE;

    /**
     * The operations an engine sends to io_uring unless told otherwise: those that measured faster
     * through io_uring than on two worker threads ({@code RoutingBench} in the benchmarks module, a
     * 2-core VM, Linux 6.18, ext4): {@link #READ} (uncached reads 2x faster, which is what the ring
     * is for; cached ones, about a microsecond either way, 1.7x slower), {@link #FSYNC} and {@link
     * #FDATASYNC} (1.5x to 2.3x faster: the kernel runs many at once). Every other operation was
     * slower through io_uring on cached metadata (1.2x to 3.8x; mkdir, rmdir and symlink even), as
     * the kernel hands most of them to its own worker threads, and so were buffered writes (2.5x);
     * writes of files opened {@code O_DIRECT} were 2.6x faster, so add {@link #WRITE} for those.
     *
     * @return a new, modifiable set
     */
    public static Set<IoUringOp> defaults() {
        return EnumSet.of(READ, FSYNC, FDATASYNC);
    }
}
