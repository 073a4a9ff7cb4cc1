package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code mkdir} of a path: a call that a {@link UringBackend} can execute as {@code
 * IORING_OP_MKDIRAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the new directory
 * @param mode its permission bits (the umask applies)
 */
public record MkdirCall(Pathname path, int mode) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.mkdir(path, mode);
    }
}
