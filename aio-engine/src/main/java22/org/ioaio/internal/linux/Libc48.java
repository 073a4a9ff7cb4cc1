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
import java.lang.invoke.MethodHandle;

/**
 * The libc functions of IO::AIO 4.8's later calls ({@link LinuxExtraCalls}): fcntl, ioctl,
 * mlock, madvise, splice, tee, pipe2, get/setrlimit. Each is linked as {@link Libc}'s are, with
 * errno captured into the segment passed first ({@link Libc#CAPTURE_LAYOUT}).
 */
final class Libc48 {

    private Libc48() {}

    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    /** {@code int fcntl(int fd, int cmd, struct flock *)}. */
    static final MethodHandle FCNTL_PTR = variadic("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), 2);
    /** {@code int fcntl(int fd, int cmd, long arg)}. */
    static final MethodHandle FCNTL_LONG = variadic("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), 2);
    /** {@code int ioctl(int fd, unsigned long request, void *arg)}. */
    static final MethodHandle IOCTL_PTR = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    /** {@code int ioctl(int fd, unsigned long request, long arg)}. */
    static final MethodHandle IOCTL_LONG = variadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    /** {@code int mlock(const void *addr, size_t len)}. */
    static final MethodHandle MLOCK = errno("mlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code int munlock(const void *addr, size_t len)}. */
    static final MethodHandle MUNLOCK = errno("munlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code int mlockall(int flags)}. */
    static final MethodHandle MLOCKALL = errno("mlockall", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code int munlockall(void)}. */
    static final MethodHandle MUNLOCKALL = errno("munlockall", FunctionDescriptor.of(JAVA_INT));
    /** {@code int madvise(void *addr, size_t length, int advice)}. */
    static final MethodHandle MADVISE = errno("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned flags)}. */
    static final MethodHandle SPLICE = errno("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t copy_file_range(int fd_in, off64_t *off_in, int fd_out, off64_t *off_out, size_t len, unsigned flags)}. */
    static final MethodHandle COPY_FILE_RANGE = errno("copy_file_range",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** {@code ssize_t tee(int fd_in, int fd_out, size_t len, unsigned flags)}. */
    static final MethodHandle TEE = errno("tee", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code int pipe2(int fds[2], int flags)}. */
    static final MethodHandle PIPE2 = errno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** {@code int getrlimit(int resource, struct rlimit *)}. */
    static final MethodHandle GETRLIMIT = errno("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /** {@code int setrlimit(int resource, const struct rlimit *)}. */
    static final MethodHandle SETRLIMIT = errno("setrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}. */
    static final MethodHandle MMAP = errno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    /** {@code int munmap(void *addr, size_t length)}. */
    static final MethodHandle MUNMAP = errno("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    private static MethodHandle errno(String name, FunctionDescriptor d) {
        return link(name, d, ERRNO);
    }

    private static MethodHandle variadic(String name, FunctionDescriptor d, int firstVariadic) {
        return link(name, d, ERRNO, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MethodHandle link(String name, FunctionDescriptor d, Linker.Option... options) {
        return Downcalls.libc(name, d, options);
    }
}
