package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code fsync} or {@code fdatasync} of a file: a call that a {@link UringBackend} can execute
 * without a worker, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param file the file
 * @param dataOnly {@code true} for {@code fdatasync}
 */
public record SyncCall(FileHandle file, boolean dataOnly) implements SysRequest.StatusCall {

    @Override
    public long run(Syscalls sys) throws SyscallException {
        return dataOnly ? sys.fdatasync(file) : sys.fsync(file);
    }
}
