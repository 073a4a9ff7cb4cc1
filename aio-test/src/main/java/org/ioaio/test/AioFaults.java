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

package org.ioaio.test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.Errno;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.Syscalls;

/**
 * Disk faults for an application's tests: an engine built with {@link #install(AioEngine.Builder)}
 * has the calls this object names fail with the errno it names, as the disk or the kernel would
 * report them (EIO, ENOSPC, EINTR...). The failure reaches the request's callback and future
 * exactly as a real one does ({@link org.ioaio.AioException} with the errno, the operation and the
 * path).
 *
 * <p>Calls are named by the engine's syscall layer, one per system call a request makes: {@code
 * open}, {@code close}, {@code pread}, {@code pwrite}, {@code read}, {@code write}, {@code fsync},
 * {@code fdatasync}, {@code stat}, {@code lstat}, {@code fstat}, {@code mkdir}, {@code rmdir},
 * {@code unlink}, {@code rename}, {@code truncate}, {@code ftruncate}, {@code fallocate}, {@code
 * sendfile}...; an unknown name is refused ({@link IllegalArgumentException}). A composite request
 * makes several ({@code load}: {@code open}, then reads, then {@code close}). Rules, checked
 * in this order: the n-th call of a name ({@link #failNth}), every call of a name ({@link
 * #failAlways}), each call at random ({@link #failRandomly}). A failed call does nothing, except
 * {@code close}, which closes and then reports the error, as {@code close(2)} does: no fault leaks a
 * file. Thread-safe; rules may change while requests run.
 *
 * <p>Rules may be limited to some paths ({@link #forPaths(String)}): the text matched is the path
 * as the request gave it, so in a jail or working directory ({@link
 * AioEngine#in(org.ioaio.AioWorkingDirectory)}, the starter's {@code aio.root}) it is relative to
 * it ({@code "logs/today.log"}); a call on an open file ({@code pwrite}, {@code fsync}) matches the
 * path the file was opened with; the entries a tree request reaches ({@code rmtree}, {@code
 * copyTree}, {@code scandir}) are the tree's path joined with their names ({@code "tree/sub/f"}).
 *
 * <p>The rules reach every request of the engine and of its views, jails and working directories
 * included, each call seen once. The engine runs on the {@link #backend(AioBackend) backend}
 * chosen here (portable by default, the same on every machine); io_uring is off.
 */
public final class AioFaults {

    private final FaultInjectingSyscalls faults = new FaultInjectingSyscalls();
    private volatile AioBackend backend = AioBackend.NIO;

    private AioFaults() {
    }

    /** No faults yet: add rules with the {@code fail*} methods, before or while requests run. */
    public static AioFaults create() {
        return new AioFaults();
    }

    /**
     * The backend {@link #install} gives the engine: {@link AioBackend#NIO} (the default), {@link AioBackend#NATIVE} or {@link AioBackend#AUTO}.
     *
     * @param backend the backend under the faults
     * @return this
     */
    public AioFaults backend(AioBackend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null");
        }
        this.backend = backend;
        return this;
    }

    /**
     * Makes {@code builder}'s engine, and every view of it, run through these faults on {@link #backend(AioBackend) the backend} chosen here.
     *
     * @param builder an engine builder, to be built after this call
     * @return {@code builder}
     */
    public AioEngine.Builder install(AioEngine.Builder builder) {
        if (builder == null) {
            throw new IllegalArgumentException("builder must not be null");
        }
        builder.backend(backend);
        UnaryOperator<Syscalls> layer = faults::wrap;
        try {
            DECORATE.invoke(builder, layer);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("aio-test cannot reach the engine's syscall layer setting", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("aio-test: the engine refused the fault-injecting layer", e.getCause());
        }
        return builder;
    }

    /** A new engine with these faults, with the builder's defaults otherwise. */
    public AioEngine newEngine() {
        return install(AioEngine.builder()).build();
    }

    /**
     * Rules for the paths that match {@code glob} ({@link java.nio.file.FileSystem#getPathMatcher} syntax: {@code "*.log"}, {@code "data/**"}).
     *
     * @param glob the pattern, matched against the path as the request gave it (see the class comment)
     * @return the rules for those paths
     */
    public PathFaults forPaths(String glob) {
        if (glob == null) {
            throw new IllegalArgumentException("glob must not be null");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        return forPaths(text -> {
            try {
                return matcher.matches(Path.of(text));
            } catch (InvalidPathException e) {
                return false;
            }
        });
    }

    /**
     * Rules for the paths {@code paths} accepts.
     *
     * @param paths tested with each path of a call, as the request gave it (see the class comment)
     * @return the rules for those paths
     */
    public PathFaults forPaths(Predicate<String> paths) {
        if (paths == null) {
            throw new IllegalArgumentException("paths must not be null");
        }
        return new PathFaults(paths);
    }

    /** Rules that apply to the calls of some paths only (made by {@link #forPaths}); they are {@link #clear() cleared} with the others. */
    public final class PathFaults {

        private final Predicate<String> paths;

        private PathFaults(Predicate<String> paths) {
            this.paths = paths;
        }

        /**
         * The {@code n}-th call of {@code call} on these paths (counted from now, 1 or more) fails with {@code errno}.
         *
         * @param call a syscall name ({@code pwrite})
         * @param n which matching call, 1 or more
         * @param errno the failure
         * @return this
         */
        public PathFaults failNth(String call, long n, Errno errno) {
            faults.failNth(call, paths, n, errno);
            return this;
        }

        /**
         * Every call of {@code call} on these paths fails with {@code errno} (until {@link AioFaults#clear()}).
         *
         * @param call a syscall name ({@code open})
         * @param errno the failure
         * @return this
         */
        public PathFaults failAlways(String call, Errno errno) {
            faults.failAlways(call, paths, errno);
            return this;
        }

        /**
         * Each call of one of {@code calls} on these paths fails with {@code probability}; replaces any earlier random rule.
         *
         * @param seed the random seed
         * @param probability 0 to 1
         * @param calls the syscall names that may fail
         * @param errnos the failures to pick from, at least one
         * @return this
         */
        public PathFaults failRandomly(long seed, double probability, Set<String> calls, Errno... errnos) {
            faults.failRandomly(seed, probability, calls, paths, errnos);
            return this;
        }
    }

    /**
     * The {@code n}-th call of {@code call} (from 1, every call counted) fails with {@code errno}.
     *
     * @param call a syscall name ({@code pwrite})
     * @param n which call, 1 or more
     * @param errno the failure
     * @return this
     */
    public AioFaults failNth(String call, long n, Errno errno) {
        faults.failNth(call, n, errno);
        return this;
    }

    /**
     * Every call of {@code call} fails with {@code errno} (until {@link #clear()}).
     *
     * @param call a syscall name ({@code fsync})
     * @param errno the failure
     * @return this
     */
    public AioFaults failAlways(String call, Errno errno) {
        faults.failAlways(call, errno);
        return this;
    }

    /**
     * Each call fails with {@code probability}, with an errno picked from {@code errnos}; the seed
     * makes a single-threaded sequence of calls fail the same way on every run.
     *
     * @param seed the random seed
     * @param probability 0 to 1
     * @param errnos the failures to pick from, at least one
     * @return this
     */
    public AioFaults failRandomly(long seed, double probability, Errno... errnos) {
        faults.failRandomly(seed, probability, errnos);
        return this;
    }

    /**
     * Each call of one of {@code calls} fails with {@code probability}, with an errno picked from {@code errnos}.
     *
     * @param seed the random seed
     * @param probability 0 to 1
     * @param calls the syscall names that may fail
     * @param errnos the failures to pick from, at least one
     * @return this
     */
    public AioFaults failRandomly(long seed, double probability, Set<String> calls, Errno... errnos) {
        faults.failRandomly(seed, probability, calls, errnos);
        return this;
    }

    /** Removes every rule; the counts and the record of faults stay. */
    public AioFaults clear() {
        faults.clear();
        return this;
    }

    /**
     * How many calls of {@code call} were made, failed ones included.
     *
     * @param call a syscall name
     * @return the count
     */
    public long calls(String call) {
        return faults.calls(call);
    }

    /** Every fault injected so far, in order. */
    public List<Fault> injected() {
        return faults.injections().stream().map(i -> new Fault(i.call(), i.method(), Errno.of(i.errno()))).toList();
    }

    /**
     * One injected fault.
     *
     * @param n which call of that name it was, from 1
     * @param call the syscall name
     * @param errno the errno injected
     */
    public record Fault(long n, String call, Errno errno) {}

    @Override
    public String toString() {
        return "AioFaults[" + faults.injectedCount() + " injected]";
    }

    /** {@code AioEngine.Builder.decorate(UnaryOperator<Syscalls>)}: package-private in the engine, which keeps its syscall layer out of its API. */
    private static final Method DECORATE = decorateSetter();

    private static Method decorateSetter() {
        try {
            Method m = AioEngine.Builder.class.getDeclaredMethod("decorate", UnaryOperator.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new ExceptionInInitializerError("aio-test does not match this aio-engine (no Builder.decorate): " + e);
        }
    }
}
