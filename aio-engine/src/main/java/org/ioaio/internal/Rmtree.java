package org.ioaio.internal;

import java.nio.file.Path;
import org.ioaio.AioCallback;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code aio_rmtree}: {@code scandir}, then an {@code rmtree} of each subdirectory and an {@code
 * unlink} of everything else (all at once), then {@code rmdir} of the directory, as {@code AIO.pm}
 * does it, with these differences, all for safety:
 *
 * <ul>
 *   <li>Symlinks are never followed. The top-level path must be a real directory: a symlink (to a
 *       directory or not) or a file fails with ENOTDIR and nothing is touched; IO::AIO 4.8 instead
 *       empties the directory the symlink points to before failing. Below the top, every
 *       directory is checked with {@code lstat} before it is read, and an entry that turned into
 *       a symlink or file meanwhile is unlinked, not entered. (Each step resolves its path from
 *       the top again: a directory swapped for a symlink between that check and a later unlink
 *       can still redirect that unlink; a jailed working directory closes that window.)
 *   <li>The result is the first error met anywhere in the tree (errno, operation and path), not
 *       only the final {@code rmdir}'s; the rest of the tree is still removed as far as it can
 *       be. An entry that disappears while the tree is removed (ENOENT below the top) is not an
 *       error: it is gone, which is what was asked.
 * </ul>
 *
 * No descriptor is held between steps, so the depth of the tree does not matter.
 */
final class Rmtree extends Composite {

    private final Path dir;
    private final boolean top;
    private boolean removingChildren;

    /**
     * An rmtree of {@code dir}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback the callback
     * @param dir the directory
     * @param top whether this is the path the caller gave
     */
    Rmtree(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path dir, boolean top) {
        super(scheduler, sys, pri, "rmtree", callback);
        this.dir = dir;
        this.top = top;
    }

    @Override
    boolean stopsOnError() {
        return false;
    }

    @Override
    void begin() {
        child(cb -> new Scandir(scheduler, sys, pri, cb, dir, 0, true), this::scanned, errno -> {
            if (top) {
                return false;
            }
            if (errno == Errno.ENOENT.code()) {
                return true; // removed meanwhile
            }
            if (errno == Errno.ENOTDIR.code()) {
                unlink(dir); // not a directory any more (a symlink swapped in): remove the name only
                return true;
            }
            return false;
        });
    }

    private void scanned(Object v) {
        DirScan scan = (DirScan) v;
        for (Path d : scan.dirs()) {
            Path sub = dir.resolve(d);
            child(cb -> new Rmtree(scheduler, sys, pri, cb, sub, false), NOTHING, FAIL);
        }
        for (Path f : scan.nondirs()) {
            unlink(dir.resolve(f));
        }
        removingChildren = true;
    }

    private void unlink(Path p) {
        step("unlink", p, s -> s.unlink(p), NOTHING, errno -> errno == Errno.ENOENT.code());
    }

    @Override
    void advance() {
        if (removingChildren && active() == 0) {
            removingChildren = false;
            step("rmdir", dir, s -> s.rmdir(dir), NOTHING, errno -> !top && errno == Errno.ENOENT.code());
        }
    }
}
