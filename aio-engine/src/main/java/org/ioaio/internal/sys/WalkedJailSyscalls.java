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

import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.S_IFBLK;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFMT;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.AioConstants.S_IFSOCK;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.StatVfs;

/**
 * A jail walked in Java, for a wrapped layer that cannot resolve beneath a directory (see the
 * package comment for the walk and for what the JDK cannot do relative to a descriptor).
 */
final class WalkedJailSyscalls extends DirectorySyscalls {

    /** Symlinks a jailed resolution follows at most (Linux's {@code MAXSYMLINKS}); one more is ELOOP. */
    public static final int MAX_SYMLINKS = 40;
    /** The prefix of the names {@code mkdir} and {@code symlink} stage in a jail's root. */
    static final String STAGING_PREFIX = ".aio-jail-";
    private static final SecureRandom RANDOM = new SecureRandom();

    WalkedJailSyscalls(Syscalls delegate, DirectoryHandle wd) {
        super(delegate, wd, true);
    }

    @Override
    Path abs(Path path) {
        throw new IllegalStateException("a jail never resolves by path");
    }

    @Override
    Target target(Path path, boolean followFinal) throws SyscallException {
        SecureDirectoryStream<Path> root = root(path);
        if (path.isAbsolute()) {
            throw new SyscallException(Errno.EXDEV);
        }
        return walk(root, path, followFinal);
    }

    /** One made through a jail is a jail: the walk resolves it, so it is inside. */
    @Override
    DirectoryHandle openDirectory(Path path, boolean jail) throws SyscallException {
        return openDirectory(target(path, true), false, true, p -> p);
    }

    /** The jail's walk (see the package comment). */
    private Target walk(SecureDirectoryStream<Path> root, Path rel, boolean followFinal) throws SyscallException {
        Deque<Path> todo = new ArrayDeque<>();
        for (Path c : rel) {
            todo.addLast(c);
        }
        Target t = new Target();
        t.dir = root;
        t.dirKey = wd.key();
        int hops = 0;
        try {
            while (true) {
                Path c = todo.pollFirst();
                if (c == null) {
                    t.name = DirectoryHandle.DOT; // the path ends at a directory ("", "a/..", "a/.")
                    return t;
                }
                String s = c.toString();
                boolean last = todo.isEmpty();
                if (s.equals(".")) {
                    continue;
                }
                if (s.equals("..")) {
                    up(t, root);
                    continue;
                }
                if (last && !followFinal) {
                    t.name = c;
                    return t;
                }
                if (!last) {
                    // fstatat first: the JDK leaks a descriptor when asked to open a non-directory as one
                    BasicFileAttributes seen = attributes(t.dir, c, false);
                    if (!seen.isSymbolicLink()) {
                        DirectoryHandle.Opened opened;
                        try {
                            opened = DirectoryHandle.openIn(t.dir, c, false, seen);
                        } catch (IOException | SyscallException e) {
                            if (ErrnoMapper.errno(e) != Errno.ELOOP.code() || ++hops > MAX_SYMLINKS) {
                                throw e; // ENOTDIR (a FIFO swapped in: nothing opened), EACCES...
                            }
                            todo.addFirst(c); // a symlink swapped in: look again
                            continue;
                        }
                        SecureDirectoryStream<Path> next = opened.stream();
                        Object nextKey = opened.key();
                        t.moveTo(next, nextKey, true);
                        t.names.add(c);
                        t.keys.add(nextKey);
                        continue;
                    }
                } else {
                    BasicFileAttributes a;
                    try {
                        a = attributes(t.dir, c, false);
                    } catch (NoSuchFileException e) {
                        t.name = c; // to be created, or ENOENT from the call
                        return t;
                    }
                    if (!a.isSymbolicLink()) {
                        t.name = c;
                        t.attrs = a;
                        return t;
                    }
                }
                if (++hops > MAX_SYMLINKS) {
                    throw new SyscallException(Errno.ELOOP);
                }
                Path target;
                try {
                    target = readlinkAt(t, c);
                } catch (SyscallException e) {
                    if (e.errno() != Errno.EINVAL.code()) {
                        throw e;
                    }
                    todo.addFirst(c); // no longer a symlink: look again (bounded by hops)
                    continue;
                }
                if (target.isAbsolute()) {
                    throw new SyscallException(Errno.EXDEV);
                }
                if (target.toString().isEmpty()) {
                    throw new SyscallException(Errno.ENOENT);
                }
                for (int i = target.getNameCount() - 1; i >= 0; i--) {
                    todo.addFirst(target.getName(i));
                }
            }
        } catch (IOException e) {
            t.close();
            throw ErrnoMapper.toSyscallException(e);
        } catch (SyscallException e) {
            t.close();
            throw e;
        } catch (RuntimeException | Error e) {
            t.close();
            if (e instanceof RuntimeException r) {
                throw ErrnoMapper.failure(r);
            }
            throw e;
        }
    }

    /** A {@code ..} in a jail: back to the directory walked through, never above the root. */
    private void up(Target t, SecureDirectoryStream<Path> root) throws IOException, SyscallException {
        if (t.names.isEmpty()) {
            throw new SyscallException(Errno.EXDEV); // above the jail's root
        }
        t.names.remove(t.names.size() - 1);
        t.keys.remove(t.keys.size() - 1);
        if (t.names.isEmpty()) {
            t.moveTo(root, wd.key(), false);
            return;
        }
        Object parentKey = t.keys.get(t.keys.size() - 1);
        SecureDirectoryStream<Path> parent = t.dir.newDirectoryStream(DirectoryHandle.DOTDOT, NOFOLLOW);
        if (!parentKey.equals(DirectoryHandle.keyOf(parent))) {
            closeQuietly(parent);
            throw new SyscallException(Errno.EAGAIN); // moved since the walk went through it
        }
        t.moveTo(parent, parentKey, true);
    }

    /**
     * {@code readlinkat} the portable way: by path, accepted only if the path led to the symlink
     * the descriptor sees (symlinks are immutable, so its key names its content).
     */
    private Path readlinkAt(Target t, Path name) throws SyscallException {
        try {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                BasicFileAttributes a = attributes(t.dir, name, false);
                if (!a.isSymbolicLink()) {
                    throw new SyscallException(Errno.EINVAL);
                }
                Path p = t.dirPath(attempt > 0).resolve(name);
                try {
                    Path content = Files.readSymbolicLink(p);
                    Object k = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
                    if (a.fileKey().equals(k)) {
                        return content;
                    }
                } catch (IOException e) {
                    // the path led elsewhere: check it and try again
                }
            }
            throw new SyscallException(Errno.EAGAIN);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }


    /** {@inheritDoc} By path, checked to lead to what the walk found. */
    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        try (Target t = target(path, true)) {
            return checkedRead(t, delegate::statvfs);
        }
    }

    // ================================================================ attributes

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer always as {@link #beyondTheJdk} says (nothing is opened). Over the
     * portable one through the descriptor ({@code futimens} on the file opened {@code O_NOFOLLOW});
     * for FIFOs, devices, sockets and unreadable files, see {@link #beyondTheJdk}.
     */
    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        try (Target t = target(path, true)) {
            BasicFileAttributes a = existing(t);
            Errno refusal = Errno.EOPNOTSUPP;
            if (portable() && (a.isRegularFile() || a.isDirectory())) {
                try {
                    FileTime now = atime == null || mtime == null ? FileTime.from(Instant.now()) : null;
                    if (throughDescriptor(t, a, v -> v.setTimes(mtime == null ? now : FileTime.from(mtime),
                            atime == null ? now : FileTime.from(atime), null))) {
                        return 0;
                    }
                } catch (IOException e) {
                    if (ErrnoMapper.errno(e) != Errno.EACCES.code()) {
                        throw e;
                    }
                    refusal = Errno.EACCES;
                }
            }
            beyondTheJdk(t, (d, n) -> delegate.utimeAt(d, n, atime, mtime), refusal);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer always as {@link #beyondTheJdk} says (nothing is opened). Over the
     * portable one through the descriptor ({@code fchown} on the file opened {@code O_NOFOLLOW};
     * ids looked up as principals); for FIFOs, devices, sockets, unreadable files and ids that
     * name another principal, see {@link #beyondTheJdk}.
     */
    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        try (Target t = target(path, true)) {
            BasicFileAttributes a = existing(t);
            if (uid == -1 && gid == -1) {
                return 0;
            }
            Errno refusal = Errno.EOPNOTSUPP;
            if (portable() && (a.isRegularFile() || a.isDirectory())) {
                try {
                    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
                    UserPrincipal user = uid == -1 ? null : lookup.lookupPrincipalByName(Integer.toUnsignedString(uid));
                    GroupPrincipal group = gid == -1 ? null : lookup.lookupPrincipalByGroupName(Integer.toUnsignedString(gid));
                    // The JDK looks a number up as a name first; its principals hash to their id.
                    if ((user == null || user.hashCode() == uid) && (group == null || group.hashCode() == gid)
                            && throughDescriptor(t, a, view -> {
                                if (user != null) {
                                    view.setOwner(user);
                                }
                                if (group != null) {
                                    view.setGroup(group);
                                }
                            })) {
                        return 0;
                    }
                } catch (IOException e) {
                    if (ErrnoMapper.errno(e) != Errno.EACCES.code()) {
                        throw e;
                    }
                    refusal = Errno.EACCES;
                }
            }
            beyondTheJdk(t, (d, n) -> delegate.chownAt(d, n, uid, gid), refusal);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer always as {@link #beyondTheJdk} says (nothing is opened). Over the
     * portable one through the descriptor ({@code fchmod} on the file opened {@code O_NOFOLLOW});
     * for set-id and sticky bits and for FIFOs, devices and sockets, see {@link #beyondTheJdk}.
     */
    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        try (Target t = target(path, true)) {
            BasicFileAttributes a = existing(t);
            Errno refusal = Errno.EOPNOTSUPP;
            if (portable() && (mode & 07000) == 0 && (a.isRegularFile() || a.isDirectory())) {
                try {
                    if (throughDescriptor(t, a, v -> v.setPermissions(permissionSet(mode)))) {
                        return 0;
                    }
                } catch (IOException e) {
                    if (ErrnoMapper.errno(e) != Errno.EACCES.code()) {
                        throw e;
                    }
                    refusal = Errno.EACCES;
                }
            }
            beyondTheJdk(t, (d, n) -> delegate.chmodAt(d, n, mode & 07777), refusal);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer {@code mknodat} with the whole mode, relative to the walked
     * directory held again ({@link #heldDirectory}): every type the kernel makes. Over the portable
     * one a regular file is created through the descriptor ({@code O_CREAT|O_EXCL|O_NOFOLLOW}); a
     * mode with set-id or sticky bits fails with EOPNOTSUPP (see {@link #beyondTheJdk}) before
     * anything is created; other types fail as on {@link NioSyscalls}.
     */
    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        if (!portable()) {
            try (Target t = target(path, false); TreeDir d = heldDirectory(t)) {
                return delegate.mknodAt(d, t.name, mode, dev);
            } catch (IOException | RuntimeException e) {
                throw ErrnoMapper.failure(e);
            }
        }
        int type = mode & S_IFMT;
        if (type == S_IFIFO || type == S_IFCHR || type == S_IFBLK || type == S_IFSOCK) {
            throw new SyscallException(Errno.ENOSYS);
        }
        if (type != 0 && type != S_IFREG) {
            throw new SyscallException(Errno.EINVAL);
        }
        try (Target t = target(path, false)) {
            if (isDot(t.name)) {
                throw new SyscallException(Errno.EEXIST);
            }
            if ((mode & 07000) != 0) {
                throw new SyscallException(Errno.EOPNOTSUPP); // java.nio sets them only by path (see beyondTheJdk)
            }
            Set<OpenOption> creating = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            t.dir.newByteChannel(t.name, creating, NioSyscalls.permissions(mode)).close();
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer {@code linkat} relative to the two walked directories held again
     * ({@link #heldDirectory}); over the portable one {@code link} of the two names through
     * descriptors of those directories ({@link ProcFdAnchors}): EOPNOTSUPP where the process
     * cannot name them so.
     */
    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        try (Target from = target(existing, false); Target to = target(newPath, false)) {
            if (!portable()) {
                try (TreeDir fromDir = heldDirectory(from); TreeDir toDir = heldDirectory(to)) {
                    return delegate.linkAt(fromDir, from.name, toDir, to.name);
                }
            }
            if (existing(from).isDirectory()) {
                throw new SyscallException(Errno.EPERM); // link(2) of a directory
            }
            if (isDot(to.name)) {
                throw new SyscallException(Errno.EEXIST);
            }
            try (ProcFdAnchors at = ProcFdAnchors.open(List.of(from.dir, to.dir), List.of(from.dirKey, to.dirKey))) {
                return delegate.link(at.at(0, from.name), at.at(1, to.name));
            }
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer {@code symlinkat} relative to the walked directory held again
     * ({@link #heldDirectory}); over the portable one as {@link #create} says. The target is
     * stored as given, never checked: no request through the jail follows it out.
     */
    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        try (Target t = target(linkPath, false)) {
            if (!portable()) {
                try (TreeDir d = heldDirectory(t)) {
                    return delegate.symlinkAt(target, d, t.name);
                }
            }
            create(t, staged -> delegate.symlink(target, staged));
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /** {@inheritDoc} By path, checked to be the symlink the walk found. */
    @Override
    public Path readlink(Path path) throws SyscallException {
        try (Target t = target(path, false)) {
            if (isDot(t.name)) {
                throw new SyscallException(Errno.EINVAL);
            }
            return readlinkAt(t, t.name);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The walk's own result, an absolute path inside the jail.
     */
    @Override
    public Path realpath(Path path) throws SyscallException {
        try (Target t = target(path, true)) {
            existing(t);
            return t.path(true);
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through the descriptors ({@code renameat}). A
     * source of {@code "."} fails as {@code renameat} does (EBUSY).
     */
    @Override
    public int rename(Path from, Path to) throws SyscallException {
        try (Target a = target(from, false); Target b = target(to, false)) {
            a.dir.move(a.name, b.dir, b.name);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over the native layer {@code renameat2} with the flags, relative to the two walked
     * directories held again ({@link #heldDirectory}). Over the portable one {@code
     * RENAME_NOREPLACE} is {@code fstatat} then {@code renameat} (see the package comment),
     * EXCHANGE and WHITEOUT fail with ENOSYS.
     */
    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        checkRename2Flags(flags);
        if (flags == 0) {
            return rename(from, to);
        }
        if (!portable()) {
            try (Target a = target(from, false); Target b = target(to, false);
                    TreeDir fromDir = heldDirectory(a); TreeDir toDir = heldDirectory(b)) {
                return delegate.renameAt(fromDir, a.name, toDir, b.name, flags);
            } catch (IOException | RuntimeException e) {
                throw ErrnoMapper.failure(e);
            }
        }
        if (flags != RENAME_NOREPLACE) {
            throw new SyscallException(Errno.ENOSYS);
        }
        try (Target a = target(from, false); Target b = target(to, false)) {
            existing(a);
            if (isDot(b.name) || exists(b)) {
                throw new SyscallException(Errno.EEXIST);
            }
            a.dir.move(a.name, b.dir, b.name);
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc} Over the native layer {@code mkdirat} relative to the walked directory held
     * again ({@link #heldDirectory}); over the portable one as {@link #create} says.
     */
    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        try (Target t = target(path, false)) {
            if (!portable()) {
                try (TreeDir d = heldDirectory(t)) {
                    return delegate.mkdirAt(d, t.name, mode);
                }
            }
            create(t, staged -> delegate.mkdir(staged, mode));
            return 0;
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    // ================================================================ directories

    /** {@inheritDoc} By path (it needs each entry's inode), checked to lead to the walked directory. */
    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        try (Target t = target(dir, true)) {
            return checkedRead(t, delegate::readdirDents);
        }
    }

    /** The target's {@code lstat} (the walk followed final symlinks where asked); ENOENT if absent. */
    private static BasicFileAttributes existing(Target t) throws IOException {
        return t.attrs != null ? t.attrs : t.stat(false);
    }

    /** A change made through a view of an open file or directory. */
    @FunctionalInterface
    private interface ViewChange {
        void run(PosixFileAttributeView view) throws IOException;
    }

    /**
     * The portable layer's change of a regular file's or a directory's attributes, made through a
     * descriptor of it opened without ever waiting. The JDK's views by name open the name {@code
     * O_RDONLY}, and a FIFO swapped in after the type check would hold that open, and the worker,
     * until a writer came. So a directory is opened as {@code name/.} ({@link
     * DirectoryHandle#openIn}: ENOTDIR for anything else) and changed through its own descriptor
     * ({@code fchmod}, {@code fchown}, {@code futimens}); a regular file is opened read-write with
     * {@code O_NOFOLLOW} (which a FIFO does not make wait), named by {@code /proc/self/fd/N}
     * ({@link ProcFdAnchors#openNamed}: a few reads of {@code /proc/self/fdinfo} however many
     * descriptors are open; a FIFO swapped in has no offset, so it is told apart) and changed
     * through that name, which the kernel follows to the open file. What was opened must be what
     * {@code checked} describes (same key), or the name is read and opened again, a few times.
     * The read-write open needs write permission (EACCES without) and shows in inotify as a close
     * after writing.
     *
     * @param t the target
     * @param checked what the walk read of it, a regular file or a directory
     * @param change the change
     * @return {@code true} once made; {@code false} if the name is now another kind of file, for
     *     {@link #beyondTheJdk}
     * @throws SyscallException EOPNOTSUPP where the process cannot name a descriptor; EAGAIN if the
     *     name was replaced at every attempt
     */
    private boolean throughDescriptor(Target t, BasicFileAttributes checked, ViewChange change)
            throws IOException, SyscallException {
        BasicFileAttributes a = checked;
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            if (a == null) {
                a = t.stat(false);
            }
            if (a.isDirectory()) {
                DirectoryHandle.Opened d;
                try {
                    d = DirectoryHandle.openIn(t.dir, t.name, false, a);
                } catch (IOException | SyscallException e) {
                    int errno = ErrnoMapper.errno(e);
                    if (errno != Errno.ENOTDIR.code() && errno != Errno.ELOOP.code() && errno != Errno.EAGAIN.code()) {
                        throw e; // ENOENT, EACCES...
                    }
                    a = null; // another kind of file swapped in (nothing opened), or kept being replaced: look again
                    continue;
                }
                try (SecureDirectoryStream<Path> dir = d.stream()) {
                    change.run(dir.getFileAttributeView(PosixFileAttributeView.class));
                }
                return true;
            }
            if (!a.isRegularFile()) {
                return false;
            }
            Set<OpenOption> readWrite = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try (ProcFdAnchors.Named file = ProcFdAnchors.openNamed(() -> t.dir.newByteChannel(t.name, readWrite))) {
                Object opened = Files.readAttributes(file.anchor(), BasicFileAttributes.class).fileKey();
                if (opened != null && opened.equals(a.fileKey())) {
                    change.run(Files.getFileAttributeView(file.anchor(), PosixFileAttributeView.class));
                    return true;
                }
            } catch (SyscallException e) {
                if (e.errno() != Errno.ESPIPE.code()) {
                    throw e;
                }
                // not seekable: a FIFO swapped in, opened without waiting (and closed again); look again
            } catch (IOException e) {
                int errno = ErrnoMapper.errno(e);
                if (errno != Errno.EISDIR.code() && errno != Errno.ELOOP.code() && errno != Errno.ENXIO.code()) {
                    throw e; // EACCES, ETXTBSY, ENOENT...
                }
                // a directory, a symlink or a socket swapped in: look again
            }
            a = null;
        }
        throw new SyscallException(Errno.EAGAIN);
    }

    /** A change made relative to a held directory. */
    @FunctionalInterface
    private interface AtChange {
        void run(TreeDir dir, Path name) throws SyscallException;
    }

    /**
     * A change of attributes. A wrapped layer with held directories of its own (the native one)
     * makes every such change with its {@code *At} call, relative to the directory the walk
     * holds, opened again by that layer and kept only if it is that directory ({@link
     * #heldDirectory}): no path is used after the check, so nothing outside can change, and
     * nothing is opened, so a FIFO swapped in cannot block it. The portable layer comes here only
     * for what the JDK cannot do through the walk's descriptor (set-id and sticky bits; the
     * attributes of FIFOs, devices, sockets and unreadable files, since its descriptor-relative
     * calls open the file for reading). It could make those only by path, and a directory on that
     * path could be swapped for a symlink to outside between any check and the change: they fail
     * with {@code refusal} instead (EOPNOTSUPP, or the EACCES the descriptor's open met).
     */
    private void beyondTheJdk(Target t, AtChange change, Errno refusal) throws IOException, SyscallException {
        if (portable()) {
            throw new SyscallException(refusal);
        }
        try (TreeDir d = heldDirectory(t)) {
            change.run(d, t.name);
        }
    }

    /** A read by path, whose result is used only if the path led to the target before and after it. */
    private <T> T checkedRead(Target t, PathCall<T> read) throws SyscallException {
        try {
            Object key = existing(t).fileKey();
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                Path p = t.path(attempt > 0);
                if (!key.equals(keyByPath(p))) {
                    continue;
                }
                T result = read.run(p);
                if (key.equals(keyByPath(p))) {
                    return result;
                }
            }
            throw new SyscallException(Errno.EAGAIN);
        } catch (IOException | RuntimeException e) {
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * Creates a name in a jail the JDK cannot create relative to a descriptor ({@code mkdir},
     * {@code symlink}): {@code make} creates it under a random name in the jail's root, by the
     * root's trusted path, and it is renamed into place through the descriptors. Where the root
     * cannot take it (EACCES, EROFS, or EXDEV: the target on another mount), through a descriptor
     * of the target's directory ({@link ProcFdAnchors}); EOPNOTSUPP where the process cannot
     * name one so. Never by a path through the jail.
     */
    private void create(Target t, PathAction make) throws IOException, SyscallException {
        if (isDot(t.name) || exists(t)) {
            throw new SyscallException(Errno.EEXIST); // renameat would replace it
        }
        SecureDirectoryStream<Path> root = wd.stream();
        Path staged = null;
        for (int attempt = 0; attempt < RETRIES && staged == null; attempt++) {
            Path name = Path.of(STAGING_PREFIX + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE));
            Path at = wd.locate().resolve(name);
            try {
                make.run(at);
                staged = name;
            } catch (SyscallException e) {
                if (e.errno() == Errno.EEXIST.code()) {
                    continue; // the random name is taken: draw another
                }
                if (e.errno() == Errno.EACCES.code() || e.errno() == Errno.EROFS.code() || e.errno() == Errno.EXDEV.code()) {
                    createAnchored(t, make); // the root cannot take it
                    return;
                }
                throw e;
            }
        }
        if (staged == null) {
            throw new SyscallException(Errno.EEXIST);
        }
        BasicFileAttributes made = attributes(root, staged, false);
        try {
            root.move(staged, t.dir, t.name);
            staged = null;
        } catch (IOException e) {
            if (ErrnoMapper.errno(e) == Errno.EXDEV.code()) {
                remove(root, staged, made);
                staged = null;
                createAnchored(t, make); // the target is on another mount
                return;
            }
            throw e;
        } finally {
            if (staged != null) {
                remove(root, staged, made);
            }
        }
    }

    /** {@link #create} where the jail's root cannot stage: through a descriptor of the target's directory. */
    private static void createAnchored(Target t, PathAction make) throws IOException, SyscallException {
        try (ProcFdAnchors at = ProcFdAnchors.open(List.of(t.dir), List.of(t.dirKey))) {
            make.run(at.at(0, t.name));
        }
    }

    private static void remove(SecureDirectoryStream<Path> dir, Path name, BasicFileAttributes a) {
        try {
            if (a.isDirectory()) {
                dir.deleteDirectory(name);
            } else {
                dir.deleteFile(name);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the failure being reported matters more
        }
    }


    private static Set<PosixFilePermission> permissionSet(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        perms.addAll(NioSyscalls.permissions(mode).value());
        return perms;
    }
}
