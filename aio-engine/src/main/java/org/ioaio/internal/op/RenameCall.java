package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code rename} or {@code rename2} of a path: a call that a {@link UringBackend} can execute as
 * {@code IORING_OP_RENAMEAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param from the existing path
 * @param to the new path
 * @param withFlags {@code true} for {@code rename2} ({@code renameat2} with {@code flags}), {@code false} for {@code rename}
 * @param flags the {@code RENAME_*} flags of {@code rename2} (0 for {@code rename})
 */
public record RenameCall(Pathname from, Pathname to, boolean withFlags, int flags) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return withFlags ? sys.rename2(from, to, flags) : sys.rename(from, to);
    }
}
