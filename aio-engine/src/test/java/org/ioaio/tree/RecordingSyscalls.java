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

package org.ioaio.tree;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.DirEntry;
import org.ioaio.FileStat;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.SyscallException;

/**
 * The portable layer, recording what the composites ask of it: calls by name, their order, the
 * most {@code stat}/{@code lstat} calls in flight at once; and a hook that runs before each call
 * (to change the tree under a running request, or to wait at a barrier).
 */
class RecordingSyscalls extends NioSyscalls {

    /** Runs before a call. */
    @FunctionalInterface
    interface Hook {
        /**
         * Called before {@code method} runs on {@code path} (the handle's path for calls on a file).
         *
         * @param method the Syscalls method
         * @param path its path, or {@code null}
         * @throws SyscallException to fail the call instead
         */
        void before(String method, Path path) throws SyscallException;
    }

    final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    private final AtomicInteger statsInFlight = new AtomicInteger();
    final AtomicInteger maxStatsInFlight = new AtomicInteger();
    volatile Hook hook = (m, p) -> {};

    long count(String method) {
        AtomicLong n = counts.get(method);
        return n == null ? 0 : n.get();
    }

    private void record(String method, Path path) throws SyscallException {
        counts.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        log.add(method + " " + path);
        hook.before(method, path);
    }

    private FileStat statLike(String method, Path path, boolean follow) throws SyscallException {
        int now = statsInFlight.incrementAndGet(); // counted while the hook waits too
        maxStatsInFlight.accumulateAndGet(now, Math::max);
        try {
            record(method, path);
            return follow ? super.stat(path) : super.lstat(path);
        } finally {
            statsInFlight.decrementAndGet();
        }
    }

    @Override
    public FileStat stat(Path path) throws SyscallException {
        return statLike("stat", path, true);
    }

    @Override
    public FileStat lstat(Path path) throws SyscallException {
        return statLike("lstat", path, false);
    }

    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        record("readdir", dir);
        return super.readdir(dir);
    }

    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        record("readdirDents", dir);
        return super.readdirDents(dir);
    }

    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        record("open", path);
        return super.open(path, flags, mode);
    }

    @Override
    public int close(FileHandle file) throws SyscallException {
        record("close", file.path());
        return super.close(file);
    }

    @Override
    public long sendfile(FileHandle out, FileHandle in, long inOffset, long length) throws SyscallException {
        record("sendfile", out.path());
        return super.sendfile(out, in, inOffset, length);
    }

    @Override
    public int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException {
        record("futime", file.path());
        return super.futime(file, atime, mtime);
    }

    @Override
    public int fchmod(FileHandle file, int mode) throws SyscallException {
        record("fchmod", file.path());
        return super.fchmod(file, mode);
    }

    @Override
    public int fchown(FileHandle file, int uid, int gid) throws SyscallException {
        record("fchown", file.path());
        return super.fchown(file, uid, gid);
    }

    @Override
    public int unlink(Path path) throws SyscallException {
        record("unlink", path);
        return super.unlink(path);
    }

    @Override
    public int rmdir(Path path) throws SyscallException {
        record("rmdir", path);
        return super.rmdir(path);
    }

    @Override
    public int rename(Path from, Path to) throws SyscallException {
        record("rename", from);
        return super.rename(from, to);
    }

    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        record("mkdir", path);
        return super.mkdir(path, mode);
    }

    // Held directories: recorded under the path call each stands for, with the path it acts on.

    @Override
    public org.ioaio.internal.sys.TreeDir openDir(Path path, boolean follow) throws SyscallException {
        record("opendir", path);
        return super.openDir(path, follow);
    }

    @Override
    public org.ioaio.internal.sys.TreeDir openDirAt(org.ioaio.internal.sys.TreeDir dir, Path name) throws SyscallException {
        record("opendir", dir.path().resolve(name));
        return super.openDirAt(dir, name);
    }

    @Override
    public FileStat fstatDir(org.ioaio.internal.sys.TreeDir dir) throws SyscallException {
        return statLikeAt("stat", dir.path(), () -> super.fstatDir(dir));
    }

    @Override
    public FileStat lstatAt(org.ioaio.internal.sys.TreeDir dir, Path name) throws SyscallException {
        return statLikeAt("lstat", dir.path().resolve(name), () -> super.lstatAt(dir, name));
    }

    @Override
    public FileStat searchDirAt(org.ioaio.internal.sys.TreeDir dir, Path name) throws SyscallException {
        return statLikeAt("stat", dir.path().resolve(name).resolve("."), () -> super.searchDirAt(dir, name));
    }

    @Override
    public List<DirEntry> readdirAt(org.ioaio.internal.sys.TreeDir dir, boolean types) throws SyscallException {
        record(types ? "readdirDents" : "readdir", dir.path());
        return super.readdirAt(dir, types);
    }

    @Override
    public int unlinkAt(org.ioaio.internal.sys.TreeDir dir, Path name, boolean directory) throws SyscallException {
        record(directory ? "rmdir" : "unlink", dir.path().resolve(name));
        return super.unlinkAt(dir, name, directory);
    }

    @Override
    public int mkdirAt(org.ioaio.internal.sys.TreeDir dir, Path name, int mode) throws SyscallException {
        record("mkdir", dir.path().resolve(name));
        return super.mkdirAt(dir, name, mode);
    }

    @Override
    public FileHandle openAt(org.ioaio.internal.sys.TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        record("open", dir.path().resolve(name));
        return super.openAt(dir, name, flags, mode);
    }

    /** A stat-like call on a held directory. */
    @FunctionalInterface
    private interface StatCall {
        FileStat run() throws SyscallException;
    }

    private FileStat statLikeAt(String method, Path path, StatCall call) throws SyscallException {
        int now = statsInFlight.incrementAndGet();
        maxStatsInFlight.accumulateAndGet(now, Math::max);
        try {
            record(method, path);
            return call.run();
        } finally {
            statsInFlight.decrementAndGet();
        }
    }
}
