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
import java.util.List;
import java.util.Set;
import org.ioaio.AioEngine;
import org.ioaio.Errno;
import org.ioaio.internal.sys.FaultInjectingSyscalls;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.Syscalls;

/**
 * Disk faults for an application's tests: an engine built with {@link #install(AioEngine.Builder)}
 * runs its requests on the portable (nio) syscall layer, with the calls this object names failing
 * with the errno it names, as the disk or the kernel would report them (EIO, ENOSPC, EINTR...). The
 * failure reaches the request's callback and future exactly as a real one does ({@link
 * org.ioaio.AioException} with the errno, the operation and the path).
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
 * <p>In a working directory or a jail ({@link AioEngine#in(org.ioaio.AioWorkingDirectory)}, the
 * starter's {@code aio.root}) the calls on an open file fail as named ({@code pread}, {@code
 * pwrite}, {@code fsync}, {@code close}...), but a path is resolved by the jail's own
 * directory-relative calls, which these rules do not reach: fail {@code open} or {@code stat} of a
 * path on the engine itself, with absolute paths. Faults are a test device: the portable layer
 * stands in for the native one, and io_uring is off.
 */
public final class AioFaults {

    private final FaultInjectingSyscalls syscalls;

    private AioFaults() {
        this.syscalls = new FaultInjectingSyscalls(new NioSyscalls());
    }

    /** No faults yet: add rules with the {@code fail*} methods, before or while requests run. */
    public static AioFaults create() {
        return new AioFaults();
    }

    /**
     * Makes {@code builder}'s engine run on this fault-injecting layer (the portable backend).
     *
     * @param builder an engine builder, to be built after this call
     * @return {@code builder}
     */
    public AioEngine.Builder install(AioEngine.Builder builder) {
        if (builder == null) {
            throw new IllegalArgumentException("builder must not be null");
        }
        try {
            SYSCALLS.invoke(builder, syscalls);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("aio-test cannot reach the engine's syscall layer setting", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("aio-test: the engine refused the fault-injecting layer", e.getCause());
        }
        return builder;
    }

    /** A new engine on this layer, with the builder's defaults otherwise. */
    public AioEngine newEngine() {
        return install(AioEngine.builder()).build();
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
        syscalls.failNth(call, n, errno);
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
        syscalls.failAlways(call, errno);
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
        syscalls.failRandomly(seed, probability, errnos);
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
        syscalls.failRandomly(seed, probability, calls, errnos);
        return this;
    }

    /** Removes every rule; the counts and the record of faults stay. */
    public AioFaults clear() {
        syscalls.clear();
        return this;
    }

    /**
     * How many calls of {@code call} were made, failed ones included.
     *
     * @param call a syscall name
     * @return the count
     */
    public long calls(String call) {
        return syscalls.calls(call);
    }

    /** Every fault injected so far, in order. */
    public List<Fault> injected() {
        return syscalls.injections().stream().map(i -> new Fault(i.call(), i.method(), Errno.of(i.errno()))).toList();
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
        return "AioFaults[" + syscalls.injectedCount() + " injected]";
    }

    /** {@code AioEngine.Builder.syscalls(Syscalls)}: package-private in the engine, which keeps its syscall layer out of its API. */
    private static final Method SYSCALLS = syscallsSetter();

    private static Method syscallsSetter() {
        try {
            Method m = AioEngine.Builder.class.getDeclaredMethod("syscalls", Syscalls.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new ExceptionInInitializerError("aio-test does not match this aio-engine (no Builder.syscalls): " + e);
        }
    }
}
