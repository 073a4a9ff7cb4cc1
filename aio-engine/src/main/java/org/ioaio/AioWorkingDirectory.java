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

package org.ioaio;

import java.nio.file.Path;
import org.ioaio.internal.sys.DirectoryHandle;
import org.ioaio.internal.sys.SyscallException;

/**
 * IO::AIO's {@code IO::AIO::WD}: a directory that relative paths are resolved against, held open,
 * optionally as a <em>jail</em> that no path may leave.
 *
 * <p>Made by a request, {@link AioEngine#wd(Path)} ({@code aio_wd}) or {@link AioEngine#jail(Path)},
 * or synchronously by {@link #open(Path)} / {@link #jail(Path)} (which block: "creating an
 * IO::AIO::WD object is itself a potentially blocking operation"). Used through {@link
 * AioEngine#in(AioWorkingDirectory)}, a view of the engine whose every path argument is resolved
 * against it, which is IO::AIO's {@code [$wd, $path]}:
 *
 * <pre>{@code
 * aio.wd(Path.of("/etc"), r -> {                   // aio_wd "/etc", sub ...
 *     AioWorkingDirectory etc = r.value();         // null on error: aio.in(null) throws, so check r.errno()
 *     AioEngine inEtc = aio.in(etc);
 *     inEtc.stat(Path.of("passwd"), s -> { ... });  // aio_stat [$etcdir, "passwd"]
 *     inEtc.lstat(Path.of("."), s -> { ... });      // aio_lstat [$etcdir, "."]: the directory itself
 * });
 * }</pre>
 *
 * <p><b>What it holds</b>: the canonical absolute path ({@link #path()}) and, where the JDK can
 * ({@code SecureDirectoryStream}: Linux, the BSDs), an open directory descriptor. Relative paths
 * are resolved {@code openat}-style through the descriptor, so renaming the directory does not
 * redirect requests: on the native backend every request is the kernel's {@code *at} call on the
 * descriptor; on the portable backend, the calls the JDK cannot make relative to a descriptor go
 * by {@code /proc/self/fd/N/./path} on a descriptor of the directory, which the kernel resolves
 * from that descriptor (listed on {@link AioEngine#in}). An absolute path ignores an
 * ordinary working directory, as in IO::AIO.
 *
 * <p><b>A jail</b> refuses, with <b>EXDEV</b> (the errno of {@code openat2}'s {@code
 * RESOLVE_BENEATH}, whose rules it follows), any path that would leave it: an absolute path, a
 * {@code ..} climbing above it (even one that later comes back), an absolute symlink, or a
 * relative symlink that climbs out; more than 40 symlinks are ELOOP. Paths are resolved when the
 * request executes: on the native backend by the kernel ({@code openat2} with {@code
 * RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}, from a descriptor of the jail), elsewhere (and where
 * {@code openat2} is missing, Linux before 5.6) component by component, each through a directory
 * opened relative to the previous one without following symlinks; either way a symlink swapped in
 * while a request is queued, or during it, makes it fail or act inside, never outside, and the
 * errnos are the same (EAGAIN where a {@code ..} raced a rename: the kernel says so for a rename
 * anywhere in the system, so the native backend resolves such a path again, up to 64 times, and
 * the walk when the directory it climbs out of was moved meanwhile), with one exception: on the
 * portable backend, what {@code java.nio} can
 * change only by path (set-id and sticky bits of {@code chmod}, {@code mknod} and a creating
 * {@code open}; the attributes of FIFOs, devices and sockets) fails with EOPNOTSUPP before
 * anything changes. Hard links are not symlinks: a file hard-linked into the jail is inside it.
 * The rules, and the few remaining windows of the walk on the portable layer, are documented on
 * the package {@code org.ioaio.internal.sys}. A working directory made through a jail
 * is a jail.
 *
 * <p><b>Closing</b> releases the descriptor; the owner closes it, after the requests using it (a
 * request already running finishes, later ones fail with EBADF). Closing an engine view does not
 * close the working directory, nor the engine. Thread-safe.
 */
public final class AioWorkingDirectory implements AutoCloseable {

    private final DirectoryHandle handle;

    AioWorkingDirectory(DirectoryHandle handle) {
        this.handle = handle;
    }

    /**
     * Opens a working directory now, blocking the calling thread ({@link AioEngine#wd(Path)} is the
     * request form).
     *
     * @param dir the directory; symlinks in it are followed, relative to the process's working directory
     * @return the working directory, the caller's to close
     * @throws AioException ENOENT, ENOTDIR, EACCES, ELOOP
     */
    public static AioWorkingDirectory open(Path dir) throws AioException {
        return open(dir, false, "wd");
    }

    /**
     * Opens a jail now, blocking the calling thread ({@link AioEngine#jail(Path)} is the request form).
     *
     * @param dir the directory; symlinks in it are followed (it is the caller's choice)
     * @return the jail, the caller's to close
     * @throws AioException ENOENT, ENOTDIR, EACCES, ELOOP; ENOSYS where the JDK cannot open a
     *     directory descriptor (a jail cannot be enforced by path)
     */
    public static AioWorkingDirectory jail(Path dir) throws AioException {
        return open(dir, true, "jail");
    }

    private static AioWorkingDirectory open(Path dir, boolean jail, String operation) throws AioException {
        if (dir == null) {
            throw new IllegalArgumentException("dir must not be null");
        }
        try {
            return new AioWorkingDirectory(DirectoryHandle.open(dir, jail));
        } catch (SyscallException e) {
            throw e.toAioException(operation, dir.toString());
        }
    }

    /**
     * The canonical absolute path the directory had when it was opened. If it was renamed since,
     * requests still find it; {@code aio.in(wd).realpath(Path.of("."))} gives its path now.
     */
    public Path path() {
        return handle.path();
    }

    /** Whether it is a jail: no path resolved against it may leave it. */
    public boolean isJail() {
        return handle.isJail();
    }

    /** {@code true} until {@link #close()}. */
    public boolean isOpen() {
        return handle.isOpen();
    }

    /**
     * Whether it holds a directory descriptor. Without one (where the JDK has no {@code
     * SecureDirectoryStream}) relative paths are resolved against {@link #path()}, as IO::AIO does
     * on systems without {@code openat}; a jail always has one.
     */
    public boolean hasDescriptor() {
        return handle.hasDescriptor();
    }

    /** Releases the descriptor (idempotent); requests through it afterwards fail with EBADF. */
    @Override
    public void close() {
        handle.close();
    }

    /** The internal handle, for the engine. */
    DirectoryHandle handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "AioWorkingDirectory[" + handle + "]";
    }
}
