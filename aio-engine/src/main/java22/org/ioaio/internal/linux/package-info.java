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

/**
 * Linux syscalls through the FFM API (Java 22+): the native syscall layer ({@code LinuxSyscalls},
 * its jails resolved by {@code openat2} in {@code LinuxBeneathSyscalls}, tree calls relative to held
 * descriptors in {@code LinuxTreeCalls}) and the io_uring lane ({@code Uring}, {@code UringLane}),
 * compiled with --release 22 and loaded only by name, by {@code org.ioaio.internal.Platform}, when
 * the running JVM is 22 or later. The only package that touches {@code java.lang.foreign}.
 *
 * <h2>The native syscall layer ({@code LinuxSyscalls})</h2>
 *
 * <p><b>Calls made exactly as in C</b>: {@code openat(AT_FDCWD, ...)}, {@code close}, {@code lseek},
 * {@code pread}, {@code pwrite}, {@code read}, {@code write}, {@code readahead},
 * {@code fstatat}/{@code fstat}, {@code statvfs}/{@code fstatvfs}, {@code utimensat}/{@code futimens}
 * ({@code UTIME_NOW} for a {@code null} time), {@code fchownat}/{@code fchown},
 * {@code fchmodat}/{@code fchmod}, {@code truncate}/{@code ftruncate}, {@code fallocate},
 * {@code unlinkat} (with {@code AT_REMOVEDIR} for rmdir), {@code mknodat}, {@code linkat},
 * {@code symlinkat}, {@code readlinkat}, {@code realpath(3)}, {@code renameat}/{@code renameat2},
 * {@code mkdirat}, {@code fsync}, {@code fdatasync}, {@code syncfs}, {@code sync_file_range},
 * {@code sync}, {@code msync} (the range widened to whole pages, as libeio does), {@code
 * posix_fadvise}, {@code statx} (with the birth time where the file system keeps one); {@code readdir}
 * and {@code readdirDents} are {@code openat(O_DIRECTORY)} + {@code getdents64(2)}, with the
 * kernel's {@code d_type} and {@code d_ino} (no {@code lstat} per entry).
 *
 * <p><b>Jails</b>: {@code beneath} gives a jail's calls resolved by the kernel with {@code
 * openat2(2)} and {@code RESOLVE_BENEATH} ({@code LinuxBeneathSyscalls}), so a jail over this layer
 * is not walked in Java.
 *
 * <p><b>Composite</b>, as libeio: {@code sendfile} calls {@code sendfile(2)} until the length is
 * copied or a call copies less than asked (one call copies at most 2 GiB - 4 KiB); if the first call
 * fails with EINVAL, ENOSYS, ENOTSOCK or EOPNOTSUPP (an {@code O_APPEND} output, a file system without
 * splice support) it is emulated with {@code pread} and {@code write}, as IO::AIO's manual says.
 * {@code mtouch} touches pages in Java (the portable layer's code: there is no syscall).
 *
 * <p><b>Paths</b> are passed as the bytes the JDK would pass: {@code toString()} encoded in
 * {@code sun.jnu.encoding}. A name that is not valid in that encoding (a {@code Path} from a
 * directory listing holding, say, Latin-1 bytes on a UTF-8 system) decodes to a string with U+FFFD
 * in it, which cannot be encoded back: for such a path the exact bytes are recovered from
 * {@code Path.toUri} (the JDK percent-encodes the raw bytes there), so the call still goes to the
 * kernel with the right name. A name {@code readlink} or {@code realpath} returns that is not valid
 * in the encoding cannot be turned into a {@code Path} here; those two calls are then answered by
 * the portable layer (which keeps the bytes), a second lookup of the same name.
 *
 * <p><b>Buffers</b>: a direct buffer is passed to the kernel as it is; a heap buffer goes through
 * a per-thread native buffer (one copy, as the JDK's own channels do), because a heap array can
 * only be passed to a "critical" downcall, which holds off every safepoint of the JVM (GC included)
 * for the whole call, unacceptable for a read that may wait for a disk. A read-only destination is
 * EINVAL, as in the portable layer.
 *
 * <p><b>Memory</b>: each thread keeps a small native scratch area (errno capture, a {@code struct
 * stat}, two path buffers, an I/O bounce buffer of up to 256 KiB, {@code MAX_CACHED_IO}; larger transfers
 * use a buffer freed after the call); it is freed by the GC with the thread. Nothing is allocated
 * per call on the usual paths except the result objects.
 *
 * <p>{@code LinuxSyscalls} is a {@code ForwardingSyscalls} over the portable layer only so that a
 * method added to {@code Syscalls} later works (portably) before it is written here, and for the
 * two fallbacks above; its {@code Path} forms are its {@code Pathname} forms; every method taking
 * a {@code FileHandle} is overridden, since the portable layer rejects descriptor handles with EBADF.
 * Handles of the portable layer given to this one fail with EBADF, as the interface requires.
 */
package org.ioaio.internal.linux;
