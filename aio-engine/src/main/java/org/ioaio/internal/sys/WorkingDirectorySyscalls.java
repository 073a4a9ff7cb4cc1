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

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import org.ioaio.Errno;

/**
 * The syscall layer of an engine view made by {@code AioEngine.in(wd)}: it chooses, once, the layer
 * that resolves this view's paths, and names it as {@link ForwardingSyscalls#paths()}, so every path
 * call (both forms, names as given) goes to it; calls on open files and
 * held directories go to the wrapped layer as they are. The layers (see the package comment): for an
 * ordinary working directory, the wrapped layer's {@link Syscalls#relative} (the kernel's {@code *at}
 * calls on a descriptor of it) where it has one, else {@link RelativeSyscalls}; for a jail, the
 * wrapped layer's {@link Syscalls#beneath} (the kernel's {@code openat2}) where it has one, else
 * {@link WalkedJailSyscalls}. The layer is chosen when the view's first call executes, on a worker:
 * asking {@code relative} or {@code beneath} opens a descriptor.
 *
 * <p>Thread-safe, as the working directory is.
 */
public final class WorkingDirectorySyscalls extends ForwardingSyscalls.AsGiven {

    /** A chosen layer and how it opens a working directory inside it. */
    private record Chosen(Syscalls calls, DirectoryOpener opener) {}

    /** {@code aio_wd [$wd, $path]} on a chosen layer. */
    @FunctionalInterface
    private interface DirectoryOpener {
        DirectoryHandle open(Path path, boolean jail) throws SyscallException;
    }

    private final Syscalls delegate;
    private final DirectoryHandle wd;
    /** The layer, once chosen; {@code null} before the first call. */
    private volatile Chosen chosen;

    /**
     * Resolves paths against {@code wd} and passes the calls to {@code delegate}.
     *
     * @param delegate the engine's own layer
     * @param wd the working directory (closed by its owner, not by this)
     */
    public WorkingDirectorySyscalls(Syscalls delegate, DirectoryHandle wd) {
        if (delegate == null || wd == null) {
            throw new IllegalArgumentException("delegate and wd must not be null");
        }
        this.delegate = delegate;
        this.wd = wd;
    }

    /** The wrapped layer: calls on open files and held directories go to it as they are. */
    @Override
    public Syscalls delegate() {
        return delegate;
    }

    /**
     * Whether this view's paths are resolved by the kernel ({@link Syscalls#relative}, {@link
     * Syscalls#beneath}) rather than in Java; chooses the layer if not done yet.
     *
     * @return {@code true} over a layer that has them (the native layer; for a jail, with {@code
     *     openat2}); {@code false} otherwise
     * @throws SyscallException EBADF once the working directory is closed
     */
    public boolean resolvesInKernel() throws SyscallException {
        return layer() instanceof KernelResolvedSyscalls;
    }

    /**
     * Opens a working directory relative to this one ({@code aio_wd [$wd, $path]}); one made
     * through a jail is a jail (the jail's resolution finds it, so it is inside).
     *
     * @param path the directory (absolute: ignores an ordinary working directory)
     * @param jail whether the new one is a jail
     * @return the open directory
     * @throws SyscallException as {@link DirectoryHandle#open}, and EXDEV for an escape
     */
    public DirectoryHandle openDirectory(Path path, boolean jail) throws SyscallException {
        return choose().opener.open(path, jail);
    }

    private Syscalls layer() throws SyscallException {
        return choose().calls;
    }

    /**
     * The layer, asked of the wrapped layer the first time: {@code beneath} for a jail (ENOSYS
     * means the walk in Java), {@code relative} for an ordinary working directory (ENOSYS means the
     * JDK's directory streams). Two first calls racing may both ask; either answer is the same.
     */
    private Chosen choose() throws SyscallException {
        Chosen c = chosen;
        if (c != null) {
            return c;
        }
        try {
            if (wd.isJail()) {
                BeneathSyscalls k = delegate.beneath(wd);
                c = new Chosen(k, (path, jail) -> openResolved(k, path, true)); // one made through a jail is a jail
            } else {
                KernelResolvedSyscalls k = delegate.relative(wd);
                c = new Chosen(k, (path, jail) -> openResolved(k, path, jail));
            }
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOSYS.code()) {
                throw e; // EBADF (closed), or the directory could not be opened: the call fails
            }
            if (wd.isJail()) {
                WalkedJailSyscalls walked = new WalkedJailSyscalls(delegate, wd);
                c = new Chosen(walked, walked::openDirectory);
            } else {
                RelativeSyscalls relative = new RelativeSyscalls(delegate, wd);
                c = new Chosen(relative, relative::openDirectory);
            }
        }
        chosen = c;
        return c;
    }

    /** A working directory inside one the kernel resolves: the stream it opens, located by its {@code realpath}. */
    private static DirectoryHandle openResolved(KernelResolvedSyscalls k, Path path, boolean jail) throws SyscallException {
        SecureDirectoryStream<Path> ds = k.openDirectory(path);
        try {
            Object key = DirectoryHandle.keyOf(ds);
            Path candidate;
            try {
                candidate = k.realpath(path);
            } catch (SyscallException e) {
                candidate = null; // moved meanwhile: found by walking up from the stream
            }
            return new DirectoryHandle(DirectoryHandle.locate(ds, key, candidate), ds, key, jail);
        } catch (IOException | SyscallException | RuntimeException e) {
            DirectorySyscalls.closeQuietly(ds);
            throw ErrnoMapper.failure(e);
        }
    }

    /**
     * {@inheritDoc} The chosen layer's (a kernel jail's is the native layer's), so a view's requests
     * may run on a flushing thread as the engine's do; {@code false} until the layer is chosen.
     */
    @Override
    public boolean survivesInterrupts() {
        Chosen c = chosen;
        return c != null && c.calls.survivesInterrupts();
    }

    /** {@inheritDoc} The chosen layer's, as {@link #survivesInterrupts()}; {@code false} until the layer is chosen. */
    @Override
    public boolean namingCallsSurviveInterrupts() {
        Chosen c = chosen;
        return c != null && c.calls.namingCallsSurviveInterrupts();
    }

    /** {@inheritDoc} The delegate's: every path of {@code readdirDents} ends in the delegate's listing, or the kernel's {@code getdents64}. */
    @Override
    public boolean readdirTypesFree() {
        return delegate.readdirTypesFree();
    }

    /** The chosen layer: every path call goes to it, names as given (see {@link ForwardingSyscalls.AsGiven}). */
    @Override
    protected Syscalls paths() throws SyscallException {
        return layer();
    }
}
