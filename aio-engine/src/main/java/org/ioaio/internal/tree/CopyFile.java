package org.ioaio.internal.tree;

import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOFOLLOW;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_TRUNC;
import static org.ioaio.AioConstants.O_WRONLY;

import java.nio.file.Path;
import java.time.Instant;
import org.ioaio.AioCallback;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.internal.sched.Op;
import org.ioaio.internal.sched.Scheduler;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;
import org.ioaio.internal.sys.TreeDir;

/**
 * {@code aio_copy}: copies one file, in the steps of {@code AIO.pm}'s {@code aio_copy}.
 *
 * <ol>
 *   <li>{@code open} the source (after a {@code stat}: a directory is EISDIR, a FIFO, socket or
 *       device EINVAL, so that no worker blocks opening a FIFO; opened {@code O_NONBLOCK} as well,
 *       against a FIFO swapped in meanwhile), and {@code fstat} it for its size, mode, owner and
 *       times.
 *   <li>{@code open} the destination {@code O_WRONLY|O_CREAT|O_TRUNC}, created with mode 0200 (an
 *       existing file is truncated, as IO::AIO does). Its directory is opened (the path's normal
 *       rules) and held until the copy is over; the destination is opened relative to it, {@code
 *       O_NOFOLLOW}: a symlink there fails with ELOOP and nothing is written through it. Copying
 *       a file onto itself (another name of the same inode included) fails with EINVAL before
 *       anything is truncated.
 *   <li>{@code sendfile} (the zero-copy path), in steps of at most {@link #CHUNK} bytes, so a copy
 *       can be cancelled between chunks. A source that ends early fails with EIO; the source is
 *       closed after its last byte.
 *   <li>Access and modification time, mode ({@code & 07777}), then owner and group, in that order,
 *       on the open destination; as in IO::AIO, failures of these are ignored (an unprivileged
 *       caller cannot give a file away).
 *   <li>{@code close} the destination; unlike IO::AIO, a failing close (a write error reported
 *       late, as NFS does) fails the copy.
 * </ol>
 *
 * On any failure, and when cancelled, both files are closed and the destination, if this copy
 * created or truncated it, is unlinked relative to the held directory (never through a directory
 * swapped in for the path meanwhile), before the request finishes.
 *
 * <p>A tree copy copies each file in one step instead ({@link #copyAt}), so that it holds
 * descriptors only while a worker runs that step.
 */
final class CopyFile extends Composite {

    /** The most bytes one sendfile step copies: the granularity of cancelling a large copy. */
    static final long CHUNK = 64L << 20;

    private final Path src;
    private final Path dst;
    private final boolean followSource;

    // Written by steps on workers, read by later steps and the cleanup (published by the queues).
    private FileHandle in;
    private FileHandle out;
    /** The destination's directory, held from the open to the end: the cleanup unlinks relative to it. */
    private TreeDir dstDir;
    private FileStat st;
    private boolean dstTouched;
    private long copied;

    /**
     * A copy of {@code src} to {@code dst}.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback the callback
     * @param src the file to copy
     * @param dst the copy
     */
    CopyFile(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path src, Path dst) {
        this(scheduler, sys, pri, callback, src, dst, true);
    }

    /**
     * A copy of {@code src} to {@code dst}, the source's last component followed or not.
     *
     * @param scheduler the scheduler
     * @param sys the syscall layer
     * @param pri the priority of every step
     * @param callback the callback
     * @param src the file to copy
     * @param dst the copy
     * @param followSource {@code false}: the source is opened {@code O_NOFOLLOW} relative to its
     *     directory (a symlink swapped in fails with ELOOP; {@code aio_move}'s fallback, which
     *     moves a name, not what a link points to)
     */
    CopyFile(Scheduler scheduler, Syscalls sys, int pri, AioCallback<?> callback, Path src, Path dst,
            boolean followSource) {
        super(scheduler, sys, pri, Op.COPY, callback);
        this.src = src;
        this.dst = dst;
        this.followSource = followSource || src.getFileName() == null;
    }

    /** The source's status from its open descriptor, once opened (polling thread, after the first step). */
    FileStat sourceStat() {
        return st;
    }

    /** The directory holding {@code p} ({@code "."} for a single name). */
    static Path parentOf(Path p) {
        Path parent = p.getParent();
        return parent != null ? parent : Path.of(".");
    }

    @Override
    void begin() {
        step(Op.OPEN, src, this::openSource, v -> openDestination());
    }

    private Object openSource(Syscalls s) throws SyscallException {
        if (followSource) {
            checkType(s.stat(src));
            in = s.open(src, O_RDONLY | O_NONBLOCK, 0);
        } else {
            try (TreeDir d = s.openDir(parentOf(src), true)) {
                checkType(s.lstatAt(d, src.getFileName()));
                in = s.openAt(d, src.getFileName(), O_RDONLY | O_NONBLOCK, 0);
            }
        }
        st = s.fstat(in);
        checkType(st);
        return null;
    }

    private static void checkType(FileStat f) throws SyscallException {
        if (f.isDirectory()) {
            throw new SyscallException(Errno.EISDIR);
        }
        if (!f.isRegularFile()) {
            throw new SyscallException(Errno.EINVAL); // FIFO, socket, device: sendfile(2) refuses them
        }
    }

    private void openDestination() {
        step(Op.OPEN, dst, s -> {
            Path name = dst.getFileName();
            if (name == null) {
                out = s.open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0200); // "/": EISDIR
                return null;
            }
            dstDir = s.openDir(parentOf(dst), true);
            try {
                FileStat d = s.lstatAt(dstDir, name);
                if (d.isRegularFile() && d.dev() == st.dev() && d.ino() == st.ino()) {
                    throw new SyscallException(Errno.EINVAL); // the same file: truncating it would lose it
                }
            } catch (SyscallException e) {
                if (e.errno() != Errno.ENOENT.code()) {
                    throw e;
                }
            }
            out = s.openAt(dstDir, name, O_WRONLY | O_CREAT | O_TRUNC, 0200); // O_NOFOLLOW: a symlink is ELOOP
            dstTouched = true;
            return null;
        }, v -> send());
    }

    @Override
    void finished() {
        TreeDir d = dstDir;
        dstDir = null;
        if (d != null) {
            d.close();
        }
    }

    private void send() {
        if (copied >= st.size()) {
            restoreAttributes();
            return;
        }
        step(Op.SENDFILE, dst, s -> {
            long end = Math.min(st.size(), copied + CHUNK);
            while (copied < end) {
                long n = s.sendfile(out, in, copied, end - copied);
                if (n <= 0) {
                    throw new SyscallException(Errno.EIO); // the source is shorter than it was
                }
                copied += n;
            }
            return copied;
        }, v -> send());
    }

    private void restoreAttributes() {
        step(Op.UTIME, dst, s -> {
            closeQuietly(s, in); // the source is read to its end
            in = null;
            restore(s, out, dst, st);
            return null;
        }, v -> step(Op.CLOSE, dst, s -> {
            FileHandle f = out;
            out = null;
            return s.close(f);
        }, NOTHING));
    }

    /**
     * Times, mode, then owner and group of {@code st} onto the open {@code out}, in that order;
     * failures ignored, as IO::AIO ignores them ({@code utime} by path where {@code futimens} is
     * missing).
     */
    static void restore(Syscalls s, FileHandle out, Path dst, FileStat st) {
        Instant atime = Instant.ofEpochSecond(st.atimeSec(), st.atimeNsec());
        Instant mtime = Instant.ofEpochSecond(st.mtimeSec(), st.mtimeNsec());
        try {
            s.futime(out, atime, mtime);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOSYS.code()) {
                ignore(() -> s.utime(dst, atime, mtime));
            }
        }
        ignore(() -> s.fchmod(out, st.mode() & 07777));
        ignore(() -> s.fchown(out, st.uid(), st.gid()));
    }

    /**
     * A whole file copy in one step, for tree copies: the same syscalls as the composite, in the
     * same order, but the files are open only during this call, so a tree copy of any size holds
     * at most two file descriptors per worker. Both are opened relative to held directories: the
     * source {@code O_NOFOLLOW} (ELOOP if it became a symlink; never followed), the destination
     * {@code O_CREAT | O_EXCL | O_NOFOLLOW}; on any failure the destination is unlinked (relative
     * to its directory) before this returns.
     *
     * @param s the syscall layer
     * @param from the source's directory
     * @param to the destination's directory
     * @param name the file's name in both
     * @throws SyscallException the first failure
     */
    static void copyAt(Syscalls s, TreeDir from, TreeDir to, Path name) throws SyscallException {
        FileHandle in = s.openAt(from, name, O_RDONLY | O_NONBLOCK, 0);
        try {
            FileStat st = s.fstat(in);
            checkType(st);
            FileHandle out = s.openAt(to, name, O_WRONLY | O_CREAT | O_EXCL, 0200);
            try {
                for (long done = 0; done < st.size(); ) {
                    long n = s.sendfile(out, in, done, st.size() - done);
                    if (n <= 0) {
                        throw new SyscallException(Errno.EIO); // the source is shorter than it was
                    }
                    done += n;
                }
                restore(s, out, to.path().resolve(name), st);
            } catch (SyscallException | RuntimeException e) {
                closeQuietly(s, out);
                unlinkQuietly(s, to, name);
                throw e;
            }
            try {
                s.close(out);
            } catch (SyscallException e) {
                unlinkQuietly(s, to, name);
                throw e;
            }
        } finally {
            closeQuietly(s, in);
        }
    }

    private static void unlinkQuietly(Syscalls s, TreeDir d, Path name) {
        try {
            s.unlinkAt(d, name, false);
        } catch (SyscallException e) {
            // the tree copy's cleanup removes what is left
        }
    }

    /** A call whose failure does not matter. */
    @FunctionalInterface
    private interface Call {
        int run() throws SyscallException;
    }

    private static void ignore(Call c) {
        try {
            c.run();
        } catch (SyscallException e) {
            // as IO::AIO: errors setting times, mode and owner are ignored
        }
    }

    @Override
    Work cleanup() {
        return s -> {
            closeQuietly(s, in);
            in = null;
            closeQuietly(s, out);
            out = null;
            if (dstTouched) {
                try {
                    if (dstDir != null) {
                        s.unlinkAt(dstDir, dst.getFileName(), false); // where it was made, whatever became of the path
                    } else {
                        s.unlink(dst);
                    }
                } catch (SyscallException e) {
                    if (e.errno() != Errno.ENOENT.code()) {
                        throw e;
                    }
                }
            }
            return null;
        };
    }

    private static void closeQuietly(Syscalls s, FileHandle f) {
        if (f != null) {
            try {
                s.close(f);
            } catch (SyscallException e) {
                // closed anyway (close(2) releases the descriptor even when it fails)
            }
        }
    }
}
