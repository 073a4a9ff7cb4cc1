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

package org.ioaio.internal.sys;

import java.io.IOException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.ioaio.Errno;

/**
 * An open directory that relative paths are resolved against: what an {@code IO::AIO::WD} object
 * holds (the canonical absolute path, and a directory descriptor "on systems that allow it"),
 * plus whether it is a jail. Made by {@link #open}, or relative to another one by {@link
 * WorkingDirectorySyscalls#openDirectory}; used by {@link WorkingDirectorySyscalls}.
 *
 * <p><b>The descriptor</b> is a {@link SecureDirectoryStream} (Linux and the BSDs: {@code openat},
 * {@code fstatat}, {@code unlinkat}, {@code renameat} relative to it; two descriptors, the
 * directory's and the {@code DIR*}'s). Where the JDK has none, {@link #stream()} is {@code null}
 * and everything falls back to the path, as IO::AIO does on older systems; a jail needs one.
 *
 * <p><b>The path</b>: {@link #path()} is the canonical path the directory had when it was opened.
 * Requests that need a path (the JDK has no {@code mkdirat}, {@code symlinkat}, {@code linkat},
 * {@code readlinkat}) ask {@link #locate}, which returns the path the directory has <em>now</em>:
 * the last known one if it still leads to this directory (same {@code st_dev}/{@code st_ino}),
 * otherwise the one found by walking up through {@code ..} and looking for each directory in its
 * parent (as {@code getcwd(3)} did before the kernel could tell). So a renamed working directory
 * is followed by every request, not only by those the descriptor serves.
 *
 * <p><b>An attachment</b>: a syscall layer that resolves paths itself (the native layer's {@code
 * openat2}, {@link Syscalls#beneath}) needs a descriptor of its own kind on the directory; it
 * opens one once, checked to be this directory ({@link #leadsHere}), and keeps it here through
 * {@link #attachment}, so that every view of the engine shares it and it is closed with the handle.
 *
 * <p>Thread-safe. {@link #close()} closes the descriptor; a request still using it finishes first
 * (the JDK's stream lock), later ones fail with EBADF.
 */
public final class DirectoryHandle implements AutoCloseable {

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};
    /** {@code ..}: relative to a descriptor, the directory's current parent. */
    static final Path DOTDOT = Path.of("..");
    /** {@code .}: relative to a descriptor, the directory itself. */
    static final Path DOT = Path.of(".");
    /** How many directories up {@link #locate} walks at most before giving up (ENAMETOOLONG). */
    private static final int MAX_DEPTH = 2048;

    private final Path path;
    private final SecureDirectoryStream<Path> stream;
    /** {@code st_dev}/{@code st_ino} of the directory (the JDK's file key), or {@code null} without a stream. */
    private final Object key;
    private final boolean jail;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The directory's path as last verified; written by {@link #locate}. */
    private volatile Path current;
    /** What a syscall layer keeps open on the directory ({@link #attachment}), closed with it; or {@code null}. */
    private final AtomicReference<AutoCloseable> attached = new AtomicReference<>();

    /**
     * Opens what a syscall layer attaches to a directory.
     *
     * @param <T> what it opens
     */
    @FunctionalInterface
    public interface Opener<T extends AutoCloseable> {
        /**
         * Opens it.
         *
         * @return the open resource, owned by the handle from then on
         * @throws SyscallException if it cannot be opened
         */
        T open() throws SyscallException;
    }

    DirectoryHandle(Path path, SecureDirectoryStream<Path> stream, Object key, boolean jail) {
        this.path = path;
        this.stream = stream;
        this.key = key;
        this.jail = jail;
        this.current = path;
    }

    /**
     * Opens a directory by path: canonicalises it ({@code realpath}, symlinks in it followed: the
     * caller chose it) and opens it, checking that what was opened is what was canonicalised.
     *
     * @param dir the directory (relative: to the process's working directory)
     * @param jail whether requests through it may not leave it
     * @return the open directory
     * @throws SyscallException ENOENT, ENOTDIR, EACCES, ELOOP; ENOSYS for a jail where the JDK has
     *     no {@link SecureDirectoryStream}; EAGAIN if it was replaced while being opened, twice
     */
    public static DirectoryHandle open(Path dir, boolean jail) throws SyscallException {
        if (dir.toString().isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                Path real = dir.toRealPath();
                DirectoryStream<Path> ds = openByPath(real); // ENOTDIR for any other file, nothing opened
                if (!(ds instanceof SecureDirectoryStream)) {
                    ds.close();
                    if (jail) {
                        throw new SyscallException(Errno.ENOSYS); // cannot be enforced without openat
                    }
                    return new DirectoryHandle(real, null, null, false);
                }
                SecureDirectoryStream<Path> sds = (SecureDirectoryStream<Path>) ds;
                Object key = keyOf(sds);
                Object byPath;
                try {
                    byPath = Files.readAttributes(real, BasicFileAttributes.class).fileKey();
                } catch (IOException e) {
                    byPath = null;
                }
                if (key != null && key.equals(byPath)) {
                    return new DirectoryHandle(real, sds, key, jail);
                }
                sds.close(); // renamed or replaced between realpath and open: once more
            }
            throw new SyscallException(Errno.EAGAIN);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /** The canonical absolute path the directory had when it was opened. */
    public Path path() {
        return path;
    }

    /** Whether requests through it are confined to it. */
    public boolean isJail() {
        return jail;
    }

    /** {@code false} once closed. */
    public boolean isOpen() {
        return !closed.get();
    }

    /** Whether it holds a descriptor ({@code false} where the JDK has no secure directory streams). */
    public boolean hasDescriptor() {
        return stream != null;
    }

    /**
     * The directory's descriptor, {@code null} if it has none.
     *
     * @return the stream (not to be closed by the caller)
     * @throws SyscallException EBADF once closed
     */
    SecureDirectoryStream<Path> stream() throws SyscallException {
        if (closed.get()) {
            throw new SyscallException(Errno.EBADF);
        }
        return stream;
    }

    /**
     * What a syscall layer keeps open on this directory: the one attached before, if it is a {@code
     * type}, else one {@code opener} opens now and attaches (if another thread attached one
     * meanwhile, that one is used and this one closed). Closed with the handle.
     *
     * @param <T> what is attached
     * @param type its class
     * @param opener opens it (for instance a descriptor, checked with {@link #leadsHere})
     * @return the attachment
     * @throws SyscallException EBADF once closed; ENOSYS if something of another type is attached;
     *     what {@code opener} fails with
     */
    public <T extends AutoCloseable> T attachment(Class<T> type, Opener<T> opener) throws SyscallException {
        for (;;) {
            AutoCloseable a = attached.get();
            if (a != null) {
                if (!type.isInstance(a)) {
                    throw new SyscallException(Errno.ENOSYS); // another layer's: not shared
                }
                return type.cast(a);
            }
            if (closed.get()) {
                throw new SyscallException(Errno.EBADF);
            }
            T made = opener.open();
            if (!attached.compareAndSet(null, made)) {
                closeQuietly(made); // another thread attached one first: use that
                continue;
            }
            if (closed.get()) {
                closeQuietly(attached.getAndSet(null)); // close() ran meanwhile and may have missed it
                throw new SyscallException(Errno.EBADF);
            }
            return made;
        }
    }

    /**
     * What a syscall layer keeps open on this directory, if it attached a {@code type} already
     * ({@link #attachment}); nothing is opened.
     *
     * @param <T> what is attached
     * @param type its class
     * @return the attachment, or {@code null}
     */
    <T extends AutoCloseable> T attachedIfAny(Class<T> type) {
        AutoCloseable a = attached.get();
        return type.isInstance(a) ? type.cast(a) : null;
    }

    /**
     * A use of a path that names this directory.
     *
     * @param <T> what the use gives
     */
    @FunctionalInterface
    public interface PathUse<T> {
        /**
         * Uses it.
         *
         * @param p the path
         * @return what the use gives
         * @throws SyscallException if the use fails
         */
        T use(Path p) throws SyscallException;
    }

    /**
     * Runs {@code use} with a path that names this directory through a descriptor of its own,
     * {@code /proc/self/fd/N/.} ({@link ProcFdAnchors}), whatever its path is now: what a syscall
     * layer opens on the directory ({@link #attachment}) is then this directory even while its
     * path is renamed or replaced. Where the process cannot name its descriptors so, with its path
     * now ({@link #locate}); the caller checks what it opened ({@link #leadsHere}).
     *
     * @param <T> what the use gives
     * @param use the use
     * @return what it gave
     * @throws SyscallException EBADF once closed; what {@code use} fails with
     */
    public <T> T throughOwnDescriptor(PathUse<T> use) throws SyscallException {
        SecureDirectoryStream<Path> s = stream();
        ProcFdAnchors anchor = null;
        if (s != null) {
            try {
                anchor = ProcFdAnchors.open(List.of(s), List.of(key));
            } catch (SyscallException e) {
                if (e.errno() != Errno.EOPNOTSUPP.code()) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                throw ErrnoMapper.failure(e);
            }
        }
        if (anchor == null) {
            return use.use(locate());
        }
        try (ProcFdAnchors a = anchor) {
            return use.use(a.at(0, DOT));
        }
    }

    /**
     * Whether {@code p} leads to this directory now (same {@code st_dev} and {@code st_ino}),
     * following symlinks: a {@code /proc/self/fd/N} path tells which directory a descriptor is.
     *
     * @param p a path
     * @return {@code true} if it leads here; {@code false} if elsewhere, nowhere, or there is no descriptor
     */
    public boolean leadsHere(Path p) {
        if (key == null) {
            return false;
        }
        try {
            return key.equals(Files.readAttributes(p, BasicFileAttributes.class).fileKey());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The path the directory was last seen at (not checked: see {@link #locate()}). */
    Path current() {
        return current;
    }

    /** The directory's file key ({@code st_dev}, {@code st_ino}), {@code null} without a descriptor. */
    Object key() {
        return key;
    }

    /**
     * The directory's path now: {@link #path()} unless it was renamed since (then found again, and
     * remembered). Without a descriptor, the path it was opened with.
     *
     * @return an absolute path leading to this directory
     * @throws SyscallException EBADF once closed; ENOENT if it was removed (no path leads to it)
     */
    public Path locate() throws SyscallException {
        SecureDirectoryStream<Path> s = stream();
        if (s == null) {
            return path;
        }
        Path found = locate(s, key, current);
        current = found;
        return found;
    }

    /** Closes the descriptor and the attachment (idempotent). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // close(2) of a directory fails only for a bad descriptor: nothing to report
                }
            }
            closeQuietly(attached.getAndSet(null));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // a directory descriptor: nothing was written, nothing to report
            }
        }
    }

    @Override
    public String toString() {
        return (jail ? "jail " : "wd ") + path + (closed.get() ? " (closed)" : "");
    }

    // ---------------------------------------------------------------- helpers on descriptors

    /**
     * Opens the directory at {@code p} as a stream without ever opening another kind of file. The
     * JDK's {@code newDirectoryStream} calls {@code open(O_RDONLY)} without {@code O_DIRECTORY}, and
     * that open of a FIFO waits for a writer (of some devices, acts), holding the worker for as long,
     * however recently {@code p} was checked to be a directory. Asking for {@code p/.} makes the
     * kernel require a directory at {@code p} before it opens anything: ENOTDIR at once otherwise. A
     * symlink at {@code p} is followed, as {@code opendir(3)} follows one; a caller that must not
     * follow one compares what was opened with what it checked ({@link #keyOf}).
     *
     * @param p the directory
     * @return its stream (entries resolved against {@code p/.})
     * @throws IOException as opendir(3)
     */
    static DirectoryStream<Path> openByPath(Path p) throws IOException {
        return Files.newDirectoryStream(p.resolve(DOT));
    }

    /** A directory {@link #openIn} opened, and its key. */
    record Opened(SecureDirectoryStream<Path> stream, Object key) {}

    /**
     * Opens {@code name} relative to {@code dir} as a directory, as {@link #openByPath} does (never
     * another kind of file), and keeps it only if it is the directory the {@code fstatat} before
     * described: the kernel follows a symlink swapped in for {@code name} meanwhile, so the key, not
     * {@code O_NOFOLLOW}, is what refuses one. When the name was replaced, it is read and opened
     * again, a few times at most.
     *
     * @param dir the directory {@code name} is relative to
     * @param name the name (or a relative path) of the directory to open
     * @param follow whether a symlink at {@code name} is followed
     * @param checked what the caller has just read of {@code name} (as {@code follow} says), or
     *     {@code null} to read it here
     * @return the open directory and its key
     * @throws IOException as fstatat(2) and openat(2)
     * @throws SyscallException ELOOP for a symlink not to be followed, ENOTDIR for anything but a
     *     directory; EAGAIN if the name was replaced at every attempt
     */
    static Opened openIn(SecureDirectoryStream<Path> dir, Path name, boolean follow, BasicFileAttributes checked)
            throws IOException, SyscallException {
        BasicFileAttributes a = checked;
        for (int attempt = 0; attempt < DirectorySyscalls.RETRIES; attempt++) {
            if (a == null) {
                a = dir.getFileAttributeView(name, BasicFileAttributeView.class, follow ? FOLLOW : NOFOLLOW).readAttributes();
            }
            if (a.isSymbolicLink()) {
                throw new SyscallException(Errno.ELOOP);
            }
            if (!a.isDirectory()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name.resolve(DOT), NOFOLLOW);
            Object key;
            try {
                key = keyOf(sub);
            } catch (IOException | RuntimeException e) {
                sub.close();
                throw e;
            }
            if (a.fileKey() == null || a.fileKey().equals(key)) {
                return new Opened(sub, key);
            }
            sub.close(); // replaced since it was read (perhaps by a symlink, followed here): read it again
            a = null;
        }
        throw new SyscallException(Errno.EAGAIN);
    }

    /**
     * The file key of an open directory ({@code fstat}).
     *
     * @param dir the directory
     * @return its key
     * @throws IOException as fstat(2)
     */
    static Object keyOf(SecureDirectoryStream<Path> dir) throws IOException {
        return dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
    }

    /**
     * The path that leads to the directory {@code dir} (key {@code dirKey}) now.
     *
     * @param dir the directory
     * @param dirKey its key
     * @param candidate where it was last seen, or {@code null}
     * @return {@code candidate} if it leads there, else the path found by walking up
     * @throws SyscallException ENOENT if no path leads there (removed), EACCES if a parent cannot
     *     be read, EBADF if closed
     */
    static Path locate(SecureDirectoryStream<Path> dir, Object dirKey, Path candidate) throws SyscallException {
        try {
            if (candidate != null) {
                try {
                    if (dirKey.equals(Files.readAttributes(candidate, BasicFileAttributes.class).fileKey())) {
                        return candidate;
                    }
                } catch (IOException e) {
                    // gone or not a directory any more: find it
                }
            }
            return walkUp(dir, dirKey);
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (ClosedDirectoryStreamException e) {
            throw new SyscallException(Errno.EBADF.code(), e);
        }
    }

    /**
     * {@code getcwd} the old way: from the directory up through {@code ..} to the root (the
     * directory that is its own parent), finding at each level the entry whose key is the child's.
     */
    private static Path walkUp(SecureDirectoryStream<Path> dir, Object dirKey) throws IOException, SyscallException {
        Deque<Path> names = new ArrayDeque<>();
        SecureDirectoryStream<Path> cur = dir;
        Object curKey = dirKey;
        try {
            for (int depth = 0; ; depth++) {
                if (depth > MAX_DEPTH) {
                    throw new SyscallException(Errno.ENAMETOOLONG);
                }
                SecureDirectoryStream<Path> parent = cur.newDirectoryStream(DOTDOT, NOFOLLOW);
                if (cur != dir) {
                    cur.close();
                }
                cur = parent;
                Object parentKey = keyOf(parent);
                if (parentKey.equals(curKey)) {
                    break; // "/" is its own parent
                }
                Path name = null;
                for (Path entry : parent) {
                    Path n = entry.getFileName();
                    try {
                        Object k = parent.getFileAttributeView(n, BasicFileAttributeView.class, NOFOLLOW)
                                .readAttributes().fileKey();
                        if (curKey.equals(k)) {
                            name = n;
                            break;
                        }
                    } catch (NoSuchFileException e) {
                        // removed while listed
                    }
                }
                if (name == null) {
                    throw new SyscallException(Errno.ENOENT); // removed: no name leads to it
                }
                names.push(name);
                curKey = parentKey;
            }
        } finally {
            if (cur != dir) {
                cur.close();
            }
        }
        Path p = Path.of("/");
        for (Path n : names) {
            p = p.resolve(n);
        }
        return p;
    }
}
