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

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** IO::AIO::REQ cancel: "skipping execution when entering the execute state and skipping calling the callback". */
@ExtendWith(EngineInvariants.class)
class CancelTest {

    // Cancelled while READY: never executed, callback skipped, nreqs back to 0 even with no worker thread.
    @Test
    void cancelWhileReadySkipsExecutionAndCallback() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AtomicBoolean executed = new AtomicBoolean();
            AtomicBoolean called = new AtomicBoolean();
            AioRequest r = aio.custom(() -> {
                executed.set(true);
                return null;
            }, res -> called.set(true));
            assertThat(r.state()).isEqualTo(AioRequest.State.READY);
            r.cancel();
            assertThat(r.isCancelled()).isTrue();
            assertThat(aio.nready()).isZero();
            aio.flush();
            assertThat(executed).isFalse();
            assertThat(called).isFalse();
            assertThat(r.state()).isEqualTo(AioRequest.State.DONE);
            assertThat(aio.nreqs()).isZero();
            assertThat(aio.cancellations()).isEqualTo(1);
        }
    }

    // Cancelled while EXECUTE: the running call finishes ("will not be stopped"), the callback is skipped.
    @Test
    void cancelWhileExecutingLetsTheCallFinishButSkipsTheCallback() throws Exception {
        try (AioEngine aio = AioEngine.builder().build()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean finishedTask = new AtomicBoolean();
            AtomicBoolean called = new AtomicBoolean();
            AioRequest r = aio.custom(() -> {
                started.countDown();
                release.await();
                finishedTask.set(true);
                return null;
            }, res -> called.set(true));
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(r.state()).isEqualTo(AioRequest.State.EXECUTE);
            r.cancel();
            release.countDown();
            aio.flush();
            assertThat(finishedTask).isTrue();
            assertThat(called).isFalse();
        }
    }

    // Cancelled while PENDING: executed, but the callback is skipped.
    @Test
    void cancelWhilePendingSkipsTheCallback() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicBoolean called = new AtomicBoolean();
            AioRequest r = aio.nop(res -> called.set(true));
            Await.until("executed", () -> r.state() == AioRequest.State.PENDING);
            r.cancel();
            aio.flush();
            assertThat(called).isFalse();
            assertThat(r.state()).isEqualTo(AioRequest.State.DONE);
        }
    }

    // Cancelling inside its own callback (RESULT) or after DONE changes nothing.
    @Test
    void cancelDuringResultOrAfterDoneHasNoEffect() {
        try (AioEngine aio = AioEngine.builder().build()) {
            AtomicInteger calls = new AtomicInteger();
            AioRequest r = aio.nop(res -> {
                res.request().cancel();
                calls.incrementAndGet();
            });
            aio.flush();
            assertThat(calls).hasValue(1);
            r.cancel();
            assertThat(r.state()).isEqualTo(AioRequest.State.DONE);
            assertThat(aio.cancellations()).isZero();
        }
    }

    // The future of a cancelled request fails with CancellationException (it must complete either way).
    @Test
    void cancelledRequestFailsItsFuture() {
        try (AioEngine aio = AioEngine.builder().maxParallel(0).build()) {
            AioFuture<Void> viaRequest = aio.nop();
            viaRequest.request().cancel();
            AioFuture<Void> viaFuture = aio.nop();
            assertThat(viaFuture.cancel(false)).isTrue();
            assertThat(viaFuture.request().isCancelled()).isTrue();
            aio.flush();
            assertThatThrownBy(viaRequest::join).isInstanceOf(CancellationException.class);
            assertThat(viaFuture).isCancelled();
            assertThat(aio.nreqs()).isZero();
        }
    }
}
