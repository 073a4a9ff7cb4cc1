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
import java.util.List;
import org.ioaio.AioCallback;
import org.ioaio.DirScan;
import org.ioaio.Errno;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * {@code aio_rmtree}: {@code scandir}, then an {@code rmtree} of each subdirectory and an {@code
 * unlink} of everything else (all at once), then {@code rmdir} of the directory, as {@code AIO.pm}
 * does it, with these differences, all for safety:
 *
 * <ul>
 *   <li>Symlinks are never followed, and nothing is resolved by path below the top: the walk
 *       ({@link Walk}) holds the directories open and every step acts relative to a held
 *       descriptor ({@code openat(O_NOFOLLOW | O_DIRECTORY)}, {@code unlinkat}), as {@code rm -rf}
 *       does. A directory swapped for a symlink (or a file) at any moment is removed as a name
 *       ({@code unlinkat(parent, name, 0)}), never entered; a symlink swapped in above a
 *       directory being emptied changes nothing, because no step goes through it.
 *   <li>The top-level path must be a real directory: a symlink (to a directory or not) or a file
 *       fails with ENOTDIR and nothing is touched; IO::AIO 4.8 instead empties the directory the
 *       symlink points to before failing. It is opened by path (the layer's rules, a jail's
 *       included) and removed by path at the end.
 *   <li>The result is the first error met anywhere in the tree (errno, operation and path), not
 *       only the final {@code rmdir}'s; the rest of the tree is still removed as far as it can
 *       be. An entry that disappears while the tree is removed (ENOENT below the top) is not an
 *       error: it is gone, which is what was asked. A directory moved away and replaced by another
 *       one between two steps fails its part with ESTALE.
 * </ul>
 *
 * Descriptors: at most {@value Walk#MAX_OPEN} per tree between steps, however deep (see {@link Walk}).
 */
final class Rmtree extends Composite {

    private final Walk walk;
    private final Walk.Node node;
    private final Walk.Node parent;
    private boolean removingChildren;

    /**
     * An rmtree of the path {@code dir}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback the callback
     * @param dir the directory
     */
    Rmtree(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path dir) {
        super(scheduler, sys, pri, Op.RMTREE, callback);
        this.walk = new Walk(sys);
        this.node = walk.root(dir, false);
        this.parent = null;
    }

    private Rmtree(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Walk walk, Walk.Node node,
            Walk.Node parent) {
        super(scheduler, sys, pri, Op.RMTREE, callback);
        this.walk = walk;
        this.node = node;
        this.parent = parent;
    }

    private boolean top() {
        return parent == null;
    }

    @Override
    void finished() {
        if (top()) {
            walk.close(node);
        }
    }

    @Override
    boolean stopsOnError() {
        return false;
    }

    @Override
    void begin() {
        child(cb -> new Scandir(scheduler, sys, pri, cb, walk, node), this::scanned, errno -> {
            if (top()) {
                return false;
            }
            if (errno == Errno.ENOENT.code()) {
                return true; // removed meanwhile
            }
            if (errno == Errno.ENOTDIR.code()) {
                unlink(parent, node.name); // not a directory any more (a symlink swapped in): remove the name only
                return true;
            }
            return false;
        });
    }

    private void scanned(Object v) {
        children((DirScan) v, this::subtree, this::unlinkBatch);
        removingChildren = true;
    }

    /**
     * Unlinks {@code names} of this directory in one step, as {@link #unlink} each: a name gone
     * meanwhile is skipped, one that became a directory is removed as a tree after the step, and a
     * failure is recorded (the first, with its entry) while the other names are still unlinked.
     */
    private void unlinkBatch(List<Path> names) {
        if (names.size() == 1) {
            unlink(node, names.get(0));
            return;
        }
        Current current = new Current(node.path);
        Object[] failed = new Object[2]; // the first failure and its entry: written by the worker, read after the step
        step(Op.UNLINK, current, s -> walk.with(node, d -> eachName(names, current, name -> {
            try {
                s.unlinkAt(d, name, false);
            } catch (SyscallException e) {
                if (e.errno() == Errno.EISDIR.code()) {
                    return true;
                }
                if (e.errno() != Errno.ENOENT.code() && failed[0] == null) {
                    failed[0] = e;
                    failed[1] = current.toString();
                }
            }
            return false;
        })), w -> {
            handedBack(w, this::subtree); // directories now (or unsearchable ones): removed as trees
            if (failed[0] != null) {
                fail(((SyscallException) failed[0]).errno(), Op.UNLINK, failed[1]);
            }
        });
    }

    private void subtree(Path name) {
        Walk.Node sub = walk.child(node, name);
        child(cb -> new Rmtree(scheduler, sys, pri, cb, walk, sub, node), NOTHING, FAIL);
    }

    private void unlink(Walk.Node in, Path name) {
        step(Op.UNLINK, in.path.resolve(name), s -> walk.with(in, d -> s.unlinkAt(d, name, false)), NOTHING, errno -> {
            if (errno == Errno.ENOENT.code()) {
                return true;
            }
            if (errno == Errno.EISDIR.code() && in == node && !stopped()) {
                subtree(name); // a directory now (or an unsearchable one): remove it as a tree
                return true;
            }
            return false;
        });
    }

    @Override
    void advance() {
        if (removingChildren && active() == 0) {
            removingChildren = false;
            if (top()) {
                walk.forget(node);
                step(Op.RMDIR, node.path, s -> s.rmdir(node.path), NOTHING);
                return;
            }
            walk.forget(node);
            step(Op.RMDIR, node.path, s -> walk.with(parent, d -> rmdirAt(s, d, node.name)), NOTHING,
                    errno -> errno == Errno.ENOENT.code());
        }
    }

    /** {@code unlinkat(AT_REMOVEDIR)}; a symlink swapped in for the emptied directory is unlinked itself. */
    static int rmdirAt(Syscalls s, TreeDir d, Path name) throws SyscallException {
        try {
            return s.unlinkAt(d, name, true);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOTDIR.code()) {
                throw e;
            }
            return s.unlinkAt(d, name, false);
        }
    }
}
