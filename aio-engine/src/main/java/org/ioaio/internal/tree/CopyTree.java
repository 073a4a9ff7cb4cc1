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

import static org.ioaio.AioConstants.DT_DIR;
import static org.ioaio.AioConstants.DT_REG;
import static org.ioaio.AioConstants.DT_UNKNOWN;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_RDONLY;

import java.nio.file.Path;
import java.time.Instant;
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
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * A tree copy (what {@code cp -a} does, built from IO::AIO's pieces): open the source directory,
 * {@code mkdir} the destination (mode 0700 while it is filled), {@code scandir} the source (or,
 * where the layer reads entry types for free, {@link Syscalls#readdirTypesFree}, one listing split
 * by them: directories, regular files, the rest), then,
 * all at once, a tree copy of each subdirectory and a copy of each other entry, and finally the
 * directory's times, mode and owner (after its content, which changes its mtime).
 *
 * <p>Both trees are walked by held descriptors ({@link Walk}: at most {@value Walk#MAX_OPEN} each
 * between steps): every source entry is looked at and opened relative to its directory with
 * {@code O_NOFOLLOW}, every destination entry made with {@code mkdirat}/{@code openat(O_CREAT |
 * O_EXCL | O_NOFOLLOW)}/{@code symlinkat} relative to its directory. Nothing is resolved by path
 * below the two tops, so a source directory or file swapped for a symlink mid-way is copied as a
 * symlink (its target, never followed), and no outside content is read into the copy.
 *
 * <ul>
 *   <li>Regular files: copied as {@code aio_copy} copies them (reflink, else copy_file_range, else
 *       sendfile, holes kept; then times, owner, mode: that order keeps set-user-ID bits; no
 *       {@code fchown} where a new file in that directory, {@link CopyFile.NewFiles}, already has
 *       the source's owner and group; a file the listing typed as regular is opened without an
 *       {@code lstat}, then checked by {@code fstat}), each in one step, or several of a
 *       directory one after the other in one step when it has many ({@link Composite#batchSize}: one
 *       hand-off for up to {@value Composite#MAX_BATCH} small files), so the tree copy holds at most two
 *       file descriptors per worker thread, however many files it copies, and is cancelled
 *       between files.
 *   <li>Symlinks: copied as links (same target, never followed); their own owner and times are
 *       not copied.
 *   <li>FIFOs, sockets, devices: {@code mknodat} with the same type, mode and device number (the
 *       portable layer cannot: it fails with ENOSYS, which fails the copy).
 *   <li>Hard links inside the tree become separate copies.
 * </ul>
 *
 * The top-level source must be a real directory: a symlink or a file fails with ENOTDIR (nothing is
 * made). The destination must not exist (EEXIST). On the first failure the copy stops, and when
 * cancelled as well: once nothing is in flight, the destination tree made so far is removed (one
 * cleanup step, by held descriptors too), so a failed or cancelled tree copy leaves nothing behind.
 */
final class CopyTree extends Composite {

    private final Walk srcWalk;
    private final Walk dstWalk;
    private final Walk.Node src;
    private final Walk.Node dst;
    private final Walk.Node dstParent;
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
     */
    CopyTree(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path src, Path dst) {
        super(scheduler, sys, pri, Op.COPYTREE, callback);
        this.srcWalk = new Walk(sys);
        this.dstWalk = new Walk(sys);
        this.src = srcWalk.root(src, false);
        this.dst = dstWalk.root(dst, false);
        this.dstParent = null;
        this.top = true;
        this.learnt = new CopyFile.Learnt();
    }

    private CopyTree(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, CopyTree up, Path name) {
        super(scheduler, sys, pri, Op.COPYTREE, callback);
        this.srcWalk = up.srcWalk;
        this.dstWalk = up.dstWalk;
        this.src = srcWalk.child(up.src, name);
        this.dst = dstWalk.child(up.dst, name);
        this.dstParent = up.dst;
        this.top = false;
        this.learnt = up.learnt;
    }

    @Override
    void finished() {
        if (top) {
            srcWalk.close(src);
            dstWalk.close(dst);
        }
    }

    @Override
    void begin() {
        step(Op.LSTAT, src.path, s -> srcWalk.with(src, s::fstatDir), v -> {
            st = (FileStat) v;
            if (!st.isDirectory()) {
                fail(Errno.ENOTDIR.code(), Op.COPYTREE, src.path);
                return;
            }
            step(Op.MKDIR, dst.path, s -> {
                if (top) {
                    s.mkdir(dst.path, 0700);
                } else {
                    dstWalk.with(dstParent, d -> s.mkdirAt(d, dst.name, 0700));
                }
                dstMade = true;
                return null;
            }, w -> {
                if (sys.readdirTypesFree()) {
                    // the listing's types are free (getdents64's d_type): no scandir, no lstat of a regular file
                    step(Op.READDIR, src.path, s -> srcWalk.with(src, d -> Listing.of(s.readdirAt(d, true))), this::listed);
                } else {
                    child(cb -> new Scandir(scheduler, sys, pri, cb, srcWalk, src), this::scanned, FAIL);
                }
            });
        }, errno -> {
            if (top && errno == Errno.ESTALE.code()) {
                return false;
            }
            if (!top && errno == Errno.ENOTDIR.code()) {
                // no longer a directory (a symlink swapped in): copied as what it is now, never entered
                copyOne(srcWalkParent(), dstParent, src.name, false);
                return true;
            }
            return false;
        });
    }

    private Walk.Node srcWalkParent() {
        return src.parent;
    }

    private void scanned(Object v) {
        children((DirScan) v, this::subtree, names -> copyBatch(names, false));
        copyingChildren = true;
    }

    private void listed(Object v) {
        Listing listing = (Listing) v;
        listing.dirs.forEach(this::subtree);
        inBatches(listing.files, names -> copyBatch(names, true));
        inBatches(listing.others, names -> copyBatch(names, false));
        copyingChildren = true;
    }

    /**
     * A directory's entries split by the types its listing gave (a step's value): directories,
     * regular files, and the rest (symlinks, special files, and whatever the listing could not
     * type), each looked at again when copied, since any may have been swapped meanwhile.
     */
    private static final class Listing {
        final List<Path> dirs = new ArrayList<>();
        final List<Path> files;
        final List<Path> others = new ArrayList<>();

        private Listing(int n) {
            files = new ArrayList<>(n);
        }

        static Listing of(List<DirEntry> entries) {
            Listing l = new Listing(entries.size());
            for (DirEntry e : entries) {
                int type = e.type();
                (type == DT_DIR ? l.dirs : type == DT_REG ? l.files : l.others).add(e.name());
            }
            return l;
        }
    }

    /**
     * Copies {@code names} of this directory in one step, one after the other (a cancel of the tree
     * copy stops it between two); an error names the entry that failed. Entries that became
     * directories since the scan are copied as subtrees after the step.
     */
    private void copyBatch(List<Path> names, boolean regular) {
        if (names.size() == 1) {
            copyOne(src, dst, names.get(0), regular);
            return;
        }
        Current current = new Current(src.path);
        CopyFile.NewFiles made = newFiles;
        step(Op.COPY, current, s -> srcWalk.with(src, sd -> dstWalk.with(dst, dd ->
                eachName(names, current, name -> copyEntry(s, sd, dd, name, learnt, regular, made) == DIRECTORY))),
                w -> handedBack(w, this::subtree)); // became directories since the scan: copied as such
    }

    private void subtree(Path name) {
        child(cb -> new CopyTree(scheduler, sys, pri, cb, this, name), NOTHING, FAIL);
    }

    private void copyOne(Walk.Node from, Walk.Node to, Path name, boolean regular) {
        CopyFile.NewFiles made = to == dst ? newFiles : null;
        step(Op.COPY, from.path.resolve(name), s -> srcWalk.with(from, sd -> dstWalk.with(to, dd ->
                copyEntry(s, sd, dd, name, learnt, regular, made))),
                w -> {
                    if (w == DIRECTORY && from == src) {
                        subtree(name); // became a directory since the scan: copy it as one
                    } else if (w == DIRECTORY) {
                        fail(Errno.EAGAIN.code(), Op.COPYTREE, from.path.resolve(name)); // flipped back and forth: not copied
                    }
                });
    }

    /** What the files copied so far taught about reflinks and copy_file_range between these trees (one per tree copy). */
    private final CopyFile.Learnt learnt;

    /** The owner and group of files made in {@link #dst} (learnt from the first one). */
    private final CopyFile.NewFiles newFiles = new CopyFile.NewFiles();

    /** What {@link #copyEntry} returns for an entry that turned out to be a directory. */
    private static final Object DIRECTORY = new Object();

    /**
     * Copies one non-directory, in one step: a file, a symlink (as a link) or a special file;
     * nothing followed. One the listing typed as a regular file ({@code regular}) is opened without
     * an {@code lstat} first ({@code O_NOFOLLOW | O_NONBLOCK}: a symlink swapped in fails the open,
     * a FIFO does not block it), its type checked on the open descriptor; anything else is looked
     * at ({@code lstat}) and copied as what it is then.
     */
    private static Object copyEntry(Syscalls s, TreeDir from, TreeDir to, Path name, CopyFile.Learnt learnt,
            boolean regular, CopyFile.NewFiles made) throws SyscallException {
        if (regular) {
            try {
                FileStat other = CopyFile.copyRegularAt(s, from, to, name, learnt, made);
                if (other == null) {
                    return null;
                }
                if (other.isDirectory()) {
                    return DIRECTORY;
                }
                // a special file swapped in: looked at and copied as one below
            } catch (SyscallException e) {
                if (e.errno() != Errno.ELOOP.code() && e.errno() != Errno.ENXIO.code()) {
                    throw e;
                }
                // a symlink (ELOOP) or a socket (ENXIO) swapped in: looked at and copied as what it is below
            }
        }
        for (int attempt = 0; ; attempt++) {
            FileStat st = s.lstatAt(from, name);
            if (st.isRegularFile()) {
                try {
                    CopyFile.copyAt(s, from, to, name, learnt, made);
                    return null;
                } catch (SyscallException e) {
                    if (attempt > 0 || (e.errno() != Errno.ELOOP.code() && e.errno() != Errno.EISDIR.code())) {
                        throw e;
                    }
                    continue; // swapped for a symlink or directory since the look: look again
                }
            } else if (st.isSymbolicLink()) {
                s.symlinkAt(s.readlinkAt(from, name), to, name);
            } else if (st.isDirectory()) {
                return DIRECTORY;
            } else {
                s.mknodAt(to, name, st.mode(), st.rdev());
            }
            return null;
        }
    }

    @Override
    void advance() {
        if (copyingChildren && active() == 0) {
            copyingChildren = false;
            step(Op.UTIME, dst.path, s -> dstWalk.with(dst, d -> {
                Instant atime = Instant.ofEpochSecond(st.atimeSec(), st.atimeNsec());
                Instant mtime = Instant.ofEpochSecond(st.mtimeSec(), st.mtimeNsec());
                // as aio_copy: times, mode and owner where possible, on the held directory itself,
                // failures ignored (an unprivileged caller cannot give a directory away)
                FileHandle h = s.openAt(d, Path.of("."), O_RDONLY | O_DIRECTORY, 0);
                try {
                    CopyFile.restore(s, h, dst.path, st);
                } finally {
                    try {
                        s.close(h);
                    } catch (SyscallException e) {
                        // a directory: nothing written
                    }
                }
                return null;
            }), v -> {
                srcWalk.forget(src);
                dstWalk.forget(dst);
            });
        }
    }

    @Override
    Work cleanup() {
        if (!top || !dstMade) {
            return null;
        }
        return s -> {
            removeTree(s, dst.path);
            return null;
        };
    }

    /**
     * Removes the tree at {@code root} without following symlinks, depth first, by held
     * descriptors ({@link Walk}: at most {@value Walk#MAX_OPEN}): each directory is listed, its
     * non-directories unlinked relative to it, its subdirectories removed the same way, then it is
     * removed relative to its parent (the top by path). Best effort: what cannot be removed stays,
     * and the first error is thrown at the end.
     *
     * @param s the syscall layer
     * @param root the tree
     * @throws SyscallException the first error other than ENOENT
     */
    static void removeTree(Syscalls s, Path root) throws SyscallException {
        SyscallException first = null;
        try (Walk w = new Walk(s)) {
            Walk.Node top = w.root(root, false);
            // Each element: a node, and whether its entries were already handled (then rmdir it).
            ArrayDeque<Object[]> stack = new ArrayDeque<>();
            stack.push(new Object[] {top, Boolean.FALSE});
            while (!stack.isEmpty()) {
                Object[] e = stack.pop();
                Walk.Node n = (Walk.Node) e[0];
                try {
                    if ((Boolean) e[1]) {
                        w.forget(n);
                        if (n == top) {
                            s.rmdir(root);
                        } else {
                            w.with(n.parent, d -> Rmtree.rmdirAt(s, d, n.name));
                        }
                        continue;
                    }
                    List<DirEntry> entries;
                    try {
                        entries = w.with(n, d -> s.readdirAt(d, true));
                    } catch (SyscallException x) {
                        if (n != top && x.errno() == Errno.ENOTDIR.code()) {
                            w.with(n.parent, d -> s.unlinkAt(d, n.name, false)); // a symlink swapped in
                            continue;
                        }
                        throw x;
                    }
                    stack.push(new Object[] {n, Boolean.TRUE});
                    for (DirEntry entry : entries) {
                        int type = entry.type();
                        if (type == DT_UNKNOWN) {
                            try {
                                type = w.with(n, d -> s.lstatAt(d, entry.name())).isDirectory() ? DT_DIR : -1;
                            } catch (SyscallException x) {
                                continue; // gone
                            }
                        }
                        if (type == DT_DIR) {
                            stack.push(new Object[] {w.child(n, entry.name()), Boolean.FALSE});
                        } else {
                            try {
                                w.with(n, d -> s.unlinkAt(d, entry.name(), false));
                            } catch (SyscallException x) {
                                if (x.errno() != Errno.ENOENT.code() && first == null) {
                                    first = x;
                                }
                            }
                        }
                    }
                } catch (SyscallException x) {
                    if (x.errno() != Errno.ENOENT.code() && first == null) {
                        first = x;
                    }
                }
            }
            w.close(top);
        }
        if (first != null) {
            throw first;
        }
    }
}
