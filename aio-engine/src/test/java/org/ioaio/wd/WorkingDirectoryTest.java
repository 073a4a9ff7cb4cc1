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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.ioaio.wd.WdTesting.await;
import static org.ioaio.wd.WdTesting.engine;
import static org.ioaio.wd.WdTesting.errno;
import static org.ioaio.wd.WdTesting.name;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioResult;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.FileStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** IO::AIO::WD: aio_wd, and every path argument resolved against a working directory ([$wd, $path]). */
@ExtendWith(EngineInvariants.class)
class WorkingDirectoryTest {

    @TempDir
    Path tmp;

    static List<AioBackend> backends() {
        return WdTesting.backends().toList();
    }

    // "aio_wd $pathname: canonicalise the given pathname and convert it to an IO::AIO::WD object", in both request forms.
    @Test
    void wdRequestGivesTheCanonicalDirectory() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real/dir"));
        Path viaLink = Files.createSymbolicLink(tmp.resolve("link"), Path.of("real"));
        try (AioEngine aio = engine(AioBackend.NIO)) {
            try (AioWorkingDirectory wd = await(aio, aio.wd(viaLink.resolve("dir/./../dir")))) {
                assertThat(wd.path()).isEqualTo(real.toRealPath());
                assertThat(wd.isJail()).isFalse();
                assertThat(wd.isOpen()).isTrue();
                assertThat(wd.hasDescriptor()).isTrue();
            }
            List<AioWorkingDirectory> seen = new ArrayList<>();
            aio.wd(real, (AioResult<AioWorkingDirectory> r) -> seen.add(r.value()));
            aio.flush();
            assertThat(seen).hasSize(1);
            try (AioWorkingDirectory wd = seen.get(0)) {
                assertThat(wd.path()).isEqualTo(real.toRealPath());
            }
        }
    }

    // aio_wd "if something goes wrong, undef is passed to the callback and $! is set": ENOENT, ENOTDIR; the sync factory throws the same.
    @Test
    void wdOfAMissingPathOrAFileFails() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        try (AioEngine aio = engine(AioBackend.NIO)) {
            assertThat(name(errno(aio, aio.wd(tmp.resolve("missing"))))).isEqualTo("ENOENT");
            assertThat(name(errno(aio, aio.wd(file)))).isEqualTo("ENOTDIR");
            assertThat(name(errno(aio, aio.wd(Path.of(""))))).isEqualTo("ENOENT");
            List<Integer> errnos = new ArrayList<>();
            aio.wd(file, r -> {
                errnos.add(r.errno());
                assertThat(r.value()).isNull();
            });
            aio.flush();
            assertThat(errnos).containsExactly(Errno.ENOTDIR.code());
        }
        assertThatThrownBy(() -> AioWorkingDirectory.open(tmp.resolve("missing")))
                .isInstanceOfSatisfying(AioException.class, e -> assertThat(e.error()).isEqualTo(Errno.ENOENT));
    }

    // [$wd, $path]: every path request of a view resolves a relative path against the working directory, not the process's.
    @ParameterizedTest
    @MethodSource("backends")
    void relativeRequestsActInTheWorkingDirectory(AioBackend backend) throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            AioEngine in = aio.in(wd);
            assertThat(in.workingDirectory()).isSameAs(wd);
            assertThat(aio.workingDirectory()).isNull();
            AioFile f = await(aio, in.open(Path.of("f"), O_CREAT | O_WRONLY, 0644));
            assertThat(f.path()).isEqualTo(w.toRealPath().resolve("f"));
            await(aio, in.write(f, 0L, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))));
            await(aio, in.close(f));
            assertThat(Files.readString(w.resolve("f"))).isEqualTo("hello");
            assertThat(await(aio, in.stat(Path.of("f"))).size()).isEqualTo(5);
            assertThat(new String(await(aio, in.load(Path.of("f"))), StandardCharsets.UTF_8)).isEqualTo("hello");
            await(aio, in.mkdir(Path.of("d"), 0755));
            assertThat(Files.isDirectory(w.resolve("d"))).isTrue();
            await(aio, in.symlink(Path.of("f"), Path.of("d/../l")));
            assertThat(Files.readSymbolicLink(w.resolve("l"))).isEqualTo(Path.of("f"));
            assertThat(await(aio, in.readlink(Path.of("l")))).isEqualTo(Path.of("f"));
            assertThat(await(aio, in.lstat(Path.of("l"))).mode() & 0170000).isEqualTo(0120000);
            assertThat(await(aio, in.realpath(Path.of("l")))).isEqualTo(w.toRealPath().resolve("f"));
            await(aio, in.rename(Path.of("f"), Path.of("d/g")));
            await(aio, in.link(Path.of("d/g"), Path.of("h")));
            assertThat(await(aio, in.stat(Path.of("h"))).nlink()).isEqualTo(2);
            await(aio, in.chmod(Path.of("h"), 0600));
            assertThat(await(aio, in.stat(Path.of("d/g"))).mode() & 07777).isEqualTo(0600);
            await(aio, in.utime(Path.of("h"), 1000.0, 2000.5));
            FileStat st = await(aio, in.stat(Path.of("d/g")));
            assertThat(st.mtimeSec()).isEqualTo(2000);
            assertThat(st.mtimeNsec()).isEqualTo(500_000_000);
            await(aio, in.truncate(Path.of("h"), 2));
            assertThat(Files.readString(w.resolve("d/g"))).isEqualTo("he");
            assertThat(await(aio, in.statvfs(Path.of("."))).bsize()).isPositive();
            await(aio, in.unlink(Path.of("h")));
            await(aio, in.unlink(Path.of("l")));
            await(aio, in.unlink(Path.of("d/g")));
            await(aio, in.rmdir(Path.of("d")));
            assertThat(WdTesting.names(w)).isEmpty();
            assertThat(Files.exists(Path.of("f"), LinkOption.NOFOLLOW_LINKS)).as("nothing in the process's working directory").isFalse();
        }
    }

    // "the directory fd ... will still point to the original directory": a renamed working directory keeps receiving the requests,
    // even with a new directory of the same name and contents at its old path (and the path-based requests follow it too).
    @ParameterizedTest
    @MethodSource("backends")
    void aRenamedWorkingDirectoryKeepsItsRequests(AioBackend backend) throws Exception {
        Path original = Files.createDirectory(tmp.resolve("d1"));
        Files.writeString(original.resolve("f"), "original");
        Files.writeString(original.resolve("gone"), "x");
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(original)) {
            AioEngine in = aio.in(wd);
            Path moved = Files.move(original, tmp.resolve("d2"));
            Path decoy = Files.createDirectory(tmp.resolve("d1"));
            Files.writeString(decoy.resolve("f"), "decoy!!");
            Files.writeString(decoy.resolve("gone"), "decoy");
            long ino = (Long) Files.getAttribute(moved.resolve("f"), "unix:ino");

            assertThat(await(aio, in.stat(Path.of("f"))).ino()).isEqualTo(ino);
            assertThat(new String(await(aio, in.load(Path.of("f"))), StandardCharsets.UTF_8)).isEqualTo("original");
            AioFile f = await(aio, in.open(Path.of("f"), O_RDONLY, 0));
            assertThat(await(aio, in.stat(f)).ino()).isEqualTo(ino);
            await(aio, in.close(f));
            await(aio, in.unlink(Path.of("gone")));
            await(aio, in.rename(Path.of("f"), Path.of("renamed")));
            await(aio, in.mkdir(Path.of("new"), 0755));
            await(aio, in.symlink(Path.of("renamed"), Path.of("sl")));
            await(aio, in.chmod(Path.of("renamed"), 0640));
            assertThat(await(aio, in.realpath(Path.of(".")))).isEqualTo(moved.toRealPath());

            assertThat(WdTesting.names(moved)).containsExactly("new", "renamed", "sl");
            assertThat((Integer) Files.getAttribute(moved.resolve("renamed"), "unix:mode") & 0777).isEqualTo(0640);
            assertThat(WdTesting.names(decoy)).containsExactly("f", "gone");
            assertThat(Files.readString(decoy.resolve("f"))).isEqualTo("decoy!!");
            assertThat(wd.path()).as("the path it was opened with").isEqualTo(tmp.toRealPath().resolve("d1"));
        }
    }

    // Stress: the working directory's path flips between it and a decoy of the same layout while requests run, as
    // IO::AIO's [$wd, $path] is resolved from the directory's descriptor, every request reaches the directory itself
    // (including those java.nio makes only by path: mkdir, symlink, readlink, chmod), never the decoy.
    @ParameterizedTest
    @MethodSource("backends")
    void aWorkingDirectoryWhosePathFlipsToADecoyIsTheOneItsRequestsReach(AioBackend backend) throws Exception {
        Path real = Files.createDirectory(tmp.resolve("w"));
        Files.writeString(real.resolve("f"), "real");
        Files.createSymbolicLink(real.resolve("l"), Path.of("real-target"));
        Path decoy = Files.createDirectory(tmp.resolve("decoy"));
        Files.writeString(decoy.resolve("f"), "decoy!!");
        Files.createSymbolicLink(decoy.resolve("l"), Path.of("decoy-target"));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> flipperFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread flipper = new Thread(() -> {
            try {
                Path parkedReal = tmp.resolve("w.real");
                Path parkedDecoy = tmp.resolve("w.decoy");
                while (!stop.get()) {
                    Files.move(real, parkedReal);
                    Files.move(decoy, real); // the decoy now stands at the working directory's path
                    Files.move(real, parkedDecoy);
                    Files.move(parkedDecoy, decoy);
                    Files.move(parkedReal, real);
                }
            } catch (Throwable t) {
                flipperFailure.set(t);
            }
        }, "test-flipper");
        List<String> wrong = new ArrayList<>();
        int rounds = 300;
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(real)) {
            AioEngine in = aio.in(wd);
            flipper.start();
            try {
                for (int i = 0; i < rounds; i++) {
                    var size = in.stat(Path.of("f"));
                    var link = in.readlink(Path.of("l"));
                    var dir = in.mkdir(Path.of("d" + i), 0755);
                    var sym = in.symlink(Path.of("t"), Path.of("s" + i));
                    var mode = in.chmod(Path.of("f"), 0600 | (i % 2) * 040);
                    long sz = await(aio, size).size();
                    Path target = await(aio, link);
                    await(aio, dir);
                    await(aio, sym);
                    await(aio, mode);
                    if (sz != 4 || !target.equals(Path.of("real-target"))) {
                        wrong.add("round " + i + ": size " + sz + ", link " + target);
                    }
                }
            } finally {
                stop.set(true);
                flipper.join();
            }
        }
        assertThat(flipperFailure.get()).isNull();
        assertThat(wrong).as("answers from the decoy").isEmpty();
        assertThat(WdTesting.names(decoy)).as("the decoy").containsExactly("f", "l");
        assertThat((Integer) Files.getAttribute(decoy.resolve("f"), "unix:mode") & 0777).isEqualTo(0644);
        assertThat(WdTesting.names(real)).hasSize(2 + 2 * rounds);
    }

    // "If the pathname is absolute, the IO::AIO::WD object is ignored."
    @ParameterizedTest
    @MethodSource("backends")
    void anAbsolutePathIgnoresTheWorkingDirectory(AioBackend backend) throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("f"), "abc");
        Files.writeString(w.resolve("f"), "in w");
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            AioEngine in = aio.in(wd);
            assertThat(await(aio, in.stat(other.resolve("f"))).size()).isEqualTo(3);
            await(aio, in.mkdir(other.resolve("made"), 0755));
            await(aio, in.rename(other.resolve("f"), Path.of("moved-in")));
            assertThat(Files.isDirectory(other.resolve("made"))).isTrue();
            assertThat(Files.readString(w.resolve("moved-in"))).isEqualTo("abc");
            assertThat(Files.readString(w.resolve("f"))).isEqualTo("in w");
        }
    }

    // aio_wd [$wd, $path]: a working directory made through a view is resolved against the view's working directory,
    // and so is a jail made through it (which is a jail of that directory, not of the view's).
    @ParameterizedTest
    @MethodSource("backends")
    void aWorkingDirectoryMadeThroughAViewIsRelativeToIt(AioBackend backend) throws Exception {
        Path w = Files.createDirectories(tmp.resolve("w/sub")).getParent();
        Files.writeString(w.resolve("sub/f"), "in sub");
        Files.writeString(w.resolve("g"), "beside sub");
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            try (AioWorkingDirectory sub = await(aio, aio.in(wd).wd(Path.of("sub")))) {
                assertThat(sub.path()).isEqualTo(w.resolve("sub").toRealPath());
                assertThat(sub.isJail()).isFalse();
                assertThat(await(aio, aio.in(sub).stat(Path.of("f"))).size()).isEqualTo(6);
                assertThat(await(aio, aio.in(sub).stat(Path.of("../g"))).size()).isEqualTo(10);
            }
            try (AioWorkingDirectory jail = await(aio, aio.in(wd).jail(Path.of("sub")))) {
                assertThat(jail.path()).isEqualTo(w.resolve("sub").toRealPath());
                assertThat(jail.isJail()).isTrue();
                assertThat(await(aio, aio.in(jail).stat(Path.of("f"))).size()).isEqualTo(6);
                assertThat(name(errno(aio, aio.in(jail).stat(Path.of("../g"))))).isEqualTo("EXDEV");
            }
        }
    }

    // A wd request cancelled after it executed: nobody receives the working directory, so its descriptor is closed, not leaked.
    @Test
    void aCancelledWdRequestLeaksNoDescriptor() throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        try (AioEngine aio = AioEngine.builder().minParallel(1).maxParallel(1).backend(AioBackend.NIO).build()) {
            java.util.concurrent.CountDownLatch executed = new java.util.concurrent.CountDownLatch(1);
            List<AioWorkingDirectory> delivered = new ArrayList<>();
            org.ioaio.AioRequest r = aio.wd(w, res -> delivered.add(res.value()));
            aio.custom(() -> {
                executed.countDown(); // one worker, in order: the wd request has executed
                return null;
            });
            executed.await();
            r.cancel();
            aio.flush();
            assertThat(delivered).isEmpty();
        }
    }

    // Closing the working directory releases its descriptor; requests through it afterwards fail with EBADF (absolute paths too).
    // The same after the view's layer was chosen (by a first request) and before.
    @ParameterizedTest
    @MethodSource("backends")
    void requestsThroughAClosedWorkingDirectoryFailWithEbadf(AioBackend backend) throws Exception {
        for (boolean usedBefore : List.of(false, true)) {
            requestsThroughAClosedWorkingDirectoryFailWithEbadf(backend, usedBefore);
        }
    }

    private void requestsThroughAClosedWorkingDirectoryFailWithEbadf(AioBackend backend, boolean usedBefore) throws Exception {
        Path w = Files.createDirectories(tmp.resolve("w" + usedBefore));
        Files.writeString(w.resolve("f"), "x");
        try (AioEngine aio = engine(backend)) {
            AioWorkingDirectory wd = AioWorkingDirectory.open(w);
            AioEngine in = aio.in(wd);
            if (usedBefore) {
                assertThat(await(aio, in.stat(Path.of("f"))).size()).isEqualTo(1);
            }
            wd.close();
            wd.close();
            assertThat(wd.isOpen()).isFalse();
            assertThat(name(errno(aio, in.stat(Path.of("f"))))).isEqualTo("EBADF");
            assertThat(name(errno(aio, in.mkdir(Path.of("d"), 0755)))).isEqualTo("EBADF");
            assertThat(name(errno(aio, in.stat(w.resolve("f"))))).isEqualTo("EBADF");
            assertThat(Files.exists(w.resolve("d"))).isFalse();
        }
    }

    // Closing a working directory while its requests run: each one answers from the directory it names or fails with
    // EBADF, never from another directory (see WdTesting.closeWhileRequestsRun).
    @ParameterizedTest
    @MethodSource("backends")
    void closingAWorkingDirectoryWhileItsRequestsRunNeverReachesAnotherDirectory(AioBackend backend) throws Exception {
        try (AioEngine aio = engine(backend)) {
            Map<String, Integer> outcomes = WdTesting.closeWhileRequestsRun(aio, tmp, false);
            assertThat(outcomes.keySet()).as("%s", outcomes).isSubsetOf("size 6", "EBADF").contains("size 6", "EBADF");
        }
    }

    // A view shares the engine (queues, counters, poll) and closing it closes neither the engine nor the working directory.
    @ParameterizedTest
    @MethodSource("backends")
    void aViewSharesTheEngineAndClosingItClosesNothing(AioBackend backend) throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        try (AioEngine aio = engine(backend); AioWorkingDirectory wd = AioWorkingDirectory.open(w)) {
            AioEngine in = aio.in(wd);
            try (AioEngine view = in) {
                view.maxParallel(0);
                view.mkdir(Path.of("d"), 0755);
                assertThat(aio.nreqs()).isEqualTo(1);
                assertThat(view.nreqs()).isEqualTo(1);
                aio.maxParallel(2);
                aio.flush();
                assertThat(view.nreqs()).isZero();
            }
            assertThat(in.close(java.time.Duration.ZERO)).isFalse();
            assertThat(aio.isClosed()).isFalse();
            assertThat(wd.isOpen()).isTrue();
            assertThat(Files.isDirectory(w.resolve("d"))).isTrue();
            assertThat(await(aio, in.in(wd).stat(Path.of("d"))).nlink()).isEqualTo(2);
            assertThatThrownBy(() -> aio.in(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
