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
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * {@code aio_scandir}: splits a directory's entries into directories (that the caller can search:
 * "directories you can recurse into") and everything else, with as few stats as the manual's
 * heuristics allow (the steps of {@code AIO.pm}'s {@code aio_scandir}). The directory is held open
 * ({@link Walk}) and every look at it and its entries is made relative to that descriptor: a
 * directory or entry swapped for a symlink meanwhile is never followed.
 *
 * <ol>
 *   <li>Where the syscall layer reads each entry's type with the listing ({@link
 *       Syscalls#readdirTypesFree}: {@code getdents64}'s {@code d_type} on the native backend), the
 *       directory is read first, with types: if every type is known, that is the answer, in one
 *       step ("If readdir returns file type information, then this is used directly to find
 *       directories"), except that each {@code DT_DIR} entry is checked to be searchable ({@link
 *       Syscalls#searchDirAt}), as IO::AIO's {@code stat "entry/."} checks it: a directory the
 *       caller cannot search is a non-directory, on both backends. A symlink to a directory is
 *       {@code DT_LNK}, a non-directory. An unknown type falls back to the steps below.
 *   <li>{@code fstat} the held directory (the top-level path is followed, as {@code opendir}
 *       follows it; a tree walk of {@code rmtree} or {@code copyTree} opens every directory {@code
 *       O_NOFOLLOW}). Not a directory: ENOTDIR.
 *   <li>Read it. With types when the link count is below 2 (a file system that does not count
 *       subdirectories) or unknown: if every type is known, that is the answer (directories
 *       checked as above). Otherwise the names, likely directories first.
 *   <li>{@code fstat} it again. If device, inode, link count, size and mtime are unchanged and the
 *       mtime is not the current second, it has {@code nlink - 2} subdirectories; otherwise their
 *       number is unknown. None: every entry is a non-directory, without a single stat. If the
 *       directory was removed meanwhile: ENOENT.
 *   <li>{@link Syscalls#searchDirAt} each entry, at most {@code maxreq} at once, likely
 *       directories first: a failure makes it a non-directory. Once the known number of
 *       directories is found, the remaining entries are non-directories without a look.
 * </ol>
 */
final class Scandir extends Composite {

    /** {@code maxreq} when the caller passes 0 or less (IO::AIO's default). */
    static final int DEFAULT_MAXREQ = 4;
    /** What the first look gives when the portable layer cannot tell the directory's numbers. */
    private static final Object NO_STAT = new Object();

    private final Path dir;
    private final int maxreq;
    private final Walk walk;
    private final Walk.Node node;
    private final boolean ownsWalk;

    private FileStat first;
    private long now;
    private ArrayDeque<Path> pending;
    private final List<Path> dirs = new ArrayList<>();
    private final List<Path> nondirs = new ArrayList<>();
    private long ndirs;
    private boolean statting;

    /**
     * A scandir of the path {@code dir} (followed), with a walk of its own.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback receives the {@link DirScan}
     * @param dir the directory
     * @param maxreq stats in flight at most; 0 or less for the default (4)
     */
    Scandir(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path dir, int maxreq) {
        this(scheduler, sys, pri, callback, null, null, dir, maxreq);
    }

    /**
     * A scandir of a directory of a tree walk ({@code rmtree}, {@code copyTree}).
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback receives the {@link DirScan}
     * @param walk the walk
     * @param node the directory
     */
    Scandir(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Walk walk, Walk.Node node) {
        this(scheduler, sys, pri, callback, walk, node, node.path, 0);
    }

    private Scandir(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Walk walk, Walk.Node node,
            Path dir, int maxreq) {
        super(scheduler, sys, pri, Op.SCANDIR, callback);
        this.dir = dir;
        this.maxreq = maxreq <= 0 ? DEFAULT_MAXREQ : maxreq;
        this.ownsWalk = walk == null;
        this.walk = walk != null ? walk : new Walk(sys);
        this.node = node != null ? node : this.walk.root(dir, true);
    }

    @Override
    void finished() {
        if (ownsWalk) {
            walk.close(node);
        }
    }

    @Override
    void begin() {
        if (sys.readdirTypesFree()) {
            step(Op.READDIR, dir, s -> walk.with(node, d -> splitByType(s, d, s.readdirAt(d, true))), this::readFirst,
                    this::firstReadFailed);
        } else {
            step(Op.STAT, dir, s -> walk.with(node, d -> firstStat(s, d)), this::statted, this::firstReadFailed);
        }
    }

    /** The first {@code fstat}; the portable layer's ESTALE (numbers unknown) is {@link #NO_STAT}. */
    private static Object firstStat(Syscalls s, TreeDir d) throws SyscallException {
        try {
            return s.fstatDir(d);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESTALE.code()) {
                return NO_STAT;
            }
            throw e;
        }
    }

    /** The first look failed: a non-directory is ENOTDIR of scandir. */
    private boolean firstReadFailed(int errno) {
        fail(errno, errno == Errno.ENOTDIR.code() ? Op.SCANDIR : sys.readdirTypesFree() ? Op.READDIR : Op.STAT, dir);
        return true;
    }

    /** Types known for every entry: the answer. Otherwise the link-count steps, from the first stat. */
    private void readFirst(Object v) {
        if (v instanceof DirScan split) {
            complete(split);
        } else {
            step(Op.STAT, dir, s -> walk.with(node, d -> firstStat(s, d)), this::statted);
        }
    }

    private void statted(Object v) {
        FileStat st = v instanceof FileStat f ? f : null;
        if (st != null && !st.isDirectory()) {
            fail(Errno.ENOTDIR.code(), Op.SCANDIR, dir);
            return;
        }
        first = st;
        now = System.currentTimeMillis() / 1000;
        if (st == null || st.nlink() < 2 || sys.readdirTypesFree()) {
            // types are free, or there is no subdirectory count (btrfs, some network file systems)
            step(Op.READDIR, dir, s -> walk.with(node, d -> splitByType(s, d, s.readdirAt(d, true))), this::listed);
        } else {
            step(Op.READDIR, dir, s -> walk.with(node, d -> DirOrder.likelyDirsFirst(names(s.readdirAt(d, false)))), this::listed);
        }
    }

    private static List<Path> names(List<DirEntry> entries) {
        List<Path> out = new ArrayList<>(entries.size());
        for (DirEntry e : entries) {
            out.add(e.name());
        }
        return out;
    }

    /**
     * The entries split by their types if every type is known (each {@code DT_DIR} checked to be
     * searchable), else their names, directories and likely directories first, in the order they
     * are to be looked at (a step's work: it runs on the worker that read them, as IO::AIO sorts
     * inside its readdir request, not on the polling thread).
     */
    private static Object splitByType(Syscalls s, TreeDir d, List<DirEntry> entries) throws SyscallException {
        List<Path> dirs = new ArrayList<>();
        List<Path> nondirs = new ArrayList<>(entries.size());
        for (DirEntry e : entries) {
            if (e.type() == DT_UNKNOWN) {
                List<DirEntry> ordered = new ArrayList<>(entries);
                DirOrder.order(ordered, READDIR_DIRS_FIRST | READDIR_FOUND_UNKNOWN);
                return names(ordered);
            }
        }
        for (DirEntry e : entries) {
            (e.isDirectory() && searchable(s, d, e.name()) ? dirs : nondirs).add(e.name());
        }
        return new DirScan(dirs, nondirs);
    }

    /** Whether {@code name} is a directory the caller can search (no symlink followed). */
    private static boolean searchable(Syscalls s, TreeDir d, Path name) throws SyscallException {
        try {
            s.searchDirAt(d, name);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EBADF.code() || e.errno() == Errno.EMFILE.code() || e.errno() == Errno.ENFILE.code()) {
                throw e; // not an answer about the entry
            }
            return false; // not searchable, not a directory any more, gone
        }
    }

    /** The split, or the names in the order they are to be looked at (sorted by the step that read them). */
    @SuppressWarnings("unchecked")
    private void listed(Object v) {
        if (v instanceof DirScan split) {
            complete(split);
            return;
        }
        restat((List<Path>) v);
    }

    private void restat(List<Path> names) {
        pending = new ArrayDeque<>(names);
        step(Op.STAT, dir, s -> walk.with(node, d -> firstStat(s, d)), v -> {
            FileStat again = v instanceof FileStat f ? f : null;
            if (again != null && again.nlink() == 0) {
                fail(Errno.ENOENT.code(), Op.STAT, dir); // removed meanwhile
                return;
            }
            boolean same = again != null && first != null && again.dev() == first.dev() && again.ino() == first.ino()
                    && again.nlink() == first.nlink() && again.size() == first.size()
                    && again.mtimeSec() == first.mtimeSec();
            if (!same || again.mtimeSec() == now) {
                ndirs = -1; // changed, unknown, or changeable within this second: count nothing
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
            Path dot = dir.resolve(name).resolve(".");
            step(Op.STAT, dot, s -> walk.with(node, d -> s.searchDirAt(d, name)), v -> {
                dirs.add(name);
                if (--ndirs == 0) {
                    nondirs.addAll(pending); // the known number of directories is reached
                    pending.clear();
                }
            }, errno -> {
                nondirs.add(name); // not a directory, not searchable, a symlink, or vanished
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
