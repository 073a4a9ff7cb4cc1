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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.ioaio.FileStat;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * For the conformance tests (test code, made by name): the native layer with reads, writes,
 * fsync/fdatasync and stat/lstat/fstat submitted to an io_uring ({@link UringWaitingRing}) on which
 * the calling thread waits, instead of called directly; everything else, and anything the ring
 * cannot take (it {@linkplain UringWaitingRing#broken() broke}), is the plain native layer's.
 * Results and errnos are the same as the syscalls'; stat comes from {@code
 * statx(STATX_BASIC_STATS)}, whose fields are {@code struct stat}'s. The engine's own io_uring
 * lane is {@link UringLane}; this layer pins the ring's encoding against the syscalls.
 */
public final class UringSyscalls extends LinuxSyscalls {

    /** {@code STATX_BASIC_STATS}: every field of {@code struct stat}. */
    static final int STATX_BASIC_STATS = 0x7ff;
    /** {@code AT_EMPTY_PATH}: statx of the descriptor itself. */
    private static final int AT_EMPTY_PATH = 0x1000;
    /** The empty C string, for statx of a descriptor. */
    private static final MemorySegment EMPTY = Arena.global().allocate(1);
    /** The ring's default size. */
    private static final int ENTRIES = 256;

    private final UringWaitingRing ring;

    private UringSyscalls(UringWaitingRing ring) {
        this.ring = ring;
    }

    /**
     * Sets up a ring and returns the layer; called by name (Java 17 code cannot name this class).
     *
     * @return the layer
     * @throws IllegalStateException if io_uring cannot be set up here (ENOSYS, EPERM when disabled, ENOMEM)
     */
    public static Syscalls create() {
        LinuxSyscalls.create(); // the same platform checks
        try {
            return new UringSyscalls(UringWaitingRing.open(ENTRIES));
        } catch (SyscallException e) {
            throw new IllegalStateException("io_uring_setup failed: " + e.getMessage());
        }
    }

    /**
     * Releases the ring (after everything in flight completed); later calls use plain syscalls.
     *
     * @throws SyscallException if the ring could not be stopped (it is then left mapped)
     */
    public void close() throws SyscallException {
        ring.close();
    }

    @Override
    long in(Scratch s, int fd, MemorySegment into, long length, long offset, boolean positional) throws SyscallException {
        if (ring.broken() || (positional && offset < 0)) {
            // a ring offset of -1 means "the file position": a negative pread/pwrite offset is the syscall's EINVAL
            return super.in(s, fd, into, length, offset, positional);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_READ, fd, positional ? offset : -1, into.address(), (int) Math.min(length, Integer.MAX_VALUE), 0);
        } catch (SyscallException notSubmitted) {
            return super.in(s, fd, into, length, offset, positional);
        }
        return check(res);
    }

    @Override
    long out(Scratch s, int fd, MemorySegment from, long length, long offset, boolean positional) throws SyscallException {
        if (ring.broken() || (positional && offset < 0)) {
            // a ring offset of -1 means "the file position": a negative pread/pwrite offset is the syscall's EINVAL
            return super.out(s, fd, from, length, offset, positional);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_WRITE, fd, positional ? offset : -1, from.address(), (int) Math.min(length, Integer.MAX_VALUE), 0);
        } catch (SyscallException notSubmitted) {
            return super.out(s, fd, from, length, offset, positional);
        }
        return check(res);
    }

    @Override
    int sync(Scratch s, int fd, boolean dataOnly) throws SyscallException {
        if (ring.broken()) {
            return super.sync(s, fd, dataOnly);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_FSYNC, fd, 0, 0, 0, dataOnly ? Uring.FSYNC_DATASYNC : 0);
        } catch (SyscallException notSubmitted) {
            return super.sync(s, fd, dataOnly);
        }
        return check(res);
    }

    @Override
    FileStat statAt(Scratch s, MemorySegment name, int flags) throws SyscallException {
        if (ring.broken()) {
            return super.statAt(s, name, flags);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_STATX, Libc.AT_FDCWD, s.statx.address(), name.address(), STATX_BASIC_STATS, flags);
        } catch (SyscallException notSubmitted) {
            return super.statAt(s, name, flags);
        }
        check(res);
        return LinuxSyscalls.toStatx(s.statx, true);
    }

    @Override
    FileStat fstat(Scratch s, int fd) throws SyscallException {
        if (ring.broken()) {
            return super.fstat(s, fd);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_STATX, fd, s.statx.address(), EMPTY.address(), STATX_BASIC_STATS, AT_EMPTY_PATH);
        } catch (SyscallException notSubmitted) {
            return super.fstat(s, fd);
        }
        check(res);
        return LinuxSyscalls.toStatx(s.statx, true);
    }

    private static int check(int res) throws SyscallException {
        if (res < 0) {
            throw new SyscallException(-res);
        }
        return res;
    }

}
