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
 * The constants IO::AIO exports ({@code IO::AIO::O_RDONLY} is {@code AioConstants.O_RDONLY}), with
 * their Linux x86-64 values: open flags, seek origins, rename, fallocate, fadvise, msync, mtouch,
 * sync_file_range, file type and statvfs flags, and the {@code statx} flags and mask bits (Linux's
 * names: IO::AIO 4.8 has no {@code aio_statx}); plus {@code major}/{@code minor}/{@code makedev}.
 *
 * <p>One class rather than one per call: IO::AIO keeps them all in one namespace, and a single
 * {@code import static org.ioaio.AioConstants.*} gives Perl's spelling. The values are the kernel's
 * (they reach the native layer unchanged); the portable layer interprets them itself and reports what
 * it cannot honour as an errno, never by ignoring it silently.
 */
public final class AioConstants {

    private AioConstants() {}

    // ---- open(2) flags (sysopen / aio_open) ----

    /** Open for reading only. */
    public static final int O_RDONLY = 0;
    /** Open for writing only. */
    public static final int O_WRONLY = 01;
    /** Open for reading and writing. */
    public static final int O_RDWR = 02;
    /** Mask of the access mode bits ({@code O_RDONLY}, {@code O_WRONLY}, {@code O_RDWR}). */
    public static final int O_ACCMODE = 03;
    /** Create the file if it does not exist (with the given mode, minus the umask). */
    public static final int O_CREAT = 0100;
    /** With {@link #O_CREAT}: fail with EEXIST if the name exists (even as a dangling symlink). */
    public static final int O_EXCL = 0200;
    /** Do not make a terminal the controlling terminal (no effect on files). */
    public static final int O_NOCTTY = 0400;
    /** Truncate an existing regular file to length 0. */
    public static final int O_TRUNC = 01000;
    /** Every write goes to the end of the file, positional writes included (Linux). */
    public static final int O_APPEND = 02000;
    /** Non-blocking mode (no effect on regular files). */
    public static final int O_NONBLOCK = 04000;
    /** Synchronized I/O data integrity: each write waits for its data to reach the disk. */
    public static final int O_DSYNC = 010000;
    /** Signal-driven I/O (sockets, terminals, pipes). */
    public static final int O_ASYNC = 020000;
    /** Direct I/O, bypassing the page cache (buffers, offsets and lengths must be aligned). */
    public static final int O_DIRECT = 040000;
    /** Fail with ENOTDIR unless the path names a directory. */
    public static final int O_DIRECTORY = 0200000;
    /** Fail with ELOOP if the last component of the path is a symbolic link. */
    public static final int O_NOFOLLOW = 0400000;
    /** Do not update the access time on reads (owner or privileged callers only). */
    public static final int O_NOATIME = 01000000;
    /** Close the descriptor on exec. */
    public static final int O_CLOEXEC = 02000000;
    /** Synchronized I/O file integrity: each write waits for data and metadata (includes {@link #O_DSYNC}). */
    public static final int O_SYNC = 04010000;
    /** Synchronized reads (same value as {@link #O_SYNC} on Linux). */
    public static final int O_RSYNC = O_SYNC;
    /** A descriptor that only names a file (no I/O), for use with f*-calls and *at-calls. */
    public static final int O_PATH = 010000000;
    /** Create an unnamed temporary file in the given directory (includes {@link #O_DIRECTORY}). */
    public static final int O_TMPFILE = 020200000;

    // ---- lseek(2) origins (aio_seek) ----

    /** Seek to the given offset. */
    public static final int SEEK_SET = 0;
    /** Seek relative to the current offset. */
    public static final int SEEK_CUR = 1;
    /** Seek relative to the end of the file. */
    public static final int SEEK_END = 2;
    /** Seek to the next data at or after the offset. */
    public static final int SEEK_DATA = 3;
    /** Seek to the next hole at or after the offset (end of file counts as a hole). */
    public static final int SEEK_HOLE = 4;

    // ---- renameat2(2) flags (aio_rename2) ----

    /** Fail with EEXIST instead of replacing an existing destination. */
    public static final int RENAME_NOREPLACE = 1;
    /** Atomically exchange source and destination (both must exist). */
    public static final int RENAME_EXCHANGE = 2;
    /** Leave a whiteout object at the source (overlay/union file systems). */
    public static final int RENAME_WHITEOUT = 4;

    // ---- fallocate(2) modes (aio_allocate) ----

    /** Allocate without changing the file size. */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    /** Deallocate the range, leaving a hole (must be combined with {@link #FALLOC_FL_KEEP_SIZE}). */
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** Remove the range from the file without leaving a hole. */
    public static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    /** Zero the range (allocating it). */
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    /** Insert a hole of the given length at the offset, shifting the rest of the file up. */
    public static final int FALLOC_FL_INSERT_RANGE = 0x20;
    /** Unshare shared (reflinked) blocks in the range. */
    public static final int FALLOC_FL_UNSHARE_RANGE = 0x40;

    // ---- posix_fadvise(2) advice (fadvise; IO::AIO::fadvise) ----

    /** fadvise: no particular access pattern (the default). */
    public static final int POSIX_FADV_NORMAL = 0;
    /** fadvise: the range will be accessed in random order (read-ahead is turned off). */
    public static final int POSIX_FADV_RANDOM = 1;
    /** fadvise: the range will be accessed sequentially (read-ahead is doubled). */
    public static final int POSIX_FADV_SEQUENTIAL = 2;
    /** fadvise: the range will be needed soon (its pages are read into the page cache now). */
    public static final int POSIX_FADV_WILLNEED = 3;
    /** fadvise: the range will not be needed soon (its clean cached pages are dropped). */
    public static final int POSIX_FADV_DONTNEED = 4;
    /** fadvise: the range will be accessed only once (accepted by Linux, which does nothing special with it). */
    public static final int POSIX_FADV_NOREUSE = 5;
    /** IO::AIO's name for {@link #POSIX_FADV_NORMAL}. */
    public static final int FADV_NORMAL = POSIX_FADV_NORMAL;
    /** IO::AIO's name for {@link #POSIX_FADV_RANDOM}. */
    public static final int FADV_RANDOM = POSIX_FADV_RANDOM;
    /** IO::AIO's name for {@link #POSIX_FADV_SEQUENTIAL}. */
    public static final int FADV_SEQUENTIAL = POSIX_FADV_SEQUENTIAL;
    /** IO::AIO's name for {@link #POSIX_FADV_WILLNEED}. */
    public static final int FADV_WILLNEED = POSIX_FADV_WILLNEED;
    /** IO::AIO's name for {@link #POSIX_FADV_DONTNEED}. */
    public static final int FADV_DONTNEED = POSIX_FADV_DONTNEED;
    /** IO::AIO's name for {@link #POSIX_FADV_NOREUSE}. */
    public static final int FADV_NOREUSE = POSIX_FADV_NOREUSE;

    // ---- statx(2) flags and mask (statx; FileStat#mask) ----

    /** statx flag: do not follow a final symbolic link (report the link itself, as lstat). */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** statx flag: do not trigger an automount of the final component. */
    public static final int AT_NO_AUTOMOUNT = 0x800;
    /** statx flag: an empty path names the descriptor itself (implied by statx of an open file). */
    public static final int AT_EMPTY_PATH = 0x1000;
    /** statx flag: synchronise with the server as stat does (the default, 0). */
    public static final int AT_STATX_SYNC_AS_STAT = 0;
    /** statx flag: force a synchronisation with the server (network file systems). */
    public static final int AT_STATX_FORCE_SYNC = 0x2000;
    /** statx flag: report what is cached, without synchronising with the server. */
    public static final int AT_STATX_DONT_SYNC = 0x4000;
    /** statx mask: the file type ({@code S_IFMT} bits of the mode). */
    public static final int STATX_TYPE = 0x1;
    /** statx mask: the permission bits of the mode. */
    public static final int STATX_MODE = 0x2;
    /** statx mask: the number of hard links. */
    public static final int STATX_NLINK = 0x4;
    /** statx mask: the owner's user id. */
    public static final int STATX_UID = 0x8;
    /** statx mask: the group id. */
    public static final int STATX_GID = 0x10;
    /** statx mask: the last access time. */
    public static final int STATX_ATIME = 0x20;
    /** statx mask: the last modification time. */
    public static final int STATX_MTIME = 0x40;
    /** statx mask: the last status change time. */
    public static final int STATX_CTIME = 0x80;
    /** statx mask: the inode number. */
    public static final int STATX_INO = 0x100;
    /** statx mask: the size. */
    public static final int STATX_SIZE = 0x200;
    /** statx mask: the number of 512-byte blocks allocated. */
    public static final int STATX_BLOCKS = 0x400;
    /** statx mask: every field of {@code struct stat} (the bits above). */
    public static final int STATX_BASIC_STATS = 0x7ff;
    /** statx mask: the birth (creation) time ({@link FileStat#birthTime()}). */
    public static final int STATX_BTIME = 0x800;
    /** statx mask: every field a {@link FileStat} holds ({@link #STATX_BASIC_STATS} and {@link #STATX_BTIME}). */
    public static final int STATX_ALL = 0xfff;

    // ---- msync(2) and mtouch flags (aio_msync, aio_mtouch) ----

    /** msync: schedule the write-back and return (a no-op on Linux since 2.6.19). */
    public static final int MS_ASYNC = 1;
    /** msync: invalidate other mappings of the same file. */
    public static final int MS_INVALIDATE = 2;
    /** msync: write the range back and wait for it. */
    public static final int MS_SYNC = 4;
    /** mtouch: dirty every page (read and write back one byte per page) instead of only reading it. */
    public static final int MT_MODIFY = 1;

    // ---- sync_file_range(2) flags (aio_sync_file_range) ----

    /** Wait for write-out of pages in the range already under way before doing anything else. */
    public static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    /** Start write-out of dirty pages in the range. */
    public static final int SYNC_FILE_RANGE_WRITE = 2;
    /** Wait for write-out of the range to complete. */
    public static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;

    // ---- st_mode file type bits (aio_stat, aio_mknod) ----

    /** Mask of the file type bits of {@code st_mode}. */
    public static final int S_IFMT = 0170000;
    /** File type: FIFO (named pipe). */
    public static final int S_IFIFO = 0010000;
    /** File type: character device. */
    public static final int S_IFCHR = 0020000;
    /** File type: directory. */
    public static final int S_IFDIR = 0040000;
    /** File type: block device. */
    public static final int S_IFBLK = 0060000;
    /** File type: regular file. */
    public static final int S_IFREG = 0100000;
    /** File type: symbolic link. */
    public static final int S_IFLNK = 0120000;
    /** File type: socket. */
    public static final int S_IFSOCK = 0140000;
    /** File type: whiteout (BSD only; 0 on Linux, as IO::AIO defines missing constants). */
    public static final int S_IFWHT = 0;
    /** Mode bit: set user id on execution. */
    public static final int S_ISUID = 04000;
    /** Mode bit: set group id on execution (or inherit the group, for directories). */
    public static final int S_ISGID = 02000;
    /** Mode bit: sticky (restricted deletion, for directories). */
    public static final int S_ISVTX = 01000;

    // ---- aio_readdirx flags ----

    /**
     * readdirx: determine each entry's type ({@code DT_*}) and inode number ({@link DirEntry#type()},
     * {@link DirEntry#inode()}); without it (and without the two ordering flags) entries carry
     * {@link #DT_UNKNOWN} and inode 0.
     */
    public static final int READDIR_DENTS = 1;
    /** readdirx: likely directories first, in stat order (real directories first when every type is known). */
    public static final int READDIR_DIRS_FIRST = 2;
    /** readdirx: entries in an order suited to stat'ing each one (by inode number). */
    public static final int READDIR_STAT_ORDER = 4;
    /**
     * readdirx, reported back only: at least one entry's type is {@link #DT_UNKNOWN}. Its absence
     * means every type is known. Ignored when passed in.
     */
    public static final int READDIR_FOUND_UNKNOWN = 128;

    // ---- directory entry types (readdirx with READDIR_DENTS; IO::AIO::DT_*) ----
    // IO::AIO also exports DT_MPC, DT_NAM, DT_MPB, DT_NWK, DT_CMP and DT_DOOR, which are 0 (unknown)
    // on Linux; they are left out here so that no test can match them by accident.

    /** Entry type: not known (readdir could not tell: stat the entry if you need it). */
    public static final int DT_UNKNOWN = 0;
    /** Entry type: FIFO (named pipe). */
    public static final int DT_FIFO = 1;
    /** Entry type: character device. */
    public static final int DT_CHR = 2;
    /** Entry type: directory. */
    public static final int DT_DIR = 4;
    /** Entry type: block device. */
    public static final int DT_BLK = 6;
    /** Entry type: regular file. */
    public static final int DT_REG = 8;
    /** Entry type: symbolic link (not followed: a link to a directory is DT_LNK). */
    public static final int DT_LNK = 10;
    /** Entry type: socket. */
    public static final int DT_SOCK = 12;
    /** Entry type: whiteout (union file systems). */
    public static final int DT_WHT = 14;

    // ---- statvfs f_flag bits (aio_statvfs) ----

    /** statvfs flag: mounted read-only. */
    public static final long ST_RDONLY = 1;
    /** statvfs flag: set-user/group-id bits ignored. */
    public static final long ST_NOSUID = 2;
    /** statvfs flag: device files not accessible. */
    public static final long ST_NODEV = 4;
    /** statvfs flag: programs cannot be executed. */
    public static final long ST_NOEXEC = 8;
    /** statvfs flag: writes are synchronized. */
    public static final long ST_SYNCHRONOUS = 16;
    /** statvfs flag: mandatory locking allowed. */
    public static final long ST_MANDLOCK = 64;
    /** statvfs flag: write on file, directory or symlink (internal to the kernel). */
    public static final long ST_WRITE = 128;
    /** statvfs flag: append-only file. */
    public static final long ST_APPEND = 256;
    /** statvfs flag: immutable file. */
    public static final long ST_IMMUTABLE = 512;
    /** statvfs flag: access times are not updated. */
    public static final long ST_NOATIME = 1024;
    /** statvfs flag: directory access times are not updated. */
    public static final long ST_NODIRATIME = 2048;
    /** statvfs flag: access times are updated relative to mtime/ctime. */
    public static final long ST_RELATIME = 4096;

    // ---- fcntl, record locks, ioctl, fiemap, memory, splice (IO::AIO 4.8) ----

    /** {@code F_GETFD}: the descriptor flags ({@code FD_CLOEXEC}). */
    public static final int F_GETFD = 1;
    /** {@code F_SETFD}: sets the descriptor flags. */
    public static final int F_SETFD = 2;
    /** {@code F_GETFL}: the file status flags ({@code O_*}). */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}: sets {@code O_APPEND}, {@code O_NONBLOCK}, {@code O_DIRECT}, {@code O_NOATIME}, {@code O_ASYNC}. */
    public static final int F_SETFL = 4;
    /** {@code F_GETLK}: the process lock that would conflict. */
    public static final int F_GETLK = 5;
    /** {@code F_SETLK}: takes or releases a process lock without waiting. */
    public static final int F_SETLK = 6;
    /** {@code F_SETLKW}: takes a process lock, waiting for it. */
    public static final int F_SETLKW = 7;
    /** {@code F_SETOWN}: the process or group that gets {@code SIGIO}. */
    public static final int F_SETOWN = 8;
    /** {@code F_GETOWN}. */
    public static final int F_GETOWN = 9;
    /** {@code F_SETSIG}. */
    public static final int F_SETSIG = 10;
    /** {@code F_GETSIG}. */
    public static final int F_GETSIG = 11;
    /** {@code F_OFD_GETLK}: the open-file-description lock that would conflict. */
    public static final int F_OFD_GETLK = 36;
    /** {@code F_OFD_SETLK}: takes or releases an open-file-description lock without waiting. */
    public static final int F_OFD_SETLK = 37;
    /** {@code F_OFD_SETLKW}: takes an open-file-description lock, waiting for it. */
    public static final int F_OFD_SETLKW = 38;
    /** {@code F_SETLEASE}. */
    public static final int F_SETLEASE = 1024;
    /** {@code F_GETLEASE}. */
    public static final int F_GETLEASE = 1025;
    /** {@code F_NOTIFY}. */
    public static final int F_NOTIFY = 1026;
    /** {@code F_DUPFD_CLOEXEC} (refused by {@link AioEngine#fcntl}: the new descriptor would belong to nobody). */
    public static final int F_DUPFD_CLOEXEC = 1030;
    /** {@code F_SETPIPE_SZ}: sets a pipe's capacity. */
    public static final int F_SETPIPE_SZ = 1031;
    /** {@code F_GETPIPE_SZ}: a pipe's capacity. */
    public static final int F_GETPIPE_SZ = 1032;
    /** {@code F_ADD_SEALS}: adds {@code F_SEAL_*} seals (memfd). */
    public static final int F_ADD_SEALS = 1033;
    /** {@code F_GET_SEALS}. */
    public static final int F_GET_SEALS = 1034;
    /** {@code F_SEAL_SEAL}. */
    public static final int F_SEAL_SEAL = 1;
    /** {@code F_SEAL_SHRINK}. */
    public static final int F_SEAL_SHRINK = 2;
    /** {@code F_SEAL_GROW}. */
    public static final int F_SEAL_GROW = 4;
    /** {@code F_SEAL_WRITE}. */
    public static final int F_SEAL_WRITE = 8;
    /** {@code FD_CLOEXEC}, the descriptor flag of {@code F_GETFD}/{@code F_SETFD}. */
    public static final int FD_CLOEXEC = 1;
    /** A shared (read) record lock. */
    public static final int F_RDLCK = 0;
    /** An exclusive (write) record lock. */
    public static final int F_WRLCK = 1;
    /** No lock (unlock; "no conflict" in a {@code getlk} answer). */
    public static final int F_UNLCK = 2;

    /** {@code FICLONE}: shares all of another file's extents (reflink). */
    public static final long FICLONE = 0x40049409L;
    /** {@code FICLONERANGE}: shares a range of another file's extents. */
    public static final long FICLONERANGE = 0x4020940dL;
    /** {@code FS_IOC_GETFLAGS}: the inode flags ({@code chattr}). */
    public static final long FS_IOC_GETFLAGS = 0x80086601L;
    /** {@code FS_IOC_SETFLAGS}. */
    public static final long FS_IOC_SETFLAGS = 0x40086602L;
    /** {@code FS_IOC_FIEMAP}. */
    public static final long FS_IOC_FIEMAP = 0xc020660bL;
    /** {@code FIONREAD}: bytes ready to read (a pipe, a socket). */
    public static final long FIONREAD = 0x541bL;
    /** {@code FS_APPEND_FL} inode flag ({@code chattr +a}). */
    public static final int FS_APPEND_FL = 0x20;
    /** {@code FS_NOATIME_FL} inode flag ({@code chattr +A}). */
    public static final int FS_NOATIME_FL = 0x80;

    /** {@code FIEMAP_FLAG_SYNC}: sync the file before mapping it. */
    public static final int FIEMAP_FLAG_SYNC = 1;
    /** {@code FIEMAP_FLAG_XATTR}: map the extended attribute tree instead. */
    public static final int FIEMAP_FLAG_XATTR = 2;
    /** {@code FIEMAP_FLAGS_COMPAT}: the flags every file system must accept. */
    public static final int FIEMAP_FLAGS_COMPAT = FIEMAP_FLAG_SYNC | FIEMAP_FLAG_XATTR;
    /** {@code FIEMAP_EXTENT_LAST}: the file's last extent. */
    public static final int FIEMAP_EXTENT_LAST = 0x1;
    /** {@code FIEMAP_EXTENT_UNKNOWN}: the location is not known. */
    public static final int FIEMAP_EXTENT_UNKNOWN = 0x2;
    /** {@code FIEMAP_EXTENT_DELALLOC}: delayed allocation. */
    public static final int FIEMAP_EXTENT_DELALLOC = 0x4;
    /** {@code FIEMAP_EXTENT_ENCODED}. */
    public static final int FIEMAP_EXTENT_ENCODED = 0x8;
    /** {@code FIEMAP_EXTENT_DATA_ENCRYPTED}. */
    public static final int FIEMAP_EXTENT_DATA_ENCRYPTED = 0x80;
    /** {@code FIEMAP_EXTENT_NOT_ALIGNED}. */
    public static final int FIEMAP_EXTENT_NOT_ALIGNED = 0x100;
    /** {@code FIEMAP_EXTENT_DATA_INLINE}. */
    public static final int FIEMAP_EXTENT_DATA_INLINE = 0x200;
    /** {@code FIEMAP_EXTENT_DATA_TAIL}. */
    public static final int FIEMAP_EXTENT_DATA_TAIL = 0x400;
    /** {@code FIEMAP_EXTENT_UNWRITTEN}: allocated, not written (fallocate). */
    public static final int FIEMAP_EXTENT_UNWRITTEN = 0x800;
    /** {@code FIEMAP_EXTENT_MERGED}. */
    public static final int FIEMAP_EXTENT_MERGED = 0x1000;
    /** {@code FIEMAP_EXTENT_SHARED}: shared with another file (reflink). */
    public static final int FIEMAP_EXTENT_SHARED = 0x2000;
    /** {@code EBADR}: the errno of a FIEMAP with flags the file system does not take. */
    public static final int EBADR = 53;

    /** {@code MCL_CURRENT}: lock the pages mapped now. */
    public static final int MCL_CURRENT = 1;
    /** {@code MCL_FUTURE}: lock the pages mapped later. */
    public static final int MCL_FUTURE = 2;
    /** {@code MCL_ONFAULT}: lock pages when they are faulted in. */
    public static final int MCL_ONFAULT = 4;
    /** {@code MADV_NORMAL}. */
    public static final int MADV_NORMAL = 0;
    /** {@code MADV_RANDOM}. */
    public static final int MADV_RANDOM = 1;
    /** {@code MADV_SEQUENTIAL}. */
    public static final int MADV_SEQUENTIAL = 2;
    /** {@code MADV_WILLNEED}. */
    public static final int MADV_WILLNEED = 3;
    /** {@code MADV_DONTNEED}. */
    public static final int MADV_DONTNEED = 4;
    /** {@code PROT_READ}: the mapping can be read (required by {@link AioEngine#mmap}). */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}: the mapping can be written (its buffer is read-only without it). */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}: writes reach the file and other mappings. */
    public static final int MAP_SHARED = 1;
    /** {@code MAP_PRIVATE}: a copy-on-write mapping. */
    public static final int MAP_PRIVATE = 2;
    /** {@code MAP_FIXED} (refused by {@link AioEngine#mmap}: it would replace memory the JVM owns). */
    public static final int MAP_FIXED = 0x10;
    /** {@code MAP_ANONYMOUS}: memory not backed by a file. */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code MAP_POPULATE}: prefault the pages. */
    public static final int MAP_POPULATE = 0x8000;
    /** {@code SPLICE_F_MOVE}. */
    public static final int SPLICE_F_MOVE = 1;
    /** {@code SPLICE_F_NONBLOCK}. */
    public static final int SPLICE_F_NONBLOCK = 2;
    /** {@code SPLICE_F_MORE}. */
    public static final int SPLICE_F_MORE = 4;
    /** {@code SPLICE_F_GIFT}. */
    public static final int SPLICE_F_GIFT = 8;

    // ---- dev_t helpers (IO::AIO::major, ::minor, ::makedev; glibc's encoding) ----

    /**
     * The major number of a device number ({@link FileStat#dev()} or {@link FileStat#rdev()}).
     *
     * @param dev a device number as {@code struct stat} holds it
     * @return its major part
     */
    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0x00000fffL));
    }

    /**
     * The minor number of a device number.
     *
     * @param dev a device number as {@code struct stat} holds it
     * @return its minor part
     */
    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0x000000ffL));
    }

    /**
     * A device number from its major and minor parts, as {@code makedev(3)} builds it.
     *
     * @param major the major number
     * @param minor the minor number
     * @return the device number
     */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32)
                | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }
}
