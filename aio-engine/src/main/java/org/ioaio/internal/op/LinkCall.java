package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code link}: a new hard link to an existing path, a call that a {@link UringBackend} can execute
 * as {@code IORING_OP_LINKAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param existing the existing path
 * @param link the new name
 */
public record LinkCall(Pathname existing, Pathname link) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.link(existing, link);
    }
}
