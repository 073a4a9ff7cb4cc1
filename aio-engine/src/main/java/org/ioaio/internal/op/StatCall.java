package org.ioaio.internal.op;

import org.ioaio.internal.sched.UringBackend;
import org.ioaio.internal.sys.Pathname;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code stat} or {@code lstat} of a path: a call that a {@link UringBackend} can execute as a
 * {@code statx}, and that a worker executes through the {@link Syscalls} layer otherwise.
 *
 * @param path the path
 * @param follow {@code true} for {@code stat}, {@code false} for {@code lstat}
 */
public record StatCall(Pathname path, boolean follow) implements SysRequest.Call {

    @Override
    public Object run(Syscalls sys) throws SyscallException {
        return follow ? sys.stat(path) : sys.lstat(path);
    }
}
