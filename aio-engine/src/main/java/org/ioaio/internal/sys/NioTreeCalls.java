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

import static org.ioaio.AioConstants.DT_DIR;
import static org.ioaio.AioConstants.DT_LNK;
import static org.ioaio.AioConstants.DT_REG;
import static org.ioaio.AioConstants.DT_UNKNOWN;
import static org.ioaio.AioConstants.O_ACCMODE;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.S_IFDIR;
import static org.ioaio.AioConstants.S_IFLNK;
import static org.ioaio.AioConstants.S_IFMT;
import static org.ioaio.AioConstants.S_IFREG;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;

/**
 * The portable layer's held directories ({@link TreeDir}): a JDK {@link SecureDirectoryStream},
 * which on Linux is a directory descriptor with {@code openat}, {@code fstatat}, {@code unlinkat}
 * relative to it. What it offers is done relative to the descriptor; the rest as close as
 * {@code java.nio} allows:
 *
 * <ul>
 *   <li><b>Relative, race-free</b>: opening a subdirectory ({@code O_NOFOLLOW}), reading it, the
 *       type and identity of an entry ({@code fstatat(AT_SYMLINK_NOFOLLOW)}), unlinking and
 *       removing entries, opening files ({@code O_NOFOLLOW}).
 *   <li><b>By path, checked</b>: the numbers the JDK gives only by path ({@code st_ino}, {@code
 *       st_nlink}, {@code st_mode}'s special types, owner ids) are read by the directory's path and
 *       used only if that path still leads to the entry found relative to the descriptor;
 *       otherwise a stat falls back to what the descriptor tells (owner unknown: -1), and {@link
 *       #fstatDir} fails with ESTALE. {@code readlink} likewise.
 *   <li><b>Through the descriptor, named by path</b>: the JDK has no {@code mkdirat}, {@code
 *       symlinkat}, {@code mknodat}: these create {@code /proc/self/fd/N/name}, where {@code N}
 *       is a descriptor of the held directory opened for the call ({@link ProcFdAnchors}); the
 *       kernel resolves that from the descriptor, so a directory swapped for a symlink changes
 *       nothing. Where there is no {@code /proc/self/fdinfo} (not Linux), by the directory's path,
 *       after checking it leads to the held directory ({@link DirectoryHandle#locate}): a
 *       directory swapped for a symlink between the check and the call can redirect that one
 *       creation (an empty directory or a symlink, never content), reported as EAGAIN.
 *   <li><b>A window</b>: the JDK opens without {@code O_DIRECTORY} and {@code O_NONBLOCK}: a
 *       FIFO swapped in between the type check and the open blocks that worker until a writer
 *       comes.
 * </ul>
 *
 * Where the JDK has no secure directory streams (not Linux or the BSDs), every call goes by path,
 * without {@code O_NOFOLLOW} for intermediate components: the old windows remain there.
 */
final class NioTreeCalls {

    private static final LinkOption[] FOLLOW = {};
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Path DOT = Path.of(".");
    private static final String UNIX_ALL = NioSyscalls.STAT_ATTRIBUTES + ",fileKey";

    private NioTreeCalls() {}

    /** A held directory of the portable layer. */
    static final class NioTreeDir extends TreeDir {
        /** The descriptor, or {@code null} where the JDK has no secure directory streams. */
        final SecureDirectoryStream<Path> sds;
        /**
         * Opened through a jail (and what is opened below it): the files opened in it change
         * their attributes only through their own descriptor ({@link NioFileHandle#anchored}).
         */
        final boolean confined;
        private final AtomicBoolean closed = new AtomicBoolean();

        NioTreeDir(Path path, Object key, SecureDirectoryStream<Path> sds, boolean confined) {
            super(path, key);
            this.sds = sds;
            this.confined = confined;
        }

        SecureDirectoryStream<Path> stream() throws SyscallException {
            if (closed.get()) {
                throw new SyscallException(Errno.EBADF);
            }
            return sds;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true) && sds != null) {
                try {
                    sds.close();
                } catch (IOException e) {
                    // a directory: nothing written, nothing to report
                }
            }
        }
    }

    static NioTreeDir own(TreeDir d) throws SyscallException {
        if (d instanceof NioTreeDir n) {
            n.stream();
            return n;
        }
        throw new SyscallException(Errno.EBADF);
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens {@code p}: its type checked first (ENOTDIR, ELOOP as open(2) with {@code O_DIRECTORY}
     * would say), then opened as {@code p/.} ({@link DirectoryHandle#openByPath}: a FIFO swapped in
     * meanwhile fails with ENOTDIR instead of holding the worker until a writer comes), and kept
     * only if what was opened is what was checked (with {@code follow} false: the directory itself,
     * not a symlink swapped in; ELOOP otherwise).
     */
    static TreeDir openDir(Path p, boolean follow) throws SyscallException {
        return NioSyscalls.io(() -> {
            BasicFileAttributes before;
            try {
                before = Files.readAttributes(p, BasicFileAttributes.class, follow ? FOLLOW : NOFOLLOW);
            } catch (NoSuchFileException e) {
                throw NioSyscalls.notFound(p, e); // ENOTDIR for "file/below", as stat(2)
            }
            if (before.isSymbolicLink()) {
                throw new SyscallException(Errno.ELOOP);
            }
            if (!before.isDirectory()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            DirectoryStream<Path> ds = DirectoryHandle.openByPath(p); // a FIFO swapped in since: ENOTDIR, not a wait
            if (!(ds instanceof SecureDirectoryStream<Path> sds)) {
                ds.close();
                return new NioTreeDir(p, before.fileKey(), null, false);
            }
            Object key;
            try {
                key = DirectoryHandle.keyOf(sds);
            } catch (IOException | RuntimeException e) {
                sds.close();
                throw e;
            }
            if (before.fileKey() != null && !before.fileKey().equals(key)) {
                sds.close();
                throw new SyscallException(follow ? Errno.EAGAIN : Errno.ELOOP); // swapped meanwhile
            }
            return new NioTreeDir(p, key, sds, false);
        });
    }

    /**
     * A subdirectory opened relative to {@code dir}, after {@code fstatat}, as {@code name/.} and
     * checked by its key ({@link DirectoryHandle#openIn}; see {@link #openDir}).
     */
    static TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        NioTreeDir d = own(dir);
        if (d.sds == null) {
            return openDir(d.path().resolve(name), false);
        }
        return NioSyscalls.io(() -> {
            // ELOOP, ENOTDIR before any open (the JDK would leak a descriptor opening a file); a FIFO
            // swapped in since: ENOTDIR, not a wait; a symlink: followed, then refused by its key
            DirectoryHandle.Opened sub = DirectoryHandle.openIn(d.sds, name, false, null);
            return new NioTreeDir(d.path().resolve(name), sub.key(), sub.stream(), d.confined);
        });
    }

    private static BasicFileAttributes attrs(SecureDirectoryStream<Path> sds, Path name, boolean follow) throws IOException {
        return sds.getFileAttributeView(name, BasicFileAttributeView.class, follow ? FOLLOW : NOFOLLOW).readAttributes();
    }

    // ---------------------------------------------------------------- status

    /** {@code fstat}: by the directory's path, only if it still leads there (ESTALE otherwise). */
    static FileStat fstatDir(NioSyscalls layer, TreeDir dir) throws SyscallException {
        NioTreeDir d = own(dir);
        return NioSyscalls.io(() -> {
            Map<String, Object> a = null;
            try {
                a = Files.readAttributes(d.path(), UNIX_ALL, FOLLOW);
            } catch (IOException e) {
                // moved, replaced or removed: found again below
            }
            Path p = d.path();
            if ((a == null || !d.identity().equals(a.get("fileKey"))) && d.sds != null) {
                p = DirectoryHandle.locate(d.sds, d.identity(), null); // ENOENT once removed
                a = Files.readAttributes(p, UNIX_ALL, NOFOLLOW);
            }
            if (a == null || !d.identity().equals(a.get("fileKey"))) {
                throw new SyscallException(Errno.ESTALE); // the path cannot tell
            }
            return layer.toStat(p, a, -1);
        });
    }

    /** {@code fstatat(AT_SYMLINK_NOFOLLOW)}; numbers by path where the path leads to the same entry. */
    static FileStat lstatAt(NioSyscalls layer, TreeDir dir, Path name) throws SyscallException {
        NioTreeDir d = own(dir);
        Path p = d.path().resolve(name);
        if (d.sds == null) {
            return layer.lstat(p);
        }
        return NioSyscalls.io(() -> {
            PosixFileAttributes rel = d.sds.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
            try {
                Map<String, Object> a = Files.readAttributes(p, UNIX_ALL, NOFOLLOW);
                if (rel.fileKey() != null && rel.fileKey().equals(a.get("fileKey"))) {
                    return layer.toStat(p, a, -1);
                }
            } catch (IOException e) {
                // the path leads nowhere now: what the descriptor tells
            }
            return approximate(rel);
        });
    }

    /** A status from what the descriptor tells: no inode numbers, owner -1, special types unknown. */
    private static FileStat approximate(PosixFileAttributes a) {
        int type = a.isDirectory() ? S_IFDIR : a.isSymbolicLink() ? S_IFLNK : a.isRegularFile() ? S_IFREG : 0;
        int mode = type;
        for (PosixFilePermission p : a.permissions()) {
            mode |= 0400 >>> p.ordinal();
        }
        long m = a.lastModifiedTime().toMillis();
        long at = a.lastAccessTime().toMillis();
        return new FileStat(0, 0, mode, 1, -1, -1, 0, a.size(), Math.floorDiv(at, 1000),
                Math.floorMod(at, 1000) * 1_000_000, Math.floorDiv(m, 1000), Math.floorMod(m, 1000) * 1_000_000,
                Math.floorDiv(m, 1000), 0, 4096, (a.size() + 511) / 512);
    }

    /** A directory the caller can search: {@code fstatat(name)} is one, and {@code fstatat("name/.")} succeeds and is it. */
    static FileStat searchDirAt(NioSyscalls layer, TreeDir dir, Path name) throws SyscallException {
        NioTreeDir d = own(dir);
        if (d.sds == null) {
            FileStat st = layer.lstat(d.path().resolve(name));
            if (!st.isDirectory()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            layer.stat(d.path().resolve(name).resolve(DOT));
            return st;
        }
        return NioSyscalls.io(() -> {
            PosixFileAttributes a = d.sds.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
            if (a.isSymbolicLink()) {
                throw new SyscallException(Errno.ELOOP);
            }
            if (!a.isDirectory()) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            // "name/." needs search permission on name; if name was swapped for a symlink since,
            // the keys differ (only a status is read through it)
            Object inner = attrs(d.sds, name.resolve(DOT), true).fileKey();
            if (a.fileKey() != null && !a.fileKey().equals(inner)) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            return approximate(a);
        });
    }

    // ---------------------------------------------------------------- listing

    /**
     * Reads the directory through a new stream of it ({@code openat(dir, ".")}: a stream can be
     * iterated once); types by {@code fstatat} relative to it, inode numbers by path where the path
     * leads to the same entry (else 0).
     */
    static List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        NioTreeDir d = own(dir);
        return NioSyscalls.io(() -> {
            List<DirEntry> out = new ArrayList<>();
            SecureDirectoryStream<Path> own = null;
            DirectoryStream<Path> ds;
            if (d.sds != null) {
                own = d.sds.newDirectoryStream(DOT, NOFOLLOW);
                ds = own;
            } else {
                ds = DirectoryHandle.openByPath(d.path());
            }
            try (ds) {
                for (Path entry : ds) {
                    Path name = entry.getFileName();
                    if (!types) {
                        out.add(new DirEntry(name, DT_UNKNOWN, 0));
                        continue;
                    }
                    out.add(typed(own, d.path(), name));
                }
            }
            return out;
        });
    }

    /** One entry with its type (relative to {@code sds}) and inode (by path, checked). */
    static DirEntry typed(SecureDirectoryStream<Path> sds, Path dirPath, Path name) {
        Path p = dirPath.resolve(name);
        BasicFileAttributes rel;
        try {
            rel = sds != null ? attrs(sds, name, false) : Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (IOException | RuntimeException e) {
            return new DirEntry(name, DT_UNKNOWN, 0); // vanished or not searchable, as getdents' DT_UNKNOWN
        }
        int type = rel.isDirectory() ? DT_DIR : rel.isSymbolicLink() ? DT_LNK : rel.isRegularFile() ? DT_REG : DT_UNKNOWN;
        long ino = 0;
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,fileKey", NOFOLLOW);
            if (rel.fileKey() != null && rel.fileKey().equals(a.get("fileKey"))) {
                ino = ((Number) a.get("ino")).longValue();
                if (type == DT_UNKNOWN) {
                    type = (((Number) a.get("mode")).intValue() & S_IFMT) >>> 12;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no inode: 0, as an unknown one
        }
        return new DirEntry(name, type, ino);
    }

    // ---------------------------------------------------------------- names

    static int unlinkAt(NioSyscalls layer, TreeDir dir, Path name, boolean directory) throws SyscallException {
        NioTreeDir d = own(dir);
        if (d.sds == null) {
            return directory ? layer.rmdir(d.path().resolve(name)) : layer.unlink(d.path().resolve(name));
        }
        return NioSyscalls.io(() -> {
            if (directory) {
                d.sds.deleteDirectory(name);
            } else {
                d.sds.deleteFile(name);
            }
            return 0;
        });
    }

    /** The directory's path now, checked to lead to it (see the class comment: a window remains where it is used). */
    private static Path checkedPath(NioTreeDir d) throws SyscallException {
        if (d.sds == null) {
            return d.path();
        }
        return DirectoryHandle.locate(d.sds, d.identity(), d.path());
    }

    /** After a creation by path: the name must now be there relative to the descriptor, else EAGAIN. */
    private static void checkCreated(NioTreeDir d, Path name) throws SyscallException {
        if (d.sds == null) {
            return;
        }
        try {
            attrs(d.sds, name, false);
        } catch (IOException e) {
            throw new SyscallException(Errno.EAGAIN.code(), e); // the path led elsewhere for that instant
        }
    }

    /**
     * Creates {@code name} in the held directory with {@code make}, which creates at a path: the
     * name through a descriptor of the directory ({@link ProcFdAnchors}); where the process cannot
     * name one so, by the directory's checked path (see the class comment: a window remains).
     */
    private static int createAt(TreeDir dir, Path name, DirectorySyscalls.PathAction make) throws SyscallException {
        NioTreeDir d = own(dir);
        ProcFdAnchors anchors = null;
        if (d.sds != null) {
            try {
                anchors = NioSyscalls.io(() -> ProcFdAnchors.open(List.of(d.sds), List.of(d.identity())));
            } catch (SyscallException e) {
                if (e.errno() != Errno.EOPNOTSUPP.code()) {
                    throw e;
                }
            }
        }
        if (anchors != null) {
            try (ProcFdAnchors at = anchors) {
                return NioSyscalls.run(() -> make.run(at.at(0, name)));
            }
        }
        NioSyscalls.run(() -> make.run(checkedPath(d).resolve(name)));
        checkCreated(d, name);
        return 0;
    }

    static int mkdirAt(NioSyscalls layer, TreeDir dir, Path name, int mode) throws SyscallException {
        return createAt(dir, name, p -> layer.mkdir(p, mode));
    }

    static int symlinkAt(NioSyscalls layer, Path target, TreeDir dir, Path name) throws SyscallException {
        return createAt(dir, name, p -> layer.symlink(target, p));
    }

    static int mknodAt(NioSyscalls layer, TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        return createAt(dir, name, p -> layer.mknod(p, mode, dev));
    }

    /** {@code readlink} by path, accepted only if the path led to the symlink the descriptor sees. */
    static Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        NioTreeDir d = own(dir);
        return NioSyscalls.io(() -> {
            Object key = null;
            if (d.sds != null) {
                BasicFileAttributes a = attrs(d.sds, name, false);
                if (!a.isSymbolicLink()) {
                    throw new SyscallException(Errno.EINVAL);
                }
                key = a.fileKey();
            }
            Path p = checkedPath(d).resolve(name);
            Path content = Files.readSymbolicLink(p);
            if (key != null && !key.equals(Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey())) {
                throw new SyscallException(Errno.EAGAIN);
            }
            return content;
        });
    }

    /**
     * {@code openat(O_NOFOLLOW)} of a file: the JDK's {@code newByteChannel} relative to the
     * descriptor. Access mode, {@code O_CREAT}, {@code O_EXCL}, {@code O_TRUNC} are honoured; a
     * FIFO, socket or device is refused with EINVAL before it is opened (the JDK's open would
     * block on a FIFO). The handle's {@code f*} calls that java.nio makes only by path go through
     * its own descriptor ({@link NioFileHandle#anchored}); without {@code /proc}, by the
     * directory's path, checked by identity (ESTALE if it moved).
     */
    static FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        NioTreeDir d = own(dir);
        Path p = d.path().resolve(name);
        int access = flags & O_ACCMODE;
        boolean readable = access != O_WRONLY;
        boolean writable = access != O_RDONLY;
        boolean create = (flags & O_CREAT) != 0;
        return NioSyscalls.io(() -> {
            if (d.sds == null) {
                throw new SyscallException(Errno.ENOSYS);
            }
            if (!(create && (flags & O_EXCL) != 0)) {
                try {
                    BasicFileAttributes a = attrs(d.sds, name, false);
                    if (a.isSymbolicLink()) {
                        throw new SyscallException(Errno.ELOOP);
                    }
                    if (a.isOther()) {
                        throw new SyscallException(Errno.EINVAL);
                    }
                    if (a.isDirectory() && (writable || (flags & O_DIRECTORY) == 0 && !name.equals(DOT))) {
                        throw new SyscallException(Errno.EISDIR);
                    }
                } catch (NoSuchFileException e) {
                    if (!create) {
                        throw e;
                    }
                }
            }
            Set<OpenOption> options = new HashSet<>();
            options.add(LinkOption.NOFOLLOW_LINKS);
            if (readable) {
                options.add(StandardOpenOption.READ);
            }
            if (writable) {
                options.add(StandardOpenOption.WRITE);
                if (create) {
                    options.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
                }
                if ((flags & O_TRUNC) != 0) {
                    options.add(StandardOpenOption.TRUNCATE_EXISTING);
                }
            }
            FileAttribute<?>[] attributes = create && writable
                    ? new FileAttribute<?>[] {NioSyscalls.permissions(mode)} : new FileAttribute<?>[0];
            FileChannel ch = (FileChannel) d.sds.newByteChannel(name, options, attributes);
            long dev = -1;
            long ino = -1;
            try {
                Object key = attrs(d.sds, name, false).fileKey();
                Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,fileKey", NOFOLLOW);
                if (key != null && key.equals(a.get("fileKey"))) {
                    dev = ((Number) a.get("dev")).longValue();
                    ino = ((Number) a.get("ino")).longValue();
                }
            } catch (IOException | RuntimeException e) {
                // its path-based f*-calls will fail with ESTALE
            }
            NioFileHandle h = new NioFileHandle(p, flags | O_NOFOLLOW, ch, null, readable, writable, false, dev, ino);
            h.changesByPath = !d.confined; // a tree's many files: see NioFileHandle#changesByPath
            return h;
        });
    }
}
