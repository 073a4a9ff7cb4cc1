package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code statx(2)} of a path: a call that a {@link UringBackend} can execute as {@code
 * IORING_OP_STATX}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param flags the {@code AT_*} flags
 * @param mask the {@code STATX_*} fields wanted
 */
public record StatxCall(Pathname path, int flags, int mask) implements SysRequest.Call {

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        return sys.statx(path, flags, mask);
    }
}
