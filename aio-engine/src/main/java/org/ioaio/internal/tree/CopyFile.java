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

import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NOCTTY;
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
 *   <li>The content ({@link Content}): a reflink ({@code FICLONE}) where the file system offers
 *       one, else {@code copy_file_range}, else {@code sendfile} (the native layer's own fallback
 *       is {@code pread}/{@code write}), each tried once and given up for the next on EXDEV,
 *       ENOSYS, EOPNOTSUPP, EINVAL or ENOTTY; a sparse source's holes are skipped ({@code
 *       SEEK_DATA}/{@code SEEK_HOLE}) and stay holes, the size set by {@code ftruncate}. In
 *       steps of at most {@link #CHUNK} bytes of data, so a copy can be cancelled between chunks.
 *       A source that ends early fails with EIO; the source is closed after its last byte.
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
    /** The content's copy, made by the first content step. */
    private Content content;

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
            if (content == null) {
                content = new Content(in, out, st, new Learnt());
            }
            content.copy(s, CHUNK);
            copied = content.position();
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
        restore(s, out, dst, st, null);
    }

    /**
     * {@link #restore(Syscalls, FileHandle, Path, FileStat)}; with {@code made} (a tree copy) the
     * owner is set before the mode, as {@code cp -a} does (a {@code chown} clears the set-user-ID
     * and set-group-ID bits, even one that changes nothing), and not at all when {@code made}
     * knows that a file made in the destination's directory already has the source's owner and
     * group.
     */
    private static void restore(Syscalls s, FileHandle out, Path dst, FileStat st, NewFiles made) {
        Instant atime = Instant.ofEpochSecond(st.atimeSec(), st.atimeNsec());
        Instant mtime = Instant.ofEpochSecond(st.mtimeSec(), st.mtimeNsec());
        try {
            s.futime(out, atime, mtime);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOSYS.code()) {
                ignore(() -> s.utime(dst, atime, mtime));
            }
        }
        if (made == null) {
            ignore(() -> s.fchmod(out, st.mode() & 07777));
            ignore(() -> s.fchown(out, st.uid(), st.gid()));
            return;
        }
        // a tree copy, as cp -a: the owner before the mode, since a chown clears the set-user-ID and set-group-ID bits
        if (!made.owns(st.uid(), st.gid())) {
            ignore(() -> s.fchown(out, st.uid(), st.gid()));
        }
        ignore(() -> s.fchmod(out, st.mode() & 07777));
    }

    /**
     * The owner and group that files made in one destination directory get (from the process's
     * file system ids, or the directory's group where it is set-group-ID), learnt from the first
     * file made there ({@code fstat} of it), so that a tree copy calls {@code fchown} only on the
     * files whose source has another owner or group. One per destination directory of a tree
     * copy, shared by the workers copying into it (they learn the same).
     */
    static final class NewFiles {

        /** {@code uid << 32 | gid} (both unsigned), or -1 until learnt. */
        private volatile long owner = -1;

        private static long key(int uid, int gid) {
            return (Integer.toUnsignedLong(uid) << 32) | Integer.toUnsignedLong(gid);
        }

        /** Whether a new file there already has {@code uid} and {@code gid}; {@code false} while unknown. */
        boolean owns(int uid, int gid) {
            return owner == key(uid, gid);
        }

        /** Learns from {@code out}, a file just made there, if not learnt yet (failures ignored: then {@code fchown} runs). */
        void learn(Syscalls s, FileHandle out) {
            if (owner == -1) {
                try {
                    FileStat made = s.fstat(out);
                    owner = key(made.uid(), made.gid());
                } catch (SyscallException e) {
                    // unknown: every file's owner is set
                }
            }
        }
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
        copyAt(s, from, to, name, new Learnt());
    }

    /**
     * {@link #copyAt(Syscalls, TreeDir, TreeDir, Path)} that learns, in {@code learnt}, which
     * content methods fail for good (shared by every file of a tree copy).
     *
     * @param s the syscall layer
     * @param from the source's directory
     * @param to the destination's directory
     * @param name the file's name in both
     * @param learnt what earlier files taught
     * @throws SyscallException the first failure
     */
    static void copyAt(Syscalls s, TreeDir from, TreeDir to, Path name, Learnt learnt) throws SyscallException {
        copyAt(s, from, to, name, learnt, null);
    }

    /**
     * {@link #copyAt(Syscalls, TreeDir, TreeDir, Path, Learnt)} without an {@code fchown} that would
     * change nothing ({@code made}: what files made in {@code to} get; {@code null}: always).
     */
    static void copyAt(Syscalls s, TreeDir from, TreeDir to, Path name, Learnt learnt, NewFiles made)
            throws SyscallException {
        FileStat other = copyRegularAt(s, from, to, name, learnt, made);
        if (other != null) {
            checkType(other); // EISDIR, or EINVAL for a FIFO, socket or device
        }
    }

    /**
     * The file copy of {@link #copyAt(Syscalls, TreeDir, TreeDir, Path, Learnt)} if the source,
     * once open ({@code O_NOFOLLOW | O_NONBLOCK | O_NOCTTY}), is a regular file; otherwise nothing is made and
     * its status is returned (a tree copy opens an entry its listing typed as a regular file
     * without looking at it first, and looks again when it is not one).
     *
     * @param s the syscall layer
     * @param from the source's directory
     * @param to the destination's directory
     * @param name the file's name in both
     * @param learnt what earlier files taught
     * @param made what files made in {@code to} get as owner ({@code null}: always {@code fchown})
     * @return {@code null} when copied, else the status of what the name opened
     * @throws SyscallException the first failure (ELOOP: the source is a symlink)
     */
    static FileStat copyRegularAt(Syscalls s, TreeDir from, TreeDir to, Path name, Learnt learnt, NewFiles made)
            throws SyscallException {
        // O_NOCTTY: a terminal swapped in after the listing never becomes the process's controlling one.
        FileHandle in = s.openAt(from, name, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
        try {
            FileStat st = s.fstat(in);
            if (!st.isRegularFile()) {
                return st;
            }
            FileHandle out = s.openAt(to, name, O_WRONLY | O_CREAT | O_EXCL, 0200);
            try {
                if (made != null) {
                    made.learn(s, out);
                }
                if (st.size() > 0) {
                    new Content(in, out, st, learnt).copy(s, Long.MAX_VALUE);
                }
                restore(s, out, to.path().resolve(name), st, made);
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
            return null;
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

    /**
     * What copies learn about the file systems they copy between: the source devices whose files
     * cannot be reflinked, and whether {@code copy_file_range} is missing or refused. One per copy,
     * shared by every file of a tree copy (so that each file does not try again what failed for the
     * first one, and files copied while the first reflink of a device is tried skip it), so what is
     * learnt can at worst make a copy slower ({@code copy_file_range} itself shares extents where
     * the file system can).
     */
    static final class Learnt {

        /**
         * Per source {@code st_dev}: {@link #PROBING} while the first file's reflink is tried (the
         * files copied meanwhile use the next method), {@link #REFUSED} once it failed with an errno
         * that says "not here", {@link #WORKS} once one succeeded; absent until a file is tried. So
         * a tree copy tries a reflink the file system refuses once, however many workers copy.
         */
        private final java.util.concurrent.ConcurrentHashMap<Long, Integer> reflinks = new java.util.concurrent.ConcurrentHashMap<>();

        private static final Integer PROBING = 0;
        private static final Integer REFUSED = 1;
        private static final Integer WORKS = 2;

        /** Whether to try a reflink of a file of {@code dev} now (then {@link #reflinked} must follow). */
        boolean tryReflink(long dev) {
            Integer known = reflinks.putIfAbsent(dev, PROBING);
            return known == null || known.equals(WORKS);
        }

        /** The outcome of a reflink {@link #tryReflink} allowed: worked, refused ("not here"), or failed otherwise (unknown still). */
        void reflinked(long dev, Boolean worked) {
            if (worked == null) {
                reflinks.remove(dev, PROBING);
            } else {
                reflinks.put(dev, worked ? WORKS : REFUSED);
            }
        }
        /** {@code copy_file_range} failed with ENOSYS, EXDEV or EOPNOTSUPP. */
        private volatile boolean noCopyFileRange;
    }

    /**
     * One file's content on its way from {@code in} to {@code out} (same offsets in both), by the
     * first method that works, in this order:
     *
     * <ol>
     *   <li>a reflink of the whole file ({@code ioctl(FICLONE)}: Btrfs, XFS, bcachefs... share the
     *       extents, nothing is copied), tried once, at the start, for a non-empty file;
     *   <li>{@code copy_file_range(2)} of each data range (the kernel copies, without the data
     *       crossing into user space; NFS and SMB copy on the server);
     *   <li>{@code sendfile(2)} of each data range, at the destination's position moved there with
     *       {@code lseek} (the native layer emulates it with {@code pread}/{@code write} where the
     *       kernel refuses it; the portable layer uses {@code FileChannel.transferTo}).
     * </ol>
     *
     * A method is given up for the next on EXDEV, ENOSYS, EOPNOTSUPP, EINVAL or ENOTTY (the kernel's
     * ways of saying "not between these files"); any other errno fails the copy. A source with fewer
     * blocks allocated than its size needs is sparse: its data ranges are found with {@code
     * lseek(SEEK_DATA)} and {@code lseek(SEEK_HOLE)}, only they are copied, and the destination's
     * size is set with {@code ftruncate} at the end, so the holes stay holes (a file system without
     * {@code SEEK_DATA} answers EINVAL: the whole file is then data). Used by one thread at a time.
     */
    static final class Content {

        /** {@link #used()}: a reflink made the copy. */
        static final int REFLINK = 1;
        /** {@link #used()}: {@code copy_file_range} copied data. */
        static final int COPY_FILE_RANGE = 2;
        /** {@link #used()}: {@code sendfile} copied data. */
        static final int SENDFILE = 4;
        /** {@link #used()}: holes were skipped. */
        static final int HOLES = 8;

        private final FileHandle in;
        private final FileHandle out;
        private final FileStat st;
        private final Learnt learnt;
        /** Everything before this offset is copied (or a hole). */
        private long pos;
        /** The destination's file position, where {@code sendfile} writes. */
        private long outPos;
        private boolean sparse;
        private boolean copyFileRange;
        private boolean reflinkTried;
        private int used;

        Content(FileHandle in, FileHandle out, FileStat st, Learnt learnt) {
            this.in = in;
            this.out = out;
            this.st = st;
            this.learnt = learnt;
            this.sparse = st.blocks() * 512 < st.size();
            this.copyFileRange = !learnt.noCopyFileRange;
        }

        /** How far the copy is: the source's size when it is done. */
        long position() {
            return pos;
        }

        /** The methods used so far: {@link #REFLINK}, {@link #COPY_FILE_RANGE}, {@link #SENDFILE}, {@link #HOLES} bits. */
        int used() {
            return used;
        }

        /**
         * Copies on from {@link #position()}, at most {@code budget} bytes of data (skipped holes
         * do not count); at the end of the file sets the destination's size if it ends in a hole.
         *
         * @param s the syscall layer
         * @param budget the most data bytes to copy in this call, more than 0
         * @throws SyscallException EIO if the source is shorter than its size said; any other
         *     failure of the methods that is not a reason to fall back
         */
        void copy(Syscalls s, long budget) throws SyscallException {
            long size = st.size();
            if (!reflinkTried && pos == 0 && size > 0) {
                reflinkTried = true;
                if (learnt.tryReflink(st.dev()) && reflink(s)) {
                    pos = size;
                    return;
                }
            }
            while (pos < size && budget > 0) {
                long data = pos;
                long hole = size;
                if (sparse) {
                    data = seek(s, pos, org.ioaio.AioConstants.SEEK_DATA, size);
                    if (data >= size) {
                        used |= HOLES; // the rest is a hole
                        pos = size;
                        break;
                    }
                    if (sparse) { // still: not given up on the SEEK_DATA
                        hole = Math.min(size, seek(s, data, org.ioaio.AioConstants.SEEK_HOLE, size));
                    }
                    if (data > pos) {
                        used |= HOLES;
                    }
                }
                long n = range(s, data, Math.min(hole - data, budget));
                pos = data + n;
                budget -= n;
            }
            if (pos >= size && (used & HOLES) != 0) {
                s.ftruncate(out, size); // a trailing hole: the data written ends before the size
            }
        }

        /** Tries the whole-file reflink; {@code false} (remembered) where the file system has none. */
        private boolean reflink(Syscalls s) throws SyscallException {
            try {
                s.reflink(out, in, 0, -1, 0);
                used |= REFLINK;
                learnt.reflinked(st.dev(), Boolean.TRUE);
                return true;
            } catch (SyscallException | RuntimeException e) {
                if (!(e instanceof SyscallException x) || !fallsBack(x)) {
                    learnt.reflinked(st.dev(), null);
                    throw e;
                }
                learnt.reflinked(st.dev(), Boolean.FALSE);
                return false;
            }
        }

        /** {@code lseek} of the source; a layer or file system without SEEK_DATA makes the file all data. */
        private long seek(Syscalls s, long offset, int whence, long size) throws SyscallException {
            try {
                return s.lseek(in, offset, whence);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ENXIO.code()) {
                    return size; // no data at or after offset
                }
                if (!fallsBack(e)) {
                    throw e;
                }
                sparse = false;
                return whence == org.ioaio.AioConstants.SEEK_DATA ? offset : size;
            }
        }

        /** Copies from {@code off} up to {@code len} bytes (more than 0) by the first method that works: the bytes copied. */
        private long range(Syscalls s, long off, long len) throws SyscallException {
            if (copyFileRange) {
                try {
                    long n = s.copyFileRange(in, off, out, off, len);
                    if (n > 0) {
                        used |= COPY_FILE_RANGE;
                        return n;
                    }
                    copyFileRange = false; // 0 before the end: some file systems' way of declining; sendfile tells
                } catch (SyscallException e) {
                    if (!fallsBack(e)) {
                        throw e;
                    }
                    copyFileRange = false;
                    if (e.errno() != Errno.EINVAL.code()) {
                        learnt.noCopyFileRange = true; // EINVAL may be this file's (its flags); the others are the layer's
                    }
                }
            }
            if (outPos != off) {
                s.lseek(out, off, org.ioaio.AioConstants.SEEK_SET);
                outPos = off;
            }
            long n = s.sendfile(out, in, off, len);
            if (n <= 0) {
                throw new SyscallException(Errno.EIO); // the source is shorter than it was
            }
            outPos += n;
            used |= SENDFILE;
            return n;
        }

        /** The errnos that mean "this method does not work between these files": the next one is tried. */
        private static boolean fallsBack(SyscallException e) {
            int errno = e.errno();
            return errno == Errno.EXDEV.code() || errno == Errno.ENOSYS.code() || errno == Errno.EOPNOTSUPP.code()
                    || errno == Errno.EINVAL.code() || errno == Errno.ENOTTY.code();
        }
    }
}
