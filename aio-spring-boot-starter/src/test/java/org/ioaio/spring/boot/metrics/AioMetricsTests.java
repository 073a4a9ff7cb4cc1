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

package org.ioaio.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioEngine;
import org.ioaio.AioException;
import org.ioaio.Errno;
import org.ioaio.spring.boot.AioAutoConfiguration;
import org.ioaio.spring.boot.AioTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The meters of DESIGN.md, read from a SimpleMeterRegistry after real requests. */
class AioMetricsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class, AioMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class))
            .withUserConfiguration(Registry.class);

    /** With Micrometer but without Spring Boot's metrics module the binders still exist, for the application to bind. */
    @Test
    void bindersExistWithoutBootsMetricsModule() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class, AioMetricsAutoConfiguration.class))
                .withUserConfiguration(Registry.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AioEngineMetrics.class).hasSingleBean(AioRequestMetrics.class);
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(AioEngineMetrics.class).bindTo(registry);
                    context.getBean(AioRequestMetrics.class).bindTo(registry);
                    context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS);
                    assertThat(registry.get("aio.request.execution").tag("op", "nop").timer().count()).isEqualTo(1);
                    assertThat(registry.get("aio.requests.outstanding").gauge().value()).isZero();
                });
    }

    /** A nop is timed once while waiting and once executing, with outcome success. */
    @Test
    void timersCountOneForANop() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS);
            Timer wait = registry.get("aio.request.wait").tag("op", "nop").timer();
            Timer execution = registry.get("aio.request.execution").tag("op", "nop").tag("outcome", "success").timer();
            assertThat(wait.count()).isEqualTo(1);
            assertThat(execution.count()).isEqualTo(1);
        });
    }

    /** A failed custom request's outcome tag is its errno's name. */
    @Test
    void outcomeOfAFailedRequestIsTheErrnoName() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            CompletableFuture<Object> f = context.getBean(AioTemplate.class).custom(() -> {
                throw new AioException(Errno.ENOENT.code(), "custom", "/nowhere");
            });
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AioException.class);
            assertThat(registry.get("aio.request.execution").tag("op", "custom").tag("outcome", "ENOENT").timer().count())
                    .isEqualTo(1);
            assertThat(registry.find("aio.request.execution").tag("outcome", "success").timer()).isNull();
        });
    }

    /** A real filesystem request is timed under its operation's name. */
    @Test
    void filesystemRequestsAreTimedByOperation() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            CompletableFuture<?> f = context.getBean(AioTemplate.class).stat("/nonexistent/aio/metrics");
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AioException.class);
            assertThat(registry.get("aio.request.execution").tag("op", "stat").tag("outcome", "ENOENT").timer().count())
                    .isEqualTo(1);
        });
    }

    /** The gauges read the engine live: ready by priority, outstanding, pending, threads busy and idle. */
    @Test
    void gaugesReadTheEngine() {
        runner.withPropertyValues("aio.min-parallel=0", "aio.max-parallel=0").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            CompletableFuture<Void> high = aio.withPriority(3).nop();
            CompletableFuture<Void> low = aio.withPriority(-2).nop();
            assertThat(registry.get("aio.requests.ready").tag("priority", "3").gauge().value()).isEqualTo(1);
            assertThat(registry.get("aio.requests.ready").tag("priority", "-2").gauge().value()).isEqualTo(1);
            assertThat(registry.get("aio.requests.ready").tag("priority", "0").gauge().value()).isZero();
            assertThat(registry.get("aio.requests.outstanding").gauge().value()).isEqualTo(2);
            assertThat(registry.get("aio.requests.pending").gauge().value()).isZero();
            assertThat(registry.get("aio.threads").tag("state", "busy").gauge().value()).isZero();
            AioEngine engine = context.getBean(AioEngine.class);
            engine.maxParallel(1);
            engine.minParallel(1);
            CompletableFuture.allOf(high, low).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("aio.requests.outstanding").gauge().value() == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("aio.threads").tag("state", "idle").gauge().value() == 1);
        });
    }

    /** Cancellations, timeouts and callback failures are counted. */
    @Test
    void countersCountCancellationsTimeoutsAndCallbackFailures() {
        runner.withPropertyValues("aio.min-parallel=0", "aio.max-parallel=0").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            AioEngine engine = context.getBean(AioEngine.class);
            aio.nop().cancel(false);
            CompletableFuture<Void> late = aio.withDeadline(Duration.ofMillis(1)).nop();
            await().atMost(Duration.ofSeconds(30)).until(late::isDone);
            engine.nop(r -> {
                throw new IllegalStateException("callback failure for the test");
            });
            engine.maxParallel(1);
            engine.minParallel(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.nreqs() == 0);
            assertThat(registry.get("aio.requests.cancelled").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("aio.requests.timeouts").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("aio.callbacks.failed").functionCounter().count()).isEqualTo(1);
        });
    }

    /** Every meter has a description and every gauge and counter a base unit; no tag holds a path. */
    @Test
    void everyMeterIsDescribedAndTagsAreBounded() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            AioTemplate aio = context.getBean(AioTemplate.class);
            aio.nop().get(30, TimeUnit.SECONDS);
            aio.stat("/nonexistent/aio/tags").handle((r, e) -> null).get(30, TimeUnit.SECONDS);
            var meters = registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("aio.")).toList();
            assertThat(meters).extracting(m -> m.getId().getName()).contains("aio.requests.outstanding", "aio.requests.ready",
                    "aio.requests.pending", "aio.requests.inflight.iouring", "aio.threads", "aio.requests.cancelled", "aio.requests.timeouts",
                    "aio.callbacks.failed", "aio.request.wait", "aio.request.execution");
            for (Meter m : meters) {
                assertThat(m.getId().getDescription()).as(m.getId().toString()).isNotBlank();
                if (m.getId().getType() != Meter.Type.TIMER) {
                    assertThat(m.getId().getBaseUnit()).as(m.getId().toString()).isNotBlank();
                }
                m.getId().getTags().forEach(t -> assertThat(t.getValue()).doesNotContain("/"));
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {

        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
