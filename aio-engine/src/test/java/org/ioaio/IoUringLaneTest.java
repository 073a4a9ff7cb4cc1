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
import static org.ioaio.AioConstants.O_DIRECT;
import static org.ioaio.AioConstants.O_DIRECTORY;
import static org.ioaio.AioConstants.O_RDONLY;
import static org.ioaio.AioConstants.O_RDWR;
import static org.ioaio.AioConstants.O_WRONLY;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The io_uring lane of the native backend: reads, writes, fsync and fdatasync submitted to a ring by
 * one ring thread, with the same results, errnos, priorities, cancels, deadlines and close as on the
 * workers. Tests that compare both run once with io_uring ({@code AUTO}) and once on the workers
 * ({@code OFF}); each skips, with the reason, where the native backend or io_uring is unavailable.
 * Blocking operations are reads at the current position of a FIFO opened read-write, which wait
 * until bytes are written.
 */
@ExtendWith(EngineInvariants.class)
class IoUringLaneTest {

    @TempDir
    Path dir;

    /**
     * An engine on the native backend with io_uring as {@code mode} says, reads, writes and syncs
     * routed to it (writes are not by default), after checking it can run here.
     */
    private static AioEngine engine(IoUringMode mode) {
        requireRing();
        AioEngine aio = AioEngine.builder().minParallel(2).backend(AioBackend.NATIVE).ioUring(mode)
                .ioUringOps(EnumSet.of(IoUringOp.READ, IoUringOp.WRITE, IoUringOp.FSYNC, IoUringOp.FDATASYNC)).build();
        assertThat(aio.ioUring()).as("io_uring in use with " + mode).isEqualTo(mode != IoUringMode.OFF);
        return aio;
    }

    private static void requireRing() {
        if (!Platform.nativeLayer().available()) {
            String why = "native backend not available: " + Platform.nativeLayer().reason();
            System.out.println("SKIPPED: " + why);
            assumeTrue(false, why);
        }
        try (AioEngine probe = AioEngine.builder().backend(AioBackend.NATIVE).build()) {
            if (!probe.ioUring()) {
                String why = "io_uring unavailable on this kernel (io_uring_setup failed)";
                System.out.println("SKIPPED: " + why);
                assumeTrue(false, why);
            }
        }
    }

    /** Polls until {@code f} completes (not flush: a test may keep a worker busy meanwhile). */
    private static void until(AioEngine aio, AioFuture<?> f) {
        while (!f.isDone()) {
            aio.pollWait();
            aio.pollCb();
        }
    }

    private static <T> T await(AioEngine aio, AioFuture<T> f) {
        until(aio, f);
        return f.join();
    }

    private static int errnoOf(AioEngine aio, AioFuture<?> f) {
        until(aio, f);
        assertThat(f).isCompletedExceptionally();
        Throwable t = f.handle((v, e) -> e).join();
        while (!(t instanceof AioException) && t != null && t.getCause() != null) {
            t = t.getCause();
        }
        assertThat(t).isInstanceOf(AioException.class);
        return ((AioException) t).errno();
    }

    private Path fifo(AioEngine aio) {
        Path p = dir.resolve("fifo");
        await(aio, aio.mknod(p, AioConstants.S_IFIFO | 0600, 0));
        return p;
    }

    // Writes and reads with direct and heap buffers, fsync and fdatasync: the bytes, counts and
    // buffer positions are the workers' (checked against Files.readAllBytes).
    @ParameterizedTest
    @EnumSource(value = IoUringMode.class, names = {"AUTO", "OFF"})
    void readsWritesAndSyncsGiveTheWorkersResults(IoUringMode mode) throws Exception {
        Path p = dir.resolve("data");
        try (AioEngine aio = engine(mode)) {
            AioFile f = await(aio, aio.open(p, O_CREAT | O_RDWR, 0644));
            ByteBuffer direct = ByteBuffer.allocateDirect(5000);
            for (int i = 0; i < 5000; i++) {
                direct.put((byte) (i % 251));
            }
            direct.flip();
            assertThat(await(aio, aio.write(f, 0L, direct))).isEqualTo(5000);
            assertThat(direct.remaining()).isZero();
            byte[] heap = "tail bytes".getBytes();
            assertThat(await(aio, aio.write(f, 6000L, ByteBuffer.wrap(heap)))).isEqualTo(heap.length);
            ByteBuffer readOnly = ByteBuffer.wrap(heap, 5, 5).asReadOnlyBuffer();
            assertThat(await(aio, aio.write(f, 6005L, readOnly))).as("a write from a read-only heap buffer").isEqualTo(5);
            assertThat(readOnly.position()).isEqualTo(10);
            assertThat(await(aio, aio.fsync(f))).isNull();
            assertThat(await(aio, aio.fdatasync(f))).isNull();

            byte[] expected = Files.readAllBytes(p);
            assertThat(expected).hasSize(6000 + heap.length);
            ByteBuffer in = ByteBuffer.allocateDirect(8192);
            assertThat(await(aio, aio.read(f, 0L, in))).isEqualTo(expected.length);
            assertThat(in.position()).isEqualTo(expected.length);
            byte[] got = new byte[expected.length];
            in.flip().get(got);
            assertThat(got).isEqualTo(expected);

            byte[] arr = new byte[100];
            ByteBuffer slice = ByteBuffer.wrap(arr, 10, 20);
            assertThat(await(aio, aio.read(f, 6000L, slice))).isEqualTo(heap.length);
            assertThat(slice.position()).isEqualTo(10 + heap.length);
            assertThat(new String(arr, 10, heap.length)).isEqualTo("tail bytes");
            assertThat(arr[9]).isZero();
            assertThat(arr[10 + heap.length]).isZero();

            assertThat(await(aio, aio.read(f, 1L << 20, ByteBuffer.allocateDirect(16)))).as("read past the end").isZero();
            await(aio, aio.close(f));
            assertThat(aio.nreqs()).isZero();
        }
    }

    // Every errno a read, write or sync can meet is the one the workers report.
    @ParameterizedTest
    @EnumSource(value = IoUringMode.class, names = {"AUTO", "OFF"})
    void errorsGiveTheWorkersErrno(IoUringMode mode) throws Exception {
        Path p = dir.resolve("data");
        Files.write(p, new byte[8192]);
        Path sub = Files.createDirectory(dir.resolve("sub"));
        try (AioEngine aio = engine(mode)) {
            AioFile ro = await(aio, aio.open(p, O_RDONLY, 0));
            assertThat(errnoOf(aio, aio.write(ro, 0L, ByteBuffer.allocateDirect(10)))).as("write to a read-only file").isEqualTo(Errno.EBADF.code());
            AioFile wo = await(aio, aio.open(p, O_WRONLY, 0));
            assertThat(errnoOf(aio, aio.read(wo, 0L, ByteBuffer.allocateDirect(10)))).as("read of a write-only file").isEqualTo(Errno.EBADF.code());
            AioFile d = await(aio, aio.open(sub, O_RDONLY | O_DIRECTORY, 0));
            assertThat(errnoOf(aio, aio.read(d, 0L, ByteBuffer.allocate(10)))).as("read of a directory").isEqualTo(Errno.EISDIR.code());
            AioFile full = await(aio, aio.open(Path.of("/dev/full"), O_WRONLY, 0));
            assertThat(errnoOf(aio, aio.write(full, 0L, ByteBuffer.wrap(new byte[10])))).as("write to /dev/full").isEqualTo(Errno.ENOSPC.code());
            AioFile direct = await(aio, aio.open(p, O_RDONLY | O_DIRECT, 0));
            assertThat(errnoOf(aio, aio.read(direct, 1L, ByteBuffer.allocateDirect(10)))).as("unaligned O_DIRECT read").isEqualTo(Errno.EINVAL.code());
            Path fifo = fifo(aio);
            AioFile pipe = await(aio, aio.open(fifo, O_RDWR, 0));
            assertThat(errnoOf(aio, aio.read(pipe, 0L, ByteBuffer.allocateDirect(10)))).as("pread of a FIFO").isEqualTo(Errno.ESPIPE.code());
            assertThat(errnoOf(aio, aio.write(pipe, 0L, ByteBuffer.allocate(10)))).as("pwrite of a FIFO").isEqualTo(Errno.ESPIPE.code());
            await(aio, aio.close(pipe));
            for (AioFile f : List.of(ro, wo, d, full, direct)) {
                await(aio, aio.close(f));
            }
            assertThat(errnoOf(aio, aio.read(ro, 0L, ByteBuffer.allocateDirect(10)))).as("read of a closed file").isEqualTo(Errno.EBADF.code());
            assertThat(errnoOf(aio, aio.fsync(ro))).as("fsync of a closed file").isEqualTo(Errno.EBADF.code());
            assertThat(aio.nreqs()).isZero();
        }
    }

    // With the only worker busy, ring requests still execute: they need no worker. A heap buffer
    // over the bounce size is not the ring's: it waits for the worker.
    @Test
    void ringRequestsNeedNoWorker() throws Exception {
        Path p = dir.resolve("data");
        Files.write(p, new byte[200_000]);
        try (AioEngine aio = engine(IoUringMode.AUTO)) {
            AioFile f = await(aio, aio.open(p, O_RDONLY, 0));
            CountDownLatch release = TestEngines.occupyTheOnlyWorker(aio);
            assertThat(await(aio, aio.read(f, 0L, ByteBuffer.allocateDirect(4096)))).isEqualTo(4096);
            assertThat(await(aio, aio.read(f, 0L, ByteBuffer.allocate(65536)))).isEqualTo(65536);
            AioFuture<Integer> big = aio.read(f, 0L, ByteBuffer.allocate(65537));
            assertThat(aio.nready()).as("a 65537-byte heap read waits for a worker").isEqualTo(1);
            assertThat(big).isNotDone();
            release.countDown();
            assertThat(await(aio, big)).isEqualTo(65537);
            aio.flush();
            await(aio, aio.close(f));
        }
    }

    // maxParallel(0) holds every request, the ring's included (IO::AIO: 0 executes nothing): a
    // read stays READY, nothing becomes pending, and raising the limit runs it in the ring.
    @Test
    void maxParallelZeroHoldsRingRequestsToo() throws Exception {
        requireRing();
        Path p = dir.resolve("data");
        Files.write(p, new byte[8192]);
        try (AioEngine aio = engine(IoUringMode.AUTO); java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            AioFile f = await(aio, aio.open(p, O_RDONLY, 0));
            aio.maxParallel(0);
            aio.pollChannel().register(selector, java.nio.channels.SelectionKey.OP_READ);
            AioFuture<Integer> read = aio.read(f, 0L, ByteBuffer.allocateDirect(4096));
            assertThat(selector.select(300)).as("no result while maxParallel is 0").isZero();
            assertThat(read.request().state()).isEqualTo(AioRequest.State.READY);
            assertThat(aio.nready()).isEqualTo(1);
            aio.maxParallel(2);
            assertThat(await(aio, read)).isEqualTo(4096);
            await(aio, aio.close(f));
        }
    }

    // With STATX among the ioUringOps, stat and lstat run as statx in the ring (no worker may run
    // here), and give what the workers give: the same FileStat, the same errno.
    @Test
    void statThroughTheRingMatchesTheWorkers() throws Exception {
        requireRing();
        Path file = Files.write(dir.resolve("file"), new byte[12345]);
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        Path loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        try (AioEngine ring = AioEngine.builder().backend(AioBackend.NATIVE)
                        .ioUringOps(EnumSet.of(IoUringOp.STATX)).build();
                AioEngine pool = AioEngine.builder().backend(AioBackend.NATIVE).ioUring(IoUringMode.OFF).build()) {
            CountDownLatch release = TestEngines.occupyTheOnlyWorker(ring);
            for (Path p : List.of(file, link, dir)) {
                assertThat(await(ring, ring.stat(p))).as("stat " + p).isEqualTo(await(pool, pool.stat(p)));
                assertThat(await(ring, ring.lstat(p))).as("lstat " + p).isEqualTo(await(pool, pool.lstat(p)));
            }
            assertThat(await(ring, ring.lstat(link)).size()).isEqualTo(file.toString().length());
            assertThat(await(ring, ring.stat(link)).size()).isEqualTo(12345);
            for (Path p : List.of(dir.resolve("missing"), file.resolve("below"), loop, Path.of(""))) {
                int expected = errnoOf(pool, pool.stat(p));
                assertThat(errnoOf(ring, ring.stat(p))).as("stat " + p).isEqualTo(expected);
            }
            assertThat(errnoOf(ring, ring.stat(loop))).isEqualTo(Errno.ELOOP.code());
            release.countDown();
            ring.flush();
            assertThat(ring.nreqs()).isZero();
        }
    }

    // A read waiting in the kernel is cancelled with IORING_OP_ASYNC_CANCEL: its callback never
    // runs, its future is cancelled, and the file works afterwards.
    @Test
    void cancelOfAReadInFlightStopsItInTheKernel() throws Exception {
        try (AioEngine aio = engine(IoUringMode.AUTO)) {
            Path fifo = fifo(aio);
            AioFile f = await(aio, aio.open(fifo, O_RDWR, 0));
            AtomicInteger calls = new AtomicInteger();
            AioRequest r = aio.read(f, null, ByteBuffer.allocateDirect(1), res -> calls.incrementAndGet());
            AioFuture<Integer> fut = aio.read(f, null, ByteBuffer.allocateDirect(1));
            Await.until("both reads in flight", () -> r.state() == AioRequest.State.EXECUTE && fut.request().state() == AioRequest.State.EXECUTE);
            r.cancel();
            fut.cancel(true);
            aio.flush();
            assertThat(calls).hasValue(0);
            assertThat(fut).isCancelled();
            assertThat(aio.nreqs()).isZero();

            await(aio, aio.write(f, null, ByteBuffer.wrap(new byte[] {42})));
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            assertThat(await(aio, aio.read(f, null, one))).isEqualTo(1);
            assertThat(one.get(0)).as("the cancelled reads consumed nothing").isEqualTo((byte) 42);
            await(aio, aio.close(f));
        }
    }

    // Requests beyond the ring's depth wait READY, in priority order: when a slot frees, the
    // priority-4 read takes it and the priority -4 one queued earlier keeps waiting.
    @Test
    void requestsBeyondTheDepthWaitByPriority() throws Exception {
        try (AioEngine aio = engine(IoUringMode.AUTO)) {
            Path fifo = fifo(aio);
            AioFile pipe = await(aio, aio.open(fifo, O_RDWR, 0));
            List<AioFuture<Integer>> blocked = new ArrayList<>();
            for (int i = 0; i < AioEngine.IO_URING_DEPTH; i++) {
                blocked.add(aio.read(pipe, null, ByteBuffer.allocateDirect(1)));
            }
            Await.until("the ring is full", () -> aio.nready() == 0
                    && blocked.stream().allMatch(b -> b.request().state() == AioRequest.State.EXECUTE));
            aio.pri(-4);
            AioFuture<Integer> low = aio.read(pipe, null, ByteBuffer.allocateDirect(1));
            aio.pri(4);
            AioFuture<Integer> high = aio.read(pipe, null, ByteBuffer.allocateDirect(1));
            assertThat(aio.nready()).isEqualTo(2);

            // One byte completes one pipe read: one slot, which the priority-4 read takes.
            try (var out = Files.newOutputStream(fifo)) { // not through aio: its ring is full
                out.write(1);
            }
            Await.until("the high read in flight", () -> high.request().state() == AioRequest.State.EXECUTE);
            assertThat(low.request().state()).isEqualTo(AioRequest.State.READY);
            assertThat(aio.nready()).isEqualTo(1);

            low.cancel(true);
            high.cancel(true);
            blocked.forEach(b -> b.cancel(true));
            aio.flush();
            assertThat(low).isCancelled();
            await(aio, aio.close(pipe));
            assertThat(aio.nreqs()).isZero();
        }
    }

    // A deadline passes for a request waiting behind a full ring: ETIMEDOUT, like on the workers.
    @Test
    void deadlinesApplyWhileWaitingForTheRing() throws Exception {
        try (AioEngine aio = engine(IoUringMode.AUTO)) {
            Path fifo = fifo(aio);
            AioFile pipe = await(aio, aio.open(fifo, O_RDWR, 0));
            List<AioFuture<Integer>> blocked = new ArrayList<>();
            for (int i = 0; i < AioEngine.IO_URING_DEPTH; i++) {
                blocked.add(aio.read(pipe, null, ByteBuffer.allocateDirect(1)));
            }
            aio.timeout(Duration.ofMillis(20));
            AtomicInteger errno = new AtomicInteger(-1);
            AioRequest late = aio.read(pipe, null, ByteBuffer.allocateDirect(1), r -> errno.set(r.errno()));
            Await.until("the deadline passed", () -> {
                aio.poll();
                return late.state() == AioRequest.State.DONE;
            });
            assertThat(errno).hasValue(Errno.ETIMEDOUT.code());
            assertThat(late.isTimedOut()).isTrue();
            blocked.forEach(b -> b.cancel(true));
            aio.flush();
            await(aio, aio.close(pipe));
        }
    }

    // close() with reads blocked in the kernel: after the grace period they are cancelled in the
    // kernel, every future completes, the ring thread exits and the ring's descriptors are closed
    // (EngineInvariants counts them).
    @Test
    void closeCancelsWhatIsInFlightAndReleasesTheRing() throws Exception {
        requireRing();
        AioEngine aio = AioEngine.builder().backend(AioBackend.NATIVE).closeGracePeriod(Duration.ofMillis(50)).build();
        Path fifo = fifo(aio);
        AioFile pipe = await(aio, aio.open(fifo, O_RDWR, 0));
        List<AioFuture<Integer>> blocked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocked.add(aio.read(pipe, null, ByteBuffer.allocateDirect(1)));
        }
        Await.until("the reads in flight", () -> blocked.stream().allMatch(b -> b.request().state() == AioRequest.State.EXECUTE));
        aio.close();
        assertThat(blocked).allSatisfy(b -> assertThat(b).isCancelled());
        assertThat(aio.nreqs()).isZero();
        assertThatThrownBy(() -> aio.read(pipe, null, ByteBuffer.allocateDirect(1))).isInstanceOf(IllegalStateException.class);
        pipe.close();
    }

    // An engine that never used its ring releases it on close (no thread was started).
    @Test
    void anUnusedRingIsReleasedOnClose() {
        requireRing();
        try (AioEngine aio = AioEngine.builder().backend(AioBackend.NATIVE).ioUring(IoUringMode.REQUIRED).build()) {
            assertThat(aio.ioUring()).isTrue();
        }
    }

    // REQUIRED fails at build, with the reason, where io_uring cannot be used.
    @Test
    void requiredFailsWithTheReasonOnThePortableBackend() {
        assertThatThrownBy(() -> AioEngine.builder().backend(AioBackend.NIO).ioUring(IoUringMode.REQUIRED).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io_uring needs the native backend");
        try (AioEngine aio = AioEngine.builder().backend(AioBackend.NIO).build()) {
            assertThat(aio.ioUring()).as("AUTO on the portable backend").isFalse();
        }
    }

    // Four threads submit random reads of a file and cancel some at random while a fifth polls:
    // every request that was not cancelled reports the right bytes exactly once, a cancelled one
    // at most once (a cached read may be delivered before the submitter gets to cancel it:
    // IO::AIO's cancel skips only a callback still to come), and
    // nreqs returns to 0 (DESIGN.md's invariants). With 2 workers, cached reads are tried on the
    // workers and the poller first; with the only worker kept busy, all go through the ring
    // thread, which tries them itself before it queues them in the kernel.
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 0})
    void stressRandomReadsAndCancels(int workers) throws Exception {
        Path p = dir.resolve("data");
        byte[] content = new byte[1 << 20];
        new Random(7).nextBytes(content);
        Files.write(p, content);
        try (AioEngine aio = engine(IoUringMode.AUTO)) {
            AioFile f = await(aio, aio.open(p, O_RDONLY, 0));
            CountDownLatch release = workers == 0 ? TestEngines.occupyTheOnlyWorker(aio) : null;
            if (workers > 0) {
                aio.maxParallel(workers);
            }
            int perThread = 5000;
            ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
            AtomicLong wrong = new AtomicLong();
            Set<Integer> cancelled = ConcurrentHashMap.newKeySet();
            AtomicInteger submittersDone = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(new Thread(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < perThread; i++) {
                        int id = seed * perThread + i;
                        int off = r.nextInt(content.length - 512);
                        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocateDirect(512) : ByteBuffer.allocate(512);
                        aio.pri(r.nextInt(9) - 4);
                        AioRequest req = aio.read(f, (long) off, b, res -> {
                            calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                            for (int k = 0; k < 512; k++) {
                                if (b.get(k) != content[off + k]) {
                                    wrong.incrementAndGet();
                                    break;
                                }
                            }
                        });
                        if (r.nextInt(10) == 0) {
                            req.cancel();
                            cancelled.add(id);
                        }
                    }
                    submittersDone.incrementAndGet();
                }, "stress-submitter-" + t));
            }
            threads.forEach(Thread::start);
            long blocker = release != null ? 1 : 0; // the task keeping the only worker busy
            while (submittersDone.get() < 4 || aio.nreqs() > blocker) {
                aio.poll();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (release != null) {
                release.countDown();
            }
            aio.flush();
            assertThat(wrong).hasValue(0);
            assertThat(calls.values()).allSatisfy(c -> assertThat(c).hasValue(1));
            int skipped = 0;
            for (int id = 0; id < 4 * perThread; id++) {
                boolean called = calls.containsKey(id);
                if (!cancelled.contains(id)) {
                    assertThat(called).as("request %d, not cancelled, called back", id).isTrue();
                } else if (!called) {
                    skipped++;
                }
            }
            assertThat(skipped).as("cancels that skipped the callback, of %d", cancelled.size()).isGreaterThan(cancelled.size() / 2);
            assertThat(aio.nreqs()).isZero();
            assertThat(aio.nready()).isZero();
            aio.maxParallel(2); // close runs on a worker
            await(aio, aio.close(f));
        }
    }
}
