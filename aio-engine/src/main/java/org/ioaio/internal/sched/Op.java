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

package org.ioaio.internal.sched;

import org.ioaio.IoUringOp;

/**
 * Every kind of request the engine makes, one constant each: its IO::AIO name (what {@link
 * Request#operation()} reports, in errors, to an {@code AioListener}, and so the {@code op} tag of
 * the starter's metrics), how it executes, the io_uring operation it can become, and whether it
 * names paths. A constant is IO::AIO's {@code aio_}<em>name</em> request; where IO::AIO takes a
 * path or an open file, the request on an open file is a second constant, prefixed {@code F}, with
 * the same name ({@link #STAT} and {@link #FSTAT} are both {@code "stat"}).
 *
 * <p>The engine routes a request to the io_uring lane only when its operation has an {@link
 * #uring()} operation among those the engine sends there, it names no path or the engine is not a
 * working-directory view, and the ring accepts its call (see {@code AioEngine#sysRequest}).
 */
public enum Op {

    NOP("nop", Kind.WORKER),
    BUSY("busy", Kind.WORKER),
    CUSTOM("custom", Kind.CUSTOM),
    GROUP("group", Kind.GROUP),

    OPEN("open", IoUringOp.OPENAT, true),
    CLOSE("close", IoUringOp.CLOSE, false),
    SEEK("seek", null, false),
    READ("read", IoUringOp.READ, false),
    WRITE("write", IoUringOp.WRITE, false),
    SENDFILE("sendfile", null, false),
    READAHEAD("readahead", null, false),
    FADVISE("fadvise", IoUringOp.FADVISE, false),
    SLURP("slurp", null, true),
    LOAD("load", null, true),
    STAT("stat", IoUringOp.STATX, true),
    FSTAT("stat", IoUringOp.STATX, false),
    LSTAT("lstat", IoUringOp.STATX, true),
    STATX("statx", IoUringOp.STATX, true),
    FSTATX("statx", IoUringOp.STATX, false),
    STATVFS("statvfs", null, true),
    FSTATVFS("statvfs", null, false),
    UTIME("utime", null, true),
    FUTIME("utime", null, false),
    CHOWN("chown", null, true),
    FCHOWN("chown", null, false),
    CHMOD("chmod", null, true),
    FCHMOD("chmod", null, false),
    TRUNCATE("truncate", null, true),
    FTRUNCATE("truncate", null, false),
    ALLOCATE("allocate", IoUringOp.FALLOCATE, false),
    UNLINK("unlink", IoUringOp.UNLINKAT, true),
    MKNOD("mknod", null, true),
    LINK("link", IoUringOp.LINKAT, true),
    SYMLINK("symlink", IoUringOp.SYMLINKAT, true),
    READLINK("readlink", null, true),
    REALPATH("realpath", null, true),
    RENAME("rename", IoUringOp.RENAMEAT, true),
    RENAME2("rename2", IoUringOp.RENAMEAT, true),
    MKDIR("mkdir", IoUringOp.MKDIRAT, true),
    RMDIR("rmdir", IoUringOp.UNLINKAT, true),
    WD("wd", null, true),
    /** A jail: a working directory whose paths stay beneath it. */
    JAIL("jail", null, true),
    FSYNC("fsync", IoUringOp.FSYNC, false),
    FDATASYNC("fdatasync", IoUringOp.FDATASYNC, false),
    SYNCFS("syncfs", null, false),
    SYNC_FILE_RANGE("sync_file_range", null, false),
    PATHSYNC("pathsync", null, true),
    SYNC("sync", null, false),
    MSYNC("msync", null, false),
    MTOUCH("mtouch", null, false),
    READDIR("readdir", null, true),
    READDIRX("readdirx", null, true),

    SCANDIR("scandir", Kind.COMPOSITE),
    RMTREE("rmtree", Kind.COMPOSITE),
    COPY("copy", Kind.COMPOSITE),
    MOVE("move", Kind.COMPOSITE),
    /** A recursive copy of a directory tree. */
    COPYTREE("copytree", Kind.COMPOSITE),
    /** The step that undoes a failed or cancelled composite. */
    CLEANUP("cleanup", null, false),

    /** A record lock ({@code aio_fcntl} with {@code F_OFD_SETLK(W)} / {@code F_SETLK(W)}), perhaps waiting. */
    LOCK("lock", null, false),
    UNLOCK("unlock", null, false),
    GETLK("getlk", null, false),
    FCNTL("fcntl", null, false),
    IOCTL("ioctl", null, false),
    FIONREAD("fionread", null, false),
    GETFLAGS("getflags", null, false),
    SETFLAGS("setflags", null, false),
    FICLONE("ficlone", null, false),
    FICLONERANGE("ficlonerange", null, false),
    FIEMAP("fiemap", null, false),
    MLOCK("mlock", null, false),
    MLOCKALL("mlockall", null, false),
    SPLICE("splice", null, false),
    TEE("tee", null, false);

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
