/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package org.ioaio.internal.tree;

import java.nio.file.Path;
import org.ioaio.AioCallback;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

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
 * <p>The fallback never follows the source: a regular file is opened {@code O_NOFOLLOW} relative
 * to its directory (a symlink swapped in meanwhile fails with ELOOP, so no content it points to is
 * copied), and the source is unlinked relative to its directory only if it is still the file (or
 * link) that was copied, same {@code st_dev}/{@code st_ino} (EAGAIN otherwise: the copy is removed
 * again and the source stays).
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
    /** What was moved: the source's status when it was copied, checked before it is unlinked. */
    private FileStat moved;

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
        super(scheduler, sys, pri, Op.MOVE, callback);
        this.src = src;
        this.dst = dst;
    }

    @Override
    void begin() {
        step(Op.RENAME, src, s -> s.rename(src, dst), NOTHING, errno -> {
            if (errno != Errno.EXDEV.code()) {
                return false;
            }
            acrossFileSystems();
            return true;
        });
    }

    private void acrossFileSystems() {
        step(Op.LSTAT, src, s -> s.lstat(src), v -> {
            FileStat st = (FileStat) v;
            if (st.isSymbolicLink()) {
                moved = st;
                step(Op.SYMLINK, dst, s -> {
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
                fail(Errno.EISDIR.code(), Op.MOVE, src);
            } else {
                CopyFile[] copy = new CopyFile[1];
                child(cb -> copy[0] = new CopyFile(scheduler, sys, pri, cb, src, dst, false), w -> {
                    dstMade = true;
                    moved = copy[0].sourceStat();
                    unlinkSource();
                }, Composite.FAIL);
            }
        });
    }

    private void unlinkSource() {
        FileStat expected = moved;
        step(Op.UNLINK, src, s -> {
            if (src.getFileName() == null) {
                return s.unlink(src);
            }
            try (TreeDir d = s.openDir(CopyFile.parentOf(src), true)) {
                FileStat now = s.lstatAt(d, src.getFileName());
                if (expected != null && (now.dev() != expected.dev() || now.ino() != expected.ino())) {
                    throw new SyscallException(Errno.EAGAIN); // replaced since it was copied: not what was moved
                }
                return s.unlinkAt(d, src.getFileName(), false);
            }
        }, v -> srcRemoved = true);
    }

    @Override
    Work cleanup() {
        if (!dstMade || srcRemoved) {
            return null;
        }
        return s -> s.unlink(dst);
    }
}
