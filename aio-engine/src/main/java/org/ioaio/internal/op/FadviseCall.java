package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code posix_fadvise(2)} of an open file: a call that a {@link UringBackend} can execute as
 * {@code IORING_OP_FADVISE}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param file the file
 * @param offset the start, 0 or more
 * @param length the byte count, 0 or more (0: to the end of the file)
 * @param advice the {@code POSIX_FADV_*} advice
 */
public record FadviseCall(FileHandle file, long offset, long length, int advice) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return sys.fadvise(file, offset, length, advice);
    }
}
