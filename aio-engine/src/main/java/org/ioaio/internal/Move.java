package org.ioaio.internal;

import java.nio.file.Path;
import org.ioaio.AioCallback;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code aio_move}: {@code rename}; only if that fails with EXDEV (another file system), a copy
 * followed by an {@code unlink} of the source, as {@code AIO.pm} does it. Any other rename error
 * is the result.
 *
 * <p>The fallback moves what rename would have moved: a regular file is copied ({@link
 * CopyFile}: content, times, mode, owner); a symlink is recreated with the same target (rename
 * moves the link, not what it points to; an existing non-directory destination is replaced, as
 * rename replaces it); a directory fails with EISDIR (IO::AIO: "directories not supported"); a
 * FIFO, socket or device with EINVAL.
 *
 * <p>Nothing is left half-done: if the copy fails, or the move is cancelled, or the source cannot
 * be unlinked after the copy, the destination made by the fallback is removed again and the source
 * stays where it was.
 */
final class Move extends Composite {

    private final Path src;
    private final Path dst;
    private boolean dstMade;
    private boolean srcRemoved;

    /**
     * A move of {@code src} to {@code dst}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback the callback
     * @param src the existing name
     * @param dst the new name
     */
    Move(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path src, Path dst) {
        super(scheduler, sys, pri, "move", callback);
        this.src = src;
        this.dst = dst;
    }

    @Override
    void begin() {
        step("rename", src, s -> s.rename(src, dst), NOTHING, errno -> {
            if (errno != Errno.EXDEV.code()) {
                return false;
            }
            acrossFileSystems();
            return true;
        });
    }

    private void acrossFileSystems() {
        step("lstat", src, s -> s.lstat(src), v -> {
            FileStat st = (FileStat) v;
            if (st.isSymbolicLink()) {
                step("symlink", dst, s -> {
                    Path target = s.readlink(src);
                    try {
                        if (!s.lstat(dst).isDirectory()) {
                            s.unlink(dst); // rename(2) would replace it
                        }
                    } catch (SyscallException e) {
                        if (e.errno() != Errno.ENOENT.code()) {
                            throw e;
                        }
                    }
                    s.symlink(target, dst);
                    dstMade = true;
                    return null;
                }, w -> unlinkSource());
            } else if (st.isDirectory()) {
                fail(Errno.EISDIR.code(), "move", src);
            } else {
                child(cb -> new CopyFile(scheduler, sys, pri, cb, src, dst), w -> {
                    dstMade = true;
                    unlinkSource();
                }, Composite.FAIL);
            }
        });
    }

    private void unlinkSource() {
        step("unlink", src, s -> s.unlink(src), v -> srcRemoved = true);
    }

    @Override
    Work cleanup() {
        if (!dstMade || srcRemoved) {
            return null;
        }
        return s -> s.unlink(dst);
    }
}
