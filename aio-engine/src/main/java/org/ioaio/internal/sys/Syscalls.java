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

import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.ioaio.AioConstants;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;

/**
 * The syscall layer: one method per syscall the requests execute, each blocking the calling
 * (worker) thread, returning what the syscall returns and failing with a {@link SyscallException}
 * that carries the errno the syscall set. Requests never touch files any other way, so the portable
 * ({@link NioSyscalls}) and the native implementations are interchangeable and a test can wrap
 * either (its fault layer, a {@link java.lang.reflect.Proxy} over this interface).
 *
 * <p><b>Conventions.</b> Arguments are not checked for {@code null} (the engine validates a request
 * when it is submitted); values the syscall itself would reject (a negative offset, unknown flags)
 * fail with the errno it would set. Methods whose syscall returns only a status return 0. A method
 * an implementation cannot perform fails with ENOSYS, never succeeds without doing its work;
 * what each implementation emulates is documented on it. Flags and modes are Linux's values
 * ({@link org.ioaio.AioConstants}). Implementations are thread-safe.
 *
 * <p><b>Paths</b> are {@link Path}s of the default file system, not strings: that is the type Java
 * callers already hold; a Unix {@code Path} keeps the exact bytes a directory listing returned,
 * so names that are not valid in the platform encoding survive a readdir-then-stat round trip (a
 * {@code String} would not); a NUL byte is rejected when the path is made, not cut off in C; and
 * relative paths have one place where they are resolved (each implementation's {@code resolve}),
 * where a working directory or a jail will hook in. A {@code Path} drops redundant and trailing
 * slashes, so {@code "file/"} is {@code "file"}. {@link #path(String)} makes one from a string
 * with the errno a syscall would give a bad name. The empty path fails with ENOENT, as in C.
 *
 * <p><b>File handles</b> are the {@link FileHandle}s {@link #open} returns; an implementation fails
 * with EBADF for a closed handle or one another implementation opened.
 */
public interface Syscalls {

    /**
     * Whether an interrupt of the calling thread during a call leaves the call and its file alone
     * (the native layer's syscalls ignore interrupts; a {@code FileChannel} closes itself). When it
     * does, the engine lets a thread waiting in {@code flush()} run queued requests itself instead
     * of sleeping until a worker's result arrives.
     *
     * @return {@code true} if calls survive interrupts
     */
    default boolean survivesInterrupts() {
        return false;
    }

    /**
     * Whether the calls that only name files survive an interrupt of the calling thread, as {@link
     * #survivesInterrupts()} says for every call: stat, lstat, statx, readlink, readdir, mkdir,
     * rmdir, unlink, rename, link and symlink, by path or at a held directory. The portable layer's
     * do ({@code java.nio.file} checks no interrupt; only a {@code FileChannel} does), so its
     * requests of these kinds may run on a flushing thread too.
     *
     * @return {@code true} if calls that only name files survive interrupts
     */
    default boolean namingCallsSurviveInterrupts() {
        return survivesInterrupts();
    }

    /**
     * Makes the {@link Path} for a pathname string, failing as a syscall would on a bad name.
     *
     * @param pathname the name, as the caller gave it
     * @return the path (relative if the name is)
     * @throws SyscallException ENOENT for the empty string or a name with a NUL byte, EINVAL for a
     *     name the platform encoding cannot represent
     */
    default Path path(String pathname) throws SyscallException {
        if (pathname.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        try {
            return Path.of(pathname);
        } catch (InvalidPathException e) {
            throw ErrnoMapper.toSyscallException(e);
        }
    }

    // ---- pathnames as given ----
    //
    // The calls below take a path exactly as the caller gave it (a trailing slash, "//" and "."
    // kept). These defaults give a trailing slash its Linux meaning in Java ({@link SlashSemantics})
    // and then make the call above on the Path; the native layers override them to pass the bytes
    // to the kernel unchanged. A decorator that does not override them gets the defaults, over its
    // own calls (so a jail stays a jail).

    /** {@link #open(Path, int, int)} of a name as given; with a trailing slash {@code O_CREAT} is EISDIR and the file must be a directory. */
    default FileHandle open(Pathname name, int flags, int mode) throws SyscallException {
        if (!name.trailingSlash()) {
            return open(name.path(), flags, mode);
        }
        if ((flags & AioConstants.O_CREAT) != 0) {
            throw new SyscallException(Errno.EISDIR);
        }
        return open(name.path(), flags | AioConstants.O_DIRECTORY, mode);
    }

    /** {@link #stat(Path)} of a name as given. */
    default FileStat stat(Pathname name) throws SyscallException {
        return name.trailingSlash() ? SlashSemantics.directory(this, name) : stat(name.path());
    }

    /** {@link #lstat(Path)} of a name as given: with a trailing slash, a symlink is followed. */
    default FileStat lstat(Pathname name) throws SyscallException {
        return name.trailingSlash() ? SlashSemantics.directory(this, name) : lstat(name.path());
    }

    /** {@link #statx(Path, int, int)} of a name as given: with a trailing slash, a symlink is followed. */
    default FileStat statx(Pathname name, int flags, int mask) throws SyscallException {
        if (!name.trailingSlash()) {
            return statx(name.path(), flags, mask);
        }
        SlashSemantics.directory(this, name);
        return statx(name.path(), flags & ~AioConstants.AT_SYMLINK_NOFOLLOW, mask);
    }

    /** {@link #statvfs(Path)} of a name as given. */
    default StatVfs statvfs(Pathname name) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.directory(this, name);
        }
        return statvfs(name.path());
    }

    /** {@link #utime(Path, Instant, Instant)} of a name as given. */
    default int utime(Pathname name, Instant atime, Instant mtime) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.directory(this, name);
        }
        return utime(name.path(), atime, mtime);
    }

    /** {@link #chown(Path, int, int)} of a name as given. */
    default int chown(Pathname name, int uid, int gid) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.directory(this, name);
        }
        return chown(name.path(), uid, gid);
    }

    /** {@link #chmod(Path, int)} of a name as given. */
    default int chmod(Pathname name, int mode) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.directory(this, name);
        }
        return chmod(name.path(), mode);
    }

    /** {@link #truncate(Path, long)} of a name as given: with a trailing slash, EISDIR or ENOTDIR. */
    default int truncate(Pathname name, long length) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.directory(this, name);
            throw new SyscallException(Errno.EISDIR);
        }
        return truncate(name.path(), length);
    }

    /** {@link #unlink(Path)} of a name as given: with a trailing slash, never removes anything. */
    default int unlink(Pathname name) throws SyscallException {
        if (name.trailingSlash()) {
            throw SlashSemantics.unlink(this, name);
        }
        return unlink(name.path());
    }

    /** {@link #rmdir(Path)} of a name as given. */
    default int rmdir(Pathname name) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.rmdir(this, name);
        }
        return rmdir(name.path());
    }

    /** {@link #mknod(Path, int, long)} of a name as given: with a trailing slash, EEXIST or ENOENT. */
    default int mknod(Pathname name, int mode, long dev) throws SyscallException {
        if (name.trailingSlash()) {
            throw SlashSemantics.createNonDirectory(this, name);
        }
        return mknod(name.path(), mode, dev);
    }

    /** {@link #link(Path, Path)} of names as given: a slashed existing name is followed (EPERM for a directory). */
    default int link(Pathname existing, Pathname newName) throws SyscallException {
        if (existing.trailingSlash()) {
            SlashSemantics.directory(this, existing);
            throw new SyscallException(Errno.EPERM);
        }
        if (newName.trailingSlash()) {
            lstat(existing.path());
            throw SlashSemantics.createNonDirectory(this, newName);
        }
        return link(existing.path(), newName.path());
    }

    /**
     * {@link #symlink(Path, Path)} of names as given. The target is content, stored as given: a
     * layer that can only store a {@code Path} fails with ENOSYS for a target its {@code Path}
     * would alter ({@code "a//b"}, {@code "dir/"}) rather than store another one.
     */
    default int symlink(Pathname target, Pathname linkName) throws SyscallException {
        if (linkName.trailingSlash()) {
            throw SlashSemantics.createNonDirectory(this, linkName);
        }
        if (!target.pathIsExact()) {
            throw new SyscallException(Errno.ENOSYS);
        }
        return symlink(target.path(), linkName.path());
    }

    /** {@link #readlink(Path)} of a name as given, the content as stored (as this layer can read it). */
    default Pathname readlink(Pathname name) throws SyscallException {
        if (name.trailingSlash()) {
            SlashSemantics.directory(this, name);
            throw new SyscallException(Errno.EINVAL); // the name is the directory a link leads to
        }
        return Pathname.of(readlink(name.path()));
    }

    /**
     * {@link #realpath(Path)} of a name as given: a trailing slash is ignored, as IO::AIO's {@code
     * aio_realpath} and {@code Cwd::realpath} do (its manual: "same as Cwd::realpath"), where
     * {@code realpath(3)} would say ENOTDIR for {@code "file/"}.
     */
    default Path realpath(Pathname name) throws SyscallException {
        return realpath(name.path());
    }

    /** {@link #rename(Path, Path)} of names as given. */
    default int rename(Pathname from, Pathname to) throws SyscallException {
        if (from.trailingSlash() || to.trailingSlash()) {
            SlashSemantics.rename(this, from, to);
        }
        return rename(from.path(), to.path());
    }

    /** {@link #rename2(Path, Path, int)} of names as given. */
    default int rename2(Pathname from, Pathname to, int flags) throws SyscallException {
        if (from.trailingSlash() || to.trailingSlash()) {
            SlashSemantics.rename(this, from, to);
        }
        return rename2(from.path(), to.path(), flags);
    }

    /** {@link #mkdir(Path, int)} of a name as given (a trailing slash changes nothing). */
    default int mkdir(Pathname name, int mode) throws SyscallException {
        return mkdir(name.path(), mode);
    }

    /** {@link #readdir(Path)} of a name as given (a directory is required anyway). */
    default List<Path> readdir(Pathname name) throws SyscallException {
        return readdir(name.path());
    }

    /** {@link #readdirDents(Path)} of a name as given. */
    default List<DirEntry> readdirDents(Pathname name) throws SyscallException {
        return readdirDents(name.path());
    }

    // ---- descriptors ----

    /**
     * {@code open(2)}: opens or creates a file.
     *
     * @param path the file
     * @param flags {@code O_*} flags, access mode included
     * @param mode the permission bits of a file {@code O_CREAT} creates (the umask applies), else ignored
     * @return the open file
     * @throws SyscallException as {@code open(2)}: ENOENT, EEXIST, EISDIR, ENOTDIR, ELOOP, EACCES, ENAMETOOLONG...
     */
    FileHandle open(Path path, int flags, int mode) throws SyscallException;

    /**
     * {@code close(2)}: releases the handle; it is closed afterwards even if this fails.
     *
     * @param file the handle
     * @return 0
     * @throws SyscallException EBADF if already closed, or EIO
     */
    int close(FileHandle file) throws SyscallException;

    /**
     * {@code lseek(2)}: moves the file position.
     *
     * @param file the handle
     * @param offset the offset, relative to {@code whence}
     * @param whence {@code SEEK_SET}, {@code SEEK_CUR}, {@code SEEK_END}, {@code SEEK_DATA} or {@code SEEK_HOLE}
     * @return the resulting position from the start of the file
     * @throws SyscallException EINVAL for a bad whence or a negative result, ENXIO for DATA/HOLE at or past the end
     */
    long lseek(FileHandle file, long offset, int whence) throws SyscallException;

    /**
     * {@code pread(2)}: reads at an offset into {@code dst}'s remaining space, leaving the file position alone.
     *
     * @param file the handle, open for reading
     * @param dst the buffer; its position advances by the bytes read
     * @param offset the file offset, 0 or more
     * @return the bytes read, 0 at the end of the file
     * @throws SyscallException EBADF if not open for reading, EISDIR, EINVAL, EIO
     */
    int pread(FileHandle file, ByteBuffer dst, long offset) throws SyscallException;

    /**
     * {@code pwrite(2)}: writes {@code src}'s remaining bytes at an offset, leaving the file position
     * alone (with {@code O_APPEND} it writes at the end of the file, as Linux does).
     *
     * @param file the handle, open for writing
     * @param src the buffer; its position advances by the bytes written
     * @param offset the file offset, 0 or more
     * @return the bytes written
     * @throws SyscallException EBADF if not open for writing, ENOSPC, EFBIG, EINVAL, EIO
     */
    int pwrite(FileHandle file, ByteBuffer src, long offset) throws SyscallException;

    /**
     * {@code read(2)}: reads at the file position and advances it.
     *
     * @param file the handle, open for reading
     * @param dst the buffer; its position advances by the bytes read
     * @return the bytes read, 0 at the end of the file
     * @throws SyscallException EBADF if not open for reading, EISDIR, EIO
     */
    int read(FileHandle file, ByteBuffer dst) throws SyscallException;

    /**
     * {@code write(2)}: writes at the file position (at the end with {@code O_APPEND}) and advances it.
     *
     * @param file the handle, open for writing
     * @param src the buffer; its position advances by the bytes written
     * @return the bytes written
     * @throws SyscallException EBADF if not open for writing, ENOSPC, EFBIG, EIO
     */
    int write(FileHandle file, ByteBuffer src) throws SyscallException;

    /**
     * {@code sendfile(2)}: copies from {@code in} at {@code inOffset} to {@code out} at its file
     * position (advancing it); {@code in}'s position is left alone. May copy fewer bytes than asked.
     *
     * @param out the destination, open for writing
     * @param in the source, open for reading
     * @param inOffset where to start reading {@code in}, 0 or more
     * @param length the bytes to copy, 0 or more
     * @return the bytes written to {@code out}, 0 when {@code inOffset} is at or past the end of {@code in}
     * @throws SyscallException EBADF, EINVAL, ENOSPC, EIO
     */
    long sendfile(FileHandle out, FileHandle in, long inOffset, long length) throws SyscallException;

    /**
     * {@code readahead(2)}: brings a range of the file into the page cache (whole pages, never past
     * the end of the file), leaving the file position alone.
     *
     * @param file the handle, open for reading
     * @param offset the start of the range, 0 or more
     * @param length the length of the range, 0 or more
     * @return 0
     * @throws SyscallException EBADF if not open for reading, EINVAL if not a regular file
     */
    int readahead(FileHandle file, long offset, long length) throws SyscallException;

    /**
     * {@code posix_fadvise(2)}: tells the kernel how a range of the file will be accessed
     * ({@code POSIX_FADV_*}); {@code length} 0 means "to the end of the file". Advice only: the
     * file's content is never changed.
     *
     * <p>A default that fails with ENOSYS (so that decorators written before it compile), which is
     * also what IO::AIO's {@code fadvise} returns "on systems that do not implement posix_fadvise".
     *
     * @param file the handle (any access mode)
     * @param offset the start of the range, 0 or more
     * @param length the length of the range, 0 or more
     * @param advice one of {@code POSIX_FADV_NORMAL} ... {@code POSIX_FADV_NOREUSE}
     * @return 0
     * @throws SyscallException EBADF (closed, or an {@code O_PATH} handle), ESPIPE (a FIFO or pipe),
     *     EINVAL (unknown advice, negative length), ENOSYS where it cannot be done
     */
    default int fadvise(FileHandle file, long offset, long length, int advice) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    // ---- status ----

    /**
     * {@code stat(2)}: the status of a file, following symlinks.
     *
     * @param path the file
     * @return its status
     * @throws SyscallException ENOENT (a dangling symlink included), ENOTDIR, ELOOP, EACCES, ENAMETOOLONG
     */
    FileStat stat(Path path) throws SyscallException;

    /**
     * {@code lstat(2)}: the status of a file, or of the symlink itself if it is one.
     *
     * @param path the file
     * @return its status
     * @throws SyscallException ENOENT, ENOTDIR, ELOOP, EACCES, ENAMETOOLONG
     */
    FileStat lstat(Path path) throws SyscallException;

    /**
     * {@code fstat(2)}: the status of an open file.
     *
     * @param file the handle
     * @return its status
     * @throws SyscallException EBADF
     */
    FileStat fstat(FileHandle file) throws SyscallException;

    /**
     * {@code statx(2)}: the status of a file with the fields {@code mask} asks for where the file
     * system has them, the birth time ({@code STATX_BTIME}) included; {@link FileStat#mask()} says
     * which fields are valid (a file system may fill more than asked, or fewer).
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #readdir}. Implementations
     * say which fields they can report.
     *
     * @param path the file
     * @param flags 0 or {@code AT_SYMLINK_NOFOLLOW}, {@code AT_NO_AUTOMOUNT}, {@code AT_STATX_*}
     * @param mask {@code STATX_*} bits
     * @return its status
     * @throws SyscallException as {@link #stat}, and EINVAL for unknown flags or a reserved mask bit
     */
    default FileStat statx(Path path, int flags, int mask) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code statx(fd, "", AT_EMPTY_PATH | flags, mask)}: {@link #statx} of an open file.
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #readdir}.
     *
     * @param file the handle
     * @param flags 0 or {@code AT_STATX_*} ({@code AT_EMPTY_PATH} is implied)
     * @param mask {@code STATX_*} bits
     * @return its status
     * @throws SyscallException EBADF, EINVAL for unknown flags or a reserved mask bit
     */
    default FileStat fstatx(FileHandle file, int flags, int mask) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code statvfs(3)}: the status of the file system holding a file.
     *
     * @param path any file on it (symlinks followed)
     * @return the file system's status
     * @throws SyscallException ENOENT, ENOTDIR, ELOOP, EACCES
     */
    StatVfs statvfs(Path path) throws SyscallException;

    /**
     * {@code fstatvfs(3)}: the status of the file system holding an open file.
     *
     * @param file the handle
     * @return the file system's status
     * @throws SyscallException EBADF
     */
    StatVfs fstatvfs(FileHandle file) throws SyscallException;

    // ---- attributes ----

    /**
     * {@code utimensat(2)}: sets the access and modification times, to the nanosecond where the
     * file system keeps them, following symlinks.
     *
     * @param path the file
     * @param atime the access time, or {@code null} for now
     * @param mtime the modification time, or {@code null} for now
     * @return 0
     * @throws SyscallException ENOENT, EPERM, EACCES, EROFS
     */
    int utime(Path path, Instant atime, Instant mtime) throws SyscallException;

    /**
     * {@code futimens(3)}: sets the access and modification times of an open file.
     *
     * @param file the handle
     * @param atime the access time, or {@code null} for now
     * @param mtime the modification time, or {@code null} for now
     * @return 0
     * @throws SyscallException EBADF, EPERM, EACCES, EROFS
     */
    int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException;

    /**
     * {@code chown(2)}: changes owner and group, following symlinks.
     *
     * @param path the file
     * @param uid the new owner, or -1 to leave it
     * @param gid the new group, or -1 to leave it
     * @return 0
     * @throws SyscallException ENOENT, EPERM, EROFS
     */
    int chown(Path path, int uid, int gid) throws SyscallException;

    /**
     * {@code fchown(2)}: changes owner and group of an open file.
     *
     * @param file the handle
     * @param uid the new owner, or -1 to leave it
     * @param gid the new group, or -1 to leave it
     * @return 0
     * @throws SyscallException EBADF, EPERM, EROFS
     */
    int fchown(FileHandle file, int uid, int gid) throws SyscallException;

    /**
     * {@code chmod(2)}: changes the permission bits ({@code mode & 07777}), following symlinks.
     *
     * @param path the file
     * @param mode the new mode
     * @return 0
     * @throws SyscallException ENOENT, EPERM, EROFS
     */
    int chmod(Path path, int mode) throws SyscallException;

    /**
     * {@code fchmod(2)}: changes the permission bits of an open file.
     *
     * @param file the handle
     * @param mode the new mode
     * @return 0
     * @throws SyscallException EBADF, EPERM, EROFS
     */
    int fchmod(FileHandle file, int mode) throws SyscallException;

    /**
     * {@code truncate(2)}: sets a file's size, cutting it or extending it with zeros; the position
     * of open handles is unchanged.
     *
     * @param path the file
     * @param length the new size, 0 or more
     * @return 0
     * @throws SyscallException ENOENT, EISDIR, EACCES, EINVAL, EFBIG, ENOSPC
     */
    int truncate(Path path, long length) throws SyscallException;

    /**
     * {@code ftruncate(2)}: sets an open file's size, cutting or extending it; its position is unchanged.
     *
     * @param file the handle, open for writing
     * @param length the new size, 0 or more
     * @return 0
     * @throws SyscallException EBADF, EINVAL if not open for writing or negative, EFBIG, ENOSPC
     */
    int ftruncate(FileHandle file, long length) throws SyscallException;

    /**
     * {@code fallocate(2)}: allocates (mode 0: and extends the file to cover) or manipulates a range.
     *
     * @param file the handle, open for writing
     * @param mode 0 or {@code FALLOC_FL_*} bits
     * @param offset the start of the range, 0 or more
     * @param length the length of the range, more than 0
     * @return 0
     * @throws SyscallException EBADF, EINVAL, ENOSPC, EFBIG, ENODEV (not a regular file), EOPNOTSUPP or ENOSYS (mode)
     */
    int fallocate(FileHandle file, int mode, long offset, long length) throws SyscallException;

    // ---- names ----

    /**
     * {@code unlink(2)}: removes a name (a symlink itself, never its target); not a directory.
     *
     * @param path the name
     * @return 0
     * @throws SyscallException ENOENT, EISDIR, EACCES, EPERM, EBUSY
     */
    int unlink(Path path) throws SyscallException;

    /**
     * {@code mknod(2)}: creates a regular file, device node, FIFO or socket.
     *
     * @param path the name to create (not followed if it is a symlink)
     * @param mode the type ({@code S_IF*}) and permission bits (the umask applies)
     * @param dev the device number, for {@code S_IFCHR} and {@code S_IFBLK}
     * @return 0
     * @throws SyscallException EEXIST, ENOENT, EINVAL (type), EPERM (devices, unprivileged)
     */
    int mknod(Path path, int mode, long dev) throws SyscallException;

    /**
     * {@code link(2)}: makes a new name for a file (a symlink is linked itself, not followed).
     *
     * @param existing the existing file
     * @param newPath the new name
     * @return 0
     * @throws SyscallException ENOENT, EEXIST, EPERM (a directory), EXDEV, EMLINK
     */
    int link(Path existing, Path newPath) throws SyscallException;

    /**
     * {@code symlink(2)}: makes a symbolic link whose content is {@code target}, stored verbatim
     * (never resolved: a relative target is relative to the link's directory when followed).
     *
     * @param target the link's content
     * @param linkPath the name of the link to create
     * @return 0
     * @throws SyscallException EEXIST, ENOENT, ENAMETOOLONG
     */
    int symlink(Path target, Path linkPath) throws SyscallException;

    /**
     * {@code readlink(2)}: the content of a symbolic link, verbatim.
     *
     * @param path the link
     * @return its target, as stored
     * @throws SyscallException ENOENT, EINVAL if not a symlink
     */
    Path readlink(Path path) throws SyscallException;

    /**
     * {@code realpath(3)}: the absolute path with every symlink, {@code .} and {@code ..} resolved.
     *
     * @param path the path ({@code "."} for the working directory)
     * @return the canonical absolute path
     * @throws SyscallException ENOENT, ENOTDIR, ELOOP, EACCES
     */
    Path realpath(Path path) throws SyscallException;

    /**
     * {@code rename(2)}: renames atomically, replacing an existing destination.
     *
     * @param from the existing name
     * @param to the new name
     * @return 0
     * @throws SyscallException ENOENT, EXDEV, ENOTEMPTY, EISDIR, ENOTDIR, EINVAL (into itself)
     */
    int rename(Path from, Path to) throws SyscallException;

    /**
     * {@code renameat2(2)}: {@link #rename} with flags; flags 0 is {@code rename}.
     *
     * @param from the existing name
     * @param to the new name
     * @param flags 0, {@code RENAME_NOREPLACE}, {@code RENAME_EXCHANGE} or {@code RENAME_WHITEOUT}
     * @return 0
     * @throws SyscallException as {@link #rename}, EEXIST (NOREPLACE), EINVAL (flags), ENOSYS
     */
    int rename2(Path from, Path to, int flags) throws SyscallException;

    /**
     * {@code mkdir(2)}: creates a directory.
     *
     * @param path the new directory
     * @param mode its permission bits (the umask applies; the sticky bit is kept)
     * @return 0
     * @throws SyscallException EEXIST, ENOENT, ENOTDIR, EACCES, ENOSPC
     */
    int mkdir(Path path, int mode) throws SyscallException;

    /**
     * {@code rmdir(2)}: removes an empty directory (not a symlink to one).
     *
     * @param path the directory
     * @return 0
     * @throws SyscallException ENOENT, ENOTDIR, ENOTEMPTY, EBUSY, EINVAL ({@code .})
     */
    int rmdir(Path path) throws SyscallException;

    // ---- directories ----

    /**
     * {@code opendir(3)} + {@code readdir(3)} + {@code closedir(3)}: every name in a directory,
     * without {@code .} and {@code ..}, in the directory's own order. The directory is open only
     * during the call. Each name is a one-element {@link Path} holding the exact bytes of the entry
     * (see "Paths" above), so {@code dir.resolve(name)} finds it whatever its encoding.
     *
     * <p>A default so that decorators written before this call existed still compile; it fails with
     * ENOSYS. Implementations and decorators override it.
     *
     * @param dir the directory (symlinks followed, as {@code opendir} does)
     * @return the names
     * @throws SyscallException ENOENT, ENOTDIR, EACCES, ELOOP, EMFILE
     */
    default List<Path> readdir(Path dir) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@link #readdir} with each entry's {@code d_type} and {@code d_ino}, as {@code getdents64(2)}
     * returns them; {@link org.ioaio.AioConstants#DT_UNKNOWN} (and inode 0) for an entry whose type
     * the implementation cannot tell. What each implementation does to find types is documented on it.
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #readdir}.
     *
     * @param dir the directory (symlinks followed)
     * @return the entries, in the directory's order
     * @throws SyscallException ENOENT, ENOTDIR, EACCES, ELOOP, EMFILE
     */
    default List<DirEntry> readdirDents(Path dir) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * Whether {@link #readdirDents} gets each entry's type with the listing itself ({@code
     * getdents64}'s {@code d_type}), so that it costs what {@link #readdir} costs; {@code false}
     * when it has to look at every entry to find the types. {@code aio_scandir} reads the types
     * first only when they come free, as the manual has it ("If readdir returns file type
     * information, then this is used directly to find directories").
     *
     * @return {@code true} if types come with the listing
     */
    default boolean readdirTypesFree() {
        return false;
    }

    /**
     * Whether this is exactly the portable layer, so that a working directory layer may open a
     * file relative to its descriptor and hand the portable handle on; a subclass (which may watch
     * its calls) and the native layer say no. A decorator that passes every call on says what its
     * layer says.
     *
     * @return {@code true} for the portable layer
     */
    default boolean takesPortableHandles() {
        return false;
    }

    // ---- held directories (tree operations) ----

    /**
     * Opens a directory to be held by a tree operation ({@code opendir} with {@code O_DIRECTORY}),
     * the path resolved by this layer's normal rules (a working directory's or jail's included).
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #readdir}.
     *
     * @param path the directory
     * @param follow whether a symlink as its last component is followed ({@code false}: {@code
     *     O_NOFOLLOW}, a symlink fails with ELOOP)
     * @return the held directory, the caller's to close
     * @throws SyscallException ENOENT, ENOTDIR, ELOOP, EACCES, EMFILE
     */
    default TreeDir openDir(Path path, boolean follow) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)}: a subdirectory,
     * never through a symlink.
     *
     * @param dir the held directory
     * @param name one component
     * @return the held subdirectory, the caller's to close
     * @throws SyscallException ELOOP (a symlink), ENOTDIR (not a directory), ENOENT, EACCES, EMFILE, EBADF
     */
    default TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code fstat} of a held directory.
     *
     * @param dir the held directory
     * @return its status ({@code nlink} 0 once it was removed)
     * @throws SyscallException EBADF; ESTALE on the portable layer when it cannot tell (see there)
     */
    default FileStat fstatDir(TreeDir dir) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code fstatat(dir, name, AT_SYMLINK_NOFOLLOW)}.
     *
     * @param dir the held directory
     * @param name one component
     * @return the entry's own status (a symlink's, not its target's)
     * @throws SyscallException ENOENT, EACCES, EBADF
     */
    default FileStat lstatAt(TreeDir dir, Path name) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * Whether {@code name} is a directory the caller can search, which is what {@code aio_scandir}
     * counts as a directory ("directories you can recurse into"; IO::AIO asks {@code stat
     * "name/."} and then {@code lstat "name"}). A symlink is never followed.
     *
     * @param dir the held directory
     * @param name one component
     * @return the directory's status
     * @throws SyscallException ENOTDIR or ELOOP (not a directory, a symlink), EACCES (not
     *     searchable), ENOENT, EBADF
     */
    default FileStat searchDirAt(TreeDir dir, Path name) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * The entries of a held directory, without {@code .} and {@code ..}, in its own order: each
     * call reads it from the start (a new open file description of the same directory, so calls
     * from several threads do not share a position).
     *
     * @param dir the held directory
     * @param types whether each entry's {@code d_type} and {@code d_ino} are wanted (as {@link
     *     #readdirDents}); otherwise they are {@code DT_UNKNOWN} and 0
     * @return the entries
     * @throws SyscallException EACCES, EBADF, ENOENT (removed)
     */
    default List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code unlinkat(dir, name, directory ? AT_REMOVEDIR : 0)}: removes a name (a symlink itself).
     *
     * @param dir the held directory
     * @param name one component
     * @param directory whether an empty directory is removed ({@code rmdir})
     * @return 0
     * @throws SyscallException ENOENT, EISDIR, ENOTDIR, ENOTEMPTY, EACCES, EPERM, EBUSY, EBADF
     */
    default int unlinkAt(TreeDir dir, Path name, boolean directory) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code mkdirat(dir, name, mode)}.
     *
     * @param dir the held directory
     * @param name one component
     * @param mode permission bits (the umask applies)
     * @return 0
     * @throws SyscallException EEXIST, EACCES, ENOSPC, EBADF
     */
    default int mkdirAt(TreeDir dir, Path name, int mode) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code openat(dir, name, flags | O_NOFOLLOW, mode)}: a file in a held directory, never
     * through a symlink ({@code name} {@code "."} opens the directory itself).
     *
     * @param dir the held directory
     * @param name one component, or {@code "."}
     * @param flags {@code O_*} flags ({@code O_NOFOLLOW} is added)
     * @param mode the permission bits of a created file
     * @return the open file
     * @throws SyscallException as {@link #open}; ELOOP for a symlink
     */
    default FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code symlinkat(target, dir, name)}.
     *
     * @param target the link's content, verbatim
     * @param dir the held directory
     * @param name one component
     * @return 0
     * @throws SyscallException EEXIST, EACCES, EBADF
     */
    default int symlinkAt(Path target, TreeDir dir, Path name) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code readlinkat(dir, name)}.
     *
     * @param dir the held directory
     * @param name one component
     * @return the link's content, verbatim
     * @throws SyscallException EINVAL (not a symlink), ENOENT, EBADF
     */
    default Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code mknodat(dir, name, mode, dev)}.
     *
     * @param dir the held directory
     * @param name one component
     * @param mode type and permission bits
     * @param dev the device number
     * @return 0
     * @throws SyscallException as {@link #mknod}, EBADF
     */
    default int mknodAt(TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code linkat(fromDir, fromName, toDir, toName, 0)}: a new name for an entry, both names
     * relative to held directories; a symlink is linked itself, never followed.
     *
     * <p>A default that fails with ENOSYS: the JDK has no {@code linkat}.
     *
     * @param fromDir the held directory of the existing name
     * @param fromName one component
     * @param toDir the held directory of the new name
     * @param toName one component
     * @return 0
     * @throws SyscallException EEXIST, ENOENT, EPERM (a directory), EXDEV (another file system), EMLINK, EBADF
     */
    default int linkAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code renameat2(fromDir, fromName, toDir, toName, flags)}: both names relative to held
     * directories, every {@code RENAME_*} flag done by the kernel.
     *
     * <p>A default that fails with ENOSYS: the JDK has no {@code renameat2}.
     *
     * @param fromDir the held directory of the existing name
     * @param fromName one component
     * @param toDir the held directory of the new name
     * @param toName one component
     * @param flags 0, {@code RENAME_NOREPLACE}, {@code RENAME_EXCHANGE} or {@code RENAME_WHITEOUT}
     * @return 0
     * @throws SyscallException as {@link #rename2}, EBADF
     */
    default int renameAt(TreeDir fromDir, Path fromName, TreeDir toDir, Path toName, int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code chmod} of the entry {@code name} of a held directory, never through a symlink: {@code
     * openat(dir, name, O_PATH | O_NOFOLLOW)}, then the mode set on what that opened (through its
     * {@code /proc/self/fd} link, as glibc's {@code fchmodat} does). Nothing is opened for reading,
     * so a FIFO does not block and a device is not touched, and set-id and sticky bits can be set.
     *
     * <p>A default that fails with ENOSYS: the portable layer cannot open a file without reading it.
     *
     * @param dir the held directory
     * @param name one component, or {@code "."} for the directory itself
     * @param mode permission, set-id and sticky bits
     * @return 0
     * @throws SyscallException ELOOP (a symlink), ENOENT, EPERM, EBADF, ENOSYS (no {@code /proc})
     */
    default int chmodAt(TreeDir dir, Path name, int mode) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code chown} of the entry {@code name} of a held directory, never through a symlink: {@code
     * openat(dir, name, O_PATH | O_NOFOLLOW)}, then {@code fchownat(that, "", uid, gid, AT_EMPTY_PATH)}.
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #chmodAt}.
     *
     * @param dir the held directory
     * @param name one component, or {@code "."}
     * @param uid the new owner, or -1 to keep it
     * @param gid the new group, or -1 to keep it
     * @return 0
     * @throws SyscallException ELOOP (a symlink), ENOENT, EPERM, EBADF
     */
    default int chownAt(TreeDir dir, Path name, int uid, int gid) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code utimensat} of the entry {@code name} of a held directory, never through a symlink:
     * {@code openat(dir, name, O_PATH | O_NOFOLLOW)}, then the times set on what that opened
     * (through its {@code /proc/self/fd} link).
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #chmodAt}.
     *
     * @param dir the held directory
     * @param name one component, or {@code "."}
     * @param atime the access time, or {@code null} for now
     * @param mtime the modification time, or {@code null} for now
     * @return 0
     * @throws SyscallException ELOOP (a symlink), ENOENT, EPERM, EACCES, EBADF, ENOSYS (no {@code /proc})
     */
    default int utimeAt(TreeDir dir, Path name, Instant atime, Instant mtime) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    // ---- sync ----

    /**
     * {@code fsync(2)}: writes the file's data and metadata to the device and waits.
     *
     * @param file the handle (a directory opened read-only works)
     * @return 0
     * @throws SyscallException EBADF, EIO, ENOSPC
     */
    int fsync(FileHandle file) throws SyscallException;

    /**
     * {@code fdatasync(2)}: writes the file's data (and the metadata needed to read it) and waits.
     *
     * @param file the handle
     * @return 0
     * @throws SyscallException EBADF, EIO, ENOSPC
     */
    int fdatasync(FileHandle file) throws SyscallException;

    /**
     * {@code syncfs(2)}: writes everything cached for the file system holding the file.
     *
     * @param file the handle
     * @return 0
     * @throws SyscallException EBADF, EIO, ENOSYS
     */
    int syncfs(FileHandle file) throws SyscallException;

    /**
     * {@code sync_file_range(2)}: starts or waits for write-out of a range's data (no metadata).
     *
     * @param file the handle
     * @param offset the start of the range
     * @param nbytes the length of the range, 0 for "to the end of the file"
     * @param flags {@code SYNC_FILE_RANGE_*} bits
     * @return 0
     * @throws SyscallException EBADF, EINVAL, EIO, ENOSPC, ENOSYS
     */
    int syncFileRange(FileHandle file, long offset, long nbytes, int flags) throws SyscallException;

    /**
     * {@code sync(2)}: writes everything cached, for every file system.
     *
     * @return 0
     * @throws SyscallException ENOSYS where it cannot be done
     */
    int sync() throws SyscallException;

    /**
     * {@code msync(2)}: writes a range of a file mapping back to the file.
     *
     * @param buffer the mapping
     * @param offset the start of the range within the buffer, 0 or more
     * @param length the length of the range, 0 or more
     * @param flags {@code MS_SYNC} or {@code MS_ASYNC}, optionally with {@code MS_INVALIDATE}
     * @return 0
     * @throws SyscallException EINVAL (flags, negative values), ENOMEM (outside the buffer), EIO
     */
    int msync(MappedByteBuffer buffer, long offset, long length, int flags) throws SyscallException;

    /**
     * IO::AIO's {@code mtouch}: touches every memory page of a buffer range (reads one byte per
     * page, or with {@code MT_MODIFY} reads and writes it back, dirtying the page).
     *
     * @param buffer the buffer, typically a mapping
     * @param offset the start of the range within the buffer, 0 or more
     * @param length the length of the range, 0 or more
     * @param flags 0 or {@code MT_MODIFY}
     * @return 0
     * @throws SyscallException EINVAL (flags, negative values), ENOMEM (outside the buffer), EFAULT (MT_MODIFY on a read-only buffer)
     */
    int mtouch(ByteBuffer buffer, long offset, long length, int flags) throws SyscallException;

    // ---- jails ----

    /**
     * The path calls of this layer resolved by the kernel beneath {@code dir} ({@code openat2(2)}
     * with {@code RESOLVE_BENEATH}), for a jail: every relative path is resolved from {@code dir}'s
     * descriptor, and an absolute path, an absolute symlink or a {@code ..} above {@code dir} fails
     * with EXDEV. {@link WorkingDirectorySyscalls} chooses it for a jail when the layer it wraps
     * offers it, and the walk in Java ({@code WalkedJailSyscalls}) otherwise.
     *
     * <p>A default that fails with ENOSYS: the portable layer cannot ask the kernel.
     *
     * @param dir the jail's directory (the layer may keep a descriptor of its own on it, closed with it)
     * @return the calls, resolving beneath {@code dir}
     * @throws SyscallException ENOSYS where the kernel or the layer cannot ({@code openat2} missing:
     *     Linux before 5.6, or refused by a seccomp filter), EBADF if {@code dir} is closed
     */
    default BeneathSyscalls beneath(DirectoryHandle dir) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * The path calls of this layer resolved by the kernel relative to {@code dir}, for an ordinary
     * working directory: each is the {@code *at} syscall on a descriptor of {@code dir} with the path
     * as given (IO::AIO's {@code [$wd, $path]} as libeio makes it), so no call goes by the
     * directory's path. {@link WorkingDirectorySyscalls} chooses it for an ordinary working directory
     * when the layer it wraps offers it, and {@link RelativeSyscalls} (through the JDK's directory
     * streams) otherwise.
     *
     * <p>A default that fails with ENOSYS: the portable layer cannot ask the kernel.
     *
     * @param dir the working directory (the layer may keep a descriptor of its own on it, closed with it)
     * @return the calls, resolving relative to {@code dir}
     * @throws SyscallException ENOSYS where the layer cannot, EBADF if {@code dir} is closed
     */
    default KernelResolvedSyscalls relative(DirectoryHandle dir) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    // ---- IO::AIO 4.8: record locks, fcntl, ioctl, fiemap, memory, pipes ----

    /**
     * {@code fcntl(2)} with a {@code struct flock}: {@code F_GETLK}, {@code F_SETLK}, {@code
     * F_SETLKW} (process locks) or their {@code F_OFD_*} forms (open-file-description locks).
     *
     * <p>A default that fails with ENOSYS, for the same reason as {@link #fadvise}.
     *
     * @param file the handle (open for reading for a read lock, for writing for a write lock)
     * @param cmd the command
     * @param lock the lock to take, release ({@code F_UNLCK}) or test; {@code pid} is ignored
     * @return for the GETLK forms the conflicting lock or one of type {@code F_UNLCK}; else {@code lock}
     * @throws SyscallException EAGAIN/EACCES (held by another), EBADF, EINVAL, EDEADLK, ENOLCK, EINTR
     */
    default org.ioaio.RecordLock fcntlLock(FileHandle file, int cmd, org.ioaio.RecordLock lock) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code fcntl(2)} with an integer argument (or none): {@code F_GETFL}, {@code F_SETFL}, {@code
     * F_GETFD}, {@code F_SETPIPE_SZ}, {@code F_ADD_SEALS}... The caller passes only commands whose
     * argument is an integer (never a pointer).
     *
     * @param file the handle
     * @param cmd the command
     * @param arg its argument
     * @return what {@code fcntl} returns
     * @throws SyscallException as {@code fcntl(2)}; ENOSYS where it cannot be done
     */
    default long fcntl(FileHandle file, int cmd, long arg) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code ioctl(2)} whose argument points into {@code arg}, a direct buffer, at its position:
     * the kernel reads and writes it there (the caller sized it for the request).
     *
     * @param file the handle
     * @param request the request
     * @param arg a direct buffer
     * @return what {@code ioctl} returns
     * @throws SyscallException ENOTTY (not for this file), EINVAL, EFAULT...; ENOSYS where it cannot be done
     */
    default long ioctl(FileHandle file, long request, ByteBuffer arg) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code ioctl(dst, FICLONE, src)} or, with a range, {@code ioctl(dst, FICLONERANGE, &range)}:
     * shares {@code src}'s extents with {@code dst} (a reflink).
     *
     * @param dst the destination, open for writing
     * @param src the source, open for reading
     * @param srcOffset the start in {@code src} ({@code length} &lt; 0: the whole file, {@code FICLONE})
     * @param length the byte count, 0 for "to the end of src", negative for the whole-file FICLONE
     * @param dstOffset the start in {@code dst}
     * @return 0
     * @throws SyscallException EOPNOTSUPP, EXDEV, EINVAL (the kernel's word for a file system without reflinks), EBADF
     */
    default int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code copy_file_range(2)}: copies {@code length} bytes from {@code in} at {@code inOffset}
     * to {@code out} at {@code outOffset} inside the kernel (a server-side copy or a reflink where
     * the file system offers one); neither file position moves. May copy fewer bytes than asked.
     *
     * <p>A default that fails with ENOSYS: the portable layer cannot make this call (a copy falls
     * back to {@link #sendfile}).
     *
     * @param in the source, open for reading
     * @param inOffset where to start reading, 0 or more
     * @param out the destination, open for writing (not {@code O_APPEND})
     * @param outOffset where to start writing, 0 or more
     * @param length the bytes to copy, 0 or more
     * @return the bytes copied, 0 when {@code inOffset} is at or past the end of {@code in}
     * @throws SyscallException EXDEV (another file system, before Linux 5.3 or after 5.19), EINVAL
     *     (overlapping ranges, special files, {@code O_APPEND}), EOPNOTSUPP, ENOSYS, EBADF, ENOSPC, EIO
     */
    default long copyFileRange(FileHandle in, long inOffset, FileHandle out, long outOffset, long length) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code ioctl(FS_IOC_FIEMAP)}: the extents of a range of the file.
     *
     * @param file the handle
     * @param start the range's start
     * @param length its length; -1 (the kernel's {@code FIEMAP_MAX_OFFSET}, all ones): to the end
     * @param flags {@code FIEMAP_FLAG_*}
     * @param count the most extents to return; -1 for all of them (queried in batches until the last)
     * @return the extents
     * @throws SyscallException EBADR (flags), EOPNOTSUPP (no FIEMAP on this file system), EBADF; ENOSYS
     */
    default List<org.ioaio.FiemapExtent> fiemap(FileHandle file, long start, long length, int flags, int count) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code ioctl(FS_IOC_FIEMAP)} with {@code fm_extent_count} 0: the number of extents of the range.
     *
     * @param file the handle
     * @param start the range's start
     * @param length its length
     * @param flags {@code FIEMAP_FLAG_*}
     * @return the number of extents the kernel reports ({@code fm_mapped_extents})
     * @throws SyscallException as {@link #fiemap}
     */
    default long fiemapCount(FileHandle file, long start, long length, int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code mlock(2)} (or, with {@code lock} false, {@code munlock(2)}) of a range of a direct
     * buffer, widened to whole pages.
     *
     * @param buffer a direct buffer (typically a mapping)
     * @param offset the start within the buffer
     * @param length the length, 0 or more
     * @param lock {@code true} to lock, {@code false} to unlock
     * @return 0
     * @throws SyscallException ENOMEM (over {@code RLIMIT_MEMLOCK}, or outside the buffer), EPERM, EINVAL; ENOSYS
     */
    default int mlock(ByteBuffer buffer, long offset, long length, boolean lock) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code mlockall(2)}, or {@code munlockall(2)} when {@code flags} is -1.
     *
     * @param flags {@code MCL_*} bits, or -1 for munlockall
     * @return 0
     * @throws SyscallException EINVAL (flags), ENOMEM, EPERM; ENOSYS
     */
    default int mlockall(int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code madvise(2)} of a range of a mapping, widened to whole pages.
     *
     * @param buffer the mapping
     * @param offset the start within the buffer
     * @param length the length
     * @param advice {@code MADV_*}
     * @return 0
     * @throws SyscallException EINVAL, ENOMEM (outside the buffer), EBADF; ENOSYS
     */
    default int madvise(ByteBuffer buffer, long offset, long length, int advice) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code splice(2)}: moves up to {@code length} bytes between two descriptors, one of them a pipe.
     *
     * @param in the source
     * @param inOffset its offset, or -1 for its position ({@code NULL})
     * @param out the destination
     * @param outOffset its offset, or -1 for its position
     * @param length the most bytes
     * @param flags {@code SPLICE_F_*}
     * @return the bytes moved, 0 at the end of the input
     * @throws SyscallException EINVAL (no pipe), ESPIPE, EAGAIN, EBADF; ENOSYS
     */
    default long splice(FileHandle in, long inOffset, FileHandle out, long outOffset, long length, int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code tee(2)}: copies up to {@code length} bytes from one pipe to another without consuming them.
     *
     * @param in the source pipe
     * @param out the destination pipe
     * @param length the most bytes
     * @param flags {@code SPLICE_F_*}
     * @return the bytes copied
     * @throws SyscallException EINVAL (not pipes, the same pipe), EAGAIN, EBADF; ENOSYS
     */
    default long tee(FileHandle in, FileHandle out, long length, int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code pipe2(2)}: a new pipe.
     *
     * @param flags 0 or {@code O_CLOEXEC}, {@code O_NONBLOCK}, {@code O_DIRECT}
     * @return the read end and the write end
     * @throws SyscallException EMFILE, ENFILE, EINVAL; ENOSYS
     */
    default FileHandle[] pipe(int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * IO::AIO's {@code min_fdlimit}: raises {@code RLIMIT_NOFILE}'s soft limit (and the hard one
     * where allowed) to at least {@code nfd}, or as high as it gets.
     *
     * @param nfd the wanted limit
     * @return the soft limit afterwards
     * @throws SyscallException EMFILE when the limit stays below {@code nfd}; ENOSYS
     */
    default long minFdlimit(long nfd) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }

    /**
     * {@code mmap(2)} of a file (or, with {@code MAP_ANONYMOUS} and no file, of memory), unmapped
     * deterministically when the region is closed.
     *
     * @param file the file, or {@code null} for an anonymous mapping
     * @param offset the file offset, a multiple of the page size
     * @param length the length, 1 or more
     * @param prot {@code PROT_*}, {@code PROT_READ} included
     * @param flags {@code MAP_*}, {@code MAP_SHARED} or {@code MAP_PRIVATE} included, never {@code MAP_FIXED}
     * @return the mapping
     * @throws SyscallException EACCES, EINVAL, ENODEV, ENOMEM, EBADF; ENOSYS where a mapping cannot be unmapped on demand
     */
    default MappedRegion mmap(FileHandle file, long offset, long length, int prot, int flags) throws SyscallException {
        throw new SyscallException(Errno.ENOSYS);
    }
}
