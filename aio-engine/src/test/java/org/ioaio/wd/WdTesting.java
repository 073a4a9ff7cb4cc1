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

package org.ioaio.wd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioResult;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.ioaio.internal.sys.Syscalls;

/** Helpers of the working directory and jail tests: engines, outcomes, snapshots of what must not change. */
final class WdTesting {

    private WdTesting() {}

    /** The backends to run a test on: the portable one, and the native one where this JVM has it. */
    static Stream<AioBackend> backends() {
        return Platform.nativeLayer().available() ? Stream.of(AioBackend.NIO, AioBackend.NATIVE) : Stream.of(AioBackend.NIO);
    }

    /** An engine on {@code backend}, two workers. */
    static AioEngine engine(AioBackend backend) {
        return AioEngine.builder().minParallel(2).backend(backend).build();
    }

    /**
     * What a jail test runs on: the portable backend (the jail walked in Java), the native one (the
     * jail resolved by the kernel with openat2), and the native one where openat2 is missing
     * ({@code Syscalls.beneath} fails with ENOSYS, as on Linux before 5.6: walked in Java over
     * native calls).
     *
     * @param name for display
     * @param backend the backend
     * @param openat2 whether the layer may use openat2 (false: {@code beneath} fails with ENOSYS)
     */
    record Kind(String name, AioBackend backend, boolean openat2) {

        /** An engine of this kind, two workers. */
        AioEngine engine() {
            return builder().minParallel(2).build();
        }

        /** A builder of engines of this kind. */
        AioEngine.Builder builder() {
            if (openat2 || backend == AioBackend.NIO) {
                return AioEngine.builder().backend(backend);
            }
            Syscalls noOpenat2 = new FaultInjectingSyscalls().failAlways("beneath", Errno.ENOSYS)
                    .wrap(Platform.nativeLayer().syscalls());
            return TestEngines.builderOn(noOpenat2);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The portable kind. */
    static final Kind NIO = new Kind("nio", AioBackend.NIO, false);
    /** The native kind, jails resolved by openat2. */
    static final Kind NATIVE = new Kind("native", AioBackend.NATIVE, true);
    /** The native kind where openat2 is missing: jails walked in Java. */
    static final Kind NATIVE_WALKED = new Kind("native without openat2", AioBackend.NATIVE, false);

    /** Every kind this JVM can run: the native ones only where the native backend is available. */
    static Stream<Kind> kinds() {
        return Platform.nativeLayer().available() ? Stream.of(NIO, NATIVE, NATIVE_WALKED) : Stream.of(NIO);
    }

    /**
     * Opens a working directory (or jail) of {@code tmp/w} 100 times; each time submits 200 {@code
     * stat}/{@code lstat} of {@code a/f} (6 bytes) through it, with a request among them that closes
     * it on a worker, at a later place each time. Meanwhile another thread keeps opening a decoy
     * directory with its own {@code a/f} (21 bytes), so a descriptor number the close frees is soon
     * reused: a call that used it after the close would answer from the decoy.
     *
     * @return how many requests ended how: "size N" or the errno's name
     */
    static Map<String, Integer> closeWhileRequestsRun(AioEngine aio, Path tmp, boolean jail) throws Exception {
        Path w = Files.createDirectories(tmp.resolve("w/a")).getParent();
        Files.writeString(w.resolve("a/f"), "inside");
        Path decoy = Files.createDirectories(tmp.resolve("decoy/a")).getParent();
        Files.writeString(decoy.resolve("a/f"), "the decoy's f, longer");
        AtomicBoolean done = new AtomicBoolean();
        Thread reuser = new Thread(() -> {
            while (!done.get()) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(decoy)) {
                    ds.iterator().hasNext();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        reuser.start();
        Map<String, Integer> outcomes = new TreeMap<>();
        try {
            for (int round = 0; round < 100; round++) {
                AioWorkingDirectory wd = jail ? AioWorkingDirectory.jail(w) : AioWorkingDirectory.open(w);
                AioEngine in = aio.in(wd);
                List<AioResult<FileStat>> results = Collections.synchronizedList(new ArrayList<>());
                for (int i = 0; i < 200; i++) {
                    if (i % 2 == 0) {
                        in.lstat(Path.of("a/f"), results::add);
                    } else {
                        in.stat("a/f", results::add);
                    }
                    if (i == round * 2) {
                        aio.custom(() -> {
                            wd.close(); // on a worker, among the requests
                            return null;
                        }, r -> { });
                    }
                }
                aio.flush();
                wd.close();
                assertThat(results).hasSize(200);
                for (AioResult<FileStat> r : results) {
                    outcomes.merge(r.ok() ? "size " + r.value().size() : name(r.errno()), 1, Integer::sum);
                }
            }
        } finally {
            done.set(true);
            reuser.join();
        }
        return outcomes;
    }

    /** Flushes and returns the future's value, failing the test if it failed. */
    static <T> T await(AioEngine aio, AioFuture<T> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        Throwable t = catchThrowable(f::join);
        assertThat(t).as("future failure").isNull();
        return f.join();
    }

    /**
     * Flushes and returns the errno the future failed with, 0 if it succeeded (a file or working
     * directory it yielded is closed).
     */
    static int errno(AioEngine aio, AioFuture<?> f) {
        aio.flush();
        assertThat(f).as("future after flush").isDone();
        try {
            Object v = f.join();
            if (v instanceof AioFile file) {
                file.close();
            } else if (v instanceof AioWorkingDirectory w) {
                w.close();
            }
            return 0;
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(AioException.class);
            return ((AioException) e.getCause()).errno();
        } catch (AioException e) {
            throw new AssertionError(e);
        }
    }

    /** The errno as its name, for readable assertion messages ("EXDEV", "0" for success). */
    static String name(int errno) {
        if (errno == 0) {
            return "0 (success)";
        }
        Errno e = Errno.of(errno);
        return e == null ? String.valueOf(errno) : e.name();
    }

    /**
     * Everything below {@code root} that a request could change, by relative path: type, mode,
     * owner, size, link count, inode, modification and change times, and a regular file's content
     * hash or a symlink's target. {@code skip} (relative to {@code root}) is left out with its
     * subtree. Symlinks are never followed.
     */
    static Map<String, String> snapshot(Path root, Path skip) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = root.relativize(p);
                if (skip != null && rel.startsWith(skip)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,nlink,ino,lastModifiedTime,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                StringBuilder sb = new StringBuilder();
                for (String k : List.of("mode", "uid", "gid", "size", "nlink", "ino", "lastModifiedTime", "ctime")) {
                    sb.append(k).append('=').append(a.get(k)).append(' ');
                }
                if (Files.isSymbolicLink(p)) {
                    sb.append("-> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    sb.append("sha256=").append(sha256(Files.readAllBytes(p)));
                }
                out.put(rel.toString(), sb.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes a FIFO with mkfifo(1) (java.nio cannot). */
    static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertThat(mk.waitFor()).as("mkfifo %s", p).isZero();
    }

    /** The names in {@code dir} (not recursive). */
    static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
