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
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.SYNC_FILE_RANGE_WRITE;
import static org.ioaio.fs.FsTesting.assertFails;
import static org.ioaio.fs.FsTesting.await;
import static org.ioaio.fs.FsTesting.sh;
import static org.ioaio.fs.FsTesting.skipUnless;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AsNobody;
import org.ioaio.AioException;
import org.ioaio.AioFile;
import org.ioaio.AioFuture;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.EngineInvariants;
import org.ioaio.Errno;
import org.ioaio.TestEngines;
import org.ioaio.internal.Platform;
import org.ioaio.faults.FaultInjectingSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * POSIX answers the kernel and IO::AIO give, on every backend: {@code truncate} of what is not a
 * regular file fails without opening it (a FIFO opened for writing would block the worker until a
 * reader came), and {@code sync_file_range} leaves bad numbers to the syscall (EINVAL in the result).
 */
@ExtendWith(EngineInvariants.class)
class PosixAnswersTest {

    /** How long a request may take before the test calls it hung and frees it (a bound on a hang, not a timing assertion). */
    private static final long HANG_BOUND_SECONDS = 60;

    @TempDir
    Path dir;

    /** Where a path is resolved: by the process, through a working directory, or through a jail. */
    enum Where { PLAIN, WD, JAIL }

    /**
     * A backend and a way of resolving paths.
     *
     * @param backend the backend
     * @param openat2 whether a native jail may use openat2 (false: it is walked in Java, as before Linux 5.6)
     * @param where how paths are resolved
     */
    record Setup(AioBackend backend, boolean openat2, Where where) {

        AioEngine engine() {
            if (backend == AioBackend.NATIVE && !openat2) {
                org.ioaio.internal.sys.Syscalls noOpenat2 = new FaultInjectingSyscalls().failAlways("beneath", Errno.ENOSYS)
                        .wrap(Platform.nativeLayer().syscalls());
                return TestEngines.builderOn(noOpenat2).minParallel(2).build();
            }
            return AioEngine.builder().minParallel(2).backend(backend).build();
        }

        @Override
        public String toString() {
            return backend.name().toLowerCase() + (where == Where.JAIL && backend == AioBackend.NATIVE && !openat2 ? " without openat2" : "")
                    + ", " + where.name().toLowerCase();
        }
    }

    static List<AioBackend> backends() {
        return Platform.nativeLayer().available() ? List.of(AioBackend.NIO, AioBackend.NATIVE) : List.of(AioBackend.NIO);
    }

    static Stream<Setup> setups() {
        List<Setup> all = new ArrayList<>();
        for (AioBackend b : backends()) {
            all.add(new Setup(b, true, Where.PLAIN));
            all.add(new Setup(b, true, Where.WD));
            all.add(new Setup(b, true, Where.JAIL));
            if (b == AioBackend.NATIVE) {
                all.add(new Setup(b, false, Where.JAIL));
            }
        }
        return all.stream();
    }

    /**
     * Flushes the engine on another thread; if that has not returned within {@link #HANG_BOUND_SECONDS}, a worker is
     * stuck opening {@code fifo}: the test gives it a reader (so the engine can end) and fails.
     */
    static int errnoWithoutHanging(AioEngine aio, AioFuture<?> f, Path fifo) throws Exception {
        Thread flusher = new Thread(aio::flush, "flush");
        flusher.start();
        flusher.join(TimeUnit.SECONDS.toMillis(HANG_BOUND_SECONDS));
        if (flusher.isAlive()) {
            FileChannel reader = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                flusher.join();
            } finally {
                reader.close();
            }
            throw new AssertionError("truncate of the FIFO " + fifo + " blocked its worker until a reader came");
        }
        try {
            f.join();
            return 0;
        } catch (CompletionException e) {
            return ((AioException) e.getCause()).errno();
        }
    }

    private static String name(int errno) {
        return errno == 0 ? "0 (success)" : Errno.of(errno).name();
    }

    // truncate(2): "EINVAL: the file is not a regular file" (a FIFO, a socket, a device), "EISDIR: a directory" (and
    // ENOENT, ENOTDIR for bad paths), checked before anything is opened, so a FIFO without a reader never blocks the worker; by path, through a wd and a jail.
    @ParameterizedTest
    @MethodSource("setups")
    void truncateOfWhatIsNotARegularFileFailsWithoutOpeningIt(Setup s) throws Exception {
        Path fifo = dir.resolve("fifo");
        sh("mkfifo", fifo.toString());
        Path socket = dir.resolve("socket");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = Files.writeString(dir.resolve("file"), "0123456789");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                AioEngine aio = s.engine();
                AioWorkingDirectory wd = s.where() == Where.PLAIN ? null
                        : s.where() == Where.WD ? AioWorkingDirectory.open(dir) : AioWorkingDirectory.jail(dir)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            AioEngine in = wd == null ? aio : aio.in(wd);
            Path base = wd == null ? dir : Path.of("");
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("fifo"), 0), fifo))).as("fifo, 0").isEqualTo("EINVAL");
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("fifo"), 5), fifo))).as("fifo, 5").isEqualTo("EINVAL");
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("socket"), 0), fifo))).as("socket").isEqualTo("EINVAL");
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("sub"), 0), fifo))).as("directory").isEqualTo("EISDIR");
            if (s.where() != Where.JAIL) {
                assertThat(name(errnoWithoutHanging(aio, in.truncate(Path.of("/dev/null"), 0), fifo))).as("/dev/null").isEqualTo("EINVAL");
            }
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("missing"), 0), fifo))).as("missing").isEqualTo("ENOENT");
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("file/x"), 0), fifo))).as("file/x").isEqualTo("ENOTDIR");
            assertThat(name(errnoWithoutHanging(aio, in.truncate(base.resolve("file"), 4), fifo))).as("file").isEqualTo(name(0));
            assertThat(Files.readString(file)).isEqualTo("0123");
            assertThat(Files.isDirectory(sub)).isTrue();
        }
    }

    // A FIFO the caller may write but not read: truncate fails with EINVAL and never blocks (the original hang, which
    // needs an unprivileged caller: root may read anything), on every backend, by path and through a working directory.
    @Test
    void truncateOfAWriteOnlyFifoNeverBlocks() throws Exception {
        String unavailable = AsNobody.unavailable();
        skipUnless(unavailable == null, unavailable + " (for a write-only FIFO)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fifo = dir.resolve("fifo");
        sh("mkfifo", "-m", "0222", fifo.toString());
        List<String> args = new ArrayList<>(List.of(dir.toString(), "fifo"));
        for (AioBackend b : backends()) {
            args.add(b.name());
        }
        List<String> command = AsNobody.command(TruncateProbe.class, args);
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("probe.raw").toFile())
                .redirectError(dir.resolve("probe.err").toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(HANG_BOUND_SECONDS, TimeUnit.SECONDS)) {
            FileChannel reader = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                if (!p.waitFor(HANG_BOUND_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } finally {
                reader.close();
            }
            throw new AssertionError("truncate of a write-only FIFO blocked until a reader came: "
                    + Files.readString(dir.resolve("probe.raw"), StandardCharsets.UTF_8));
        }
        String raw = Files.readString(dir.resolve("probe.raw"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("probe.err"), StandardCharsets.UTF_8);
        skipUnless(p.exitValue() == 0, "could not run the probe as user nobody (status " + p.exitValue() + "): " + err);
        List<String> lines = raw.lines().toList();
        List<String> expected = new ArrayList<>();
        for (AioBackend b : backends()) {
            expected.add(b.name() + " plain=" + Errno.EINVAL.code());
            expected.add(b.name() + " wd=" + Errno.EINVAL.code());
        }
        assertThat(lines).as("probe output: %s", raw).containsExactlyElementsOf(expected);
    }

    // aio_sync_file_range: a negative offset or length is the syscall's EINVAL in the result, as IO::AIO delivers it,
    // not an exception at the call; in both request forms, on every backend.
    @ParameterizedTest
    @MethodSource("backends")
    void syncFileRangeWithBadNumbersFailsWithEinval(AioBackend backend) throws Exception {
        Path p = Files.writeString(dir.resolve("f"), "0123456789");
        try (AioEngine aio = AioEngine.builder().minParallel(2).backend(backend).build(); AioFile f = await(aio, aio.open(p, O_RDWR, 0))) {
            assertFails(aio, Errno.EINVAL, "sync_file_range", f, () -> aio.syncFileRange(f, -1, 0, SYNC_FILE_RANGE_WRITE),
                    cb -> aio.syncFileRange(f, -1, 0, SYNC_FILE_RANGE_WRITE, cb));
            assertFails(aio, Errno.EINVAL, "sync_file_range", f, () -> aio.syncFileRange(f, 0, -1, SYNC_FILE_RANGE_WRITE),
                    cb -> aio.syncFileRange(f, 0, -1, SYNC_FILE_RANGE_WRITE, cb));
            assertFails(aio, Errno.EINVAL, "sync_file_range", f, () -> aio.syncFileRange(f, 10, -5, 0),
                    cb -> aio.syncFileRange(f, 10, -5, 0, cb));
            assertFails(aio, Errno.EINVAL, "sync_file_range", f, () -> aio.syncFileRange(f, Long.MIN_VALUE, 0, 0),
                    cb -> aio.syncFileRange(f, Long.MIN_VALUE, 0, 0, cb));
            assertThat(await(aio, aio.syncFileRange(f, 0, 0, SYNC_FILE_RANGE_WRITE))).isNull();
        }
    }
}
