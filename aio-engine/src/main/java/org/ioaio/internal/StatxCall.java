package org.ioaio.internal;

import org.ioaio.internal.sys.Pathname;
import org.ioaio.IoUringOp;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code statx(2)} of a path: a call that a {@link RingBackend} can execute as {@code
 * IORING_OP_STATX}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param flags the {@code AT_*} flags
 * @param mask the {@code STATX_*} fields wanted
 */
public record StatxCall(Pathname path, int flags, int mask) implements SysRequest.Call, RingCall {

    @Override
    public IoUringOp ringOp() {
        return IoUringOp.STATX;
    }

    @Override
    public boolean hasPaths() {
        return true;
    }

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        return sys.statx(path, flags, mask);
    }
}
