package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code symlink}: a symbolic link whose target is stored verbatim, a call that a {@link
 * UringBackend} can execute as {@code IORING_OP_SYMLINKAT}, and that a worker executes through the
 * {@link Syscalls} layer otherwise.
 *
 * @param target the link's target (not resolved)
 * @param link the new link
 */
public record SymlinkCall(Pathname target, Pathname link) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.symlink(target, link);
    }
}
