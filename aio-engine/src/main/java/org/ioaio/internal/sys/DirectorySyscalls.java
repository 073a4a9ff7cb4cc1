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

import static org.ioaio.AioConstants.AT_SYMLINK_NOFOLLOW;
import static org.ioaio.AioConstants.O_ACCMODE;
import static org.ioaio.AioConstants.O_APPEND;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ioaio.Errno;
import org.ioaio.FileStat;

/**
 * What the two Java layers under a working directory share ({@link RelativeSyscalls}, {@link
 * WalkedJailSyscalls}): a path argument resolved to a {@link Target} (a name relative to an open
 * directory), and the calls that act through such a target the same way in both. See the package
 * comment for what each layer does.
 */
abstract class DirectorySyscalls extends ForwardingSyscalls {

    /** How often a resolution is retried when a name changed between two looks at it. */
    static final int RETRIES = 3;

    static final LinkOption[] FOLLOW = {};
    static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final FileAttribute<?>[] NO_ATTRIBUTES = {};

    final Syscalls delegate;
    final DirectoryHandle wd;
    /** Stat conversion and the block size cache of a wrapped layer that is not the portable one. */
    private static final NioSyscalls PORTABLE = new NioSyscalls();
    /** Stat conversion and the block size cache: the wrapped layer itself when it is the portable one. */
    private final NioSyscalls nio;
    /** Whether the wrapped layer takes {@link NioFileHandle}s ({@link Syscalls#takesPortableHandles}). */
    private final boolean portable;
    /** See {@link #walksFinal()}. */
    private final boolean walksFinal;

    DirectorySyscalls(Syscalls delegate, DirectoryHandle wd, boolean walksFinal) {
        this.delegate = delegate;
        this.wd = wd;
        this.walksFinal = walksFinal;
        this.nio = delegate instanceof NioSyscalls n ? n : PORTABLE;
        this.portable = delegate.takesPortableHandles();
    }

    /**
     * {@inheritDoc} The wrapped layer's: this layer's calls that only name files resolve through
     * held directories ({@code SecureDirectoryStream} or the wrapped layer's tree calls) and open no
     * {@code FileChannel}.
     */
    @Override
    public boolean namingCallsSurviveInterrupts() {
        return delegate.namingCallsSurviveInterrupts();
    }

    /** The wrapped layer: calls on open files and held directories go to it as they are. */
    @Override
    protected Syscalls delegate() {
        return delegate;
    }

    /**
     * None: every {@link Path} form is written by this class or its subclass, so a path never falls
     * through to the wrapped layer unresolved (a jail's escape); one that were missing fails with ENOSYS.
     */
    @Override
    protected final Syscalls paths() throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * Resolves a path argument.
     *
     * @param path the argument
     * @param followFinal whether a symlink as last component is followed (in a jail, by the walk)
     * @return the target, or {@code null} when the wrapped layer should get {@link #abs(Path)}
     * @throws SyscallException EBADF (closed), ENOENT (empty), EXDEV (escapes a jail), and the
     *     walk's errors
     */
    abstract Target target(Path path, boolean followFinal) throws SyscallException;

    /** The absolute path for the wrapped layer, where {@link #target} gave none. */
    abstract Path abs(Path path) throws SyscallException;

    /**
     * Whether {@link #target} itself followed a final symlink where asked (the jail's walk): the
     * target's name is then never followed again, and a symlink found there was swapped in after.
     */
    final boolean walksFinal() {
        return walksFinal;
    }

    /** The working directory's stream, to resolve {@code path} from: EBADF once closed, ENOENT for the empty path. */
    final SecureDirectoryStream<Path> root(Path path) throws SyscallException {
        SecureDirectoryStream<Path> root = wd.stream(); // EBADF once closed
        if (path.toString().isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        return root;
    }

    /**
     * Opens a working directory relative to this one ({@code aio_wd [$wd, $path]}).
     *
     * @param path the directory
     * @param jail whether the new one is a jail
     * @return the open directory
     * @throws SyscallException as {@link DirectoryHandle#open}, and EXDEV for an escape from a jail
     */
    abstract DirectoryHandle openDirectory(Path path, boolean jail) throws SyscallException;

    /** EINVAL for {@code renameat2} flags that are unknown or that exclude each other. */
    static void checkRename2Flags(int flags) throws SyscallException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE)
                || (flags & (RENAME_WHITEOUT | RENAME_EXCHANGE)) == (RENAME_WHITEOUT | RENAME_EXCHANGE)) {
            throw new SyscallException(Errno.EINVAL);
        }
    }

    /** Opens the directory a target names and makes it a working directory at {@code located}'s path. */
    static DirectoryHandle openDirectory(Target t, boolean follow, boolean confined, PathCall<Path> located)
            throws SyscallException {
        try (t) {
            SecureDirectoryStream<Path> ds = t.openDirectory(follow);
            try {
                Object key = DirectoryHandle.keyOf(ds);
                return new DirectoryHandle(DirectoryHandle.locate(ds, key, located.run(t.path(true))), ds, key, confined);
            } catch (IOException | SyscallException | RuntimeException e) {
                closeQuietly(ds);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * Where a path argument leads: a name relative to an open directory. For an ordinary working
     * directory the name is the whole relative path (the kernel resolves it); in a jail, one
     * component (never {@code ..}), or {@code .} for the directory itself.
     */
    final class Target implements AutoCloseable {
        /** The directory the name is relative to. */
        SecureDirectoryStream<Path> dir;
        /** Its key. */
        Object dirKey;
        /** Whether {@link #dir} was opened by the walk (closed with this target). */
        boolean owned;
        /** The directories walked through below the working directory, by name and key. */
        final List<Path> names = new ArrayList<>();
        final List<Object> keys = new ArrayList<>();
        /** The last component, or {@code .}. */
        Path name;
        /** The last component's {@code lstat}, when the walk read it. */
        BasicFileAttributes attrs;
        private Path verifiedDir;

        /** The path that should lead to {@link #dir}: unchecked (cheap) or checked (and found again if stale). */
        Path dirPath(boolean verify) throws SyscallException {
            if (verifiedDir != null) {
                return verifiedDir;
            }
            if (!verify) {
                return below(wd.current());
            }
            Path root = wd.locate();
            verifiedDir = names.isEmpty() ? root : DirectoryHandle.locate(dir, dirKey, below(root));
            return verifiedDir;
        }

        private Path below(Path root) {
            Path p = root;
            for (Path n : names) {
                p = p.resolve(n);
            }
            return p;
        }

        /** Moves to another directory (the walk): forgets the checked path. */
        void moveTo(SecureDirectoryStream<Path> newDir, Object newKey, boolean newOwned) {
            if (owned && newDir != dir) {
                closeQuietly(dir);
            }
            dir = newDir;
            dirKey = newKey;
            owned = newOwned;
            verifiedDir = null;
        }

        /** The absolute path of the target (see {@link #dirPath}). */
        Path path(boolean verify) throws SyscallException {
            Path d = dirPath(verify);
            return isDot(name) ? d : d.resolve(name);
        }

        /** {@code fstatat} of the target, following a final symlink or not. */
        BasicFileAttributes stat(boolean follow) throws IOException {
            return attributes(dir, name, follow);
        }

        /**
         * The target opened as a directory ({@link DirectorySyscalls#openDirectory}), checked with
         * the {@code lstat} the walk already read of it when there is one (not a symlink, so the
         * same whether followed or not).
         */
        SecureDirectoryStream<Path> openDirectory(boolean follow) throws IOException, SyscallException {
            return DirectoryHandle.openIn(dir, name, follow, attrs).stream(); // attrs null: read there
        }

        @Override
        public void close() {
            if (owned) {
                closeQuietly(dir);
                owned = false;
            }
        }
    }

    // ================================================================ descriptors

    /**
     * {@inheritDoc}
     *
     * <p>Relative to the directory's descriptor ({@code openat}), with {@link NioSyscalls}'s
     * emulations; in a jail the last component is opened with {@code O_NOFOLLOW} after the walk.
     * Set-id bits of a creation mode are set by path, checked; in a jail over the portable layer a
     * creation with set-id or sticky bits fails with EOPNOTSUPP before anything is created (that
     * path could be led outside). In a jail over the native layer the file is opened by that
     * layer's {@code openat} relative to the walked directory held again ({@link #heldDirectory}),
     * with the flags and mode as given ({@code O_PATH} and {@code O_TMPFILE} included).
     */
    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        if (!portable && walksFinal()) {
            NioSyscalls.checkOpenFlagsValid(flags); // the kernel does the rest (O_PATH, O_TMPFILE...) with openat
        } else {
            NioSyscalls.checkOpenFlags(flags);
        }
        boolean exclusive = (flags & O_CREAT) != 0 && (flags & O_EXCL) != 0;
        // O_CREAT|O_EXCL never follows a final symlink (EEXIST), as open(2).
        boolean follow = (flags & O_NOFOLLOW) == 0 && !exclusive;
        Target t = target(path, follow);
        if (t == null) {
            return delegate.open(abs(path), flags, mode);
        }
        try (t) {
            boolean followHere = follow && !walksFinal();
            if (portable) {
                return openAt(t, flags, mode, followHere);
            }
            if (walksFinal()) {
                try (TreeDir d = heldDirectory(t)) { // a jail: openat relative to the walked directory
                    return delegate.openAt(d, t.name, flags, mode);
                }
            }
            return openVerified(t, flags, mode, followHere);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    private FileHandle openAt(Target t, int flags, int mode, boolean follow) throws IOException, SyscallException {
        int access = flags & O_ACCMODE;
        boolean create = (flags & O_CREAT) != 0;
        boolean exclusive = create && (flags & O_EXCL) != 0;
        boolean truncate = (flags & O_TRUNC) != 0;
        boolean readable = access != O_WRONLY;
        boolean writable = access != O_RDONLY;
        boolean append = writable && (flags & O_APPEND) != 0;
        if ((flags & O_DIRECTORY) != 0 || (flags & O_NONBLOCK) != 0) {
            checkOpenable(t, follow, (flags & O_DIRECTORY) != 0);
        }
        FileAttribute<?>[] attributes = create ? new FileAttribute<?>[] {NioSyscalls.permissions(mode)} : NO_ATTRIBUTES;
        boolean fixSetIdBits = create && (mode & 07000) != 0 && (exclusive || !exists(t));
        if (fixSetIdBits && walksFinal()) {
            // java.nio sets set-id bits only by path, which a directory swapped for a symlink could lead outside
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if (create && !writable) {
            try {
                Set<OpenOption> creating = new HashSet<>(Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
                addNoFollow(creating, follow);
                t.dir.newByteChannel(t.name, creating, attributes).close();
            } catch (FileAlreadyExistsException e) {
                if (exclusive) {
                    throw e;
                }
            }
        }
        if (truncate && !writable) {
            Set<OpenOption> truncating = new HashSet<>(Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
            addNoFollow(truncating, follow);
            t.dir.newByteChannel(t.name, truncating).close();
        }
        NioSyscalls.OpenOptions options = NioSyscalls.OpenOptions.of(flags, !follow);
        FileChannel channel = (FileChannel) t.dir.newByteChannel(t.name, options.channel(),
                create && writable ? attributes : NO_ATTRIBUTES);
        FileChannel appender = null;
        try {
            if (append) {
                appender = (FileChannel) t.dir.newByteChannel(t.name, options.appending());
            }
            if (fixSetIdBits) {
                BasicFileAttributes a = t.stat(follow);
                int bits = mode & 07000;
                byPath(t, a, p -> {
                    int created = ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue();
                    Files.setAttribute(p, "unix:mode", (created & 0777) | bits, NOFOLLOW);
                });
            }
            Identity id = identify(t, follow);
            int recorded = walksFinal() ? flags | O_NOFOLLOW : flags; // f*-calls re-find it by path: not through a symlink
            return new NioFileHandle(id.path, recorded, channel, appender, readable, writable, append, id.dev, id.ino);
        } catch (IOException | SyscallException | RuntimeException e) {
            closeQuietly(channel);
            closeQuietly(appender);
            throw e;
        }
    }

    /**
     * {@code open} for a wrapped layer with its own handles (the native one): what changes the file
     * system ({@code O_CREAT}, {@code O_TRUNC}) is done through the descriptor; the file is then
     * opened by the wrapped layer by its checked path, and kept only if it is the file the
     * descriptor found (same {@code st_dev}/{@code st_ino}; EAGAIN otherwise). Such a handle's
     * {@link FileHandle#flags()} lack {@code O_CREAT}, {@code O_EXCL} and {@code O_TRUNC}.
     */
    private FileHandle openVerified(Target t, int flags, int mode, boolean follow) throws IOException, SyscallException {
        boolean create = (flags & O_CREAT) != 0;
        boolean exclusive = create && (flags & O_EXCL) != 0;
        boolean created = false;
        if (create) {
            boolean existed = exists(t);
            Set<OpenOption> creating = new HashSet<>(Set.of(exclusive ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE));
            addNoFollow(creating, follow);
            t.dir.newByteChannel(t.name, creating, NioSyscalls.permissions(mode)).close();
            created = !existed;
        }
        if ((flags & O_TRUNC) != 0) {
            Set<OpenOption> truncating = new HashSet<>(Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
            addNoFollow(truncating, follow);
            t.dir.newByteChannel(t.name, truncating).close();
        }
        Identity id = expected(t, follow);
        int passed = (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | (follow ? 0 : O_NOFOLLOW);
        FileHandle h = delegate.open(id.path, passed, 0);
        try {
            FileStat st = delegate.fstat(h);
            if (st.dev() != id.dev || st.ino() != id.ino) {
                throw new SyscallException(Errno.EAGAIN); // the path led elsewhere meanwhile
            }
            if (created && (mode & 07000) != 0) {
                delegate.fchmod(h, (st.mode() & 0777) | (mode & 07000));
            }
            return h;
        } catch (SyscallException | RuntimeException e) {
            try {
                delegate.close(h);
            } catch (SyscallException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The identity of an existing target, from its checked path; ENOENT and the like from the descriptor. */
    private Identity expected(Target t, boolean follow) throws IOException, SyscallException {
        LinkOption[] links = follow ? FOLLOW : NOFOLLOW;
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            Object key = t.stat(follow).fileKey();
            Path p = t.path(attempt > 0);
            try {
                Map<String, Object> m = Files.readAttributes(p, "unix:dev,ino,fileKey", links);
                if (key.equals(m.get("fileKey"))) {
                    return new Identity(p, ((Number) m.get("dev")).longValue(), ((Number) m.get("ino")).longValue());
                }
            } catch (IOException e) {
                // the path leads elsewhere now: check it
            }
        }
        throw new SyscallException(Errno.EAGAIN);
    }

    static void addNoFollow(Set<OpenOption> options, boolean follow) {
        if (!follow) {
            options.add(LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void checkOpenable(Target t, boolean follow, boolean directory) throws IOException, SyscallException {
        BasicFileAttributes a;
        try {
            a = t.stat(follow);
        } catch (NoSuchFileException e) {
            if (directory) {
                throw e;
            }
            return; // O_NONBLOCK on a name that does not exist (yet)
        }
        NioSyscalls.checkOpenable(a, directory); // a symlink: O_NOFOLLOW, or swapped in after a jail's walk
    }

    static boolean exists(Target t) throws IOException {
        try {
            t.stat(false);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The path, {@code st_dev} and {@code st_ino} of what a target names, for a {@link NioFileHandle}. */
    private record Identity(Path path, long dev, long ino) {}

    private Identity identify(Target t, boolean follow) throws SyscallException {
        LinkOption[] links = follow ? FOLLOW : NOFOLLOW;
        for (int attempt = 0; attempt < 2; attempt++) {
            Path p = t.path(attempt > 0);
            try {
                Object key = t.stat(follow).fileKey();
                Map<String, Object> m = Files.readAttributes(p, "unix:dev,ino,fileKey", links);
                if (key != null && key.equals(m.get("fileKey"))) {
                    return new Identity(p, ((Number) m.get("dev")).longValue(), ((Number) m.get("ino")).longValue());
                }
            } catch (IOException e) {
                // gone, or the path leads elsewhere: check the path once, then give up
            }
        }
        // Unknown: the handle works; its f*-calls go through /proc/self/fd (without /proc: ESTALE).
        return new Identity(t.path(false), -1, -1);
    }

    // ================================================================ status

    /**
     * {@inheritDoc}
     *
     * <p>{@code fstatat} through the descriptor finds the file; its numbers are read by path and
     * returned if they are that file's (ESTALE if the name kept changing meanwhile).
     */
    @Override
    public FileStat stat(Path path) throws SyscallException {
        return statOf(path, true);
    }

    /** {@inheritDoc} See {@link #stat}. */
    @Override
    public FileStat lstat(Path path) throws SyscallException {
        return statOf(path, false);
    }

    private FileStat statOf(Path path, boolean follow) throws SyscallException {
        Target t = target(path, follow);
        if (t == null) {
            return follow ? delegate.stat(abs(path)) : delegate.lstat(abs(path));
        }
        boolean followHere = follow && !walksFinal(); // a jail's walk followed the final symlinks itself
        LinkOption[] links = followHere ? FOLLOW : NOFOLLOW;
        try (t) {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                BasicFileAttributes a = attempt == 0 && t.attrs != null ? t.attrs : t.stat(followHere);
                if (follow && walksFinal() && a.isSymbolicLink()) {
                    throw new SyscallException(Errno.EAGAIN); // swapped in after the walk
                }
                Path p = t.path(attempt > 0);
                Map<String, Object> m;
                try {
                    m = Files.readAttributes(p, NioSyscalls.STAT_ATTRIBUTES + ",fileKey", links);
                } catch (IOException e) {
                    continue; // the path leads elsewhere now: check it
                }
                if (a.fileKey() != null && a.fileKey().equals(m.get("fileKey"))) {
                    return nio.toStat(p, m, -1);
                }
            }
            throw new SyscallException(Errno.ESTALE);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>In a jail resolved by the kernel, its {@code statx}. Otherwise the file is found through
     * the descriptor as for {@link #stat}, and the wrapped layer's {@code statx} (with its birth
     * time, on the native layer) is asked by path and returned if it is that file's (same {@code
     * st_dev}/{@code st_ino}; ESTALE if the name kept changing meanwhile).
     */
    @Override
    public FileStat statx(Path path, int flags, int mask) throws SyscallException {
        NioSyscalls.checkStatx(flags, mask);
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        Target t = target(path, follow);
        if (t == null) {
            return delegate.statx(abs(path), flags, mask);
        }
        boolean followHere = follow && !walksFinal(); // a jail's walk followed the final symlinks itself
        LinkOption[] links = followHere ? FOLLOW : NOFOLLOW;
        int flagsHere = followHere ? flags : flags | AT_SYMLINK_NOFOLLOW;
        try (t) {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                BasicFileAttributes a = attempt == 0 && t.attrs != null ? t.attrs : t.stat(followHere);
                if (follow && walksFinal() && a.isSymbolicLink()) {
                    throw new SyscallException(Errno.EAGAIN); // swapped in after the walk
                }
                Path p = t.path(attempt > 0);
                FileStat st;
                Map<String, Object> id;
                try {
                    st = delegate.statx(p, flagsHere, mask);
                    id = Files.readAttributes(p, "unix:dev,ino,fileKey", links);
                } catch (SyscallException | IOException e) {
                    continue; // the path leads elsewhere now: check it
                }
                if (a.fileKey() != null && a.fileKey().equals(id.get("fileKey"))
                        && st.dev() == ((Number) id.get("dev")).longValue() && st.ino() == ((Number) id.get("ino")).longValue()) {
                    return st;
                }
            }
            throw new SyscallException(Errno.ESTALE);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through the descriptor: the type is checked first with {@code fstatat} (EISDIR, or EINVAL
     * for a FIFO, device or socket, which is never opened: opening a FIFO for writing blocks), then
     * the file is opened relative to the descriptor. Over the native layer it is opened {@code
     * O_WRONLY|O_NONBLOCK} by its checked path and kept only if it is the file found, so nothing
     * swapped in can block it; over the portable layer as {@link NioSyscalls#truncate} does.
     */
    @Override
    public int truncate(Path path, long length) throws SyscallException {
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Target t = target(path, true);
        if (t == null) {
            return delegate.truncate(abs(path), length);
        }
        boolean follow = !walksFinal();
        boolean interrupted = Thread.interrupted();
        try (t) {
            BasicFileAttributes a;
            try {
                a = t.stat(follow);
            } catch (NoSuchFileException e) {
                throw NioSyscalls.notFound(t.path(false), e); // ENOENT, or ENOTDIR (JDK 21+ reports both so)
            }
            if (a.isSymbolicLink()) {
                throw new SyscallException(Errno.ELOOP); // swapped in after a jail's walk
            }
            NioSyscalls.truncatable(a);
            if (!portable) {
                FileHandle h = openVerified(t, O_WRONLY | O_NONBLOCK, 0, follow);
                try {
                    delegate.ftruncate(h, length);
                } catch (SyscallException | RuntimeException e) {
                    try {
                        delegate.close(h);
                    } catch (SyscallException closing) {
                        e.addSuppressed(closing);
                    }
                    throw e;
                }
                return delegate.close(h);
            }
            FileChannel opened;
            boolean readable = true;
            try {
                opened = openForTruncate(t, follow, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                readable = false; // write permission only: truncate(2) needs no more
                opened = openForTruncate(t, follow, StandardOpenOption.WRITE);
            }
            try (FileChannel ch = opened) {
                NioSyscalls.resize(ch, length, readable);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FileChannel openForTruncate(Target t, boolean follow, OpenOption... access) throws IOException {
        Set<OpenOption> options = new HashSet<>(List.of(access));
        addNoFollow(options, follow);
        return (FileChannel) t.dir.newByteChannel(t.name, options);
    }

    // ================================================================ names

    /** {@inheritDoc} Through the descriptor ({@code unlinkat}). */
    @Override
    public int unlink(Path path) throws SyscallException {
        return remove(path, false);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through the descriptor ({@code unlinkat} with {@code AT_REMOVEDIR}). A path of exactly
     * {@code "."} fails as {@code unlinkat} does (EINVAL); an ordinary working directory makes it
     * IO::AIO's {@code [$wd, "."]}.
     */
    @Override
    public int rmdir(Path path) throws SyscallException {
        return remove(path, true);
    }

    /** {@code unlinkat} of a path's target, with {@code AT_REMOVEDIR} for a {@code directory}. */
    private int remove(Path path, boolean directory) throws SyscallException {
        Target t = target(path, false);
        if (t == null) {
            return directory ? delegate.rmdir(abs(path)) : delegate.unlink(abs(path));
        }
        try (t) {
            if (directory) {
                t.dir.deleteDirectory(t.name);
            } else {
                t.dir.deleteFile(t.name);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    // ================================================================ directories

    /** {@inheritDoc} Through the descriptor: the directory opened relative to it (in a jail {@code O_NOFOLLOW}). */
    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        Target t = target(dir, true);
        if (t == null) {
            return delegate.readdir(abs(dir));
        }
        List<Path> names = new ArrayList<>();
        try (t; SecureDirectoryStream<Path> ds = t.openDirectory(!walksFinal())) {
            for (Path entry : ds) {
                names.add(entry.getFileName());
            }
            return names;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    // ================================================================ held directories

    /**
     * {@inheritDoc}
     *
     * <p>The path is resolved as every path of this view is (in a jail by the kernel or the walk);
     * the directory is then opened relative to the resolved directory's descriptor on the portable
     * layer. A wrapped layer with descriptors of its own (the native one, without {@code openat2})
     * opens the checked absolute path, and the result is kept only if it is the directory the
     * descriptor found (same {@code st_dev}/{@code st_ino}; EAGAIN otherwise). Every {@code *At}
     * call on the result is the wrapped layer's: it acts relative to the held directory.
     */
    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        Target t = target(path, follow);
        if (t == null) {
            return delegate.openDir(abs(path), follow);
        }
        boolean followHere = follow && !walksFinal(); // a jail's walk resolved the final symlink itself
        try (t) {
            if (portable) {
                SecureDirectoryStream<Path> ds = t.openDirectory(followHere);
                try {
                    return new NioTreeCalls.NioTreeDir(t.path(false), DirectoryHandle.keyOf(ds), ds, walksFinal());
                } catch (IOException | RuntimeException e) {
                    closeQuietly(ds);
                    throw e;
                }
            }
            BasicFileAttributes a = t.stat(followHere);
            if (a.isSymbolicLink()) {
                throw new SyscallException(Errno.ELOOP);
            }
            if (!a.isDirectory()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            return heldByPath(t.path(true), a.fileKey(), followHere);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * The directory the target's name is relative to, held by the wrapped layer (its tree calls):
     * opened by its checked path and kept only if it is the directory the walk holds. Every {@code
     * *At} call on it then acts in that directory, whatever its path leads to meanwhile.
     *
     * @throws SyscallException EAGAIN if the path led to another directory meanwhile
     */
    final TreeDir heldDirectory(Target t) throws IOException, SyscallException {
        return heldByPath(t.dirPath(true), t.dirKey, false);
    }

    /**
     * {@code p} opened by the wrapped layer as a held directory, kept only if it is the directory
     * {@code key} names: its path is read to lead there ({@code st_dev}/{@code st_ino} with the
     * key), and what was opened has those numbers (EAGAIN otherwise).
     */
    private TreeDir heldByPath(Path p, Object key, boolean follow) throws IOException, SyscallException {
        Map<String, Object> id = Files.readAttributes(p, "unix:dev,ino,fileKey", follow ? FOLLOW : NOFOLLOW);
        if (!key.equals(id.get("fileKey"))) {
            throw new SyscallException(Errno.EAGAIN); // the path led elsewhere meanwhile
        }
        TreeDir d = delegate.openDir(p, follow);
        try {
            FileStat st = delegate.fstatDir(d);
            if (st.dev() != ((Number) id.get("dev")).longValue() || st.ino() != ((Number) id.get("ino")).longValue()) {
                throw new SyscallException(Errno.EAGAIN);
            }
            return d;
        } catch (SyscallException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Whether the wrapped layer is the portable one ({@link Syscalls#takesPortableHandles}). */
    final boolean portable() {
        return portable;
    }

    /** A call on a path. */
    @FunctionalInterface
    interface PathCall<T> {
        T run(Path p) throws IOException, SyscallException;
    }

    /** A call on a path with no result. */
    @FunctionalInterface
    interface PathAction {
        void run(Path p) throws IOException, SyscallException;
    }

    /**
     * A change by path, for what the descriptor cannot do: done only if the checked path leads to
     * the file the walk found ({@code a}), and checked again afterwards (EXDEV if it did not).
     */
    void byPath(Target t, BasicFileAttributes a, PathAction change) throws IOException, SyscallException {
        Object key = a.fileKey();
        Path p = t.path(true);
        if (!key.equals(keyByPath(p))) {
            throw new SyscallException(Errno.EAGAIN);
        }
        change.run(p);
        if (!key.equals(keyByPath(p))) {
            throw new SyscallException(Errno.EXDEV);
        }
    }

    static Object keyByPath(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    // ================================================================ helpers

    static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name, boolean follow) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, follow ? FOLLOW : NOFOLLOW).readAttributes();
    }

    static boolean isDot(Path name) {
        return name.toString().equals(".");
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // already failing, or nothing to report for a directory
            }
        }
    }
}
