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

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The libc functions {@link LinuxSyscalls} calls, as FFM downcall handles created once, when this
 * class initialises; a symbol that cannot be found makes initialisation fail with an
 * {@link UnsatisfiedLinkError} naming it, and {@code org.ioaio.internal.Platform} then reports the
 * native layer unavailable with that reason.
 *
 * <p><b>errno.</b> Every handle but {@link #SYNC} and {@link #POSIX_FADVISE} (which returns the
 * error number instead of setting errno) is linked with
 * {@link Linker.Option#captureCallState(String...) captureCallState("errno")}: its first parameter
 * is a segment of {@link #CAPTURE_LAYOUT} into which the linker stores the thread's errno right
 * after the call returns, before the JVM can run anything that might change it. {@link #errno}
 * reads it back. Callers test the return value first (-1 or {@code NULL}), as in C; the captured
 * value is meaningless after a success.
 *
 * <p><b>Old glibc.</b> glibc exports {@code fstatat}, {@code fstat} and {@code mknodat} as symbols
 * only since 2.33 (before, they were inline wrappers of {@code __fxstatat} and friends), {@code
 * renameat2} and {@code statx} since 2.28 and {@code syncfs} since 2.14. Where the symbol is missing, the handle is the
 * raw syscall through {@code syscall(2)} with the same Java signature, so the layer also runs on
 * glibc 2.28 to 2.32 (Debian 11, RHEL 8); {@code getdents64} is a symbol since 2.30. {@code
 * openat2} has no glibc wrapper at all: it is always the raw syscall. The x86-64 kernel's {@code
 * struct stat} is glibc's.
 *
 * <p><b>Types</b> (x86-64 LP64): {@code int}, {@code mode_t}, {@code uid_t}, {@code gid_t} are
 * {@code JAVA_INT}; {@code off_t}, {@code size_t}, {@code ssize_t}, {@code dev_t}, {@code long} are
 * {@code JAVA_LONG}; pointers are {@code ADDRESS}.
 */
final class Libc {

    private Libc() {}

    /** {@code AT_FDCWD}: *at-calls resolve relative paths against the working directory. */
    static final int AT_FDCWD = -100;
    /** {@code AT_SYMLINK_NOFOLLOW} for {@code fstatat} (lstat). */
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@code AT_REMOVEDIR} for {@code unlinkat} (rmdir). */
    static final int AT_REMOVEDIR = 0x200;
    /** {@code AT_EMPTY_PATH}: an *at-call on the descriptor itself (an empty path). */
    static final int AT_EMPTY_PATH = 0x1000;
    /** {@code RESOLVE_NO_MAGICLINKS} of {@code openat2}: no {@code /proc/self/fd}-style link is followed. */
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    /** {@code RESOLVE_BENEATH} of {@code openat2}: the path may not leave the directory (EXDEV). */
    static final long RESOLVE_BENEATH = 0x08;
    /** {@code sizeof(struct open_how)}: {@code u64 flags@0, u64 mode@8, u64 resolve@16} (checked with gcc). */
    static final long OPEN_HOW_SIZE = 24;
    /** {@code sizeof(struct statx)} (checked with gcc). */
    static final long STATX_SIZE = 256;
    /** {@code UTIME_NOW} in a {@code timespec}'s {@code tv_nsec}: the current time. */
    static final long UTIME_NOW = (1L << 30) - 1;

    /** x86-64 syscall numbers of the fallbacks ({@code <asm/unistd_64.h>}). */
    static final long SYS_FSTAT = 5;
    static final long SYS_GETDENTS64 = 217;
    static final long SYS_MKNODAT = 259;
    static final long SYS_NEWFSTATAT = 262;
    static final long SYS_SYNCFS = 306;
    static final long SYS_RENAMEAT2 = 316;
    static final long SYS_STATX = 332;
    static final long SYS_OPENAT2 = 437;

    /** {@code sizeof(struct stat)} on x86-64 (glibc and kernel agree). */
    static final long STAT_SIZE = 144;
    /** {@code sizeof(struct statvfs)} on x86-64 glibc. */
    static final long STATVFS_SIZE = 112;
    /** {@code PATH_MAX}: the size of {@code realpath}'s output buffer. */
    static final int PATH_MAX = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    /** The layout of the segment the linker stores errno in. */
    static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code MemorySegment::address}, to pass a pointer through {@code syscall}'s long arguments. */
    private static final MethodHandle ADDRESS_OF;

    static {
        try {
            ADDRESS_OF = MethodHandles.publicLookup().findVirtual(MemorySegment.class, "address",
                    MethodType.methodType(long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code long syscall(long number, ...)}: the fallback for missing wrappers. */
    private static final MethodHandle SYSCALL6 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            ERRNO, Linker.Option.firstVariadicArg(1));

    // ---- descriptors

    /**
     * {@code long openat2(int dirfd, const char *path, struct open_how *how, size_t size)} (Linux 5.6+),
     * always through {@code syscall(2)}: ENOSYS on older kernels.
     */
    static final MethodHandle OPENAT2 = viaSyscall(SYS_OPENAT2,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));

    /** {@code int openat(int dirfd, const char *path, int flags, ... (mode_t mode))}. */
    static final MethodHandle OPENAT = downcall("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            ERRNO, Linker.Option.firstVariadicArg(3));
    /** {@code int close(int fd)}. */
    static final MethodHandle CLOSE = errno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code off_t lseek(int fd, off_t offset, int whence)}. */
    static final MethodHandle LSEEK = errno("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)}. */
    static final MethodHandle PREAD = errno("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)}. */
    static final MethodHandle PWRITE = errno("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    static final MethodHandle READ = errno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    static final MethodHandle WRITE = errno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)}. */
    static final MethodHandle SENDFILE = errno("sendfile", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code ssize_t readahead(int fd, off64_t offset, size_t count)}. */
    static final MethodHandle READAHEAD = errno("readahead", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /**
     * {@code int posix_fadvise(int fd, off_t offset, off_t len, int advice)}: returns 0 or the error
     * number itself (errno is not set), so no errno is captured.
     */
    static final MethodHandle POSIX_FADVISE = downcall("posix_fadvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));

    // ---- status

    /** {@code int fstatat(int dirfd, const char *path, struct stat *buf, int flags)}. */
    static final MethodHandle FSTATAT = errnoOrSyscall("fstatat", SYS_NEWFSTATAT,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    /** {@code int fstat(int fd, struct stat *buf)}. */
    static final MethodHandle FSTAT = errnoOrSyscall("fstat", SYS_FSTAT, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)}. */
    static final MethodHandle STATX = errnoOrSyscall("statx", SYS_STATX,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code int statvfs(const char *path, struct statvfs *buf)}. */
    static final MethodHandle STATVFS = errno("statvfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** {@code int fstatvfs(int fd, struct statvfs *buf)}. */
    static final MethodHandle FSTATVFS = errno("fstatvfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    // ---- attributes

    /** {@code int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)}. */
    static final MethodHandle UTIMENSAT = errno("utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    /** {@code int futimens(int fd, const struct timespec times[2])}. */
    static final MethodHandle FUTIMENS = errno("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code SCHED_BATCH} of {@code sched_setscheduler}: never preempts a running thread on wake-up. */
    static final int SCHED_BATCH = 3;
    /** {@code int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)}; pid 0: the calling thread. */
    static final MethodHandle SCHED_SETSCHEDULER = errno("sched_setscheduler",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)}. */
    static final MethodHandle FCHOWNAT = errno("fchownat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int fchown(int fd, uid_t owner, gid_t group)}. */
    static final MethodHandle FCHOWN = errno("fchown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int fchmodat(int dirfd, const char *path, mode_t mode, int flags)}. */
    static final MethodHandle FCHMODAT = errno("fchmodat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /** {@code int fchmod(int fd, mode_t mode)}. */
    static final MethodHandle FCHMOD = errno("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    /** {@code int truncate(const char *path, off_t length)}. */
    static final MethodHandle TRUNCATE = errno("truncate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code int ftruncate(int fd, off_t length)}. */
    static final MethodHandle FTRUNCATE = errno("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    /** {@code int fallocate(int fd, int mode, off_t offset, off_t len)}. */
    static final MethodHandle FALLOCATE = errno("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    // ---- names

    /** {@code int unlinkat(int dirfd, const char *path, int flags)}. */
    static final MethodHandle UNLINKAT = errno("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)}. */
    static final MethodHandle MKNODAT = mknodat();
    /** {@code int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)}. */
    static final MethodHandle LINKAT = errno("linkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int symlinkat(const char *target, int newdirfd, const char *linkpath)}. */
    static final MethodHandle SYMLINKAT = errno("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    /** {@code ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz)}. */
    static final MethodHandle READLINKAT = errno("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    /** {@code char *realpath(const char *path, char *resolved)}, {@code resolved} of {@link #PATH_MAX} bytes. */
    static final MethodHandle REALPATH = errno("realpath", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    /** {@code int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)}. */
    static final MethodHandle RENAMEAT = errno("renameat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    /** {@code int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags)}. */
    static final MethodHandle RENAMEAT2 = errnoOrSyscall("renameat2", SYS_RENAMEAT2,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int mkdirat(int dirfd, const char *path, mode_t mode)}. */
    static final MethodHandle MKDIRAT = errno("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    /** {@code ssize_t getdents64(int fd, void *dirp, size_t count)} (glibc 2.30+; the syscall before). */
    static final MethodHandle GETDENTS64 = errnoOrSyscall("getdents64", SYS_GETDENTS64,
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    // ---- sync

    /** {@code int fsync(int fd)}. */
    static final MethodHandle FSYNC = errno("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code int fdatasync(int fd)}. */
    static final MethodHandle FDATASYNC = errno("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code int syncfs(int fd)}. */
    static final MethodHandle SYNCFS = errnoOrSyscall("syncfs", SYS_SYNCFS, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code int sync_file_range(int fd, off64_t offset, off64_t nbytes, unsigned int flags)}. */
    static final MethodHandle SYNC_FILE_RANGE = errno("sync_file_range",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /** {@code void sync(void)}: cannot fail, so no errno is captured. */
    static final MethodHandle SYNC = downcall("sync", FunctionDescriptor.ofVoid());
    /** {@code int msync(void *addr, size_t length, int flags)}. */
    static final MethodHandle MSYNC = errno("msync", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /**
     * The errno the last call through a handle stored in {@code capture}.
     *
     * @param capture a segment of {@link #CAPTURE_LAYOUT} passed to the call
     * @return the errno
     */
    static int errno(MemorySegment capture) {
        return (int) ERRNO_HANDLE.get(capture, 0L);
    }

    /** A handle for {@code name} whose first parameter receives errno. */
    private static MethodHandle errno(String name, FunctionDescriptor descriptor) {
        return downcall(name, descriptor, ERRNO);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return Downcalls.libc(name, descriptor, options);
    }

    /**
     * The libc wrapper {@code name} with errno capture, or, where this libc lacks it, syscall
     * {@code number} through {@code syscall(2)} adapted to the same type: int arguments are
     * sign-extended to the longs {@code syscall} passes, and its long result narrowed (it is -1 or a
     * small status for these calls).
     */
    private static MethodHandle errnoOrSyscall(String name, long number, FunctionDescriptor descriptor) {
        Optional<MemorySegment> symbol = LIBC.find(name);
        if (symbol.isPresent()) {
            return Downcalls.link(symbol.get(), descriptor, ERRNO);
        }
        Downcalls.note(descriptor, ERRNO); // linked where the libc has the wrapper
        return viaSyscall(number, descriptor);
    }

    /** {@code descriptor}'s Java type (capture segment first) over {@code syscall(number, ...)}. */
    static MethodHandle viaSyscall(long number, FunctionDescriptor descriptor) {
        int arity = descriptor.argumentLayouts().size();
        if (arity > 5) {
            throw new IllegalArgumentException("at most 5 syscall arguments: " + descriptor);
        }
        // syscall(number, a1..a5): unused trailing arguments are passed as 0 and ignored by the kernel.
        MethodHandle h = MethodHandles.insertArguments(SYSCALL6, 1, number);
        Class<?>[] raw = new Class<?>[arity];
        Class<?>[] wanted = new Class<?>[arity + 1];
        wanted[0] = MemorySegment.class;
        for (int i = 0; i < arity; i++) {
            boolean address = descriptor.argumentLayouts().get(i) instanceof java.lang.foreign.AddressLayout;
            raw[i] = long.class;
            wanted[i + 1] = address ? MemorySegment.class : ((ValueLayout) descriptor.argumentLayouts().get(i)).carrier();
        }
        Object[] zeros = new Object[5 - arity];
        java.util.Arrays.fill(zeros, 0L);
        h = MethodHandles.insertArguments(h, 1 + arity, zeros);
        // pointers: pass the address as a long
        for (int i = 0; i < arity; i++) {
            if (wanted[i + 1] == MemorySegment.class) {
                h = MethodHandles.filterArguments(h, 1 + i, ADDRESS_OF);
            }
        }
        Class<?> ret = ((ValueLayout) descriptor.returnLayout().orElseThrow()).carrier();
        return MethodHandles.explicitCastArguments(h, MethodType.methodType(ret, wanted));
    }

    /**
     * {@code mknodat}: the glibc wrapper, or the raw syscall, whose {@code dev} is the kernel's 32-bit
     * encoding; glibc's 64-bit {@code dev_t} equals it for every number that fits in 32 bits, and
     * callers reject the others with EINVAL first, as glibc's wrapper does.
     */
    private static MethodHandle mknodat() {
        FunctionDescriptor d = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
        return errnoOrSyscall("mknodat", SYS_MKNODAT, d);
    }
}
