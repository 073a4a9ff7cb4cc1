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
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.ioaio.AioBackend;
import org.ioaio.AioEngine;
import org.ioaio.AioListener;
import org.ioaio.AioWorkingDirectory;
import org.ioaio.spring.boot.actuate.AioEndpoint;
import org.ioaio.spring.boot.actuate.AioEndpointAutoConfiguration;
import org.ioaio.spring.boot.actuate.AioHealthContributorAutoConfiguration;
import org.ioaio.spring.boot.actuate.AioHealthIndicator;
import org.ioaio.spring.boot.metrics.AioEngineMetrics;
import org.ioaio.spring.boot.metrics.AioMetricsAutoConfiguration;
import org.ioaio.spring.boot.metrics.AioRequestMetrics;
import org.ioaio.spring.boot.reactive.AioReactiveAutoConfiguration;
import org.ioaio.spring.boot.reactive.ReactiveAioTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

/** The auto-configuration: which beans exist under which conditions, and how the properties reach the engine. */
class AioAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class, AioMetricsAutoConfiguration.class,
                    AioEndpointAutoConfiguration.class, AioHealthContributorAutoConfiguration.class,
                    AioReactiveAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=aio", "aio.shutdown.grace-period=5s");

    /** Every bean of the starter exists with everything on the class path. */
    @Test
    void createsEveryBeanWithEverythingOnTheClassPath() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(AioEngine.class)
                    .hasSingleBean(AioEngineLifecycle.class)
                    .hasSingleBean(AioPoller.class)
                    .hasSingleBean(AioTemplate.class)
                    .hasSingleBean(ReactiveAioTemplate.class)
                    .hasSingleBean(AioEngineMetrics.class)
                    .hasSingleBean(AioRequestMetrics.class)
                    .hasSingleBean(AioEndpoint.class)
                    .hasSingleBean(AioHealthIndicator.class)
                    .hasBean("aioHealthIndicator");
            assertThat(context.getBean(AioPoller.class).isRunning()).isTrue();
            assertThat(context.getBean(AioEngineLifecycle.class).isRunning()).isTrue();
        });
    }

    /** The template's futures complete without the application polling: the poller does it. */
    @Test
    void templateRequestsCompleteThroughThePoller() {
        runner.run(context -> {
            AioTemplate aio = context.getBean(AioTemplate.class);
            assertThat(aio.nop().get(30, TimeUnit.SECONDS)).isNull();
            assertThat(aio.custom(() -> 42).get(30, TimeUnit.SECONDS)).isEqualTo(42);
            AioPoller poller = context.getBean(AioPoller.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> poller.polls() > 0);
        });
    }

    /** Closing the context closes the engine and stops the poller thread. */
    @Test
    void closingTheContextClosesTheEngineAndStopsThePoller() {
        AioEngine[] engine = new AioEngine[1];
        AioPoller[] poller = new AioPoller[1];
        runner.run(context -> {
            engine[0] = context.getBean(AioEngine.class);
            poller[0] = context.getBean(AioPoller.class);
            context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS);
        });
        assertThat(engine[0].isClosed()).isTrue();
        assertThat(poller[0].isRunning()).isFalse();
    }

    /** A user's AioEngine replaces the auto-configured one; lifecycle, poller and template use it. */
    @Test
    void engineBacksOffWhenUserDefinesOne() {
        runner.withUserConfiguration(UserEngine.class).run(context -> {
            assertThat(context).hasSingleBean(AioEngine.class);
            AioEngine engine = context.getBean(AioEngine.class);
            assertThat(engine).isSameAs(context.getBean("userEngine"));
            assertThat(engine.parallelism()).isEqualTo(3);
            assertThat(context.getBean(AioTemplate.class).engine()).isSameAs(engine);
            assertThat(context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS)).isNull();
        });
    }

    /** A user's AioTemplate replaces the auto-configured one (and the reactive one wraps it). */
    @Test
    void templateBacksOffWhenUserDefinesOne() {
        runner.withUserConfiguration(UserTemplate.class).run(context -> {
            assertThat(context).hasSingleBean(AioTemplate.class);
            assertThat(context.getBean(AioTemplate.class)).isSameAs(context.getBean("userTemplate"));
            assertThat(context.getBean(ReactiveAioTemplate.class).template()).isSameAs(context.getBean("userTemplate"));
        });
    }

    /** A user's lifecycle and poller replace the auto-configured ones. */
    @Test
    void lifecycleAndPollerBackOffWhenUserDefinesThem() {
        runner.withUserConfiguration(UserLifecycleAndPoller.class).run(context -> {
            assertThat(context).hasSingleBean(AioEngineLifecycle.class).hasSingleBean(AioPoller.class);
            assertThat(context.getBean(AioEngineLifecycle.class)).isSameAs(context.getBean("userLifecycle"));
            assertThat(context.getBean(AioPoller.class)).isSameAs(context.getBean("userPoller"));
        });
    }

    /** A user's reactive template replaces the auto-configured one. */
    @Test
    void reactiveTemplateBacksOffWhenUserDefinesOne() {
        runner.withUserConfiguration(UserReactiveTemplate.class).run(context -> {
            assertThat(context).hasSingleBean(ReactiveAioTemplate.class);
            assertThat(context.getBean(ReactiveAioTemplate.class).chunkSize()).isEqualTo(7);
        });
    }

    /** aio.poll.enabled=false leaves polling to the application: no poller bean. */
    @Test
    void pollerIsOffWhenPollEnabledIsFalse() {
        runner.withPropertyValues("aio.poll.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(AioPoller.class).hasSingleBean(AioEngine.class);
            AioEngine engine = context.getBean(AioEngine.class);
            var f = context.getBean(AioTemplate.class).nop();
            engine.flush();
            assertThat(f).isCompleted();
        });
    }

    /** Without Reactor there is no reactive template, and the rest works. */
    @Test
    void noReactiveTemplateWithoutReactor() {
        runner.withClassLoader(new FilteredClassLoader(Flux.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveAioTemplate.class).hasSingleBean(AioTemplate.class);
        });
    }

    /** Without Micrometer there are no meters, and the engine has no listener but works. */
    @Test
    void noMetersWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AioEngineMetrics.class).doesNotHaveBean(AioRequestMetrics.class)
                    .hasSingleBean(AioEngine.class);
            assertThat(context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS)).isNull();
        });
    }

    /** Micrometer without a MeterRegistry bean: no meters. */
    @Test
    void noMetersWithoutAMeterRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AioAutoConfiguration.class, AioMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AioEngineMetrics.class)
                        .doesNotHaveBean(AioRequestMetrics.class).hasSingleBean(AioEngine.class));
    }

    /** Without Actuator there is no endpoint and no health indicator. */
    @Test
    void noEndpointOrHealthWithoutActuator() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(AioEndpoint.class).doesNotHaveBean(AioHealthIndicator.class)
                    .hasSingleBean(AioTemplate.class);
        });
    }

    /** The endpoint is not created when it is not exposed. */
    @Test
    void noEndpointWhenNotExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health", "management.endpoints.jmx.exposure.exclude=*")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AioEndpoint.class));
    }

    /** management.health.aio.enabled=false removes the health indicator. */
    @Test
    void noHealthIndicatorWhenDisabled() {
        runner.withPropertyValues("management.health.aio.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AioHealthIndicator.class));
    }

    /** A user's health indicator named aioHealthIndicator replaces the auto-configured one. */
    @Test
    void healthIndicatorBacksOffWhenUserDefinesOne() {
        runner.withUserConfiguration(UserHealth.class).run(context -> {
            assertThat(context).hasSingleBean(AioHealthIndicator.class);
            assertThat(context.getBean(AioHealthIndicator.class)).isSameAs(context.getBean("myAioHealth"));
        });
    }

    /** Every aio.* property reaches the engine. */
    @Test
    void propertiesConfigureTheEngine() {
        runner.withPropertyValues("aio.min-parallel=2", "aio.max-parallel=3", "aio.idle-timeout=7s",
                "aio.max-outstanding=1000", "aio.poll.max-reqs=16", "aio.poll.max-time=5ms", "aio.backend=nio")
                .run(context -> {
                    AioEngine engine = context.getBean(AioEngine.class);
                    assertThat(engine.parallelism()).isEqualTo(3);
                    assertThat(engine.maxIdle()).isEqualTo(2);
                    assertThat(engine.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(engine.maxOutstanding()).isEqualTo(1000);
                    assertThat(engine.maxPollReqs()).isEqualTo(16);
                    assertThat(engine.maxPollTime()).isEqualTo(Duration.ofMillis(5));
                    assertThat(engine.backend()).isEqualTo(AioBackend.NIO);
                    assertThat(context.getBean(AioEngineLifecycle.class).getGracePeriod()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    /** The defaults are IO::AIO's. */
    @Test
    void defaultsAreIoAiosDefaults() {
        runner.run(context -> {
            AioEngine engine = context.getBean(AioEngine.class);
            assertThat(engine.parallelism()).isEqualTo(8);
            assertThat(engine.maxIdle()).isEqualTo(4);
            assertThat(engine.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(engine.maxOutstanding()).isZero();
            assertThat(engine.maxPollReqs()).isZero();
            assertThat(engine.maxPollTime()).isZero();
            assertThat(engine.oldestReadyAge()).isEqualTo(Duration.ZERO);
        });
    }

    /** max-parallel alone sets the most threads, and lowers the idle threads kept to it when below their default. */
    @Test
    void maxParallelAloneIsValid() {
        runner.withPropertyValues("aio.max-parallel=2").run(context -> {
            assertThat(context).hasNotFailed();
            AioEngine engine = context.getBean(AioEngine.class);
            assertThat(engine.parallelism()).isEqualTo(2);
            assertThat(engine.maxIdle()).isEqualTo(2);
        });
        runner.withPropertyValues("aio.max-parallel=32").run(context -> {
            AioEngine engine = context.getBean(AioEngine.class);
            assertThat(engine.parallelism()).isEqualTo(32);
            assertThat(engine.maxIdle()).isEqualTo(4);
        });
    }

    /** min-parallel alone sets the idle threads kept, and raises the most threads to it when above their default. */
    @Test
    void minParallelAloneIsValid() {
        runner.withPropertyValues("aio.min-parallel=16").run(context -> {
            AioEngine engine = context.getBean(AioEngine.class);
            assertThat(engine.parallelism()).isEqualTo(16);
            assertThat(engine.maxIdle()).isEqualTo(16);
        });
        runner.withPropertyValues("aio.min-parallel=1").run(context -> {
            AioEngine engine = context.getBean(AioEngine.class);
            assertThat(engine.parallelism()).isEqualTo(8);
            assertThat(engine.maxIdle()).isEqualTo(1);
        });
    }

    /** The endpoint shows min-parallel and max-parallel as the engine has them. */
    @Test
    void endpointShowsMinAndMaxParallel() {
        runner.withPropertyValues("aio.min-parallel=3", "aio.max-parallel=5").run(context -> {
            java.util.Map<String, Object> settings = context.getBean(AioEndpoint.class).aio().settings();
            assertThat(settings).containsEntry("minParallel", 3).containsEntry("maxParallel", 5);
        });
    }

    /** The endpoint's write operation refuses maxParallel 0 by default, and sets it when the flag allows it. */
    @Test
    void zeroMaxParallelOnlyWithTheFlag() {
        runner.run(context -> {
            AioEndpoint endpoint = context.getBean(AioEndpoint.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> endpoint.parallelism(null, 0))
                    .isInstanceOf(org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException.class)
                    .hasMessageContaining("management.endpoint.aio.allow-zero-max-parallel");
            assertThat(context.getBean(AioEngine.class).parallelism()).isEqualTo(8);
        });
        runner.withPropertyValues("management.endpoint.aio.allow-zero-max-parallel=true").run(context -> {
            AioEndpoint endpoint = context.getBean(AioEndpoint.class);
            assertThat(endpoint.parallelism(null, 0).settings()).containsEntry("maxParallel", 0).containsEntry("minParallel", 0);
            assertThat(endpoint.parallelism(null, 2).settings()).containsEntry("maxParallel", 2);
        });
    }

    /** Both set with max-parallel below min-parallel fails start-up naming both. */
    @Test
    void maxParallelBelowMinParallelFails() {
        runner.withPropertyValues("aio.min-parallel=4", "aio.max-parallel=2").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("aio.max-parallel (2) must not be below aio.min-parallel (4)");
        });
    }

    /** Threads grow on demand from min-parallel up to max-parallel at start-up: four blocked requests get four threads. */
    @Test
    void threadsGrowOnDemandUpToMaxParallel() {
        runner.withPropertyValues("aio.min-parallel=1", "aio.max-parallel=4").run(context -> {
            AioTemplate aio = context.getBean(AioTemplate.class);
            AioEngine engine = context.getBean(AioEngine.class);
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.CompletableFuture<Boolean>> blocked = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                blocked.add(aio.custom(() -> {
                    started.countDown();
                    return release.await(60, TimeUnit.SECONDS);
                }));
            }
            try {
                assertThat(started.await(30, TimeUnit.SECONDS)).as("four requests executing at once").isTrue();
                assertThat(engine.nthreads()).isEqualTo(4);
            } finally {
                release.countDown();
            }
            for (java.util.concurrent.CompletableFuture<Boolean> f : blocked) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        });
    }

    /** aio.backend=auto picks what the engine would pick by itself: native where available, else nio. */
    @Test
    void autoBackendPicksTheBestAvailable() {
        AioBackend expected;
        try (AioEngine probe = AioEngine.builder().build()) {
            expected = probe.backend();
        }
        runner.withPropertyValues("aio.backend=auto")
                .run(context -> assertThat(context.getBean(AioEngine.class).backend()).isEqualTo(expected).isNotEqualTo(AioBackend.AUTO));
    }

    /** aio.backend=nio runs on the portable layer, everywhere. */
    @Test
    void nioBackendIsThePortableLayer() {
        runner.withPropertyValues("aio.backend=nio")
                .run(context -> assertThat(context.getBean(AioEngine.class).backend()).isEqualTo(AioBackend.NIO));
    }

    /** aio.backend=native runs natively where it can; elsewhere start-up fails saying why and naming the property. */
    @Test
    void nativeBackendRunsWhereAvailableElseFailsAtStartUp() {
        String unavailable = null;
        try (AioEngine probe = AioEngine.builder().backend(AioBackend.NATIVE).build()) {
            assertThat(probe.backend()).isEqualTo(AioBackend.NATIVE);
        } catch (IllegalStateException e) {
            unavailable = e.getMessage();
        }
        String reason = unavailable;
        runner.withPropertyValues("aio.backend=native").run(context -> {
            if (reason == null) {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(AioEngine.class).backend()).isEqualTo(AioBackend.NATIVE);
            } else {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("native backend not available: ");
                assertThat(messages(context.getStartupFailure())).contains("(aio.backend=native, aio.io-uring=auto)");
            }
        });
    }

    /** aio.io-uring=required on the portable backend fails start-up saying why and naming both properties; off turns the ring off. */
    @Test
    void ioUringRequiredFailsWhereItCannotRunAndOffTurnsItOff() {
        runner.withPropertyValues("aio.backend=nio", "aio.io-uring=required").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("io_uring not available: ");
            assertThat(messages(context.getStartupFailure())).contains("(aio.backend=nio, aio.io-uring=required)");
        });
        runner.withPropertyValues("aio.io-uring=off")
                .run(context -> assertThat(context.getBean(AioEngine.class).ioUring()).isFalse());
        boolean available;
        try (AioEngine probe = AioEngine.builder().build()) {
            available = probe.ioUring();
        }
        runner.withPropertyValues("aio.io-uring=auto")
                .run(context -> assertThat(context.getBean(AioEngine.class).ioUring()).isEqualTo(available));
    }

    /** aio.batch-workers reaches the builder: false leaves the workers under the default policy; by default they are batch threads where the native layer is. */
    @Test
    void batchWorkersPropertyReachesTheEngine() {
        runner.withPropertyValues("aio.batch-workers=false")
                .run(context -> assertThat(context.getBean(AioEngine.class).batchWorkers()).isFalse());
        boolean batch;
        try (AioEngine probe = AioEngine.builder().build()) {
            batch = probe.batchWorkers();
        }
        runner.run(context -> assertThat(context.getBean(AioEngine.class).batchWorkers()).isEqualTo(batch));
    }

    /** Customizers see the builder after the properties and may change it. */
    @Test
    void customizersAreAppliedAfterTheProperties() {
        runner.withPropertyValues("aio.min-parallel=2").withUserConfiguration(UserCustomizer.class)
                .run(context -> assertThat(context.getBean(AioEngine.class).parallelism()).isEqualTo(5));
    }

    /** Every AioListener bean observes the engine, the metrics timers among them. */
    @Test
    void everyListenerBeanObservesTheEngine() {
        runner.withUserConfiguration(UserListener.class).run(context -> {
            context.getBean(AioTemplate.class).nop().get(30, TimeUnit.SECONDS);
            assertThat(context.getBean(RecordingListener.class).operations).containsExactly("nop");
        });
    }

    /** The root is bound and the template is jailed in it. */
    @Test
    void rootJailsTheTemplate(@TempDir Path dir) {
        runner.withPropertyValues("aio.root=" + dir).run(context -> {
            assertThat(context.getBean(AioTemplate.class).root()).contains(dir.toAbsolutePath().normalize());
        });
    }

    /** The template's jail is the engine's, opened at start-up, and released when the context closes. */
    @Test
    void theJailIsOpenedAtStartUpAndClosedWithTheContext(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f"), "in the root");
        AioWorkingDirectory[] jail = new AioWorkingDirectory[1];
        AioEngine[] engine = new AioEngine[1];
        runner.withPropertyValues("aio.root=" + dir).run(context -> {
            AioTemplate aio = context.getBean(AioTemplate.class);
            engine[0] = context.getBean(AioEngine.class);
            jail[0] = aio.view().workingDirectory();
            assertThat(jail[0].isJail()).isTrue();
            assertThat(jail[0].isOpen()).isTrue();
            assertThat(aio.load("f").get(30, TimeUnit.SECONDS)).asString().isEqualTo("in the root");
        });
        assertThat(engine[0].isClosed()).isTrue();
        assertThat(jail[0].isOpen()).isFalse();
    }

    /** Each bad value fails start-up with a message naming the property and the rule. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "aio.min-parallel=-1 | aio.min-parallel must be 0 or more",
            "aio.max-parallel=-1 | aio.max-parallel must be 0 or more",
            "aio.idle-timeout=0s | aio.idle-timeout must be a positive duration",
            "aio.max-outstanding=-5 | aio.max-outstanding must be 0 (no limit) or more",
            "aio.poll.max-reqs=-1 | aio.poll.max-reqs must be 0 (all) or more",
            "aio.poll.max-time=-1s | aio.poll.max-time must be zero (no limit) or a positive duration",
            "aio.shutdown.grace-period=-1s | aio.shutdown.grace-period must be zero or a positive duration",
            "aio.health.max-wait=0s | aio.health.max-wait must be a positive duration",
            "aio.health.max-stall=0s | aio.health.max-stall must be a positive duration",
            "aio.max-idle=2 | aio.max-idle was replaced by aio.min-parallel",
            "aio.health.max-poll-delay=0s | aio.health.max-poll-delay must be a positive duration",
            "aio.reactive.chunk-size=0B | aio.reactive.chunk-size must be between 1B and 2GB",
            "aio.thread-name-prefix= | aio.thread-name-prefix must not be blank",
            "aio.root=/nonexistent/aio-root | aio.root must be an existing directory, got /nonexistent/aio-root (does not exist)" })
    void badConfigurationFailsAtStartUpNamingTheProperty(String property, String message) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(message);
        });
    }

    /** A root that is a file fails start-up. */
    @Test
    void rootThatIsAFileFailsAtStartUp(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        runner.withPropertyValues("aio.root=" + file).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("aio.root must be an existing directory, got " + file + " (not a directory)");
        });
    }

    /** A root that is not writable fails start-up (as root, /proc/self is such a directory). */
    @Test
    void rootThatIsNotWritableFailsAtStartUp() {
        Path dir = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(dir) && !Files.isWritable(dir), "needs a directory that is not writable");
        runner.withPropertyValues("aio.root=" + dir).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("aio.root must be a writable directory, got /proc/self (not writable)");
        });
    }

    /** Every message of a failure and its causes, for assertions on what start-up reports. */
    static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append('\n');
        }
        return b.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEngine {

        @Bean
        AioEngine userEngine() {
            return AioEngine.builder().minParallel(3).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserTemplate {

        @Bean
        AioTemplate userTemplate(AioEngine engine) {
            return new AioTemplate(engine).withPriority(2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLifecycleAndPoller {

        @Bean
        AioEngineLifecycle userLifecycle(AioEngine engine) {
            return new AioEngineLifecycle(engine, Duration.ofSeconds(1));
        }

        @Bean
        AioPoller userPoller(AioEngine engine) {
            return new AioPoller(engine, "my-poller", Duration.ofSeconds(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserReactiveTemplate {

        @Bean
        ReactiveAioTemplate myReactive(AioTemplate template) {
            return new ReactiveAioTemplate(template, 7, org.springframework.core.io.buffer.DefaultDataBufferFactory.sharedInstance);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHealth {

        @Bean
        AioHealthIndicator myAioHealth(AioEngine engine) {
            return new AioHealthIndicator(engine, null, Duration.ofSeconds(1), Duration.ofSeconds(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCustomizer {

        @Bean
        AioEngineBuilderCustomizer parallelism() {
            return b -> b.minParallel(5);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserListener {

        @Bean
        RecordingListener recordingListener() {
            return new RecordingListener();
        }
    }

    static class RecordingListener implements AioListener {

        final List<String> operations = new CopyOnWriteArrayList<>();

        @Override
        public void executed(String operation, long waitNanos, long executionNanos, int errno) {
            operations.add(operation);
        }
    }
}
