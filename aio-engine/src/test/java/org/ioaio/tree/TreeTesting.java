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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFuture;

/** Shared helpers of the directory and tree tests. */
final class TreeTesting {

    private TreeTesting() {}

    /** An engine with four workers on the given backend. */
    static AioEngine engine(AioBackend backend) {
        return AioEngine.builder().minParallel(4).backend(backend).build();
    }

    /** An engine with four workers on the default backend. */
    static AioEngine engine() {
        return engine(AioBackend.AUTO);
    }

    /** Flushes and returns the future's value (fails the test if it failed). */
    static <T> T await(AioEngine aio, AioFuture<T> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).as("future failure").isNull();
        assertThat(aio.nreqs()).as("nreqs after flush").isZero();
        return f.join();
    }

    /** Flushes and returns the {@link AioException} the future failed with. */
    static AioException failure(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).as("the future should have failed").isInstanceOf(CompletionException.class);
        assertThat(t.getCause()).isInstanceOf(AioException.class);
        assertThat(aio.nreqs()).as("nreqs after flush").isZero();
        return (AioException) t.getCause();
    }

    /** Flushes and checks the future was cancelled. */
    static void cancelled(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).isDone();
        assertThat(catchThrowable(f::join)).isInstanceOf(CancellationException.class);
        assertThat(aio.nreqs()).as("nreqs after flush").isZero();
    }

    /** The outcome of a command. */
    record Result(int status, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** Runs a command and waits for it (tests only). */
    static Result run(List<String> command) {
        try {
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
            return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command that must succeed. */
    static Result sh(String... command) {
        Result r = run(List.of(command));
        assertThat(r.status()).as("%s failed: %s", List.of(command), r.err()).isZero();
        return r;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // the process went away
        }
    }

    /** {@code true} when perl has IO::AIO. */
    static boolean perlHasIoAio() {
        try {
            return run(List.of("perl", "-MIO::AIO", "-e", "1")).status() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Skips the test unless perl's IO::AIO is installed. */
    static void assumeIoAio() {
        assumeTrue(perlHasIoAio(), "perl IO::AIO is not installed (apt-get install libio-aio-perl): nothing to compare with");
    }

    /** Makes a FIFO with mkfifo(1). */
    static void mkfifo(Path p) {
        sh("mkfifo", p.toString());
    }

    /**
     * Makes names Java cannot spell (bytes that are not UTF-8) with perl: each argument is
     * {@code kind:hexname[:hextarget]}, kind {@code f} (file), {@code d} (directory) or {@code l}
     * (symlink to target), names relative to {@code dir}.
     */
    static void perlMake(Path dir, String... specs) {
        List<String> cmd = new ArrayList<>(List.of("perl", "-e", ""
                + "chdir $ARGV[0] or die \"chdir: $!\"; shift @ARGV;"
                + "for (@ARGV) { my ($k, $n, $t) = split /:/; $n = pack 'H*', $n;"
                + " if ($k eq 'f') { open my $f, '>', $n or die \"$n: $!\"; print $f $n; close $f }"
                + " elsif ($k eq 'd') { mkdir $n or die \"$n: $!\" }"
                + " elsif ($k eq 'l') { symlink pack('H*', $t), $n or die \"$n: $!\" } }",
                dir.toString()));
        cmd.addAll(List.of(specs));
        Result r = run(cmd);
        assertThat(r.status()).as("perl: %s", r.err()).isZero();
    }

    /** Hex of a string's UTF-8 bytes. */
    static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The exact bytes of the last element of {@code dir.resolve(name)}, in hex: a Unix path keeps
     * them, and its URI spells each one that is not plain ASCII as {@code %XX}.
     */
    static String nameHex(Path dir, Path name) {
        String raw = dir.resolve(name).toAbsolutePath().toUri().getRawPath();
        if (raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        raw = raw.substring(raw.lastIndexOf('/') + 1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                b.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.write(c);
            }
        }
        return HexFormat.of().formatHex(b.toByteArray());
    }

    /** SHA-256 of a file's content, in hex. */
    static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0;) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code size} pseudo-random bytes (seeded) to a new file. */
    static Path randomFile(Path p, long size, long seed) throws IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        try (var out = Files.newOutputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (long left = size; left > 0;) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i++) {
                    buf[i] = (byte) r.nextInt();
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return p;
    }

    /**
     * Runs an engine built with {@code maxParallel(0)} one round at a time: lets every READY request
     * execute (one worker), waits until it has, stops the worker, and processes the results (whose
     * callbacks queue a composite's next steps, READY again). Before each round, {@code beforeRound}
     * sees the engine with nothing executing.
     *
     * @param aio an engine built with maxParallel(0)
     * @param beforeRound called before each round with its number (from 0); return {@code false} to stop
     * @return the number of rounds run
     */
    static int rounds(AioEngine aio, java.util.function.IntPredicate beforeRound) {
        int round = 0;
        while (aio.nreqs() > 0) {
            if (!beforeRound.test(round)) {
                return round;
            }
            aio.maxParallel(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (aio.nready() > 0) {
                assertThat(System.nanoTime() - deadline).as("a worker took the ready requests").isNegative();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
            aio.maxParallel(0); // returns once the worker finished what it took and exited
            aio.pollCb();
            round++;
        }
        return round;
    }

    /** An engine whose requests wait until {@link #rounds} lets them run. */
    static AioEngine steppedEngine() {
        return AioEngine.builder().maxParallel(0).build();
    }

    /** Open descriptors of this process (files, directories, pipes), or -1 without /proc. */
    static int openFds() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
