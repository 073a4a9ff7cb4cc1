package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code unlink} or {@code rmdir} of a path: a call that a {@link UringBackend} can execute as
 * {@code IORING_OP_UNLINKAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param directory {@code true} for {@code rmdir} ({@code AT_REMOVEDIR})
 */
public record UnlinkCall(Pathname path, boolean directory) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return directory ? sys.rmdir(path) : sys.unlink(path);
    }
}
