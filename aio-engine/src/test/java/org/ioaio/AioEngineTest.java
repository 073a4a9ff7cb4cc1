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
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The request engine as IO::AIO's manual specifies it, without any filesystem call. */
@ExtendWith(EngineInvariants.class)
class AioEngineTest {

    /** A worker blocked until {@link #release}: lets tests hold the single worker still. */
    private static CountDownLatch blockOneWorker(AioEngine aio) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        aio.custom(() -> {
            started.countDown();
            release.await();
            return null;
        }, r -> {});
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    // "Requests with higher priority will be serviced first": one worker sees them in priority order, FIFO within one.
    @Test
    void priorityOrderSeenBySingleWorker() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(1).build()) {
            CountDownLatch release = blockOneWorker(aio);
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            int[] pris = {0, -4, 4, 2, -1, 4, 0, 3, -4, 1, -2, -3, 2};
            for (int i = 0; i < pris.length; i++) {
                String tag = pris[i] + "#" + i;
                aio.pri(pris[i]);
                aio.custom(() -> {
                    order.add(tag);
                    return null;
                }, r -> {});
            }
            assertThat(aio.nready()).isEqualTo(pris.length);
            release.countDown();
            aio.flush();
            List<String> expected = new ArrayList<>();
            for (int p = 4; p >= -4; p--) {
                for (int i = 0; i < pris.length; i++) {
                    if (pris[i] == p) {
                        expected.add(p + "#" + i);
                    }
                }
            }
            assertThat(order).containsExactlyElementsOf(expected);
            assertThat(aio.nreqs()).isZero();
        }
    }

    // aioreq_pri: clamps to -4..4 and resets to 0 after each request; aioreq_nice is cumulative.
    @Test
    void priorityIsClampedAndResetAfterEachRequest() {
        try (AioEngine aio = AioEngine.builder().build()) {
            assertThat(aio.pri(99)).isZero();
            assertThat(aio.pri()).isEqualTo(4);
            AioRequest high = aio.nop(r -> {});
            assertThat(high.priority()).isEqualTo(4);
            assertThat(aio.pri()).isZero();
            aio.pri(-99);
            assertThat(aio.nop(r -> {}).priority()).isEqualTo(-4);
            aio.nice(1);
            aio.nice(2);
            assertThat(aio.nop(r -> {}).priority()).isEqualTo(-3);
            aio.flush();
        }
    }

    // max_parallel 0: "aio requests get queued but not executed until the number of threads has been increased again".
    @Test
    void maxParallelZeroHoldsRequests() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < 20; i++) {
                aio.nop(r -> done.incrementAndGet());
            }
            assertThat(aio.nready()).isEqualTo(20);
            assertThat(aio.nthreads()).isZero();
            assertThat(aio.pollCb()).isZero();
            assertThat(done).hasValue(0);
            aio.maxParallel(2);
            aio.flush();
            assertThat(done).hasValue(20);
            assertThat(aio.nthreads()).isBetween(1, 2);
        }
    }

    // max_parallel n "kills" threads above n and "blocks until the limit is reached".
    @Test
    void maxParallelBlocksUntilThreadsExited() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(4).build()) {
            CyclicBarrier all = new CyclicBarrier(4);
            for (int i = 0; i < 4; i++) {
                aio.custom(() -> all.await(60, TimeUnit.SECONDS), r -> assertThat(r.ok()).isTrue());
            }
            aio.flush();
            assertThat(aio.nthreads()).isEqualTo(4);
            aio.maxParallel(1);
            assertThat(aio.nthreads()).isEqualTo(1);
            assertThat(aio.parallelism()).isEqualTo(1);
        }
    }

    // max_idle / idle_timeout: threads beyond max_idle exit after the idle timeout; max_idle of them stay.
    @Test
    void idleThreadsExitAfterIdleTimeoutDownToMaxIdle() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(6).maxIdle(2).idleTimeout(Duration.ofMillis(20)).build()) {
            CyclicBarrier all = new CyclicBarrier(6);
            for (int i = 0; i < 6; i++) {
                aio.custom(() -> all.await(60, TimeUnit.SECONDS), r -> {});
            }
            aio.flush();
            Await.until("surplus idle threads exit", () -> aio.nthreads() == 2);
            assertThat(aio.nthreads()).isEqualTo(2);
            // the kept ones still serve requests
            AtomicInteger done = new AtomicInteger();
            aio.nop(r -> done.incrementAndGet());
            aio.flush();
            assertThat(done).hasValue(1);
        }
    }

    // max_poll_reqs: one poll_cb processes at most that many results and returns -1; the rest wait.
    @Test
    void maxPollReqsBoundsOnePollCb() {
        try (AioEngine aio = AioEngine.builder().maxPollReqs(3).build()) {
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < 10; i++) {
                aio.nop(r -> done.incrementAndGet());
            }
            Await.until("all ten executed", () -> aio.npending() == 10);
            assertThat(aio.pollCb()).isEqualTo(-1);
            assertThat(done).hasValue(3);
            assertThat(aio.npending()).isEqualTo(7);
            assertThat(aio.poll()).isEqualTo(3);
            aio.maxPollReqs(0);
            assertThat(aio.pollCb()).isZero();
            assertThat(done).hasValue(10);
        }
    }

    // max_poll_time: poll_cb stops once the time is spent (checked after each request).
    @Test
    void maxPollTimeBoundsOnePollCb() {
        try (AioEngine aio = AioEngine.builder().maxPollTime(Duration.ofNanos(1)).build()) {
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                aio.nop(r -> done.incrementAndGet());
            }
            Await.until("all five executed", () -> aio.npending() == 5);
            assertThat(aio.pollCb()).isEqualTo(-1);
            assertThat(done).hasValue(1);
            aio.flush();
            assertThat(done).hasValue(5);
        }
    }

    // max_outstanding: poll_cb blocks until fewer than that many requests are outstanding (the manual's loop).
    @Test
    void maxOutstandingBlocksThePollFunctions() {
        try (AioEngine aio = AioEngine.builder().maxOutstanding(4).build()) {
            AtomicInteger done = new AtomicInteger();
            long most = 0;
            for (int i = 0; i < 200; i++) {
                aio.nop(r -> done.incrementAndGet());
                aio.pollCb();
                most = Math.max(most, aio.nreqs());
            }
            assertThat(most).isLessThan(4);
            aio.flush();
            assertThat(done).hasValue(200);
        }
    }

    // max_outstanding: a second thread's poll_cb stays blocked while the limit is exceeded.
    @Test
    void maxOutstandingPollCbWaitsForTheLimit() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).maxOutstanding(2).build()) {
            for (int i = 0; i < 5; i++) {
                aio.nop(r -> {});
            }
            CountDownLatch returned = new CountDownLatch(1);
            Thread poller = new Thread(() -> {
                aio.pollCb();
                returned.countDown();
            }, "test-poller");
            poller.start();
            assertThat(returned.await(50, TimeUnit.MILLISECONDS)).as("pollCb returned while 5 >= 2 outstanding").isFalse();
            aio.maxParallel(1);
            assertThat(returned.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(aio.nreqs()).isLessThan(2);
            poller.join();
            aio.flush();
        }
    }

    // nreqs / nready / npending / nthreads follow a request through its states.
    @Test
    void countersFollowTheStates() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(1).build()) {
            CountDownLatch release = blockOneWorker(aio);
            assertThat(aio.nreqs()).isEqualTo(1);
            assertThat(aio.nready()).isZero();
            AioRequest queued = aio.nop(r -> {});
            assertThat(queued.state()).isEqualTo(AioRequest.State.READY);
            assertThat(aio.nreqs()).isEqualTo(2);
            assertThat(aio.nready()).isEqualTo(1);
            assertThat(aio.nthreads()).isEqualTo(1);
            release.countDown();
            Await.until("both executed", () -> aio.npending() == 2);
            assertThat(queued.state()).isEqualTo(AioRequest.State.PENDING);
            assertThat(aio.nready()).isZero();
            AtomicReference<AioRequest.State> inside = new AtomicReference<>();
            AioRequest watched = aio.nop(r -> inside.set(r.request().state()));
            aio.flush();
            assertThat(inside).hasValue(AioRequest.State.RESULT);
            assertThat(watched.state()).isEqualTo(AioRequest.State.DONE);
            assertThat(aio.nreqs()).isZero();
            assertThat(aio.npending()).isZero();
        }
    }

    // Callbacks and future completions happen only inside pollCb, on the polling thread.
    @Test
    void callbacksAndFuturesCompleteOnThePollingThread() throws Exception {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicReference<Thread> cbThread = new AtomicReference<>();
            aio.nop(r -> cbThread.set(Thread.currentThread()));
            AioFuture<Void> f = aio.nop();
            AtomicReference<Thread> futureThread = new AtomicReference<>();
            f.thenRun(() -> futureThread.set(Thread.currentThread()));
            Await.until("executed", () -> aio.npending() == 2);
            assertThat(f).isNotDone();
            aio.pollCb();
            assertThat(cbThread).hasValue(Thread.currentThread());
            assertThat(futureThread).hasValue(Thread.currentThread());
            assertThat(f.get()).isNull();
            assertThat(f.request().operation()).isEqualTo("nop");
        }
    }

    // busy: occupies a worker for the given time, then completes normally.
    @Test
    void busyCompletesAfterItsTime() throws Exception {
        try (AioEngine aio = AioEngine.builder().build()) {
            AioFuture<Void> f = aio.busy(0.01);
            aio.flush();
            assertThat(f.get()).isNull();
            assertThat(f.request().operation()).isEqualTo("busy");
        }
    }

    // eio_custom: the task's value, its AioException's errno, EINTR and EIO for other exceptions.
    @Test
    void customRequestReportsValueOrErrno() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicReference<AioResult<String>> ok = new AtomicReference<>();
            aio.custom(() -> "value", r -> ok.set(snapshot(r)));
            AtomicReference<AioResult<Object>> enoent = new AtomicReference<>();
            aio.custom(() -> {
                throw new AioException(Errno.ENOENT.code(), "custom", "/nowhere");
            }, r -> enoent.set(snapshot(r)));
            AtomicReference<AioResult<Object>> boom = new AtomicReference<>();
            aio.custom(() -> {
                throw new IllegalStateException("boom");
            }, r -> boom.set(snapshot(r)));
            AioFuture<Object> failed = aio.custom(() -> {
                throw new AioException(Errno.EACCES.code(), "custom", "/x");
            });
            aio.flush();
            assertThat(ok.get().value()).isEqualTo("value");
            assertThat(ok.get().status()).isZero();
            assertThat(enoent.get().status()).isEqualTo(-1);
            assertThat(enoent.get().errno()).isEqualTo(Errno.ENOENT.code());
            assertThat(boom.get().errno()).isEqualTo(Errno.EIO.code());
            assertThat(boom.get().failure()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(Errno.EACCES.code()));
        }
    }

    /** Copies what a callback sees (the result object is the request, only valid inside it). */
    private static <T> AioResult<T> snapshot(AioResult<T> r) {
        long status = r.status();
        int errno = r.errno();
        T value = r.value();
        Throwable failure = r.failure();
        AioRequest request = r.request();
        return new AioResult<>() {
            @Override
            public long status() {
                return status;
            }

            @Override
            public int errno() {
                return errno;
            }

            @Override
            public T value() {
                return value;
            }

            @Override
            public Throwable failure() {
                return failure;
            }

            @Override
            public AioRequest request() {
                return request;
            }
        };
    }

    // A callback that throws is logged and counted; every other result is still delivered.
    @Test
    void throwingCallbackIsCountedAndOthersStillRun() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger done = new AtomicInteger();
            aio.nop(r -> done.incrementAndGet());
            aio.nop(r -> {
                throw new IllegalStateException("callback failure on purpose");
            });
            aio.nop(r -> done.incrementAndGet());
            aio.flush();
            assertThat(done).hasValue(2);
            assertThat(aio.callbackFailures()).isEqualTo(1);
            assertThat(aio.nreqs()).isZero();
        }
    }

    // A deadline that passes while the request is READY ends it as timed out: ETIMEDOUT, not a cancel.
    @Test
    void deadlineExpiresAReadyRequestAsTimedOut() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicReference<AioResult<Void>> seen = new AtomicReference<>();
            aio.timeout(Duration.ofMillis(5));
            AioRequest r = aio.nop(res -> seen.set(snapshot(res)));
            aio.timeout(Duration.ofMillis(5));
            AioFuture<Void> f = aio.nop();
            AioRequest untimed = aio.nop(res -> {});
            Await.until("both deadlines expired", () -> aio.npending() == 2);
            aio.pollCb();
            assertThat(seen.get()).isNotNull();
            assertThat(seen.get().errno()).isEqualTo(Errno.ETIMEDOUT.code());
            assertThat(seen.get().status()).isEqualTo(-1);
            assertThat(r.isTimedOut()).isTrue();
            assertThat(r.isCancelled()).isFalse();
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
            assertThat(f.isCancelled()).isFalse();
            assertThat(aio.timeouts()).isEqualTo(2);
            assertThat(untimed.state()).isEqualTo(AioRequest.State.READY);
            aio.maxParallel(1);
            aio.flush();
            assertThat(untimed.isTimedOut()).isFalse();
        }
    }

    // A deadline does not touch a request that already started executing, even once it has passed.
    @Test
    void deadlineDoesNotAffectAnExecutingRequest() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(1).build()) {
            aio.nop();
            aio.flush(); // the worker exists and idles, so the next request starts at once
            CountDownLatch release = new CountDownLatch(1);
            long t0 = System.nanoTime();
            aio.timeout(Duration.ofMillis(500));
            AioFuture<String> executing = aio.custom(() -> {
                release.await();
                return "ran";
            });
            Await.until("executing", () -> executing.request().state() == AioRequest.State.EXECUTE);
            Await.until("its deadline has passed", () -> System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(600));
            aio.timeout(Duration.ofNanos(1));
            AioFuture<Void> later = aio.nop();
            // the timer handles deadlines in order: once the later one expired, the earlier one was seen too
            Await.until("the later deadline expired", () -> later.request().isTimedOut());
            release.countDown();
            aio.flush();
            assertThat(executing.get()).isEqualTo("ran");
            assertThat(executing.request().isTimedOut()).isFalse();
            assertThat(aio.timeouts()).isEqualTo(1);
        }
    }

    // Bad input: null callbacks or tasks, negative or NaN durations are refused at the call and queue nothing.
    @Test
    void badArgumentsAreRefusedAndQueueNothing() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            assertThatThrownBy(() -> aio.nop(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callback");
            assertThatThrownBy(() -> aio.busy(-1, r -> {})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busy");
            assertThatThrownBy(() -> aio.busy(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.busy(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.custom(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task");
            assertThatThrownBy(() -> aio.custom(() -> 1, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.group(null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> aio.timeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
            assertThatThrownBy(() -> aio.maxParallel(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParallel");
            assertThatThrownBy(() -> aio.minParallel(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minParallel");
            assertThatThrownBy(() -> aio.maxIdle(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxIdle");
            assertThatThrownBy(() -> aio.idleTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
            assertThatThrownBy(() -> aio.maxOutstanding(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutstanding");
            assertThatThrownBy(() -> aio.maxPollReqs(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPollReqs");
            assertThatThrownBy(() -> aio.maxPollTime(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPollTime");
            assertThatThrownBy(() -> aio.maxPollTime(null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(aio.nreqs()).isZero();
            assertThat(aio.nready()).isZero();
        }
        assertThatThrownBy(() -> AioEngine.builder().minParallel(4).maxParallel(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParallel (2)").hasMessageContaining("minParallel (4)");
        assertThatThrownBy(() -> AioEngine.builder().idleTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AioEngine.builder().name(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    // IO::AIO is not reentrant: poll functions and close from inside a callback are refused.
    @Test
    void pollFunctionsFromInsideACallbackAreRefused() {
        try (AioEngine aio = AioEngine.builder().build()) {
            List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
            aio.nop(r -> {
                for (Runnable call : List.<Runnable>of(aio::pollCb, aio::poll, aio::flush, aio::close)) {
                    try {
                        call.run();
                    } catch (IllegalStateException e) {
                        refused.add(e);
                    }
                }
            });
            aio.flush();
            assertThat(refused).hasSize(4).allSatisfy(e -> assertThat(e).hasMessageContaining("inside a callback"));
            assertThat(aio.isClosed()).isFalse();
        }
    }

    // A future's join or get on the thread that polls its engine is refused, nothing waited for:
    // inside a callback, a future's stage or a group's init its result could only be delivered by
    // that very thread once it returns, so the wait would never end and no other result would be
    // delivered meanwhile (before, the engine hung there for good). A finished future's join there
    // still returns its value, one given a timeout is waited for (the timeout ends the wait), and
    // elsewhere join waits as CompletableFuture's does.
    @Test
    void waitingForAnUnfinishedFutureWhereOnlyThisThreadCouldFinishItIsRefused() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AioFuture<Integer> finished = aio.custom(() -> 7);
            aio.flush();
            List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
            // On a thread of its own, so that a wait that never ends fails the test rather than hang it.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                aio.nop(r -> {
                    AioFuture<Void> inner = aio.nop();
                    outcomes.add("callback join: " + refusal(inner::join));
                    outcomes.add("callback get: " + refusal(inner::get));
                    outcomes.add("callback timed get: " + refusal(() -> inner.get(1, TimeUnit.SECONDS)));
                    outcomes.add("callback join of a finished future: " + finished.join());
                    outcomes.add("callback join with a timeout: "
                            + refusal(() -> aio.custom(() -> 9).completeOnTimeout(-1, 20, TimeUnit.MILLISECONDS).join()));
                });
                aio.nop().thenAccept(v -> outcomes.add("stage join: " + refusal(aio.nop()::join)));
                aio.group(g -> outcomes.add("group init join: " + refusal(aio.nop()::join)), null);
                aio.flush();
            }, "waits inside callbacks, a stage and a group's init");
            assertThat(outcomes).containsExactlyInAnyOrder(
                    "callback join: refused", "callback get: refused", "callback timed get: refused",
                    "callback join of a finished future: 7", "callback join with a timeout: returned -1",
                    "stage join: refused", "group init join: refused");
            assertThat(joinWhileAnotherThreadPolls(aio, aio.custom(() -> 8))).as("join on a thread that does not poll").isEqualTo(8);
        }
    }

    // The same for the stages that depend on such a future, at any depth: they complete only after it
    // (before, aio.nop().thenApply(f).join() in a callback hung the engine as the future's own join did).
    // A stage another future may complete (an ...Either whose other stage finishes elsewhere), or given a
    // timeout, is waited for; so is a stage of a finished future, and any stage on a thread that does not poll.
    @Test
    void waitingForAStageOfSuchAFutureIsRefusedToo() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AioFuture<Integer> finished = aio.custom(() -> 7);
            aio.flush();
            List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                aio.nop(r -> {
                    AioFuture<Integer> inner = aio.custom(() -> 3);
                    outcomes.add("thenApply join: " + refusal(inner.thenApply(x -> x + 1)::join));
                    outcomes.add("thenApply get: " + refusal(inner.thenApply(x -> x + 1)::get));
                    outcomes.add("two stages deep: " + refusal(inner.thenApply(x -> x + 1).handle((x, e) -> x).thenAccept(x -> { })::join));
                    outcomes.add("thenCombine: " + refusal(inner.thenCombine(finished, Integer::sum)::join));
                    outcomes.add("thenCompose: " + refusal(inner.thenCompose(x -> finished)::join));
                    outcomes.add("exceptionally: " + refusal(inner.exceptionally(e -> -1)::join));
                    // completed by a thread of its own (not the common pool, whose idle workers linger for a minute)
                    CompletableFuture<Integer> other = new CompletableFuture<>();
                    Thread completer = new Thread(() -> {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                        other.complete(5);
                    }, "completer");
                    completer.start();
                    outcomes.add("applyToEither, the other finishing elsewhere: " + refusal(inner.applyToEither(other, x -> x)::join));
                    outcomes.add("a stage of it: " + refusal(inner.applyToEither(other, x -> x).thenApply(x -> x * 2)::join));
                    outcomes.add("with a timeout: " + refusal(() -> inner.thenApply(x -> x).completeOnTimeout(-1, 20, TimeUnit.MILLISECONDS).join()));
                    outcomes.add("a stage of a finished future: " + refusal(finished.thenApply(x -> x * 10)::join));
                });
                aio.flush();
            }, "waits for stages inside a callback");
            assertThat(outcomes).containsExactly(
                    "thenApply join: refused", "thenApply get: refused", "two stages deep: refused", "thenCombine: refused",
                    "thenCompose: refused", "exceptionally: refused",
                    "applyToEither, the other finishing elsewhere: returned 5", "a stage of it: returned 10",
                    "with a timeout: returned -1", "a stage of a finished future: returned 70");
            assertThat(joinWhileAnotherThreadPolls(aio, aio.custom(() -> 8).thenApply((Integer x) -> x + 1)).intValue())
                    .as("a stage's join on a thread that does not poll").isEqualTo(9);
        }
    }

    // A custom task that waits (join, get) for another request of its engine lends its worker out: with
    // maxParallel 2 and every worker in such a task, the requests they wait for still run (before, none
    // was left to run them and the engine hung for good, as a fixed thread pool does); the flushing
    // thread cannot run them either (custom tasks run user code). Once the waits are over, the threads
    // above the limit quit.
    @Test
    void customTasksWaitingForRequestsOfTheirEngineNeverStarveIt() {
        try (AioEngine aio = AioEngine.builder().minParallel(2).maxParallel(2).build()) {
            List<AioFuture<Integer>> outer = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < 6; i++) {
                    int k = i;
                    // three levels: each waits for a task that waits for one more; join, a stage's join, get
                    outer.add(aio.custom(() -> aio.custom(() -> aio.custom(() -> k).get() * 10).thenApply(x -> x + 1).join()));
                }
                aio.flush();
            }, "custom tasks waiting for requests of their engine");
            assertThat(outer).extracting(AioFuture::join).containsExactly(1, 11, 21, 31, 41, 51);
            aio.checkInvariants(List.of());
            Await.until("the threads above maxParallel quit", () -> aio.nthreads() <= 2);
            aio.checkInvariants(List.of());
        }
    }

    // maxParallel lowered while every worker runs a task asks one to quit; a task that then starts waiting for a
    // request of its own lends its worker out, which takes that quit request back: the other worker, once its task
    // ends, runs the request waited for instead of quitting and leaving it queued with nobody to start a thread.
    @Test
    void aQuitRequestedByMaxParallelIsTakenBackWhenAWorkerIsLentOut() throws Exception {
        try (AioEngine aio = AioEngine.builder().minParallel(2).maxParallel(2).build()) {
            CountDownLatch running = new CountDownLatch(2);
            CountDownLatch lend = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            AioFuture<Integer> a = aio.custom(() -> {
                running.countDown();
                lend.await();
                return aio.custom(() -> 1).join();
            });
            AioFuture<Integer> b = aio.custom(() -> {
                running.countDown();
                finish.await();
                return 2;
            });
            assertThat(running.await(30, TimeUnit.SECONDS)).as("both tasks running").isTrue();
            Thread lowering = new Thread(() -> aio.maxParallel(1), "lowering");
            lowering.start();
            Await.until("maxParallel(1) waits for a thread to quit", () -> lowering.getState() == Thread.State.WAITING);
            lend.countDown();
            Await.until("maxParallel(1) returned: the lent worker raised the limit", () -> !lowering.isAlive());
            finish.countDown();
            assertTimeoutPreemptively(Duration.ofSeconds(30), (org.junit.jupiter.api.function.Executable) aio::flush,
                    "the request the lent worker waits for was left queued");
            assertThat(a.join()).isEqualTo(1);
            assertThat(b.join()).isEqualTo(2);
            aio.checkInvariants(List.of());
            Await.until("one thread left, as maxParallel(1) asks", () -> aio.nthreads() <= 1);
        }
    }

    /** {@code f}'s join on this thread while another thread flushes {@code aio}: a wait off the polling thread. */
    private static <T> T joinWhileAnotherThreadPolls(AioEngine aio, CompletableFuture<T> f) {
        Thread poller = new Thread(aio::flush, "poller");
        poller.start();
        T value = f.join();
        Await.until("the poller returned", () -> !poller.isAlive());
        return value;
    }

    /** "refused" when {@code wait} throws IllegalStateException saying it would never return; what it did otherwise. */
    private static String refusal(java.util.concurrent.Callable<?> wait) {
        try {
            return "returned " + wait.call();
        } catch (IllegalStateException e) {
            return e.getMessage().contains("would never return") ? "refused" : "other refusal: " + e.getMessage();
        } catch (Exception e) {
            return "threw " + e;
        }
    }

    // A request created inside a callback is a normal request; flush waits for it too.
    @Test
    void requestsFromCallbacksAreProcessedByTheSameFlush() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger depth = new AtomicInteger();
            AtomicReference<AioCallback<Void>> chain = new AtomicReference<>();
            chain.set(r -> {
                if (depth.incrementAndGet() < 50) {
                    aio.nop(chain.get());
                }
            });
            aio.nop(chain.get());
            aio.flush();
            assertThat(depth).hasValue(50);
        }
    }

    // The listener sees every execution (operation, errno) and every request that left the queue unexecuted.
    @Test
    void listenerSeesExecutionsAndSkippedRequests() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        AioListener listener = new AioListener() {
            @Override
            public void executed(String operation, long waitNanos, long executionNanos, int errno) {
                assertThat(waitNanos).isNotNegative();
                assertThat(executionNanos).isNotNegative();
                seen.add(operation + ":" + errno);
            }

            @Override
            public void skipped(String operation, long waitNanos, boolean timedOut) {
                seen.add(operation + (timedOut ? ":timed out" : ":cancelled"));
            }
        };
        try (AioEngine aio = AioEngine.builder().maxParallel(0).listener(listener).build()) {
            aio.nop(r -> {}).cancel();
            aio.timeout(Duration.ofNanos(1));
            aio.nop(r -> {});
            Await.until("deadline expired", () -> aio.timeouts() == 1);
            aio.custom(() -> {
                throw new AioException(Errno.ENOENT.code(), "custom", null);
            }, r -> {});
            aio.nop(r -> {});
            aio.maxParallel(1);
            aio.flush();
            assertThat(seen).containsExactlyInAnyOrder("nop:cancelled", "nop:timed out", "custom:" + Errno.ENOENT.code(), "nop:0");
        }
    }

    // oldestReadyAge tells how long the oldest queued request has waited, when times are recorded.
    @Test
    void oldestReadyAgeIsKnownWhenTimesAreRecorded() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).recordTimes(true).build();
                AioEngine untimed = AioEngine.builder().build()) {
            assertThat(aio.oldestReadyAge()).isEqualTo(Duration.ZERO);
            assertThat(untimed.oldestReadyAge()).isNull();
            aio.pri(-4);
            aio.nop(r -> {});
            long t0 = System.nanoTime(); // after the submission: its recorded time is earlier
            Await.until("some time passed", () -> System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(20));
            aio.pri(4);
            aio.nop(r -> {});
            assertThat(aio.oldestReadyAge()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            aio.maxParallel(1);
            aio.flush();
            assertThat(aio.oldestReadyAge()).isEqualTo(Duration.ZERO);
        }
    }

    // An interrupt ends flush's wait early with the interrupt status set, so a stuck poller can be stopped.
    @Test
    void interruptEndsAFlushThatCannotFinish() throws Exception {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            aio.nop(r -> {});
            AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
            Thread flusher = new Thread(() -> {
                aio.flush();
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            }, "test-flusher");
            flusher.start();
            Await.until("flusher waiting", () -> flusher.getState() == Thread.State.WAITING);
            flusher.interrupt();
            flusher.join();
            assertThat(interruptedAfter).hasValue(true);
            assertThat(aio.nreqs()).isEqualTo(1);
            aio.maxParallel(1);
            aio.flush();
        }
    }
}
