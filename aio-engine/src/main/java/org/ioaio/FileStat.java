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

import java.time.Instant;
import java.util.Optional;

/**
 * The result of {@code stat}, {@code lstat}, {@code fstat} and {@code statx}: every field of {@code
 * struct stat}, with nanosecond times (what Perl's {@code stat _} plus {@code IO::AIO::st_xtimensec}
 * give), and, from {@code statx}, the birth time ({@code IO::AIO::st_btime}) where the file system
 * keeps one.
 *
 * <p><b>Which fields are valid</b> is {@link #mask()}: the {@code STATX_*} bits of {@code statx(2)}'s
 * {@code stx_mask} ({@link AioConstants#STATX_BASIC_STATS}, {@link AioConstants#STATX_BTIME}...). A
 * field whose bit is missing holds whatever the layer had (0 for the birth time). {@code stat},
 * {@code lstat} and {@code fstat} on the native layer report {@code STATX_BASIC_STATS}; the portable
 * layer leaves out {@code STATX_BLOCKS} (estimated, see below); only the native layer's {@code
 * statx} can report {@code STATX_BTIME}. IO::AIO 4.8 has no {@code statx}, and its {@code st_btime}
 * is 0 on Linux ("only available when the OS and perl support it"): {@link #btimeSec()} and {@link
 * #btimeNsec()} are 0 without a birth time as well, {@link #birthTime()} is empty.
 *
 * <p>How exact each field is depends on the syscall layer. The native layer copies the kernel's
 * {@code struct stat}. The portable (NIO) layer reads every field from the JDK's {@code unix:*}
 * attributes, which are the kernel's values, except two that the JDK does not expose:
 * {@link #blksize()} is the file system's block size ({@code FileStore.getBlockSize()}, which is
 * {@code st_blksize} on the usual Linux file systems; 4096 when the store cannot be found), and
 * {@link #blocks()} is an <em>estimate</em>: {@link #size()} rounded up to whole {@code blksize}
 * blocks, in 512-byte units. It is wrong for sparse files, preallocated files and file systems
 * that store small files inline or compressed; anything that sums allocation (a {@code du}) should
 * use the native layer.
 *
 * @param dev the device of the file system holding the file ({@code st_dev})
 * @param ino the inode number ({@code st_ino})
 * @param mode the file type and permission bits ({@code st_mode}; see {@link AioConstants#S_IFMT})
 * @param nlink the number of hard links ({@code st_nlink})
 * @param uid the owner's user id ({@code st_uid}; unsigned: use {@link Integer#toUnsignedLong})
 * @param gid the group id ({@code st_gid}; unsigned: use {@link Integer#toUnsignedLong})
 * @param rdev the device number, for character and block devices ({@code st_rdev}), otherwise 0
 * @param size the size in bytes ({@code st_size}; for a symlink, the length of its target)
 * @param atimeSec the last access time, whole seconds since the epoch ({@code st_atim.tv_sec})
 * @param atimeNsec the nanoseconds of the last access time, 0 to 999999999 ({@code st_atim.tv_nsec})
 * @param mtimeSec the last modification time, whole seconds since the epoch ({@code st_mtim.tv_sec})
 * @param mtimeNsec the nanoseconds of the last modification time, 0 to 999999999
 * @param ctimeSec the last status change time, whole seconds since the epoch ({@code st_ctim.tv_sec})
 * @param ctimeNsec the nanoseconds of the last status change time, 0 to 999999999
 * @param blksize the preferred I/O block size ({@code st_blksize}; see above for the portable layer)
 * @param blocks the 512-byte blocks allocated ({@code st_blocks}; an estimate on the portable layer)
 * @param btimeSec the birth (creation) time, whole seconds since the epoch ({@code stx_btime.tv_sec}),
 *     0 unless {@link #mask()} has {@link AioConstants#STATX_BTIME}
 * @param btimeNsec the nanoseconds of the birth time, 0 to 999999999 (0 without a birth time)
 * @param mask the {@code STATX_*} bits of the fields that are valid (see above)
 */
public record FileStat(
        long dev,
        long ino,
        int mode,
        long nlink,
        int uid,
        int gid,
        long rdev,
        long size,
        long atimeSec,
        int atimeNsec,
        long mtimeSec,
        int mtimeNsec,
        long ctimeSec,
        int ctimeNsec,
        long blksize,
        long blocks,
        long btimeSec,
        int btimeNsec,
        int mask) {

    /**
     * Checks that the nanosecond fields are in range.
     *
     * @throws IllegalArgumentException if a nanosecond field is outside 0..999999999
     */
    public FileStat {
        checkNanos(atimeNsec);
        checkNanos(mtimeNsec);
        checkNanos(ctimeNsec);
        checkNanos(btimeNsec);
    }

    /**
     * The fields of {@code struct stat}, as {@code stat(2)} returns them: no birth time, {@link #mask()}
     * {@link AioConstants#STATX_BASIC_STATS}.
     *
     * @param dev the device of the file system holding the file
     * @param ino the inode number
     * @param mode the file type and permission bits
     * @param nlink the number of hard links
     * @param uid the owner's user id
     * @param gid the group id
     * @param rdev the device number of a device file
     * @param size the size in bytes
     * @param atimeSec the last access time, seconds
     * @param atimeNsec its nanoseconds
     * @param mtimeSec the last modification time, seconds
     * @param mtimeNsec its nanoseconds
     * @param ctimeSec the last status change time, seconds
     * @param ctimeNsec its nanoseconds
     * @param blksize the preferred I/O block size
     * @param blocks the 512-byte blocks allocated
     * @throws IllegalArgumentException if a nanosecond field is outside 0..999999999
     */
    public FileStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
            long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec, long ctimeSec, int ctimeNsec,
            long blksize, long blocks) {
        this(dev, ino, mode, nlink, uid, gid, rdev, size, atimeSec, atimeNsec, mtimeSec, mtimeNsec,
                ctimeSec, ctimeNsec, blksize, blocks, 0, 0, AioConstants.STATX_BASIC_STATS);
    }

    private static void checkNanos(int nsec) {
        if (nsec < 0 || nsec > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds out of range: " + nsec);
        }
    }

    /** The last access time, to the nanosecond. */
    public Instant atime() {
        return Instant.ofEpochSecond(atimeSec, atimeNsec);
    }

    /** The last modification time, to the nanosecond. */
    public Instant mtime() {
        return Instant.ofEpochSecond(mtimeSec, mtimeNsec);
    }

    /** The last status change time, to the nanosecond. */
    public Instant ctime() {
        return Instant.ofEpochSecond(ctimeSec, ctimeNsec);
    }

    /**
     * The birth (creation) time, to the nanosecond, where the layer and the file system report one
     * ({@code statx} with {@link AioConstants#STATX_BTIME} on the native layer); empty otherwise.
     * Never guessed: the JDK's {@code BasicFileAttributes.creationTime()} falls back to the
     * modification time on Linux, so the portable layer reports none.
     *
     * @return the birth time, or empty
     */
    public Optional<Instant> birthTime() {
        return (mask & AioConstants.STATX_BTIME) != 0 ? Optional.of(Instant.ofEpochSecond(btimeSec, btimeNsec)) : Optional.empty();
    }

    /** The file type bits of {@link #mode()} (compare with {@link AioConstants#S_IFREG} and the like). */
    public int type() {
        return mode & AioConstants.S_IFMT;
    }

    /** The permission bits of {@link #mode()}, set-id and sticky bits included ({@code mode & 07777}). */
    public int permissions() {
        return mode & 07777;
    }

    /** {@code true} for a directory ({@code S_ISDIR}). */
    public boolean isDirectory() {
        return type() == AioConstants.S_IFDIR;
    }

    /** {@code true} for a regular file ({@code S_ISREG}). */
    public boolean isRegularFile() {
        return type() == AioConstants.S_IFREG;
    }

    /** {@code true} for a symbolic link ({@code S_ISLNK}; only {@code lstat} can see one). */
    public boolean isSymbolicLink() {
        return type() == AioConstants.S_IFLNK;
    }

    /** {@code true} for a FIFO ({@code S_ISFIFO}). */
    public boolean isFifo() {
        return type() == AioConstants.S_IFIFO;
    }

    /** {@code true} for a character device ({@code S_ISCHR}). */
    public boolean isCharacterDevice() {
        return type() == AioConstants.S_IFCHR;
    }

    /** {@code true} for a block device ({@code S_ISBLK}). */
    public boolean isBlockDevice() {
        return type() == AioConstants.S_IFBLK;
    }

    /** {@code true} for a socket ({@code S_ISSOCK}). */
    public boolean isSocket() {
        return type() == AioConstants.S_IFSOCK;
    }
}
