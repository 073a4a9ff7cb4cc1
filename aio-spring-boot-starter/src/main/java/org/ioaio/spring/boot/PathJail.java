package org.ioaio.spring.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the paths given to {@link AioTemplate} against {@code aio.root} and refuses every path
 * that would leave it.
 *
 * <p>Rules, checked on the calling thread before anything is queued:
 * <ul>
 *   <li>a NUL character anywhere in the path is refused;
 *   <li>a relative path resolves against the root, an absolute path must already be under it;
 *       {@code ..} is resolved lexically and may not climb above the root;
 *   <li>the real path (every symbolic link followed) of what exists of the path must be under the
 *       root's real path; for a request that does not follow the last component ({@code lstat},
 *       {@code unlink}, {@code rename}, {@code readlink}...) only its parent is followed; a dangling
 *       link's target is checked as the path it would create.
 * </ul>
 * Every refusal is an {@link AioException} with {@link Errno#EXDEV}, the errno Linux's {@code
 * openat2(RESOLVE_BENEATH)} reports for a path escaping its directory, naming the operation and
 * the path as given; its cause says why.
 *
 * <p>This is a check followed by a use, so a concurrent rename or symlink swap between the two can
 * still escape; resolving with {@code openat}/{@code openat2} in the engine closes that window.
 */
final class PathJail {

    /** The most symbolic links followed in one resolution, as Linux's {@code MAXSYMLINKS}. */
    private static final int MAX_LINKS = 40;

    private final Path root;
    private final Path realRoot;

    /**
     * A jail at {@code root}.
     *
     * @param root an existing directory
     * @throws UncheckedIOException if the root's real path cannot be read
     */
    PathJail(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("aio.root " + root + ": cannot resolve its real path", e);
        }
    }

    /** The root, absolute and normalized. */
    Path root() {
        return root;
    }

    /**
     * Resolves {@code path} inside the root.
     *
     * @param operation the request's name, for the exception
     * @param path the path as the caller gave it
     * @param followLast whether the request follows a symbolic link in the last component
     * @return the absolute path under the root to hand to the engine
     * @throws AioException with EXDEV when the path leaves the root (or the errno of a failed check)
     */
    Path resolve(String operation, String path, boolean followLast) throws AioException {
        if (path.indexOf('\0') >= 0) {
            throw refuse(operation, path, "the path contains a NUL character");
        }
        Path p;
        try {
            p = root.getFileSystem().getPath(path);
        } catch (InvalidPathException e) {
            throw new AioException(Errno.EXDEV.code(), operation, path, e);
        }
        return resolve(operation, p, path, followLast);
    }

    /**
     * Resolves {@code path} inside the root.
     *
     * @param operation the request's name, for the exception
     * @param path the path as the caller gave it
     * @param followLast whether the request follows a symbolic link in the last component
     * @return the absolute path under the root to hand to the engine
     * @throws AioException with EXDEV when the path leaves the root (or the errno of a failed check)
     */
    Path resolve(String operation, Path path, boolean followLast) throws AioException {
        return resolve(operation, path, path.toString(), followLast);
    }

    /**
     * Checks that a symbolic link at {@code linkPath} (already resolved) with content {@code target}
     * points inside the root, lexically: links that point out are refused even before anyone follows them.
     */
    void checkLinkTarget(String operation, String target, Path linkPath) throws AioException {
        if (target.indexOf('\0') >= 0) {
            throw refuse(operation, target, "the link target contains a NUL character");
        }
        Path t;
        try {
            t = root.getFileSystem().getPath(target);
        } catch (InvalidPathException e) {
            throw new AioException(Errno.EXDEV.code(), operation, target, e);
        }
        Path parent = linkPath.getParent();
        Path abs = (t.isAbsolute() || parent == null ? t : parent.resolve(t)).normalize();
        if (!abs.startsWith(root)) {
            throw refuse(operation, target, "the link would point outside aio.root " + root);
        }
    }

    private Path resolve(String operation, Path p, String given, boolean followLast) throws AioException {
        Path abs;
        if (p.isAbsolute()) {
            abs = p.normalize();
            if (!abs.startsWith(root)) {
                throw refuse(operation, given, "an absolute path outside aio.root " + root);
            }
        } else {
            abs = root.resolve(p).normalize();
            if (!abs.startsWith(root)) {
                throw refuse(operation, given, "'..' climbs out of aio.root " + root);
            }
        }
        checkReal(operation, given, realRoot.resolve(root.relativize(abs)), followLast, 0);
        return abs;
    }

    /**
     * Checks that what exists of {@code abs} (a normalized path under the real root) resolves under
     * the real root, following links as the request would.
     */
    private void checkReal(String operation, String given, Path abs, boolean followLast, int links) throws AioException {
        if (links > MAX_LINKS) {
            throw new AioException(Errno.ELOOP.code(), operation, given);
        }
        if (!abs.startsWith(realRoot)) {
            throw refuse(operation, given, "a symbolic link leads outside aio.root " + root);
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.startsWith(realRoot)) {
            // The root itself vanished: let the request fail on its own (ENOENT).
            return;
        }
        boolean whole = existing.equals(abs);
        if (whole && !followLast) {
            Path parent = abs.getParent();
            if (parent == null || abs.equals(realRoot)) {
                return;
            }
            checkUnder(operation, given, realPath(operation, given, parent));
            return;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (NoSuchFileException e) {
            // existing is a dangling symbolic link (its parent resolves, or lstat would have failed):
            // check where it points, as the request would create or reach it.
            Path target;
            try {
                target = Files.readSymbolicLink(existing);
            } catch (IOException notALink) {
                throw failure(operation, given, notALink);
            }
            Path parent = existing.getParent();
            Path parentReal = realPath(operation, given, parent);
            checkUnder(operation, given, parentReal);
            Path next = parentReal.resolve(target).normalize();
            checkReal(operation, given, next.resolve(existing.relativize(abs)).normalize(), followLast, links + 1);
            return;
        } catch (IOException e) {
            throw failure(operation, given, e);
        }
        checkUnder(operation, given, real);
    }

    private void checkUnder(String operation, String given, Path real) throws AioException {
        if (!real.startsWith(realRoot)) {
            throw refuse(operation, given, "a symbolic link leads outside aio.root " + root + " (to " + real + ")");
        }
    }

    private static Path realPath(String operation, String given, Path p) throws AioException {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw failure(operation, given, e);
        }
    }

    private static AioException refuse(String operation, String given, String why) {
        return new AioException(Errno.EXDEV.code(), operation, given, new IOException("aio.root jail: " + why));
    }

    private static AioException failure(String operation, String given, IOException e) {
        return new AioException(errno(e), operation, given, e);
    }

    private static int errno(@Nullable IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT.code();
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES.code();
        }
        if (e instanceof FileSystemLoopException) {
            return Errno.ELOOP.code();
        }
        return Errno.EIO.code();
    }
}
