package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code fstat} or {@code statx(fd, "", AT_EMPTY_PATH)} of an open file: a call that a {@link
 * UringBackend} can execute as {@code IORING_OP_STATX}, and that a worker executes through the
 * {@link Syscalls} layer otherwise.
 *
 * @param file the file
 * @param extended {@code true} for {@code statx} (with {@code flags} and {@code mask}), {@code false} for {@code fstat}
 * @param flags {@code statx}'s {@code AT_*} flags (0 for {@code fstat})
 * @param mask {@code statx}'s {@code STATX_*} fields (0 for {@code fstat})
 */
public record FstatCall(FileHandle file, boolean extended, int flags, int mask) implements SysRequest.Call {

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        return extended ? sys.fstatx(file, flags, mask) : sys.fstat(file);
    }
}
