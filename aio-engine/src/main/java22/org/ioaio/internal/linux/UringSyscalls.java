package org.ioaio.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.ioaio.FileStat;
import org.ioaio.internal.sys.SyscallException;
import org.ioaio.internal.sys.Syscalls;

/**
 * The native layer with reads, writes, fsync/fdatasync and stat/lstat/fstat submitted to an
 * io_uring ({@link Uring}) instead of called directly; everything else, and anything the ring cannot
 * take (it {@linkplain Uring#broken() broke}), is the plain native layer's. Results and errnos are the
 * same as the syscalls' (the conformance tests run against this layer too); stat comes from
 * {@code statx(STATX_BASIC_STATS)}, whose fields are {@code struct stat}'s.
 *
 * <p>First step of issue 7 part 2: each call still waits on its worker thread for its completion
 * (see {@link Uring}); not selectable as an engine backend yet. Used this way it is slower than the
 * plain calls for cached data (a quick single-thread measurement on the 2-core test VM: stat 10.6
 * against 0.9 microseconds, the kernel always punts statx to its io-wq threads; a cached 4 KiB pread
 * 5.1 against 0.8): the ring pays off only when requests are submitted without a waiting worker and
 * in batches, for uncached I/O, which needs the Scheduler to submit to it.
 */
public final class UringSyscalls extends LinuxSyscalls {

    /** {@code STATX_BASIC_STATS}: every field of {@code struct stat}. */
    static final int STATX_BASIC_STATS = 0x7ff;
    /** {@code AT_EMPTY_PATH}: statx of the descriptor itself. */
    private static final int AT_EMPTY_PATH = 0x1000;
    /** The empty C string, for statx of a descriptor. */
    private static final MemorySegment EMPTY = Arena.global().allocate(1);
    /** The ring's default size. */
    private static final int ENTRIES = 256;

    private final Uring ring;

    private UringSyscalls(Uring ring) {
        this.ring = ring;
    }

    /**
     * Sets up a ring and returns the layer; called by name (Java 17 code cannot name this class).
     *
     * @return the layer
     * @throws IllegalStateException if io_uring cannot be set up here (ENOSYS, EPERM when disabled, ENOMEM)
     */
    public static Syscalls create() {
        LinuxSyscalls.create(); // the same platform checks
        try {
            return new UringSyscalls(Uring.open(ENTRIES));
        } catch (SyscallException e) {
            throw new IllegalStateException("io_uring_setup failed: " + e.getMessage());
        }
    }

    /**
     * Releases the ring (after everything in flight completed); later calls use plain syscalls.
     *
     * @throws SyscallException if the ring could not be stopped (it is then left mapped)
     */
    public void close() throws SyscallException {
        ring.close();
    }

    @Override
    long in(Scratch s, int fd, MemorySegment into, long length, long offset, boolean positional) throws SyscallException {
        if (ring.broken() || (positional && offset < 0)) {
            // a ring offset of -1 means "the file position": a negative pread/pwrite offset is the syscall's EINVAL
            return super.in(s, fd, into, length, offset, positional);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_READ, fd, positional ? offset : -1, into.address(), (int) Math.min(length, Integer.MAX_VALUE), 0);
        } catch (SyscallException notSubmitted) {
            return super.in(s, fd, into, length, offset, positional);
        }
        return check(res);
    }

    @Override
    long out(Scratch s, int fd, MemorySegment from, long length, long offset, boolean positional) throws SyscallException {
        if (ring.broken() || (positional && offset < 0)) {
            // a ring offset of -1 means "the file position": a negative pread/pwrite offset is the syscall's EINVAL
            return super.out(s, fd, from, length, offset, positional);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_WRITE, fd, positional ? offset : -1, from.address(), (int) Math.min(length, Integer.MAX_VALUE), 0);
        } catch (SyscallException notSubmitted) {
            return super.out(s, fd, from, length, offset, positional);
        }
        return check(res);
    }

    @Override
    int sync(Scratch s, int fd, boolean dataOnly) throws SyscallException {
        if (ring.broken()) {
            return super.sync(s, fd, dataOnly);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_FSYNC, fd, 0, 0, 0, dataOnly ? Uring.FSYNC_DATASYNC : 0);
        } catch (SyscallException notSubmitted) {
            return super.sync(s, fd, dataOnly);
        }
        return check(res);
    }

    @Override
    FileStat statAt(Scratch s, MemorySegment name, int flags) throws SyscallException {
        if (ring.broken()) {
            return super.statAt(s, name, flags);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_STATX, Libc.AT_FDCWD, s.statx.address(), name.address(), STATX_BASIC_STATS, flags);
        } catch (SyscallException notSubmitted) {
            return super.statAt(s, name, flags);
        }
        check(res);
        return LinuxSyscalls.toStatx(s.statx, true);
    }

    @Override
    FileStat fstat(Scratch s, int fd) throws SyscallException {
        if (ring.broken()) {
            return super.fstat(s, fd);
        }
        int res;
        try {
            res = ring.submit(Uring.OP_STATX, fd, s.statx.address(), EMPTY.address(), STATX_BASIC_STATS, AT_EMPTY_PATH);
        } catch (SyscallException notSubmitted) {
            return super.fstat(s, fd);
        }
        check(res);
        return LinuxSyscalls.toStatx(s.statx, true);
    }

    private static int check(int res) throws SyscallException {
        if (res < 0) {
            throw new SyscallException(-res);
        }
        return res;
    }

}
