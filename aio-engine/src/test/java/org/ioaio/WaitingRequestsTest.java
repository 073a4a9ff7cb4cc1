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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.ioaio.internal.Platform;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that may wait for another party (a FIFO's other end) run on a worker of their own, as
 * in libeio: never on the thread in {@code flush} (no result could be delivered while it waits),
 * and never with other requests held back behind them in a worker's batch while other workers
 * idle.
 */
@ExtendWith(EngineInvariants.class)
class WaitingRequestsTest {

    @TempDir
    Path tmp;

    /** The workers' lane of each backend: the native one with io_uring off, and the portable one. */
    static Stream<Arguments> poolLanes() {
        return Stream.of(Arguments.of("NATIVE, io_uring off"), Arguments.of("NIO"));
    }

    private static AioEngine engine(String lane) {
        AioEngine.Builder b = AioEngine.builder().minParallel(2).maxParallel(2);
        if (lane.startsWith("NATIVE")) {
            if (!Platform.nativeLayer().available()) {
                String why = "native backend not available: " + Platform.nativeLayer().reason();
                System.out.println("SKIPPED: " + why);
                assumeTrue(false, why);
            }
            return b.backend(AioBackend.NATIVE).ioUring(lane.endsWith("io_uring off") ? IoUringMode.OFF : IoUringMode.AUTO).build();
        }
        return b.backend(AioBackend.NIO).build();
    }

    /** Holds both workers in a task each until the returned latch is counted down. */
    private static CountDownLatch holdBothWorkers(AioEngine aio, List<AioRequest> all) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            all.add(aio.custom(() -> {
                started.countDown();
                release.await();
                return null;
            }, r -> { }));
        }
        started.await();
        return release;
    }

    /** A FIFO made with mkfifo(1) (the portable layer has no mknod of one). */
    private Path fifo() throws IOException, InterruptedException {
        Path fifo = tmp.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("mkfifo: %s", out).isZero();
        return fifo;
    }

    // An open of a FIFO without O_NONBLOCK waits for the other end. With both workers busy, the
    // thread in flush must leave it queued (and wait for results) rather than open it itself; once
    // the workers are free, one waits in that open and the other runs the nop queued behind it,
    // whose callback the flushing thread delivers while the open still waits.
    @ParameterizedTest(name = "{0}")
    @MethodSource("poolLanes")
    void anOpenThatWaitsForAFifosOtherEndNeverRunsOnTheFlushingThread(String lane) throws Exception {
        Path fifo = fifo();
        try (AioEngine aio = engine(lane)) {
            List<AioRequest> all = new ArrayList<>();
            CountDownLatch release = holdBothWorkers(aio, all);
            AioFuture<AioFile> open = aio.open(fifo, AioConstants.O_RDONLY, 0);
            all.add(open.request());
            CountDownLatch nopDelivered = new CountDownLatch(1);
            all.add(aio.nop(r -> nopDelivered.countDown()));
            Thread flusher = new Thread(aio::flush, "flusher");
            flusher.start();
            try {
                Await.until("the flusher waits for results, or opens the FIFO itself", () -> waiting(flusher)
                        || open.request().state() == AioRequest.State.EXECUTE);
                assertThat(open.request().state()).as("the FIFO's open while both workers are busy").isEqualTo(AioRequest.State.READY);
                release.countDown();
                Await.until("the nop's callback, while a worker waits in the FIFO's open", () -> nopDelivered.getCount() == 0);
                assertThat(open.isDone()).as("the open, with nobody at the other end").isFalse();
            } finally {
                release.countDown();
                // Read-write, which never waits: the other end that lets the open return.
                RandomAccessFile otherEnd = new RandomAccessFile(fifo.toFile(), "rw");
                try {
                    flusher.join();
                } finally {
                    otherEnd.close();
                }
            }
            open.join().close();
            aio.checkInvariants(all);
        }
    }

    /** A request that waits for data in an empty FIFO: {@code fifo} read, {@code file} written. */
    enum Waiting {
        /** read(2) at the FIFO's position. */
        READ {
            @Override
            AioFuture<? extends Number> start(AioEngine aio, AioFile fifo, AioFile file) {
                return aio.read(fifo, null, ByteBuffer.allocate(8));
            }
        },
        /** splice(2) from the FIFO into a file (the portable layer has no splice: native only). */
        SPLICE {
            @Override
            AioFuture<? extends Number> start(AioEngine aio, AioFile fifo, AioFile file) {
                return aio.splice(fifo, null, file, 0L, 8, 0);
            }
        };

        abstract AioFuture<? extends Number> start(AioEngine aio, AioFile fifo, AioFile file);
    }

    /**
     * Each workers' lane with a read of the FIFO, the native one with a splice from it too; and the
     * read through the io_uring lane (the native backend's default), whose flushing thread tries a
     * read only without waiting ({@code RWF_NOWAIT}).
     */
    static Stream<Arguments> waitingRequests() {
        return Stream.of(Arguments.of("NATIVE, io_uring off", Waiting.READ), Arguments.of("NIO", Waiting.READ),
                Arguments.of("NATIVE, io_uring off", Waiting.SPLICE), Arguments.of("NATIVE", Waiting.READ));
    }

    // A read at the position of a FIFO, or a splice from it, waits for data. The nops queued behind
    // it must all run and be delivered while it waits (on the worker that is free), none held
    // back with it.
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("waitingRequests")
    void requestsQueuedBehindOneWaitingForAnEmptyFifoRunWhileItWaits(String lane, Waiting waiting) throws Exception {
        Path fifo = fifo();
        try (AioEngine aio = engine(lane); RandomAccessFile otherEnd = new RandomAccessFile(fifo.toFile(), "rw")) {
            AioFuture<AioFile> opened = aio.open(fifo, AioConstants.O_RDONLY, 0);
            AioFuture<AioFile> target = aio.open(tmp.resolve("target"), AioConstants.O_WRONLY | AioConstants.O_CREAT, 0600);
            aio.flush();
            try (AioFile f = opened.join(); AioFile t = target.join()) {
                List<AioRequest> all = new ArrayList<>();
                CountDownLatch release = holdBothWorkers(aio, all);
                AioFuture<? extends Number> read = waiting.start(aio, f, t);
                all.add(read.request());
                int nops = 30;
                CountDownLatch delivered = new CountDownLatch(nops);
                for (int i = 0; i < nops; i++) {
                    all.add(aio.nop(r -> delivered.countDown()));
                }
                Thread flusher = new Thread(aio::flush, "flusher");
                flusher.start();
                try {
                    release.countDown();
                    Await.until("every nop delivered while the read waits for data", () -> delivered.getCount() == 0);
                    assertThat(read.isDone()).as("the %s, with no data written", waiting).isFalse();
                } finally {
                    release.countDown();
                    otherEnd.write(new byte[8]);
                    flusher.join();
                }
                assertThat(read.join().intValue()).isEqualTo(8);
                aio.checkInvariants(all);
            }
        }
    }

    /** Whether {@code t} is parked (waiting for results). */
    private static boolean waiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }
}
