package org.ioaio.internal;

import org.ioaio.internal.sys.Pathname;
import org.ioaio.IoUringOp;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code unlink} or {@code rmdir} of a path: a call that a {@link RingBackend} can execute as
 * {@code IORING_OP_UNLINKAT}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param directory {@code true} for {@code rmdir} ({@code AT_REMOVEDIR})
 */
public record UnlinkCall(Pathname path, boolean directory) implements SysRequest.StatusCall, RingCall {

    @Override
    public IoUringOp ringOp() {
        return IoUringOp.UNLINKAT;
    }

    @Override
    public boolean hasPaths() {
        return true;
    }

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return directory ? sys.rmdir(path) : sys.unlink(path);
    }
}
