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

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.ioaio.internal.sys.FileHandle;
import org.ioaio.internal.sys.NioSyscalls;
import org.ioaio.internal.sys.SyscallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression tests for the scheduler failures of issue #14 (cancel of held requests, close and
 * poll waits that hung, listener errors, limits set at run time, retention through deadlines).
 * Each test is named after the failure it pins and failed before its fix; the scheduler's
 * invariants are checked after each phase (cancel, close, limits changed, drained).
 */
@ExtendWith(EngineInvariants.class)
class SchedulerRegressionTest {

    @TempDir
    Path tmp;

    /** Waits until {@code t} has ended. */
    private static void joined(Thread t) {
        Await.until(t.getName() + " ended", () -> !t.isAlive());
    }

    /** Waits until {@code t} is blocked (parked or waiting). */
    private static void blocked(Thread t) {
        Await.until(t.getName() + " blocked", () -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }

    // A request created inside a group's init and cancelled there (the group cancelled, then the
    // request added) is held, not queued: the cancel must not unlink the ready queue of its
    // priority. Before the fix, the 5 queued nops were dropped, nready went negative and flush hung.
    @Test
    void cancelOfARequestHeldInGroupInitKeepsTheReadyQueue() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicInteger ran = new AtomicInteger();
            List<AioRequest> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                queued.add(aio.nop(r -> ran.incrementAndGet()));
            }
            AtomicBoolean innerRan = new AtomicBoolean();
            AtomicReference<AioRequest> inner = new AtomicReference<>();
            AioGroup g = aio.group(grp -> {
                grp.cancel();
                AioRequest r = aio.nop(res -> innerRan.set(true));
                inner.set(r);
                grp.add(r);
            }, r -> { });
            AioRequest plain = aio.group(grp -> {
                AioRequest r = aio.nop(res -> innerRan.set(true));
                grp.add(r);
                r.cancel();
            }, r -> { });
            List<AioRequest> all = new ArrayList<>(queued);
            all.add(inner.get());
            aio.checkInvariants(all);
            assertThat(aio.nready()).isEqualTo(5);
            aio.maxParallel(2);
            Await.until("every request done", () -> {
                aio.pollCb();
                return aio.nreqs() == 0;
            });
            assertThat(ran).hasValue(5);
            assertThat(innerRan).isFalse();
            assertThat(inner.get().isCancelled()).isTrue();
            assertThat(g.state()).isEqualTo(AioRequest.State.DONE);
            assertThat(plain.state()).isEqualTo(AioRequest.State.DONE);
            aio.checkInvariants(all);
        }
    }

    // A group cancelled from another thread while its feeder runs: what the feeder adds after the
    // cancel is cancelled while held, and unrelated queued requests are not lost.
    @Test
    void groupCancelledFromAnotherThreadWhileFeedingLosesNothingElse() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                aio.nop(r -> ran.incrementAndGet());
            }
            CountDownLatch feeding = new CountDownLatch(1);
            AtomicReference<AioGroup> group = new AtomicReference<>();
            AtomicInteger fed = new AtomicInteger();
            Thread canceller = new Thread(() -> {
                try {
                    feeding.await();
                    group.get().cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "canceller");
            canceller.start();
            AioGroup g = aio.group(grp -> group.set(grp), r -> { });
            g.limit(3);
            g.feed(grp -> {
                feeding.countDown();
                Await.until("the group is cancelled", grp::isCancelled);
                grp.add(aio.nop(r -> fed.incrementAndGet()));
            });
            joined(canceller);
            assertThat(aio.nready()).isEqualTo(10);
            aio.checkInvariants(List.of());
            aio.maxParallel(2);
            aio.flush();
            assertThat(ran).hasValue(10);
            assertThat(fed).hasValue(0);
        }
    }

    // close(grace) returns within its bound while another thread is in flush() behind a request that
    // cannot finish, cancels what is queued, and reports false; before, it waited for the flush.
    @Test
    void closeReturnsWhileAnotherThreadFlushes() throws Exception {
        AioEngine aio = AioEngine.builder().build();
        CountDownLatch release = TestEngines.occupyTheOnlyWorker(aio);
        AioFuture<Object> queued = aio.custom(() -> "ran"); // not one the flushing thread may run itself
        Thread flusher = new Thread(aio::flush, "flusher");
        flusher.start();
        blocked(flusher);
        assertThat(aio.close(Duration.ofMillis(100))).isFalse();
        aio.checkInvariants(List.of(queued.request()));
        Await.until("the queued request's cancellation is delivered", queued::isDone);
        assertThatThrownBy(queued::join).isInstanceOf(CancellationException.class);
        joined(flusher);
        release.countDown();
        Await.until("the last result is delivered", () -> {
            aio.pollCb();
            return aio.nreqs() == 0;
        });
    }

    /** Submits a request that waits for {@code release}, and a thread in pollCb blocked by maxOutstanding(1). */
    private static Thread pollerBlockedByMaxOutstanding(AioEngine aio, CountDownLatch release) {
        aio.custom(() -> {
            release.await();
            return null;
        }, r -> { });
        Thread poller = new Thread(aio::pollCb, "blocked-poller");
        poller.start();
        blocked(poller);
        return poller;
    }

    // A poller blocked by maxOutstanding does not keep close from returning: close wakes it and it
    // returns; before, close hung until that poller was interrupted.
    @Test
    void closeReleasesAPollerBlockedByMaxOutstanding() throws Exception {
        AioEngine aio = AioEngine.builder().maxOutstanding(1).build();
        CountDownLatch release = new CountDownLatch(1);
        Thread poller = pollerBlockedByMaxOutstanding(aio, release);
        Thread closer = new Thread(() -> aio.close(Duration.ofMillis(50)), "closer");
        closer.start();
        joined(poller);
        joined(closer);
        release.countDown();
        Await.until("the worker exits", () -> aio.nthreads() == 0);
    }

    // maxOutstanding(0) lifts the limit for a poller already blocked by the old one.
    @Test
    void maxOutstandingZeroReleasesABlockedPoller() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxOutstanding(1).build()) {
            CountDownLatch release = new CountDownLatch(1);
            Thread poller = pollerBlockedByMaxOutstanding(aio, release);
            aio.maxOutstanding(0);
            joined(poller);
            aio.checkInvariants(List.of());
            release.countDown();
            aio.flush();
            aio.checkInvariants(List.of());
        }
    }

    // A second close() while the first is still draining does not report success with requests
    // outstanding: it waits for the first within its own bound and reports the truth.
    @Test
    void aConcurrentSecondCloseReportsTheTruth() throws Exception {
        AioEngine aio = AioEngine.builder().build();
        CountDownLatch release = TestEngines.occupyTheOnlyWorker(aio);
        for (int i = 0; i < 20_000; i++) {
            aio.nop();
        }
        AtomicReference<Boolean> first = new AtomicReference<>();
        Thread a = new Thread(() -> first.set(aio.close(Duration.ofMillis(200))), "first-close");
        a.start();
        Await.until("the first close began", aio::isClosed);
        boolean second = aio.close(Duration.ofMillis(200));
        joined(a);
        assertThat(second).as("second close with a request still executing").isFalse();
        assertThat(first.get()).isFalse();
        aio.checkInvariants(List.of());
        release.countDown();
        Await.until("the worker exits", () -> aio.nthreads() == 0);
        assertThat(aio.close(Duration.ofSeconds(5))).as("a later close, once everything ended").isTrue();
        aio.checkInvariants(List.of());
    }

    // close() from an interrupted thread neither spins nor leaves threads: it stops them and
    // returns with the interrupt still set.
    @Test
    void closeFromAnInterruptedThreadStopsEverythingAndKeepsTheInterrupt() {
        AioEngine aio = AioEngine.builder().minParallel(4).build();
        for (int i = 0; i < 1000; i++) {
            aio.nop();
        }
        Thread.currentThread().interrupt();
        boolean clean;
        try {
            clean = aio.close(Duration.ofSeconds(10));
        } finally {
            assertThat(Thread.interrupted()).as("interrupt kept").isTrue();
        }
        assertThat(clean).isTrue();
        assertThat(aio.nthreads()).isZero();
        assertThat(aio.nreqs()).isZero();
    }

    // Two pollers: B waits in pollWait while A runs the callback of a group's last member, the
    // group still outstanding; when A then finishes the group (no result is pushed for that), B
    // wakes: nothing is outstanding. Before, B waited forever.
    @Test
    void pollWaitWakesWhenAnotherPollerFinishesTheLastRequest() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            aio.group(g -> g.add(aio.nop(r -> {
                inCallback.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })), null);
            Thread a = new Thread(() -> {
                while (aio.nreqs() > 0) {
                    aio.poll();
                }
            }, "poller-A");
            a.start();
            // A reaches the group first (it is delayed: a member is outstanding), then the member.
            Await.until("the group was reached by poller A", () -> aio.npending() == 0 && aio.nready() == 1);
            aio.maxParallel(1);
            inCallback.await();
            Thread b = new Thread(aio::pollWait, "poller-B");
            b.start();
            blocked(b);
            release.countDown();
            joined(a);
            joined(b);
            assertThat(aio.nreqs()).isZero();
        }
    }

    /** Where a listener throws. */
    enum Throwing { EXECUTED, SKIPPED }

    // A listener that throws an Error is contained: the request still finishes (callback or
    // cancellation), the worker survives, cancel() does not throw.
    @ParameterizedTest
    @EnumSource(Throwing.class)
    void aListenerThrowingAnErrorLosesNoRequest(Throwing where) {
        AioListener listener = new AioListener() {
            @Override
            public void executed(String operation, long waitNanos, long executionNanos, int errno) {
                if (where == Throwing.EXECUTED) {
                    throw new AssertionError("listener fails in executed");
                }
            }

            @Override
            public void skipped(String operation, long waitNanos, boolean timedOut) {
                if (where == Throwing.SKIPPED) {
                    throw new StackOverflowError("listener fails in skipped");
                }
            }
        };
        try (AioEngine aio = AioEngine.builder().maxParallel(0).listener(listener).build()) {
            AioFuture<Void> cancelled = aio.nop();
            AioFuture<Void> runs = aio.nop();
            cancelled.cancel(false);
            aio.maxParallel(1);
            aio.flush();
            assertThat(runs).isCompleted();
            assertThat(cancelled).isCancelled();
            AioFuture<Void> again = aio.nop();
            aio.flush();
            assertThat(again).as("the worker survived").isCompleted();
            assertThat(aio.nreqs()).isZero();
        }
    }

    // A custom task that leaves its worker interrupted does not fail the next request on that
    // worker with EINTR (NIO channels refuse to work on an interrupted thread).
    @ParameterizedTest
    @EnumSource(value = AioBackend.class, names = {"NIO", "NATIVE"})
    void anInterruptLeftByATaskDoesNotFailTheNextRequest(AioBackend backend) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend != AioBackend.NATIVE
                || org.ioaio.internal.Platform.nativeLayer().available(),
                "native backend not available: " + org.ioaio.internal.Platform.nativeLayer().reason());
        Path file = Files.write(tmp.resolve("data"), new byte[] {1, 2, 3});
        try (AioEngine aio = AioEngine.builder().backend(backend).minParallel(1).maxParallel(1).build()) {
            AioFuture<Void> task = aio.custom(() -> {
                Thread.currentThread().interrupt();
                return null;
            });
            AioFuture<byte[]> load = aio.load(file);
            aio.flush();
            assertThat(task).isCompleted();
            assertThat(load.join()).containsExactly(1, 2, 3);
        }
    }

    // On the portable layer a thread in flush() runs a request that only names a file itself, as
    // it runs every request on the native layer, but never a call on an open file, whose
    // FileChannel an interrupt of that thread would close: here a stat runs on the flushing thread
    // while the only worker is held, and the read queued behind it waits for the worker.
    @Test
    void portableFlushRunsNamingCallsItselfButNoCallOnAnOpenFile() throws Exception {
        Path file = Files.write(tmp.resolve("data"), new byte[] {1, 2, 3});
        Map<String, Thread> ranOn = new ConcurrentHashMap<>();
        NioSyscalls sys = new NioSyscalls() {
            @Override
            public FileStat stat(Path path) throws SyscallException {
                ranOn.put("stat", Thread.currentThread());
                return super.stat(path);
            }

            @Override
            public int pread(FileHandle f, ByteBuffer dst, long offset) throws SyscallException {
                ranOn.put("pread", Thread.currentThread());
                return super.pread(f, dst, offset);
            }
        };
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (AioEngine aio = TestEngines.builderOn(sys).minParallel(1).maxParallel(1).build()) {
            AioFuture<AioFile> opened = aio.open(file, AioConstants.O_RDONLY, 0);
            aio.flush();
            AioFile f = opened.join();
            AioFuture<Boolean> worker = aio.custom(() -> {
                held.countDown();
                return release.await(10, TimeUnit.SECONDS);
            });
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the only worker is held").isTrue();
            AioFuture<FileStat> stat = aio.stat(file);
            stat.whenComplete((v, e) -> release.countDown());
            ByteBuffer buf = ByteBuffer.allocate(3);
            AioFuture<Integer> read = aio.read(f, 0L, buf);
            aio.flush();
            assertThat(worker.join()).as("released by the stat's callback, not by the timeout").isTrue();
            assertThat(stat.join().size()).isEqualTo(3);
            assertThat(read.join()).isEqualTo(3);
            assertThat(ranOn.get("stat")).as("the stat ran on the flushing thread").isSameAs(Thread.currentThread());
            assertThat(ranOn.get("pread")).as("the read ran on the worker").isNotNull().isNotSameAs(Thread.currentThread());
            aio.close(f);
            aio.flush();
        }
    }

    // A finished request whose deadline has not passed is not kept reachable by the deadline
    // timer: its value can be collected at once.
    @Test
    void aFinishedRequestIsNotRetainedUntilItsDeadline() {
        try (AioEngine aio = AioEngine.builder().build()) {
            List<WeakReference<byte[]>> values = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                aio.timeout(Duration.ofMinutes(10));
                AioFuture<byte[]> f = aio.custom(() -> new byte[1 << 20]);
                aio.flush();
                values.add(new WeakReference<>(f.join()));
            }
            Await.until("the finished requests' values are collected", () -> {
                System.gc();
                return values.stream().allMatch(w -> w.get() == null);
            });
        }
    }

    // flush() where it could never return is refused: from a request on a worker, and inside a
    // feeder (the requests it creates are queued only when it returns).
    @Test
    void flushFromAWorkerOrAFeederIsRefused() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AioFuture<Void> fromTask = aio.custom(() -> {
                aio.flush();
                return null;
            });
            AtomicReference<Throwable> fromFeeder = new AtomicReference<>();
            AioGroup g = aio.group(grp -> { }, r -> { });
            g.feed(grp -> {
                try {
                    aio.flush();
                } catch (IllegalStateException e) {
                    fromFeeder.set(e);
                }
            });
            aio.flush();
            assertThatThrownBy(fromTask::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(fromFeeder.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("feeder");
        }
    }

    // Cancelling a chain of 20,001 nested groups cancels every one without overflowing the stack.
    @Test
    void cancelOfDeeplyNestedGroupsIsIterative() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AioGroup root = aio.group();
            List<AioGroup> chain = new ArrayList<>();
            AioGroup parent = root;
            for (int i = 0; i < 20_000; i++) {
                AioGroup child = aio.group();
                parent.add(child);
                chain.add(child);
                parent = child;
            }
            AtomicBoolean leafRan = new AtomicBoolean();
            parent.add(aio.nop(r -> leafRan.set(true)));
            root.cancel();
            assertThat(chain).allSatisfy(c -> assertThat(c.isCancelled()).isTrue());
            aio.checkInvariants(List.of());
            aio.maxParallel(1);
            aio.flush();
            aio.checkInvariants(List.of());
            assertThat(leafRan).isFalse();
            assertThat(aio.nreqs()).isZero();
        }
    }

    // A shorter idleTimeout set at run time reaches threads already idle: they exit.
    @Test
    void aShorterIdleTimeoutReachesIdleThreads() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(3).maxIdle(0).idleTimeout(Duration.ofHours(1)).build()) {
            CountDownLatch all = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                aio.custom(() -> {
                    all.countDown();
                    all.await();
                    return null;
                });
            }
            aio.flush();
            Await.until("the workers are idle", () -> aio.nthreads() == 3 && aio.nidle() == 3);
            aio.checkInvariants(List.of());
            aio.idleTimeout(Duration.ofMillis(1));
            Await.until("idle workers exit", () -> aio.nthreads() == 0);
            aio.checkInvariants(List.of());
        }
    }

    // The cancellation of a future by close carries no stack trace (a million of them must not
    // each walk the polling thread's stack), and says which request it was.
    @Test
    void cancellationsByCloseCarryNoStackTrace() {
        AioEngine aio = AioEngine.builder().maxParallel(0).build();
        AioFuture<Void> f = aio.nop();
        assertThat(aio.close(Duration.ZERO)).isTrue();
        aio.checkInvariants(List.of(f.request()));
        Throwable t = f.handle((v, e) -> e).join();
        assertThat(t).isInstanceOf(CancellationException.class).hasMessageContaining("nop");
        assertThat(t.getStackTrace()).isEmpty();
    }

    /** Backends and io_uring settings for the FIFO close test. */
    enum FifoSetup { NIO, NATIVE_RING_OFF, NATIVE_RING_AUTO }

    // close(grace) returns within its bound while a read of an empty FIFO blocks (a worker in the
    // syscall, or the read in flight in io_uring): before, close did not return until the FIFO was
    // written. Whatever close reports, the read ends once data arrives, and nothing is left.
    @ParameterizedTest
    @EnumSource(FifoSetup.class)
    void closeReturnsWhileAReadOfAnEmptyFifoBlocks(FifoSetup setup) throws Exception {
        AioEngine.Builder b = AioEngine.builder();
        if (setup != FifoSetup.NIO) {
            org.junit.jupiter.api.Assumptions.assumeTrue(org.ioaio.internal.Platform.nativeLayer().available(),
                    "native backend not available: " + org.ioaio.internal.Platform.nativeLayer().reason());
            b.backend(AioBackend.NATIVE).ioUring(setup == FifoSetup.NATIVE_RING_AUTO ? IoUringMode.AUTO : IoUringMode.OFF);
        } else {
            b.backend(AioBackend.NIO);
        }
        Path fifo = tmp.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mk.waitFor()).as("mkfifo").isZero();
        AioEngine aio = b.build();
        AioFuture<AioFile> opened = aio.open(fifo, AioConstants.O_RDWR, 0); // a writer of its own: no EOF
        while (!opened.isDone()) {
            aio.pollWait();
            aio.pollCb();
        }
        AioFile f = opened.join();
        try {
            AioFuture<Integer> read = aio.read(f, null, java.nio.ByteBuffer.allocateDirect(16));
            Await.until("the read is executing", () -> read.request().state() == AioRequest.State.EXECUTE);
            boolean clean = aio.close(Duration.ofMillis(100));
            assertThat(clean).as("clean only if the read was cancelled in the kernel").isEqualTo(read.isDone());
            try (var w = Files.newOutputStream(fifo)) {
                w.write(new byte[] {42});
            }
            Await.until("the read ended", () -> {
                aio.pollCb();
                return aio.nreqs() == 0;
            });
        } finally {
            f.close();
        }
    }

    // Results are delivered the highest priority first: a priority-4 result executed after a
    // priority-0 one still has its callback run first (before, the poller delivered in FIFO order,
    // so a priority-4 request waited behind every lower result executed before it).
    @Test
    void pollerDeliversTheHigherPriorityResultFirst() {
        try (AioEngine aio = AioEngine.builder().build()) {
            List<String> order = new ArrayList<>();
            aio.nop(r -> order.add("pri 0"));
            Await.until("the priority-0 nop executed", () -> aio.npending() == 1);
            aio.pri(4);
            aio.nop(r -> order.add("pri 4"));
            Await.until("the priority-4 nop executed", () -> aio.npending() == 2);
            aio.pollCb();
            assertThat(order).containsExactly("pri 4", "pri 0");
        }
    }
    // While the poller is busy in a callback, a worker's batch of cheap requests is handed back as
    // chains: every result reaches the queue without waiting for the poller, in submission order,
    // and the invariants hold after. Delivered by pollWait and pollCb, not flush: a thread in flush
    // runs a batch of the queued nops itself while no result waits, beside the worker, and then the
    // two batches' results may arrive in either order (CI saw delivery 16 be request 32).
    @Test
    void resultsHandedBackAsChainsWhileThePollerIsBusyKeepOrderAndLoseNothing() {
        int n = 2000;
        try (AioEngine aio = AioEngine.builder().maxParallel(1).build()) {
            List<Integer> order = new ArrayList<>();
            List<AioRequest> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                all.add(aio.nop(r -> {
                    if (index == 0) {
                        // Callback 1 holds the poller until everything else executed and was pushed.
                        Await.until("all other results queued while the poller is busy", () -> aio.npending() == n - 1);
                    }
                    order.add(index);
                }));
            }
            while (aio.nreqs() > 0) {
                aio.pollWait();
                aio.pollCb();
            }
            assertThat(order).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(order.get(i)).as("delivery %d", i).isEqualTo(i);
            }
            assertThat(aio.nreqs()).isZero();
            aio.checkInvariants(all);
        }
    }
    // A worker that finds nothing to do while requests are in flight looks for work a little
    // (yielding the processor) before it waits, uncounted as idle, so a submitter wakes nobody.
    // A submission made at any moment of that look, or just as it ends, must still run: flush
    // would hang on a lost one.
    @Test
    void aSubmissionWhileTheWorkerLooksForWorkRunsAtAnyMoment() {
        try (AioEngine aio = AioEngine.builder().minParallel(1).maxParallel(1).build()) {
            java.util.Random random = new java.util.Random(7);
            AtomicInteger delivered = new AtomicInteger();
            List<AioRequest> all = new ArrayList<>();
            for (int round = 0; round < 3000; round++) {
                all.add(aio.nop(r -> delivered.incrementAndGet()));
                // The first result is pushed and not delivered: the worker now looks, then waits.
                Await.until("the first nop executed", () -> aio.npending() == 1);
                long until = System.nanoTime() + random.nextInt(40_000);
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                all.add(aio.nop(r -> delivered.incrementAndGet()));
                aio.flush();
                assertThat(aio.nreqs()).isZero();
                if (round % 500 == 0) {
                    aio.checkInvariants(List.of());
                }
            }
            assertThat(delivered.get()).isEqualTo(6000);
            aio.checkInvariants(all);
        }
    }

    // The look is bounded: with results waiting for a poller that does not come, every worker
    // still ends up waiting (idle), none spins on.
    @Test
    void workersWaitOnceTheirLookFindsNothingEvenWithResultsPending() {
        try (AioEngine aio = AioEngine.builder().minParallel(4).maxParallel(4).maxIdle(4).build()) {
            List<AioRequest> nops = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nops.add(aio.nop(r -> { }));
            }
            Await.until("the nops executed", () -> aio.npending() == 4);
            Await.until("every worker waits", () -> aio.nthreads() > 0 && aio.nidle() == aio.nthreads());
            assertThat(aio.nreqs()).isEqualTo(4);
            aio.checkInvariants(nops);
            aio.flush();
            aio.checkInvariants(nops);
        }
    }
}
