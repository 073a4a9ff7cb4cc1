package org.ioaio.internal;

import org.ioaio.internal.sys.Pathname;
import org.ioaio.IoUringOp;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code symlink}: a symbolic link whose target is stored verbatim, a call that a {@link
 * RingBackend} can execute as {@code IORING_OP_SYMLINKAT}, and that a worker executes through the
 * {@link Syscalls} layer otherwise.
 *
 * @param target the link's target (not resolved)
 * @param link the new link
 */
public record SymlinkCall(Pathname target, Pathname link) implements SysRequest.StatusCall, RingCall {

    @Override
    public IoUringOp ringOp() {
        return IoUringOp.SYMLINKAT;
    }

    @Override
    public boolean hasPaths() {
        return true;
    }

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.symlink(target, link);
    }
}
