package org.ioaio.internal;

import org.ioaio.internal.sys.Pathname;
import org.ioaio.IoUringOp;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code open(2)} of a path: a call that a {@link RingBackend} can execute as {@code
 * IORING_OP_OPENAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param flags the {@code O_*} flags
 * @param mode the permission bits of a created file
 */
public record OpenCall(Pathname path, int flags, int mode) implements SysRequest.Call, RingCall {

    @Override
    public IoUringOp ringOp() {
        return IoUringOp.OPENAT;
    }

    @Override
    public boolean hasPaths() {
        return true;
    }

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        return sys.open(path, flags, mode);
    }
}
