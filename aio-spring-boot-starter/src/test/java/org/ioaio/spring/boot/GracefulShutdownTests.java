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

package org.ioaio.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Closing the context with requests in flight loses none: each completes, or is reported cancelled. */
class GracefulShutdownTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class))
            .withPropertyValues("aio.min-parallel=1", "aio.max-parallel=1");

    /** Within the grace period every queued and running request completes normally. */
    @Test
    void requestsThatFitTheGracePeriodAllComplete() {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        AioEngine[] engine = new AioEngine[1];
        runner.withPropertyValues("aio.shutdown.grace-period=30s").run(context -> {
            AioTemplate aio = context.getBean(AioTemplate.class);
            engine[0] = context.getBean(AioEngine.class);
            futures.add(aio.busy(0.05));
            for (int i = 0; i < 20; i++) {
                futures.add(aio.nop());
                futures.add(aio.busy(0.001));
            }
        });
        assertThat(engine[0].isClosed()).isTrue();
        assertThat(engine[0].nreqs()).isZero();
        for (CompletableFuture<Void> f : futures) {
            assertThat(f).isCompleted();
            assertThat(f.join()).isNull();
        }
    }

    /** Past the grace period the queued requests are cancelled and the running one stops: every future is done, none hangs. */
    @Test
    void requestsBeyondTheGracePeriodAreReportedCancelled() {
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        CompletableFuture<?>[] running = new CompletableFuture<?>[1];
        AioEngine[] engine = new AioEngine[1];
        runner.withPropertyValues("aio.shutdown.grace-period=1s").run(context -> {
            AioTemplate aio = context.getBean(AioTemplate.class);
            engine[0] = context.getBean(AioEngine.class);
            running[0] = aio.busy(600);
            for (int i = 0; i < 10; i++) {
                queued.add(aio.nop());
            }
        });
        assertThat(engine[0].isClosed()).isTrue();
        assertThat(engine[0].nreqs()).isZero();
        assertThat(running[0]).isDone();
        assertThat(running[0]).isCompletedExceptionally();
        for (CompletableFuture<Void> f : queued) {
            assertThat(f).isDone();
            assertThat(f.handle((v, e) -> e).join()).isInstanceOf(CancellationException.class);
        }
        assertThat(engine[0].cancellations()).isEqualTo(11);
    }

    /** After the context closed, the template refuses new requests at the call. */
    @Test
    void requestsAfterCloseFailAtTheCall() {
        AioTemplate[] aio = new AioTemplate[1];
        runner.run(context -> {
            aio[0] = context.getBean(AioTemplate.class);
            aio[0].nop().get(30, TimeUnit.SECONDS);
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(aio[0]::nop).isInstanceOf(IllegalStateException.class);
    }
}
