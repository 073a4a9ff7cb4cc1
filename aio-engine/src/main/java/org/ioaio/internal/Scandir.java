package org.ioaio.internal;

import static org.ioaio.AioConstants.DT_UNKNOWN;
import static org.ioaio.AioConstants.READDIR_DIRS_FIRST;
import static org.ioaio.AioConstants.READDIR_FOUND_UNKNOWN;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ioaio.AioCallback;
import org.ioaio.DirEntry;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.sys.Syscalls;

/**
 * {@code aio_scandir}: splits a directory's entries into directories and everything else, with as
 * few stats as the manual's heuristics allow (the steps of {@code AIO.pm}'s {@code aio_scandir}):
 *
 * <ol>
 *   <li>Where the syscall layer reads each entry's type with the listing ({@link
 *       Syscalls#readdirTypesFree}: {@code getdents64}'s {@code d_type} on the native backend), the
 *       directory is read first, with types: if every type is known, that is the answer, in one
 *       step ("If readdir returns file type information, then this is used directly to find
 *       directories"). A symlink to a directory is {@code DT_LNK}, a non-directory, as the stats
 *       below would find. An unknown type (a file system that does not fill {@code d_type} in)
 *       falls back to the steps below, which read the directory again between their two looks.
 *       A tree walk of {@code rmtree} or {@code copyTree} {@code lstat}s the directory first (step
 *       2), so that a directory swapped for a symlink is not entered; then reads it with types.
 *   <li>{@code stat} the directory (the top-level path is followed, as {@code opendir} follows it;
 *       a tree walk of {@code rmtree} or {@code copyTree} uses {@code lstat} instead). Not a
 *       directory: ENOTDIR.
 *   <li>Read it. With types when they are free or the link count is below 2 (a file system that
 *       does not count subdirectories): if every type is known, that is the answer. Otherwise the
 *       names, likely directories first (known directories, then the manual's guesses by name,
 *       each group by inode).
 *   <li>{@code stat} the directory again. If device, inode, link count, size and mtime are
 *       unchanged and the mtime is not the current second, it has {@code nlink - 2}
 *       subdirectories; otherwise their number is unknown. None: every entry is a non-directory,
 *       without a single stat. If the directory is gone now: ENOENT.
 *   <li>{@code stat "entry/."} for each entry, at most {@code maxreq} at once, likely directories
 *       first: a failure makes it a non-directory; a success is confirmed with {@code lstat
 *       "entry"} (a symlink to a directory passes the first test). Once the known number of
 *       directories is found, the remaining entries are non-directories without a stat.
 * </ol>
 *
 * The directory holds a descriptor only while it is read, so a walk over a tree of any depth uses
 * at most one descriptor per worker thread.
 */
final class Scandir extends Composite {

    /** {@code maxreq} when the caller passes 0 or less (IO::AIO's default). */
    static final int DEFAULT_MAXREQ = 4;

    private final Path dir;
    private final int maxreq;
    private final boolean noFollow;

    private FileStat first;
    private long now;
    private ArrayDeque<Path> pending;
    private final List<Path> dirs = new ArrayList<>();
    private final List<Path> nondirs = new ArrayList<>();
    private long ndirs;
    private boolean statting;

    /**
     * A scandir of {@code dir}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback receives the {@link DirScan}
     * @param dir the directory
     * @param maxreq stats in flight at most; 0 or less for the default (4)
     * @param noFollow {@code lstat} the directory instead of {@code stat} (a symlink is ENOTDIR)
     */
    Scandir(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path dir,
            int maxreq, boolean noFollow) {
        super(scheduler, sys, pri, "scandir", callback);
        this.dir = dir;
        this.maxreq = maxreq <= 0 ? DEFAULT_MAXREQ : maxreq;
        this.noFollow = noFollow;
    }

    @Override
    void begin() {
        if (noFollow) {
            step("lstat", dir, s -> s.lstat(dir), this::statted);
        } else if (sys.readdirTypesFree()) {
            step("readdir", dir, s -> splitByType(s.readdirDents(dir)), this::readFirst, this::firstReadFailed);
        } else {
            step("stat", dir, s -> s.stat(dir), this::statted);
        }
    }

    /** The first read of a directory not stat'ed yet: a non-directory is ENOTDIR of scandir, as after the stat. */
    private boolean firstReadFailed(int errno) {
        fail(errno, errno == Errno.ENOTDIR.code() ? "scandir" : "readdir", dir);
        return true;
    }

    /** Types known for every entry: the answer. Otherwise the link-count steps, from the first stat. */
    private void readFirst(Object v) {
        if (v instanceof DirScan split) {
            complete(split);
        } else {
            step("stat", dir, s -> s.stat(dir), this::statted);
        }
    }

    private void statted(Object v) {
        FileStat st = (FileStat) v;
        if (!st.isDirectory()) {
            fail(Errno.ENOTDIR.code(), "scandir", dir);
            return;
        }
        first = st;
        now = System.currentTimeMillis() / 1000;
        if (st.nlink() < 2 || sys.readdirTypesFree()) {
            // types are free, or there is no subdirectory count (btrfs, some network file systems)
            step("readdir", dir, s -> splitByType(s.readdirDents(dir)), this::readDents);
        } else {
            step("readdir", dir, s -> s.readdir(dir), this::readNames);
        }
    }

    /**
     * The entries split by their types if every type is known, else the entries themselves (a
     * step's work: it runs on the worker that read them).
     *
     * @param entries a listing with types
     * @return a {@link DirScan}, or {@code entries} when a type is unknown
     */
    private static Object splitByType(List<DirEntry> entries) {
        List<Path> dirs = new ArrayList<>();
        List<Path> nondirs = new ArrayList<>(entries.size());
        for (DirEntry e : entries) {
            if (e.type() == DT_UNKNOWN) {
                return entries;
            }
            (e.isDirectory() ? dirs : nondirs).add(e.name());
        }
        return new DirScan(dirs, nondirs);
    }

    @SuppressWarnings("unchecked")
    private void readDents(Object v) {
        if (v instanceof DirScan split) {
            complete(split);
            return;
        }
        List<DirEntry> entries = (List<DirEntry>) v;
        List<DirEntry> ordered = new ArrayList<>(entries);
        DirOrder.order(ordered, READDIR_DIRS_FIRST | READDIR_FOUND_UNKNOWN);
        List<Path> names = new ArrayList<>(ordered.size());
        for (DirEntry e : ordered) {
            names.add(e.name());
        }
        restat(names);
    }

    @SuppressWarnings("unchecked")
    private void readNames(Object v) {
        restat(DirOrder.likelyDirsFirst((List<Path>) v));
    }

    private void restat(List<Path> names) {
        pending = new ArrayDeque<>(names);
        step(noFollow ? "lstat" : "stat", dir, s -> noFollow ? s.lstat(dir) : s.stat(dir), v -> {
            FileStat again = (FileStat) v;
            boolean same = again.dev() == first.dev() && again.ino() == first.ino() && again.nlink() == first.nlink()
                    && again.size() == first.size() && again.mtimeSec() == first.mtimeSec();
            if (!same || again.mtimeSec() == now) {
                ndirs = -1; // changed, or changeable within this second: count nothing
            } else {
                ndirs = again.nlink() - 2;
            }
            if (ndirs == 0) {
                nondirs.addAll(pending);
                pending.clear();
                complete(new DirScan(dirs, nondirs));
                return;
            }
            statting = true;
        });
    }

    @Override
    void advance() {
        if (!statting) {
            return;
        }
        while (active() < maxreq && ndirs != 0 && !pending.isEmpty()) {
            Path name = pending.poll();
            Path entry = dir.resolve(name);
            Path dot = entry.resolve(".");
            step("stat", dot, s -> s.stat(dot), v -> {
                step("lstat", entry, s -> s.lstat(entry), w -> {
                    if (((FileStat) w).isDirectory()) {
                        dirs.add(name);
                        if (--ndirs == 0) {
                            nondirs.addAll(pending); // the known number of directories is reached
                            pending.clear();
                        }
                    } else {
                        nondirs.add(name); // a symlink to a directory
                    }
                }, errno -> {
                    nondirs.add(name); // vanished since
                    return true;
                });
            }, errno -> {
                nondirs.add(name); // not a directory (or vanished, or a symlink loop)
                return true;
            });
        }
        if (active() == 0) {
            statting = false;
            nondirs.addAll(pending);
            pending.clear();
            complete(new DirScan(dirs, nondirs));
        }
    }
}
