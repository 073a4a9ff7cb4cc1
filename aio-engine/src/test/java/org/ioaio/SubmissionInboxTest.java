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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler's submission inbox: a request for the workers is pushed without a lock and moved
 * into the ready queues by whoever takes from them (or by the submitter once the inbox is deep).
 * What must hold: nothing submitted is lost or run twice, even against close; a request still in
 * the inbox is counted, cancellable and expires like a queued one; priorities still order
 * execution and delivery.
 */
@ExtendWith(EngineInvariants.class)
class SubmissionInboxTest {

    // Threads submitting while another closes: each submission is either refused (IllegalStateException)
    // or delivered exactly once (its callback, or cancelled), and nothing stays outstanding. Close
    // reports itself clean even when a refused submitter still holds its request's count for a
    // moment (RefusedSubmissionTest takes those steps one at a time).
    @Test
    void submittersRacingCloseLoseNoRequest() throws Exception {
        for (int round = 0; round < 20; round++) {
            AioEngine aio = AioEngine.builder().minParallel(2).maxParallel(2).closeGracePeriod(Duration.ofSeconds(30)).build();
            AtomicLong accepted = new AtomicLong();
            AtomicLong delivered = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AioCallback<Void> count = new AioCallback<>() {
                @Override
                public void onResult(AioResult<Void> r) {
                    delivered.incrementAndGet();
                }

                @Override
                public void cancelled(AioRequest r) {
                    delivered.incrementAndGet();
                }
            };
            CountDownLatch started = new CountDownLatch(3);
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread th = new Thread(() -> {
                    started.countDown();
                    for (;;) {
                        try {
                            aio.nop(count);
                            accepted.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                }, "submitter-" + t);
                th.start();
                submitters.add(th);
            }
            started.await();
            Await.until("some requests accepted", () -> accepted.get() > 1000);
            long closing = System.nanoTime();
            boolean clean = aio.close(Duration.ofSeconds(30));
            assertThat(clean).as("close clean in round %d (after %d ms: %s)", round,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing), aio).isTrue();
            for (Thread th : submitters) {
                th.join();
            }
            assertThat(refused.get()).isEqualTo(3);
            assertThat(delivered.get()).isEqualTo(accepted.get());
            assertThat(aio.nreqs()).isZero();
            aio.checkInvariants(List.of());
        }
    }

    // With no worker running, submitted requests wait in the inbox: nready counts them, the
    // invariants see them SUBMITTED, a cancel delivers one at once, a deadline expires one.
    @Test
    void aRequestStillInTheInboxIsCountedCancelledAndExpired() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger cancelled = new AtomicInteger();
            AtomicInteger timedOut = new AtomicInteger();
            AioCallback<Void> cb = new AioCallback<>() {
                @Override
                public void onResult(AioResult<Void> r) {
                    if (r.request().isTimedOut()) {
                        timedOut.incrementAndGet();
                    } else {
                        ran.incrementAndGet();
                    }
                }

                @Override
                public void cancelled(AioRequest r) {
                    cancelled.incrementAndGet();
                }
            };
            List<AioRequest> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(aio.nop(cb));
            }
            // Long enough that it has not expired when nready is read just below (1 ms had, once, on
            // a loaded machine), short enough for the wait further down.
            aio.timeout(Duration.ofMillis(500));
            AioRequest expiring = aio.nop(cb);
            all.add(expiring);
            assertThat(aio.nready()).isEqualTo(5);
            aio.checkInvariants(all);

            all.get(1).cancel();
            Await.until("the cancelled one and the expired one delivered", () -> aio.npending() == 2);
            assertThat(aio.nready()).isEqualTo(3);
            aio.checkInvariants(all);
            aio.pollCb();
            assertThat(cancelled.get()).isEqualTo(1);
            assertThat(timedOut.get()).isEqualTo(1);
            assertThat(expiring.isTimedOut()).isTrue();
            assertThat(ran.get()).isZero();

            aio.maxParallel(1);
            aio.flush();
            assertThat(ran.get()).isEqualTo(3);
            aio.checkInvariants(all);
        }
    }

    // Requests submitted while no worker runs execute by priority, FIFO within one, whichever of
    // them a worker moved from the inbox first; results come back in the same order.
    @Test
    void priorityAndFifoOrderSurviveTheInbox() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            List<String> executed = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> delivered = new ArrayList<>();
            int[] pris = {0, -2, 4, 0, 4, -2, 1};
            for (int i = 0; i < pris.length; i++) {
                String name = pris[i] + ":" + i;
                aio.pri(pris[i]);
                aio.custom(() -> {
                    executed.add(name);
                    return null;
                }, r -> delivered.add(name));
            }
            aio.maxParallel(1);
            aio.flush();
            List<String> expected = List.of("4:2", "4:4", "1:6", "0:0", "0:3", "-2:1", "-2:5");
            assertThat(executed).containsExactlyElementsOf(expected);
            assertThat(delivered).containsExactlyElementsOf(expected);
        }
    }
}
