package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code open(2)} of a path: a call that a {@link UringBackend} can execute as {@code
 * IORING_OP_OPENAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param flags the {@code O_*} flags
 * @param mode the permission bits of a created file
 */
public record OpenCall(Pathname path, int flags, int mode) implements SysRequest.Call {

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        return sys.open(path, flags, mode);
    }
}
