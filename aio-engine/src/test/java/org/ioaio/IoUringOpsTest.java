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

package org.ioaio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ioaio.AioConstants.O_CREAT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_EXCL;
import static org.ioaio.AioConstants.O_NONBLOCK;
import static org.ioaio.AioConstants.O_PATH;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request {@link IoUringOp} names, through the io_uring lane, gives what the workers give:
 * the same status, errno and value. Each check runs a request on an engine that sends every
 * operation to io_uring and whose only worker is kept busy ({@link
 * TestEngines#occupyTheOnlyWorker}: a request that went to the workers would not complete), and the same request on an engine with io_uring off, each on its
 * own copy of the same small tree ({@code file}, {@code dir/inner}, {@code empty/}, {@code link ->
 * file}, {@code loop -> loop}, {@code fifo}). Skipped, with the reason, where the native backend or
 * io_uring (or one of its operations) is unavailable.
 */
@ExtendWith(EngineInvariants.class)
class IoUringOpsTest {

    @TempDir
    Path dir;

    /** The tree the ring engine works on. */
    private Path a;
    /** The tree the workers work on. */
    private Path b;
    /** Every operation through io_uring, its only worker busy. */
    private AioEngine ring;
    /** Releases the ring engine's worker. */
    private java.util.concurrent.CountDownLatch ringWorker;
    /** io_uring off. */
    private AioEngine pool;

    @BeforeEach
    void engines() throws IOException, InterruptedException {
        requireRing();
        a = tree(dir.resolve("a"));
        b = tree(dir.resolve("b"));
        ring = AioEngine.builder().backend(AioBackend.NATIVE).ioUring(IoUringMode.REQUIRED)
                .ioUringOps(EnumSet.allOf(IoUringOp.class)).build();
        ringWorker = TestEngines.occupyTheOnlyWorker(ring);
        pool = AioEngine.builder().backend(AioBackend.NATIVE).ioUring(IoUringMode.OFF).build();
    }

    @AfterEach
    void close() {
        if (ring != null) {
            ringWorker.countDown();
            ring.flush();
            assertThat(ring.nreqs()).as("requests left in the ring engine").isZero();
            ring.close();
            pool.close();
        }
    }

    private static void requireRing() {
        if (!Platform.nativeLayer().available()) {
            skip("native backend not available: " + Platform.nativeLayer().reason());
        }
        try (AioEngine probe = AioEngine.builder().backend(AioBackend.NATIVE).build()) {
            if (!probe.ioUring()) {
                skip("io_uring unavailable on this kernel (io_uring_setup failed)");
            }
        }
    }

    private static void skip(String why) {
        System.out.println("SKIPPED: " + why);
        assumeTrue(false, why);
    }

    private static Path tree(Path root) throws IOException {
        Files.createDirectories(root.resolve("dir"));
        Files.write(root.resolve("file"), new byte[100]);
        Files.write(root.resolve("dir").resolve("inner"), new byte[1]);
        Files.createDirectory(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("file"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        Process p = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).inheritIO().start();
        try {
            assertThat(p.waitFor()).as("mkfifo").isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return root;
    }

    /** What a callback got. */
    private record Outcome(long status, int errno, Object value) {
        @Override
        public String toString() {
            return errno == 0 ? "status " + status + ", value " + value : "status " + status + ", " + Errno.describe(errno);
        }
    }

    /** One request, submitted with the callback it is given. */
    @FunctionalInterface
    private interface Op {
        AioRequest submit(AioEngine aio, Path root, Sink sink);
    }

    /** Receives one result. */
    private static final class Sink {
        final AtomicReference<Outcome> out = new AtomicReference<>();

        <T> AioCallback<T> cb() {
            return r -> out.set(new Outcome(r.status(), r.errno(), r.value()));
        }
    }

    /** Runs {@code op} in the ring (which completes it with no worker) over tree a. */
    private Outcome inRing(Op op) {
        Sink s = new Sink();
        op.submit(ring, a, s);
        Await.until("completed in the ring, with the only worker busy", () -> {
            ring.pollCb();
            return s.out.get() != null;
        });
        return s.out.get();
    }

    /** Runs {@code op} on the workers over tree b. */
    private Outcome onWorkers(Op op) {
        Sink s = new Sink();
        op.submit(pool, b, s);
        pool.flush();
        assertThat(s.out.get()).isNotNull();
        return s.out.get();
    }

    /**
     * Runs {@code op} both ways: the same status and errno (the one expected), and values that
     * {@code sameValue} finds equal.
     */
    private Outcome[] both(String what, int errno, Op op) {
        Outcome r = inRing(op);
        Outcome w = onWorkers(op);
        assertThat(w.errno()).as(what + " on the workers").isEqualTo(errno);
        assertThat(r.errno()).as(what + " in the ring (workers: " + w + ")").isEqualTo(errno);
        assertThat(r.status()).as(what + ": status").isEqualTo(w.status());
        assertThat(r.value() == null).as(what + ": a value in the ring iff one on the workers").isEqualTo(w.value() == null);
        return new Outcome[] {r, w};
    }

    private void same(String what, int errno, Op op) {
        Outcome[] o = both(what, errno, op);
        if (!(o[0].value() instanceof AioFile)) {
            assertThat(o[0].value()).as(what + ": value").isEqualTo(o[1].value());
        }
    }

    private static final int OK = 0;

    private static int e(Errno errno) {
        return errno.code();
    }

    // open: the file, the created file's mode, and every errno; the handle owns a descriptor that
    // reads the file and that close releases, in the ring too.
    @Test
    void openAndCloseGiveTheWorkersResults() throws Exception {
        Outcome[] o = both("open file", OK, (aio, root, s) -> aio.open(root.resolve("file"), O_RDWR, 0, s.cb()));
        AioFile rf = (AioFile) o[0].value();
        AioFile wf = (AioFile) o[1].value();
        assertThat(rf.path()).isEqualTo(a.resolve("file"));
        assertThat(rf.flags()).isEqualTo(wf.flags()).isEqualTo(O_RDWR);
        assertThat(rf.isOpen()).isTrue();
        ByteBuffer buf = ByteBuffer.allocateDirect(200);
        AioFuture<Integer> read = pool.read(rf, 0L, buf);
        pool.flush();
        assertThat(read.join()).as("the ring's descriptor reads the file").isEqualTo(100);
        same("close", OK, (aio, root, s) -> aio.close(root == a ? rf : wf, s.cb()));
        assertThat(rf.isOpen()).isFalse();
        same("close again", e(Errno.EBADF), (aio, root, s) -> aio.close(root == a ? rf : wf, s.cb()));

        Outcome[] created = both("open O_CREAT", OK, (aio, root, s) -> aio.open(root.resolve("new"), O_CREAT | O_WRONLY, 0640, s.cb()));
        assertThat(Files.getPosixFilePermissions(a.resolve("new"))).isEqualTo(Files.getPosixFilePermissions(b.resolve("new")));
        same("close the created file", OK, (aio, root, s) -> aio.close((AioFile) created[root == a ? 0 : 1].value(), s.cb()));

        Outcome[] opath = both("open O_PATH", OK, (aio, root, s) -> aio.open(root.resolve("link"), O_PATH, 0, s.cb()));
        Outcome[] odir = both("open O_DIRECTORY", OK, (aio, root, s) -> aio.open(root.resolve("dir"), O_RDONLY | O_DIRECTORY, 0, s.cb()));
        Outcome[] fifo = both("open a FIFO O_RDONLY | O_NONBLOCK", OK,
                (aio, root, s) -> aio.open(root.resolve("fifo"), O_RDONLY | O_NONBLOCK, 0, s.cb()));
        for (Outcome[] pair : List.of(opath, odir, fifo)) {
            same("close", OK, (aio, root, s) -> aio.close((AioFile) pair[root == a ? 0 : 1].value(), s.cb()));
        }

        same("open missing", e(Errno.ENOENT), (aio, root, s) -> aio.open(root.resolve("missing"), O_RDONLY, 0, s.cb()));
        same("open the empty path", e(Errno.ENOENT), (aio, root, s) -> aio.open(Path.of(""), O_RDONLY, 0, s.cb()));
        same("open below a file", e(Errno.ENOTDIR), (aio, root, s) -> aio.open(root.resolve("file/x"), O_RDONLY, 0, s.cb()));
        same("open a file O_DIRECTORY", e(Errno.ENOTDIR), (aio, root, s) -> aio.open(root.resolve("file"), O_RDONLY | O_DIRECTORY, 0, s.cb()));
        same("open a directory for writing", e(Errno.EISDIR), (aio, root, s) -> aio.open(root.resolve("dir"), O_WRONLY, 0, s.cb()));
        same("open O_CREAT | O_EXCL of a file", e(Errno.EEXIST), (aio, root, s) -> aio.open(root.resolve("file"), O_CREAT | O_EXCL | O_WRONLY, 0600, s.cb()));
        same("open a symlink loop", e(Errno.ELOOP), (aio, root, s) -> aio.open(root.resolve("loop"), O_RDONLY, 0, s.cb()));
        same("open a FIFO for writing without a reader, O_NONBLOCK", e(Errno.ENXIO),
                (aio, root, s) -> aio.open(root.resolve("fifo"), O_WRONLY | O_NONBLOCK, 0, s.cb()));
    }

    // An open of a FIFO without O_NONBLOCK waits for the other end, as open(2) does: io_uring's
    // inline attempt (which adds O_NONBLOCK) is not made. A later ring request completes meanwhile.
    @Test
    void anOpenOfAFifoWaitsForItsOtherEnd() throws Exception {
        AtomicReference<AioResult<AioFile>> opened = new AtomicReference<>();
        ring.open(a.resolve("fifo"), O_RDONLY, 0, opened::set);
        Outcome later = inRing((aio, root, s) -> aio.stat(root.resolve("file"), s.cb()));
        assertThat(later.errno()).isZero();
        ring.pollCb();
        assertThat(opened.get()).as("the FIFO open, with no writer yet").isNull();
        try (var writer = Files.newOutputStream(a.resolve("fifo"))) { // opens the other end
            Await.until("the FIFO open completed", () -> {
                ring.pollCb();
                return opened.get() != null;
            });
            writer.flush();
        }
        assertThat(opened.get().errno()).isZero();
        opened.get().value().close();
    }

    // A close while a read on the file is in flight reports success at once, as on the workers;
    // the descriptor is released when the read ends (EngineInvariants counts descriptors).
    @Test
    void aCloseWithACallInFlightIsDeferredToItsEnd() throws Exception {
        AioFile f = (AioFile) inRing((aio, root, s) -> aio.open(root.resolve("fifo"), O_RDWR, 0, s.cb())).value();
        AtomicReference<AioResult<Integer>> read = new AtomicReference<>();
        AioRequest pending = ring.read(f, null, ByteBuffer.allocateDirect(1), read::set);
        Await.until("the read in flight", () -> pending.state() == AioRequest.State.EXECUTE);
        Outcome closed = inRing((aio, root, s) -> aio.close(f, s.cb()));
        assertThat(closed.errno()).isZero();
        assertThat(closed.status()).isZero();
        assertThat(f.isOpen()).isFalse();
        assertThat(inRing((aio, root, s) -> aio.close(f, s.cb())).errno()).as("a second close").isEqualTo(e(Errno.EBADF));
        assertThat(inRing((aio, root, s) -> aio.stat(f, s.cb())).errno()).as("fstat after close").isEqualTo(e(Errno.EBADF));
        try (var writer = Files.newOutputStream(a.resolve("fifo"))) {
            writer.write(7);
            writer.flush();
            Await.until("the read completed", () -> {
                ring.pollCb();
                return read.get() != null;
            });
        }
        assertThat(read.get().value()).isEqualTo(1);
    }

    // stat, lstat, statx and fstat/statx of an open file: the same FileStat as the workers', the same errnos.
    @Test
    void statsGiveTheWorkersResults() throws Exception {
        for (String name : List.of("file", "dir", "link", "fifo")) {
            Path p = a.resolve(name);
            Op stat = (aio, root, s) -> aio.stat(p, s.cb());
            Op lstat = (aio, root, s) -> aio.lstat(p, s.cb());
            Op statx = (aio, root, s) -> aio.statx(p, AioConstants.AT_SYMLINK_NOFOLLOW,
                    AioConstants.STATX_BASIC_STATS | AioConstants.STATX_BTIME, s.cb());
            same("stat " + name, OK, stat);
            same("lstat " + name, OK, lstat);
            same("statx " + name, OK, statx);
        }
        same("statx with AT_STATX_DONT_SYNC", OK, (aio, root, s) -> aio.statx(a.resolve("file"), AioConstants.AT_STATX_DONT_SYNC,
                AioConstants.STATX_ALL, s.cb()));
        for (Path p : List.of(a.resolve("missing"), a.resolve("file/x"), a.resolve("loop"), Path.of(""))) {
            int errno = onWorkers((aio, root, s) -> aio.stat(p, s.cb())).errno();
            assertThat(errno).isNotZero();
            same("stat " + p, errno, (aio, root, s) -> aio.stat(p, s.cb()));
            same("statx " + p, errno, (aio, root, s) -> aio.statx(p, 0, AioConstants.STATX_ALL, s.cb()));
        }

        AioFile f = (AioFile) inRing((aio, root, s) -> aio.open(a.resolve("file"), O_RDONLY, 0, s.cb())).value();
        AioFile path = (AioFile) inRing((aio, root, s) -> aio.open(a.resolve("dir"), O_PATH, 0, s.cb())).value();
        for (AioFile file : List.of(f, path)) {
            same("fstat " + file, OK, (aio, root, s) -> aio.stat(file, s.cb()));
            same("statx of " + file, OK, (aio, root, s) -> aio.statx(file, 0, AioConstants.STATX_ALL, s.cb()));
        }
        assertThat(inRing((aio, root, s) -> aio.stat(f, s.cb())).value()).isEqualTo(inRing((aio, root, s) -> aio.stat(a.resolve("file"), s.cb())).value());
        f.close();
        path.close();
        same("fstat of a closed file", e(Errno.EBADF), (aio, root, s) -> aio.stat(f, s.cb()));
        same("statx of a closed file", e(Errno.EBADF), (aio, root, s) -> aio.statx(f, 0, AioConstants.STATX_ALL, s.cb()));
    }

    // unlink and rmdir: success and every errno, with the same tree afterwards.
    @Test
    void unlinkAndRmdirGiveTheWorkersResults() {
        same("unlink a file", OK, (aio, root, s) -> aio.unlink(root.resolve("file"), s.cb()));
        assertThat(Files.exists(a.resolve("file"))).isFalse();
        same("unlink a symlink", OK, (aio, root, s) -> aio.unlink(root.resolve("link"), s.cb()));
        same("unlink missing", e(Errno.ENOENT), (aio, root, s) -> aio.unlink(root.resolve("missing"), s.cb()));
        same("unlink the empty path", e(Errno.ENOENT), (aio, root, s) -> aio.unlink(Path.of(""), s.cb()));
        same("unlink a directory", e(Errno.EISDIR), (aio, root, s) -> aio.unlink(root.resolve("dir"), s.cb()));
        same("unlink below a non-directory", e(Errno.ENOTDIR), (aio, root, s) -> aio.unlink(root.resolve("fifo/x"), s.cb()));
        same("rmdir a non-empty directory", e(Errno.ENOTEMPTY), (aio, root, s) -> aio.rmdir(root.resolve("dir"), s.cb()));
        same("rmdir a FIFO", e(Errno.ENOTDIR), (aio, root, s) -> aio.rmdir(root.resolve("fifo"), s.cb()));
        same("rmdir missing", e(Errno.ENOENT), (aio, root, s) -> aio.rmdir(root.resolve("missing"), s.cb()));
        same("rmdir an empty directory", OK, (aio, root, s) -> aio.rmdir(root.resolve("empty"), s.cb()));
        assertThat(Files.exists(a.resolve("empty"))).isFalse();
        same("unlink the FIFO", OK, (aio, root, s) -> aio.unlink(root.resolve("fifo"), s.cb()));
    }

    // mkdir, rename, rename2, link and symlink: success and every errno (EXDEV across /dev/shm),
    // with the same tree afterwards.
    @Test
    void namesGiveTheWorkersResults() throws Exception {
        same("mkdir", OK, (aio, root, s) -> aio.mkdir(root.resolve("made"), 0750, s.cb()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.resolve("made"))))
                .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("made"))));
        same("mkdir existing", e(Errno.EEXIST), (aio, root, s) -> aio.mkdir(root.resolve("dir"), 0700, s.cb()));
        same("mkdir in a missing directory", e(Errno.ENOENT), (aio, root, s) -> aio.mkdir(root.resolve("missing/x"), 0700, s.cb()));
        same("mkdir below a file", e(Errno.ENOTDIR), (aio, root, s) -> aio.mkdir(root.resolve("file/x"), 0700, s.cb()));
        same("mkdir the empty path", e(Errno.ENOENT), (aio, root, s) -> aio.mkdir(Path.of(""), 0700, s.cb()));

        same("rename a file", OK, (aio, root, s) -> aio.rename(root.resolve("file"), root.resolve("renamed"), s.cb()));
        assertThat(Files.exists(a.resolve("renamed"))).isTrue();
        same("rename missing", e(Errno.ENOENT), (aio, root, s) -> aio.rename(root.resolve("file"), root.resolve("x"), s.cb()));
        same("rename onto a non-empty directory", e(Errno.ENOTEMPTY), (aio, root, s) -> aio.rename(root.resolve("made"), root.resolve("dir"), s.cb()));
        same("rename a file onto a directory", e(Errno.EISDIR), (aio, root, s) -> aio.rename(root.resolve("renamed"), root.resolve("made"), s.cb()));
        same("rename a directory onto a file", e(Errno.ENOTDIR), (aio, root, s) -> aio.rename(root.resolve("made"), root.resolve("renamed"), s.cb()));
        same("rename to the empty path", e(Errno.ENOENT), (aio, root, s) -> aio.rename(root.resolve("renamed"), Path.of(""), s.cb()));
        same("rename2 NOREPLACE onto a file", e(Errno.EEXIST), (aio, root, s) -> aio.rename2(root.resolve("renamed"), root.resolve("dir/inner"),
                AioConstants.RENAME_NOREPLACE, s.cb()));
        same("rename2 EXCHANGE", OK, (aio, root, s) -> aio.rename2(root.resolve("renamed"), root.resolve("dir/inner"),
                AioConstants.RENAME_EXCHANGE, s.cb()));
        assertThat(Files.size(a.resolve("dir/inner"))).isEqualTo(100);

        same("link", OK, (aio, root, s) -> aio.link(root.resolve("renamed"), root.resolve("hard"), s.cb()));
        assertThat(Files.getAttribute(a.resolve("hard"), "unix:nlink")).isEqualTo(2);
        same("link onto an existing name", e(Errno.EEXIST), (aio, root, s) -> aio.link(root.resolve("renamed"), root.resolve("link"), s.cb()));
        same("link missing", e(Errno.ENOENT), (aio, root, s) -> aio.link(root.resolve("missing"), root.resolve("x"), s.cb()));
        same("link a directory", e(Errno.EPERM), (aio, root, s) -> aio.link(root.resolve("dir"), root.resolve("x"), s.cb()));
        same("link below a file", e(Errno.ENOTDIR), (aio, root, s) -> aio.link(root.resolve("renamed"), root.resolve("hard/x"), s.cb()));

        same("symlink", OK, (aio, root, s) -> aio.symlink(Path.of("some/target"), root.resolve("soft"), s.cb()));
        assertThat(Files.readSymbolicLink(a.resolve("soft"))).isEqualTo(Path.of("some/target"));
        same("symlink onto an existing name", e(Errno.EEXIST), (aio, root, s) -> aio.symlink(Path.of("t"), root.resolve("dir"), s.cb()));
        same("symlink in a missing directory", e(Errno.ENOENT), (aio, root, s) -> aio.symlink(Path.of("t"), root.resolve("missing/x"), s.cb()));
        same("symlink to the empty target", e(Errno.ENOENT), (aio, root, s) -> aio.symlink(Path.of(""), root.resolve("x"), s.cb()));

        Path shm = Path.of("/dev/shm");
        FileStore store = Files.isDirectory(shm) ? Files.getFileStore(shm) : null;
        if (store == null || store.equals(Files.getFileStore(dir))) {
            System.out.println("SKIPPED (EXDEV part): /dev/shm is " + (store == null ? "absent" : "on the same file system as " + dir));
            return;
        }
        Path other = Files.createTempDirectory(shm, "aio-uring-ops");
        try {
            same("rename across file systems", e(Errno.EXDEV), (aio, root, s) -> aio.rename(root.resolve("renamed"), other.resolve("x"), s.cb()));
            same("link across file systems", e(Errno.EXDEV), (aio, root, s) -> aio.link(root.resolve("renamed"), other.resolve("x"), s.cb()));
        } finally {
            Files.delete(other);
        }
    }

    // allocate and fadvise of open files: success and every errno.
    @Test
    void allocateAndFadviseGiveTheWorkersResults() {
        Op openRw = (aio, root, s) -> aio.open(root.resolve("file"), O_RDWR, 0, s.cb());
        Op openRo = (aio, root, s) -> aio.open(root.resolve("file"), O_RDONLY, 0, s.cb());
        Op openPath = (aio, root, s) -> aio.open(root.resolve("file"), O_PATH, 0, s.cb());
        Op openFifo = (aio, root, s) -> aio.open(root.resolve("fifo"), O_RDWR, 0, s.cb());
        AioFile[] rw = files(openRw);
        AioFile[] ro = files(openRo);
        AioFile[] path = files(openPath);
        AioFile[] fifo = files(openFifo);

        same("allocate", OK, (aio, root, s) -> aio.allocate(pick(rw, root), 0, 0, 8192, s.cb()));
        assertThat(a.resolve("file").toFile().length()).isEqualTo(8192).isEqualTo(b.resolve("file").toFile().length());
        same("allocate KEEP_SIZE", OK, (aio, root, s) -> aio.allocate(pick(rw, root), AioConstants.FALLOC_FL_KEEP_SIZE, 8192, 8192, s.cb()));
        assertThat(a.resolve("file").toFile().length()).isEqualTo(8192);
        same("allocate of a read-only file", e(Errno.EBADF), (aio, root, s) -> aio.allocate(pick(ro, root), 0, 0, 4096, s.cb()));
        same("allocate of nothing", e(Errno.EINVAL), (aio, root, s) -> aio.allocate(pick(rw, root), 0, 0, 0, s.cb()));
        same("allocate of an O_PATH file", e(Errno.EBADF), (aio, root, s) -> aio.allocate(pick(path, root), 0, 0, 4096, s.cb()));
        same("allocate of a FIFO", e(Errno.ESPIPE), (aio, root, s) -> aio.allocate(pick(fifo, root), 0, 0, 4096, s.cb()));
        int punch = onWorkers((aio, root, s) -> aio.allocate(pick(rw, root), AioConstants.FALLOC_FL_PUNCH_HOLE, 0, 4096, s.cb())).errno();
        same("PUNCH_HOLE without KEEP_SIZE", punch, (aio, root, s) -> aio.allocate(pick(rw, root), AioConstants.FALLOC_FL_PUNCH_HOLE, 0, 4096, s.cb()));

        for (int advice = AioConstants.POSIX_FADV_NORMAL; advice <= AioConstants.POSIX_FADV_NOREUSE; advice++) {
            int adv = advice;
            same("fadvise " + advice, OK, (aio, root, s) -> aio.fadvise(pick(ro, root), 0, 0, adv, s.cb()));
        }
        same("fadvise of a range", OK, (aio, root, s) -> aio.fadvise(pick(ro, root), 4096, 0xffff_ffffL, AioConstants.POSIX_FADV_WILLNEED, s.cb()));
        same("fadvise of a FIFO", e(Errno.ESPIPE), (aio, root, s) -> aio.fadvise(pick(fifo, root), 0, 0, AioConstants.POSIX_FADV_NORMAL, s.cb()));
        same("fadvise of an O_PATH file", e(Errno.EBADF), (aio, root, s) -> aio.fadvise(pick(path, root), 0, 0, AioConstants.POSIX_FADV_NORMAL, s.cb()));
        for (AioFile[] pair : List.of(rw, ro, path, fifo)) {
            same("close", OK, (aio, root, s) -> aio.close(pick(pair, root), s.cb()));
        }
        same("allocate of a closed file", e(Errno.EBADF), (aio, root, s) -> aio.allocate(pick(rw, root), 0, 0, 4096, s.cb()));
        same("fadvise of a closed file", e(Errno.EBADF), (aio, root, s) -> aio.fadvise(pick(ro, root), 0, 0, AioConstants.POSIX_FADV_NORMAL, s.cb()));
    }

    /** Opens a file in both trees: the ring's handle first. */
    private AioFile[] files(Op open) {
        Outcome[] o = both("open", OK, open);
        return new AioFile[] {(AioFile) o[0].value(), (AioFile) o[1].value()};
    }

    private AioFile pick(AioFile[] pair, Path root) {
        return pair[root == a ? 0 : 1];
    }

    // What io_uring cannot take waits for a worker: path requests of a working-directory view,
    // an fadvise longer than 4 GiB - 1, sendfile; releasing the worker runs them.
    @Test
    void requestsTheRingDoesNotTakeRunOnTheWorkers() throws Exception {
        AioFile f = (AioFile) inRing((aio, root, s) -> aio.open(a.resolve("file"), O_RDWR, 0, s.cb())).value();
        AioFile out = (AioFile) inRing((aio, root, s) -> aio.open(a.resolve("dir/inner"), O_WRONLY, 0, s.cb())).value();
        try (AioWorkingDirectory wd = AioWorkingDirectory.open(a)) {
            AioFuture<FileStat> viaView = ring.in(wd).stat(Path.of("file"));
            AioFuture<Void> longAdvice = ring.fadvise(f, 0, 1L << 32, AioConstants.POSIX_FADV_NORMAL);
            AioFuture<Long> sendfile = ring.sendfile(out, f, 0, 10);
            assertThat(inRing((aio, root, s) -> aio.stat(f, s.cb())).errno()).as("a ring request meanwhile").isZero();
            ring.pollCb();
            assertThat(List.of(viaView, longAdvice, sendfile)).as("waiting for a worker").allSatisfy(x -> assertThat(x).isNotDone());
            assertThat(ring.nready()).isEqualTo(3);
            ringWorker.countDown();
            ring.flush();
            assertThat(viaView.join().ino()).isEqualTo(Files.getAttribute(a.resolve("file"), "unix:ino"));
            assertThat(longAdvice.join()).isNull();
            assertThat(sendfile.join()).isEqualTo(10L);
        }
        f.close();
        out.close();
    }

    // A working-directory view keeps only requests that name paths off io_uring: stat, read and
    // fsync of an open file through the view complete in the ring while a stat of a path waits.
    @Test
    void fileRequestsOfAViewGoToTheRing() throws Exception {
        AioFile f = (AioFile) inRing((aio, root, s) -> aio.open(a.resolve("file"), O_RDWR, 0, s.cb())).value();
        try (AioWorkingDirectory wd = AioWorkingDirectory.open(a)) {
            AioEngine view = ring.in(wd);
            AioFuture<FileStat> pathStat = view.stat(Path.of("file"));
            AioFuture<FileStat> fileStat = view.stat(f);
            AioFuture<Integer> read = view.read(f, 0L, java.nio.ByteBuffer.allocate(10));
            AioFuture<Void> fsync = view.fsync(f);
            Await.until("the file requests through the ring", () -> {
                ring.pollCb();
                return fileStat.isDone() && read.isDone() && fsync.isDone();
            });
            assertThat(pathStat).as("a path request of the view waits for a worker").isNotDone();
            assertThat(read.join()).isEqualTo(10);
            ringWorker.countDown();
            ring.flush();
            assertThat(pathStat.join().ino()).isEqualTo(fileStat.join().ino());
        }
        f.close();
    }

    // Only the operations of ioUringOps go to io_uring: with none, a stat waits for a worker.
    @Test
    void onlyTheChosenOperationsGoToTheRing() throws InterruptedException {
        try (AioEngine none = AioEngine.builder().backend(AioBackend.NATIVE).ioUringOps(EnumSet.noneOf(IoUringOp.class)).build();
                AioEngine stats = AioEngine.builder().backend(AioBackend.NATIVE).ioUringOps(EnumSet.of(IoUringOp.STATX)).build()) {
            assertThat(none.ioUringOps()).isEmpty();
            assertThat(stats.ioUringOps()).containsExactly(IoUringOp.STATX);
            java.util.concurrent.CountDownLatch noneWorker = TestEngines.occupyTheOnlyWorker(none);
            java.util.concurrent.CountDownLatch statsWorker = TestEngines.occupyTheOnlyWorker(stats);
            AioFuture<FileStat> waits = none.stat(a.resolve("file"));
            AioFuture<FileStat> runs = stats.stat(a.resolve("file"));
            AioFuture<Void> mkdirWaits = stats.mkdir(a.resolve("m"), 0700);
            Await.until("the stat through the ring", () -> {
                stats.pollCb();
                return runs.isDone();
            });
            assertThat(waits).isNotDone();
            assertThat(mkdirWaits).isNotDone();
            noneWorker.countDown();
            statsWorker.countDown();
            none.flush();
            stats.flush();
            assertThat(waits.join()).isEqualTo(runs.join());
            assertThat(mkdirWaits.join()).isNull();
        }
        try (AioEngine defaults = AioEngine.builder().backend(AioBackend.NATIVE).build()) {
            assertThat(defaults.ioUringOps()).isEqualTo(IoUringOp.defaults());
        }
        assertThatThrownBy(() -> AioEngine.builder().ioUringOps(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
