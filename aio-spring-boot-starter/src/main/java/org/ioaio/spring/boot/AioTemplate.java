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

package org.ioaio.spring.boot;

import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;
import org.ioaio.AioOperations;
import org.ioaio.AioRequest;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;
import org.ioaio.ForwardingAioOperations;
import org.jspecify.annotations.Nullable;

/**
 * The injectable face of an {@link AioEngine}: every IO::AIO request of {@link AioOperations}, in
 * its future form ({@code template.stat("a.txt")}) and its callback form, through the engine's view
 * of {@code aio.root}. It adds what is Spring's: a bean owning the jail, and its views.
 *
 * <p><b>Completion.</b> Futures complete on the poller thread (inside {@code pollCb}); dependent
 * stages added with {@code thenApply} and friends run there too unless given an executor, so keep
 * them short and never block in them. Cancelling a returned future cancels its request ({@link
 * AioRequest#cancel()}); cancelling a dependent stage does not.
 *
 * <p><b>The root.</b> With {@code aio.root} set, the template holds the engine's jail of that
 * directory ({@link AioWorkingDirectory#jail(Path)}, opened once, when the template is made) and
 * every request goes through the engine's view of it ({@link AioEngine#in(AioWorkingDirectory)},
 * {@link #view()}): paths are relative to the root and each is resolved beneath it by the engine,
 * on the worker, when the request executes (by the kernel, {@code openat2(RESOLVE_BENEATH)}, on the
 * native backend; component by component through directory descriptors on the portable one). A
 * path that would leave the root ({@code ..} climbing above it, a symbolic link leading out, even
 * one swapped in while the request waits, or an absolute path) fails with {@link Errno#EXDEV
 * EXDEV}. The submitting thread makes no filesystem call. {@link #relativize(String)} turns an
 * absolute path under the root into the relative one, lexically. Without a root, paths go to the
 * engine as given (relative ones against the process's working directory).
 *
 * <p><b>Paths as given.</b> A {@code String} path reaches the syscall exactly as written (a
 * trailing slash, {@code //}, {@code .}): POSIX semantics, as in C and IO::AIO. A {@link Path} is
 * the JDK's normalised form, without a trailing slash. See {@link AioOperations}.
 *
 * <p><b>Bad arguments</b> (null, negative lengths, a closed engine) throw at the call, as the
 * engine's do: {@link IllegalArgumentException}, {@link IllegalStateException}.
 *
 * <p><b>Priority and deadline.</b> {@link #withPriority(int)} and {@link #withDeadline(Duration)}
 * return templates over the engine's views with IO::AIO's {@code aioreq_pri} or a queueing deadline
 * bound to every request; no thread-local setting is involved.
 *
 * <p><b>Closing.</b> A template made with a root owns its jail: {@link #close()} releases it (the
 * auto-configured bean is closed with the context, after the engine has drained). Its views share it.
 */
public class AioTemplate extends ForwardingAioOperations implements AutoCloseable {

    private static final Path DOT = Path.of(".");

    private final AioEngine engine;
    /** Where every request goes: {@code engine.in(jail)} under a root, else the engine, with this template's priority and deadline. */
    private final AioEngine view;
    private final @Nullable Jail jail;
    /** Whether this template opened the jail (and closes it), rather than being a view of one that did. */
    private final boolean owner;
    /** Wraps each request's callback on the submitting thread (the submitter's context restored at completion, observations). */
    private final AioCompletionDecorator decorator;

    /**
     * A template without a jail.
     *
     * @param engine the engine
     */
    public AioTemplate(AioEngine engine) {
        this(engine, null);
    }

    /**
     * A template jailed in {@code root}: opens the engine's jail of it now (a blocking call, made
     * once, on the calling thread) and submits every request through it; {@link #close()} releases it.
     *
     * @param engine the engine
     * @param root an existing directory, or {@code null} for no jail
     * @throws UncheckedIOException if the jail cannot be opened (its cause is the {@link
     *     AioException}: ENOENT, ENOTDIR, EACCES...)
     */
    public AioTemplate(AioEngine engine, @Nullable Path root) {
        this(engine, root, AioCompletionDecorator.NONE);
    }

    /**
     * A template jailed in {@code root} (see {@link #AioTemplate(AioEngine, Path)}) whose every
     * request's callback is first wrapped by {@code decorator}, on the submitting thread.
     *
     * @param engine the engine
     * @param root an existing directory, or {@code null} for no jail
     * @param decorator wraps each request's callback ({@link AioCompletionDecorator#NONE} for none)
     */
    public AioTemplate(AioEngine engine, @Nullable Path root, AioCompletionDecorator decorator) {
        this(requireEngine(engine), root == null ? null : Jail.open(root), true, null, decorator);
    }

    private AioTemplate(AioEngine engine, @Nullable Jail jail, boolean owner, @Nullable AioEngine view,
            @Nullable AioCompletionDecorator decorator) {
        this.engine = requireEngine(engine);
        this.jail = jail;
        this.view = view != null ? view : jail == null ? engine : engine.in(jail.wd());
        this.owner = owner;
        this.decorator = decorator == null ? AioCompletionDecorator.NONE : decorator;
    }

    private static AioEngine requireEngine(@Nullable AioEngine engine) {
        if (engine == null) {
            throw new IllegalArgumentException("engine must not be null");
        }
        return engine;
    }

    /** Every request goes to {@link #view()}. */
    @Override
    protected AioOperations delegate() {
        return view;
    }

    /** Every request's callback goes through the {@link AioCompletionDecorator}s. */
    @Override
    protected <T> AioCallback<T> wrap(AioCallback<T> callback) {
        return callback == null ? null : decorator.decorate(callback);
    }

    /**
     * The request behind a future this template returned, for adding it to a group or cancelling it.
     *
     * @param future a future from a template
     * @return its request, or {@code null} when it is not a request's future
     */
    public static @Nullable AioRequest requestOf(CompletableFuture<?> future) {
        return future instanceof AioFuture<?> f ? f.request() : null;
    }

    /** The engine behind this template (itself, not jailed: paths given to it are not confined to the root). */
    public AioEngine engine() {
        return engine;
    }

    /**
     * The engine view every request of this template goes through: under a root, {@code
     * engine().in(jail)}; without one, the engine itself; with this template's priority and deadline.
     *
     * @return the view (closing it does nothing)
     */
    public AioEngine view() {
        return view;
    }

    /** The jail directory (absolute, normalized, as configured), if any. */
    public Optional<Path> root() {
        return jail == null ? Optional.empty() : Optional.of(jail.root());
    }

    /**
     * A template whose requests have priority {@code pri} (IO::AIO's {@code aioreq_pri}), bound to
     * each request it makes.
     *
     * @param pri -4 (lowest) to 4 (highest); out-of-range values are clamped
     * @return the view (sharing this template's jail)
     */
    @Override
    public AioTemplate withPriority(int pri) {
        return new AioTemplate(engine, jail, false, view.withPriority(pri), decorator);
    }

    /**
     * A template whose requests time out (ETIMEDOUT, the future failing with a {@link
     * java.util.concurrent.TimeoutException}) if still queued after {@code timeout}.
     *
     * @param timeout a positive duration, or {@code null} / zero for none
     * @return the view (sharing this template's jail)
     */
    @Override
    public AioTemplate withDeadline(@Nullable Duration timeout) {
        return new AioTemplate(engine, jail, false, view.withDeadline(timeout), decorator);
    }

    /**
     * A template of the same engine resolving relative paths against {@code wd} instead of this
     * template's root (with its priority and deadline); it does not own {@code wd}.
     *
     * @param wd an open working directory or jail
     * @return the view
     */
    @Override
    public AioTemplate in(AioWorkingDirectory wd) {
        return new AioTemplate(engine, null, false, view.in(wd), decorator);
    }

    /**
     * The path to give this template for {@code path}: under a root, a relative path unchanged and
     * an absolute path under the root (as configured, or its canonical path) made relative to it,
     * lexically (the root itself is {@code .}); no filesystem call. Without a root, the path as given.
     *
     * @param path the path
     * @return the path for this template
     * @throws AioException EXDEV for an absolute path outside the root; ENOENT for a NUL character
     */
    public Path relativize(String path) throws AioException {
        requirePath(path);
        if (path.indexOf('\0') >= 0) {
            throw new AioException(Errno.ENOENT.code(), "relativize", path);
        }
        try {
            return relativize(Path.of(path));
        } catch (InvalidPathException e) {
            throw new AioException(Errno.ENOENT.code(), "relativize", path, e);
        }
    }

    /**
     * The path to give this template for {@code path} (see {@link #relativize(String)}).
     *
     * @param path the path
     * @return the path for this template
     * @throws AioException EXDEV for an absolute path outside the root
     */
    public Path relativize(Path path) throws AioException {
        requirePath(path);
        Jail j = jail;
        if (j == null || !path.isAbsolute()) {
            return j != null && path.toString().isEmpty() ? DOT : path;
        }
        Path relative = j.relativize(path);
        if (relative == null) {
            throw new AioException(Errno.EXDEV.code(), "relativize", path.toString(),
                    new java.io.IOException("aio.root jail: an absolute path outside aio.root " + j.root()));
        }
        return relative;
    }

    /**
     * {@code aio_busy} for a {@link Duration}: occupies a worker thread (for tests and load).
     *
     * @param duration zero or positive
     * @return the future
     */
    public AioFuture<Void> busy(Duration duration) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("busy duration must be zero or positive, got " + duration);
        }
        return busy(duration.toNanos() / 1e9);
    }

    /**
     * Releases the jail this template opened: requests through it afterwards fail with EBADF. A view
     * ({@link #withPriority}, {@link #withDeadline}, {@link #in}) and a template without a root have
     * nothing to release. Idempotent.
     */
    @Override
    public void close() {
        if (owner && jail != null) {
            jail.wd().close();
        }
    }

    private static void requirePath(@Nullable Object path) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
    }

    /**
     * The engine's jail of {@code aio.root}, shared by a template and its views.
     *
     * @param wd the jail
     * @param root the root as configured, absolute and normalized
     * @param canonical the root's canonical path, as the jail opened it
     */
    private record Jail(AioWorkingDirectory wd, Path root, Path canonical) {

        /** Opens the jail (blocking: at start-up, once). */
        static Jail open(Path root) {
            Path abs = root.toAbsolutePath().normalize();
            AioWorkingDirectory wd;
            try {
                wd = AioWorkingDirectory.jail(abs);
            } catch (AioException e) {
                throw new UncheckedIOException("aio.root " + root + ": cannot open the jail", e);
            }
            return new Jail(wd, abs, wd.path());
        }

        /**
         * {@code p} (absolute) relative to the root if its leading components are the root's, as
         * configured or canonical: {@code .} for the root itself; {@code null} otherwise. The rest
         * is kept as given ({@code ..} included: the engine refuses it if it climbs out).
         */
        @Nullable Path relativize(Path p) {
            for (Path prefix : new Path[] {root, canonical}) {
                if (p.startsWith(prefix)) {
                    int n = prefix.getNameCount();
                    return n == p.getNameCount() ? DOT : p.subpath(n, p.getNameCount());
                }
            }
            return null;
        }
    }

    @Override
    public String toString() {
        return "AioTemplate[" + view + (jail == null ? "" : ", root=" + jail.root()) + "]";
    }
}
