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

package org.ioaio.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The aio health: UP normally and under a backlog, DOWN when the poller or the workers are stuck. */
class AioHealthIndicatorTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class, AioHealthContributorAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues("aio.shutdown.grace-period=1s");

    /** An idle engine is UP, with its counters as details. */
    @Test
    void upWhenIdle() {
        runner.run(context -> {
            context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS);
            Health health = context.getBean(AioHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("outstanding", 0L).containsKeys("ready", "pending", "threads",
                    "oldestReadyAge", "pollerRunning", "pollerSilence");
        });
    }

    /** A backlog (a request waiting longer than aio.health.max-wait) is a detail; the status stays UP. */
    @Test
    void upUnderBacklog() throws Exception {
        runner.withPropertyValues("aio.max-parallel=1", "aio.health.max-wait=1ms").run(context -> {
            AioHealthIndicator indicator = context.getBean(AioHealthIndicator.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> busy = aio.custom(() -> {
                running.countDown();
                return release.await(60, TimeUnit.SECONDS);
            });
            try {
                assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<Void> queued = aio.nop();
                await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(indicator.health().getDetails().get("backlog")));
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails().get("backlogReason").toString()).contains("aio.health.max-wait");
                release.countDown();
                queued.get(30, TimeUnit.SECONDS);
            } finally {
                release.countDown();
            }
            assertThat(busy.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(indicator.health().getDetails()).containsEntry("backlog", false);
        });
    }

    /** aio.health.backlog-status opts into a status of its own during a backlog. */
    @Test
    void backlogStatusWhenOptedIn() throws Exception {
        runner.withPropertyValues("aio.max-parallel=1", "aio.health.max-wait=1ms", "aio.health.backlog-status=OUT_OF_SERVICE").run(context -> {
            AioHealthIndicator indicator = context.getBean(AioHealthIndicator.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> busy = aio.custom(() -> {
                running.countDown();
                return release.await(60, TimeUnit.SECONDS);
            });
            try {
                assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
                aio.nop();
                await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.OUT_OF_SERVICE));
            } finally {
                release.countDown();
            }
            assertThat(busy.get(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.UP));
        });
    }

    /** DOWN when requests wait for a worker and nothing has finished for longer than aio.health.max-stall; UP once work moves. */
    @Test
    void downWhenTheWorkersAreStuck() throws Exception {
        runner.withPropertyValues("aio.max-parallel=1", "aio.health.max-stall=1ms").run(context -> {
            AioHealthIndicator indicator = context.getBean(AioHealthIndicator.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> stuck = aio.custom(() -> {
                running.countDown();
                return release.await(60, TimeUnit.SECONDS);
            });
            CompletableFuture<Void> queued;
            try {
                assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
                queued = aio.nop();
                await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
                assertThat(indicator.health().getDetails().get("reason").toString())
                        .contains("aio.health.max-stall").contains("every worker is blocked");
            } finally {
                release.countDown();
            }
            assertThat(stuck.get(30, TimeUnit.SECONDS)).isTrue();
            queued.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.UP));
        });
    }

    /** max-parallel 0 with requests waiting is DOWN after aio.health.max-stall, and the reason says why. */
    @Test
    void downWhenMaxParallelIsZeroWithRequestsWaiting() {
        runner.withPropertyValues("aio.max-parallel=0", "aio.health.max-stall=1ms").run(context -> {
            AioHealthIndicator indicator = context.getBean(AioHealthIndicator.class);
            CompletableFuture<Void> queued = context.getBean(AioTemplate.class).nop();
            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
            assertThat(indicator.health().getDetails().get("reason").toString()).contains("max-parallel is 0");
            context.getBean(AioEngine.class).minParallel(1);
            queued.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.UP));
        });
    }

    /** DOWN while a callback blocks the poller with results pending; UP again once it returns. */
    @Test
    void downWhileThePollerIsStuck() {
        runner.withPropertyValues("aio.health.max-poll-delay=1ms").run(context -> {
            AioHealthIndicator indicator = context.getBean(AioHealthIndicator.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            AioEngine engine = context.getBean(AioEngine.class);
            CountDownLatch inStage = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            engine.nop(r -> {
                inStage.countDown();
                awaitUninterruptibly(release);
                blocked.countDown();
            });
            assertThat(inStage.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> behind = aio.nop();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.npending() > 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.DOWN));
            assertThat(indicator.health().getDetails().get("reason").toString()).contains("aio.health.max-poll-delay");
            release.countDown();
            assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
            behind.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> indicator.health().getStatus().equals(Status.UP));
        });
    }

    /** A closed engine is DOWN. */
    @Test
    void downWhenTheEngineIsClosed() {
        runner.run(context -> {
            context.getBean(AioEngine.class).close(Duration.ZERO);
            Health health = context.getBean(AioHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", "the engine is closed");
        });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
