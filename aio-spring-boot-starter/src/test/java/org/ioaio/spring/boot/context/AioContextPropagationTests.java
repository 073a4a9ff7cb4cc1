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

package org.ioaio.spring.boot.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioException;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioTemplate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The submitter's context (MDC, current Observation) in the stages a request's completion runs on the poller thread; an Observation per request. */
class AioContextPropagationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class))
            .withPropertyValues("aio.shutdown.grace-period=5s");

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    /** What a stage saw, and on which thread. */
    private record Seen(@Nullable String mdc, @Nullable Observation observation, String thread) {}

    /**
     * Submits a request held on a worker until the stage is attached, so that the stage runs on the
     * poller thread when the request completes; then clears the submitter's MDC and observation.
     */
    private static CompletableFuture<Seen> seenInCallback(AioTemplate template, ObservationRegistry registry) throws Exception {
        CountDownLatch attached = new CountDownLatch(1);
        CompletableFuture<Seen> seen = template.custom(() -> attached.await(30, TimeUnit.SECONDS))
                .thenApply(v -> new Seen(MDC.get("request"), registry.getCurrentObservation(), Thread.currentThread().getName()));
        attached.countDown();
        return seen;
    }

    /** A stage of a future completes with the submitter's MDC on the poller thread; the next request's stage does not see it. */
    @Test
    void callbackSeesTheSubmittersMdcAndItDoesNotLeak() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AioContextPropagation.class);
            AioTemplate template = context.getBean(AioTemplate.class);
            MDC.put("request", "r1");
            CompletableFuture<Seen> first = seenInCallback(template, ObservationRegistry.NOOP);
            MDC.remove("request");
            Seen one = first.get(30, TimeUnit.SECONDS);
            assertThat(one.thread()).endsWith("-poller");
            assertThat(one.mdc()).isEqualTo("r1");

            Seen two = seenInCallback(template, ObservationRegistry.NOOP).get(30, TimeUnit.SECONDS);
            assertThat(two.thread()).endsWith("-poller");
            assertThat(two.mdc()).isNull();
        });
    }

    /** With aio.context-propagation.enabled=false the poller thread's (empty) MDC is what a stage sees. */
    @Test
    void offWhenDisabled() {
        runner.withPropertyValues("aio.context-propagation.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AioContextPropagation.class);
            MDC.put("request", "r1");
            Seen one = seenInCallback(context.getBean(AioTemplate.class), ObservationRegistry.NOOP).get(30, TimeUnit.SECONDS);
            assertThat(one.thread()).endsWith("-poller");
            assertThat(one.mdc()).isNull();
        });
    }

    /** The submitter's current Observation is current in the stage on the poller thread, and not in the next one. */
    @Test
    void callbackSeesTheSubmittersObservation() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            AioTemplate template = context.getBean(AioTemplate.class);
            Observation parent = Observation.start("http.server.requests", registry);
            CompletableFuture<Seen> first;
            Observation.Scope scope = parent.openScope();
            try {
                first = seenInCallback(template, registry);
            } finally {
                scope.close();
            }
            assertThat(first.get(30, TimeUnit.SECONDS).observation()).isSameAs(parent);
            assertThat(seenInCallback(template, registry).get(30, TimeUnit.SECONDS).observation()).isNull();
            parent.stop();
            // aio.observations.enabled is off by default: only the test's observation exists.
            TestObservationRegistryAssert.assertThat(registry).hasNumberOfObservationsEqualTo(1);
        });
    }

    /** With aio.observations.enabled each request is an aio.request observation, child of the submitter's, tagged with operation, engine and outcome. */
    @Test
    void observationPerRequest() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> registry).withPropertyValues("aio.observations.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AioObservations.class);
            AioTemplate template = context.getBean(AioTemplate.class);
            Observation parent = Observation.start("http.server.requests", registry);
            CompletableFuture<?> stat;
            Observation.Scope scope = parent.openScope();
            try {
                stat = template.stat("/nonexistent-aio-observation-test");
            } finally {
                scope.close();
            }
            assertThatThrownBy(() -> stat.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AioException.class);
            parent.stop();
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(AioObservations.NAME, 1)
                    .hasObservationWithNameEqualTo(AioObservations.NAME).that()
                    .hasBeenStarted().hasBeenStopped()
                    .hasContextualNameEqualTo("aio stat")
                    .hasLowCardinalityKeyValue(AioObservations.OPERATION, "stat")
                    .hasLowCardinalityKeyValue(AioObservations.ENGINE, "aioEngine")
                    .hasLowCardinalityKeyValue(AioObservations.OUTCOME, "ENOENT")
                    .hasError()
                    .hasParentObservationEqualTo(parent);
        });
    }

    /** With decorators on, a template's future is still the engine's future of its request (they wrap the callback), so the request is reachable. */
    @Test
    void requestBehindADecoratedFuture() {
        runner.withPropertyValues("aio.observations.enabled=true").withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .run(context -> {
                    AioTemplate template = context.getBean(AioTemplate.class);
                    CompletableFuture<Void> nop = template.nop();
                    assertThat(nop).isInstanceOf(org.ioaio.AioFuture.class);
                    assertThat(AioTemplate.requestOf(nop)).isNotNull();
                    assertThat(AioTemplate.requestOf(nop).operation()).isEqualTo("nop");
                    nop.get(30, TimeUnit.SECONDS);
                    assertThat(AioTemplate.requestOf(CompletableFuture.completedFuture(null))).isNull();
                });
    }

    /** Cancelling a decorated future cancels the request. */
    @Test
    void cancellingTheDecoratedFutureCancelsTheRequest() {
        runner.withPropertyValues("aio.max-parallel=1", "aio.min-parallel=1").run(context -> {
            AioTemplate template = context.getBean(AioTemplate.class);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> blocker = template.custom(() -> release.await(30, TimeUnit.SECONDS));
            CountDownLatch ran = new CountDownLatch(1);
            CompletableFuture<Object> queued = template.custom(() -> {
                ran.countDown();
                return null;
            });
            assertThat(queued.cancel(false)).isTrue();
            release.countDown();
            assertThat(blocker.get(30, TimeUnit.SECONDS)).isTrue();
            // The engine processes requests in order: once a later nop completed, the cancelled one was skipped.
            template.nop().get(30, TimeUnit.SECONDS);
            assertThat(ran.getCount()).isEqualTo(1);
        });
    }
}
