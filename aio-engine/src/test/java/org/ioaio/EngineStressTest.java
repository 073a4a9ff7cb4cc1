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

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DESIGN.md's invariants under load: several submitting threads, random cancels, groups with
 * feeders, a poller driven by the poll channel through a Selector. Every accepted request reaches
 * DONE once; its callback runs exactly once unless cancelled (never twice); every future completes;
 * {@code nreqs()} returns to 0; no thread is left after close. The scheduler's invariants are
 * checked at random points while it runs and after every phase.
 */
@ExtendWith(EngineInvariants.class)
class EngineStressTest {

    private static final int SUBMITTERS = 4;
    private static final int PER_SUBMITTER = 30_000;
    private static final int GROUP_MEMBERS = 20;

    /** What one submitted unit was, so its outcome can be checked at the end. */
    private record Tracked(int id, AioRequest request, CompletableFuture<?> future) {}

    @Test
    void everyCallbackExactlyOnceUnlessCancelledAndCountersReturnToZero() throws Exception {
        // ids: one per request, members of groups included
        int capacity = SUBMITTERS * PER_SUBMITTER * (GROUP_MEMBERS + 1);
        AtomicIntegerArray calls = new AtomicIntegerArray(capacity);
        ConcurrentLinkedQueue<Tracked> tracked = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AioEngine aio = AioEngine.builder().minParallel(4).maxIdle(2).build();
        AtomicBoolean submitting = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();

        Thread poller = new Thread(() -> {
            try (Selector selector = Selector.open()) {
                aio.pollChannel().register(selector, SelectionKey.OP_READ);
                while (submitting.get() || aio.nreqs() > 0) {
                    selector.select(10);
                    selector.selectedKeys().clear();
                    aio.pollCb();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "stress-poller");
        poller.start();

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            int base = s * PER_SUBMITTER * (GROUP_MEMBERS + 1);
            long seed = 42 + s;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    submit(aio, new SplittableRandom(seed), base, calls, tracked, checks);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "stress-submitter-" + s);
            submitters.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : submitters) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        aio.checkInvariants(List.of()); // phase: every request submitted, the poller still busy
        submitting.set(false);
        poller.join();
        assertThat(failure.get()).isNull();
        assertThat(checks.get()).as("invariant checks while submitting").isPositive();

        List<AioRequest> all = new ArrayList<>();
        tracked.forEach(t -> all.add(t.request));
        aio.checkInvariants(all);
        assertThat(aio.nreqs()).isZero();
        assertThat(aio.nready()).isZero();
        assertThat(aio.npending()).isZero();
        int checked = 0;
        for (Tracked t : tracked) {
            int n = calls.get(t.id);
            assertThat(n).as("callbacks of %s", t.request).isLessThanOrEqualTo(1);
            if (!t.request.isCancelled()) {
                assertThat(n).as("callbacks of %s", t.request).isEqualTo(1);
            }
            assertThat(t.request.state()).isEqualTo(AioRequest.State.DONE);
            if (t.future != null) {
                assertThat(t.future).isDone();
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(SUBMITTERS * PER_SUBMITTER);
        assertThat(aio.callbackFailures()).isZero();
        assertThat(aio.close(java.time.Duration.ofSeconds(60))).isTrue();
        aio.checkInvariants(all);
        assertThat(aio.nthreads()).isZero();
    }

    private static void submit(AioEngine aio, SplittableRandom rnd, int base, AtomicIntegerArray calls,
            ConcurrentLinkedQueue<Tracked> tracked, java.util.concurrent.atomic.AtomicLong checks) {
        int next = base;
        List<AioRequest> recent = new ArrayList<>();
        for (int i = 0; i < PER_SUBMITTER; i++) {
            aio.pri(rnd.nextInt(-4, 5));
            int kind = rnd.nextInt(10);
            AioRequest req;
            if (kind < 5) {
                int id = next++;
                req = aio.nop(r -> calls.incrementAndGet(id));
                tracked.add(new Tracked(id, req, null));
            } else if (kind < 7) {
                int id = next++;
                // half of them wait on their worker for a task of their own: the worker is lent out meanwhile
                AioFuture<Integer> f = rnd.nextBoolean() ? aio.custom(() -> id) : aio.custom(() -> aio.custom(() -> id).join());
                f.thenAccept(v -> calls.incrementAndGet(v));
                req = f.request();
                tracked.add(new Tracked(id, req, f));
            } else if (kind < 9) {
                int groupId = next++;
                int first = next;
                next += GROUP_MEMBERS;
                int[] fed = {0};
                AioGroup g = aio.group(grp -> {
                    grp.limit(1 + rnd.nextInt(4));
                    grp.feed(feeding -> {
                        if (fed[0] < GROUP_MEMBERS) {
                            int id = first + fed[0]++;
                            AioRequest m = aio.nop(r -> calls.incrementAndGet(id));
                            feeding.add(m);
                            tracked.add(new Tracked(id, m, null));
                        }
                    });
                }, r -> calls.incrementAndGet(groupId));
                req = g;
                tracked.add(new Tracked(groupId, g, null));
            } else {
                int id = next++;
                req = aio.busy(0, r -> calls.incrementAndGet(id));
                tracked.add(new Tracked(id, req, null));
            }
            recent.add(req);
            if (recent.size() > 64) {
                recent.remove(0);
            }
            if (rnd.nextInt(8) == 0) {
                recent.get(rnd.nextInt(recent.size())).cancel();
            }
            if (rnd.nextInt(2048) == 0) {
                aio.checkInvariants(List.of()); // at a random point, while others submit and poll
                checks.incrementAndGet();
            }
        }
    }

    /** How long the held-cancel stress runs: {@code -Daio.stress.seconds}, 8 s by default. */
    private static final long HELD_STRESS_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(
            Long.getLong("aio.stress.seconds", 8));

    // Issue #14's cancel races under load: requests cancelled while held in a group's init,
    // groups cancelled from another thread while their feeders run, composites (scandir, rmtree,
    // copyTree) cancelled mid-walk, all beside plain requests at every priority. The scheduler's
    // invariants are checked at random points while it runs, and for every request at the end;
    // every request reaches DONE, callbacks run at most once and exactly once unless cancelled,
    // and stats answer truly (ENOENT for a missing path). Run on the workers, and with every
    // operation routed through io_uring where it is available.
    @org.junit.jupiter.params.ParameterizedTest(name = "io_uring for every operation: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void cancelsOfHeldRequestsAndCompositesMidWalkKeepTheQueuesWhole(boolean ring,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        AioEngine.Builder builder = AioEngine.builder().minParallel(4).maxIdle(2);
        if (ring) {
            org.junit.jupiter.api.Assumptions.assumeTrue(org.ioaio.internal.Platform.nativeLayer().available(),
                    "native backend not available: " + org.ioaio.internal.Platform.nativeLayer().reason());
            builder.backend(AioBackend.NATIVE).ioUring(IoUringMode.AUTO)
                    .ioUringOps(java.util.EnumSet.allOf(IoUringOp.class));
        }
        java.nio.file.Path tree = tmp.resolve("tree");
        makeTree(tree);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ConcurrentLinkedQueue<Tracked> tracked = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> calls =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReferenceArray<AioRequest> recent =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(256);
        java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
        AioEngine aio = builder.build();
        if (ring) {
            boolean active = aio.ioUring();
            if (!active) {
                aio.close();
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(active, "io_uring not available on this machine");
        }
        try {
            heldStress(aio, tree, tmp, failure, tracked, calls, ids, recent, checks);
        } finally {
            aio.close(java.time.Duration.ofSeconds(5)); // also when an assertion failed: no thread left behind
        }
    }

    private void heldStress(AioEngine aio, java.nio.file.Path tree, java.nio.file.Path tmp,
            AtomicReference<Throwable> failure, ConcurrentLinkedQueue<Tracked> tracked,
            java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> calls,
            java.util.concurrent.atomic.AtomicInteger ids, java.util.concurrent.atomic.AtomicReferenceArray<AioRequest> recent,
            java.util.concurrent.atomic.AtomicLong checks) throws Exception {
        AtomicBoolean submitting = new AtomicBoolean(true);
        long until = System.nanoTime() + HELD_STRESS_NANOS;

        // Every loop ends once a failure is recorded, and the poller waits with a timeout (through
        // the poll channel), so a lost request fails the test with a message instead of hanging it.
        Thread poller = new Thread(() -> {
            try (Selector selector = Selector.open()) {
                aio.pollChannel().register(selector, SelectionKey.OP_READ);
                while ((submitting.get() || aio.nreqs() > 0) && failure.get() == null) {
                    selector.select(10);
                    selector.selectedKeys().clear();
                    aio.pollCb();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "stress-poller");
        Thread canceller = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(7);
            try {
                while (submitting.get() && failure.get() == null) {
                    AioRequest r = recent.get(rnd.nextInt(recent.length()));
                    if (r != null) {
                        r.cancel();
                    }
                    if (rnd.nextInt(64) == 0) {
                        aio.checkInvariants(List.of());
                        checks.incrementAndGet();
                    }
                    Thread.onSpinWait();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "stress-canceller");
        poller.start();
        canceller.start();
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            long seed = 100 + s;
            int me = s;
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                int n = 0;
                try {
                    while (System.nanoTime() - until < 0 && failure.get() == null) {
                        AioRequest r = submitHeld(aio, rnd, tree, tmp.resolve("w" + me + "-" + n++), ids, calls, tracked);
                        recent.set(rnd.nextInt(recent.length()), r);
                        long stuckSince = System.nanoTime();
                        while (aio.nreqs() > 20_000 && failure.get() == null) {
                            // bounded backlog: the poller keeps up, unless requests are lost
                            if (System.nanoTime() - stuckSince > java.util.concurrent.TimeUnit.SECONDS.toNanos(30)) {
                                throw new AssertionError("the backlog never drained: requests lost? " + aio);
                            }
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "stress-submitter-" + s);
            submitters.add(t);
            t.start();
        }
        for (Thread t : submitters) {
            t.join();
        }
        aio.checkInvariants(List.of()); // phase: submissions over, the canceller and poller still running
        submitting.set(false);
        canceller.join();
        poller.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(60));
        if (poller.isAlive()) {
            failure.compareAndSet(null, new AssertionError("requests never finished (lost?): " + aio));
            poller.join();
        }
        assertThat(failure.get()).isNull();
        List<AioRequest> all = new ArrayList<>();
        for (Tracked t : tracked) {
            all.add(t.request);
        }
        aio.checkInvariants(all);
        assertThat(aio.nreqs()).isZero();
        assertThat(aio.nready()).isZero();
        for (Tracked t : tracked) {
            java.util.concurrent.atomic.AtomicInteger c = calls.get(t.id);
            int n = c == null ? 0 : c.get();
            assertThat(t.request.state()).as("state of %s", t.request).isEqualTo(AioRequest.State.DONE);
            assertThat(n).as("callbacks of %s", t.request).isLessThanOrEqualTo(1);
            if (!t.request.isCancelled()) {
                assertThat(n).as("callbacks of %s", t.request).isEqualTo(1);
            }
        }
        assertThat(checks.get()).as("invariant checks while running").isPositive();
        assertThat(aio.callbackFailures()).isZero();
        assertThat(aio.close(java.time.Duration.ofSeconds(30))).isTrue();
        aio.checkInvariants(all);
    }

    /** A small tree: 3 directories of 3 files each. */
    private static void makeTree(java.nio.file.Path root) throws java.io.IOException {
        for (int d = 0; d < 3; d++) {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(root.resolve("d" + d));
            for (int f = 0; f < 3; f++) {
                java.nio.file.Files.write(dir.resolve("f" + f), new byte[] {(byte) f});
            }
        }
    }

    private static AioRequest submitHeld(AioEngine aio, SplittableRandom rnd, java.nio.file.Path tree,
            java.nio.file.Path scratch, java.util.concurrent.atomic.AtomicInteger ids,
            java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> calls,
            ConcurrentLinkedQueue<Tracked> tracked) throws java.io.IOException {
        aio.pri(rnd.nextInt(-4, 5));
        int kind = rnd.nextInt(100);
        int id = ids.incrementAndGet();
        AioCallback<Object> count = r -> calls.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        AioRequest req;
        if (kind < 50) {
            req = aio.nop(r -> count.onResult(null));
        } else if (kind < 70) {
            // members created in init, some cancelled while held, one group cancelled inside its own init
            boolean cancelGroup = rnd.nextInt(8) == 0;
            int members = 1 + rnd.nextInt(4);
            req = aio.group(g -> {
                if (cancelGroup) {
                    g.cancel();
                }
                for (int i = 0; i < members; i++) {
                    int mid = ids.incrementAndGet();
                    aio.pri(rnd.nextInt(-4, 5));
                    AioRequest m = aio.nop(r -> calls.computeIfAbsent(mid, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet());
                    g.add(m);
                    tracked.add(new Tracked(mid, m, null));
                    if (rnd.nextInt(3) == 0) {
                        m.cancel();
                    }
                }
            }, count);
        } else if (kind < 88) {
            // a fed group: the canceller may cancel it while its feeder runs on the poller
            int total = 2 + rnd.nextInt(10);
            int[] fed = {0};
            req = aio.group(g -> {
                g.limit(1 + rnd.nextInt(3));
                g.feed(grp -> {
                    if (fed[0]++ < total) {
                        int mid = ids.incrementAndGet();
                        AioRequest m = aio.nop(r -> calls.computeIfAbsent(mid, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet());
                        grp.add(m);
                        tracked.add(new Tracked(mid, m, null));
                    }
                });
            }, count);
        } else if (kind < 91) {
            // a stat must answer truly: a missing path is ENOENT, an existing file succeeds
            boolean missing = rnd.nextBoolean();
            java.nio.file.Path p = missing ? tree.resolve("missing-" + id) : tree.resolve("d0/f0");
            req = aio.stat(p, r -> {
                if (missing ? r.errno() != Errno.ENOENT.code() : r.errno() != 0) {
                    throw new AssertionError("stat " + p + " answered " + Errno.describe(r.errno()));
                }
                count.onResult(null);
            });
        } else if (kind < 94) {
            req = aio.scandir(tree, 0, r -> count.onResult(null));
        } else if (kind < 97) {
            req = aio.copyTree(tree, scratch, r -> count.onResult(null));
        } else {
            makeTree(scratch);
            req = aio.rmtree(scratch, r -> count.onResult(null));
        }
        tracked.add(new Tracked(id, req, null));
        return req;
    }
}
