package org.ioaio.internal.sys;

import static org.ioaio.AioConstants.AT_SYMLINK_NOFOLLOW;
import static org.ioaio.AioConstants.O_ACCMODE;
import static org.ioaio.AioConstants.O_APPEND;
import static org.ioaio.AioConstants.O_ASYNC;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_DSYNC;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_SYNC;
import static org.ioaio.AioConstants.O_TMPFILE;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.AioConstants.RENAME_EXCHANGE;
import static org.ioaio.AioConstants.RENAME_NOREPLACE;
import static org.ioaio.AioConstants.RENAME_WHITEOUT;
import static org.ioaio.AioConstants.S_IFBLK;
import static org.ioaio.AioConstants.S_IFCHR;
import static org.ioaio.AioConstants.S_IFIFO;
import static org.ioaio.AioConstants.S_IFMT;
import static org.ioaio.AioConstants.S_IFREG;
import static org.ioaio.AioConstants.S_IFSOCK;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;

/**
 * The syscall layer of an engine view made by {@code AioEngine.in(wd)}: a decorator that resolves
 * every path argument against a working directory ({@link DirectoryHandle}) and passes every call
 * on an open file straight to the wrapped layer. This is IO::AIO's {@code [$wd, $path]}.
 *
 * <h2>An ordinary working directory</h2>
 * An absolute path ignores it (IO::AIO) and goes to the wrapped layer unchanged. A relative path
 * is resolved {@code openat}-style, relative to the directory's descriptor, by the calls the JDK
 * offers on a {@link SecureDirectoryStream}: {@code open}, {@code stat}/{@code lstat}, {@code
 * unlink}, {@code rmdir}, {@code rename}, {@code truncate}, {@code readdir}. Those keep acting on
 * the directory that was opened when its path is renamed or replaced. The JDK has no {@code
 * mkdirat}, {@code symlinkat}, {@code linkat}, {@code readlinkat}, {@code mknodat} and no
 * path-relative {@code statvfs}, and its descriptor-relative {@code utime}/{@code chown}/{@code
 * chmod} open the file (which blocks on a FIFO, may need read permission where the syscall does
 * not, and cannot set set-id bits): so {@code mkdir}, {@code symlink}, {@code link}, {@code
 * readlink}, {@code realpath}, {@code statvfs}, {@code utime}, {@code chown}, {@code chmod},
 * {@code mknod}, {@code rename2} with flags and {@code readdirDents} use an absolute path, as
 * IO::AIO's {@code aio_statvfs} always and its {@code aio_rename} sometimes do. Unlike IO::AIO's,
 * that path is the directory's path <em>now</em> ({@link DirectoryHandle#locate}), so a renamed
 * working directory is followed by these too. {@code rmdir} of {@code "."}, and {@code rename} or
 * {@code rename2} from {@code "."}, act on the directory itself by that path, as IO::AIO
 * special-cases {@code [$wd, "."]} for them (not in a jail). {@code stat} reads the numbers the
 * JDK only gives by path ({@code st_ino}, {@code st_nlink}, ...) by path, and returns them only if
 * they are those of the file the descriptor found (same {@code st_dev}/{@code st_ino}).
 *
 * <h2>A jail</h2>
 * No path may leave the directory. Where the wrapped layer can ask the kernel ({@link
 * Syscalls#beneath}: the native layer, with {@code openat2(2)}), every path call of a jail is its
 * {@link BeneathSyscalls}: {@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}
 * resolves the path (or its parent, for calls that do not follow a final symlink) from a
 * descriptor of the jail's directory, and the call acts on what it resolved; none of the windows
 * listed below remain. Where it cannot (the portable layer; {@code beneath} fails with ENOSYS, as
 * on a kernel without {@code openat2}), the jail is walked here, as follows, with the same errnos.
 *
 * <p>The walk follows {@code openat2(2)} with {@code
 * RESOLVE_BENEATH}, so that the native layer can give identical answers: an absolute path, an
 * absolute symlink, and a {@code ..} that would climb above the jail's root (at any point, even if
 * later components would come back) fail with <b>EXDEV</b>, the errno {@code RESOLVE_BENEATH}
 * uses. The walk is done here, one component at a time: each component is looked at with {@code
 * fstatat} relative to the directory reached so far and, if a directory, opened relative to it
 * with {@code O_NOFOLLOW}, so what is checked is what is used (a symlink swapped in between makes
 * that open fail with ELOOP, and the component is looked at again). A symlink component is read
 * and its target walked from the symlink's directory; more than {@value #MAX_SYMLINKS} symlinks
 * fail with ELOOP (Linux's limit). A {@code ..} goes back to the directory walked through, checked to be
 * the current parent of where the walk is (EAGAIN if it was moved meanwhile, as {@code openat2}).
 * The last component is then used relative to its directory's descriptor without following
 * symlinks: a symlink swapped in after the walk makes the call fail (ELOOP or EAGAIN), never act
 * outside. Requests are resolved when they execute, so a symlink swapped in while a request was
 * queued is seen by its walk.
 *
 * <p>What the JDK cannot do relative to a descriptor is done so that it cannot act outside, or
 * else with the narrowest check the JDK allows, documented here:
 * <ul>
 *   <li>{@code mkdir} and {@code symlink} create the new name under a random name in the jail's
 *       root (whose path is trusted: whoever can rename the jail's ancestors is outside it) and
 *       {@code renameat} it into place: nothing can be created outside. The root must be
 *       writable; where it is not, or the target is on another mount, the name is created by
 *       path after checking the path leads to the walked directory, and checked afterwards (a
 *       concurrent rename inside the jail can still redirect that creation).
 *   <li>{@code link}: the existing file is linked by path into the jail's root, checked to be the
 *       file the walk found, then renamed into place (or removed, EXDEV). A concurrent rename
 *       inside the jail can, for that instant, put a link to an outside file under the random
 *       name in the jail's root; it never reaches the requested name.
 *   <li>{@code readlink}, {@code statvfs}, {@code readdirDents}, {@code stat}'s numbers: read by path
 *       and used only if the path still leads to what the walk found.
 *   <li>{@code utime}, {@code chown}, {@code chmod}: through the descriptor ({@code O_NOFOLLOW}),
 *       except for FIFOs, devices and sockets (opening those blocks or has effects), an unreadable
 *       file, and set-id or sticky bits: then by path, between two checks that the path leads to
 *       what the walk found (a window remains between the check and the call).
 *   <li>{@code rename2} with {@code RENAME_NOREPLACE}: {@code fstatat} then {@code renameat}; a
 *       name created inside the jail in between is replaced. EXCHANGE and WHITEOUT: ENOSYS.
 * </ul>
 * Symlinks may be created in a jail with any target (it is data); no request through the jail
 * follows one out. A hard link to an outside file that already exists inside is the file's own
 * name inside: it is used (a jail confines names, not inodes, as {@code openat2} does).
 * Every directory on a jailed path must be readable: the JDK opens each one {@code O_RDONLY}
 * where the kernel's walk needs only search permission (a native walk would use {@code O_PATH}).
 * Files opened through a jail are ordinary {@link FileHandle}s: on the portable layer their
 * {@code f*} calls are path-based, identity-checked emulations ({@link NioSyscalls}), not the
 * jail's walk. Where the JDK's descriptor-relative {@code utime} uses {@code futimes} (JDK 17),
 * times set through it have microsecond precision.
 *
 * <h2>Wrapped layers</h2>
 * Over the portable layer (maybe fault-injected), {@code open} opens relative to the descriptor
 * and returns the portable layer's handle. A layer with handles of its own (the native one) cannot
 * be given a descriptor-relative open by the JDK, so there {@code open} does what changes the
 * file system ({@code O_CREAT}, {@code O_TRUNC}) through the descriptor, has the wrapped layer
 * open the checked path without those flags, and keeps the handle only if {@code fstat} says it
 * is the file the descriptor found (EAGAIN otherwise): the result is the same, but a concurrent
 * rename can make that open touch (open, not change) another file for an instant. Every other
 * call is layer-independent; {@code stat}'s {@code st_blksize}/{@code st_blocks} are the portable
 * layer's (see {@link org.ioaio.FileStat}).
 *
 * <p>Thread-safe, as the working directory is.
 */
public final class WorkingDirectorySyscalls extends ForwardingSyscalls {

    /** Symlinks a jailed resolution follows at most (Linux's {@code MAXSYMLINKS}); one more is ELOOP. */
    public static final int MAX_SYMLINKS = 40;
    /** How often a resolution is retried when a name changed between two looks at it. */
    private static final int RETRIES = 3;
    /** The prefix of the names {@code mkdir}, {@code symlink} and {@code link} stage in a jail's root. */
    static final String STAGING_PREFIX = ".aio-jail-";

    private static final LinkOption[] FOLLOW = {};
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final FileAttribute<?>[] NO_ATTRIBUTES = {};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Syscalls delegate;
    private final DirectoryHandle wd;
    /** Stat conversion and the block size cache: the wrapped layer itself when it is the portable one. */
    private final NioSyscalls nio;
    /** Whether the wrapped layer takes {@link NioFileHandle}s (it is the portable layer, maybe fault-injected). */
    private final boolean portable;
    /** A jail's calls resolved by the kernel ({@link #kernel()}), once asked for; {@code null} before. */
    private volatile BeneathSyscalls kernel;
    /** Set once the wrapped layer said it cannot resolve beneath a directory (ENOSYS): the walk here is used. */
    private volatile boolean walkHere;

    /**
     * Resolves paths against {@code wd} and passes the calls to {@code delegate}.
     *
     * @param delegate the engine's own layer
     * @param wd the working directory (closed by its owner, not by this)
     */
    public WorkingDirectorySyscalls(Syscalls delegate, DirectoryHandle wd) {
        if (delegate == null || wd == null) {
            throw new IllegalArgumentException("delegate and wd must not be null");
        }
        this.delegate = delegate;
        this.wd = wd;
        this.nio = delegate instanceof NioSyscalls n ? n : new NioSyscalls();
        this.portable = isPortable(delegate);
    }

    private static boolean isPortable(Syscalls s) {
        Syscalls layer = s;
        while (layer instanceof FaultInjectingSyscalls f) {
            layer = f.delegate();
        }
        return layer.getClass() == NioSyscalls.class;
    }

    /** The working directory paths are resolved against. */
    public DirectoryHandle workingDirectory() {
        return wd;
    }

    /** The wrapped layer: calls on open files and held directories go to it as they are. */
    @Override
    public Syscalls delegate() {
        return delegate;
    }

    /**
     * Whether this jail's paths are resolved by the kernel ({@link Syscalls#beneath}) rather than
     * walked here; asks the wrapped layer the first time.
     *
     * @return {@code true} for a jail over a layer with {@code openat2}; {@code false} otherwise
     * @throws SyscallException EBADF once the working directory is closed
     */
    public boolean resolvesInKernel() throws SyscallException {
        return kernel() != null;
    }

    /**
     * A jail's calls resolved by the kernel, or {@code null}: not a jail, or the wrapped layer cannot
     * ({@code beneath} failed with ENOSYS, remembered). Asked once, when the first call executes.
     */
    private BeneathSyscalls kernel() throws SyscallException {
        if (!wd.isJail() || walkHere) {
            return null;
        }
        BeneathSyscalls k = kernel;
        if (k == null) {
            try {
                k = delegate.beneath(wd);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOSYS.code()) {
                    throw e; // EBADF (closed), or the directory could not be opened: the call fails
                }
                walkHere = true;
                return null;
            }
            kernel = k;
        }
        return k;
    }

    // ================================================================ pathnames as given
    // A jail resolved by the kernel gets the name as given (its bytes reach the kernel); otherwise
    // the interface's defaults give a trailing slash its meaning over this layer's own calls.
    /** {@inheritDoc} */
    @Override
    public FileHandle open(Pathname name, int flags, int mode) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.open(name, flags, mode) : super.open(name, flags, mode);
    }
    /** {@inheritDoc} */
    @Override
    public FileStat stat(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.stat(name) : super.stat(name);
    }
    /** {@inheritDoc} */
    @Override
    public FileStat lstat(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.lstat(name) : super.lstat(name);
    }
    /** {@inheritDoc} */
    @Override
    public FileStat statx(Pathname name, int flags, int mask) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.statx(name, flags, mask) : super.statx(name, flags, mask);
    }
    /** {@inheritDoc} */
    @Override
    public StatVfs statvfs(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.statvfs(name) : super.statvfs(name);
    }
    /** {@inheritDoc} */
    @Override
    public int utime(Pathname name, Instant atime, Instant mtime) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.utime(name, atime, mtime) : super.utime(name, atime, mtime);
    }
    /** {@inheritDoc} */
    @Override
    public int chown(Pathname name, int uid, int gid) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.chown(name, uid, gid) : super.chown(name, uid, gid);
    }
    /** {@inheritDoc} */
    @Override
    public int chmod(Pathname name, int mode) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.chmod(name, mode) : super.chmod(name, mode);
    }
    /** {@inheritDoc} */
    @Override
    public int truncate(Pathname name, long length) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.truncate(name, length) : super.truncate(name, length);
    }
    /** {@inheritDoc} */
    @Override
    public int unlink(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.unlink(name) : super.unlink(name);
    }
    /** {@inheritDoc} */
    @Override
    public int mknod(Pathname name, int mode, long dev) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.mknod(name, mode, dev) : super.mknod(name, mode, dev);
    }
    /** {@inheritDoc} */
    @Override
    public int link(Pathname existing, Pathname newName) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.link(existing, newName) : super.link(existing, newName);
    }
    /** {@inheritDoc} */
    @Override
    public int symlink(Pathname target, Pathname linkName) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.symlink(target, linkName) : super.symlink(target, linkName);
    }
    /** {@inheritDoc} */
    @Override
    public Pathname readlink(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.readlink(name) : super.readlink(name);
    }
    /** {@inheritDoc} */
    @Override
    public int mkdir(Pathname name, int mode) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.mkdir(name, mode) : super.mkdir(name, mode);
    }
    /** {@inheritDoc} */
    @Override
    public List<Path> readdir(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.readdir(name) : super.readdir(name);
    }
    /** {@inheritDoc} */
    @Override
    public List<DirEntry> readdirDents(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        return k != null ? k.readdirDents(name) : super.readdirDents(name);
    }
    /**
     * {@inheritDoc} Only exactly {@code "."} is IO::AIO's {@code [$wd, "."]}: any other spelling of
     * it ({@code "./"}) is EINVAL, as {@code rmdir(2)} relative to the directory answers.
     */
    @Override
    public int rmdir(Pathname name) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.rmdir(name);
        }
        if (!name.text().equals(".") && itself(name.path())) {
            throw new SyscallException(Errno.EINVAL);
        }
        return super.rmdir(name);
    }

    /** {@inheritDoc} As {@link #rmdir(Pathname)}: renaming {@code "./"} is EBUSY, as {@code renameat(2)} answers. */
    @Override
    public int rename(Pathname from, Pathname to) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.rename(from, to);
        }
        if (!from.text().equals(".") && itself(from.path())) {
            throw new SyscallException(Errno.EBUSY);
        }
        return super.rename(from, to);
    }

    /** {@inheritDoc} As {@link #rename(Pathname, Pathname)}. */
    @Override
    public int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.rename2(from, to, flags);
        }
        if (!from.text().equals(".") && itself(from.path())) {
            throw new SyscallException(Errno.EBUSY);
        }
        return super.rename2(from, to, flags);
    }

    // ================================================================ resolution

    /**
     * Where a path argument leads: a name relative to an open directory. For an ordinary working
     * directory the name is the whole relative path (the kernel resolves it); in a jail, one
     * component (never {@code ..}), or {@code .} for the directory itself.
     */
    private final class Target implements AutoCloseable {
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

        @Override
        public void close() {
            if (owned) {
                closeQuietly(dir);
                owned = false;
            }
        }
    }

    /**
     * Resolves a path argument.
     *
     * @param path the argument
     * @param followFinal whether a symlink as last component is followed (in a jail, by the walk)
     * @return the target, or {@code null} when the wrapped layer should get {@link #abs(Path)}:
     *     an absolute path outside a jail, or a working directory without a descriptor
     * @throws SyscallException EBADF (closed), ENOENT (empty), EXDEV (escapes a jail), and the
     *     walk's errors
     */
    private Target target(Path path, boolean followFinal) throws SyscallException {
        SecureDirectoryStream<Path> root = wd.stream(); // EBADF once closed
        if (path.toString().isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        if (!wd.isJail()) {
            if (path.isAbsolute() || root == null) {
                return null;
            }
            Target t = new Target();
            t.dir = root;
            t.dirKey = wd.key();
            t.name = path;
            return t;
        }
        if (path.isAbsolute()) {
            throw new SyscallException(Errno.EXDEV);
        }
        return walk(root, path, followFinal);
    }

    /** The absolute path for the wrapped layer (ordinary working directories only). */
    private Path abs(Path path) throws SyscallException {
        if (wd.isJail()) {
            throw new IllegalStateException("a jail never resolves by path");
        }
        wd.stream(); // EBADF once closed
        if (path.toString().isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        return path.isAbsolute() ? path : wd.locate().resolve(path);
    }

    /** The jail's walk (see the class comment). */
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
                    if (!attributes(t.dir, c, false).isSymbolicLink()) {
                        SecureDirectoryStream<Path> next;
                        try {
                            next = openDirectory(t.dir, c, false);
                        } catch (IOException e) {
                            if (ErrnoMapper.errno(e) != Errno.ELOOP.code() || ++hops > MAX_SYMLINKS) {
                                throw e; // ENOTDIR, EACCES...
                            }
                            todo.addFirst(c); // O_NOFOLLOW met a symlink swapped in: look again
                            continue;
                        }
                        Object nextKey;
                        try {
                            nextKey = DirectoryHandle.keyOf(next);
                        } catch (IOException | RuntimeException e) {
                            closeQuietly(next);
                            throw e;
                        }
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
                throw fail(r);
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * Opens a working directory relative to this one ({@code aio_wd [$wd, $path]}); one made
     * through a jail is a jail (the jail's walk resolves it, so it is inside).
     *
     * @param path the directory (absolute: ignores an ordinary working directory)
     * @param jail whether the new one is a jail
     * @return the open directory
     * @throws SyscallException as {@link DirectoryHandle#open}, and EXDEV for an escape
     */
    public DirectoryHandle openDirectory(Path path, boolean jail) throws SyscallException {
        boolean confined = jail || wd.isJail();
        BeneathSyscalls k = kernel();
        if (k != null) {
            SecureDirectoryStream<Path> ds = k.openDirectory(path);
            try {
                Object key = DirectoryHandle.keyOf(ds);
                Path candidate;
                try {
                    candidate = k.realpath(path);
                } catch (SyscallException e) {
                    candidate = null; // moved meanwhile: found by walking up from the stream
                }
                return new DirectoryHandle(DirectoryHandle.locate(ds, key, candidate), ds, key, true);
            } catch (IOException e) {
                closeQuietly(ds);
                throw ErrnoMapper.toSyscallException(e);
            } catch (SyscallException e) {
                closeQuietly(ds);
                throw e;
            } catch (RuntimeException e) {
                closeQuietly(ds);
                throw fail(e);
            }
        }
        Target t = target(path, true);
        if (t == null) {
            return DirectoryHandle.open(abs(path), confined);
        }
        try (t) {
            SecureDirectoryStream<Path> ds = openDirectory(t.dir, t.name, !wd.isJail());
            try {
                Object key = DirectoryHandle.keyOf(ds);
                Path located = DirectoryHandle.locate(ds, key, wd.isJail() ? t.path(true) : t.path(true).toRealPath());
                return new DirectoryHandle(located, ds, key, confined);
            } catch (IOException | SyscallException | RuntimeException e) {
                closeQuietly(ds);
                throw e;
            }
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    // ================================================================ descriptors

    /**
     * {@inheritDoc}
     *
     * <p>Relative to the directory's descriptor ({@code openat}), with {@link NioSyscalls}'s
     * emulations; in a jail the last component is opened with {@code O_NOFOLLOW} after the walk.
     * Set-id bits of a creation mode are set by path, checked.
     */
    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.open(path, flags, mode);
        }
        int access = flags & O_ACCMODE;
        if (access == O_ACCMODE || (flags & ~NioSyscalls.KNOWN_OPEN_FLAGS) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((flags & O_TMPFILE) == O_TMPFILE) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if ((flags & (O_PATH | O_ASYNC)) != 0) {
            throw new SyscallException(Errno.ENOSYS);
        }
        boolean create = (flags & O_CREAT) != 0;
        boolean exclusive = create && (flags & O_EXCL) != 0;
        boolean directory = (flags & O_DIRECTORY) != 0;
        if (create && directory) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((flags & O_DIRECT) != 0 && NioSyscalls.DIRECT == null) {
            throw new SyscallException(Errno.EINVAL);
        }
        // O_CREAT|O_EXCL never follows a final symlink (EEXIST), as open(2).
        boolean follow = (flags & O_NOFOLLOW) == 0 && !exclusive;
        Target t = target(path, follow);
        if (t == null) {
            return delegate.open(abs(path), flags, mode);
        }
        try (t) {
            boolean followHere = follow && !wd.isJail();
            return portable ? openAt(t, flags, mode, followHere) : openVerified(t, flags, mode, followHere);
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
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
        Set<OpenOption> options = new HashSet<>();
        if (readable) {
            options.add(StandardOpenOption.READ);
        }
        if (writable) {
            options.add(StandardOpenOption.WRITE);
            if (create) {
                options.add(exclusive ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
            }
            if (truncate) {
                options.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
        }
        Set<OpenOption> common = new HashSet<>();
        if ((flags & O_SYNC) == O_SYNC) {
            common.add(StandardOpenOption.SYNC);
        } else if ((flags & O_DSYNC) != 0) {
            common.add(StandardOpenOption.DSYNC);
        }
        if ((flags & O_DIRECT) != 0) {
            common.add(NioSyscalls.DIRECT);
        }
        addNoFollow(common, follow);
        options.addAll(common);
        FileChannel channel = (FileChannel) t.dir.newByteChannel(t.name, options,
                create && writable ? attributes : NO_ATTRIBUTES);
        FileChannel appender = null;
        try {
            if (append) {
                Set<OpenOption> appending = new HashSet<>(common);
                appending.add(StandardOpenOption.WRITE);
                appending.add(StandardOpenOption.APPEND);
                appender = (FileChannel) t.dir.newByteChannel(t.name, appending);
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
            int recorded = wd.isJail() ? flags | O_NOFOLLOW : flags; // f*-calls re-find it by path: not through a symlink
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

    private static void addNoFollow(Set<OpenOption> options, boolean follow) {
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
        if (a.isSymbolicLink()) {
            throw new SyscallException(Errno.ELOOP); // O_NOFOLLOW, or swapped in after a jail's walk
        }
        if (directory && !a.isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        if (a.isOther()) {
            throw new SyscallException(Errno.ENOSYS); // O_NONBLOCK on a FIFO or device: the JDK would block
        }
    }

    private static boolean exists(Target t) throws IOException {
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
        // Unknown: the handle works; its path-based f*-calls fail with ESTALE.
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
        BeneathSyscalls k = kernel();
        if (k != null) {
            return follow ? k.stat(path) : k.lstat(path);
        }
        Target t = target(path, follow);
        if (t == null) {
            return follow ? delegate.stat(abs(path)) : delegate.lstat(abs(path));
        }
        boolean followHere = follow && !wd.isJail(); // a jail's walk followed the final symlinks itself
        LinkOption[] links = followHere ? FOLLOW : NOFOLLOW;
        try (t) {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                BasicFileAttributes a = attempt == 0 && t.attrs != null ? t.attrs : t.stat(followHere);
                if (follow && wd.isJail() && a.isSymbolicLink()) {
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
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
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.statx(path, flags, mask);
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        Target t = target(path, follow);
        if (t == null) {
            return delegate.statx(abs(path), flags, mask);
        }
        boolean followHere = follow && !wd.isJail(); // a jail's walk followed the final symlinks itself
        LinkOption[] links = followHere ? FOLLOW : NOFOLLOW;
        int flagsHere = followHere ? flags : flags | AT_SYMLINK_NOFOLLOW;
        try (t) {
            for (int attempt = 0; attempt < RETRIES; attempt++) {
                BasicFileAttributes a = attempt == 0 && t.attrs != null ? t.attrs : t.stat(followHere);
                if (follow && wd.isJail() && a.isSymbolicLink()) {
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** {@inheritDoc} By absolute path (IO::AIO does the same); in a jail, checked to lead to what the walk found. */
    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.statvfs(path);
        }
        if (!wd.isJail()) {
            return delegate.statvfs(abs(path));
        }
        try (Target t = target(path, true)) {
            return checkedRead(t, delegate::statvfs);
        }
    }

    // ================================================================ attributes

    /**
     * {@inheritDoc}
     *
     * <p>By absolute path outside a jail; in a jail through the descriptor ({@code futimens} on the
     * file opened {@code O_NOFOLLOW}), or by path, checked, for FIFOs, devices, sockets and
     * unreadable files.
     */
    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.utime(path, atime, mtime);
        }
        if (!wd.isJail()) {
            return delegate.utime(abs(path), atime, mtime);
        }
        try (Target t = target(path, true)) {
            BasicFileAttributes a = existing(t);
            if (a.isRegularFile() || a.isDirectory()) {
                try {
                    FileTime now = atime == null || mtime == null ? FileTime.from(Instant.now()) : null;
                    t.dir.getFileAttributeView(t.name, BasicFileAttributeView.class, NOFOLLOW)
                            .setTimes(mtime == null ? now : FileTime.from(mtime), atime == null ? now : FileTime.from(atime), null);
                    return 0;
                } catch (IOException e) {
                    if (ErrnoMapper.errno(e) != Errno.EACCES.code()) {
                        throw e;
                    }
                }
            }
            byPath(t, a, p -> delegate.utime(p, atime, mtime));
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By absolute path outside a jail; in a jail through the descriptor ({@code fchown} on the
     * file opened {@code O_NOFOLLOW}; ids looked up as principals), or by path, checked, for FIFOs,
     * devices, sockets, unreadable files and ids that name another principal.
     */
    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.chown(path, uid, gid);
        }
        if (!wd.isJail()) {
            return delegate.chown(abs(path), uid, gid);
        }
        try (Target t = target(path, true)) {
            BasicFileAttributes a = existing(t);
            if (uid == -1 && gid == -1) {
                return 0;
            }
            if (a.isRegularFile() || a.isDirectory()) {
                try {
                    UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
                    UserPrincipal user = uid == -1 ? null : lookup.lookupPrincipalByName(Integer.toUnsignedString(uid));
                    GroupPrincipal group = gid == -1 ? null : lookup.lookupPrincipalByGroupName(Integer.toUnsignedString(gid));
                    // The JDK looks a number up as a name first; its principals hash to their id.
                    if ((user == null || user.hashCode() == uid) && (group == null || group.hashCode() == gid)) {
                        PosixFileAttributeView view = t.dir.getFileAttributeView(t.name, PosixFileAttributeView.class, NOFOLLOW);
                        if (user != null) {
                            view.setOwner(user);
                        }
                        if (group != null) {
                            view.setGroup(group);
                        }
                        return 0;
                    }
                } catch (IOException e) {
                    if (ErrnoMapper.errno(e) != Errno.EACCES.code()) {
                        throw e;
                    }
                }
            }
            byPath(t, a, p -> delegate.chown(p, uid, gid));
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By absolute path outside a jail; in a jail through the descriptor ({@code fchmodat} with
     * {@code AT_SYMLINK_NOFOLLOW}), or by path, checked, for set-id and sticky bits and for FIFOs,
     * devices and sockets.
     */
    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.chmod(path, mode);
        }
        if (!wd.isJail()) {
            return delegate.chmod(abs(path), mode);
        }
        try (Target t = target(path, true)) {
            BasicFileAttributes a = existing(t);
            if ((mode & 07000) == 0 && (a.isRegularFile() || a.isDirectory())) {
                t.dir.getFileAttributeView(t.name, PosixFileAttributeView.class, NOFOLLOW)
                        .setPermissions(permissionSet(mode));
                return 0;
            }
            byPath(t, a, p -> Files.setAttribute(p, "unix:mode", mode & 07777, NOFOLLOW));
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
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
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.truncate(path, length);
        }
        Target t = target(path, true);
        if (t == null) {
            return delegate.truncate(abs(path), length);
        }
        boolean follow = !wd.isJail();
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
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
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.unlink(path);
        }
        Target t = target(path, false);
        if (t == null) {
            return delegate.unlink(abs(path));
        }
        try (t) {
            t.dir.deleteFile(t.name);
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Through the descriptor ({@code unlinkat} with {@code AT_REMOVEDIR}). A path of exactly
     * {@code "."} in an ordinary working directory removes the directory itself, by its absolute
     * path (see {@link #itself}); in a jail it fails as {@code unlinkat} does (EINVAL).
     */
    @Override
    public int rmdir(Path path) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.rmdir(path);
        }
        if (itself(path)) {
            return delegate.rmdir(wd.locate());
        }
        Target t = target(path, false);
        if (t == null) {
            return delegate.rmdir(abs(path));
        }
        try (t) {
            t.dir.deleteDirectory(t.name);
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By absolute path outside a jail; in a jail a regular file is created through the
     * descriptor ({@code O_CREAT|O_EXCL|O_NOFOLLOW}), set-id bits set by path, checked; other
     * types fail as on {@link NioSyscalls}.
     */
    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.mknod(path, mode, dev);
        }
        if (!wd.isJail()) {
            return delegate.mknod(abs(path), mode, dev);
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
            Set<OpenOption> creating = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            t.dir.newByteChannel(t.name, creating, NioSyscalls.permissions(mode)).close();
            if ((mode & 07000) != 0) {
                BasicFileAttributes a = t.stat(false);
                byPath(t, a, p -> {
                    int created = ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue();
                    Files.setAttribute(p, "unix:mode", (created & 0777) | (mode & 07000), NOFOLLOW);
                });
            }
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By absolute paths outside a jail; in a jail staged in the jail's root and checked to be the
     * file the walk found (see the class comment).
     */
    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.link(existing, newPath);
        }
        if (!wd.isJail()) {
            return delegate.link(abs(existing), abs(newPath));
        }
        try (Target from = target(existing, false); Target to = target(newPath, false)) {
            BasicFileAttributes a = existing(from);
            if (a.isDirectory()) {
                throw new SyscallException(Errno.EPERM); // link(2) of a directory
            }
            Object key = a.fileKey();
            create(to, staged -> delegate.link(from.path(true), staged), key);
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By absolute path outside a jail; in a jail staged in the jail's root and renamed into place.
     * The target is stored as given, never checked: no request through the jail follows it out.
     */
    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.symlink(target, linkPath);
        }
        if (!wd.isJail()) {
            return delegate.symlink(target, abs(linkPath));
        }
        try (Target t = target(linkPath, false)) {
            create(t, staged -> delegate.symlink(target, staged), null);
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** {@inheritDoc} By absolute path; in a jail, checked to be the symlink the walk found. */
    @Override
    public Path readlink(Path path) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.readlink(path);
        }
        if (!wd.isJail()) {
            return delegate.readlink(abs(path));
        }
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
     * <p>By absolute path outside a jail (IO::AIO: "aio_realpath will always rely on the string
     * form"); in a jail the walk's own result, an absolute path inside the jail.
     */
    @Override
    public Path realpath(Path path) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.realpath(path);
        }
        if (!wd.isJail()) {
            return delegate.realpath(abs(path));
        }
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
     * <p>Through the descriptors ({@code renameat}); by absolute path if either is absolute. A
     * source of exactly {@code "."} in an ordinary working directory renames the directory itself,
     * by its absolute path (see {@link #itself}); in a jail it fails as {@code renameat} does (EBUSY).
     */
    @Override
    public int rename(Path from, Path to) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.rename(from, to);
        }
        if (itself(from)) {
            return delegate.rename(wd.locate(), abs(to));
        }
        Target a = target(from, false);
        Target b;
        try {
            b = target(to, false);
        } catch (SyscallException | RuntimeException e) {
            if (a != null) {
                a.close();
            }
            throw e;
        }
        if (a == null || b == null) {
            closeBoth(a, b);
            return delegate.rename(abs(from), abs(to));
        }
        try {
            a.dir.move(a.name, b.dir, b.name);
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        } finally {
            closeBoth(a, b);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By absolute paths outside a jail (keeping {@link NioSyscalls}'s never-replace guarantee);
     * in a jail {@code RENAME_NOREPLACE} is {@code fstatat} then {@code renameat} (see the class
     * comment), EXCHANGE and WHITEOUT fail with ENOSYS.
     */
    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0
                || (flags & (RENAME_NOREPLACE | RENAME_EXCHANGE)) == (RENAME_NOREPLACE | RENAME_EXCHANGE)
                || (flags & (RENAME_WHITEOUT | RENAME_EXCHANGE)) == (RENAME_WHITEOUT | RENAME_EXCHANGE)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (flags == 0) {
            return rename(from, to);
        }
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.rename2(from, to, flags);
        }
        if (!wd.isJail()) {
            return delegate.rename2(itself(from) ? wd.locate() : abs(from), abs(to), flags);
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** {@inheritDoc} By absolute path outside a jail; in a jail staged in the jail's root and renamed into place. */
    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.mkdir(path, mode);
        }
        if (!wd.isJail()) {
            return delegate.mkdir(abs(path), mode);
        }
        try (Target t = target(path, false)) {
            create(t, staged -> delegate.mkdir(staged, mode), null);
            return 0;
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    // ================================================================ directories

    /** {@inheritDoc} Through the descriptor: the directory opened relative to it (in a jail {@code O_NOFOLLOW}). */
    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.readdir(dir);
        }
        Target t = target(dir, true);
        if (t == null) {
            return delegate.readdir(abs(dir));
        }
        List<Path> names = new ArrayList<>();
        try (t; SecureDirectoryStream<Path> ds = openDirectory(t.dir, t.name, !wd.isJail())) {
            for (Path entry : ds) {
                names.add(entry.getFileName());
            }
            return names;
        } catch (DirectoryIteratorException e) {
            throw ErrnoMapper.toSyscallException(e.getCause());
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** {@inheritDoc} By absolute path (it needs each entry's inode); in a jail checked to lead to the walked directory. */
    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.readdirDents(dir);
        }
        if (!wd.isJail()) {
            return delegate.readdirDents(abs(dir));
        }
        try (Target t = target(dir, true)) {
            return checkedRead(t, delegate::readdirDents);
        }
    }

    /** {@inheritDoc} The delegate's: every path of {@link #readdirDents} ends in the delegate's listing, or the kernel's {@code getdents64}. */
    @Override
    public boolean readdirTypesFree() {
        return delegate.readdirTypesFree();
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
        BeneathSyscalls k = kernel();
        if (k != null) {
            return k.openDir(path, follow);
        }
        Target t = target(path, follow);
        if (t == null) {
            return delegate.openDir(abs(path), follow);
        }
        boolean followHere = follow && !wd.isJail(); // a jail's walk resolved the final symlink itself
        try (t) {
            if (portable) {
                SecureDirectoryStream<Path> ds = openDirectory(t.dir, t.name, followHere);
                try {
                    return new NioTreeCalls.NioTreeDir(t.path(false), DirectoryHandle.keyOf(ds), ds);
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
            Path p = t.path(true);
            Map<String, Object> id = Files.readAttributes(p, "unix:dev,ino,fileKey", followHere ? FOLLOW : NOFOLLOW);
            if (!a.fileKey().equals(id.get("fileKey"))) {
                throw new SyscallException(Errno.EAGAIN); // the path led elsewhere meanwhile
            }
            TreeDir d = delegate.openDir(p, followHere);
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    // ================================================================ sync

    // ================================================================ a jail's path-based calls

    /** A call on a path. */
    @FunctionalInterface
    private interface PathCall<T> {
        T run(Path p) throws IOException, SyscallException;
    }

    /** A call on a path with no result. */
    @FunctionalInterface
    private interface PathAction {
        void run(Path p) throws IOException, SyscallException;
    }

    /** The target's {@code lstat} (the walk followed final symlinks where asked); ENOENT if absent. */
    private static BasicFileAttributes existing(Target t) throws IOException {
        return t.attrs != null ? t.attrs : t.stat(false);
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
        } catch (IOException e) {
            throw ErrnoMapper.toSyscallException(e);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * A change by path, for what the descriptor cannot do: done only if the checked path leads to
     * the file the walk found ({@code a}), and checked again afterwards (EXDEV if it did not).
     */
    private void byPath(Target t, BasicFileAttributes a, PathAction change) throws IOException, SyscallException {
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

    private static Object keyByPath(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Creates a name in a jail the JDK cannot create relative to a descriptor: {@code make} creates
     * it under a random name in the jail's root, by the root's trusted path; it is checked (to be
     * {@code expectedKey}'s file, for a link) and renamed into place through the descriptors.
     * Where the root cannot take it (EACCES, EROFS, EXDEV), by path, checked.
     */
    private void create(Target t, PathAction make, Object expectedKey) throws IOException, SyscallException {
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
                    createByPath(t, make, expectedKey); // the root cannot take it: the source's or target's file system
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
            if (expectedKey != null && !expectedKey.equals(made.fileKey())) {
                throw new SyscallException(Errno.EXDEV); // the source path led outside the jail
            }
            root.move(staged, t.dir, t.name);
            staged = null;
        } catch (IOException e) {
            if (ErrnoMapper.errno(e) == Errno.EXDEV.code()) {
                remove(root, staged, made);
                staged = null;
                createByPath(t, make, expectedKey);
                return;
            }
            throw e;
        } finally {
            if (staged != null) {
                remove(root, staged, made);
            }
        }
    }

    /** {@link #create} where the jail's root cannot stage: by the checked path of the target's directory. */
    private void createByPath(Target t, PathAction make, Object expectedKey) throws IOException, SyscallException {
        Path p = t.path(true);
        make.run(p);
        BasicFileAttributes made;
        try {
            made = t.stat(false);
        } catch (NoSuchFileException e) {
            throw new SyscallException(Errno.EXDEV); // created elsewhere: the path was redirected
        }
        Object byPath = keyByPath(p);
        if (!made.fileKey().equals(byPath) || expectedKey != null && !expectedKey.equals(made.fileKey())) {
            if (expectedKey != null && !expectedKey.equals(made.fileKey())) {
                remove(t.dir, t.name, made);
            }
            throw new SyscallException(Errno.EXDEV);
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

    // ================================================================ helpers

    /**
     * Opens {@code name} in {@code dir} as a directory, after an {@code fstatat} that says it is one
     * (ENOTDIR otherwise; ELOOP for a symlink not followed): the JDK's {@code newDirectoryStream}
     * opens without {@code O_DIRECTORY} and, when {@code fdopendir} then fails, leaks a descriptor.
     * (A file swapped in between the two can still cost that descriptor.)
     */
    static SecureDirectoryStream<Path> openDirectory(SecureDirectoryStream<Path> dir, Path name, boolean follow)
            throws IOException, SyscallException {
        BasicFileAttributes a = attributes(dir, name, follow);
        if (a.isSymbolicLink()) {
            throw new SyscallException(Errno.ELOOP);
        }
        if (!a.isDirectory()) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return dir.newDirectoryStream(name, follow ? FOLLOW : NOFOLLOW);
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name, boolean follow) throws IOException {
        return dir.getFileAttributeView(name, BasicFileAttributeView.class, follow ? FOLLOW : NOFOLLOW).readAttributes();
    }

    private static boolean isDot(Path name) {
        return name.toString().equals(".");
    }

    /**
     * IO::AIO's special case of {@code [$wd, "."]} for {@code aio_rmdir} and as the source of {@code
     * aio_rename}: "instead of failing, rmdir/rename is called on the absolute path of $wd" (the
     * kernel refuses {@code "."} as the last component). Exactly {@code "."}, as IO::AIO's {@code
     * SINGLEDOT}; the path is the directory's path now ({@link DirectoryHandle#locate}), so a
     * renamed working directory is followed, and one that was removed fails with ENOENT. Not in a
     * jail: its directory's name lies outside it, so there {@code "."} gets the kernel's answer.
     */
    private boolean itself(Path path) {
        return !wd.isJail() && isDot(path);
    }

    private static Set<PosixFilePermission> permissionSet(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        perms.addAll(NioSyscalls.permissions(mode).value());
        return perms;
    }

    private static void closeBoth(Target a, Target b) {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // already failing, or nothing to report for a directory
            }
        }
    }

    /**
     * A runtime exception from the JDK's file calls as an errno: a closed directory stream is
     * EBADF; the JDK's errno-carrying runtime exceptions are mapped; anything else is a bug.
     */
    static SyscallException fail(RuntimeException e) {
        if (e instanceof ClosedDirectoryStreamException) {
            return new SyscallException(Errno.EBADF.code(), e);
        }
        if (e instanceof ProviderMismatchException) {
            return new SyscallException(Errno.EINVAL.code(), e);
        }
        if (e instanceof IllegalArgumentException
                || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException
                || e instanceof java.io.UncheckedIOException
                || e instanceof SecurityException) {
            return ErrnoMapper.toSyscallException(e);
        }
        throw e;
    }
}
