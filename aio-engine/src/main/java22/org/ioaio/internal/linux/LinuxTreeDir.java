package org.ioaio.internal.linux;

import java.nio.file.Path;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.TreeDir;

/**
 * The native layer's held directory: a descriptor opened {@code O_RDONLY | O_DIRECTORY |
 * O_CLOEXEC} (and {@code O_NOFOLLOW} below the top), kept in a {@link LinuxFileHandle} so that a
 * close while a call is in flight runs {@code close(2)} only after that call (no descriptor is
 * reused under a call). Its identity is {@code st_dev}/{@code st_ino} from {@code fstat}.
 */
final class LinuxTreeDir extends TreeDir {

    /** Identity of a directory: what {@code fstat} said when it was opened. */
    record Id(long dev, long ino) {}

    final LinuxFileHandle handle;

    LinuxTreeDir(Path path, Id id, LinuxFileHandle handle) {
        super(path, id);
        this.handle = handle;
    }

    @Override
    public void close() {
        try {
            handle.closeOnce();
        } catch (SyscallException e) {
            // a directory: nothing was written through it, nothing to report
        }
    }
}
