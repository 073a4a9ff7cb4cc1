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
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.ioaio.internal.sys.SyscallException;

/**
 * io_uring's system interface, shared by the io_uring lane ({@link UringLane}): the opcodes and
 * flags it uses, {@code io_uring_setup} with the rings' mappings, the opcode probe, and the
 * downcall plumbing. Holds no ring itself.
 *
 * <p><b>Layouts</b> (checked with {@code offsetof} by gcc against {@code <linux/io_uring.h>}):
 * {@code io_uring_params} 120 bytes, {@code sq_off}@40 and {@code cq_off}@80, each ten u32 then a u64;
 * an SQE is 64 bytes: opcode@0 u8, flags@1 u8, ioprio@2 u16, fd@4 s32, off/addr2@8 u64, addr@16 u64,
 * len@24 u32, op_flags@28 u32, user_data@32 u64, buf_index@40, personality@42, splice_fd_in@44,
 * addr3@48; a CQE 16 bytes: user_data@0 u64, res@8 s32, flags@12 u32.
 */
final class Uring {

    private Uring() {}

    static final byte OP_NOP = 0;
    static final byte OP_FSYNC = 3;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_FALLOCATE = 17;
    static final byte OP_OPENAT = 18;
    static final byte OP_CLOSE = 19;
    static final byte OP_STATX = 21;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;
    static final byte OP_FADVISE = 24;
    static final byte OP_RENAMEAT = 35;
    static final byte OP_UNLINKAT = 36;
    static final byte OP_MKDIRAT = 37;
    static final byte OP_SYMLINKAT = 38;
    static final byte OP_LINKAT = 39;
    /** {@code IORING_FSYNC_DATASYNC}: fdatasync instead of fsync. */
    static final int FSYNC_DATASYNC = 1;
    /** {@code IOSQE_ASYNC} (SQE flags@1): issue from the kernel's worker threads, never inline and non-blocking first. */
    static final byte SQE_ASYNC = 0x10;
    /** {@code IORING_REGISTER_PROBE}: which opcodes the kernel supports. */
    private static final long REGISTER_PROBE = 8;
    /** {@code io_uring_probe}'s size with room for 256 {@code io_uring_probe_op}s of 8 bytes (op@0 u8, flags@2 u16). */
    private static final int PROBE_OPS = 256;
    /** {@code IO_URING_OP_SUPPORTED} in {@code io_uring_probe_op.flags}. */
    private static final int OP_SUPPORTED = 1;

    private static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;
    static final int ENTER_GETEVENTS = 1;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final long OFF_SQ_RING = 0;
    private static final long OFF_SQES = 0x1000_0000L;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    static final int SQE_SIZE = 64;
    static final int CQE_SIZE = 16;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;

    private static final MethodHandle SETUP = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
    static final MethodHandle ENTER = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG));
    private static final MethodHandle REGISTER = syscall(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            ADDRESS, JAVA_LONG));
    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /**
     * A ring's descriptor, its {@code io_uring_params} as the kernel filled them, and its two
     * mappings: the rings (submission and completion, one mapping) and the submission entries.
     *
     * @param fd the ring's descriptor
     * @param params the parameters (120 bytes)
     * @param rings the rings' mapping
     * @param sqes the submission entries' mapping
     */
    record Mapping(int fd, MemorySegment params, MemorySegment rings, MemorySegment sqes) {
        /** Unmaps both mappings and closes the descriptor. */
        void release() {
            unmap(sqes);
            unmap(rings);
            closeFd(fd);
        }
    }

    /**
     * {@code io_uring_setup} with {@code entries} submission entries, and both mappings.
     *
     * @param entries the submission ring's size (the kernel rounds up to a power of two)
     * @return the mapped ring
     * @throws SyscallException the errno of io_uring_setup or mmap; ENOSYS before Linux 5.4
     */
    static Mapping setup(int entries) throws SyscallException {
        Arena arena = Arena.ofAuto();
        MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment params = arena.allocate(120, 8);
        long r;
        try {
            r = (long) SETUP.invokeExact(capture, SYS_IO_URING_SETUP, (long) entries, params);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        if (r < 0) {
            throw new SyscallException(Libc.errno(capture));
        }
        int fd = (int) r;
        try {
            if ((params.get(JAVA_INT, 20) & FEAT_SINGLE_MMAP) == 0) {
                throw new SyscallException(38); // ENOSYS: kernels before 5.4 are not supported
            }
            long sqSize = params.get(JAVA_INT, 64) + 4L * params.get(JAVA_INT, 0);
            long cqSize = params.get(JAVA_INT, 100) + (long) CQE_SIZE * params.get(JAVA_INT, 4);
            MemorySegment rings = map(capture, fd, Math.max(sqSize, cqSize), OFF_SQ_RING);
            MemorySegment sqes;
            try {
                sqes = map(capture, fd, (long) SQE_SIZE * params.get(JAVA_INT, 0), OFF_SQES);
            } catch (SyscallException e) {
                unmap(rings);
                throw e;
            }
            return new Mapping(fd, params, rings, sqes);
        } catch (SyscallException | RuntimeException | Error e) {
            closeFd(fd);
            throw e;
        }
    }

    /**
     * Which opcodes the ring's kernel supports ({@code IORING_REGISTER_PROBE}, Linux 5.6+): {@code
     * io_uring_probe} is 16 bytes (last_op@0 u8, ops_len@1 u8), then {@code ops_len} entries of 8
     * bytes (op@0 u8, flags@2 u16), checked with {@code offsetof} by gcc.
     *
     * @param ringFd the ring
     * @return indexed by opcode; {@code null} when the kernel cannot tell (before 5.6)
     */
    static boolean[] probe(int ringFd) {
        Arena arena = Arena.ofAuto();
        MemorySegment capture = arena.allocate(Libc.CAPTURE_LAYOUT);
        MemorySegment probe = arena.allocate(16 + 8L * PROBE_OPS, 8);
        long r;
        try {
            r = (long) REGISTER.invokeExact(capture, SYS_IO_URING_REGISTER, (long) ringFd, REGISTER_PROBE, probe, (long) PROBE_OPS);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        if (r < 0) {
            return null;
        }
        boolean[] supported = new boolean[PROBE_OPS];
        int n = Math.min(Byte.toUnsignedInt(probe.get(JAVA_BYTE, 1)), PROBE_OPS);
        for (int i = 0; i < n; i++) {
            long at = 16 + 8L * i;
            if ((probe.get(ValueLayout.JAVA_SHORT, at + 2) & OP_SUPPORTED) != 0) {
                supported[Byte.toUnsignedInt(probe.get(JAVA_BYTE, at))] = true;
            }
        }
        return supported;
    }

    // ---- plumbing

    @SuppressWarnings("restricted")
    private static MemorySegment map(MemorySegment capture, int fd, long size, long offset) throws SyscallException {
        MemorySegment m;
        try {
            m = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, size, PROT_READ_WRITE, MAP_SHARED_POPULATE,
                    fd, offset);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
        if (m.address() == -1L) {
            throw new SyscallException(Libc.errno(capture));
        }
        return m.reinterpret(size);
    }

    static void unmap(MemorySegment m) {
        MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        try {
            int r = (int) MUNMAP.invokeExact(capture, m, m.byteSize());
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
    }

    static void closeFd(int fd) {
        MemorySegment capture = Arena.ofAuto().allocate(Libc.CAPTURE_LAYOUT);
        try {
            int r = (int) Libc.CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw LinuxSyscalls.unchecked(t);
        }
    }

    private static MethodHandle syscall(FunctionDescriptor descriptor) {
        return Downcalls.libc("syscall", descriptor, Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return Downcalls.libc(name, descriptor, Linker.Option.captureCallState("errno"));
    }
}
