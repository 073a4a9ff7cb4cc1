package org.ioaio.internal;

import org.ioaio.internal.sys.Pathname;
import org.ioaio.IoUringOp;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code link}: a new hard link to an existing path, a call that a {@link RingBackend} can execute
 * as {@code IORING_OP_LINKAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param existing the existing path
 * @param link the new name
 */
public record LinkCall(Pathname existing, Pathname link) implements SysRequest.StatusCall, RingCall {

    @Override
    public IoUringOp ringOp() {
        return IoUringOp.LINKAT;
    }

    @Override
    public boolean hasPaths() {
        return true;
    }

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.link(existing, link);
    }
}
