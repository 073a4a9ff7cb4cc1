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
 * The result of {@code statvfs} and {@code fstatvfs}: the members of {@code struct statvfs}, as
 * IO::AIO passes them in a hash ({@code bsize}, {@code frsize}, ... {@code namemax}).
 *
 * <p>The native layer copies the kernel's values. The portable (NIO) layer knows only what
 * {@code java.nio.file.FileStore} tells: the block size, the total, free and available space, and
 * whether the store is read-only. So there {@link #frsize()} equals {@link #bsize()} (as on the usual
 * Linux file systems), the block counts are the byte counts divided by it, {@link #flag()} holds at
 * most {@link AioConstants#ST_RDONLY}, and {@link #files()}, {@link #ffree()}, {@link #favail()},
 * {@link #fsid()} and {@link #namemax()} are {@code -1}: unknown, never a made-up number.
 *
 * @param bsize the file system block size ({@code f_bsize})
 * @param frsize the fragment size, the unit of the block counts ({@code f_frsize})
 * @param blocks the size of the file system in {@code frsize} units ({@code f_blocks})
 * @param bfree the free blocks ({@code f_bfree})
 * @param bavail the free blocks available to unprivileged users ({@code f_bavail})
 * @param files the number of inodes ({@code f_files}), or -1 when unknown
 * @param ffree the free inodes ({@code f_ffree}), or -1 when unknown
 * @param favail the free inodes available to unprivileged users ({@code f_favail}), or -1 when unknown
 * @param fsid the file system id ({@code f_fsid}), or -1 when unknown
 * @param flag the mount flags, {@link AioConstants#ST_RDONLY} and the other {@code ST_*} bits ({@code f_flag})
 * @param namemax the maximum length of a file name ({@code f_namemax}), or -1 when unknown
 */
public record StatVfs(
        long bsize,
        long frsize,
        long blocks,
        long bfree,
        long bavail,
        long files,
        long ffree,
        long favail,
        long fsid,
        long flag,
        long namemax) {

    /** {@code true} when the file system is mounted read-only ({@link AioConstants#ST_RDONLY} is set). */
    public boolean isReadOnly() {
        return (flag & AioConstants.ST_RDONLY) != 0;
    }

    /** The total size in bytes ({@code blocks * frsize}). */
    public long totalBytes() {
        return blocks * frsize;
    }

    /** The bytes available to unprivileged users ({@code bavail * frsize}). */
    public long availableBytes() {
        return bavail * frsize;
    }
}
