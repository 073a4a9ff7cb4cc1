package org.ioaio.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.ioaio.AioCallback;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * A tree copy (what {@code cp -a} does, built from IO::AIO's pieces): {@code lstat} the source
 * directory, {@code mkdir} the destination (mode 0700 while it is filled), {@code scandir} the
 * source without following it, then, all at once, a tree copy of each subdirectory and a copy of
 * each other entry, and finally the directory's times, mode and owner (after its content, which
 * changes its mtime).
 *
 * <ul>
 *   <li>Regular files: copied as {@code aio_copy} copies them (sendfile, then times, mode, owner),
 *       but each in one step ({@link CopyFile#copyInOneStep}: source not followed, destination
 *       new), so the tree copy holds at most two descriptors per worker thread, however many files
 *       it copies, and is cancelled between files.
 *   <li>Symlinks: copied as links (same target, never followed); their own owner and times are
 *       not copied (the syscall layer has no {@code lchown}/{@code lutimes}).
 *   <li>FIFOs, sockets, devices: {@code mknod} with the same type, mode and device number (the
 *       portable layer cannot: it fails with ENOSYS, which fails the copy).
 *   <li>Hard links inside the tree become separate copies.
 * </ul>
 *
 * The top-level source must be a real directory: a symlink or a file fails with ENOTDIR (nothing is
 * made), as does a subdirectory swapped for a symlink while the copy runs. The destination must not
 * exist (EEXIST). On the first failure the copy stops, and when cancelled as well: once nothing is in
 * flight, the destination tree made so far is removed (one cleanup step, walking it with at most one
 * descriptor open), so a failed or cancelled tree copy leaves nothing behind.
 */
final class CopyTree extends Composite {

    private final Path src;
    private final Path dst;
    private final boolean top;
    private FileStat st;
    private boolean dstMade;
    private boolean copyingChildren;

    /**
     * A tree copy of {@code src} to {@code dst}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback the callback
     * @param src the directory to copy
     * @param dst the copy, which must not exist
     * @param top whether this is the caller's tree (only the top removes the copy on failure)
     */
    CopyTree(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path src, Path dst, boolean top) {
        super(scheduler, sys, pri, "copytree", callback);
        this.src = src;
        this.dst = dst;
        this.top = top;
    }

    @Override
    void begin() {
        step("lstat", src, s -> s.lstat(src), v -> {
            st = (FileStat) v;
            if (!st.isDirectory()) {
                fail(Errno.ENOTDIR.code(), "copytree", src);
                return;
            }
            step("mkdir", dst, s -> {
                s.mkdir(dst, 0700);
                dstMade = true;
                return null;
            }, w -> child(cb -> new Scandir(scheduler, sys, pri, cb, src, 0, true), this::scanned, FAIL));
        });
    }

    private void scanned(Object v) {
        DirScan scan = (DirScan) v;
        for (Path d : scan.dirs()) {
            subtree(src.resolve(d), dst.resolve(d));
        }
        for (Path f : scan.nondirs()) {
            Path from = src.resolve(f);
            Path to = dst.resolve(f);
            step("copy", from, s -> copyEntry(s, from, to), w -> {
                if (w == DIRECTORY) {
                    subtree(from, to); // became a directory since the scan: copy it as one
                }
            });
        }
        copyingChildren = true;
    }

    private void subtree(Path from, Path to) {
        child(cb -> new CopyTree(scheduler, sys, pri, cb, from, to, false), NOTHING, FAIL);
    }

    /** What {@link #copyEntry} returns for an entry that turned out to be a directory. */
    private static final Object DIRECTORY = new Object();

    /** Copies one non-directory, in one step: a file, a symlink (as a link) or a special file. */
    private static Object copyEntry(Syscalls s, Path from, Path to) throws SyscallException {
        FileStat st = s.lstat(from);
        if (st.isRegularFile()) {
            CopyFile.copyInOneStep(s, from, to);
        } else if (st.isSymbolicLink()) {
            s.symlink(s.readlink(from), to);
        } else if (st.isDirectory()) {
            return DIRECTORY;
        } else {
            s.mknod(to, st.mode(), st.rdev());
        }
        return null;
    }

    @Override
    void advance() {
        if (copyingChildren && active() == 0) {
            copyingChildren = false;
            step("utime", dst, s -> {
                Instant atime = Instant.ofEpochSecond(st.atimeSec(), st.atimeNsec());
                Instant mtime = Instant.ofEpochSecond(st.mtimeSec(), st.mtimeNsec());
                // as aio_copy: times, mode and owner where possible (an unprivileged caller cannot
                // give a directory away), failures ignored
                try {
                    s.utime(dst, atime, mtime);
                } catch (SyscallException e) {
                    // ignored
                }
                try {
                    s.chmod(dst, st.mode() & 07777);
                } catch (SyscallException e) {
                    // ignored
                }
                try {
                    s.chown(dst, st.uid(), st.gid());
                } catch (SyscallException e) {
                    // ignored
                }
                return null;
            }, NOTHING);
        }
    }

    @Override
    Work cleanup() {
        if (!top || !dstMade) {
            return null;
        }
        return s -> {
            removeTree(s, dst);
            return null;
        };
    }

    /**
     * Removes the tree at {@code root} without following symlinks, depth first, holding at most one
     * directory descriptor at a time (each directory is listed, closed, then its entries removed).
     * Best effort: what cannot be removed stays, and the first error is thrown at the end.
     *
     * @param s the syscall layer
     * @param root the tree
     * @throws SyscallException the first error other than ENOENT
     */
    static void removeTree(Syscalls s, Path root) throws SyscallException {
        SyscallException first = null;
        // Each element: a path, and whether its entries were already pushed (then rmdir it).
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, Boolean.FALSE});
        while (!stack.isEmpty()) {
            Object[] top = stack.pop();
            Path p = (Path) top[0];
            try {
                if ((Boolean) top[1]) {
                    s.rmdir(p);
                    continue;
                }
                if (!s.lstat(p).isDirectory()) {
                    s.unlink(p);
                    continue;
                }
                List<Path> names = s.readdir(p);
                stack.push(new Object[] {p, Boolean.TRUE});
                for (Path n : names) {
                    stack.push(new Object[] {p.resolve(n), Boolean.FALSE});
                }
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOENT.code() && first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
