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

package org.ioaio.internal.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ioaio.AioCallback;
import org.ioaio.EngineInvariants;
import org.ioaio.internal.op.SysRequest;
import org.ioaio.internal.sys.NioSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler's ring lane against a ring that the test controls, so that it runs on every JVM
 * (Java 17 included): results come back through the ring, a ring that refuses a submission for
 * good hands its requests and every later one to the workers without losing any, and the ring is
 * released exactly once on close, used or not.
 */
@ExtendWith(EngineInvariants.class)
class UringDriverTest {

    /** What a worker's execution of the test's call returns; the ring returns {@link FakeRing#RING_RESULT}. */
    private static final int WORKER_RESULT = 42;

    /**
     * A ring that completes everything it is given with {@link #RING_RESULT} in the same enter, or,
     * once {@link #refuse} is set, refuses every submission with ENOMEM.
     */
    static class FakeRing implements UringBackend {
        static final int RING_RESULT = 7;
        private final List<Integer> queued = new ArrayList<>();
        volatile boolean refuse;
        volatile int closes;
        volatile int entered;

        @Override
        public int depth() {
            return 4;
        }

        @Override
        public boolean accepts(Object call) {
            return true;
        }

        @Override
        public int prepare(Request r, int slot) {
            queued.add(slot);
            return 0;
        }

        @Override
        public void prepareCancel(int slot) {}

        @Override
        public int enter(boolean wait, int[] slots, int[] results) {
            entered++;
            if (refuse && !queued.isEmpty()) {
                return -12;
            }
            int n = 0;
            for (int s : queued) {
                slots[n] = s;
                results[n++] = RING_RESULT;
            }
            queued.clear();
            return n;
        }

        @Override
        public int unsubmitted(int[] slots) {
            int n = 0;
            for (int s : queued) {
                slots[n++] = s;
            }
            queued.clear();
            return n;
        }

        @Override
        public void complete(Request r, int slot, int result) {
            ((SysRequest) r).completeFromRing(result);
        }

        @Override
        public void abandon(Request r, int slot) {}

        @Override
        public boolean canTryNow(Object call) {
            return false;
        }

        @Override
        public int tryNow(Request r) {
            return WOULD_BLOCK;
        }

        @Override
        public void wake() {}

        @Override
        public void close() {
            closes++;
        }
    }

    private static Scheduler scheduler() {
        return new Scheduler("aio-test", 2, 4, TimeUnit.SECONDS.toNanos(10), 0, 0, 0, null, false);
    }

    /** Submits {@code n} ring requests whose worker execution returns {@link #WORKER_RESULT}; their values go to {@code out}. */
    private static void submit(Scheduler s, int n, List<Object> out) {
        AioCallback<Object> cb = r -> out.add(r.value());
        for (int i = 0; i < n; i++) {
            SysRequest r = new SysRequest(s, 0, cb, Op.READ, null, new NioSyscalls(), (SysRequest.Call) sys -> WORKER_RESULT);
            s.submit(r.viaRing(), s.next());
        }
    }

    // Ring requests complete through the ring (its result, not the worker's), more than its depth
    // of them; the ring thread exits on close and the ring is closed once.
    @Test
    void requestsCompleteThroughTheRing() {
        Scheduler s = scheduler();
        FakeRing ring = new FakeRing();
        s.attachRing(ring);
        List<Object> values = Collections.synchronizedList(new ArrayList<>());
        submit(s, 10, values);
        s.flush();
        assertThat(values).hasSize(10).containsOnly(FakeRing.RING_RESULT);
        assertThat(s.ringActive()).isTrue();
        assertThat(s.nreqs()).isZero();
        assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
        assertThat(ring.closes).isEqualTo(1);
    }

    // A ring that refuses a submission for good: the requests it did not take run on the workers,
    // as do all later ones; none is lost and none completes twice.
    @Test
    void aRefusingRingFallsBackToTheWorkers() {
        Scheduler s = scheduler();
        FakeRing ring = new FakeRing();
        s.attachRing(ring);
        List<Object> values = Collections.synchronizedList(new ArrayList<>());
        submit(s, 3, values);
        s.flush();
        assertThat(values).containsExactly(FakeRing.RING_RESULT, FakeRing.RING_RESULT, FakeRing.RING_RESULT);

        ring.refuse = true;
        values.clear();
        submit(s, 6, values);
        s.flush();
        assertThat(values).hasSize(6).containsOnly(WORKER_RESULT);
        assertThat(s.ringActive()).as("ring active after refusing").isFalse();
        int entered = ring.entered;
        values.clear();
        submit(s, 5, values);
        s.flush();
        assertThat(values).hasSize(5).containsOnly(WORKER_RESULT);
        assertThat(ring.entered).as("nothing more reaches the ring").isEqualTo(entered);
        assertThat(s.nreqs()).isZero();
        assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
        assertThat(ring.closes).isEqualTo(1);
    }

    /**
     * A ring whose requests may be tried: on the ring thread a try completes with {@link
     * #TRY_RESULT} while {@link #cached}, except the one numbered {@link #blocksAt} (from 1), else
     * would block.
     */
    static final class TryingRing extends FakeRing {
        static final int TRY_RESULT = 9;
        volatile boolean cached = true;
        volatile int blocksAt;
        final AtomicInteger ringTries = new AtomicInteger();

        @Override
        public boolean canTryNow(Object call) {
            return true;
        }

        @Override
        public int tryNow(Request r) {
            if (!Thread.currentThread().getName().endsWith("-ring")) {
                return WOULD_BLOCK; // a polling thread's try is not what these tests look at
            }
            if (ringTries.incrementAndGet() == blocksAt || !cached) {
                return WOULD_BLOCK;
            }
            ((SysRequest) r).completeFromRing(TRY_RESULT);
            return TRY_RESULT;
        }
    }

    /** Polls (without flush, which may try requests itself) until nothing is outstanding. */
    private static void pollAll(Scheduler s) {
        while (s.nreqs() > 0) {
            s.pollWait();
            s.pollCb();
        }
    }

    // The ring thread tries what the ring can try (a read of cached data) before it queues it in
    // the kernel: such requests complete with the try's result and the ring is never entered.
    @Test
    void theRingThreadCompletesCachedReadsWithoutTheKernelQueue() {
        Scheduler s = scheduler();
        TryingRing ring = new TryingRing();
        s.attachRing(ring);
        List<Object> values = Collections.synchronizedList(new ArrayList<>());
        submit(s, 10, values);
        pollAll(s);
        assertThat(values).hasSize(10).containsOnly(TryingRing.TRY_RESULT);
        assertThat(ring.ringTries).hasValue(10);
        assertThat(ring.entered).as("io_uring_enter calls").isZero();
        s.checkInvariants(List.of());
        assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
    }

    // A try that would block (the data is not cached) sends the request to the kernel's queue,
    // and the ring thread sends the next ones there untried for a while, not paying a failed try
    // for each read of an uncached file: one after the first such try, then twice as many after
    // each further one (1, 2, 4, 8 ... up to HELP_BACKOFF).
    @Test
    void triesThatWouldBlockSendTheNextOnesToTheKernelUntriedForLongerAndLonger() {
        Scheduler s = scheduler();
        TryingRing ring = new TryingRing();
        ring.cached = false;
        s.attachRing(ring);
        try {
            List<Object> values = Collections.synchronizedList(new ArrayList<>());
            submit(s, 1, values);
            pollAll(s);
            assertThat(values).containsExactly(FakeRing.RING_RESULT);
            assertThat(ring.ringTries).hasValue(1);
            submit(s, 30, values);
            pollAll(s);
            assertThat(values).hasSize(31).containsOnly(FakeRing.RING_RESULT);
            // Requests 0, 2, 5, 10 and 19 are tried; 1, 3-4, 6-9 and 11-18 go untried, then 20-30 (of 16).
            assertThat(ring.ringTries).as("tries among 31 reads of uncached data").hasValue(5);
            s.checkInvariants(List.of());
        } finally {
            assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
        }
    }

    // RWF_NOWAIT refuses an occasional read of cached data too: that read and the one after it
    // go to the kernel, and the ring thread tries the rest again (before, 256 cached reads went
    // to the kernel's queue after each such refusal).
    @Test
    void oneTryThatWouldBlockAmongCachedReadsSendsOnlyTheNextToTheKernel() {
        Scheduler s = scheduler();
        TryingRing ring = new TryingRing();
        ring.blocksAt = 3;
        s.attachRing(ring);
        try {
            List<Object> values = Collections.synchronizedList(new ArrayList<>());
            submit(s, 12, values);
            pollAll(s);
            assertThat(values).hasSize(12);
            assertThat(values.stream().filter(v -> v.equals(FakeRing.RING_RESULT)).count())
                    .as("reads completed by the kernel's queue: the refused one and the next").isEqualTo(2);
            assertThat(ring.ringTries).as("tries: all but the one after the refusal").hasValue(11);
            s.checkInvariants(List.of());
        } finally {
            assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
        }
    }

    // A ring never used is closed by close() itself (no ring thread was started).
    @Test
    void anUnusedRingIsClosedOnce() {
        Scheduler s = scheduler();
        FakeRing ring = new FakeRing();
        s.attachRing(ring);
        assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
        assertThat(ring.closes).isEqualTo(1);
        assertThat(ring.entered).isZero();
    }

    /**
     * A ring whose first enter blocks until the flushing thread tries a request itself; that try
     * makes the ring refuse the blocked submission for good, waits until the scheduler has seen
     * the ring break, and then answers that the request would block.
     */
    static final class BreaksWhileHelpedRing implements UringBackend {
        private final List<Integer> queued = new ArrayList<>();
        final CountDownLatch inEnter = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Scheduler scheduler;
        volatile boolean refuse;
        volatile boolean tried;

        @Override
        public int depth() {
            return 4;
        }

        @Override
        public boolean accepts(Object call) {
            return true;
        }

        @Override
        public int prepare(Request r, int slot) {
            queued.add(slot);
            return 0;
        }

        @Override
        public void prepareCancel(int slot) {}

        @Override
        public int enter(boolean wait, int[] slots, int[] results) {
            if (!queued.isEmpty()) {
                inEnter.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return refuse && !queued.isEmpty() ? -12 : 0;
        }

        @Override
        public int unsubmitted(int[] slots) {
            int n = 0;
            for (int s : queued) {
                slots[n++] = s;
            }
            queued.clear();
            return n;
        }

        @Override
        public void complete(Request r, int slot, int result) {
            ((SysRequest) r).completeFromRing(result);
        }

        @Override
        public void abandon(Request r, int slot) {}

        @Override
        public boolean canTryNow(Object call) {
            return true;
        }

        @Override
        public int tryNow(Request r) {
            if (Thread.currentThread().getName().endsWith("-ring")) {
                return WOULD_BLOCK; // the ring thread's own try, before it queues the request: uncached data
            }
            tried = true;
            refuse = true;
            release.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (scheduler.ringActive() && System.nanoTime() - until < 0) {
                Thread.onSpinWait(); // the ring thread breaks the ring on its refused enter
            }
            return WOULD_BLOCK;
        }

        @Override
        public void wake() {}

        @Override
        public void close() {}
    }

    // A ring request the flushing thread tried, and that would block, goes to the workers when the
    // ring broke meanwhile: it is not put back into the lane of the broken ring, where no thread
    // would take it (flush hung, and the invariant "a broken ring's lane is empty" failed).
    @Test
    void aRequestTriedWhileTheRingBreaksRunsOnTheWorkers() throws Exception {
        Scheduler s = scheduler();
        BreaksWhileHelpedRing ring = new BreaksWhileHelpedRing();
        ring.scheduler = s;
        s.attachRing(ring);
        List<Object> values = Collections.synchronizedList(new ArrayList<>());
        submit(s, 1, values); // taken by the ring thread, which blocks in enter
        assertThat(ring.inEnter.await(30, TimeUnit.SECONDS)).as("the ring thread entered").isTrue();
        submit(s, 1, values); // stays in the io_uring lane: the flushing thread tries it
        CountDownLatch flushed = new CountDownLatch(1);
        Thread flusher = new Thread(() -> {
            s.flush();
            flushed.countDown();
        }, "flusher");
        flusher.start();
        try {
            boolean done = flushed.await(30, TimeUnit.SECONDS);
            assertThat(ring.tried).as("the flushing thread tried the request").isTrue();
            s.checkInvariants(List.of());
            assertThat(done).as("flush returned").isTrue();
            assertThat(values).containsExactly(WORKER_RESULT, WORKER_RESULT);
        } finally {
            s.close(TimeUnit.SECONDS.toNanos(5)); // also when it failed: the flusher returns, no thread is left
            flusher.join();
        }
    }
    /**
     * A ring whose polling-thread tries complete until the {@link #blockAt}-th, which would block;
     * the ring thread's tries always would block (its requests go to the kernel, as in {@link
     * FakeRing}), and its first waits until the polling thread made {@link #blockAt} tries, so that
     * the polling thread finds the lane full and the ring thread takes nothing while it tries.
     */
    static final class PollerTriesRing extends FakeRing {
        static final int TRY_RESULT = 9;
        final int blockAt;
        final List<Integer> pollerTried = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch pollerDone = new CountDownLatch(1);
        final CountDownLatch ringInTry = new CountDownLatch(1);
        final List<Object> calls;
        volatile Thread poller;

        PollerTriesRing(int blockAt, List<Object> calls) {
            this.blockAt = blockAt;
            this.calls = calls;
        }

        @Override
        public boolean canTryNow(Object call) {
            return true;
        }

        @Override
        public int tryNow(Request r) {
            if (Thread.currentThread().getName().endsWith("-ring")) {
                ringInTry.countDown();
                try {
                    pollerDone.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Until the flushing thread, done trying, gave the rest back and waits for results.
                Thread p = poller;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (p != null && p.getState() != Thread.State.WAITING && System.nanoTime() - deadline < 0) {
                    Thread.onSpinWait();
                }
                return WOULD_BLOCK;
            }
            poller = Thread.currentThread();
            pollerTried.add(calls.indexOf(r.call()));
            if (pollerTried.size() >= blockAt) {
                pollerDone.countDown();
                return WOULD_BLOCK;
            }
            ((SysRequest) r).completeFromRing(TRY_RESULT);
            return TRY_RESULT;
        }
    }

    // The flushing thread tries cached reads in a batch taken under one lock. At the first try
    // that would block, that request and the batch's untried rest go back to the head of the lane
    // in their order, for the ring: each completes once, the ring's in submission order.
    @Test
    void theFlushingThreadTriesABatchAndGivesTheRestBackInOrder() throws InterruptedException {
        Scheduler s = scheduler();
        List<Object> calls = Collections.synchronizedList(new ArrayList<>());
        PollerTriesRing ring = new PollerTriesRing(6, calls);
        s.attachRing(ring);
        try {
            List<int[]> results = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 20; i++) {
                int index = i;
                SysRequest.Call call = sys -> index >= 0 ? WORKER_RESULT : 0; // capturing: one call object each
                calls.add(call);
                SysRequest r = new SysRequest(s, 0, res -> results.add(new int[] {index, (Integer) res.value()}),
                        Op.READ, null, new NioSyscalls(), call);
                s.submit(r.viaRing(), s.next());
            }
            // The ring thread holds what it took first, its first try waiting until the flushing
            // thread tried, gave back and waits: it takes nothing more meanwhile.
            assertThat(ring.ringInTry.await(30, TimeUnit.SECONDS)).as("the ring thread tries").isTrue();
            s.flush();
            // Its first batch: 6 tries, the sixth would block. It may try again after leaving one
            // request alone (then two, four...): those would block too and go back the same way.
            List<Integer> tried = List.copyOf(ring.pollerTried);
            assertThat(tried).as("the flushing thread's tries").hasSizeGreaterThanOrEqualTo(6);
            for (int i = 1; i < 6; i++) {
                assertThat(tried.get(i)).as("tries in lane order").isEqualTo(tried.get(i - 1) + 1);
            }
            assertThat(results).hasSize(20);
            List<Integer> byTry = new ArrayList<>();
            List<Integer> byRing = new ArrayList<>();
            for (int[] r : results) {
                (r[1] == PollerTriesRing.TRY_RESULT ? byTry : byRing).add(r[0]);
            }
            assertThat(byTry).as("completed by the flushing thread's tries")
                    .containsExactlyInAnyOrderElementsOf(tried.subList(0, 5));
            assertThat(byRing).as("the ring's, given back ones included, in submission order").hasSize(15).isSorted();
            assertThat(s.nreqs()).isZero();
            s.checkInvariants(List.of());
        } finally {
            ring.pollerDone.countDown();
            assertThat(s.close(TimeUnit.SECONDS.toNanos(5))).isTrue();
        }
    }
}
