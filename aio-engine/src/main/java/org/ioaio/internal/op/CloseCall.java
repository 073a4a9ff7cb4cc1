package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code close(2)} of an open file: a call that a {@link UringBackend} can execute as {@code
 * IORING_OP_CLOSE}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param file the file
 */
public record CloseCall(FileHandle file) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.close(file);
    }
}
