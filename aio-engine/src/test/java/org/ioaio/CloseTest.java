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

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** close(): stop accepting, drain within the grace period, then cancel; every thread stops. */
@ExtendWith(EngineInvariants.class)
class CloseTest {

    // Queued requests drain during the grace period and their callbacks run on the closing thread.
    @Test
    void closeDrainsQueuedRequests() {
        AtomicInteger done = new AtomicInteger();
        AioEngine aio = AioEngine.builder().minParallel(2).build();
        for (int i = 0; i < 1000; i++) {
            aio.nop(r -> done.incrementAndGet());
        }
        assertThat(aio.close(Duration.ofSeconds(60))).isTrue();
        assertThat(done).hasValue(1000);
        assertThat(aio.nreqs()).isZero();
        assertThat(aio.nthreads()).isZero();
    }

    // After the grace period what is still queued is cancelled: callbacks skipped, futures cancelled, nothing lost.
    @Test
    void closeCancelsWhatDidNotDrainInTime() {
        AioEngine aio = AioEngine.builder().maxParallel(0).build();
        AtomicInteger called = new AtomicInteger();
        aio.nop(r -> called.incrementAndGet());
        AioFuture<Void> f = aio.nop();
        AioGroup g = aio.group(r -> called.incrementAndGet());
        g.add(aio.nop(r -> called.incrementAndGet()));
        assertThat(aio.close(Duration.ofMillis(10))).isTrue();
        assertThat(called).hasValue(1); // only the group's own callback: its member was cancelled, not the group
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
        assertThat(aio.nreqs()).isZero();
        assertThat(aio.cancellations()).isEqualTo(3);
    }

    // A busy request still executing when the grace period ends is stopped and reported cancelled.
    @Test
    void closeStopsABusyRequestAfterTheGracePeriod() {
        AioEngine aio = AioEngine.builder().build();
        AioFuture<Void> f = aio.busy(3600);
        Await.until("busy executing", () -> f.request().state() == AioRequest.State.EXECUTE);
        assertThat(aio.close(Duration.ofMillis(10))).isTrue();
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
        assertThat(aio.nthreads()).isZero();
    }

    // Any request after close fails fast, says the engine is closed, and changes no counter; close is idempotent.
    @Test
    void requestsAfterCloseFailFast() {
        AioEngine aio = AioEngine.builder().build();
        aio.nop(r -> {});
        aio.close();
        assertThatThrownBy(() -> aio.nop(r -> {})).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(aio::nop).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> aio.group(r -> {})).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> aio.custom(() -> 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> aio.maxParallel(4)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(aio.nreqs()).isZero();
        assertThat(aio.pollCb()).isZero();
        aio.flush();
        aio.close();
        assertThat(aio.isClosed()).isTrue();
    }

    // Requests a callback submits during the drain are refused; the refusal is counted, nothing hangs.
    @Test
    void callbacksThatSubmitDuringCloseAreRefused() {
        AioEngine aio = AioEngine.builder().build();
        AtomicInteger refused = new AtomicInteger();
        aio.nop(r -> {
            try {
                aio.nop(r2 -> {});
            } catch (IllegalStateException e) {
                refused.incrementAndGet();
            }
        });
        assertThat(aio.close(Duration.ofSeconds(60))).isTrue();
        assertThat(refused).hasValue(1);
    }

    // With no grace at all, a request that was executing still completes its future before close returns.
    @Test
    void closeWithoutGraceStillDeliversWhatWasExecuting() throws Exception {
        AioEngine aio = AioEngine.builder().build();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AioFuture<String> f = aio.custom(() -> {
            release.await();
            return "finished";
        });
        Await.until("executing", () -> f.request().state() == AioRequest.State.EXECUTE);
        Thread releaser = new Thread(() -> {
            Await.until("close began", aio::isClosed);
            release.countDown();
        }, "test-releaser");
        releaser.start();
        aio.close(Duration.ZERO);
        releaser.join();
        assertThat(f).isCompletedWithValue("finished");
        assertThat(aio.nreqs()).isZero();
    }

    // A cancelled open that already executed does not leak its file: the engine closes what nobody receives.
    @Test
    void cancelledOpenClosesTheFileItOpened(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (AioEngine aio = AioEngine.builder().build()) {
            java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("f"), "x");
            AioFuture<AioFile> f = aio.open(file, AioConstants.O_RDONLY, 0);
            Await.until("opened", () -> f.request().state() == AioRequest.State.PENDING);
            f.cancel(false);
            aio.flush();
            assertThat(f).isCancelled();
        }
        // EngineInvariants checks that no descriptor is left open
    }
}
