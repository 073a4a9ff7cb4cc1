package org.ioaio.internal.sched;

import org.ioaio.IoUringOp;

/**
 * Every kind of request the engine makes, one constant each: its IO::AIO name (what {@link
 * Request#operation()} reports, in errors, to an {@code AioListener}, and so the {@code op} tag of
 * the starter's metrics), how it executes, the io_uring operation it can become, and whether it
 * names paths. A request on a path and the same request on an open file are two constants with one
 * name ({@link #STAT} and {@link #FSTAT} are both {@code "stat"}), as IO::AIO has one request for both.
 *
 * <p>The engine routes a request to the io_uring lane only when its operation has an {@link
 * #uring()} operation among those the engine sends there, it names no path or the engine is not a
 * working-directory view, and the ring accepts its call (see {@code AioEngine#sysRequest}).
 */
public enum Op {

    /** {@code aio_nop}. */
    NOP("nop", Kind.WORKER),
    /** {@code aio_busy}. */
    BUSY("busy", Kind.WORKER),
    /** {@code aio_custom}: a caller's task. */
    CUSTOM("custom", Kind.CUSTOM),
    /** {@code aio_group}. */
    GROUP("group", Kind.GROUP),

    /** {@code aio_open}. */
    OPEN("open", IoUringOp.OPENAT, true),
    /** {@code aio_close}. */
    CLOSE("close", IoUringOp.CLOSE, false),
    /** {@code aio_seek}. */
    SEEK("seek", null, false),
    /** {@code aio_read}. */
    READ("read", IoUringOp.READ, false),
    /** {@code aio_write}. */
    WRITE("write", IoUringOp.WRITE, false),
    /** {@code aio_sendfile}. */
    SENDFILE("sendfile", null, false),
    /** {@code aio_readahead}. */
    READAHEAD("readahead", null, false),
    /** {@code aio_fadvise}. */
    FADVISE("fadvise", IoUringOp.FADVISE, false),
    /** {@code aio_slurp}. */
    SLURP("slurp", null, true),
    /** {@code aio_load}. */
    LOAD("load", null, true),
    /** {@code aio_stat} of a path. */
    STAT("stat", IoUringOp.STATX, true),
    /** {@code aio_stat} of an open file. */
    FSTAT("stat", IoUringOp.STATX, false),
    /** {@code aio_lstat}. */
    LSTAT("lstat", IoUringOp.STATX, true),
    /** {@code aio_statx} of a path. */
    STATX("statx", IoUringOp.STATX, true),
    /** {@code aio_statx} of an open file. */
    FSTATX("statx", IoUringOp.STATX, false),
    /** {@code aio_statvfs} of a path. */
    STATVFS("statvfs", null, true),
    /** {@code aio_statvfs} of an open file. */
    FSTATVFS("statvfs", null, false),
    /** {@code aio_utime} of a path. */
    UTIME("utime", null, true),
    /** {@code aio_utime} of an open file. */
    FUTIME("utime", null, false),
    /** {@code aio_chown} of a path. */
    CHOWN("chown", null, true),
    /** {@code aio_chown} of an open file. */
    FCHOWN("chown", null, false),
    /** {@code aio_chmod} of a path. */
    CHMOD("chmod", null, true),
    /** {@code aio_chmod} of an open file. */
    FCHMOD("chmod", null, false),
    /** {@code aio_truncate} of a path. */
    TRUNCATE("truncate", null, true),
    /** {@code aio_truncate} of an open file. */
    FTRUNCATE("truncate", null, false),
    /** {@code aio_allocate}. */
    ALLOCATE("allocate", IoUringOp.FALLOCATE, false),
    /** {@code aio_unlink}. */
    UNLINK("unlink", IoUringOp.UNLINKAT, true),
    /** {@code aio_mknod}. */
    MKNOD("mknod", null, true),
    /** {@code aio_link}. */
    LINK("link", IoUringOp.LINKAT, true),
    /** {@code aio_symlink}. */
    SYMLINK("symlink", IoUringOp.SYMLINKAT, true),
    /** {@code aio_readlink}. */
    READLINK("readlink", null, true),
    /** {@code aio_realpath}. */
    REALPATH("realpath", null, true),
    /** {@code aio_rename}. */
    RENAME("rename", IoUringOp.RENAMEAT, true),
    /** {@code aio_rename2}. */
    RENAME2("rename2", IoUringOp.RENAMEAT, true),
    /** {@code aio_mkdir}. */
    MKDIR("mkdir", IoUringOp.MKDIRAT, true),
    /** {@code aio_rmdir}. */
    RMDIR("rmdir", IoUringOp.UNLINKAT, true),
    /** {@code aio_wd}. */
    WD("wd", null, true),
    /** A jail: a working directory whose paths stay beneath it. */
    JAIL("jail", null, true),
    /** {@code aio_fsync}. */
    FSYNC("fsync", IoUringOp.FSYNC, false),
    /** {@code aio_fdatasync}. */
    FDATASYNC("fdatasync", IoUringOp.FDATASYNC, false),
    /** {@code aio_syncfs}. */
    SYNCFS("syncfs", null, false),
    /** {@code aio_sync_file_range}. */
    SYNC_FILE_RANGE("sync_file_range", null, false),
    /** {@code aio_pathsync}. */
    PATHSYNC("pathsync", null, true),
    /** {@code aio_sync}. */
    SYNC("sync", null, false),
    /** {@code aio_msync}. */
    MSYNC("msync", null, false),
    /** {@code aio_mtouch}. */
    MTOUCH("mtouch", null, false),
    /** {@code aio_readdir}. */
    READDIR("readdir", null, true),
    /** {@code aio_readdirx}. */
    READDIRX("readdirx", null, true),

    /** {@code aio_scandir}. */
    SCANDIR("scandir", Kind.COMPOSITE),
    /** {@code aio_rmtree}. */
    RMTREE("rmtree", Kind.COMPOSITE),
    /** {@code aio_copy}. */
    COPY("copy", Kind.COMPOSITE),
    /** {@code aio_move}. */
    MOVE("move", Kind.COMPOSITE),
    /** A recursive copy of a directory tree. */
    COPYTREE("copytree", Kind.COMPOSITE),
    /** The step that undoes a failed or cancelled composite. */
    CLEANUP("cleanup", null, false);

    /** How a request of an operation executes. */
    public enum Kind {
        /** Occupies a worker without a syscall ({@code nop}, {@code busy}). */
        WORKER,
        /** Calls into the syscall layer on a worker. */
        SYSCALL,
        /** Calls into the syscall layer, on a worker or, routed there, in the io_uring lane. */
        URING,
        /** A group of steps built by the engine (IO::AIO's tree and copy requests). */
        COMPOSITE,
        /** A group of the caller's requests. */
        GROUP,
        /** A caller's task on a worker. */
        CUSTOM
    }

    private final String aioName;
    private final Kind kind;
    private final IoUringOp uring;
    private final boolean paths;

    /** A syscall request: {@link Kind#URING} when it has an io_uring operation, else {@link Kind#SYSCALL}. */
    Op(String aioName, IoUringOp uring, boolean paths) {
        this.aioName = aioName;
        this.kind = uring == null ? Kind.SYSCALL : Kind.URING;
        this.uring = uring;
        this.paths = paths;
    }

    /** A request that is no single syscall; composites name paths. */
    Op(String aioName, Kind kind) {
        this.aioName = aioName;
        this.kind = kind;
        this.uring = null;
        this.paths = kind == Kind.COMPOSITE;
    }

    /**
     * The IO::AIO name ({@code "stat"}): what requests, errors and listeners report, and the
     * metrics' {@code op} tag.
     *
     * @return the name
     */
    public String aioName() {
        return aioName;
    }

    /**
     * How a request of this operation executes (a composite's steps run on workers whatever their operation).
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The io_uring operation a request of this operation can become, or {@code null} for none.
     *
     * @return the operation or {@code null}
     */
    public IoUringOp uring() {
        return uring;
    }

    /**
     * Whether requests of this operation name paths: those go to io_uring only from the engine
     * itself, never from a working-directory or jail view (whose paths resolve in Java or with
     * {@code openat2}).
     *
     * @return {@code true} for path requests
     */
    public boolean paths() {
        return paths;
    }
}
