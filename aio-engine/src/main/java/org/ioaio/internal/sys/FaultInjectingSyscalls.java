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

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.DirEntry;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.StatVfs;

/**
 * A {@link Syscalls} for tests that makes chosen calls fail with a chosen errno (EIO, ENOSPC,
 * EINTR...) and passes every other call to the wrapped implementation. Give it to an engine in
 * place of the real layer to test how requests, groups and composite requests handle failures.
 *
 * <p>Calls are named by their method name in {@link Syscalls} ({@code "open"}, {@code "pread"},
 * {@code "syncFileRange"}). Rules, checked in this order for each call:
 * <ol>
 *   <li>{@link #failNth}: the n-th call of a method (counting from 1, every call counted) fails;
 *   <li>{@link #failAlways}: every call of a method fails;
 *   <li>{@link #failRandomly}: each call (of every method, or of the chosen ones) fails with the
 *       given probability, with an errno picked from the given ones; a seeded {@link Random} makes
 *       a single-threaded sequence of calls fail the same way on every run.
 * </ol>
 * An injected failure happens instead of the call (nothing is done, nothing is opened), except
 * for {@code close}, which closes first and then reports the error, as {@code close(2)} releases
 * the descriptor even when it fails; so no injected fault leaks a file. {@link #path(String)} is
 * not a syscall and is never failed.
 *
 * <p>Thread-safe: rules can be changed while calls run; counters and the record of injections are
 * exact under concurrency (which call of several concurrent ones is "the n-th" is not).
 */
public final class FaultInjectingSyscalls extends ForwardingSyscalls {

    /**
     * One injected failure.
     *
     * @param method the {@link Syscalls} method name
     * @param call which call of that method it was, from 1
     * @param errno the errno injected
     */
    public record Injection(String method, long call, int errno) {}

    /** The names of the methods that can be failed. */
    private static final Set<String> METHODS = syscallNames();

    private final Syscalls delegate;
    /** Calls made so far, by method. */
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    /** failNth rules: method to (call number to errno). */
    private final Map<String, Map<Long, Integer>> nthRules = new ConcurrentHashMap<>();
    /** failAlways rules: method to errno. */
    private final Map<String, Integer> alwaysRules = new ConcurrentHashMap<>();
    /** The failRandomly rule, or {@code null}. */
    private volatile RandomRule randomRule;
    /** Every injected failure, in order. */
    private final ConcurrentLinkedQueue<Injection> injections = new ConcurrentLinkedQueue<>();

    /**
     * Wraps {@code delegate}; no call fails until a rule is added.
     *
     * @param delegate the real layer every call that is not failed goes to
     */
    public FaultInjectingSyscalls(Syscalls delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate is null");
        }
        this.delegate = delegate;
    }

    /** The wrapped layer. */
    @Override
    public Syscalls delegate() {
        return delegate;
    }

    /**
     * Makes the {@code n}-th call of {@code method} (from now on counted from the first call ever
     * made, 1-based) fail with {@code errno}.
     *
     * @param method a {@link Syscalls} method name, e.g. {@code "pread"}
     * @param n the call number, 1 or more
     * @param errno the error to fail with
     * @return this
     * @throws IllegalArgumentException for an unknown method name or n below 1
     */
    public FaultInjectingSyscalls failNth(String method, long n, Errno errno) {
        checkMethod(method);
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more: " + n);
        }
        nthRules.computeIfAbsent(method, m -> new ConcurrentHashMap<>()).put(n, errno.code());
        return this;
    }

    /**
     * Makes every call of {@code method} fail with {@code errno}, until {@link #clear()}.
     *
     * @param method a {@link Syscalls} method name
     * @param errno the error to fail with
     * @return this
     * @throws IllegalArgumentException for an unknown method name
     */
    public FaultInjectingSyscalls failAlways(String method, Errno errno) {
        checkMethod(method);
        alwaysRules.put(method, errno.code());
        return this;
    }

    /**
     * Makes each call of any method fail with probability {@code probability}, with an errno picked
     * at random from {@code errnos} (EIO, ENOSPC and EINTR when none are given). Replaces an earlier
     * random rule.
     *
     * @param seed the seed of the random sequence
     * @param probability 0 to 1
     * @param errnos the errors to pick from
     * @return this
     * @throws IllegalArgumentException if the probability is outside 0..1
     */
    public FaultInjectingSyscalls failRandomly(long seed, double probability, Errno... errnos) {
        return failRandomly(seed, probability, METHODS, errnos);
    }

    /**
     * Makes each call of the given methods fail with probability {@code probability}, with an errno
     * picked at random from {@code errnos} (EIO, ENOSPC and EINTR when none are given). Replaces an
     * earlier random rule.
     *
     * @param seed the seed of the random sequence
     * @param probability 0 to 1
     * @param methods the {@link Syscalls} method names it applies to
     * @param errnos the errors to pick from
     * @return this
     * @throws IllegalArgumentException for an unknown method name or a probability outside 0..1
     */
    public FaultInjectingSyscalls failRandomly(long seed, double probability, Set<String> methods, Errno... errnos) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within 0..1: " + probability);
        }
        methods.forEach(FaultInjectingSyscalls::checkMethod);
        Errno[] choices = errnos.length == 0 ? new Errno[] {Errno.EIO, Errno.ENOSPC, Errno.EINTR} : errnos.clone();
        randomRule = new RandomRule(new Random(seed), probability, Set.copyOf(methods), choices);
        return this;
    }

    /**
     * Removes every rule (counters and the record of injections stay).
     *
     * @return this
     */
    public FaultInjectingSyscalls clear() {
        nthRules.clear();
        alwaysRules.clear();
        randomRule = null;
        return this;
    }

    /**
     * The number of calls made to {@code method}, failed ones included.
     *
     * @param method a {@link Syscalls} method name
     * @return the count
     */
    public long calls(String method) {
        checkMethod(method);
        AtomicLong c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    /** The number of failures injected so far. */
    public int injectedCount() {
        return injections.size();
    }

    /** Every failure injected so far, in order. */
    public List<Injection> injections() {
        return Collections.unmodifiableList(new ArrayList<>(injections));
    }

    // ---------------------------------------------------------------- the decision

    private static final class RandomRule {
        final Random random;
        final double probability;
        final Set<String> methods;
        final Errno[] errnos;

        RandomRule(Random random, double probability, Set<String> methods, Errno[] errnos) {
            this.random = random;
            this.probability = probability;
            this.methods = methods;
            this.errnos = errnos;
        }

        /** The errno to inject, or 0. */
        int roll(String method) {
            if (!methods.contains(method)) {
                return 0;
            }
            synchronized (random) {
                if (random.nextDouble() >= probability) {
                    return 0;
                }
                return errnos[random.nextInt(errnos.length)].code();
            }
        }
    }

    /** Counts the call and returns the errno to fail it with, or 0. */
    private int decide(String method) {
        long n = calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        int errno = 0;
        Map<Long, Integer> nth = nthRules.get(method);
        if (nth != null) {
            Integer e = nth.get(n);
            errno = e == null ? 0 : e;
        }
        if (errno == 0) {
            Integer e = alwaysRules.get(method);
            errno = e == null ? 0 : e;
        }
        RandomRule r = randomRule;
        if (errno == 0 && r != null) {
            errno = r.roll(method);
        }
        if (errno != 0) {
            injections.add(new Injection(method, n, errno));
        }
        return errno;
    }

    /** Fails the call if a rule says so. */
    private void check(String method) throws SyscallException {
        int errno = decide(method);
        if (errno != 0) {
            throw new SyscallException(errno);
        }
    }

    private static void checkMethod(String method) {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("not a Syscalls method: " + method + " (one of " + new java.util.TreeSet<>(METHODS) + ")");
        }
    }

    private static Set<String> syscallNames() {
        Set<String> names = new HashSet<>();
        for (Method m : Syscalls.class.getMethods()) {
            names.add(m.getName());
        }
        names.remove("path");
        names.removeAll(Set.of("openDir", "openDirAt", "fstatDir", "lstatAt", "searchDirAt", "readdirAt", "unlinkAt",
                "mkdirAt", "openAt", "symlinkAt", "readlinkAt", "mknodAt")); // counted as the path calls
        return Set.copyOf(names);
    }

    // ---------------------------------------------------------------- the calls

    /** {@inheritDoc} Never failed: not a syscall. */
    @Override
    public Path path(String pathname) throws SyscallException {
        return delegate.path(pathname);
    }

    /** {@inheritDoc} */
    @Override
    public FileHandle open(Path path, int flags, int mode) throws SyscallException {
        check("open");
        return delegate.open(path, flags, mode);
    }

    /** {@inheritDoc} An injected failure is reported after the handle is closed. */
    @Override
    public int close(FileHandle file) throws SyscallException {
        int errno = decide("close");
        int result = delegate.close(file);
        if (errno != 0) {
            throw new SyscallException(errno);
        }
        return result;
    }

    /** {@inheritDoc} */
    @Override
    public long lseek(FileHandle file, long offset, int whence) throws SyscallException {
        check("lseek");
        return delegate.lseek(file, offset, whence);
    }

    /** {@inheritDoc} */
    @Override
    public int pread(FileHandle file, ByteBuffer dst, long offset) throws SyscallException {
        check("pread");
        return delegate.pread(file, dst, offset);
    }

    /** {@inheritDoc} */
    @Override
    public int pwrite(FileHandle file, ByteBuffer src, long offset) throws SyscallException {
        check("pwrite");
        return delegate.pwrite(file, src, offset);
    }

    /** {@inheritDoc} */
    @Override
    public int read(FileHandle file, ByteBuffer dst) throws SyscallException {
        check("read");
        return delegate.read(file, dst);
    }

    /** {@inheritDoc} */
    @Override
    public int write(FileHandle file, ByteBuffer src) throws SyscallException {
        check("write");
        return delegate.write(file, src);
    }

    /** {@inheritDoc} */
    @Override
    public long sendfile(FileHandle out, FileHandle in, long inOffset, long length) throws SyscallException {
        check("sendfile");
        return delegate.sendfile(out, in, inOffset, length);
    }

    /** {@inheritDoc} */
    @Override
    public int readahead(FileHandle file, long offset, long length) throws SyscallException {
        check("readahead");
        return delegate.readahead(file, offset, length);
    }

    /** {@inheritDoc} */
    @Override
    public int fadvise(FileHandle file, long offset, long length, int advice) throws SyscallException {
        check("fadvise");
        return delegate.fadvise(file, offset, length, advice);
    }

    /** {@inheritDoc} */
    @Override
    public FileStat stat(Path path) throws SyscallException {
        check("stat");
        return delegate.stat(path);
    }

    /** {@inheritDoc} */
    @Override
    public FileStat statx(Path path, int flags, int mask) throws SyscallException {
        check("statx");
        return delegate.statx(path, flags, mask);
    }

    /** {@inheritDoc} */
    @Override
    public FileStat fstatx(FileHandle file, int flags, int mask) throws SyscallException {
        check("fstatx");
        return delegate.fstatx(file, flags, mask);
    }

    /** {@inheritDoc} */
    @Override
    public FileStat lstat(Path path) throws SyscallException {
        check("lstat");
        return delegate.lstat(path);
    }

    /** {@inheritDoc} */
    @Override
    public FileStat fstat(FileHandle file) throws SyscallException {
        check("fstat");
        return delegate.fstat(file);
    }

    /** {@inheritDoc} */
    @Override
    public StatVfs statvfs(Path path) throws SyscallException {
        check("statvfs");
        return delegate.statvfs(path);
    }

    /** {@inheritDoc} */
    @Override
    public StatVfs fstatvfs(FileHandle file) throws SyscallException {
        check("fstatvfs");
        return delegate.fstatvfs(file);
    }

    /** {@inheritDoc} */
    @Override
    public int utime(Path path, Instant atime, Instant mtime) throws SyscallException {
        check("utime");
        return delegate.utime(path, atime, mtime);
    }

    /** {@inheritDoc} */
    @Override
    public int futime(FileHandle file, Instant atime, Instant mtime) throws SyscallException {
        check("futime");
        return delegate.futime(file, atime, mtime);
    }

    /** {@inheritDoc} */
    @Override
    public int chown(Path path, int uid, int gid) throws SyscallException {
        check("chown");
        return delegate.chown(path, uid, gid);
    }

    /** {@inheritDoc} */
    @Override
    public int fchown(FileHandle file, int uid, int gid) throws SyscallException {
        check("fchown");
        return delegate.fchown(file, uid, gid);
    }

    /** {@inheritDoc} */
    @Override
    public int chmod(Path path, int mode) throws SyscallException {
        check("chmod");
        return delegate.chmod(path, mode);
    }

    /** {@inheritDoc} */
    @Override
    public int fchmod(FileHandle file, int mode) throws SyscallException {
        check("fchmod");
        return delegate.fchmod(file, mode);
    }

    /** {@inheritDoc} */
    @Override
    public int truncate(Path path, long length) throws SyscallException {
        check("truncate");
        return delegate.truncate(path, length);
    }

    /** {@inheritDoc} */
    @Override
    public int ftruncate(FileHandle file, long length) throws SyscallException {
        check("ftruncate");
        return delegate.ftruncate(file, length);
    }

    /** {@inheritDoc} */
    @Override
    public int fallocate(FileHandle file, int mode, long offset, long length) throws SyscallException {
        check("fallocate");
        return delegate.fallocate(file, mode, offset, length);
    }

    /** {@inheritDoc} */
    @Override
    public int unlink(Path path) throws SyscallException {
        check("unlink");
        return delegate.unlink(path);
    }

    /** {@inheritDoc} */
    @Override
    public int mknod(Path path, int mode, long dev) throws SyscallException {
        check("mknod");
        return delegate.mknod(path, mode, dev);
    }

    /** {@inheritDoc} */
    @Override
    public int link(Path existing, Path newPath) throws SyscallException {
        check("link");
        return delegate.link(existing, newPath);
    }

    /** {@inheritDoc} */
    @Override
    public int symlink(Path target, Path linkPath) throws SyscallException {
        check("symlink");
        return delegate.symlink(target, linkPath);
    }

    /** {@inheritDoc} */
    @Override
    public Path readlink(Path path) throws SyscallException {
        check("readlink");
        return delegate.readlink(path);
    }

    /** {@inheritDoc} */
    @Override
    public Path realpath(Path path) throws SyscallException {
        check("realpath");
        return delegate.realpath(path);
    }

    /** {@inheritDoc} */
    @Override
    public int rename(Path from, Path to) throws SyscallException {
        check("rename");
        return delegate.rename(from, to);
    }

    /** {@inheritDoc} */
    @Override
    public int rename2(Path from, Path to, int flags) throws SyscallException {
        check("rename2");
        return delegate.rename2(from, to, flags);
    }

    /** {@inheritDoc} */
    @Override
    public int mkdir(Path path, int mode) throws SyscallException {
        check("mkdir");
        return delegate.mkdir(path, mode);
    }

    /** {@inheritDoc} */
    @Override
    public int rmdir(Path path) throws SyscallException {
        check("rmdir");
        return delegate.rmdir(path);
    }

    /** {@inheritDoc} */
    @Override
    public List<Path> readdir(Path dir) throws SyscallException {
        check("readdir");
        return delegate.readdir(dir);
    }

    /** {@inheritDoc} */
    @Override
    public List<DirEntry> readdirDents(Path dir) throws SyscallException {
        check("readdirDents");
        return delegate.readdirDents(dir);
    }

    /** {@inheritDoc} The delegate's. */
    @Override
    public boolean readdirTypesFree() {
        return delegate.readdirTypesFree();
    }

    /** {@inheritDoc} */
    @Override
    public int fsync(FileHandle file) throws SyscallException {
        check("fsync");
        return delegate.fsync(file);
    }

    /** {@inheritDoc} */
    @Override
    public int fdatasync(FileHandle file) throws SyscallException {
        check("fdatasync");
        return delegate.fdatasync(file);
    }

    /** {@inheritDoc} */
    @Override
    public int syncfs(FileHandle file) throws SyscallException {
        check("syncfs");
        return delegate.syncfs(file);
    }

    /** {@inheritDoc} */
    @Override
    public int syncFileRange(FileHandle file, long offset, long nbytes, int flags) throws SyscallException {
        check("syncFileRange");
        return delegate.syncFileRange(file, offset, nbytes, flags);
    }

    /** {@inheritDoc} */
    @Override
    public int sync() throws SyscallException {
        check("sync");
        return delegate.sync();
    }

    /** {@inheritDoc} */
    @Override
    public int msync(MappedByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        check("msync");
        return delegate.msync(buffer, offset, length, flags);
    }

    /** {@inheritDoc} */
    @Override
    public int mtouch(ByteBuffer buffer, long offset, long length, int flags) throws SyscallException {
        check("mtouch");
        return delegate.mtouch(buffer, offset, length, flags);
    }

    /** The rules in force, for test failure messages. */
    @Override
    public String toString() {
        RandomRule r = randomRule;
        return "FaultInjectingSyscalls[nth=" + nthRules + ", always=" + alwaysRules
                + (r == null ? "" : ", random p=" + r.probability + " " + Arrays.toString(r.errnos))
                + ", injected=" + injections.size() + "]";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Failing it (with ENOSYS) is how a test makes a jail over the native layer fall back to the
     * portable walk, as on a kernel without {@code openat2}. The calls it returns are the wrapped
     * layer's own: faults injected into {@code stat}, {@code open}... do not reach a jail's calls.
     */
    @Override
    public BeneathSyscalls beneath(DirectoryHandle dir) throws SyscallException {
        check("beneath");
        return delegate.beneath(dir);
    }

    // ---------------------------------------------------------------- held directories
    // Counted and failed under the name of the path call each one stands for ("open", "lstat",
    // "unlink"/"rmdir", "readdir"/"readdirDents"...), so that a rule on a syscall reaches the tree
    // operations whichever form they use; "fstatDir" is "fstat", "searchDirAt" is "stat".

    /** {@inheritDoc} Counted as {@code "open"}. */
    @Override
    public TreeDir openDir(Path path, boolean follow) throws SyscallException {
        check("open");
        return delegate.openDir(path, follow);
    }

    /** {@inheritDoc} Counted as {@code "open"}. */
    @Override
    public TreeDir openDirAt(TreeDir dir, Path name) throws SyscallException {
        check("open");
        return delegate.openDirAt(dir, name);
    }

    /** {@inheritDoc} Counted as {@code "fstat"}. */
    @Override
    public FileStat fstatDir(TreeDir dir) throws SyscallException {
        check("fstat");
        return delegate.fstatDir(dir);
    }

    /** {@inheritDoc} Counted as {@code "lstat"}. */
    @Override
    public FileStat lstatAt(TreeDir dir, Path name) throws SyscallException {
        check("lstat");
        return delegate.lstatAt(dir, name);
    }

    /** {@inheritDoc} Counted as {@code "stat"}. */
    @Override
    public FileStat searchDirAt(TreeDir dir, Path name) throws SyscallException {
        check("stat");
        return delegate.searchDirAt(dir, name);
    }

    /** {@inheritDoc} Counted as {@code "readdirDents"} with types, else {@code "readdir"}. */
    @Override
    public List<DirEntry> readdirAt(TreeDir dir, boolean types) throws SyscallException {
        check(types ? "readdirDents" : "readdir");
        return delegate.readdirAt(dir, types);
    }

    /** {@inheritDoc} Counted as {@code "rmdir"} or {@code "unlink"}. */
    @Override
    public int unlinkAt(TreeDir dir, Path name, boolean directory) throws SyscallException {
        check(directory ? "rmdir" : "unlink");
        return delegate.unlinkAt(dir, name, directory);
    }

    /** {@inheritDoc} Counted as {@code "mkdir"}. */
    @Override
    public int mkdirAt(TreeDir dir, Path name, int mode) throws SyscallException {
        check("mkdir");
        return delegate.mkdirAt(dir, name, mode);
    }

    /** {@inheritDoc} Counted as {@code "open"}. */
    @Override
    public FileHandle openAt(TreeDir dir, Path name, int flags, int mode) throws SyscallException {
        check("open");
        return delegate.openAt(dir, name, flags, mode);
    }

    /** {@inheritDoc} Counted as {@code "symlink"}. */
    @Override
    public int symlinkAt(Path target, TreeDir dir, Path name) throws SyscallException {
        check("symlink");
        return delegate.symlinkAt(target, dir, name);
    }

    /** {@inheritDoc} Counted as {@code "readlink"}. */
    @Override
    public Path readlinkAt(TreeDir dir, Path name) throws SyscallException {
        check("readlink");
        return delegate.readlinkAt(dir, name);
    }

    /** {@inheritDoc} Counted as {@code "mknod"}. */
    @Override
    public int mknodAt(TreeDir dir, Path name, int mode, long dev) throws SyscallException {
        check("mknod");
        return delegate.mknodAt(dir, name, mode, dev);
    }

    // ---- IO::AIO 4.8: record locks, fcntl, ioctl, fiemap, memory, pipes ----

    /** {@inheritDoc} */
    @Override
    public org.ioaio.RecordLock fcntlLock(FileHandle file, int cmd, org.ioaio.RecordLock lock) throws SyscallException {
        check("fcntlLock");
        return delegate.fcntlLock(file, cmd, lock);
    }

    /** {@inheritDoc} */
    @Override
    public long fcntl(FileHandle file, int cmd, long arg) throws SyscallException {
        check("fcntl");
        return delegate.fcntl(file, cmd, arg);
    }

    /** {@inheritDoc} */
    @Override
    public long ioctl(FileHandle file, long request, ByteBuffer arg) throws SyscallException {
        check("ioctl");
        return delegate.ioctl(file, request, arg);
    }

    /** {@inheritDoc} */
    @Override
    public int reflink(FileHandle dst, FileHandle src, long srcOffset, long length, long dstOffset) throws SyscallException {
        check("reflink");
        return delegate.reflink(dst, src, srcOffset, length, dstOffset);
    }

    /** {@inheritDoc} */
    @Override
    public long copyFileRange(FileHandle in, long inOffset, FileHandle out, long outOffset, long length) throws SyscallException {
        check("copyFileRange");
        return delegate.copyFileRange(in, inOffset, out, outOffset, length);
    }

    /** {@inheritDoc} */
    @Override
    public List<org.ioaio.FiemapExtent> fiemap(FileHandle file, long start, long length, int flags, int count) throws SyscallException {
        check("fiemap");
        return delegate.fiemap(file, start, length, flags, count);
    }

    /** {@inheritDoc} */
    @Override
    public long fiemapCount(FileHandle file, long start, long length, int flags) throws SyscallException {
        check("fiemapCount");
        return delegate.fiemapCount(file, start, length, flags);
    }

    /** {@inheritDoc} */
    @Override
    public int mlock(ByteBuffer buffer, long offset, long length, boolean lock) throws SyscallException {
        check("mlock");
        return delegate.mlock(buffer, offset, length, lock);
    }

    /** {@inheritDoc} */
    @Override
    public int mlockall(int flags) throws SyscallException {
        check("mlockall");
        return delegate.mlockall(flags);
    }

    /** {@inheritDoc} */
    @Override
    public int madvise(ByteBuffer buffer, long offset, long length, int advice) throws SyscallException {
        check("madvise");
        return delegate.madvise(buffer, offset, length, advice);
    }

    /** {@inheritDoc} */
    @Override
    public long splice(FileHandle in, long inOffset, FileHandle out, long outOffset, long length, int flags) throws SyscallException {
        check("splice");
        return delegate.splice(in, inOffset, out, outOffset, length, flags);
    }

    /** {@inheritDoc} */
    @Override
    public long tee(FileHandle in, FileHandle out, long length, int flags) throws SyscallException {
        check("tee");
        return delegate.tee(in, out, length, flags);
    }

    /** {@inheritDoc} */
    @Override
    public FileHandle[] pipe(int flags) throws SyscallException {
        check("pipe");
        return delegate.pipe(flags);
    }

    /** {@inheritDoc} */
    @Override
    public long minFdlimit(long nfd) throws SyscallException {
        check("minFdlimit");
        return delegate.minFdlimit(nfd);
    }

    /** {@inheritDoc} */
    @Override
    public MappedRegion mmap(FileHandle file, long offset, long length, int prot, int flags) throws SyscallException {
        check("mmap");
        return delegate.mmap(file, offset, length, prot, flags);
    }
}
