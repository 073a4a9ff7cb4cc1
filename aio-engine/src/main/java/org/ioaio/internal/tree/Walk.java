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
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.ioaio.Errno;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * The directories a tree operation holds open ({@link TreeDir}s), with a bound on how many.
 *
 * <p>Each directory of the walk is a {@link Node}: its parent node and its name, and the {@code
 * st_dev}/{@code st_ino} it had when first opened. The top is opened by path ({@link
 * Syscalls#openDir}, the layer's normal rules, a jail's included); every other directory only by
 * name relative to its parent's descriptor, {@code O_NOFOLLOW | O_DIRECTORY}: a directory that was
 * replaced by a symlink is never entered (ELOOP, reported as ENOTDIR), and a symlink in the
 * middle of the tree cannot redirect a later step, because no step resolves a path again.
 *
 * <p><b>Bounded descriptors.</b> A step {@link #with uses} a node's descriptor only while it runs
 * on a worker. Between steps at most {@value #MAX_OPEN} descriptors stay open per walk (the top,
 * which is kept, and the most recently used others); the least recently used idle one is closed
 * beyond that. A node whose descriptor was closed is opened again by name relative to the nearest
 * ancestor still open (the top at worst), one level at a time, each level released before the
 * next is opened, and each level's {@code st_dev}/{@code st_ino} compared with what was recorded:
 * a directory moved away and replaced by another one meanwhile fails that step with ESTALE
 * instead of being entered. So a walk holds at most {@value #MAX_OPEN} descriptors plus two per
 * step in flight, whatever the depth of the tree (the portable layer's streams hold two
 * descriptors each).
 *
 * <p>Thread-safe: steps of a walk run on several workers at once; opens and closes are made under
 * the walk's lock, the other calls outside it. {@link #close()} closes what is idle; a descriptor
 * still in use is closed by its last {@link #release}.
 */
final class Walk implements AutoCloseable {

    /** Descriptors a walk keeps open between steps, at most (the top included). */
    static final int MAX_OPEN = 4;

    private final Syscalls sys;
    /** Open nodes no step uses, least recently used first. */
    private final LinkedHashMap<Node, Boolean> idle = new LinkedHashMap<>();
    private int open;
    private boolean closed;

    /** One directory of the walk. */
    static final class Node {
        final Node parent;
        /** Its name in the parent, or the path given for the top. */
        final Path name;
        /** Where it was, for errors (not used to reach it). */
        final Path path;
        /** Whether the top's last component is followed. */
        final boolean follow;
        private Object identity;
        private TreeDir dir;
        private int refs;
        private boolean done;

        private Node(Node parent, Path name, Path path, boolean follow) {
            this.parent = parent;
            this.name = name;
            this.path = path;
            this.follow = follow;
        }
    }

    /** A call on a held directory. */
    @FunctionalInterface
    interface DirCall<T> {
        T run(TreeDir dir) throws SyscallException;
    }

    Walk(Syscalls sys) {
        this.sys = sys;
    }

    /** The top of a walk: opened by path when first used. */
    Node root(Path path, boolean follow) {
        return new Node(null, path, path, follow);
    }

    /** A subdirectory of {@code parent}, opened by name when first used. */
    Node child(Node parent, Path name) {
        return new Node(parent, name, parent.path.resolve(name), false);
    }

    /** Runs {@code call} with {@code n}'s descriptor, held open meanwhile. */
    <T> T with(Node n, DirCall<T> call) throws SyscallException {
        TreeDir d = acquire(n);
        try {
            return call.run(d);
        } finally {
            release(n);
        }
    }

    /** {@code n}'s descriptor, opened (again) if needed; {@link #release} it after use. */
    synchronized TreeDir acquire(Node n) throws SyscallException {
        if (closed) {
            throw new SyscallException(Errno.EBADF);
        }
        if (n.dir != null) {
            if (n.refs++ == 0) {
                idle.remove(n);
            }
            return n.dir;
        }
        // the nearest open ancestor, then down one level at a time, holding only the level
        // above the one being opened (so at most two descriptors at once, whatever the depth)
        java.util.ArrayDeque<Node> down = new java.util.ArrayDeque<>();
        Node a = n;
        while (a.dir == null && a.parent != null) {
            down.push(a);
            a = a.parent;
        }
        if (a.dir == null) {
            open(a, null); // the top, now held once
        } else if (a.refs++ == 0) {
            idle.remove(a);
        }
        while (!down.isEmpty()) {
            Node next = down.pop();
            try {
                open(next, a.dir); // held once
            } finally {
                release(a);
            }
            a = next;
        }
        return n.dir;
    }

    /** Opens {@code n} (relative to {@code parentDir}, or by path for the top), held once. */
    private void open(Node n, TreeDir parentDir) throws SyscallException {
        TreeDir d;
        try {
            d = parentDir == null ? sys.openDir(n.name, n.follow) : sys.openDirAt(parentDir, n.name);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ELOOP.code() && !n.follow) {
                throw new SyscallException(Errno.ENOTDIR.code(), e); // a symlink where a directory was
            }
            throw e;
        }
        if (n.identity == null) {
            n.identity = d.identity();
        } else if (!n.identity.equals(d.identity())) {
            d.close();
            throw new SyscallException(Errno.ESTALE); // replaced by another directory meanwhile
        }
        n.dir = d;
        n.refs = 1;
        open++;
    }

    /** Releases a hold taken by {@link #acquire}. */
    synchronized void release(Node n) {
        if (--n.refs == 0) {
            park(n);
        }
    }

    /** An unused node: closed if finished (or the walk is), else kept idle within the bound. */
    private void park(Node n) {
        if (n.refs > 0) {
            return;
        }
        if (n.done || closed) {
            closeNode(n);
            return;
        }
        if (n.parent != null) {
            idle.put(n, Boolean.TRUE);
        }
        Iterator<Node> it = idle.keySet().iterator();
        while (open > MAX_OPEN && it.hasNext()) {
            Node old = it.next();
            it.remove();
            closeNode(old);
        }
    }

    private void closeNode(Node n) {
        idle.remove(n);
        if (n.dir != null) {
            n.dir.close();
            n.dir = null;
            open--;
        }
    }

    /** The walk is done with {@code n}: its descriptor is closed once unused. */
    synchronized void forget(Node n) {
        n.done = true;
        if (n.refs == 0) {
            closeNode(n);
        }
    }

    /** Closes every idle descriptor; those in use close on their last release. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Node n : idle.keySet().toArray(new Node[0])) {
            closeNode(n);
        }
    }

    /** Closes the top too (it is never idle): with {@link #close()}. */
    synchronized void close(Node top) {
        close();
        if (top.refs == 0) {
            closeNode(top);
        }
    }
}
