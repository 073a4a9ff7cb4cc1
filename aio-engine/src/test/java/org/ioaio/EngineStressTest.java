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
 * {@code nreqs()} returns to 0; no thread is left after close.
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
                    submit(aio, new SplittableRandom(seed), base, calls, tracked);
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
        submitting.set(false);
        poller.join();
        assertThat(failure.get()).isNull();

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
        assertThat(aio.nthreads()).isZero();
    }

    private static void submit(AioEngine aio, SplittableRandom rnd, int base, AtomicIntegerArray calls,
            ConcurrentLinkedQueue<Tracked> tracked) {
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
                AioFuture<Integer> f = aio.custom(() -> id);
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
        }
    }
}
