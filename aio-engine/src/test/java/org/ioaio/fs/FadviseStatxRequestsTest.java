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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.AT_EMPTY_PATH;
import static org.ioaio.AioConstants.AT_NO_AUTOMOUNT;
import static org.ioaio.AioConstants.AT_STATX_DONT_SYNC;
import static org.ioaio.AioConstants.AT_STATX_FORCE_SYNC;
import static org.ioaio.AioConstants.AT_SYMLINK_NOFOLLOW;
import static org.ioaio.AioConstants.FADV_DONTNEED;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.POSIX_FADV_DONTNEED;
import static org.ioaio.AioConstants.POSIX_FADV_NOREUSE;
import static org.ioaio.AioConstants.POSIX_FADV_NORMAL;
import static org.ioaio.AioConstants.POSIX_FADV_SEQUENTIAL;
import static org.ioaio.AioConstants.POSIX_FADV_WILLNEED;
import static org.ioaio.AioConstants.STATX_ALL;
import static org.ioaio.AioConstants.STATX_BASIC_STATS;
import static org.ioaio.AioConstants.STATX_BLOCKS;
import static org.ioaio.AioConstants.STATX_BTIME;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.callback;
import static org.ioaio.fs.FsTesting.ok;
import static org.ioaio.fs.FsTesting.sh;
import static org.ioaio.fs.FsTesting.skipUnless;
import static org.ioaio.fs.FsTesting.succeeds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioConstants;
import org.ioaio.AioEngine;
import org.ioaio.AioFile;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.internal.sys.Syscalls;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code fadvise} and {@code statx} requests, in both forms, on each backend: the portable one,
 * the native one, and the native one with stat and I/O submitted to an io_uring. Bad input is
 * rejected at the call with an {@link IllegalArgumentException} naming the argument, and nothing is
 * queued. The native runs are skipped, with the reason printed, where the native layer is unavailable.
 */
@ExtendWith(EngineInvariants.class)
class FadviseStatxRequestsTest {

    @TempDir
    Path dir;

    /** One backend: its name, whether it is native, and how to build an engine on it (null: unavailable, with why). */
    record Backend(String name, boolean isNative, Supplier<AioEngine> engines, String unavailable) {
        AioEngine engine() {
            skipUnless(unavailable == null, name + " backend not available: " + unavailable);
            return engines.get();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The io_uring layer, made once by name (a Java 22 class), before any test counts descriptors. */
    private static final class Uring {
        /** Why there is no layer (set by {@link #make()}, so declared before {@link #LAYER}). */
        static String why = "";
        static final Syscalls LAYER = make();

        private static Syscalls make() {
            if (!Platform.nativeLayer().available()) {
                why = Platform.nativeLayer().reason();
                return null;
            }
            try {
                return (Syscalls) Class.forName("org.ioaio.internal.linux.UringSyscalls").getMethod("create").invoke(null);
            } catch (ReflectiveOperationException e) {
                why = "io_uring unavailable: " + (e.getCause() != null ? e.getCause() : e);
                return null;
            }
        }
    }

    static Stream<Named<Backend>> backends() {
        String nativeWhy = Platform.nativeLayer().available() ? null : Platform.nativeLayer().reason();
        Syscalls uring = Uring.LAYER;
        List<Backend> all = new ArrayList<>();
        all.add(new Backend("nio", false, () -> AioEngine.builder().minParallel(2).backend(AioBackend.NIO).build(), null));
        all.add(new Backend("native", true, () -> AioEngine.builder().minParallel(2).backend(AioBackend.NATIVE).build(), nativeWhy));
        all.add(new Backend("uring", true, () -> TestEngines.on(uring, 2), uring == null ? Uring.why : null));
        return all.stream().map(b -> Named.of(b.name(), b));
    }

    private Path file(String name, int size) throws Exception {
        return Files.write(dir.resolve(name), new byte[size]);
    }

    // ---------------------------------------------------------------- fadvise

    // fadvise: the native backends call posix_fadvise (status 0 in both forms, for every advice); the portable one fails
    // with ENOSYS, never pretending ("On systems that do not implement posix_fadvise, this function returns ENOSYS").
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void fadviseSucceedsNativelyAndSaysEnosysPortably(Backend backend) throws Exception {
        Path p = file("f", 64 * 1024);
        try (AioEngine aio = backend.engine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            if (!backend.isNative()) {
                assertFails(aio, Errno.ENOSYS, "fadvise", f, () -> aio.fadvise(f, 0, 0, POSIX_FADV_WILLNEED),
                        cb -> aio.fadvise(f, 0, 0, POSIX_FADV_WILLNEED, cb));
                return;
            }
            for (int advice = POSIX_FADV_NORMAL; advice <= POSIX_FADV_NOREUSE; advice++) {
                int a = advice;
                succeeds(aio, cb -> aio.fadvise(f, 0, 0, a, cb));
                assertThat(await(aio, aio.fadvise(f, 4096, 8192, a))).isNull();
            }
            assertThat(await(aio, aio.fadvise(f, 1 << 30, 1, FADV_DONTNEED))).as("past the end: nothing to do, 0").isNull();
        }
    }

    // fadvise's errnos through the engine: EBADF for a closed file (every backend), ESPIPE for a FIFO and EBADF for an
    // O_PATH handle (native: the portable backend cannot open those).
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void fadviseErrnos(Backend backend) throws Exception {
        Path p = file("f", 10);
        try (AioEngine aio = backend.engine()) {
            AioFile closed = await(aio, aio.open(p, O_RDONLY, 0));
            closed.close();
            assertFails(aio, Errno.EBADF, "fadvise", closed, () -> aio.fadvise(closed, 0, 0, POSIX_FADV_NORMAL),
                    cb -> aio.fadvise(closed, 0, 0, POSIX_FADV_NORMAL, cb));
            if (backend.isNative()) {
                Path fifo = dir.resolve("fifo");
                sh("mkfifo", fifo.toString());
                try (AioFile q = await(aio, aio.open(fifo, O_RDWR | O_NONBLOCK, 0)); AioFile path = await(aio, aio.open(p, O_PATH, 0))) {
                    assertFails(aio, Errno.ESPIPE, "fadvise", q, () -> aio.fadvise(q, 0, 0, POSIX_FADV_SEQUENTIAL),
                            cb -> aio.fadvise(q, 0, 0, POSIX_FADV_SEQUENTIAL, cb));
                    assertFails(aio, Errno.EBADF, "fadvise", path, () -> aio.fadvise(path, 0, 0, POSIX_FADV_NORMAL),
                            cb -> aio.fadvise(path, 0, 0, POSIX_FADV_NORMAL, cb));
                }
            }
        }
    }

    // Bad input fails at the call, naming the argument, and queues nothing: a negative offset or length, an unknown advice,
    // no file, a file not opened by an engine.
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void fadviseRejectsBadInputAtTheCall(Backend backend) throws Exception {
        Path p = file("f", 10);
        try (AioEngine aio = backend.engine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            assertThatThrownBy(() -> aio.fadvise(f, -1, 0, POSIX_FADV_NORMAL)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset");
            assertThatThrownBy(() -> aio.fadvise(f, 0, -1, POSIX_FADV_NORMAL, r -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("length");
            for (int advice : new int[] {-1, 6, 99}) {
                assertThatThrownBy(() -> aio.fadvise(f, 0, 0, advice)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("advice").hasMessageContaining(String.valueOf(advice));
                assertThatThrownBy(() -> aio.fadvise(f, 0, 0, advice, r -> { })).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("advice");
            }
            assertThatThrownBy(() -> aio.fadvise(null, 0, 0, POSIX_FADV_NORMAL)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("file");
            assertThatThrownBy(() -> aio.fadvise(f, 0, 0, POSIX_FADV_NORMAL, null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(aio.nreqs()).as("nothing queued").isZero();
            assertThat(aio.nready()).isZero();
        }
    }

    // ---------------------------------------------------------------- statx

    // statx of a path and of an open file, in both forms: stat's fields, the mask of what is valid, and the birth time as
    // stat(1) prints it on the native backends; none on the portable one (its creation time would be a guess).
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void statxGivesStatsFieldsAndTheBirthTime(Backend backend) throws Exception {
        Path p = file("f", 321);
        Optional<Instant> expected = birthTimeByStatCommand(p);
        try (AioEngine aio = backend.engine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            FileStat cb = ok(callback(aio, r -> aio.statx(p, 0, STATX_BASIC_STATS | STATX_BTIME, r)));
            FileStat fut = await(aio, aio.statx(p, 0, STATX_ALL));
            FileStat byFile = ok(callback(aio, r -> aio.statx(f, 0, STATX_BASIC_STATS | STATX_BTIME, r)));
            FileStat byFileFut = await(aio, aio.statx(f, AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_BASIC_STATS | STATX_BTIME));
            FileStat plain = await(aio, aio.stat(p));
            for (FileStat st : List.of(cb, fut, byFile, byFileFut)) {
                assertThat(st.size()).isEqualTo(321);
                assertThat(st.ino()).isEqualTo(plain.ino());
                assertThat(st.dev()).isEqualTo(plain.dev());
                assertThat(st.mtime()).isEqualTo(plain.mtime());
                assertThat(st.isRegularFile()).isTrue();
                if (backend.isNative()) {
                    assertThat(st.mask() & STATX_BASIC_STATS).isEqualTo(STATX_BASIC_STATS);
                    assertThat(st.birthTime()).as("birth time, as stat -c %%.9W says").isEqualTo(expected);
                } else {
                    assertThat(st.mask()).isEqualTo(STATX_BASIC_STATS & ~STATX_BLOCKS);
                    assertThat(st.birthTime()).isEmpty();
                }
            }
            assertThat(plain.birthTime()).as("stat itself reports no birth time").isEmpty();
        }
    }

    /** The birth time stat(1) prints ({@code %w} is "-" where there is none). */
    private static Optional<Instant> birthTimeByStatCommand(Path p) throws Exception {
        String[] w = sh("stat", "-c", "%w|%.9W", p.toString()).split("\\|");
        if (w[0].equals("-")) {
            return Optional.empty();
        }
        String[] secNsec = w[1].split("\\.");
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(secNsec[0]), Long.parseLong(secNsec[1])));
    }

    // statx of a symlink: followed by default, the link itself with AT_SYMLINK_NOFOLLOW (as lstat).
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void statxFollowsSymlinksUnlessAskedNotTo(Backend backend) throws Exception {
        file("target", 5);
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        try (AioEngine aio = backend.engine()) {
            assertThat(await(aio, aio.statx(link, 0, STATX_BASIC_STATS)).isRegularFile()).isTrue();
            FileStat l = await(aio, aio.statx(link, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS));
            assertThat(l.isSymbolicLink()).isTrue();
            assertThat(l.size()).isEqualTo("target".length());
        }
    }

    // statx's errnos through the engine, in both forms, with the operation and the path: ENOENT, ENOTDIR, ELOOP; EBADF
    // for a closed file.
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void statxErrnos(Backend backend) throws Exception {
        Path f = file("f", 1);
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        Path missing = dir.resolve("missing");
        Path below = f.resolve("below");
        try (AioEngine aio = backend.engine()) {
            assertFails(aio, Errno.ENOENT, "statx", missing, () -> aio.statx(missing, 0, STATX_BASIC_STATS),
                    cb -> aio.statx(missing, 0, STATX_BASIC_STATS, cb));
            assertFails(aio, Errno.ENOTDIR, "statx", below, () -> aio.statx(below, 0, STATX_BASIC_STATS),
                    cb -> aio.statx(below, 0, STATX_BASIC_STATS, cb));
            assertFails(aio, Errno.ELOOP, "statx", loop, () -> aio.statx(loop, 0, STATX_BASIC_STATS),
                    cb -> aio.statx(loop, 0, STATX_BASIC_STATS, cb));
            AioFile closed = await(aio, aio.open(f, O_RDONLY, 0));
            closed.close();
            assertFails(aio, Errno.EBADF, "statx", closed, () -> aio.statx(closed, 0, STATX_BASIC_STATS),
                    cb -> aio.statx(closed, 0, STATX_BASIC_STATS, cb));
        }
    }

    // Bad input fails at the call, naming the argument, and queues nothing: flags statx does not take (or AT_EMPTY_PATH
    // with a path), both sync modes, the reserved mask bit, no path or file.
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void statxRejectsBadInputAtTheCall(Backend backend) throws Exception {
        Path p = file("f", 1);
        try (AioEngine aio = backend.engine(); AioFile f = await(aio, aio.open(p, O_RDONLY, 0))) {
            for (int flags : new int[] {0x1, 0x200, AT_EMPTY_PATH, AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC}) {
                assertThatThrownBy(() -> aio.statx(p, flags, STATX_BASIC_STATS)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("flags");
                assertThatThrownBy(() -> aio.statx(p, flags, STATX_BASIC_STATS, r -> { })).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("flags");
            }
            for (int flags : new int[] {AT_SYMLINK_NOFOLLOW, 0x1, AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC}) {
                assertThatThrownBy(() -> aio.statx(f, flags, STATX_BASIC_STATS)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("flags");
            }
            assertThatThrownBy(() -> aio.statx(p, 0, 0x8000_0000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mask");
            assertThatThrownBy(() -> aio.statx(f, 0, 0x8000_0000, r -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("mask");
            assertThatThrownBy(() -> aio.statx((Path) null, 0, STATX_BASIC_STATS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("path");
            assertThatThrownBy(() -> aio.statx((AioFile) null, 0, STATX_BASIC_STATS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("file");
            assertThat(aio.nreqs()).as("nothing queued").isZero();
        }
    }

    // statx through a working directory and through a jail finds the same file, birth time included, on every backend.
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void statxThroughAWorkingDirectoryAndAJail(Backend backend) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("d/sub"));
        Path p = Files.writeString(sub.resolve("f"), "content");
        Files.createSymbolicLink(sub.resolve("l"), Path.of("f"));
        try (AioEngine aio = backend.engine()) {
            FileStat direct = await(aio, aio.statx(p, 0, STATX_BASIC_STATS | STATX_BTIME));
            try (AioWorkingDirectory wd = AioWorkingDirectory.open(dir.resolve("d")); AioWorkingDirectory jail = AioWorkingDirectory.jail(dir.resolve("d"))) {
                for (AioWorkingDirectory w : List.of(wd, jail)) {
                    AioEngine in = aio.in(w);
                    FileStat st = await(aio, in.statx(Path.of("sub/l"), 0, STATX_BASIC_STATS | STATX_BTIME));
                    assertThat(st.ino()).isEqualTo(direct.ino());
                    assertThat(st.birthTime()).isEqualTo(direct.birthTime());
                    assertThat(await(aio, in.statx(Path.of("sub/l"), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS)).isSymbolicLink()).isTrue();
                }
                assertThat(FsTesting.awaitFailure(aio, aio.in(jail).statx(Path.of("../d/sub/f"), 0, STATX_BASIC_STATS)).error())
                        .isEqualTo(Errno.EXDEV);
            }
        }
    }

    // ---------------------------------------------------------------- FileStat

    // FileStat: the birth time is there only when the mask says so (IO::AIO's st_btime is 0 without one); stat's
    // constructor reports the basic fields; nanoseconds out of range are refused.
    @Test
    void fileStatReportsABirthTimeOnlyWhenItsMaskSaysSo() {
        FileStat plain = new FileStat(1, 2, 0100644, 1, 0, 0, 0, 10, 3, 4, 5, 6, 7, 8, 4096, 8);
        assertThat(plain.mask()).isEqualTo(STATX_BASIC_STATS);
        assertThat(plain.birthTime()).isEmpty();
        assertThat(plain.btimeSec()).isZero();
        FileStat born = new FileStat(1, 2, 0100644, 1, 0, 0, 0, 10, 3, 4, 5, 6, 7, 8, 4096, 8, 1_700_000_000L, 123, STATX_ALL);
        assertThat(born.birthTime()).contains(Instant.ofEpochSecond(1_700_000_000L, 123));
        FileStat unknown = new FileStat(1, 2, 0100644, 1, 0, 0, 0, 10, 3, 4, 5, 6, 7, 8, 4096, 8, 1_700_000_000L, 123, STATX_BASIC_STATS);
        assertThat(unknown.birthTime()).as("no STATX_BTIME in the mask").isEmpty();
        assertThatThrownBy(() -> new FileStat(1, 2, 0100644, 1, 0, 0, 0, 10, 3, 4, 5, 6, 7, 8, 4096, 8, 0, 1_000_000_000, STATX_ALL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AioConstants.STATX_ALL).isEqualTo(STATX_BASIC_STATS | STATX_BTIME);
        assertThat(POSIX_FADV_DONTNEED).isEqualTo(FADV_DONTNEED);
    }
}
