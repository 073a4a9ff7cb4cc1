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

package org.ioaio.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ioaio.AioBackend;
import org.ioaio.AioCallback;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioRequest;
import org.ioaio.AioResult;
import org.ioaio.Errno;

/** Shared helpers of the filesystem request tests: both request forms, errno assertions, commands. */
final class FsTesting {

    private FsTesting() {}

    /** An engine on the portable layer (tests of what it emulates or refuses pin it), two workers. */
    static AioEngine engine() {
        return AioEngine.builder().minParallel(2).backend(AioBackend.NIO).build();
    }

    /**
     * What one callback saw, copied inside the callback (an {@link AioResult} must not be kept).
     *
     * @param status the status (-1 on error)
     * @param errno the errno (0 on success)
     * @param value the value ({@code null} on error)
     * @param failure the failure ({@code null} on success)
     * @param <T> the value type
     */
    record Outcome<T>(long status, int errno, T value, Throwable failure) {}

    /** A callback that records every call; {@link #single()} checks there was exactly one. */
    static final class Recorder<T> implements AioCallback<T> {

        private final List<Outcome<T>> seen = new ArrayList<>();

        @Override
        public void onResult(AioResult<T> r) {
            seen.add(new Outcome<>(r.status(), r.errno(), r.value(), r.failure()));
        }

        /** The one outcome (fails unless the callback ran exactly once). */
        Outcome<T> single() {
            assertThat(seen).as("callback calls").hasSize(1);
            return seen.get(0);
        }
    }

    /**
     * Submits a request in callback form, flushes, and returns what its callback saw (exactly once).
     *
     * @param aio the engine
     * @param submit submits the request with the given callback
     * @param <T> the value type
     * @return the outcome
     */
    static <T> Outcome<T> callback(AioEngine aio, Function<Recorder<T>, AioRequest> submit) {
        Recorder<T> rec = new Recorder<>();
        submit.apply(rec);
        aio.flush();
        assertThat(aio.nreqs()).as("nreqs after flush").isZero();
        return rec.single();
    }

    /**
     * Submits a status-only request in callback form, flushes, and asserts its callback saw status 0
     * and no errno, exactly once.
     *
     * @param aio the engine
     * @param submit submits the request with the given callback
     */
    static void succeeds(AioEngine aio, Function<Recorder<Void>, AioRequest> submit) {
        Outcome<Void> o = callback(aio, submit);
        assertThat(o.errno()).as("errno %s", Errno.describe(o.errno())).isZero();
        assertThat(o.status()).as("status").isZero();
        assertThat(o.value()).isNull();
        assertThat(o.failure()).isNull();
    }

    /** A successful callback outcome's value, after checking status and errno. */
    static <T> T ok(Outcome<T> o) {
        assertThat(o.errno()).as("errno %s, failure %s", Errno.describe(o.errno()), o.failure()).isZero();
        assertThat(o.status()).as("status").isNotNegative();
        assertThat(o.failure()).isNull();
        return o.value();
    }

    /**
     * Flushes and returns the value a future completed with.
     *
     * @param aio the engine
     * @param f the future
     * @param <T> the value type
     * @return the value
     */
    static <T> T await(AioEngine aio, AioFuture<T> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).as("future failure").isNull();
        return f.join();
    }

    /**
     * Flushes and returns the {@link AioException} a future failed with.
     *
     * @param aio the engine
     * @param f the future
     * @return the exception
     */
    static AioException awaitFailure(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).as("the future should have failed").isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(AioException.class);
        return (AioException) t.getCause();
    }

    /**
     * Asserts a request fails with {@code errno} in both forms: the callback sees status -1, the
     * errno, no value and an {@link AioException} failure; the future fails with an {@link
     * AioException} carrying the errno, the operation and the path.
     *
     * @param aio the engine
     * @param errno the expected errno
     * @param operation the expected operation name
     * @param target the request's path or file ({@code null} for none)
     * @param future submits the future form
     * @param callbackForm submits the callback form
     * @param <T> the value type
     */
    static <T> void assertFails(AioEngine aio, Errno errno, String operation, Object target,
            Supplier<AioFuture<T>> future, Function<Recorder<T>, AioRequest> callbackForm) {
        String path = target == null ? null : target instanceof AioFile f ? String.valueOf(f.path()) : target.toString();
        Outcome<T> o = callback(aio, callbackForm);
        assertThat(Errno.describe(o.errno())).as("callback errno of %s", operation).isEqualTo(Errno.describe(errno.code()));
        assertThat(o.status()).as("callback status").isEqualTo(-1);
        assertThat(o.value()).as("callback value").isNull();
        assertThat(o.failure()).isInstanceOf(AioException.class);
        assertThat(((AioException) o.failure()).errno()).isEqualTo(errno.code());
        AioException e = awaitFailure(aio, future.get());
        assertThat(Errno.describe(e.errno())).as("future errno of %s", operation).isEqualTo(Errno.describe(errno.code()));
        assertThat(e.error()).isEqualTo(errno);
        assertThat(e.operation()).as("operation").isEqualTo(operation);
        assertThat(e.path()).as("path").isEqualTo(path);
        assertThat(aio.nreqs()).isZero();
    }

    /** The outcome of a command. */
    record Result(int status, String out, String err) {}

    /**
     * Runs a command (tests only) and waits for it.
     *
     * @param command the command and its arguments
     * @return its outcome, output trimmed
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted
     */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(p.getInputStream(), out);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("command did not finish: " + command);
        }
        errReader.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8).trim());
    }

    /**
     * Runs a command that must succeed; returns its trimmed standard output.
     *
     * @param command the command and its arguments
     * @return the output
     * @throws Exception if it fails
     */
    static String sh(String... command) throws Exception {
        Result r = run(List.of(command));
        assertThat(r.status()).as("%s: %s", String.join(" ", command), r.err()).isZero();
        return r.out();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process umask, as the shell reports it. */
    static int umask() throws Exception {
        return Integer.parseInt(sh("sh", "-c", "umask"), 8);
    }

    /** Skips the test with {@code reason} (printed, so a skip is visible in the output) unless {@code condition}. */
    static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    /**
     * A directory on another file system than {@code dir} (for EXDEV), or a skip with the reason.
     *
     * @param dir the test's directory
     * @return a fresh directory under /dev/shm; the caller deletes it
     * @throws Exception if it cannot be made
     */
    static Path otherFileSystem(Path dir) throws Exception {
        Path shm = Path.of("/dev/shm");
        skipUnless(Files.isDirectory(shm) && Files.isWritable(shm), "/dev/shm is not a writable directory: no second file system for EXDEV");
        skipUnless(!sh("stat", "-c", "%d", shm.toString()).equals(sh("stat", "-c", "%d", dir.toString())),
                "/dev/shm is on the same file system as " + dir + ": no EXDEV can be provoked");
        return Files.createTempDirectory(shm, "aio-fs-test-");
    }

    /** Deletes a directory tree (best effort, for cleanup). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
